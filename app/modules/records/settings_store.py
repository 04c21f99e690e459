"""School-wide settings: a key and a JSON value each; every change is audited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, rights
from .models import Setting

if TYPE_CHECKING:
    from .database import Database

KEY_MAX = 100


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    with db.session() as session:
        found = session.get(Setting, key)
        return default if found is None else found.value


def set_setting(db: Database, key: str, value: Any, *, actor_id: str) -> None:
    """Store `value` (anything JSON can hold) under `key`; only a coordinator may."""
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.CHANGE_SETTINGS)
        put_setting(session, key, value, actor_id)


def set_settings(db: Database, values: dict[str, Any], *, actor_id: str) -> None:
    """Several settings in one transaction: a form is saved whole or not at all."""
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.CHANGE_SETTINGS)
        for key, value in values.items():
            put_setting(session, key, value, actor_id)


def put_setting(session: Session, key: str, value: Any, actor_id: str | None) -> None:
    """`set_setting` inside a caller's transaction, which has already checked who is acting."""
    if not key or len(key) > KEY_MAX:
        raise ValueError(f"a setting key must be 1 to {KEY_MAX} characters")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {key!r}: the value cannot be stored as JSON ({exc})") from exc
    found = session.get(Setting, key)
    if found is None:
        session.add(Setting(key=key, value=value, updated_by=actor_id))
        audit.record(session, actor_id, "create", "setting", key, {"value": value})
    elif found.value != value:
        found.value = value
        found.updated_by = actor_id
        audit.record(session, actor_id, "update", "setting", key, {"value": value})


def get_all(db: Database) -> dict[str, Any]:
    with db.session() as session:
        return {s.key: s.value for s in session.scalars(select(Setting))}
