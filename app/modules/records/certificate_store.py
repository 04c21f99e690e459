"""Issued certificates: their numbers, signed payloads and who issued them.

A trainee keeps one certificate number for life: issuing again (a lost copy, a corrected
name, more competencies observed) signs new fields under the same number. Every issue is
written to the audit log, so the history of a number is never lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.core.i18n import _

from . import audit, rights
from .models import Certificate, utcnow

if TYPE_CHECKING:
    from .database import Database

NUMBER_PREFIX = "PHT"
# PHT-2026-3FA2-000123: prefix, year, this laptop's code (from its device id), then a count.
# The laptop's code keeps numbers unique when records from several laptops are merged.
NUMBER_PATTERN = re.compile(r"^([A-Z]{2,8})-(\d{4})-(?:([0-9A-F]{4})-)?(\d{6,})$")


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    id: str
    number: str
    profile_id: str | None
    trainee_name: str | None
    issued_at: datetime
    issued_by: str | None
    payload: dict[str, Any] | None
    signature: str | None
    first_issued_at: datetime
    reissued: bool = False  # this call signed an existing number again
    valid_until: datetime | None = None  # None: no limit
    superseded_by: str | None = None  # the renewal's number, once renewed
    superseded_at: datetime | None = None


def _issued(c: Certificate, reissued: bool = False) -> IssuedCertificate:
    return IssuedCertificate(
        c.id,
        c.number,
        c.profile_id,
        c.trainee_name,
        c.issued_at,
        c.issued_by,
        c.payload,
        c.signature,
        c.created_at,
        reissued,
        c.valid_until,
        c.superseded_by,
        c.superseded_at,
    )


def device_code(device_id: str) -> str:
    """Four hex digits that tell this laptop's certificates from another's."""
    digits = "".join(c for c in device_id.upper() if c in "0123456789ABCDEF")
    return (digits + "0000")[:4]


def format_number(year: int, seq: int, device: str = "", prefix: str = NUMBER_PREFIX) -> str:
    middle = f"{device}-" if device else ""
    return f"{prefix}-{year:04d}-{middle}{seq:06d}"


def _next_number(session, year: int, device: str) -> str:
    stem = f"{NUMBER_PREFIX}-{year:04d}-{device}-"
    taken = session.scalars(select(Certificate.number).where(Certificate.number.like(stem + "%")))
    highest = 0
    for number in taken:
        m = NUMBER_PATTERN.match(number)
        if m:
            highest = max(highest, int(m.group(4)))
    return format_number(year, highest + 1, device)


def issue(
    db: Database,
    profile_id: str,
    trainee_name: str,
    actor_id: str,
    sign: Callable[[str, datetime], tuple[dict[str, Any], str]],
    valid_until: Callable[[datetime], datetime | None] = lambda _now: None,
) -> IssuedCertificate:
    """Record a certificate for a trainee in one transaction; `sign(number, issued_at)` gives
    the signed payload and its signature. A trainee already certified keeps their number (their
    current one: a renewed certificate's). `valid_until(issued_at)`: the school's limit, or None."""
    now = utcnow()
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.ISSUE_CERTIFICATES)
        row = session.scalars(
            select(Certificate)
            .where(Certificate.profile_id == profile_id, Certificate.superseded_by.is_(None))
            .order_by(Certificate.created_at.desc())
        ).first()
        reissued = row is not None
        number = row.number if row is not None else _next_number(session, now.year, device_code(db.device_id))
        payload, signature = sign(number, now)
        if row is None:
            row = Certificate(number=number, profile_id=profile_id, created_at=now)
            session.add(row)
        row.trainee_name = trainee_name
        row.issued_at = now
        row.issued_by = actor_id
        row.payload = payload
        row.signature = signature
        row.valid_until = valid_until(now)
        session.flush()
        audit.record(
            session, actor_id, "reissue" if reissued else "issue", "certificate", number, {"profile": profile_id}
        )
        return _issued(row, reissued)


def renew(
    db: Database,
    profile_id: str,
    trainee_name: str,
    actor_id: str,
    sign: Callable[[str, datetime], tuple[dict[str, Any], str]],
    valid_until: Callable[[datetime], datetime | None] = lambda _now: None,
) -> IssuedCertificate:
    """A renewal: a new number with the new validity, in one transaction. The certificate it
    replaces keeps its signed payload (it still verifies) and is marked as superseded by it."""
    from app.core.errors import TrainingError

    now = utcnow()
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.ISSUE_CERTIFICATES)
        old = session.scalars(
            select(Certificate)
            .where(Certificate.profile_id == profile_id, Certificate.superseded_by.is_(None))
            .order_by(Certificate.created_at.desc())
        ).first()
        if old is None:
            raise TrainingError(
                _("{name} has no certificate to renew yet: issue their first one instead.").format(name=trainee_name)
            )
        number = _next_number(session, now.year, device_code(db.device_id))
        payload, signature = sign(number, now)
        row = Certificate(
            number=number,
            profile_id=profile_id,
            trainee_name=trainee_name,
            issued_at=now,
            issued_by=actor_id,
            payload=payload,
            signature=signature,
            valid_until=valid_until(now),
            created_at=now,
        )
        session.add(row)
        old.superseded_by = number
        old.superseded_at = now
        session.flush()
        audit.record(session, actor_id, "renew", "certificate", number, {"profile": profile_id, "replaces": old.number})
        return _issued(row)


def current(db: Database, profile_ids: Iterable[str]) -> dict[str, IssuedCertificate]:
    """profile id -> their current certificate (not superseded), for those who have one."""
    from .cohort_store import chunks

    ids = list(dict.fromkeys(profile_ids))
    out: dict[str, IssuedCertificate] = {}
    with db.session() as session:
        for chunk in chunks(ids):
            query = select(Certificate).where(Certificate.profile_id.in_(chunk), Certificate.superseded_by.is_(None))
            out.update((c.profile_id, _issued(c)) for c in session.scalars(query))
    return out


def numbers_for(db: Database, profile_ids: Iterable[str]) -> dict[str, str]:
    """profile id -> certificate number, for those of the given trainees who have one."""
    from .cohort_store import chunks

    ids = list(dict.fromkeys(profile_ids))
    out: dict[str, str] = {}
    with db.session() as session:
        for chunk in chunks(ids):
            query = select(Certificate.profile_id, Certificate.number).where(
                Certificate.profile_id.in_(chunk), Certificate.superseded_by.is_(None)
            )
            out.update((pid, number) for pid, number in session.execute(query))
    return out


def by_number(db: Database, number: str) -> IssuedCertificate | None:
    with db.session() as session:
        row = session.scalars(select(Certificate).where(Certificate.number == number)).first()
        return _issued(row) if row is not None else None


def all_issued(db: Database) -> list[IssuedCertificate]:
    """Newest first."""
    with db.session() as session:
        return [_issued(c) for c in session.scalars(select(Certificate).order_by(Certificate.issued_at.desc()))]


def revocation_entries(db: Database) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """What a revocation list holds (certificates.RevocationList).

    Withdrawn: numbers whose trainee was erased (the row keeps only its number). Re-issued:
    numbers signed more than once (an audited "reissue"), with the payload now valid.
    """
    from .models import AuditEntry

    with db.session() as session:
        withdrawn = sorted(session.scalars(select(Certificate.number).where(Certificate.profile_id.is_(None))).all())
        reissued = set(
            session.scalars(
                select(AuditEntry.entity_id).where(AuditEntry.entity == "certificate", AuditEntry.action == "reissue")
            ).all()
        )
        current = {
            number: payload
            for number, payload in session.execute(
                select(Certificate.number, Certificate.payload).where(Certificate.profile_id.is_not(None))
            )
            if number in reissued and isinstance(payload, dict)
        }
    return withdrawn, current


def renewed(db: Database, profile_id: str) -> bool:
    """Whether the trainee's certificate was ever renewed (one of theirs is superseded)."""
    with db.session() as session:
        query = select(Certificate.id).where(
            Certificate.profile_id == profile_id, Certificate.superseded_by.is_not(None)
        )
        return session.scalars(query.limit(1)).first() is not None
