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

from app.core.i18n import _
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
    "refresher_cards",
    "refresher_reviews",
    "support_checkins",
    "confidence_ratings",
    "survey_answers",
    "audit_log",
)
# Not carried: support_checkin_months, the counts left after the retention period. Each laptop keeps
# its own (its own entries became them); adding another laptop's counts twice could not be undone.
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


# --- rows from another laptop, checked as if they had been typed here ----------------------

TEXT_MAX = 4000  # a question, a choice, a reason: far longer than any the program writes
TEXT_LIMITS = {("sign_offs", "note"): 200}  # sign_offs.NOTE_MAX: what the sign-off page accepts
NAME_COLUMNS = {
    ("profiles", "display_name"),
    ("profiles", "group_name"),
    ("profiles", "note"),
    ("certificates", "trainee_name"),
}
# Columns added after FORMAT 2 began: a bundle from a laptop not yet updated leaves them out (None).
ADDED_COLUMNS = {"profiles": {"note"}}  # migration 0004
INT_LIMIT = 2**31


def check_row(name: str, row: dict[str, Any]) -> str | None:
    """What is wrong with a row of `name` in its JSON form, in words; None when it is fine."""
    from sqlalchemy import JSON, Boolean, Float, Integer, String, Text

    from app.modules.records.models import ROLES
    from app.modules.records.profile_store import AccountError, clean_name
    from app.modules.records.secret_hashing import parse_hash

    for column in carried_columns(name):
        value = row.get(column.name)
        label = column.name.replace("_", " ")
        if value is None:
            if not column.nullable:
                return f"has no {label}"
            continue
        kind = column.type
        try:
            if isinstance(kind, UTCDateTime | Date):
                if not isinstance(value, str) or len(value) > 40:
                    return _("has a {column} that is not a date").format(column=label)
                from_json(column, value)
            elif isinstance(kind, Boolean):
                if not isinstance(value, bool):
                    return _("has a {column} that is not yes or no").format(column=label)
            elif isinstance(kind, Integer):
                if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= INT_LIMIT:
                    return _("has a {column} that is not a whole number in range").format(column=label)
            elif isinstance(kind, Float):
                if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                    return _("has a {column} that is not a number").format(column=label)
                if abs(value) > 1e9:
                    return _("has a {column} out of range").format(column=label)
            elif isinstance(kind, JSON):
                pass  # any JSON value; its size is capped with the row's (bundle.MAX_LINE_BYTES)
            elif isinstance(kind, String | Text):
                if not isinstance(value, str):
                    return _("has a {column} that is not text").format(column=label)
                limit = (
                    kind.length
                    if isinstance(kind, String) and kind.length
                    else TEXT_LIMITS.get((name, column.name), TEXT_MAX)
                )
                if len(value) > limit:
                    return _("has a {column} of {n} characters (at most {limit})").format(
                        column=label, n=len(value), limit=limit
                    )
                if (name, column.name) in NAME_COLUMNS:
                    if clean_name(value, label) != value:
                        return _("has a {column} with extra spaces").format(column=label)
                elif any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
                    return _("has a {column} with characters that cannot be shown").format(column=label)
        except AccountError as exc:
            return _("has a {column} that could not be typed here ({reason})").format(column=label, reason=exc.message)
        except (ValueError, TypeError, OverflowError):
            return _("has a {column} that cannot be read").format(column=label)
    if name == "profiles":
        if row["role"] not in ROLES:
            return _("has an unknown role")
        if row["secret_hash"] is not None and parse_hash(row["secret_hash"]) is None:
            return _("has a password in a form this program does not write")
    return None
