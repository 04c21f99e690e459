"""Validity and renewal: how long a certificate is valid, who is due, and what a renewal needs.

The school sets how long a certificate is valid (school_settings.VALIDITY_KEY: months, or no
limit). A helper is due for renewal from RENEWAL_WARNING_DAYS before it runs out. A renewal needs,
since their current certificate: RENEWAL_REFRESHERS refresher answers with nothing left due, and
one observed role-play signed off by a trainer. The renewal is a new certificate with a new number
and the new validity; the one it replaces stays verifiable and is marked as superseded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from app.core.i18n import _, ngettext

from . import refreshers
from .records import certificate_store, progress_store, refresher_store
from .school_settings import RENEWAL_WARNING_DAYS, add_months, validity_months

if TYPE_CHECKING:
    from .content import ContentSet
    from .records.database import Database

RENEWAL_REFRESHERS = 10  # refresher answers since the last certificate

NO_LIMIT, VALID, DUE, EXPIRED = "no limit", "valid", "due", "expired"


@dataclass(frozen=True, slots=True)
class RenewalStatus:
    profile_id: str
    name: str
    number: str
    issued_at: datetime
    valid_until: date | None
    state: str  # NO_LIMIT, VALID, DUE (runs out soon) or EXPIRED
    refreshers_answered: int  # since the current certificate
    refreshers_due: int
    observed_since: bool  # a role-play signed off since the current certificate
    missing: list[str] = field(default_factory=list)  # what a renewal still needs, in words

    @property
    def can_renew(self) -> bool:
        return not self.missing

    @property
    def due(self) -> bool:
        return self.state in (DUE, EXPIRED)

    def state_words(self) -> str:
        if self.valid_until is None:
            return _("Valid, no limit")
        when = _day(self.valid_until)
        if self.state == DUE:
            return _("Runs out on {date}").format(date=when)
        if self.state == EXPIRED:
            return _("Ran out on {date}").format(date=when)
        return _("Valid until {date}").format(date=when)


def _day(d: date) -> str:
    from .certificates import long_date

    return long_date(d)


def valid_until_for(settings: dict):
    """For certificate_store.issue/renew: the issue time -> the end of its last valid day, or None."""
    months = validity_months(settings)

    def until(issued_at: datetime) -> datetime | None:
        if not months:
            return None
        return datetime.combine(add_months(issued_at.date(), months), time(23, 59, 59), tzinfo=UTC)

    return until


def state_of(valid_until: datetime | None, now: datetime) -> str:
    if valid_until is None:
        return NO_LIMIT
    if valid_until < now:
        return EXPIRED
    if valid_until - now <= timedelta(days=RENEWAL_WARNING_DAYS):
        return DUE
    return VALID


def statuses(
    db: Database, content: ContentSet, names: dict[str, str], now: datetime | None = None
) -> list[RenewalStatus]:
    """Every certified trainee among `names` (profile id -> name), soonest to run out first."""
    now = now or datetime.now(UTC)
    current = certificate_store.current(db, names)
    since = {pid: c.issued_at for pid, c in current.items()}
    answered = refresher_store.answered_since(db, since)
    keeping = refreshers.keeping_up(db, content, list(current), now=now)
    out = []
    for pid, cert in current.items():
        observed = any(
            s.withdrawn_at is None and s.created_at > cert.issued_at and s.observed_on >= cert.issued_at.date()
            for s in progress_store.sign_offs(db, pid)
        )
        missing = []
        count, due_now = answered.get(pid, 0), keeping[pid].due_now
        if count < RENEWAL_REFRESHERS:
            more = RENEWAL_REFRESHERS - count
            missing.append(
                ngettext("answer {n} more refresher question", "answer {n} more refresher questions", more).format(
                    n=more
                )
            )
        elif due_now:
            missing.append(
                ngettext(
                    "answer the {n} refresher question due now", "answer the {n} refresher questions due now", due_now
                ).format(n=due_now)
            )
        if not observed:
            missing.append(_("have a trainer sign off one observed role-play"))
        until = cert.valid_until
        out.append(
            RenewalStatus(
                pid,
                names[pid],
                cert.number,
                cert.issued_at,
                until.date() if until else None,
                state_of(until, now),
                count,
                due_now,
                observed,
                missing,
            )
        )
    out.sort(key=lambda r: (r.valid_until or date.max, r.name.casefold()))
    return out


def renewable_ids(statuses_: Sequence[RenewalStatus]) -> list[str]:
    return [s.profile_id for s in statuses_ if s.can_renew]


def record_note(record, now: datetime | None = None) -> str:
    """What these records add to a verified certificate: replaced by a renewal, or run out; "" if nothing.

    `record` is the certificate_store.IssuedCertificate of the verified number, or None.
    """
    if record is None:
        return ""
    now = now or datetime.now(UTC)
    if record.superseded_by:
        if record.superseded_at:
            return _(
                "Superseded: this certificate is genuine, and was replaced on {date} by a renewal, "
                "certificate {number}."
            ).format(date=_day(record.superseded_at.date()), number=record.superseded_by)
        return _(
            "Superseded: this certificate is genuine, and was replaced later by a renewal, certificate {number}."
        ).format(number=record.superseded_by)
    if record.payload is None:
        return _("These records say this certificate is no longer held (its trainee's records were erased).")
    if record.valid_until is not None and record.valid_until < now:
        return _("Ran out on {date} and has not been renewed.").format(date=_day(record.valid_until.date()))
    return ""
