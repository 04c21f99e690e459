"""The records as files, before anyone is signed in: opening them, the daily backup, and the way
back from a damaged file. (Restoring from the Records tab, by a signed-in coordinator, goes
through `Training.records`.) The words for ages and sizes are here so the screens say them the
same way everywhere.
"""

from __future__ import annotations

from app.modules.exchange.bundle import SUFFIX as BUNDLE_SUFFIX
from app.modules.records.backups import (
    MANUAL,
    BackupInfo,
    age_in_words,
    daily_backup_if_due,
    latest_good_backup,
    list_backups,
    restore,
    size_in_words,
)
from app.modules.records.database import Database, DatabaseUnavailable, set_aside_stray_wal
from app.modules.records.erasure import same_name

__all__ = [
    "BUNDLE_SUFFIX",
    "MANUAL",
    "BackupInfo",
    "Database",
    "DatabaseUnavailable",
    "age_in_words",
    "daily_backup_if_due",
    "latest_good_backup",
    "list_backups",
    "open_records",
    "restore",
    "same_name",
    "set_aside_stray_wal",
    "size_in_words",
]


def open_records(locations) -> Database:
    """Open (and if needed migrate, after a backup) the records; DatabaseUnavailable says why not."""
    return Database.open(locations)
