"""A cohort's progress: every trainee's standing under the rules of competency.py.

The records come in bulk (records.cohort_store); the rules stay in competency.py, so the
dashboard, the certificates and a trainee's own home can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from . import competency as rules
from .competency import ModuleContent, Readiness, TraineeRecord
from .program import Module, Program

if TYPE_CHECKING:
    from .records.cohort_store import RawRecord, RosterEntry


def to_trainee_record(raw: RawRecord) -> TraineeRecord:
    return TraineeRecord(
        lessons_read=set(raw.lesson_read_at),
        lessons_started=set(raw.lesson_started),
        checks_passed=set(raw.check_passed_at),
        checks_tried=set(raw.check_tried),
        scenarios_passed=dict(raw.scenario_passed_at),
        scenarios_tried=set(raw.scenario_tried),
        signed_off={cid: observed for cid, (observed, _trainer) in raw.signed_off.items()},
    )


@dataclass(slots=True)
class TraineeSummary:
    """One row of the dashboard: who, where they stand, and what they have done."""

    id: str
    name: str
    group: str | None
    readiness: Readiness
    raw: RawRecord
    certificate_number: str | None = None

    @property
    def ready(self) -> bool:
        return self.readiness.ready

    @property
    def checks_passed(self) -> int:
        return sum(m.checks_passed for m in self.readiness.modules)

    @property
    def checks_total(self) -> int:
        return sum(m.checks_total for m in self.readiness.modules)

    @property
    def mean_best_score(self) -> float | None:
        """Average score of the attempt that counts in each knowledge check tried; None if none tried."""
        from .trainee_record import best_check_score

        raw = self.raw
        scores = [best_check_score(best, raw.check_best_passing.get(key)) for key, best in raw.check_best.items()]
        return sum(scores) / len(scores) if scores else None

    @property
    def scenarios_passed(self) -> int:
        return sum(min(m.scenarios_passed, m.scenarios_total) for m in self.readiness.modules)

    @property
    def scenarios_needed(self) -> int:
        return sum(m.scenarios_needed for m in self.readiness.modules)

    @property
    def sign_offs_done(self) -> int:
        return len(self.sign_offs_needed_ids & set(self.raw.signed_off))

    @property
    def sign_offs_needed_ids(self) -> set[str]:
        return {cid for m in self.readiness.modules for cid in m.sign_offs_needed}

    @property
    def fraction(self) -> float:
        mods = self.readiness.modules
        return sum(m.fraction for m in mods) / len(mods) if mods else 0.0


def summaries(
    db, program: Program, contents: dict[str, ModuleContent], entries: Sequence[RosterEntry]
) -> list[TraineeSummary]:
    """The dashboard rows for `entries`, in their order, from a few set-based queries."""
    from .records import certificate_store, cohort_store

    ids = [e.id for e in entries]
    raws = cohort_store.raw_records(db, ids)
    numbers = certificate_store.numbers_for(db, ids)
    out = []
    for e in entries:
        raw = raws[e.id]
        readiness = rules.certificate_readiness(program, contents, to_trainee_record(raw))
        out.append(TraineeSummary(e.id, e.name, e.group, readiness, raw, numbers.get(e.id)))
    return out


def state_counts(rows: Iterable[TraineeSummary], program: Program) -> dict[str, Counter]:
    """For each module id, how many trainees are in each state (for the cohort chart)."""
    counts: dict[str, Counter] = {m.id: Counter() for m in program.modules}
    for row in rows:
        for st in row.readiness.modules:
            counts[st.module_id][st.state] += 1
    return counts


def module_completed_on(module: Module, content: ModuleContent, raw: RawRecord) -> date | None:
    """When a complete module's last requirement was met (the latest date among what counts)."""
    mid = module.id
    when: list[date] = []
    when += [_day(raw.lesson_read_at[(mid, l)]) for l in content.lessons if (mid, l) in raw.lesson_read_at]
    when += [_day(raw.check_passed_at[(mid, l)]) for l in content.checks if (mid, l) in raw.check_passed_at]
    when += [_day(raw.scenario_passed_at[s]) for s in content.scenarios if raw.scenario_passed_at.get(s)]
    when += [raw.signed_off[c][0] for c in module.requires.sign_offs if c in raw.signed_off]
    return max(when) if when else None


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
