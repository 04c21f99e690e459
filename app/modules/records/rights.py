"""Who may change what: the one table of the roles' rights, checked inside every operation.

The window hides what a role cannot do, but hiding is not a check: each domain operation that
changes records takes the acting profile's id and calls `require` in the same transaction as
the change, so a trainee (or a caller that passes no actor at all) is refused there.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy.orm import Session

from app.core.errors import PermissionDenied

from .models import COORDINATOR, TRAINEE, TRAINER, Profile


class Right(Enum):
    """What an operation needs; the value finishes the sentence "You cannot ..."."""

    RECORD_OWN_PROGRESS = "record lessons, checks and role-plays"
    SET_OWN_PREFERENCES = "change these preferences"
    VIEW_COHORT = "see other people's records"
    SIGN_OFF = "sign off observed role-plays"
    SUPERVISE = "see helpers' support check-ins or mark a debrief done"
    MANAGE_PEOPLE = "add, rename or archive people or reset their secrets"
    CHANGE_SETTINGS = "change the school's settings"
    ISSUE_CERTIFICATES = "issue certificates"
    EXCHANGE_RECORDS = "import records from another laptop"
    ERASE = "erase a trainee's records"


_EVERYONE = {Right.RECORD_OWN_PROGRESS, Right.SET_OWN_PREFERENCES}
ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    TRAINEE: frozenset(_EVERYONE),
    TRAINER: frozenset(_EVERYONE | {Right.VIEW_COHORT, Right.SIGN_OFF, Right.SUPERVISE}),
    COORDINATOR: frozenset(Right),
}


def role_may(role: str | None, right: Right) -> bool:
    """For showing or hiding controls; the operation itself still calls `require`."""
    return role is not None and right in ROLE_RIGHTS.get(role, frozenset())


def require(session: Session, actor_id: str | None, right: Right, *, subject_id: str | None = None) -> Profile:
    """The acting profile, if it is active and its role has `right`; else PermissionDenied.

    `subject_id` is the profile being changed: acting on yourself needs only the "own" rights.
    """
    if not actor_id:
        raise PermissionDenied("Sign in first: this change has to be made by someone.")
    actor = session.get(Profile, actor_id)
    if actor is None or actor.archived:
        raise PermissionDenied("This profile can no longer make changes: it was archived or removed.")
    if subject_id is not None and subject_id == actor_id and right in _EVERYONE:
        return actor
    if subject_id is not None and subject_id != actor_id and right in _EVERYONE:
        right = Right.MANAGE_PEOPLE  # someone else's own things are managed by a coordinator
    if right not in ROLE_RIGHTS.get(actor.role, frozenset()):
        raise PermissionDenied(f"A {actor.role} cannot {right.value}. Ask a coordinator.")
    return actor
