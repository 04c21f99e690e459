"""Trainers' sign-offs of competencies observed in a live role-play: the checklist, what a
sign-off means for the completion rules, and who may withdraw one.

The records themselves are written by records/progress_store.py (audited there); this module
holds the rules the sign-off screen shows and enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import PermissionDenied, TrainingError
from app.core.i18n import _

from .program import Program

NOTE_MAX = 200  # a short note about the role-play, never about the trainee's own life


class SignOffError(TrainingError, ValueError):
    """A sign-off that cannot be recorded or withdrawn as asked; the message is for the user."""


@dataclass(frozen=True, slots=True)
class CompetencyChoice:
    id: str
    name: str
    behaviours: tuple[str, ...]  # as stored in a sign-off: program.yaml's words, whatever the language
    needed_by: tuple[str, ...]  # module titles (and "the certificate") that require this sign-off
    shown_behaviours: tuple[str, ...] = ()  # the same behaviours, one for one, in the reader's language

    @property
    def behaviours_shown(self) -> tuple[str, ...]:
        return self.shown_behaviours or self.behaviours


def competencies_to_observe(program: Program, language: str | None = None) -> list[CompetencyChoice]:
    """Every competency with behaviours, the ones modules or the certificate require first.

    Names, module titles and `shown_behaviours` are in `language` where program.yaml is translated into
    it; `behaviours` stay program.yaml's, which is what a sign-off records."""
    shown = program.in_language(language)
    needed: dict[str, list[str]] = {}
    for m in shown.modules:
        for cid in m.requires.sign_offs:
            needed.setdefault(cid, []).append(m.title)
    for cid in program.certificate.requires.sign_offs:
        needed.setdefault(cid, []).append(_("the certificate"))
    out = [
        CompetencyChoice(
            cid,
            shown.competencies.get(cid, c).name,
            tuple(c.behaviours),
            tuple(needed.get(cid, ())),
            tuple(shown.competencies.get(cid, c).behaviours),
        )
        for cid, c in program.competencies.items()
        if c.behaviours
    ]
    out.sort(key=lambda c: (not c.needed_by, list(program.competencies).index(c.id)))
    return out


def counts(behaviours: dict[str, bool]) -> bool:
    """A sign-off completes its competency when every behaviour was observed (the rule progress.py applies)."""
    return bool(behaviours) and all(behaviours.values())


def check_sign_off(program: Program, competency_id: str, behaviours: dict[str, bool], note: str) -> str:
    """Refuse what should not be stored; returns the note, trimmed."""
    comp = program.competencies.get(competency_id)
    if comp is None:
        raise SignOffError(_("There is no competency {id} in program.yaml.").format(id=repr(competency_id)))
    if set(behaviours) != set(comp.behaviours):
        raise SignOffError(_("Mark every behaviour of the competency as observed or not yet."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise SignOffError(_("Keep the note to {limit} characters, about the role-play only.").format(limit=NOTE_MAX))
    return note


def may_withdraw(sign_off, actor) -> bool:
    """A trainer withdraws only their own sign-offs; a coordinator, who runs the school's records, any."""
    if sign_off.withdrawn_at is not None or actor is None:
        return False
    if actor.role == "coordinator":
        return True
    return actor.role == "trainer" and sign_off.trainer_id == actor.id


def record(
    db,
    program: Program,
    trainee_id: str,
    actor,
    competency_id: str,
    behaviours: dict[str, bool],
    note: str = "",
    observed_on=None,
):
    from .records import progress_store

    note = check_sign_off(program, competency_id, behaviours, note)
    return progress_store.add_sign_off(db, trainee_id, actor.id, competency_id, dict(behaviours), note, observed_on)


def withdraw(db, sign_off, actor, reason: str = ""):
    """Withdraw a sign-off (kept, marked withdrawn, audited) if `actor` may."""
    from .records import progress_store

    if sign_off.withdrawn_at is not None:
        raise SignOffError(_("This sign-off is already withdrawn."))
    if not may_withdraw(sign_off, actor):
        raise PermissionDenied(_("You can only withdraw your own sign-offs."))
    return progress_store.withdraw_sign_off(db, sign_off.id, actor.id, reason)
