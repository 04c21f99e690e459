"""The rules that say when a module, and the whole programme, is complete.

Pure functions over plain data: the records layer supplies what a trainee has done, the
content supplies what there is, and program.yaml says what is required. The trainee's home,
the trainer's view, the coordinator's dashboard and the certificates all ask here, so they
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.core.i18n import _, ngettext

from .program import Count, Module, Program

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
WAITING_SIGN_OFF = "waiting for sign-off"
COMPLETE = "complete"


@dataclass(slots=True)
class TraineeRecord:
    """What one trainee has done, as the rules need it."""

    lessons_read: set[tuple[str, str]] = field(default_factory=set)  # (module_id, lesson_id)
    lessons_started: set[tuple[str, str]] = field(default_factory=set)
    checks_passed: set[tuple[str, str]] = field(default_factory=set)  # (module_id, lesson_id)
    checks_tried: set[tuple[str, str]] = field(default_factory=set)
    scenarios_passed: dict[str, datetime | None] = field(default_factory=dict)  # scenario id -> when
    scenarios_tried: set[str] = field(default_factory=set)
    signed_off: dict[str, datetime | None] = field(default_factory=dict)  # competency id -> when


@dataclass(slots=True)
class ModuleContent:
    """What a module holds: ids of lessons, of lessons with a knowledge check, of scenarios."""

    lessons: list[str]
    checks: list[str]
    scenarios: list[str]


@dataclass(slots=True)
class ModuleStatus:
    module_id: str
    title: str
    lessons_read: int
    lessons_needed: int
    lessons_total: int
    checks_passed: int
    checks_needed: int
    checks_total: int
    scenarios_passed: int
    scenarios_needed: int
    scenarios_total: int
    sign_offs_done: list[str]
    sign_offs_needed: list[str]
    started: bool
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def state(self) -> str:
        if self.complete:
            return COMPLETE
        if not self.started:
            return NOT_STARTED
        only_sign_offs = (
            self.lessons_read >= self.lessons_needed
            and self.checks_passed >= self.checks_needed
            and self.scenarios_passed >= self.scenarios_needed
        )
        return WAITING_SIGN_OFF if only_sign_offs else IN_PROGRESS

    @property
    def fraction(self) -> float:
        """Rough share of the module done, for progress bars."""
        done = min(self.lessons_read, self.lessons_needed) + min(self.checks_passed, self.checks_needed)
        done += min(self.scenarios_passed, self.scenarios_needed) + len(
            set(self.sign_offs_done) & set(self.sign_offs_needed)
        )
        need = self.lessons_needed + self.checks_needed + self.scenarios_needed + len(self.sign_offs_needed)
        return 1.0 if need == 0 else done / need


def _needed(count: Count, total: int) -> int:
    if count == "all":
        return total
    if count == "none":
        return 0
    return min(int(count), total)


def module_status(program: Program, module: Module, content: ModuleContent, record: TraineeRecord) -> ModuleStatus:
    req = module.requires
    mid = module.id
    read = sum((mid, l) in record.lessons_read for l in content.lessons)
    passed_checks = sum((mid, l) in record.checks_passed for l in content.checks)
    passed_scen = sum(s in record.scenarios_passed for s in content.scenarios)
    n_lessons = _needed(req.lessons, len(content.lessons))
    n_checks = _needed(req.knowledge_checks, len(content.checks))
    n_scen = _needed(req.scenarios, len(content.scenarios))
    done_sign = [c for c in req.sign_offs if c in record.signed_off]
    missing: list[str] = []
    if read < n_lessons:
        n = n_lessons - read
        missing.append(ngettext("read {n} more lesson", "read {n} more lessons", n).format(n=n))
    if passed_checks < n_checks:
        n = n_checks - passed_checks
        missing.append(ngettext("pass {n} more knowledge check", "pass {n} more knowledge checks", n).format(n=n))
    if passed_scen < n_scen:
        n = n_scen - passed_scen
        missing.append(ngettext("pass {n} more role-play", "pass {n} more role-plays", n).format(n=n))
    for cid in req.sign_offs:
        if cid not in record.signed_off:
            missing.append(
                _("sign-off: {competency} (a trainer watches a live role-play)").format(
                    competency=program.competency_name(cid)
                )
            )
    started = any(
        (mid, l) in record.lessons_started or (mid, l) in record.lessons_read or (mid, l) in record.checks_tried
        for l in content.lessons
    ) or any(s in record.scenarios_tried for s in content.scenarios)
    return ModuleStatus(
        mid,
        module.title,
        read,
        n_lessons,
        len(content.lessons),
        passed_checks,
        n_checks,
        len(content.checks),
        passed_scen,
        n_scen,
        len(content.scenarios),
        done_sign,
        list(req.sign_offs),
        started or bool(done_sign),
        missing,
    )


@dataclass(slots=True)
class Readiness:
    ready: bool
    modules: list[ModuleStatus]
    missing: list[str]  # what is left, in words a trainee understands


def certificate_readiness(program: Program, contents: dict[str, ModuleContent], record: TraineeRecord) -> Readiness:
    statuses = [
        module_status(program, m, contents.get(m.id, ModuleContent([], [], [])), record) for m in program.modules
    ]
    req = program.certificate.requires
    wanted = program.module_ids if req.modules == "all" else list(req.modules)
    missing: list[str] = []
    for st in statuses:
        if st.module_id in wanted and not st.complete:
            missing.append(_("{module}: {missing}").format(module=st.title, missing=_("; ").join(st.missing)))
    for cid in req.sign_offs:
        if cid not in record.signed_off:
            # already listed under a wanted module that requires the same sign-off
            already = any(cid in st.sign_offs_needed for st in statuses if st.module_id in wanted)
            if not already:
                missing.append(_("sign-off: {competency}").format(competency=program.competency_name(cid)))
    return Readiness(not missing, statuses, missing)
