"""Laptops full of training records, for the exchange, backup and erasure tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.modules.records import profile_store, progress_store, school_setup
from app.modules.records.database import Database
from app.modules.records.models import Base, utcnow
from app.modules.records.progress_store import AnswerRecord
from app.paths import Locations, resolve_locations

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
COUNTED = (
    "profiles",
    "lesson_progress",
    "quiz_attempts",
    "quiz_answers",
    "scenario_attempts",
    "scenario_steps",
    "sign_offs",
    "certificates",
    "refresher_cards",
    "refresher_reviews",
    "support_checkins",
    "confidence_ratings",
    "survey_answers",
    "audit_log",
)


def laptop(folder: Path) -> Locations:
    return resolve_locations(data_dir=folder, content_dir=CONTENT, database_url=None)


def set_up_school(db: Database, coordinator: str = "Ms Rivera", school: str = "Hillside School"):
    coord = school_setup.setup_school(db, coordinator, "correct horse", school)
    trainer = profile_store.create_profile(
        db, "Mr Okafor", profile_store.TRAINER, secret="trainer-pass", actor_id=coord.id
    )
    return coord, trainer


def add_trainee_work(
    db: Database, trainee_id: str, trainer_id: str, *, passed: bool = True, scenario: str = "listening-basics"
) -> None:
    """Lesson reading, a knowledge check with answers, a finished role-play with choices, a sign-off."""
    progress_store.save_lesson_position(
        db, trainee_id, "active-listening", "what-is-active-listening", 1.0, completed=True
    )
    progress_store.save_lesson_position(db, trainee_id, "active-listening", "open-questions", 0.4, completed=False)
    answers = [AnswerRecord(i, f"Question {i}?", {"choice": i}, passed or i == 0, utcnow()) for i in range(4)]
    progress_store.record_quiz_attempt(
        db,
        trainee_id,
        "active-listening",
        "what-is-active-listening",
        "hash-1",
        utcnow() - timedelta(minutes=4),
        answers,
        75,
    )
    run = progress_store.start_scenario_attempt(db, trainee_id, scenario, "hash-2", {"node": "start"})
    progress_store.record_step(
        db, run, 1, "start", 0, "Ask what happened", "listen", [["active_listening", "+", 2]], {"node": "listen"}
    )
    progress_store.record_step(
        db, run, 2, "listen", 1, "Reflect the feeling", "end", [["empathy", "+", 1]], {"node": "end"}
    )
    progress_store.finish_scenario_attempt(
        db, run, "end", "success", passed, {"active_listening": 2, "empathy": 1}, {"node": "end"}
    )
    progress_store.add_sign_off(
        db, trainee_id, trainer_id, "active_listening", {"Gives full attention": True, "Asks open questions": passed}
    )


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as c:
        return {name: c.scalar(select(func.count()).select_from(Base.metadata.tables[name])) for name in COUNTED}


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every merged row, sorted: equal snapshots mean nothing changed at all."""
    with db.engine.connect() as c:
        return {
            name: sorted(tuple(map(repr, r)) for r in c.execute(select(Base.metadata.tables[name]))) for name in COUNTED
        }


def coordinator_of(db: Database) -> str | None:
    """The id of the school's (first) active coordinator: who imports and erases in these tests.

    None on a laptop not set up yet, which may take a school's records with no one signed in."""
    return next((p.id for p in profile_store.list_profiles(db) if p.role == profile_store.COORDINATOR), None)


def same_school(source: Database, *others: Database) -> str:
    """Give `others` the school id of `source`, as if they had joined its school; returns the id."""
    from app.modules.exchange.trust import school_identity
    from app.modules.records.school_setup import SCHOOL_ID_KEY
    from app.modules.records.settings_store import set_setting

    school_id, _ = school_identity(source)
    for db in others:
        set_setting(db, SCHOOL_ID_KEY, school_id, actor_id=coordinator_of(db))
    return school_id


def trusted_import(db: Database, path: Path, actor_id: str | None = None, **kwargs):
    """Import a bundle as a coordinator who compared the fingerprints and found them equal."""
    from app.modules.exchange.bundle import verify_bundle
    from app.modules.exchange.merge import import_bundle

    actor_id = actor_id or coordinator_of(db)  # no one signed in only on a laptop not set up yet
    return import_bundle(db, path, actor_id, trust_fingerprint=verify_bundle(path).fingerprint, **kwargs)
