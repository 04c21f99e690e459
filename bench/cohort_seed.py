"""A large cohort written straight into the records with Core bulk inserts (benchmarks only).

Each trainee has completed a random number of modules (all of them for `ready` trainees):
lessons read, checks passed, role-plays passed with their steps, sign-offs by one trainer.
Steps are spread over the role-play attempts until `steps` rows exist in total.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from app.modules.records.models import (
    LessonProgress,
    Profile,
    QuizAttempt,
    ScenarioAttempt,
    ScenarioStep,
    SignOff,
    new_id,
)


def seed(
    db, content, trainees: int, steps: int, ready_share: float = 0.25, seed_value: int = 7
) -> tuple[str, list[str]]:
    """Returns (trainer id, trainee ids)."""
    rng = random.Random(seed_value)
    program = content.program
    contents = content.all_module_contents()
    now = datetime.now(UTC)
    trainer_id = new_id()
    profiles = [dict(id=trainer_id, display_name="Bench Trainer", role="trainer", group_name=None, preferences={})]
    lessons, quizzes, attempts, sign_offs = [], [], [], []
    ids = []
    for i in range(trainees):
        pid = new_id()
        ids.append(pid)
        profiles.append(
            dict(
                id=pid,
                display_name=f"Trainee {i:05d}",
                role="trainee",
                group_name=f"Class {i % 40:02d}",
                preferences={},
            )
        )
        ready = rng.random() < ready_share
        done = len(program.modules) if ready else rng.randint(0, len(program.modules) - 1)
        when = now - timedelta(days=rng.randint(1, 90))
        for module in program.modules[:done]:
            mc = contents[module.id]
            lessons += [
                dict(id=new_id(), profile_id=pid, module_id=module.id, lesson_id=l, position=1.0, completed_at=when)
                for l in mc.lessons
            ]
            quizzes += [
                dict(
                    id=new_id(),
                    profile_id=pid,
                    module_id=module.id,
                    lesson_id=l,
                    content_hash="h",
                    started_at=when,
                    finished_at=when,
                    correct=5,
                    total=5,
                    score=1.0,
                    pass_mark=0.8,
                    passed=True,
                )
                for l in mc.checks
            ]
            attempts += [
                dict(
                    id=new_id(),
                    profile_id=pid,
                    scenario_id=s,
                    content_hash="h",
                    status="finished",
                    state={},
                    started_at=when,
                    finished_at=when,
                    ending="good",
                    outcome="good",
                    passed=True,
                    scores={},
                )
                for s in mc.scenarios
            ]
            sign_offs += [
                dict(
                    id=new_id(),
                    trainee_id=pid,
                    trainer_id=trainer_id,
                    competency_id=c,
                    behaviours={"seen": True},
                    note="",
                    observed_on=when.date(),
                )
                for c in module.requires.sign_offs
            ]
        if ready:
            sign_offs += [
                dict(
                    id=new_id(),
                    trainee_id=pid,
                    trainer_id=trainer_id,
                    competency_id=c,
                    behaviours={"seen": True},
                    note="",
                    observed_on=date.today(),
                )
                for c in program.certificate.requires.sign_offs
            ]
    step_rows = []
    if attempts:
        for k in range(steps):
            attempt = attempts[k % len(attempts)]
            step_rows.append(
                dict(
                    id=new_id(),
                    attempt_id=attempt["id"],
                    seq=k // len(attempts),
                    node_id="n",
                    choice_index=0,
                    choice_text="I hear you.",
                    target="m",
                    effects=None,
                    at=now,
                )
            )
    with db.engine.begin() as conn:
        for table, rows in (
            (Profile, profiles),
            (LessonProgress, lessons),
            (QuizAttempt, quizzes),
            (ScenarioAttempt, attempts),
            (ScenarioStep, step_rows),
            (SignOff, sign_offs),
        ):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[start : start + 20_000])
    return trainer_id, ids
