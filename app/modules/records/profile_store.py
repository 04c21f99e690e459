"""Profiles: who may sign in, with which role, in which class or group, with which note.

Names are checked here (`clean_name`), and so is the rule that tells people apart: no two active
profiles in one group share their name and their note (case and Unicode width ignored), so two
students with the same name in one class are told apart by a short note ("Year 9, tall").
A profile's password or PIN is set here too; it is stored only as a hash (secret_hashing.py).
Adding a whole class at once is in class_lists.py, signing in in sign_in_throttle.py.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import errors
from app.core.errors import TrainingError
from app.core.i18n import _, ngettext

from . import audit, rights
from .models import COORDINATOR, NAME_MAX, NOTE_MAX, ROLES, TRAINEE, TRAINER, Profile, new_id
from .profile_summary import ProfileSummary
from .secret_hashing import hash_secret, one_time_code, one_time_pin

if TYPE_CHECKING:
    from .database import Database

__all__ = ["COORDINATOR", "TRAINEE", "TRAINER", "ROLES"]  # the roles, for whoever handles profiles

PASSWORD_MIN = 8
PASSWORD_MAX = 256
PIN_PATTERN = re.compile(r"[0-9]{4,8}")


class AccountError(TrainingError):
    """A request that cannot be done; the message is for the user."""


PermissionDenied = errors.PermissionDenied  # one class for every refusal by role (see rights.py)


# --- names and notes --------------------------------------------------------------------


def _name_problem(what: str, problem: str, length: int = 0, limit: int = 0) -> str:
    """The message for a name that cannot be used: one whole sentence for each kind of name."""
    if what in ("name", "display name", "trainee name"):
        if problem == "empty":
            return _("The name is empty.")
        if problem == "long":
            return ngettext(
                "The name is too long ({n} character; at most {limit}).",
                "The name is too long ({n} characters; at most {limit}).",
                length,
            ).format(n=length, limit=limit)
        return _("The name contains characters that cannot be shown.")
    if what == "group name":
        if problem == "empty":
            return _("The group name is empty.")
        if problem == "long":
            return ngettext(
                "The group name is too long ({n} character; at most {limit}).",
                "The group name is too long ({n} characters; at most {limit}).",
                length,
            ).format(n=length, limit=limit)
        return _("The group name contains characters that cannot be shown.")
    if what == "school name":
        if problem == "empty":
            return _("The school name is empty.")
        if problem == "long":
            return ngettext(
                "The school name is too long ({n} character; at most {limit}).",
                "The school name is too long ({n} characters; at most {limit}).",
                length,
            ).format(n=length, limit=limit)
        return _("The school name contains characters that cannot be shown.")
    if what == "note":
        if problem == "empty":
            return _("The note is empty.")
        if problem == "long":
            return ngettext(
                "The note is too long ({n} character; at most {limit}).",
                "The note is too long ({n} characters; at most {limit}).",
                length,
            ).format(n=length, limit=limit)
        return _("The note contains characters that cannot be shown.")
    if problem == "empty":
        return _("The text is empty.")
    if problem == "long":
        return ngettext(
            "The text is too long ({n} character; at most {limit}).",
            "The text is too long ({n} characters; at most {limit}).",
            length,
        ).format(n=length, limit=limit)
    return _("The text contains characters that cannot be shown.")


def clean_name(name: str, what: str = "name", limit: int = NAME_MAX) -> str:
    """Trim and collapse spaces; refuse empty, over-long or control-character names.

    `what` names the kind of name for the message: "name", "group name", "school name" or "note".
    """
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise AccountError(_name_problem(what, "empty"))
    if len(cleaned) > limit:
        raise AccountError(_name_problem(what, "long", len(cleaned), limit))
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise AccountError(_name_problem(what, "unshowable"))
    return cleaned


def clean_group(group: str | None) -> str | None:
    if group is None or not group.strip():
        return None
    return clean_name(group, "group name")


def clean_note(note: str | None) -> str | None:
    """A profile's note ("Year 9, tall"), cleaned like a name; None when there is none."""
    if note is None or not note.strip():
        return None
    return clean_name(note, "note", NOTE_MAX)


def check_secret_rules(role: str, secret: str | None) -> None:
    """A trainee's PIN (optional) is 4 to 8 digits; staff need a password of 8 to 256 characters."""
    if role == TRAINEE:
        if secret is not None and not PIN_PATTERN.fullmatch(secret):
            raise AccountError(_("A PIN must be 4 to 8 digits."))
        return
    if secret is None or len(secret) < PASSWORD_MIN:
        raise AccountError(_("The password must be at least {n} characters long.").format(n=PASSWORD_MIN))
    if len(secret) > PASSWORD_MAX:
        raise AccountError(_("The password is too long (at most {n} characters).").format(n=PASSWORD_MAX))


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(_("Unknown role {role}.").format(role=repr(role)))


def name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def person_key(name: str, note: str | None) -> tuple[str, str]:
    """Two active people in one group never share this: their name, and their note (if any)."""
    return name_key(name), name_key(note or "")


def taken_names(session: Session, group: str | None, except_id: str | None = None) -> set[tuple[str, str]]:
    """(name, note) keys of the active profiles in `group` (None: profiles with no group)."""
    query = select(Profile.display_name, Profile.note).where(Profile.archived.is_(False))
    query = query.where(Profile.group_name.is_(None) if group is None else Profile.group_name == group)
    if except_id is not None:
        query = query.where(Profile.id != except_id)
    return {person_key(name, note) for name, note in session.execute(query)}


def duplicate_message(name: str, group: str | None, note: str | None = None) -> str:
    if note:
        if group:
            return _(
                "There is already a profile called {name} with the note \u201c{note}\u201d in the group {group}. "
                "Give one of them a different note."
            ).format(name=name, note=note, group=group)
        return _(
            "There is already a profile called {name} with the note \u201c{note}\u201d among the profiles "
            "without a group. Give one of them a different note."
        ).format(name=name, note=note)
    if group:
        return _(
            "There is already a profile called {name} in the group {group}. If they are two people, add a note "
            "that tells them apart (for example \u201cYear 9, tall\u201d)."
        ).format(name=name, group=group)
    return _(
        "There is already a profile called {name} in the profiles without a group. If they are two people, "
        "add a note that tells them apart (for example \u201cYear 9, tall\u201d)."
    ).format(name=name)


# --- access ----------------------------------------------------------------------------


def existing(session: Session, profile_id: str) -> Profile:
    """The profile with this id, or AccountError (it was erased meanwhile)."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise AccountError(_("This profile no longer exists."))
    return profile


def require_role(session: Session, actor_id: str | None, roles: tuple[str, ...]) -> Profile:
    """The acting profile if it is active and has one of `roles` (no actor is never allowed).

    Prefer `rights.require` with a named right; this stays for checks phrased by role.
    """
    if actor_id is None:
        raise PermissionDenied(_("Sign in first: this change has to be made by someone."))
    actor = session.get(Profile, actor_id)
    if actor is None or actor.archived or actor.role not in roles:
        raise PermissionDenied(_("You are not allowed to do this."))
    return actor


def can_view_records(db: Database, viewer_id: str, trainee_id: str) -> bool:
    """A trainee sees only their own records; trainers and coordinators see every trainee's."""
    with db.session() as session:
        viewer = session.get(Profile, viewer_id)
        if viewer is None or viewer.archived:
            return False
        return viewer_id == trainee_id or viewer.role in (TRAINER, COORDINATOR)


def summary(p: Profile) -> ProfileSummary:
    return ProfileSummary(p.id, p.display_name, p.role, p.group_name, p.secret_hash is not None, p.archived, p.note)


# --- profiles --------------------------------------------------------------------------


def add_profile(
    session: Session,
    name: str,
    role: str,
    group: str | None,
    secret_hash: str | None,
    actor_id: str | None,
    profile_id: str | None = None,
    name_checked: bool = False,
    note: str | None = None,
) -> Profile:
    """Insert a profile after checking its name (with its note) is free in its group; audited."""
    if not name_checked and person_key(name, note) in taken_names(session, group):
        raise AccountError(duplicate_message(name, group, note))
    profile = Profile(
        id=profile_id or new_id(), display_name=name, role=role, group_name=group, secret_hash=secret_hash, note=note
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
    note: str | None = None,
) -> ProfileSummary:
    """One profile. Trainers and coordinators need a password; a trainee's PIN is optional.

    The note tells apart two people with the same name in one group ("Year 9, tall").
    """
    check_role(role)
    name = clean_name(name)
    group = clean_group(group)
    note = clean_note(note)
    check_secret_rules(role, secret)
    secret_hash = hash_secret(secret) if secret is not None else None
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        return summary(add_profile(session, name, role, group, secret_hash, actor_id, note=note))


def list_profiles(db: Database, include_archived: bool = False) -> list[ProfileSummary]:
    """Profiles for the picker, by group then name (selected as plain columns: this is on the start-up path)."""
    query = select(
        Profile.id,
        Profile.display_name,
        Profile.role,
        Profile.group_name,
        Profile.secret_hash.is_not(None),
        Profile.archived,
        Profile.note,
    ).order_by(func.coalesce(Profile.group_name, ""), func.lower(Profile.display_name), func.coalesce(Profile.note, ""))
    if not include_archived:
        query = query.where(Profile.archived.is_(False))
    with db.session() as session:
        return [ProfileSummary(*row) for row in session.execute(query)]


def get_profile(db: Database, profile_id: str) -> ProfileSummary:
    with db.session() as session:
        return summary(existing(session, profile_id))


def set_secret(db: Database, profile_id: str, secret: str | None, actor_id: str | None = None) -> None:
    """Set or (for a trainee) remove the password or PIN; clears any wait. Staff-only for others."""
    with db.session() as session:
        role = existing(session, profile_id).role
        if actor_id != profile_id:
            require_role(session, actor_id, (COORDINATOR,))
    check_secret_rules(role, secret)
    secret_hash = hash_secret(secret) if secret is not None else None
    with db.session() as session:
        profile = existing(session, profile_id)
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["secret"]})


def reset_secret(db: Database, profile_id: str, *, actor_id: str) -> str:
    """A one-time code to sign in with, in place of a forgotten PIN or password (shown once).

    A trainee gets a 6-digit PIN; staff get a password of three groups. Either can be changed
    after signing in. Any wait after wrong tries is cleared.
    """
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        role = existing(session, profile_id).role
    code = one_time_pin() if role == TRAINEE else one_time_code(3)
    check_secret_rules(role, code)
    secret_hash = hash_secret(code)
    with db.session() as session:
        profile = existing(session, profile_id)
        profile.secret_hash = secret_hash
        profile.failed_attempts = 0
        profile.next_attempt_at = None
        audit.record(session, actor_id, "reset_secret", "profile", profile_id)
    return code


def rename_profile(db: Database, profile_id: str, new_name: str, actor_id: str | None = None) -> None:
    name = clean_name(new_name)
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        profile = existing(session, profile_id)
        if profile.display_name == name:
            return
        if person_key(name, profile.note) in taken_names(session, profile.group_name, except_id=profile_id):
            raise AccountError(duplicate_message(name, profile.group_name, profile.note))
        profile.display_name = name
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["display_name"]})


def archive_profile(db: Database, profile_id: str, actor_id: str | None = None, archived: bool = True) -> None:
    """Hide a profile from the picker (its records stay); `archived=False` brings it back."""
    with db.session() as session:
        require_role(session, actor_id, (COORDINATOR,))
        profile = existing(session, profile_id)
        if profile.archived == archived:
            return
        if archived and profile.role == COORDINATOR:
            active = select(func.count()).where(
                Profile.role == COORDINATOR, Profile.archived.is_(False), Profile.id != profile_id
            )
            if not session.scalar(active):
                raise AccountError(_("The last coordinator cannot be archived; add another coordinator first."))
        if not archived and person_key(profile.display_name, profile.note) in taken_names(
            session, profile.group_name, except_id=profile_id
        ):
            raise AccountError(duplicate_message(profile.display_name, profile.group_name, profile.note))
        profile.archived = archived
        audit.record(session, actor_id, "archive" if archived else "restore", "profile", profile_id)


def move_to_group(db: Database, profile_id: str, group: str | None, *, actor_id: str) -> None:
    """A trainee moves to another class (None: no class); their records go with them."""
    group = clean_group(group)
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        profile = existing(session, profile_id)
        if profile.group_name == group:
            return
        if person_key(profile.display_name, profile.note) in taken_names(session, group, except_id=profile_id):
            raise AccountError(duplicate_message(profile.display_name, group, profile.note))
        profile.group_name = group
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["group_name"]})


def set_note(db: Database, profile_id: str, note: str | None, *, actor_id: str) -> None:
    """Set or (None, blank) remove the note that tells apart two people with the same name in one group."""
    note = clean_note(note)
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.MANAGE_PEOPLE)
        profile = existing(session, profile_id)
        if profile.note == note:
            return
        if not profile.archived and person_key(profile.display_name, note) in taken_names(
            session, profile.group_name, except_id=profile_id
        ):
            raise AccountError(duplicate_message(profile.display_name, profile.group_name, note))
        profile.note = note
        audit.record(session, actor_id, "update", "profile", profile_id, {"fields": ["note"]})
