"""The tables a record bundle carries, and their rows as plain JSON values.

Settings are the school's and this laptop's own (its device id): they never travel. A
profile's wrong-password count and wait are this laptop's business too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, Table, select
from sqlalchemy.engine import Connection

from app.modules.records.models import Base, UTCDateTime

# Parents before children, so rows can be inserted in this order.
MERGED_TABLES = (
    "profiles",
    "lesson_progress",
    "quiz_attempts",
    "quiz_answers",
    "scenario_attempts",
    "scenario_steps",
    "sign_offs",
    "certificates",
    "audit_log",
)
LOCAL_ONLY = {"profiles": {"failed_attempts", "next_attempt_at"}}


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def carried_columns(name: str) -> list[Column]:
    skip = LOCAL_ONLY.get(name, set())
    return [c for c in table(name).columns if c.name not in skip]


def to_json(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return value.isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    return value


def from_json(column: Column, value: Any) -> Any:
    """The Python value for `column` from its JSON form; ValueError when it cannot be one."""
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"{column.name}: a time without a time zone")
        return parsed
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def dump(connection: Connection, name: str) -> Iterator[dict[str, Any]]:
    """Every row of `name` as a JSON-ready dict, in primary key order (stable bundles)."""
    cols = carried_columns(name)
    t = table(name)
    for row in connection.execute(select(*cols).order_by(*t.primary_key.columns)):
        yield {c.name: to_json(c, v) for c, v in zip(cols, row, strict=True)}


def profile_columns(name: str) -> list[str]:
    """Columns of `name` that point at a profile."""
    return sorted(c.parent.name for c in table(name).foreign_keys if c.column.table.name == "profiles")


def cascades_from_profile(name: str) -> list[str]:
    """Profile columns whose row goes when the profile goes (ON DELETE CASCADE)."""
    return sorted(
        fk.parent.name
        for fk in table(name).foreign_keys
        if fk.column.table.name == "profiles" and fk.ondelete == "CASCADE"
    )


def parent_links(name: str) -> list[tuple[str, str]]:
    """(column, parent table) for links to merged tables other than profiles."""
    return sorted(
        (fk.parent.name, fk.column.table.name) for fk in table(name).foreign_keys if fk.column.table.name != "profiles"
    )
