"""How a role-play's end is said to a person: the way it ended, and why it did not pass (which
competency fell short, and by how much), without node ids, variable ids or negative numbers.

Used by the results screen, the trainee's record and `peer-trainer play`.
"""

from __future__ import annotations

from app.core.i18n import N_, _, ngettext
from app.core.labels import Labels

OUTCOME_WORDS = Labels(
    {
        "success": N_("It ended well."),
        "neutral": N_("It ended okay, but it could have gone better."),
        "failure": N_("It did not end well this time."),
    }
)
OUTCOME_SHORT = Labels({"success": N_("ended well"), "neutral": N_("ended okay"), "failure": N_("did not end well")})
# Character names that are a job, not a name: said with "the" ("you will talk with the counsellor").
ROLE_NAMES = {
    "counsellor",
    "counselor",
    "teacher",
    "coach",
    "nurse",
    "head teacher",
    "principal",
    "parent",
    "librarian",
    "tutor",
    "form tutor",
}


def shown_score(score: int) -> int:
    """Scores below zero are shown as 0: "you got no points" is what a person would say."""
    return max(0, int(score))


def points(n: int) -> str:
    return ngettext("{n} point", "{n} points", n).format(n=n)


def person(name: str) -> str:
    """A character's name as said in a sentence: "Kofi", but "the counsellor"."""
    return f"the {name.strip().lower()}" if name.strip().lower() in ROLE_NAMES else name


def ending_outcome(scenario, ending_id: str | None) -> str | None:
    """success, neutral or failure for an ending node id (None when unknown)."""
    if scenario is None or not ending_id:
        return None
    node = scenario.nodes.get(ending_id)
    return node.ending if node is not None else None


def shortfalls(scenario, scores: dict, name=lambda cid: cid) -> list[str]:
    """ "Active listening: 1 point of the 2 needed (1 more needed)" for each competency short of its mark."""
    out = []
    for cid in scenario.competencies:
        mark = scenario.pass_marks.get(cid)
        if mark is None:
            continue
        got = shown_score(scores.get(cid, 0))
        if got < mark:
            out.append(
                ngettext(
                    "{competency}: {points} of the {mark} needed ({more} more needed)",
                    "{competency}: {points} of the {mark} needed ({more} more needed)",
                    mark,
                ).format(competency=name(cid), points=points(got), mark=mark, more=mark - got)
            )
    return out


def why_not_passed(scenario, outcome: str | None, scores: dict, name=lambda cid: cid) -> str:
    """The reason a finished role-play did not pass, in one or two sentences."""
    short = shortfalls(scenario, scores, name)
    parts = []
    if outcome == "failure":
        parts.append(_("A role-play that does not end well never passes, whatever the scores."))
    if short:
        parts.append(_("Not enough points yet for {shortfalls}.").format(shortfalls=_("; ").join(short)))
    if not parts:
        parts.append(_("It did not reach the pass marks."))
    return " ".join(parts)


def verdict_sentence(scenario, outcome: str | None, passed: bool, scores: dict, name=lambda cid: cid) -> str:
    """What the results screen says under "Passed" or "Not passed yet"."""
    said = OUTCOME_WORDS.get(outcome or "", "")
    if passed:
        return said
    why = why_not_passed(scenario, outcome, scores, name)
    if outcome == "success":
        return _("It ended well, but it did not pass yet. {why}").format(why=why)
    return f"{said} {why}".strip()
