"""Many trainees' records at once, in a handful of set-based queries.

The dashboard and the certificate batch need every trainee's record; asking progress_store
once per trainee would be thousands of queries for a district-sized cohort. Each function
here runs one query per table for a whole chunk of trainees and returns plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from .models import TRAINEE, LessonProgress, Profile, QuizAttempt, ScenarioAttempt, SignOff

if TYPE_CHECKING:
    from .database import Database

CHUNK = 500  # ids per IN (...) list: well under every backend's parameter limit


@dataclass(frozen=True, slots=True)
class RosterEntry:
    id: str
    name: str
    group: str | None


@dataclass(slots=True)
class RawRecord:
    """One trainee's stored record, with the dates certificates print."""

    lesson_started: set[tuple[str, str]] = field(default_factory=set)
    lesson_read_at: dict[tuple[str, str], datetime] = field(default_factory=dict)
    check_tried: set[tuple[str, str]] = field(default_factory=set)
    check_best: dict[tuple[str, str], float] = field(default_factory=dict)  # highest score 0..1
    check_best_passing: dict[tuple[str, str], float] = field(default_factory=dict)  # highest passing score
    check_passed_at: dict[tuple[str, str], datetime] = field(default_factory=dict)  # first pass
    scenario_tried: set[str] = field(default_factory=set)
    scenario_passed_at: dict[str, datetime | None] = field(default_factory=dict)  # first pass
    # competency id -> (first observed on, trainer id) of sign-offs that count
    signed_off: dict[str, tuple[date, str | None]] = field(default_factory=dict)


def roster(db: Database, group: str | None = None, *, ungrouped: bool = False) -> list[RosterEntry]:
    """Active trainees by class then name; `group` narrows to one class, `ungrouped` to none."""
    query = (
        select(Profile.id, Profile.display_name, Profile.group_name)
        .where(Profile.role == TRAINEE, Profile.archived.is_(False))
        .order_by(func.coalesce(Profile.group_name, ""), func.lower(Profile.display_name))
    )
    if ungrouped:
        query = query.where(Profile.group_name.is_(None))
    elif group is not None:
        query = query.where(Profile.group_name == group)
    with db.session() as session:
        return [RosterEntry(*row) for row in session.execute(query)]


def groups(db: Database) -> list[str]:
    query = (
        select(Profile.group_name)
        .where(Profile.role == TRAINEE, Profile.archived.is_(False), Profile.group_name.is_not(None))
        .distinct()
        .order_by(Profile.group_name)
    )
    with db.session() as session:
        return list(session.scalars(query))


def chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def raw_records(db: Database, ids: Iterable[str]) -> dict[str, RawRecord]:
    """Every listed trainee's record: four queries per chunk of CHUNK trainees."""
    ids = list(dict.fromkeys(ids))
    out = {pid: RawRecord() for pid in ids}
    with db.session() as session:
        for chunk in chunks(ids):
            _lessons(session, chunk, out)
            _checks(session, chunk, out)
            _scenarios(session, chunk, out)
            _sign_offs(session, chunk, out)
    return out


def _lessons(session, chunk: list[str], out: dict[str, RawRecord]) -> None:
    lp = LessonProgress
    query = select(lp.profile_id, lp.module_id, lp.lesson_id, lp.completed_at).where(lp.profile_id.in_(chunk))
    for pid, module_id, lesson_id, completed_at in session.execute(query):
        rec = out[pid]
        rec.lesson_started.add((module_id, lesson_id))
        if completed_at is not None:
            rec.lesson_read_at[(module_id, lesson_id)] = completed_at


def _checks(session, chunk: list[str], out: dict[str, RawRecord]) -> None:
    qa = QuizAttempt
    first_pass = func.min(case((qa.passed.is_(True), qa.finished_at)))
    query = (
        select(
            qa.profile_id,
            qa.module_id,
            qa.lesson_id,
            func.max(qa.score),
            func.max(case((qa.passed.is_(True), qa.score))),
            first_pass,
        )
        .where(qa.profile_id.in_(chunk))
        .group_by(qa.profile_id, qa.module_id, qa.lesson_id)
    )
    for pid, module_id, lesson_id, best, best_passing, passed_at in session.execute(query):
        rec = out[pid]
        key = (module_id, lesson_id)
        rec.check_tried.add(key)
        rec.check_best[key] = float(best or 0.0)
        if best_passing is not None:
            rec.check_best_passing[key] = float(best_passing)
        if passed_at is not None:
            rec.check_passed_at[key] = _aware(passed_at)


def _scenarios(session, chunk: list[str], out: dict[str, RawRecord]) -> None:
    sa = ScenarioAttempt
    passed = sa.passed.is_(True)
    query = (
        select(
            sa.profile_id,
            sa.scenario_id,
            func.max(case((passed, 1), else_=0)),
            func.min(case((passed, sa.finished_at))),
        )
        .where(sa.profile_id.in_(chunk))
        .group_by(sa.profile_id, sa.scenario_id)
    )
    for pid, scenario_id, any_passed, passed_at in session.execute(query):
        rec = out[pid]
        rec.scenario_tried.add(scenario_id)
        if any_passed:
            rec.scenario_passed_at[scenario_id] = _aware(passed_at) if passed_at is not None else None


def _sign_offs(session, chunk: list[str], out: dict[str, RawRecord]) -> None:
    so = SignOff
    query = (
        select(so.trainee_id, so.competency_id, so.behaviours, so.observed_on, so.trainer_id)
        .where(so.trainee_id.in_(chunk), so.withdrawn_at.is_(None))
        .order_by(so.observed_on, so.created_at)
    )
    for pid, competency_id, behaviours, observed_on, trainer_id in session.execute(query):
        # The same rule as progress.trainee_record: every listed behaviour was observed.
        if behaviours and all(behaviours.values()):
            out[pid].signed_off.setdefault(competency_id, (observed_on, trainer_id))


def _aware(value) -> datetime:
    """Aggregates bypass UTCDateTime's result processing: SQLite hands back text or naive values."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def names(db: Database, ids: Iterable[str]) -> dict[str, str]:
    """Display names of the given profiles (trainers who signed off, for certificates)."""
    ids = [i for i in dict.fromkeys(ids) if i]
    out: dict[str, str] = {}
    with db.session() as session:
        for chunk in chunks(ids):
            out.update(
                (pid, name)
                for pid, name in session.execute(select(Profile.id, Profile.display_name).where(Profile.id.in_(chunk)))
            )
    return out


def minutes_spent(db: Database, profile_ids: list[str]) -> dict[str, float]:
    """Minutes each trainee spent in finished knowledge checks and role-plays (each capped at an
    hour, so a role-play left open over a weekend does not count as two days)."""
    wanted = set(profile_ids)
    out: dict[str, float] = {}
    with db.session() as session:
        for model in (QuizAttempt, ScenarioAttempt):
            query = select(model.profile_id, model.started_at, model.finished_at).where(model.finished_at.is_not(None))
            for pid, start, end in session.execute(query):
                if pid in wanted and start is not None and end is not None:
                    minutes = min(max((end - start).total_seconds() / 60, 0), 60)
                    out[pid] = out.get(pid, 0.0) + minutes
    return out
