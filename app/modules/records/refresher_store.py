"""Refreshers: a certified helper's knowledge-check items, scheduled by FSRS, reviewed step by step.

The schedule is the `fsrs` package's (the scheduler Anki uses), not a rule of our own: each item
has an fsrs `Card`, stored as its dict, and every answer is one `Scheduler.review_card`, committed
with its review row in its own transaction. An item the helper has never reviewed has no row yet:
it counts as due from the day of their first certificate, as a new fsrs card is due at once,
but only NEW_PER_WEEK of them join the queue in any seven days. The queue is the reviewed items
that are due, in FSRS order (the longest overdue first), then new items in the programme's order.

Only the helper themself answers their refreshers (a coordinator cannot answer for them); staff
who may see the cohort read how each helper is keeping up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler
from sqlalchemy import func, select

from app.core.errors import PermissionDenied, TrainingError
from app.core.i18n import _

from . import rights
from .models import ID_MAX, Certificate, RefresherCard, RefresherReview, utcnow

if TYPE_CHECKING:
    from .database import Database

ITEM_KEY_MAX = ID_MAX * 2 + 12
RECENT = timedelta(days=28)  # "keeping up": reviews in the last four weeks
WEEK = timedelta(days=7)
# Items never reviewed join the queue a few at a time: a helper certified today meets ten
# questions this week, not the programme's two hundred. Reviews FSRS says are due always come.
NEW_PER_WEEK = 10

# No learning steps: these items were learnt for the certificate, so a first right answer goes
# straight to a review interval of days, and a wrong one comes back the next day rather than in
# ten minutes. No fuzzing: two helpers with the same answers get the same days, and tests repeat.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


class RefresherError(TrainingError):
    """A refresher answer that cannot be recorded as asked."""


@dataclass(frozen=True, slots=True)
class DueItem:
    item_key: str
    due: datetime
    reviews: int  # 0: never reviewed since the certificate


@dataclass(frozen=True, slots=True)
class ReviewResult:
    item_key: str
    correct: bool
    rating: int
    next_due: datetime


@dataclass(frozen=True, slots=True)
class KeepingUp:
    profile_id: str
    certified: bool
    due_now: int
    reviewed_recently: int  # answers in the last four weeks
    last_review: datetime | None


def certified_since(db: Database, profile_id: str) -> datetime | None:
    """When the helper's first certificate was issued; None if they have none."""
    with db.session() as session:
        return _certified_since(session, profile_id)


def _certified_since(session, profile_id: str) -> datetime | None:
    return session.scalar(select(func.min(Certificate.issued_at)).where(Certificate.profile_id == profile_id))


def queue(
    db: Database, profile_id: str, item_keys: Sequence[str], now: datetime | None = None, limit: int | None = None
) -> list[DueItem]:
    """The items due now: reviewed ones in FSRS order (longest overdue first), then new ones."""
    now = now or utcnow()
    with db.session() as session:
        since = _certified_since(session, profile_id)
        if since is None:
            return []
        rows = {
            r.item_key: r for r in session.scalars(select(RefresherCard).where(RefresherCard.profile_id == profile_id))
        }
        allowance = max(0, NEW_PER_WEEK - _new_this_week(session, [profile_id], now).get(profile_id, 0))
    items = _due_items(item_keys, rows, since, now, allowance)
    return items if limit is None else items[: max(0, limit)]


def _due_items(item_keys: Sequence[str], rows: dict, since: datetime, now: datetime, allowance: int) -> list[DueItem]:
    reviewed: list[tuple[datetime, int, DueItem]] = []
    new: list[DueItem] = []
    for order, key in enumerate(item_keys):
        row = rows.get(key)
        if row is None:
            if len(new) < allowance and since <= now:
                new.append(DueItem(key, since, 0))
        elif row.due <= now:
            reviewed.append((row.due, order, DueItem(key, row.due, row.reviews)))
    reviewed.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in reviewed] + new


def _new_this_week(session, profile_ids: list[str], now: datetime) -> dict[str, int]:
    """Per helper: items whose first review was in the seven days up to `now`."""
    first = (
        select(RefresherReview.profile_id, func.min(RefresherReview.reviewed_at).label("first"))
        .where(RefresherReview.profile_id.in_(profile_ids))
        .group_by(RefresherReview.card_id, RefresherReview.profile_id)
        .subquery()
    )
    query = (
        select(first.c.profile_id, func.count())
        .where(first.c.first > now - WEEK, first.c.first <= now)
        .group_by(first.c.profile_id)
    )
    return {pid: int(n) for pid, n in session.execute(query)}


def review(
    db: Database, actor_id: str | None, profile_id: str, item_key: str, correct: bool, now: datetime | None = None
) -> ReviewResult:
    """Record one answer and move the item on the helper's FSRS schedule, in one transaction."""
    now = now or utcnow()
    if not isinstance(item_key, str) or not 0 < len(item_key) <= ITEM_KEY_MAX:
        raise RefresherError(_("This refresher item is not one the program knows."))
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.RECORD_OWN_PROGRESS, subject_id=profile_id)
        if actor_id != profile_id:
            raise PermissionDenied(_("Only the helper can answer their own refreshers."))
        since = _certified_since(session, profile_id)
        if since is None:
            raise RefresherError(_("Refreshers start once you have your certificate."))
        row = session.scalar(
            select(RefresherCard).where(RefresherCard.profile_id == profile_id, RefresherCard.item_key == item_key)
        )
        if row is None:
            card = Card(card_id=int(now.timestamp() * 1000), due=since)
            row = RefresherCard(profile_id=profile_id, item_key=item_key, card=card.to_dict(), due=since, reviews=0)
            session.add(row)
            session.flush()
        else:
            card = Card.from_dict(row.card)
        rating = Rating.Good if correct else Rating.Again
        card, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
        row.card = card.to_dict()
        row.due = card.due
        row.reviews = row.reviews + 1
        session.add(
            RefresherReview(
                card_id=row.id,
                profile_id=profile_id,
                item_key=item_key,
                correct=bool(correct),
                rating=int(rating),
                reviewed_at=now,
            )
        )
        return ReviewResult(item_key, bool(correct), int(rating), card.due)


def keeping_up(
    db: Database, profile_ids: Iterable[str], item_keys: Sequence[str], now: datetime | None = None
) -> dict[str, KeepingUp]:
    """For each helper: items due now and answers in the last four weeks (staff's view)."""
    now = now or utcnow()
    ids = list(profile_ids)
    out: dict[str, KeepingUp] = {}
    if not ids:
        return out
    with db.session() as session:
        since = dict(
            session.execute(
                select(Certificate.profile_id, func.min(Certificate.issued_at))
                .where(Certificate.profile_id.in_(ids))
                .group_by(Certificate.profile_id)
            ).all()
        )
        cards: dict[str, dict[str, RefresherCard]] = {}
        for row in session.scalars(select(RefresherCard).where(RefresherCard.profile_id.in_(ids))):
            cards.setdefault(row.profile_id, {})[row.item_key] = row
        recent = dict(
            session.execute(
                select(RefresherReview.profile_id, func.count())
                .where(RefresherReview.profile_id.in_(ids), RefresherReview.reviewed_at >= now - RECENT)
                .group_by(RefresherReview.profile_id)
            ).all()
        )
        last = dict(
            session.execute(
                select(RefresherReview.profile_id, func.max(RefresherReview.reviewed_at))
                .where(RefresherReview.profile_id.in_(ids))
                .group_by(RefresherReview.profile_id)
            ).all()
        )
        new_this_week = _new_this_week(session, ids, now)
    for pid in ids:
        if pid not in since:
            out[pid] = KeepingUp(pid, False, 0, 0, None)
            continue
        allowance = max(0, NEW_PER_WEEK - new_this_week.get(pid, 0))
        due_now = len(_due_items(item_keys, cards.get(pid, {}), since[pid], now, allowance))
        out[pid] = KeepingUp(pid, True, due_now, int(recent.get(pid, 0)), last.get(pid))
    return out


def answered_since(db: Database, since: dict[str, datetime]) -> dict[str, int]:
    """profile id -> refresher answers given after the time given for them (their last certificate)."""
    out = dict.fromkeys(since, 0)
    if not since:
        return out
    with db.session() as session:
        query = select(RefresherReview.profile_id, RefresherReview.reviewed_at).where(
            RefresherReview.profile_id.in_(list(since))
        )
        for pid, at in session.execute(query):
            if at > since[pid]:
                out[pid] += 1
    return out


def all_reviews(db: Database) -> list[tuple[str, datetime, bool]]:
    """(helper id, when, right) for every refresher answer: the programme report's figures."""
    with db.session() as session:
        query = select(RefresherReview.profile_id, RefresherReview.reviewed_at, RefresherReview.correct)
        return [(pid, at, bool(ok)) for pid, at, ok in session.execute(query)]


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    id: str
    item_key: str
    correct: bool
    rating: int
    reviewed_at: datetime


def reviews_of(db: Database, profile_id: str) -> list[ReviewRecord]:
    """One helper's refresher answers, oldest first (exports)."""
    with db.session() as session:
        query = (
            select(RefresherReview)
            .where(RefresherReview.profile_id == profile_id)
            .order_by(RefresherReview.reviewed_at, RefresherReview.id)
        )
        return [ReviewRecord(r.id, r.item_key, r.correct, r.rating, r.reviewed_at) for r in session.scalars(query)]
