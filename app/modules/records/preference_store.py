"""A profile's own preferences: text size, theme, speech rate, whether the tour was seen, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.i18n import _

from . import audit, rights
from .profile_store import PermissionDenied, existing

if TYPE_CHECKING:
    from .database import Database


def get_preferences(db: Database, profile_id: str) -> dict[str, Any]:
    with db.session() as session:
        return dict(existing(session, profile_id).preferences or {})


def set_preferences(db: Database, profile_id: str, changes: dict[str, Any], *, actor_id: str) -> dict[str, Any]:
    """Merge `changes` into the profile's preferences (text size, theme, ...); returns them all.

    A profile changes its own; a coordinator may change anyone's.
    """
    from .wellbeing import YOUNGER_KEY

    if YOUNGER_KEY in changes:  # a coordinator's tick (wellbeing.set_younger), not a preference of one's own
        raise PermissionDenied(_("Only a coordinator can say who is younger than the school's age, in People."))
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.SET_OWN_PREFERENCES, subject_id=profile_id)
        profile = existing(session, profile_id)
        merged = {**(profile.preferences or {}), **changes}
        if merged != profile.preferences:
            profile.preferences = merged  # a new dict: JSON columns do not see in-place edits
            audit.record(session, profile_id, "update", "profile", profile_id, {"preferences": sorted(changes)})
        return dict(merged)
