"""Setting up a school (its name, its id and its first coordinator), and the recovery code.

The recovery code is the way back when the only coordinator forgets the password. It is made
at setup and printed once, to keep in the school safe; a coordinator can make a new one at any
time (the old one stops working). Using it sets a new password for a coordinator and replaces
the code, so each code works once. Only its scrypt hash is stored, in a setting of this
laptop's own, which record bundles never carry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from app.core.i18n import _
from app.core.setting_keys import SCHOOL_NAME_KEY

from . import audit, rights
from .models import COORDINATOR, SCHOOL_NAME_MAX, Profile, new_id
from .profile_store import AccountError, add_profile, check_secret_rules, clean_name, summary
from .profile_summary import ProfileSummary
from .secret_hashing import check_secret, hash_secret, normal_code, one_time_code
from .settings_store import get_setting, put_setting

if TYPE_CHECKING:
    from .database import Database

SCHOOL_ID_KEY = "school.id"  # made at setup; every record bundle carries it (exchange/trust.py)
RECOVERY_KEY = "recovery.code_hash"  # local to this laptop: bundles never carry settings
RECOVERY_CODE_GROUPS = 5


def needs_setup(db: Database) -> bool:
    """True until the school has an active coordinator."""
    query = select(exists().where(Profile.role == COORDINATOR, Profile.archived.is_(False)))
    with db.session() as session:
        return not session.scalar(query)


def setup_school(db: Database, coordinator_name: str, password: str, school_name: str) -> ProfileSummary:
    """First start: the school's name and its first coordinator, in one transaction."""
    name = clean_name(coordinator_name)
    school = clean_name(school_name, "school name", SCHOOL_NAME_MAX)
    check_secret_rules(COORDINATOR, password)
    secret_hash = hash_secret(password)
    with db.session() as session:
        if session.scalar(select(exists().where(Profile.role == COORDINATOR, Profile.archived.is_(False)))):
            raise AccountError(_("This school is already set up; ask a coordinator to sign in."))
        first_id = new_id()  # the first coordinator is recorded as creating themself
        profile = add_profile(session, name, COORDINATOR, None, secret_hash, first_id, first_id)
        put_setting(session, SCHOOL_NAME_KEY, school, profile.id)
        put_setting(session, SCHOOL_ID_KEY, new_id(), profile.id)
        return summary(profile)


def new_recovery_code(db: Database, *, actor_id: str) -> str:
    """Make the school's recovery code (the old one stops working); shown once, keep it on paper."""
    code = one_time_code(RECOVERY_CODE_GROUPS)
    stored = hash_secret(normal_code(code))
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        put_setting(session, RECOVERY_KEY, stored, actor_id)
        audit.record(session, actor_id, "new_recovery_code", "school", None)
    return code


def has_recovery_code(db: Database) -> bool:
    return bool(get_setting(db, RECOVERY_KEY))


def recover_coordinator(db: Database, coordinator_id: str, code: str, new_password: str) -> str:
    """Set a coordinator's new password with the recovery code; returns the code that replaces it.

    Slow on purpose (scrypt), and it needs no one signed in: the code on paper is the proof.
    """
    stored = get_setting(db, RECOVERY_KEY)
    if not stored or not check_secret(normal_code(code), str(stored)):
        raise AccountError(_("That recovery code is not right. Check it against the paper copy, letter by letter."))
    check_secret_rules(COORDINATOR, new_password)
    secret_hash = hash_secret(new_password)
    replacement = one_time_code(RECOVERY_CODE_GROUPS)
    replacement_hash = hash_secret(normal_code(replacement))
    with db.session() as session:
        profile = session.get(Profile, coordinator_id)
        if profile is None or profile.archived or profile.role != COORDINATOR:
            raise AccountError(_("The recovery code sets a new password for an active coordinator only."))
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        put_setting(session, RECOVERY_KEY, replacement_hash, coordinator_id)
        audit.record(session, coordinator_id, "recovered", "profile", coordinator_id)
    return replacement
