"""Profiles, passwords and PINs, and slowing down wrong guesses.

Secrets are stored only as salted scrypt hashes in a self-describing format
(`scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`), so the cost can rise later and old
hashes still verify. Hashing takes about half a second: call these off the UI thread.

The cost of new hashes is `SCRYPT_LOG2_N` and nothing else: no environment variable or
setting lowers it. The tests make hashing cheap by patching that attribute in their own
process (tests/fast_hash.py); verification reads N from the stored hash either way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.core import errors
from app.core.errors import TrainingError
from app.core.i18n import _
from app.core.setting_keys import SCHOOL_NAME_KEY

from . import audit, rights
from .models import COORDINATOR, NAME_MAX, ROLES, SCHOOL_NAME_MAX, TRAINEE, TRAINER, Profile, new_id, utcnow
from .profile_summary import ProfileSummary

if TYPE_CHECKING:
    from .database import Database

__all__ = ["COORDINATOR", "TRAINEE", "TRAINER", "ROLES", "SCHOOL_NAME_KEY"]  # re-exported for the UI

# OWASP password storage cheat sheet: scrypt N=2^17, r=8, p=1.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
MAX_STORED_LOG2_N = 20  # refuse absurd costs in a tampered hash rather than hang
SALT_BYTES = 16
KEY_BYTES = 32

PASSWORD_MIN = 8
PASSWORD_MAX = 256
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
FREE_FAILURES = 3  # wrong entries allowed before any wait
MAX_DELAY_SECONDS = 300.0
BULK_MAX_NAMES = 500
SCHOOL_ID_KEY = "school.id"  # made at setup; every record bundle carries it (exchange/trust.py)


class AccountError(TrainingError):
    """A request that cannot be done; the message is for the user."""


PermissionDenied = errors.PermissionDenied  # one class for every refusal by role (see rights.py)


@dataclass(frozen=True, slots=True)
class LoginResult:
    ok: bool
    wait_seconds: float  # how long before the next try is accepted
    message: str


@dataclass(slots=True)
class BulkResult:
    created: list[ProfileSummary] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, name, reason)


# --- hashing ---------------------------------------------------------------------------


def _log2_n() -> int:
    return SCRYPT_LOG2_N  # read at each call, so a test can patch the module attribute


def _scrypt(secret: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    # OpenSSL needs about 128*r*(N+p) bytes; the default maxmem (32 MiB) is too small for N=2^17.
    maxmem = 128 * r * (n + p + 2) + (1 << 20)
    normalised = unicodedata.normalize("NFC", secret).encode("utf-8")
    return hashlib.scrypt(normalised, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str) -> str:
    log2_n = _log2_n()
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(secret, salt, log2_n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${log2_n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        log2_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (1 <= log2_n <= MAX_STORED_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16 and salt and digest):
        return None
    return log2_n, r, p, salt, digest


def check_secret(secret: str, stored: str) -> bool:
    """True if `secret` matches `stored`; a malformed stored value never matches."""
    parsed = parse_hash(stored)
    if parsed is None:
        return False
    log2_n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(secret, salt, log2_n, r, p), digest)


def _weaker_than_current(stored: str) -> bool:
    parsed = parse_hash(stored)
    return parsed is not None and parsed[0] < _log2_n()


# --- validation ------------------------------------------------------------------------


def clean_name(name: str, what: str = "name", limit: int = NAME_MAX) -> str:
    """Trim and collapse spaces; refuse empty, over-long or control-character names."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise AccountError(f"The {what} is empty.")
    if len(cleaned) > limit:
        raise AccountError(f"The {what} is too long ({len(cleaned)} characters; at most {limit}).")
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise AccountError(f"The {what} contains characters that cannot be shown.")
    return cleaned


def _clean_group(group: str | None) -> str | None:
    if group is None or not group.strip():
        return None
    return clean_name(group, "group name")


def _check_secret_rules(role: str, secret: str | None) -> None:
    if role == TRAINEE:
        if secret is not None and not PIN_PATTERN.fullmatch(secret):
            raise AccountError("A PIN must be 4 to 8 digits.")
        return
    if secret is None or len(secret) < PASSWORD_MIN:
        raise AccountError(f"The password must be at least {PASSWORD_MIN} characters long.")
    if len(secret) > PASSWORD_MAX:
        raise AccountError(f"The password is too long (at most {PASSWORD_MAX} characters).")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.")


def _name_key(name: str) -> str:
    return name.casefold()


def _taken_names(session: Session, group: str | None) -> set[str]:
    """Case-folded names of the active profiles in `group` (None: profiles with no group)."""
    query = select(Profile.display_name).where(Profile.archived.is_(False))
    query = query.where(Profile.group_name.is_(None) if group is None else Profile.group_name == group)
    return {_name_key(n) for n in session.scalars(query)}


def _duplicate_message(name: str, group: str | None) -> str:
    where = f"the group {group}" if group else "the profiles without a group"
    return f"There is already a profile called {name} in {where}."


# --- access ----------------------------------------------------------------------------


def _get(session: Session, profile_id: str) -> Profile:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise AccountError("This profile no longer exists.")
    return profile


def require_role(session: Session, actor_id: str | None, roles: tuple[str, ...]) -> Profile:
    """The acting profile if it is active and has one of `roles` (no actor is never allowed).

    Prefer `rights.require` with a named right; this stays for checks phrased by role.
    """
    if actor_id is None:
        raise PermissionDenied("Sign in first: this change has to be made by someone.")
    actor = session.get(Profile, actor_id)
    if actor is None or actor.archived or actor.role not in roles:
        raise PermissionDenied("You are not allowed to do this.")
    return actor


def can_view_records(db: Database, viewer_id: str, trainee_id: str) -> bool:
    """A trainee sees only their own records; trainers and coordinators see every trainee's."""
    with db.session() as session:
        viewer = session.get(Profile, viewer_id)
        if viewer is None or viewer.archived:
            return False
        return viewer_id == trainee_id or viewer.role in (TRAINER, COORDINATOR)


def _summary(p: Profile) -> ProfileSummary:
    return ProfileSummary(p.id, p.display_name, p.role, p.group_name, p.secret_hash is not None, p.archived)


# --- profiles --------------------------------------------------------------------------


def needs_setup(db: Database) -> bool:
    """True until the school has an active coordinator."""
    query = select(exists().where(Profile.role == COORDINATOR, Profile.archived.is_(False)))
    with db.session() as session:
        return not session.scalar(query)


def setup_school(db: Database, coordinator_name: str, password: str, school_name: str) -> ProfileSummary:
    """First start: the school's name and its first coordinator, in one transaction."""
    from .settings_store import put_setting

    name = clean_name(coordinator_name)
    school = clean_name(school_name, "school name", SCHOOL_NAME_MAX)
    _check_secret_rules(COORDINATOR, password)
    secret_hash = hash_secret(password)
    with db.session() as session:
        if session.scalar(select(exists().where(Profile.role == COORDINATOR, Profile.archived.is_(False)))):
            raise AccountError("This school is already set up; ask a coordinator to sign in.")
        first_id = new_id()  # the first coordinator is recorded as creating themself
        profile = _add_profile(session, name, COORDINATOR, None, secret_hash, first_id, first_id)
        put_setting(session, SCHOOL_NAME_KEY, school, profile.id)
        put_setting(session, SCHOOL_ID_KEY, new_id(), profile.id)
        return _summary(profile)


def _add_profile(
    session: Session,
    name: str,
    role: str,
    group: str | None,
    secret_hash: str | None,
    actor_id: str | None,
    profile_id: str | None = None,
    name_checked: bool = False,
) -> Profile:
    """Insert a profile after checking its name is free in its group; audited."""
    if not name_checked and _name_key(name) in _taken_names(session, group):
        raise AccountError(_duplicate_message(name, group))
    profile = Profile(
        id=profile_id or new_id(), display_name=name, role=role, group_name=group, secret_hash=secret_hash
    )
    session.add(profile)
    audit.record(session, actor_id, "create", "profile", profile.id, {"role": role, "group": group})
    return profile


def create_profile(
    db: Database,
    name: str,
    role: str,
    group: str | None = None,
    secret: str | None = None,
    actor_id: str | None = None,
) -> ProfileSummary:
    """One profile. Trainers and coordinators need a password; a trainee's PIN is optional."""
    _check_role(role)
    name = clean_name(name)
    group = _clean_group(group)
    _check_secret_rules(role, secret)
    secret_hash = hash_secret(secret) if secret is not None else None
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        return _summary(_add_profile(session, name, role, group, secret_hash, actor_id))


def create_trainees_from_text(
    db: Database, text: str, group: str | None, actor_id: str | None, dry_run: bool = False
) -> BulkResult:
    """Trainees from pasted names, one a line: blank lines are skipped, names trimmed.

    Lines that cannot be used (invalid, repeated in the paste, or already in the group) are
    reported with their line number and the rest are created. `dry_run` only reports.
    """
    group = _clean_group(group)
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) > BULK_MAX_NAMES:
        raise AccountError(f"Paste at most {BULK_MAX_NAMES} names at once.")
    result = BulkResult()
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        taken = _taken_names(session, group)
        first_seen: dict[str, int] = {}
        for line_no, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            shown = " ".join(raw.split())
            try:
                name = clean_name(raw)
            except AccountError as exc:
                result.problems.append((line_no, shown, exc.message))
                continue
            key = _name_key(name)
            if key in first_seen:
                result.problems.append((line_no, name, f"The same name is already on line {first_seen[key]}."))
                continue
            first_seen[key] = line_no
            if key in taken:
                result.problems.append((line_no, name, _duplicate_message(name, group)))
                continue
            if not dry_run:
                result.created.append(
                    _summary(_add_profile(session, name, TRAINEE, group, None, actor_id, name_checked=True))
                )
    return result


def list_profiles(db: Database, include_archived: bool = False) -> list[ProfileSummary]:
    """Profiles for the picker, by group then name (selected as plain columns: this is on the start-up path)."""
    query = select(
        Profile.id,
        Profile.display_name,
        Profile.role,
        Profile.group_name,
        Profile.secret_hash.is_not(None),
        Profile.archived,
    ).order_by(func.coalesce(Profile.group_name, ""), func.lower(Profile.display_name))
    if not include_archived:
        query = query.where(Profile.archived.is_(False))
    with db.session() as session:
        return [ProfileSummary(*row) for row in session.execute(query)]


def get_profile(db: Database, profile_id: str) -> ProfileSummary:
    with db.session() as session:
        return _summary(_get(session, profile_id))


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong entries in a row: 0, 0, 0, 2, 4, 8, ... up to 5 minutes."""
    if failures <= FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_SECONDS, float(2 ** min(failures - FREE_FAILURES, 16)))


def seconds_until_next_try(db: Database, profile_id: str, now: datetime | None = None) -> float:
    """How long the sign-in box must wait before accepting a try (0: now), capped like verify_secret."""
    now = now or utcnow()
    with db.session() as session:
        waiting_until = _get(session, profile_id).next_attempt_at
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
            raise AccountError("This profile no longer exists.")
        if profile.archived:
            return LoginResult(False, 0.0, "This profile is archived.")
        stored = profile.secret_hash
        role = profile.role
        waiting_until = profile.next_attempt_at
        if waiting_until is not None and waiting_until > now + timedelta(seconds=MAX_DELAY_SECONDS):
            # The clock was set back: never make anyone wait longer than the cap.
            waiting_until = profile.next_attempt_at = now + timedelta(seconds=MAX_DELAY_SECONDS)
        if waiting_until is not None and waiting_until > now:
            wait = (waiting_until - now).total_seconds()
            return LoginResult(False, wait, f"Too many wrong tries. Please wait {_seconds(wait)} and try again.")
        if stored is None:
            if role == TRAINEE:
                return LoginResult(True, 0.0, "")
            return LoginResult(False, 0.0, "This profile has no password yet; ask a coordinator to set one.")
        profile.failed_attempts += 1  # counted before the check: a simultaneous try sees it
        wait = delay_after(profile.failed_attempts)
        profile.next_attempt_at = now + timedelta(seconds=wait) if wait else None

    ok = check_secret(secret, stored)  # slow on purpose: outside any transaction
    if ok:
        stronger = hash_secret(secret) if _weaker_than_current(stored) else None  # slow: before the lock
        with db.session(immediate=True) as session:
            profile = session.get(Profile, profile_id, with_for_update=True)
            if profile is not None:
                profile.failed_attempts = 0
                profile.next_attempt_at = None
                if stronger is not None and profile.secret_hash == stored:
                    profile.secret_hash = stronger
        return LoginResult(True, 0.0, "")
    what = "PIN" if role == TRAINEE else "password"
    message = f"That {what} is not right."
    if wait:
        message += f" Please wait {_seconds(wait)} before the next try."
    return LoginResult(False, wait, message)


def _seconds(seconds: float) -> str:
    whole = max(1, round(seconds))
    if whole < 90:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = round(whole / 60)
    return f"{minutes} minutes"


def set_secret(db: Database, profile_id: str, secret: str | None, actor_id: str | None = None) -> None:
    """Set or (for a trainee) remove the password or PIN; clears any wait. Staff-only for others."""
    with db.session() as session:
        role = _get(session, profile_id).role
        if actor_id != profile_id:
            require_role(session, actor_id, (COORDINATOR,))
    _check_secret_rules(role, secret)
    secret_hash = hash_secret(secret) if secret is not None else None
    with db.session() as session:
        profile = _get(session, profile_id)
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["secret"]})


def rename_profile(db: Database, profile_id: str, new_name: str, actor_id: str | None = None) -> None:
    name = clean_name(new_name)
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        profile = _get(session, profile_id)
        if profile.display_name == name:
            return
        others = _taken_names(session, profile.group_name) - {_name_key(profile.display_name)}
        if _name_key(name) in others:
            raise AccountError(_duplicate_message(name, profile.group_name))
        profile.display_name = name
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["display_name"]})


def archive_profile(db: Database, profile_id: str, actor_id: str | None = None, archived: bool = True) -> None:
    """Hide a profile from the picker (its records stay); `archived=False` brings it back."""
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        profile = _get(session, profile_id)
        if profile.archived == archived:
            return
        if archived and profile.role == COORDINATOR:
            active = select(func.count()).where(
                Profile.role == COORDINATOR, Profile.archived.is_(False), Profile.id != profile_id
            )
            if not session.scalar(active):
                raise AccountError("The last coordinator cannot be archived; add another coordinator first.")
        if not archived and _name_key(profile.display_name) in _taken_names(session, profile.group_name):
            raise AccountError(_duplicate_message(profile.display_name, profile.group_name))
        profile.archived = archived
        audit.record(session, actor_id, "archive" if archived else "restore", "profile", profile_id)


def get_preferences(db: Database, profile_id: str) -> dict[str, Any]:
    with db.session() as session:
        return dict(_get(session, profile_id).preferences or {})


def set_preferences(db: Database, profile_id: str, changes: dict[str, Any], *, actor_id: str) -> dict[str, Any]:
    """Merge `changes` into the profile's preferences (text size, theme, ...); returns them all.

    A profile changes its own; a coordinator may change anyone's.
    """
    from .wellbeing import YOUNGER_KEY

    if YOUNGER_KEY in changes:  # a coordinator's tick (wellbeing.set_younger), not a preference of one's own
        raise PermissionDenied(_("Only a coordinator can say who is younger than the school's age, in People."))
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SET_OWN_PREFERENCES, subject_id=profile_id)
        profile = _get(session, profile_id)
        merged = {**(profile.preferences or {}), **changes}
        if merged != profile.preferences:
            profile.preferences = merged  # a new dict: JSON columns do not see in-place edits
            audit.record(session, profile_id, "update", "profile", profile_id, {"preferences": sorted(changes)})
        return dict(merged)


# --- a school year: moving classes, one-time codes, the school's recovery code ------------------
# The recovery code is the way back when the only coordinator forgets the password. It is made
# at setup and printed once, to keep in the school safe; a coordinator can make a new one at any
# time (the old one stops working). Using it sets a new password for a coordinator and replaces
# the code, so each code works once. Only its scrypt hash is stored, in a setting of this
# laptop's own, which record bundles never carry.

RECOVERY_KEY = "recovery.code_hash"  # local to this laptop: bundles never carry settings
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from paper


def _code(groups: int, size: int = 4) -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _i in range(size)) for _j in range(groups))


def _normal(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def move_to_group(db: Database, profile_id: str, group: str | None, *, actor_id: str) -> None:
    """A trainee moves to another class (None: no class); their records go with them."""
    group = _clean_group(group)
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        profile = _get(session, profile_id)
        if profile.group_name == group:
            return
        if _name_key(profile.display_name) in _taken_names(session, group):
            raise AccountError(_duplicate_message(profile.display_name, group))
        profile.group_name = group
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["group_name"]})


def reset_secret(db: Database, profile_id: str, *, actor_id: str) -> str:
    """A one-time code to sign in with, in place of a forgotten PIN or password (shown once).

    A trainee gets a 6-digit PIN; staff get a password of three groups. Either can be changed
    after signing in. Any wait after wrong tries is cleared.
    """
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        role = _get(session, profile_id).role
    code = "".join(secrets.choice("0123456789") for _i in range(6)) if role == TRAINEE else _code(3)
    _check_secret_rules(role, code)
    secret_hash = hash_secret(code)
    with db.session() as session:
        profile = _get(session, profile_id)
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        audit.record(session, actor_id, "reset_secret", "profile", profile_id)
    return code


def new_recovery_code(db: Database, *, actor_id: str) -> str:
    """Make the school's recovery code (the old one stops working); shown once, keep it on paper."""
    code = _code(5)
    stored = hash_secret(_normal(code))
    from .settings_store import put_setting

    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        put_setting(session, RECOVERY_KEY, stored, actor_id)
        audit.record(session, actor_id, "new_recovery_code", "school", None)
    return code


def has_recovery_code(db: Database) -> bool:
    from .settings_store import get_setting

    return bool(get_setting(db, RECOVERY_KEY))


def recover_coordinator(db: Database, coordinator_id: str, code: str, new_password: str) -> str:
    """Set a coordinator's new password with the recovery code; returns the code that replaces it.

    Slow on purpose (scrypt), and it needs no one signed in: the code on paper is the proof.
    """
    from .settings_store import get_setting, put_setting

    stored = get_setting(db, RECOVERY_KEY)
    if not stored or not check_secret(_normal(code), str(stored)):
        raise AccountError("That recovery code is not right. Check it against the paper copy, letter by letter.")
    _check_secret_rules(COORDINATOR, new_password)
    secret_hash = hash_secret(new_password)
    replacement = _code(5)
    replacement_hash = hash_secret(_normal(replacement))
    with db.session() as session:
        profile = session.get(Profile, coordinator_id)
        if profile is None or profile.archived or profile.role != COORDINATOR:
            raise AccountError("The recovery code sets a new password for an active coordinator only.")
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        put_setting(session, RECOVERY_KEY, replacement_hash, coordinator_id)
        audit.record(session, coordinator_id, "recovered", "profile", coordinator_id)
    return replacement
