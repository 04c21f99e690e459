"""A trainee's record as the competency rules need it, read from the stored records."""

from __future__ import annotations

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
