"""Support check-ins: a certified helper notes, in under a minute, that they supported someone.

What is kept: the kind of support, whether an adult was brought in, how heavy it felt (1 to 5),
whether they want to talk it over with the supervisor, and the day. Never the name of the student
helped nor anything about them: there is no text field at all, so nothing typed can name anyone.

Who sees what: a helper their own entries; staff (Right.SUPERVISE) everyone's; nobody else.
After the school's retention period the entries become monthly counts by kind (no ids) and are
deleted (`apply_retention`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from app.core.errors import TrainingError
from app.core.i18n import _

from . import audit, rights, wellbeing
from .models import CHECKIN_KINDS, Certificate, Profile, SupportCheckIn, SupportCheckInMonth, utcnow

if TYPE_CHECKING:
    from .database import Database

RETENTION_KEY = "checkins.retention_days"  # school_settings.RETENTION_KEY (records import no domain)
DEFAULT_RETENTION_DAYS = 365  # one school year
HEAVY = 4  # a weight of 4 or 5 is a heavy one
WEEK = timedelta(days=7)


class CheckInError(TrainingError):
    """A check-in that cannot be recorded as given."""


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: str
    profile_id: str
    kind: str
    adult_involved: bool
    weight: int | None  # None: not asked (records/wellbeing.py)
    wants_debrief: bool
    logged_on: date
    debrief_done_at: datetime | None


@dataclass(frozen=True, slots=True)
class HelperWeek:
    """The supervisor's line for one helper."""

    profile_id: str
    name: str
    this_week: int  # check-ins in the last seven days
    heaviest: int  # the heaviest of those, 0 when none
    debriefs_waiting: list[str]  # ids of check-ins that asked for a talk, not yet marked done

    @property
    def heavy_week(self) -> bool:
        return self.heaviest >= HEAVY or self.this_week >= 3


def _row(c: SupportCheckIn) -> CheckIn:
    return CheckIn(
        c.id, c.profile_id, c.kind, c.adult_involved, c.weight, c.wants_debrief, c.logged_on, c.debrief_done_at
    )


def log(
    db: Database,
    actor_id: str | None,
    kind: str,
    adult_involved: bool,
    weight: int | None,
    wants_debrief: bool | None,
    today: date | None = None,
) -> CheckIn:
    """The signed-in helper's own check-in (certified helpers only).

    `weight` and `wants_debrief` are about the helper's own wellbeing: a helper younger than the
    school's age for those questions (records/wellbeing.py) is not asked them, so both must be
    None for them, and are refused if given; everyone else answers both.
    """
    if kind not in CHECKIN_KINDS:
        raise CheckInError(_("Choose what kind of support it was: listening, a conflict, or a referral."))
    if not isinstance(adult_involved, bool):
        raise CheckInError(_("Answer yes or no."))
    not_asked = weight is None and wants_debrief is None
    if not not_asked:
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 5:
            raise CheckInError(_("Choose how heavy it felt, from 1 to 5."))
        if not isinstance(wants_debrief, bool):
            raise CheckInError(_("Answer yes or no."))
    with db.session() as session:
        actor = rights.require(session, actor_id, rights.Right.RECORD_OWN_PROGRESS, subject_id=actor_id)
        certified = session.scalar(select(Certificate.id).where(Certificate.profile_id == actor.id).limit(1))
        if certified is None:
            raise CheckInError(_("Check-ins are for certified helpers: they start with your certificate."))
        if wellbeing.asked_in(session, actor):
            if not_asked:
                raise CheckInError(_("Choose how heavy it felt, from 1 to 5, and whether you want to talk it over."))
        elif not not_asked:
            raise CheckInError(
                _(
                    "Helpers younger than the school's age for wellbeing questions are not asked how it felt "
                    "or whether they want to talk it over, so those answers are not kept."
                )
            )
        row = SupportCheckIn(
            profile_id=actor.id,
            kind=kind,
            adult_involved=adult_involved,
            weight=weight,
            wants_debrief=bool(wants_debrief),
            logged_on=today or utcnow().date(),
        )
        session.add(row)
        session.flush()
        return _row(row)


def own(db: Database, actor_id: str | None) -> list[CheckIn]:
    """The helper's own check-ins, newest first."""
    with db.session() as session:
        actor = rights.require(session, actor_id, rights.Right.RECORD_OWN_PROGRESS, subject_id=actor_id)
        query = (
            select(SupportCheckIn)
            .where(SupportCheckIn.profile_id == actor.id)
            .order_by(SupportCheckIn.logged_on.desc(), SupportCheckIn.created_at.desc())
        )
        return [_row(c) for c in session.scalars(query)]


def of_helper(db: Database, actor_id: str | None, profile_id: str) -> list[CheckIn]:
    """One helper's check-ins: the helper themself, or staff who supervise."""
    with db.session() as session:
        if actor_id is None or actor_id != profile_id:
            rights.require(session, actor_id, rights.Right.SUPERVISE)
    return own(db, profile_id) if actor_id == profile_id else _of(db, profile_id)


def _of(db: Database, profile_id: str) -> list[CheckIn]:
    with db.session() as session:
        query = (
            select(SupportCheckIn)
            .where(SupportCheckIn.profile_id == profile_id)
            .order_by(SupportCheckIn.logged_on.desc(), SupportCheckIn.created_at.desc())
        )
        return [_row(c) for c in session.scalars(query)]


def supervision(db: Database, actor_id: str | None, today: date | None = None) -> list[HelperWeek]:
    """Staff's list: every helper with a check-in this week or a debrief waiting; waiting first."""
    today = today or utcnow().date()
    since = today - timedelta(days=6)
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SUPERVISE)
        rows = session.execute(
            select(SupportCheckIn, Profile.display_name)
            .join(Profile, Profile.id == SupportCheckIn.profile_id)
            .where(
                (SupportCheckIn.logged_on >= since)
                | (SupportCheckIn.wants_debrief.is_(True) & SupportCheckIn.debrief_done_at.is_(None))
            )
        ).all()
    by_helper: dict[str, dict] = {}
    for c, name in rows:
        h = by_helper.setdefault(c.profile_id, {"name": name, "week": 0, "heaviest": 0, "waiting": []})
        if c.logged_on >= since:
            h["week"] += 1
            h["heaviest"] = max(h["heaviest"], c.weight or 0)  # None: not asked
        if c.wants_debrief and c.debrief_done_at is None:
            h["waiting"].append(c.id)
    out = [HelperWeek(pid, h["name"], h["week"], h["heaviest"], h["waiting"]) for pid, h in by_helper.items()]
    out.sort(key=lambda h: (not h.debriefs_waiting, not h.heavy_week, h.name.casefold()))
    return out


def mark_debrief_done(db: Database, actor_id: str | None, checkin_ids: list[str]) -> int:
    """Staff mark that they talked it over; returns how many check-ins were marked."""
    ids = [i for i in checkin_ids if isinstance(i, str) and len(i) <= 36][:500]
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SUPERVISE)
        now = utcnow()
        rows = session.scalars(
            select(SupportCheckIn).where(SupportCheckIn.id.in_(ids), SupportCheckIn.debrief_done_at.is_(None))
        ).all()
        for c in rows:
            c.debrief_done_at = now
            c.debrief_done_by = actor_id
        if rows:
            audit.record(session, actor_id, "debrief", "support_checkin", rows[0].id, {"count": len(rows)})
        return len(rows)


def apply_retention(db: Database, actor_id: str | None, days: int, today: date | None = None) -> int:
    """Turn check-ins older than `days` into monthly counts by kind, then delete them; how many went."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        days = DEFAULT_RETENTION_DAYS
    cutoff = (today or utcnow().date()) - timedelta(days=days)
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SUPERVISE)
        old = session.scalars(select(SupportCheckIn).where(SupportCheckIn.logged_on < cutoff)).all()
        if not old:
            return 0
        counts: Counter = Counter()
        for c in old:
            key = (c.logged_on.strftime("%Y-%m"), c.kind)
            counts[key + ("count",)] += 1
            counts[key + ("adult",)] += c.adult_involved
            counts[key + ("heavy",)] += (c.weight or 0) >= HEAVY  # None: not asked
        for month, kind in {(m, k) for m, k, _what in counts}:
            row = session.scalar(
                select(SupportCheckInMonth).where(SupportCheckInMonth.month == month, SupportCheckInMonth.kind == kind)
            )
            if row is None:
                row = SupportCheckInMonth(month=month, kind=kind, count=0, adult_involved=0, heavy=0)
                session.add(row)
            row.count += counts[(month, kind, "count")]
            row.adult_involved += counts[(month, kind, "adult")]
            row.heavy += counts[(month, kind, "heavy")]
        session.execute(delete(SupportCheckIn).where(SupportCheckIn.id.in_([c.id for c in old])))
        audit.record(session, actor_id, "aggregate", "support_checkin", None, {"count": len(old)})
        return len(old)


def monthly_counts(db: Database, actor_id: str | None) -> dict[str, dict[str, int]]:
    """month (YYYY-MM) -> kind -> count: the kept counts plus the entries still held (staff only)."""
    out: dict[str, dict[str, int]] = {}
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SUPERVISE)
        for month, kind, count in session.execute(
            select(SupportCheckInMonth.month, SupportCheckInMonth.kind, SupportCheckInMonth.count)
        ):
            out.setdefault(month, {}).setdefault(kind, 0)
            out[month][kind] += count
        for logged_on, kind in session.execute(select(SupportCheckIn.logged_on, SupportCheckIn.kind)):
            month = logged_on.strftime("%Y-%m")
            out.setdefault(month, {}).setdefault(kind, 0)
            out[month][kind] += 1
    return dict(sorted(out.items()))


def helpers_logging(db: Database, actor_id: str | None) -> int:
    """How many helpers have check-ins still held (for withholding small groups in the report)."""
    from sqlalchemy import func

    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SUPERVISE)
        return int(session.scalar(select(func.count(func.distinct(SupportCheckIn.profile_id)))) or 0)
