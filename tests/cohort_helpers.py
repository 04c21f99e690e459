"""A school with trainees at known stages, built through the real record stores."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.modules.records import profile_store, progress_store, school_setup
from app.modules.records.progress_store import AnswerRecord

COORDINATOR_PASSWORD = "correct horse"


def school(db, name: str = "Riverside High") -> tuple[str, str]:
    """Set the school up; returns (coordinator id, trainer id)."""
    coordinator = school_setup.setup_school(db, "Ms Rivera", COORDINATOR_PASSWORD, name)
    trainer = profile_store.create_profile(db, "Mr Okafor", "trainer", secret="trainer-pass", actor_id=coordinator.id)
    return coordinator.id, trainer.id


def trainee(db, name: str, group: str | None, actor_id: str) -> str:
    return profile_store.create_profile(db, name, "trainee", group=group, actor_id=actor_id).id


def complete_module(db, content, trainee_id: str, trainer_id: str, module_id: str, sign_offs: bool = True) -> None:
    """Everything a module asks for: lessons read, checks passed, role-plays passed, sign-offs."""
    mc = content.module_content(module_id)
    now = datetime.now(UTC)
    for lesson_id in mc.lessons:
        progress_store.save_lesson_position(db, trainee_id, module_id, lesson_id, 1.0, True)
    for lesson_id in mc.checks:
        answers = [AnswerRecord(0, "q", 0, True, now), AnswerRecord(1, "q2", 1, True, now)]
        progress_store.record_quiz_attempt(db, trainee_id, module_id, lesson_id, "hash", now, answers, 80)
    for scenario_id in mc.scenarios:
        attempt = progress_store.start_scenario_attempt(db, trainee_id, scenario_id, "hash", {"node": "start"})
        progress_store.finish_scenario_attempt(
            db, attempt, "good", "good", True, {"active_listening": 3}, {"node": "end"}
        )
    if sign_offs:
        module = content.program.module(module_id)
        for cid in module.requires.sign_offs:
            sign_off(db, content, trainee_id, trainer_id, cid)


def sign_off(
    db, content, trainee_id: str, trainer_id: str, competency_id: str, observed_on: date | None = None
) -> None:
    behaviours = {b: True for b in content.program.competencies[competency_id].behaviours} or {"observed": True}
    progress_store.add_sign_off(db, trainee_id, trainer_id, competency_id, behaviours, observed_on=observed_on)


def make_ready(db, content, trainee_id: str, trainer_id: str) -> None:
    for module in content.program.modules:
        complete_module(db, content, trainee_id, trainer_id, module.id)
    for cid in content.program.certificate.requires.sign_offs:
        sign_off(db, content, trainee_id, trainer_id, cid)
