"""A trainee's training record: lesson progress, knowledge checks, role-plays, sign-offs.

Every function takes the trainee's profile id; the UI passes only the signed-in trainee's
own id (or, for staff, one they may see: profile_store.can_view_records). Results are plain
dataclasses, never ORM objects, so they can cross threads and outlive the session.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import TrainingError
from app.core.i18n import _

from . import audit, rights
from .models import (
    ABANDONED,
    ATTEMPT_STATUSES,
    COORDINATOR,
    FINISHED,
    IN_PROGRESS,
    TRAINEE,
    Profile,
    QuizAnswer,
    QuizAttempt,
    ScenarioAttempt,
    ScenarioStep,
    SignOff,
    utcnow,
)
from .models import LessonProgress as LessonProgressRow
from .profile_store import AccountError, PermissionDenied

if TYPE_CHECKING:
    from .database import Database


class RecordError(TrainingError):
    """A record that cannot be written as asked (unknown or finished attempt, repeated step)."""


@dataclass(frozen=True, slots=True)
class LessonProgress:
    position: float  # 0..1 through the lesson
    completed_at: datetime | None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    question_index: int
    question_text: str
    given: Any  # JSON: the option index(es) or text chosen
    correct: bool
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class QuizAttemptSummary:
    id: str
    module_id: str
    lesson_id: str
    finished_at: datetime
    correct: int
    total: int
    score: float
    passed: bool
    pass_mark: float
    content_hash: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class ScenarioAttemptSummary:
    id: str
    scenario_id: str
    content_hash: str
    status: str
    state: dict[str, Any]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    ending: str | None
    outcome: str | None
    passed: bool | None
    scores: dict[str, Any] | None
    profile_id: str = ""  # whose attempt it is


@dataclass(frozen=True, slots=True)
class StepRecord:
    seq: int
    node_id: str
    choice_index: int | None
    choice_text: str | None
    target: str | None
    effects: Any
    at: datetime


@dataclass(frozen=True, slots=True)
class SignOffRecord:
    id: str
    trainee_id: str
    trainer_id: str | None
    competency_id: str
    behaviours: dict[str, bool]
    note: str
    observed_on: date
    created_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str | None


def _json_object(state: dict[str, Any] | str, what: str = "state") -> dict[str, Any]:
    """Accept the engine's state as a dict or as JSON text; store it as a JSON object."""
    value = json.loads(state) if isinstance(state, str) else state
    if not isinstance(value, dict):
        raise RecordError(f"the {what} must be a JSON object")
    json.dumps(value, allow_nan=False)  # fail here, not half-way through a commit
    return value


# --- lessons ---------------------------------------------------------------------------


def save_lesson_position(
    db: Database, profile_id: str, module_id: str, lesson_id: str, position: float, completed: bool
) -> LessonProgress:
    """Remember how far a trainee read. Once completed, a lesson stays completed."""
    if math.isnan(position):
        raise RecordError("the position is not a number")
    position = min(1.0, max(0.0, float(position)))  # scroll positions overshoot a little
    query = select(LessonProgressRow).where(
        LessonProgressRow.profile_id == profile_id,
        LessonProgressRow.module_id == module_id,
        LessonProgressRow.lesson_id == lesson_id,
    )
    with db.session() as session:
        row = session.scalars(query).one_or_none()
        if row is None:
            row = LessonProgressRow(profile_id=profile_id, module_id=module_id, lesson_id=lesson_id)
            session.add(row)
        row.position = position
        if completed and row.completed_at is None:
            row.completed_at = utcnow()
        session.flush()
        return LessonProgress(row.position, row.completed_at, row.updated_at)


def lesson_progress(db: Database, profile_id: str) -> dict[tuple[str, str], LessonProgress]:
    query = select(LessonProgressRow).where(LessonProgressRow.profile_id == profile_id)
    with db.session() as session:
        return {
            (r.module_id, r.lesson_id): LessonProgress(r.position, r.completed_at, r.updated_at)
            for r in session.scalars(query)
        }


def has_started(db: Database, profile_id: str) -> bool:
    """True once the person has opened a lesson, tried a knowledge check or started a role-play:
    one query, where reading their whole record takes four."""
    query = select(
        or_(
            exists().where(LessonProgressRow.profile_id == profile_id),
            exists().where(QuizAttempt.profile_id == profile_id),
            exists().where(ScenarioAttempt.profile_id == profile_id),
        )
    )
    with db.session() as session:
        return bool(session.scalar(query))


# --- knowledge checks ------------------------------------------------------------------


def _quiz_summary(a: QuizAttempt) -> QuizAttemptSummary:
    return QuizAttemptSummary(
        a.id,
        a.module_id,
        a.lesson_id,
        a.finished_at,
        a.correct,
        a.total,
        a.score,
        a.passed,
        a.pass_mark,
        a.content_hash,
        a.started_at,
    )


def record_quiz_attempt(
    db: Database,
    profile_id: str,
    module_id: str,
    lesson_id: str,
    content_hash: str,
    started_at: datetime,
    answers: list[AnswerRecord],
    pass_mark: float,
) -> QuizAttemptSummary:
    """A finished knowledge check and all its answers, in one transaction.

    `pass_mark` is a fraction (0..1) or a percentage (values above 1, up to 100, as the
    program's settings give it); it is stored as a fraction, like `score`.
    """
    if not answers:
        raise RecordError("a knowledge check attempt needs at least one answer")
    if pass_mark > 1:
        pass_mark = pass_mark / 100
    if not 0.0 <= pass_mark <= 1.0:
        raise RecordError("the pass mark must be a fraction 0..1 or a percentage up to 100")
    indexes = [a.question_index for a in answers]
    if len(set(indexes)) != len(indexes):
        raise RecordError("a question is answered twice in one attempt")
    correct = sum(1 for a in answers if a.correct)
    score = correct / len(answers)
    attempt = QuizAttempt(
        profile_id=profile_id,
        module_id=module_id,
        lesson_id=lesson_id,
        content_hash=content_hash,
        started_at=started_at,
        finished_at=utcnow(),
        correct=correct,
        total=len(answers),
        score=score,
        pass_mark=pass_mark,
        passed=score + 1e-9 >= pass_mark,  # 2/3 against a mark of 0.6667 written as a fraction
    )
    with db.session() as session:
        session.add(attempt)
        session.flush()
        session.add_all(
            QuizAnswer(
                attempt_id=attempt.id,
                question_index=a.question_index,
                question_text=a.question_text,
                given=a.given,
                correct=bool(a.correct),
                answered_at=a.answered_at,
            )
            for a in answers
        )
        return _quiz_summary(attempt)


def quiz_attempts(db: Database, profile_id: str) -> list[QuizAttemptSummary]:
    """Oldest first."""
    query = select(QuizAttempt).where(QuizAttempt.profile_id == profile_id).order_by(QuizAttempt.finished_at)
    with db.session() as session:
        return [_quiz_summary(a) for a in session.scalars(query)]


def quiz_answers(db: Database, attempt_id: str) -> list[AnswerRecord]:
    query = select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id).order_by(QuizAnswer.question_index)
    with db.session() as session:
        return [
            AnswerRecord(a.question_index, a.question_text, a.given, a.correct, a.answered_at)
            for a in session.scalars(query)
        ]


# --- role-play scenarios ---------------------------------------------------------------


def _scenario_summary(a: ScenarioAttempt) -> ScenarioAttemptSummary:
    return ScenarioAttemptSummary(
        a.id,
        a.scenario_id,
        a.content_hash,
        a.status,
        a.state,
        a.started_at,
        a.updated_at,
        a.finished_at,
        a.ending,
        a.outcome,
        a.passed,
        a.scores,
        a.profile_id,
    )


def start_scenario_attempt(
    db: Database, profile_id: str, scenario_id: str, content_hash: str, state_json: dict[str, Any] | str
) -> str:
    """A new run, saved before the first choice; returns its id."""
    attempt = ScenarioAttempt(
        profile_id=profile_id,
        scenario_id=scenario_id,
        content_hash=content_hash,
        status=IN_PROGRESS,
        state=_json_object(state_json),
    )
    with db.session() as session:
        session.add(attempt)
    return attempt.id


def _open_attempt(session: Session, attempt_id: str) -> ScenarioAttempt:
    attempt = session.get(ScenarioAttempt, attempt_id)
    if attempt is None:
        raise RecordError(f"no scenario attempt {attempt_id}")
    if attempt.status != IN_PROGRESS:
        raise RecordError(f"the scenario attempt is {attempt.status}, not in progress")
    return attempt


def record_step(
    db: Database,
    attempt_id: str,
    seq: int,
    node_id: str,
    choice_index: int | None,
    choice_text: str | None,
    target: str | None,
    effects: Any,
    state_json: dict[str, Any] | str,
) -> None:
    """One choice, and the run's new state, committed together in their own transaction.

    After this returns the step is on disk (WAL, synchronous=FULL): a power cut loses nothing.
    A step number already recorded raises RecordError and changes nothing.
    """
    state = _json_object(state_json)
    json.dumps(effects, allow_nan=False)
    try:
        with db.session() as session:
            attempt = _open_attempt(session, attempt_id)
            session.add(
                ScenarioStep(
                    attempt_id=attempt_id,
                    seq=seq,
                    node_id=node_id,
                    choice_index=choice_index,
                    choice_text=choice_text,
                    target=target,
                    effects=effects,
                )
            )
            attempt.state = state
            attempt.updated_at = utcnow()
    except IntegrityError as exc:
        raise RecordError(f"step {seq} of this attempt is already recorded") from exc


def finish_scenario_attempt(
    db: Database,
    attempt_id: str,
    ending: str | None,
    outcome: str | None,
    passed: bool | None,
    scores: dict[str, Any] | None,
    state_json: dict[str, Any] | str,
) -> ScenarioAttemptSummary:
    state = _json_object(state_json)
    with db.session() as session:
        attempt = _open_attempt(session, attempt_id)
        attempt.status = FINISHED
        attempt.finished_at = utcnow()
        attempt.ending = ending
        attempt.outcome = outcome
        attempt.passed = passed
        attempt.scores = dict(scores) if scores is not None else None
        attempt.state = state
        session.flush()
        return _scenario_summary(attempt)


def set_attempt_status(db: Database, attempt_id: str, status: str) -> None:
    """Mark an unfinished run abandoned (the trainee gave up) or stale (its content changed)."""
    if status not in ATTEMPT_STATUSES or status in (IN_PROGRESS, FINISHED):
        raise RecordError(f"an unfinished attempt can only become {ABANDONED!r} or 'stale'")
    with db.session() as session:
        _open_attempt(session, attempt_id).status = status


def unfinished_attempts(db: Database, profile_id: str) -> list[ScenarioAttemptSummary]:
    """Runs to offer for resuming, the most recently played first."""
    return _attempts(db, profile_id, only_unfinished=True)


def scenario_attempts(db: Database, profile_id: str) -> list[ScenarioAttemptSummary]:
    """Every run, the most recently played first."""
    return _attempts(db, profile_id, only_unfinished=False)


def _attempts(db: Database, profile_id: str, only_unfinished: bool) -> list[ScenarioAttemptSummary]:
    query = (
        select(ScenarioAttempt)
        .where(ScenarioAttempt.profile_id == profile_id)
        .order_by(ScenarioAttempt.updated_at.desc())
    )
    if only_unfinished:
        query = query.where(ScenarioAttempt.status == IN_PROGRESS)
    with db.session() as session:
        return [_scenario_summary(a) for a in session.scalars(query)]


def get_attempt(db: Database, attempt_id: str) -> ScenarioAttemptSummary:
    with db.session() as session:
        attempt = session.get(ScenarioAttempt, attempt_id)
        if attempt is None:
            raise RecordError(f"no scenario attempt {attempt_id}")
        return _scenario_summary(attempt)


def attempt_steps(db: Database, attempt_id: str) -> list[StepRecord]:
    query = select(ScenarioStep).where(ScenarioStep.attempt_id == attempt_id).order_by(ScenarioStep.seq)
    with db.session() as session:
        return [
            StepRecord(s.seq, s.node_id, s.choice_index, s.choice_text, s.target, s.effects, s.at)
            for s in session.scalars(query)
        ]


# --- trainer sign-offs -----------------------------------------------------------------


def _sign_off_record(s: SignOff) -> SignOffRecord:
    return SignOffRecord(
        s.id,
        s.trainee_id,
        s.trainer_id,
        s.competency_id,
        s.behaviours,
        s.note,
        s.observed_on,
        s.created_at,
        s.withdrawn_at,
        s.withdrawn_by,
        s.withdrawn_reason,
    )


def add_sign_off(
    db: Database,
    trainee_id: str,
    trainer_id: str,
    competency_id: str,
    behaviours: dict[str, bool],
    note: str = "",
    observed_on: date | None = None,
) -> SignOffRecord:
    """A trainer's record of a competency observed in a live role-play; audited."""
    if not behaviours or not all(isinstance(k, str) and isinstance(v, bool) for k, v in behaviours.items()):
        raise RecordError("behaviours must map each behaviour's text to observed true/false")
    with db.session() as session:
        rights.require(session, trainer_id, rights.Right.SIGN_OFF)
        trainee = session.get(Profile, trainee_id)
        if trainee is None or trainee.role != TRAINEE:
            raise AccountError(_("Sign-offs are only for trainees."))
        sign_off = SignOff(
            trainee_id=trainee_id,
            trainer_id=trainer_id,
            competency_id=competency_id,
            behaviours=dict(behaviours),
            note=note.strip(),
            observed_on=observed_on or utcnow().date(),
        )
        session.add(sign_off)
        session.flush()
        audit.record(session, trainer_id, "create", "sign_off", sign_off.id, {"competency": competency_id})
        return _sign_off_record(sign_off)


def withdraw_sign_off(db: Database, sign_off_id: str, actor_id: str, reason: str = "") -> SignOffRecord:
    """Withdraw (never delete) a sign-off, keeping who did it and why; audited."""
    with db.session() as session:
        actor = rights.require(session, actor_id, rights.Right.SIGN_OFF)
        sign_off = session.get(SignOff, sign_off_id)
        if sign_off is None:
            raise RecordError(f"no sign-off {sign_off_id}")
        if actor.role != COORDINATOR and sign_off.trainer_id != actor_id:
            raise PermissionDenied(_("A trainer can withdraw only their own sign-offs; ask a coordinator."))
        if sign_off.withdrawn_at is not None:
            raise AccountError(_("This sign-off is already withdrawn."))
        sign_off.withdrawn_at = utcnow()
        sign_off.withdrawn_by = actor_id
        sign_off.withdrawn_reason = reason.strip() or None
        session.flush()
        audit.record(session, actor_id, "withdraw", "sign_off", sign_off_id)
        return _sign_off_record(sign_off)


def sign_offs(db: Database, trainee_id: str, include_withdrawn: bool = False) -> list[SignOffRecord]:
    query = select(SignOff).where(SignOff.trainee_id == trainee_id).order_by(SignOff.observed_on, SignOff.created_at)
    if not include_withdrawn:
        query = query.where(SignOff.withdrawn_at.is_(None))
    with db.session() as session:
        return [_sign_off_record(s) for s in session.scalars(query)]
