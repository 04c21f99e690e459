"""Seeded first (and second) attempts at a knowledge check and a role-play, for the item statistics."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.modules.records import profile_store, progress_store, school_setup
from app.modules.records.database import Database
from app.modules.records.progress_store import AnswerRecord
from app.modules.scenario import Run
from app.paths import resolve_locations

REPO = Path(__file__).resolve().parent.parent
LESSON = ("active-listening", "attention-and-presence")
SCENARIO = "late-night-dms"


def answer(q, k: int):
    """Trainee k's answer: the better trainees (low k) are right more often."""
    right = (k + q.index) % 4 != 3 if k < 6 else (k + q.index) % 2 == 0
    if q.kind == "true_false":
        truth = 0 in q.correct_indexes
        return (truth if right else not truth), right
    if right:
        return sorted(q.correct_indexes), True
    wrong = [i for i in range(len(q.options)) if i not in q.correct_indexes]
    return [wrong[k % len(wrong)]], False


def seed(db: Database, content, trainees: int, seed_value: int = 3) -> list[str]:
    """`trainees` trainees each take the check twice and the role-play twice (only the first counts)."""
    rng = random.Random(seed_value)
    coord = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Riverside High")
    lesson = content.lesson(*LESSON)
    scenario = content.scenario(SCENARIO)
    ids = []
    start = datetime.now(UTC) - timedelta(days=3)
    for k in range(trainees):
        p = profile_store.create_profile(db, f"Trainee {k}", profile_store.TRAINEE, actor_id=coord.id)
        ids.append(p.id)
        for attempt in range(2):
            began = start + timedelta(hours=k, minutes=30 * attempt)
            answers = []
            for q in lesson.questions:
                given, right = answer(q, k) if attempt == 0 else (sorted(q.correct_indexes), True)
                if q.kind == "true_false" and attempt == 1:
                    given = 0 in q.correct_indexes
                answers.append(AnswerRecord(q.index, q.prompt, given, right, began))
            progress_store.record_quiz_attempt(db, p.id, LESSON[0], LESSON[1], lesson.content_hash, began, answers, 80)
            run = Run.start(scenario)
            aid = progress_store.start_scenario_attempt(db, p.id, scenario.id, scenario.content_hash, run.to_json())
            seq = 0
            while not run.finished and run.offered_choices() and seq < 50:
                seq += 1
                at = run.node_id
                n = 1 if attempt == 1 else rng.randrange(len(run.offered_choices())) + 1
                step = run.choose(n)
                progress_store.record_step(
                    db, aid, seq, at, step.choice_index, step.choice_text, step.to_node, [], run.to_json()
                )
            progress_store.finish_scenario_attempt(
                db, aid, run.ending, run.outcome, run.passed, run.scores, run.to_json()
            )
    return ids


def open_db(folder: Path) -> Database:
    return Database.open(resolve_locations(data_dir=folder, content_dir=REPO / "content", database_url=""))
