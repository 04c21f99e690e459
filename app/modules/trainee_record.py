"""A trainee's record as the competency rules need it, read from the stored records; and which
knowledge-check attempt counts."""

from __future__ import annotations

from collections.abc import Iterable

from .competency import TraineeRecord


def trainee_record(db, profile_id: str) -> TraineeRecord:
    from .records import progress_store as ps

    rec = TraineeRecord()
    for (module_id, lesson_id), lp in ps.lesson_progress(db, profile_id).items():
        rec.lessons_started.add((module_id, lesson_id))
        if lp.completed_at is not None:
            rec.lessons_read.add((module_id, lesson_id))
    for qa in ps.quiz_attempts(db, profile_id):
        rec.checks_tried.add((qa.module_id, qa.lesson_id))
        if qa.passed:
            rec.checks_passed.add((qa.module_id, qa.lesson_id))
    for sa in ps.scenario_attempts(db, profile_id):
        rec.scenarios_tried.add(sa.scenario_id)
        if sa.passed:
            when = sa.finished_at
            prev = rec.scenarios_passed.get(sa.scenario_id)
            rec.scenarios_passed[sa.scenario_id] = (
                min(d for d in (prev, when) if d is not None) if (prev or when) else None
            )
    for so in ps.sign_offs(db, profile_id):
        if so.withdrawn_at is None and so.behaviours and all(so.behaviours.values()):
            prev = rec.signed_off.get(so.competency_id)
            rec.signed_off[so.competency_id] = prev or so.observed_on
    return rec


def attempt_rank(passed: bool | None, score: float) -> tuple[bool, float]:
    """The one rule for knowledge-check attempts: a pass beats any fail, then the higher score.

    Every try is kept and only the best one counts: the trainee's home shows it, and the
    coordinators' dashboard averages its score (best_check_score).
    """
    return (bool(passed), float(score))


def best_check_attempts(attempts: Iterable) -> dict[tuple[str, str], object]:
    """The attempt that counts for each knowledge check tried, by (module id, lesson id)."""
    best: dict[tuple[str, str], object] = {}
    for a in attempts:
        key = (a.module_id, a.lesson_id)
        cur = best.get(key)
        if cur is None or attempt_rank(a.passed, a.score) > attempt_rank(cur.passed, cur.score):
            best[key] = a
    return best


def best_check_score(best_score: float, best_passing_score: float | None) -> float:
    """The score of the attempt that counts, from what the cohort query reads for one check:
    the highest score of all its attempts, and the highest among the passes (None: no pass)."""
    candidates = [(False, best_score)]
    if best_passing_score is not None:
        candidates.append((True, best_passing_score))
    return max(candidates, key=lambda c: attempt_rank(*c))[1]
