"""Training records: lessons, knowledge checks, role-play steps, sign-offs, settings, erasure."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.modules.records import audit, preference_store, profile_store, progress_store, school_setup, settings_store
from app.modules.records.models import (
    AuditEntry,
    Certificate,
    LessonProgress,
    Profile,
    QuizAnswer,
    QuizAttempt,
    ScenarioAttempt,
    ScenarioStep,
    SignOff,
    utcnow,
)
from app.modules.records.profile_store import TRAINEE, TRAINER, PermissionDenied
from app.modules.records.progress_store import AnswerRecord, RecordError


@pytest.fixture
def people(db):
    coordinator = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Hillside School")
    trainer = profile_store.create_profile(db, "Mr Okafor", TRAINER, secret="trainer-pass", actor_id=coordinator.id)
    ana = profile_store.create_profile(db, "Ana", TRAINEE, group="7B", actor_id=coordinator.id)
    ben = profile_store.create_profile(db, "Ben", TRAINEE, group="7B", actor_id=coordinator.id)
    return coordinator, trainer, ana, ben


def test_started_means_a_lesson_opened_a_check_tried_or_a_role_play_begun(db, people):
    coordinator, _trainer, ana, ben = people
    assert not progress_store.has_started(db, ana.id) and not progress_store.has_started(db, ben.id)
    progress_store.save_lesson_position(db, ana.id, "listening", "intro", 0.1, completed=False)
    assert progress_store.has_started(db, ana.id) and not progress_store.has_started(db, ben.id)
    answers = [AnswerRecord(0, "q", 0, False, utcnow())]
    progress_store.record_quiz_attempt(db, ben.id, "listening", "intro", "hash", utcnow(), answers, 0)
    assert progress_store.has_started(db, ben.id)
    cleo = profile_store.create_profile(db, "Cleo", TRAINEE, group="7B", actor_id=coordinator.id)
    progress_store.start_scenario_attempt(db, cleo.id, "listening-basics", "hash", {"node": "start"})
    assert progress_store.has_started(db, cleo.id)


def test_lesson_position_is_kept_per_lesson_and_completion_sticks(db, people):
    ana = people[2]
    progress_store.save_lesson_position(db, ana.id, "listening", "intro", 0.4, completed=False)
    done = progress_store.save_lesson_position(db, ana.id, "listening", "intro", 1.02, completed=True)
    assert done.position == 1.0 and done.completed_at is not None
    progress_store.save_lesson_position(db, ana.id, "listening", "intro", 0.1, completed=False)
    progress_store.save_lesson_position(db, ana.id, "listening", "reflect", 0.5, completed=False)
    got = progress_store.lesson_progress(db, ana.id)
    assert set(got) == {("listening", "intro"), ("listening", "reflect")}
    assert got[("listening", "intro")].position == 0.1
    assert got[("listening", "intro")].completed_at == done.completed_at
    assert got[("listening", "reflect")].completed_at is None
    assert progress_store.lesson_progress(db, people[3].id) == {}
    with pytest.raises(RecordError):
        progress_store.save_lesson_position(db, ana.id, "listening", "intro", float("nan"), completed=False)


def _answers(*correct: bool) -> list[AnswerRecord]:
    return [AnswerRecord(i, f"Question {i}?", {"choice": i}, ok, utcnow()) for i, ok in enumerate(correct)]


def test_a_knowledge_check_is_stored_with_its_answers(db, people):
    ana = people[2]
    started = utcnow() - timedelta(minutes=3)
    failed = progress_store.record_quiz_attempt(
        db, ana.id, "m1", "l1", "sha-1", started, _answers(True, False, False), 0.6
    )
    passed = progress_store.record_quiz_attempt(
        db, ana.id, "m1", "l1", "sha-1", started, _answers(True, True, False), 66
    )
    assert (failed.correct, failed.total, failed.passed) == (1, 3, False)
    assert (passed.correct, passed.score, passed.passed) == (2, pytest.approx(2 / 3), True)
    assert (failed.pass_mark, passed.pass_mark) == (0.6, 0.66)  # a percentage is stored as a fraction
    assert [a.id for a in progress_store.quiz_attempts(db, ana.id)] == [failed.id, passed.id]
    answers = progress_store.quiz_answers(db, passed.id)
    assert [(a.question_index, a.given, a.correct) for a in answers] == [
        (0, {"choice": 0}, True),
        (1, {"choice": 1}, True),
        (2, {"choice": 2}, False),
    ]
    assert passed.started_at == started and passed.finished_at.tzinfo is not None
    exact = progress_store.record_quiz_attempt(
        db, ana.id, "m1", "l1", "sha-1", started, _answers(True, True, False), 2 / 3
    )
    assert exact.passed  # float rounding must not fail a score equal to the mark
    with pytest.raises(RecordError):
        progress_store.record_quiz_attempt(db, ana.id, "m1", "l1", "sha-1", started, [], 0.5)
    with pytest.raises(RecordError):
        progress_store.record_quiz_attempt(db, ana.id, "m1", "l1", "sha-1", started, _answers(True) * 2, 0.5)


def test_each_step_is_committed_with_the_state_before_record_step_returns(locations, db, people):
    ana = people[2]
    attempt_id = progress_store.start_scenario_attempt(db, ana.id, "friend-upset", "sha-s", {"node": "start"})
    progress_store.record_step(
        db, attempt_id, 1, "start", 0, "I'm here to listen.", "n2", {"trust": 1}, '{"node": "n2"}'
    )

    other = sqlite3.connect(locations.database_file)  # another connection, as after a power cut
    try:
        steps = other.execute("SELECT seq, node_id, target FROM scenario_steps WHERE attempt_id = ?", (attempt_id,))
        assert steps.fetchall() == [(1, "start", "n2")]
        state = other.execute("SELECT state FROM scenario_attempts WHERE id = ?", (attempt_id,)).fetchone()[0]
        assert state == '{"node": "n2"}'
    finally:
        other.close()

    with pytest.raises(RecordError, match="already recorded"):
        progress_store.record_step(db, attempt_id, 1, "start", 1, "again", "n3", {}, {"node": "n3"})
    assert progress_store.get_attempt(db, attempt_id).state == {"node": "n2"}  # the failed step changed nothing
    [resumable] = progress_store.unfinished_attempts(db, ana.id)
    assert (resumable.id, resumable.status, resumable.content_hash) == (attempt_id, "in_progress", "sha-s")


def test_a_finished_run_keeps_its_result_and_takes_no_more_steps(db, people):
    ana = people[2]
    attempt_id = progress_store.start_scenario_attempt(db, ana.id, "s", "h", {"node": "a"})
    progress_store.record_step(db, attempt_id, 1, "a", 0, "Hi", "b", None, {"node": "b"})
    progress_store.record_step(db, attempt_id, 2, "b", None, None, "end", [], {"node": "end"})
    done = progress_store.finish_scenario_attempt(db, attempt_id, "end", "good", True, {"empathy": 3}, {"node": "end"})
    assert (done.status, done.ending, done.passed, done.scores) == ("finished", "end", True, {"empathy": 3})
    assert done.finished_at is not None
    assert [s.seq for s in progress_store.attempt_steps(db, attempt_id)] == [1, 2]
    assert progress_store.unfinished_attempts(db, ana.id) == []
    with pytest.raises(RecordError, match="finished"):
        progress_store.record_step(db, attempt_id, 3, "end", 0, "x", None, None, {})
    other = progress_store.start_scenario_attempt(db, ana.id, "s", "h2", {})
    progress_store.set_attempt_status(db, other, "stale")
    assert [a.status for a in progress_store.scenario_attempts(db, ana.id)] == ["stale", "finished"]


def test_sign_offs_are_by_staff_for_trainees_and_withdrawn_not_deleted(db, people):
    coordinator, trainer, ana, ben = people
    behaviours = {"Reflects feelings": True, "Avoids advice": False}
    sign_off = progress_store.add_sign_off(
        db, ana.id, trainer.id, "active-listening", behaviours, " Good ", date(2025, 3, 4)
    )
    assert (sign_off.note, sign_off.observed_on, sign_off.behaviours) == ("Good", date(2025, 3, 4), behaviours)
    with pytest.raises(PermissionDenied):
        progress_store.add_sign_off(db, ben.id, ana.id, "active-listening", behaviours)
    with pytest.raises(profile_store.AccountError, match="only for trainees"):
        progress_store.add_sign_off(db, trainer.id, coordinator.id, "active-listening", behaviours)
    with pytest.raises(PermissionDenied):
        progress_store.withdraw_sign_off(db, sign_off.id, ana.id)

    withdrawn = progress_store.withdraw_sign_off(db, sign_off.id, coordinator.id, "wrong trainee")
    assert withdrawn.withdrawn_by == coordinator.id and withdrawn.withdrawn_reason == "wrong trainee"
    assert progress_store.sign_offs(db, ana.id) == []
    assert [s.id for s in progress_store.sign_offs(db, ana.id, include_withdrawn=True)] == [sign_off.id]
    actions = [(e.action, e.actor_id) for e in audit.entries(db, entity="sign_off", entity_id=sign_off.id)]
    assert actions == [("withdraw", coordinator.id), ("create", trainer.id)]


def test_erasing_a_trainee_removes_everything_about_them_but_the_certificate_number(db, people):
    coordinator, trainer, ana, ben = people
    for trainee in (ana, ben):
        progress_store.save_lesson_position(db, trainee.id, "m", "l", 0.5, completed=False)
        progress_store.record_quiz_attempt(db, trainee.id, "m", "l", "h", utcnow(), _answers(True), 0.5)
        attempt = progress_store.start_scenario_attempt(db, trainee.id, "s", "h", {})
        progress_store.record_step(db, attempt, 1, "a", 0, "Hi", "b", None, {})
        progress_store.add_sign_off(db, trainee.id, trainer.id, "c", {"b": True})
    preference_store.set_preferences(db, ana.id, {"theme": "dark"}, actor_id=ana.id)  # audited with Ana as the actor
    with db.session() as session:
        session.add(
            Certificate(
                number="HS-2025-0001",
                profile_id=ana.id,
                trainee_name="Ana",
                issued_at=utcnow(),
                issued_by=coordinator.id,
            )
        )

    with db.session() as session:  # erasure is one DELETE: the foreign keys do the rest
        session.execute(Profile.__table__.delete().where(Profile.id == ana.id))

    with db.session() as session:

        def count(model, column):
            return session.scalar(select(func.count()).select_from(model).where(column == ana.id))

        assert count(LessonProgress, LessonProgress.profile_id) == 0
        assert count(QuizAttempt, QuizAttempt.profile_id) == 0
        assert count(ScenarioAttempt, ScenarioAttempt.profile_id) == 0
        assert count(SignOff, SignOff.trainee_id) == 0
        assert session.scalar(select(func.count()).select_from(QuizAnswer)) == 1  # Ben's only
        assert session.scalar(select(func.count()).select_from(ScenarioStep)) == 1
        certificate = session.scalars(select(Certificate)).one()
        assert (certificate.number, certificate.profile_id) == ("HS-2025-0001", None)
        assert count(AuditEntry, AuditEntry.actor_id) == 0  # her own changes stay logged, unattributed
    assert len(progress_store.sign_offs(db, ben.id)) == 1


def test_settings_are_json_and_every_change_is_audited(db, people):
    coordinator = people[0]
    assert settings_store.get_setting(db, "support_contacts", default=[]) == []
    settings_store.set_setting(db, "support_contacts", [{"name": "Nurse", "room": "B2"}], actor_id=coordinator.id)
    settings_store.set_setting(db, "support_contacts", [{"name": "Nurse", "room": "B2"}], actor_id=coordinator.id)
    settings_store.set_setting(db, "support_contacts", [], actor_id=coordinator.id)
    assert settings_store.get_all(db)["support_contacts"] == []
    assert settings_store.get_all(db)["school.name"] == "Hillside School"
    changes = [e.action for e in audit.entries(db, entity="setting", entity_id="support_contacts")]
    assert changes == ["update", "create"]  # the unchanged write left no entry
    with pytest.raises(ValueError, match="JSON"):
        settings_store.set_setting(db, "when", datetime.now(), actor_id=coordinator.id)


def test_times_come_back_in_utc_and_naive_times_are_refused(db, people):
    ana = people[2]
    with pytest.raises(Exception, match="naive"):
        progress_store.record_quiz_attempt(db, ana.id, "m", "l", "h", datetime.now(), _answers(True), 0.5)
    saved = progress_store.save_lesson_position(db, ana.id, "m", "l", 0.2, completed=True)
    assert saved.completed_at.utcoffset() == timedelta(0)
