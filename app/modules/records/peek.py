"""A quick, read-only look at the profiles, for the profile picker at start-up.

Importing SQLAlchemy costs several times as long as showing an empty window, and a trainee
waiting at the picker should not pay for it. When the records are a local SQLite file at the
current schema, the picker's list is read here with the standard library's sqlite3, while the
full `Database.open` (checks, migrations, SQLAlchemy) runs in the background. Anything unusual
returns None and the caller takes the full path; this module never writes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .profile_summary import ProfileSummary

# Kept equal to database.HEAD_REVISION by a test; not imported from there, because importing
# database.py imports SQLAlchemy, which is what this module exists to avoid.
HEAD_REVISION = "0005_checkin_weight_not_asked"
# Before 0004 profiles had no note: the picker can still show such a file at once (the full open
# migrates it in the background meanwhile).
BEFORE_NOTE = "0003_after_certificate"


@dataclass(frozen=True, slots=True)
class Peek:
    profiles: list[ProfileSummary]
    settings: dict
    needs_setup: bool


def peek(database_file: Path) -> Peek | None:
    if not database_file.is_file():
        return None
    wal = database_file.with_name(database_file.name + "-wal")
    closed_cleanly = database_file.with_name(database_file.name + ".closed-cleanly")  # database.py
    if closed_cleanly.exists() and wal.is_file() and wal.stat().st_size > 0:
        # A -wal put beside records closed cleanly is not theirs (an older copy, another school's):
        # the full open refuses it; the picker must not show what it holds.
        return None
    try:
        con = sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] not in (HEAD_REVISION, BEFORE_NOTE):
            return None
        note = "note" if row[0] == HEAD_REVISION else "NULL"
        rows = con.execute(
            f"SELECT id, display_name, role, group_name, secret_hash IS NOT NULL, {note} FROM profiles "
            f"WHERE archived = 0 ORDER BY coalesce(group_name, ''), lower(display_name), coalesce({note}, '')"
        ).fetchall()
        settings = {}
        for key, value in con.execute(
            "SELECT key, value FROM settings WHERE key LIKE 'school.%' OR key LIKE 'programme.%'"
        ):
            try:
                settings[key] = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                settings[key] = value
    except sqlite3.Error:
        return None
    finally:
        con.close()
    profiles = [ProfileSummary(r[0], r[1], r[2], r[3], bool(r[4]), note=r[5]) for r in rows]
    return Peek(profiles, settings, needs_setup=not any(p.role == "coordinator" for p in profiles))
