"""Consistent copies of the SQLite records file, taken with SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages still in the -wal file,
or catch a half-written page; the backup API copies a consistent snapshot even while the
program has the database open.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from app.core import private_files

BACKUP_SUFFIX = ".sqlite3"


def backup_name(reason: str, when: datetime) -> str:
    return f"{reason}-{when.astimezone(UTC):%Y%m%dT%H%M%SZ}{BACKUP_SUFFIX}"


def backup_database(
    db_file: Path, backups_dir: Path, reason: str = "before-migration", when: datetime | None = None
) -> Path:
    """Copy `db_file` to `backups_dir/<reason>-<UTC timestamp>.sqlite3` and return that path.

    The copy is written under a temporary name and renamed when complete, so a file with the
    final name is always a whole backup. Raises OSError or sqlite3.Error on failure.
    """
    private_files.make_private_dir(backups_dir)
    target = _free_path(backups_dir, backup_name(reason, when or datetime.now(UTC)))
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"{Path(db_file).resolve().as_uri()}?mode=ro", uri=True)
    try:
        private_files.create_private(partial)  # readable by this account only, from the first byte
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.replace(partial, target)
    return target


def _free_path(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `name` with -2, -3, ... before the suffix when it is taken."""
    path = folder / name
    stem = name.removesuffix(BACKUP_SUFFIX)
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{BACKUP_SUFFIX}"
        n += 1
    return path
