"""The schema for the whole mission, as SQLAlchemy 2 typed models.

Portability rules (SQLite today, PostgreSQL later):
- ids are UUID text (String(36)) so rows made on different laptops merge without clashes;
- every mergeable row has `created_at` and `updated_at` (timezone-aware UTC);
- JSON columns use the generic `JSON` type;
- everything about a trainee hangs off `profiles.id` with ON DELETE CASCADE, so erasing a
  trainee is one DELETE; certificates keep their number (profile_id SET NULL).

There are deliberately no ORM relationships: the database enforces the cascades, and a
mapper without relationships configures faster at start-up.

Any change here needs a new migration in migrations/versions/ (a test compares them).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TRAINEE = "trainee"
TRAINER = "trainer"
COORDINATOR = "coordinator"
ROLES = (TRAINEE, TRAINER, COORDINATOR)

IN_PROGRESS = "in_progress"
FINISHED = "finished"
ABANDONED = "abandoned"
STALE = "stale"  # the scenario's content changed since the attempt started
ATTEMPT_STATUSES = (IN_PROGRESS, FINISHED, ABANDONED, STALE)

NAME_MAX = 80
SCHOOL_NAME_MAX = 120
NOTE_MAX = 40  # a profile's note: "Year 9, tall", "Maths set 2"
ID_MAX = 100  # module, lesson, scenario, node and competency ids from content files

# Named constraints let later batch migrations on SQLite find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on every backend.

    SQLite has no time zone type and hands back naive values; this stores UTC and reattaches
    the zone on the way out. Naive values are refused: they are always a bug here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _uuid_pk() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


def _fk(target: str, ondelete: str, nullable: bool = False) -> Mapped[Any]:
    return mapped_column(String(36), ForeignKey(f"{target}.id", ondelete=ondelete), nullable=nullable, index=True)


def _profile_fk(ondelete: str, nullable: bool = False) -> Mapped[Any]:
    return _fk("profiles", ondelete, nullable)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Stamped:
    """Created/updated times that record-bundle merges compare."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Profile(Stamped, Base):
    __tablename__ = "profiles"
    __table_args__ = (CheckConstraint("role IN ('trainee', 'trainer', 'coordinator')", name="role"),)

    id: Mapped[str] = _uuid_pk()
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    role: Mapped[str] = mapped_column(String(12), index=True)
    group_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    # Tells apart two people with the same name in one group; None: no note (migration 0004).
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    # "scrypt$<log2 N>$<r>$<p>$<salt>$<hash>"; None: a trainee without a PIN.
    secret_hash: Mapped[str | None] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # text size, theme, speech rate, tour_done, ...
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Setting(Base):
    """School-wide settings and this laptop's own id (key "device_id"). Not merged."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)


class LessonProgress(Stamped, Base):
    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("profile_id", "module_id", "lesson_id"),
        CheckConstraint("position >= 0 AND position <= 1", name="position"),
    )

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    module_id: Mapped[str] = mapped_column(String(ID_MAX))
    lesson_id: Mapped[str] = mapped_column(String(ID_MAX))
    position: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1 through the lesson
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizAttempt(Stamped, Base):
    __tablename__ = "quiz_attempts"

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    module_id: Mapped[str] = mapped_column(String(ID_MAX))
    lesson_id: Mapped[str] = mapped_column(String(ID_MAX))
    content_hash: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)  # 0..1
    pass_mark: Mapped[float] = mapped_column(Float)  # 0..1
    passed: Mapped[bool] = mapped_column(Boolean)


class QuizAnswer(Stamped, Base):
    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_index"),)

    id: Mapped[str] = _uuid_pk()
    attempt_id: Mapped[str] = _fk("quiz_attempts", "CASCADE")
    question_index: Mapped[int] = mapped_column(Integer)
    question_text: Mapped[str] = mapped_column(Text)  # kept: the lesson may change later
    given: Mapped[Any] = mapped_column(JSON, nullable=True)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScenarioAttempt(Stamped, Base):
    __tablename__ = "scenario_attempts"
    __table_args__ = (CheckConstraint("status IN ('in_progress', 'finished', 'abandoned', 'stale')", name="status"),)

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    scenario_id: Mapped[str] = mapped_column(String(ID_MAX))
    content_hash: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(12), default=IN_PROGRESS)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)  # the engine's whole run, to resume
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ending: Mapped[str | None] = mapped_column(String(ID_MAX))
    outcome: Mapped[str | None] = mapped_column(String(40))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ScenarioStep(Stamped, Base):
    __tablename__ = "scenario_steps"
    # One row per seq: a retried save cannot record the same step twice.
    __table_args__ = (UniqueConstraint("attempt_id", "seq"),)

    id: Mapped[str] = _uuid_pk()
    attempt_id: Mapped[str] = _fk("scenario_attempts", "CASCADE")
    seq: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(ID_MAX))
    choice_index: Mapped[int | None] = mapped_column(Integer)
    choice_text: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(String(ID_MAX))
    effects: Mapped[Any] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignOff(Stamped, Base):
    __tablename__ = "sign_offs"

    id: Mapped[str] = _uuid_pk()
    trainee_id: Mapped[str] = _profile_fk("CASCADE")
    # Staff ids go NULL rather than block or cascade if a staff profile is ever deleted.
    trainer_id: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)
    competency_id: Mapped[str] = mapped_column(String(ID_MAX))
    behaviours: Mapped[dict[str, bool]] = mapped_column(JSON)  # behaviour text -> observed
    note: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[date] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Certificate(Stamped, Base):
    __tablename__ = "certificates"

    id: Mapped[str] = _uuid_pk()
    number: Mapped[str] = mapped_column(String(40), unique=True)
    # Erasing a trainee keeps the number (so a verifier can say "withdrawn") and nothing else.
    profile_id: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)
    trainee_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signature: Mapped[str | None] = mapped_column(Text)  # Ed25519 over the payload, base64
    # None: valid with no limit (the school's setting when it was issued).
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A renewal issues a new number; the old certificate stays verifiable, marked as superseded.
    superseded_by: Mapped[str | None] = mapped_column(String(40))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PairedLaptop(Base):
    """A laptop whose record bundles this one accepts: paired by a coordinator who compared the
    fingerprint shown on both screens (exchange/trust.py). This laptop's own business: not merged."""

    __tablename__ = "paired_laptops"

    public_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # raw Ed25519 key, base64
    fingerprint: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[str] = mapped_column(String(36))
    school_id: Mapped[str] = mapped_column(String(36))
    school_name: Mapped[str] = mapped_column(String(SCHOOL_NAME_MAX))
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paired_by: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)


class AuditEntry(Stamped, Base):
    """Who changed what. Details hold ids and field names, not trainees' names."""

    __tablename__ = "audit_log"

    id: Mapped[str] = _uuid_pk()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(100), index=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RefresherCard(Stamped, Base):
    """One knowledge-check item in a certified helper's refresher queue, scheduled by FSRS.

    `card` is the fsrs package's own Card as a dict (stability, difficulty, state...); `due` is
    copied out of it so that the queue is one indexed query.
    """

    __tablename__ = "refresher_cards"
    __table_args__ = (UniqueConstraint("profile_id", "item_key"),)

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    item_key: Mapped[str] = mapped_column(String(ID_MAX * 2 + 12))  # module:lesson:question index
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)


class RefresherReview(Stamped, Base):
    """One answer given in a refresher, recorded as it is given (like every other step)."""

    __tablename__ = "refresher_reviews"
    __table_args__ = (CheckConstraint("rating >= 1 AND rating <= 4", name="rating"),)

    id: Mapped[str] = _uuid_pk()
    card_id: Mapped[str] = _fk("refresher_cards", "CASCADE")
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    item_key: Mapped[str] = mapped_column(String(ID_MAX * 2 + 12))
    correct: Mapped[bool] = mapped_column(Boolean)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


CHECKIN_KINDS = ("listening", "conflict", "referral")


class SupportCheckIn(Stamped, Base):
    """A certified helper's note that they supported someone: never who, never what was said.

    There is deliberately no text column: nothing here can name or describe the student helped.
    Seen only by the helper and by staff (rights.Right.SUPERVISE); aggregated into
    SupportCheckInMonth and deleted after the school's retention period.
    """

    __tablename__ = "support_checkins"
    __table_args__ = (
        CheckConstraint("kind IN ('listening', 'conflict', 'referral')", name="kind"),
        CheckConstraint("weight >= 1 AND weight <= 5", name="weight"),
    )

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    kind: Mapped[str] = mapped_column(String(12))
    adult_involved: Mapped[bool] = mapped_column(Boolean)
    # How heavy it felt, 1 (light) to 5 (very heavy); None: not asked (a helper younger than the
    # school's age for wellbeing questions is asked nothing about their own wellbeing).
    weight: Mapped[int | None] = mapped_column(Integer)
    wants_debrief: Mapped[bool] = mapped_column(Boolean)
    logged_on: Mapped[date] = mapped_column(Date, index=True)  # the day only
    debrief_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    debrief_done_by: Mapped[str | None] = _profile_fk("SET NULL", nullable=True)


class SupportCheckInMonth(Stamped, Base):
    """Check-ins past the retention period, as counts: a month and a kind, nobody's id."""

    __tablename__ = "support_checkin_months"
    __table_args__ = (
        UniqueConstraint("month", "kind"),
        CheckConstraint("kind IN ('listening', 'conflict', 'referral')", name="kind"),
    )

    id: Mapped[str] = _uuid_pk()
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    kind: Mapped[str] = mapped_column(String(12))
    count: Mapped[int] = mapped_column(Integer, default=0)
    adult_involved: Mapped[int] = mapped_column(Integer, default=0)
    heavy: Mapped[int] = mapped_column(Integer, default=0)  # weight 4 or 5


CONFIDENCE_MOMENTS = ("before", "after", "renewal")


class ConfidenceRating(Stamped, Base):
    """A trainee's own confidence in one competency, 1 to 5: before the first module, after the
    certificate, and at renewal. About the skills only, never about their wellbeing."""

    __tablename__ = "confidence_ratings"
    __table_args__ = (
        UniqueConstraint("profile_id", "moment", "competency_id"),
        CheckConstraint("moment IN ('before', 'after', 'renewal')", name="moment"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating"),
    )

    id: Mapped[str] = _uuid_pk()
    profile_id: Mapped[str] = _profile_fk("CASCADE")
    moment: Mapped[str] = mapped_column(String(12))
    competency_id: Mapped[str] = mapped_column(String(ID_MAX))
    rating: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyAnswer(Stamped, Base):
    """One end-of-course feedback answer, kept WITHOUT the trainee's id (only the month), and shown
    only in aggregate where at least 5 answers exist. The trainee's profile only notes that they
    answered (preferences "survey_answered"), so nobody is asked twice."""

    __tablename__ = "survey_answers"

    id: Mapped[str] = _uuid_pk()
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    ratings: Mapped[dict[str, int]] = mapped_column(JSON)  # item key -> 1..5
    comment: Mapped[str | None] = mapped_column(Text)  # "What would you change?"
