"""Who may change what: the one table of the roles' rights, checked inside every operation.

The window hides what a role cannot do, but hiding is not a check: each domain operation that
changes records takes the acting profile's id and calls `require` in the same transaction as
the change, so a trainee (or a caller that passes no actor at all) is refused there.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy.orm import Session

from app.core.errors import PermissionDenied
from app.core.i18n import N_, _

from .models import COORDINATOR, TRAINEE, TRAINER, Profile

# What a role is called in a sentence ("A {role} cannot ...").
ROLE_WORDS = {TRAINEE: N_("trainee"), TRAINER: N_("trainer"), COORDINATOR: N_("coordinator")}


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


# The whole refusal for each right: one sentence per right, so that each language can phrase it.
_REFUSALS = {
    Right.RECORD_OWN_PROGRESS: N_("A {role} cannot record lessons, checks and role-plays. Ask a coordinator."),
    Right.SET_OWN_PREFERENCES: N_("A {role} cannot change these preferences. Ask a coordinator."),
    Right.VIEW_COHORT: N_("A {role} cannot see other people's records. Ask a coordinator."),
    Right.SIGN_OFF: N_("A {role} cannot sign off observed role-plays. Ask a coordinator."),
    Right.SUPERVISE: N_("A {role} cannot see helpers' support check-ins or mark a debrief done. Ask a coordinator."),
    Right.MANAGE_PEOPLE: N_("A {role} cannot add, rename or archive people or reset their secrets. Ask a coordinator."),
    Right.CHANGE_SETTINGS: N_("A {role} cannot change the school's settings. Ask a coordinator."),
    Right.ISSUE_CERTIFICATES: N_("A {role} cannot issue certificates. Ask a coordinator."),
    Right.EXCHANGE_RECORDS: N_("A {role} cannot import records from another laptop. Ask a coordinator."),
    Right.ERASE: N_("A {role} cannot erase a trainee's records. Ask a coordinator."),
}


def refusal(role: str | None, right: Right) -> str:
    """The sentence shown when `role` may not do `right`, in the current language."""
    word = ROLE_WORDS.get(role or "")
    return _(_REFUSALS[right]).format(role=_(word) if word else role)


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
        raise PermissionDenied(_("Sign in first: this change has to be made by someone."))
    actor = session.get(Profile, actor_id)
    if actor is None or actor.archived:
        raise PermissionDenied(_("This profile can no longer make changes: it was archived or removed."))
    if subject_id is not None and subject_id == actor_id and right in _EVERYONE:
        return actor
    if subject_id is not None and subject_id != actor_id and right in _EVERYONE:
        right = Right.MANAGE_PEOPLE  # someone else's own things are managed by a coordinator
    if right not in ROLE_RIGHTS.get(actor.role, frozenset()):
        raise PermissionDenied(refusal(actor.role, right))
    return actor
