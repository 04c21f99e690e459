"""Signing in with a password or PIN, and slowing down wrong guesses.

After `FREE_FAILURES` wrong entries in a row, each try waits twice as long as the last, up to
`MAX_DELAY_SECONDS`. The count and the earliest next try are kept in the profile, so closing the
program does not reset the wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from app.core.i18n import _, ngettext

from .models import TRAINEE, Profile, utcnow
from .profile_store import AccountError, existing
from .secret_hashing import check_secret, hash_secret, weaker_than_current

if TYPE_CHECKING:
    from .database import Database

FREE_FAILURES = 3  # wrong entries allowed before any wait
MAX_DELAY_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class LoginResult:
    ok: bool
    wait_seconds: float  # how long before the next try is accepted
    message: str


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong entries in a row: 0, 0, 0, 2, 4, 8, ... up to 5 minutes."""
    if failures <= FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_SECONDS, float(2 ** min(failures - FREE_FAILURES, 16)))


def seconds_until_next_try(db: Database, profile_id: str, now: datetime | None = None) -> float:
    """How long the sign-in box must wait before accepting a try (0: now), capped like verify_secret."""
    now = now or utcnow()
    with db.session() as session:
        waiting_until = existing(session, profile_id).next_attempt_at
    if waiting_until is None:
        return 0.0
    return min(MAX_DELAY_SECONDS, max(0.0, (waiting_until - now).total_seconds()))


def verify_secret(db: Database, profile_id: str, secret: str, now: datetime | None = None) -> LoginResult:
    """Check a password or PIN, slowing down repeated wrong entries.

    The failure count and the earliest next try are stored in the profile, so closing the
    program does not reset the wait. While the wait runs, the secret is not even checked.

    Simultaneous tries cannot race the count (issue 14): each try is first counted as a failure
    in one short write transaction that takes the lock at its start (BEGIN IMMEDIATE on SQLite,
    waiting for the others; SELECT ... FOR UPDATE on PostgreSQL), so the next try sees it and,
    past the free tries, waits. Only then is the slow hash compared, outside any transaction,
    and a right secret clears the count.
    """
    now = now or utcnow()
    with db.session(immediate=True) as session:
        profile = session.get(Profile, profile_id, with_for_update=True)
        if profile is None:
            raise AccountError(_("This profile no longer exists."))
        if profile.archived:
            return LoginResult(False, 0.0, _("This profile is archived."))
        stored = profile.secret_hash
        role = profile.role
        waiting_until = profile.next_attempt_at
        if waiting_until is not None and waiting_until > now + timedelta(seconds=MAX_DELAY_SECONDS):
            # The clock was set back: never make anyone wait longer than the cap.
            waiting_until = profile.next_attempt_at = now + timedelta(seconds=MAX_DELAY_SECONDS)
        if waiting_until is not None and waiting_until > now:
            wait = (waiting_until - now).total_seconds()
            return LoginResult(False, wait, _too_many_tries(wait))
        if stored is None:
            if role == TRAINEE:
                return LoginResult(True, 0.0, "")
            return LoginResult(False, 0.0, _("This profile has no password yet; ask a coordinator to set one."))
        profile.failed_attempts += 1  # counted before the check: a simultaneous try sees it
        wait = delay_after(profile.failed_attempts)
        profile.next_attempt_at = now + timedelta(seconds=wait) if wait else None

    ok = check_secret(secret, stored)  # slow on purpose: outside any transaction
    if ok:
        stronger = hash_secret(secret) if weaker_than_current(stored) else None  # slow: before the lock
        with db.session(immediate=True) as session:
            profile = session.get(Profile, profile_id, with_for_update=True)
            if profile is not None:
                profile.failed_attempts = 0
                profile.next_attempt_at = None
                if stronger is not None and profile.secret_hash == stored:
                    profile.secret_hash = stronger
        return LoginResult(True, 0.0, "")
    return LoginResult(False, wait, _wrong_secret(role == TRAINEE, wait))


def _in_minutes(seconds: float) -> tuple[int, bool]:
    """The wait rounded for people: (whole seconds, False) under 90 s, else (minutes, True)."""
    whole = max(1, round(seconds))
    return (whole, False) if whole < 90 else (round(whole / 60), True)


def _too_many_tries(wait: float) -> str:
    n, minutes = _in_minutes(wait)
    if minutes:
        return ngettext(
            "Too many wrong tries. Please wait {n} minute and try again.",
            "Too many wrong tries. Please wait {n} minutes and try again.",
            n,
        ).format(n=n)
    return ngettext(
        "Too many wrong tries. Please wait {n} second and try again.",
        "Too many wrong tries. Please wait {n} seconds and try again.",
        n,
    ).format(n=n)


def _wrong_secret(pin: bool, wait: float) -> str:
    if not wait:
        return _("That PIN is not right.") if pin else _("That password is not right.")
    n, minutes = _in_minutes(wait)
    if pin and minutes:
        message = ngettext(
            "That PIN is not right. Please wait {n} minute before the next try.",
            "That PIN is not right. Please wait {n} minutes before the next try.",
            n,
        )
    elif pin:
        message = ngettext(
            "That PIN is not right. Please wait {n} second before the next try.",
            "That PIN is not right. Please wait {n} seconds before the next try.",
            n,
        )
    elif minutes:
        message = ngettext(
            "That password is not right. Please wait {n} minute before the next try.",
            "That password is not right. Please wait {n} minutes before the next try.",
            n,
        )
    else:
        message = ngettext(
            "That password is not right. Please wait {n} second before the next try.",
            "That password is not right. Please wait {n} seconds before the next try.",
            n,
        )
    return message.format(n=n)
