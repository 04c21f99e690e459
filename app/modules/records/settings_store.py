"""School-wide settings: a key and a JSON value each; every change is audited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .models import Setting

if TYPE_CHECKING:
    from .database import Database

KEY_MAX = 100


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    with db.session() as session:
        found = session.get(Setting, key)
        return default if found is None else found.value


def set_setting(db: Database, key: str, value: Any, actor_id: str | None = None) -> None:
    """Store `value` (anything JSON can hold) under `key`."""
    with db.session() as session:
        put_setting(session, key, value, actor_id)


def put_setting(session: Session, key: str, value: Any, actor_id: str | None) -> None:
    """`set_setting` inside a caller's transaction."""
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
