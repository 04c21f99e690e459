"""Backups of the SQLite records: automatic, by hand, rotated, listed, checked and restored.

Every copy is made with SQLite's online backup API (backup.backup_database), never a file
copy of the live database. Kinds of backup, by the first word of the file name:

- `daily`: at most one a day, taken when the program starts; rotation keeps the newest of
  each of the last DAILIES_KEPT days and of the last WEEKLIES_KEPT weeks before those.
- `manual` ("Back up now"): the newest MANUAL_KEPT.
- `before-migration`, `before-import`, `before-restore`: taken before those changes; the
  newest EVENT_KEPT of each.

A restore checks the chosen backup first, backs up the current records (or, when they are
damaged, moves the damaged file aside without writing to it), then copies the backup in
with the same backup API, and reopens the records (migrating them if the backup is older).
A PostgreSQL school backs up with its server's tools: these functions refuse politely.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import TrainingError
from app.core.i18n import N_, _, ngettext

from .sqlite_copy import BACKUP_SUFFIX, backup_database, backup_name  # noqa: F401 - backup_name for callers

if TYPE_CHECKING:
    from app.paths import Locations

    from .database import Database

DAILY = "daily"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_IMPORT = "before-import"
BEFORE_RESTORE = "before-restore"
DAILIES_KEPT = 7
WEEKLIES_KEPT = 4
MANUAL_KEPT = 20
EVENT_KEPT = 5
DAMAGED_PREFIX = "damaged-"

LABELS = {
    DAILY: N_("Daily, automatic"),
    MANUAL: N_("Made with “Back up now”"),
    BEFORE_MIGRATION: N_("Before a program update"),
    BEFORE_IMPORT: N_("Before an import of records"),
    BEFORE_RESTORE: N_("Before a restore"),
}
_NAME = re.compile(r"^(?P<reason>[a-z][a-z-]*?)-(?P<when>\d{8}T\d{6}Z)(?:-\d+)?" + re.escape(BACKUP_SUFFIX) + "$")


class BackupError(TrainingError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    reason: str
    taken_at: datetime  # UTC
    size: int  # bytes

    @property
    def label(self) -> str:
        label = LABELS.get(self.reason)
        return _(label) if label else self.reason.replace("-", " ").capitalize()


def _local_day(when: datetime) -> date:
    return when.astimezone().date()


def parse_name(path: Path) -> tuple[str, datetime] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    when = datetime.strptime(match["when"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return match["reason"], when


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in the folder, the newest first (unfinished `.partial` copies are not listed)."""
    found = []
    try:
        entries = list(backups_dir.iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        parsed = parse_name(path)
        if parsed is None or not path.is_file():
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append(BackupInfo(path, parsed[0], parsed[1], size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def _file_of(locations: Locations) -> Path:
    if locations.database_url and not locations.database_url.startswith("sqlite"):
        raise BackupError(
            _(
                "These records are on a database server; back them up with the server's own tools "
                "(ask whoever runs the server)."
            )
        )
    from sqlalchemy.engine import make_url

    database = make_url(locations.sqlalchemy_url).database
    if not database or database == ":memory:":
        raise BackupError(_("These records are not kept in a file, so there is nothing to back up."))
    return Path(database).expanduser().resolve()


def back_up(locations: Locations, reason: str = MANUAL, when: datetime | None = None) -> BackupInfo:
    """A backup now (the UI's "Back up now" is MANUAL), then rotation."""
    db_file = _file_of(locations)
    if not db_file.is_file():
        raise BackupError(_("There are no records to back up yet ({file} does not exist).").format(file=db_file))
    try:
        path = backup_database(db_file, locations.backups_dir, reason, when)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            _(
                "The backup could not be written in {folder} ({reason}). "
                "Free some disk space or check the folder's permissions."
            ).format(folder=locations.backups_dir, reason=exc)
        ) from exc
    rotate(locations.backups_dir)
    return BackupInfo(path, reason, parse_name(path)[1], path.stat().st_size)


def daily_backup_if_due(locations: Locations, now: datetime | None = None) -> BackupInfo | None:
    """At start-up: a `daily` backup unless one was taken today (local date). None when not due.

    Databases on a server, and a first start with no records yet, are skipped quietly.
    """
    try:
        db_file = _file_of(locations)
    except BackupError:
        return None
    if not db_file.is_file():
        return None
    now = now or datetime.now(UTC)
    today = _local_day(now)
    if any(b.reason == DAILY and _local_day(b.taken_at) == today for b in list_backups(locations.backups_dir)):
        return None
    return back_up(locations, DAILY, now)


def rotate(backups_dir: Path) -> list[Path]:
    """Delete backups the policy no longer keeps (module docstring); returns what was deleted.

    The policy counts days that have a backup, not calendar days: a laptop left in a cupboard
    for a month still has its last week of dailies when it is switched on again.
    """
    backups = list_backups(backups_dir)
    keep: set[Path] = set()
    dailies = [b for b in backups if b.reason == DAILY]
    days_seen: list[date] = []
    weeks_seen: list[tuple[int, int]] = []
    for b in dailies:  # newest first
        day = _local_day(b.taken_at)
        if day in days_seen:
            continue
        if len(days_seen) < DAILIES_KEPT:
            days_seen.append(day)
            keep.add(b.path)
            continue
        week = day.isocalendar()[:2]
        recent_weeks = {d.isocalendar()[:2] for d in days_seen}
        if week in recent_weeks or week in weeks_seen:
            continue
        if len(weeks_seen) < WEEKLIES_KEPT:
            weeks_seen.append(week)
            keep.add(b.path)
    by_reason: dict[str, int] = {}
    for b in backups:
        if b.reason == DAILY:
            continue
        limit = MANUAL_KEPT if b.reason == MANUAL else EVENT_KEPT
        by_reason[b.reason] = by_reason.get(b.reason, 0) + 1
        if by_reason[b.reason] <= limit:
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # tried again at the next rotation
    return removed


def check_backup(path: Path) -> str | None:
    """None if `path` is a whole, undamaged records backup; else what is wrong, in words."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        return _("it cannot be read ({reason})").format(reason=exc.strerror or exc)
    if head != b"SQLite format 3\x00":
        return _("it is not a database file")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return _("it cannot be opened ({reason})").format(reason=exc)
    try:
        if con.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            return _("it is damaged")
        if con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] != 1:
            return _("it is not a Peer Helper Trainer database")
        con.execute("SELECT count(*) FROM profiles").fetchone()
    except sqlite3.Error as exc:
        return _("it is damaged or not a Peer Helper Trainer database ({reason})").format(reason=exc)
    finally:
        con.close()
    return None


def latest_good_backup(backups_dir: Path) -> BackupInfo | None:
    """The newest backup that passes check_backup."""
    for b in list_backups(backups_dir):
        if check_backup(b.path) is None:
            return b
    return None


def is_damaged(db_file: Path) -> bool:
    """True when the records file exists but is not a healthy database (never writes to it)."""
    if not db_file.exists():
        return False
    try:
        with open(db_file, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return True
        from .database import check_file_read_only

        # The same checks as opening: a stray -wal, or integrity_check when a -wal is left over.
        return check_file_read_only(db_file) is not None
    except sqlite3.Error:
        return True


def _sidecars(db_file: Path) -> list[Path]:
    return [db_file, db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")]


def move_damaged_aside(db_file: Path, when: datetime | None = None) -> Path:
    """Rename the damaged file (and its -wal/-shm) to damaged-<time>-<name>; returns the new name."""
    stamp = f"{(when or datetime.now(UTC)).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    target = db_file.with_name(f"{DAMAGED_PREFIX}{stamp}-{db_file.name}")
    n = 2
    while target.exists():
        target = db_file.with_name(f"{DAMAGED_PREFIX}{stamp}-{n}-{db_file.name}")
        n += 1
    for src in _sidecars(db_file):
        if src.exists():
            os.replace(src, target.with_name(target.name + src.name[len(db_file.name) :]))
    return target


@dataclass(frozen=True, slots=True)
class RestoreResult:
    db: Database
    restored_from: BackupInfo
    safety_copy: Path | None  # the current records, backed up before the restore
    damaged_copy: Path | None  # the damaged file, moved aside untouched


def restore(locations: Locations, backup: BackupInfo | Path, db: Database | None = None) -> RestoreResult:
    """Replace the records with `backup` and return them opened.

    `db`, the open records if any, is closed first. Healthy records are backed up
    (`before-restore`) before being overwritten; damaged ones are moved aside untouched.
    """
    from .database import Database

    info = backup if isinstance(backup, BackupInfo) else _info_of(Path(backup))
    problem = check_backup(info.path)
    if problem is not None:
        raise BackupError(
            _("The backup {name} cannot be restored: {problem}. Choose another one.").format(
                name=info.path.name, problem=problem
            )
        )
    db_file = _file_of(locations)
    if db is not None:
        db.close()
    safety = damaged = None
    if is_damaged(db_file):
        damaged = move_damaged_aside(db_file)
    elif db_file.exists():
        safety = back_up(locations, BEFORE_RESTORE).path
    _copy_in(info.path, db_file)
    return RestoreResult(Database.open(locations), info, safety, damaged)


def _info_of(path: Path) -> BackupInfo:
    parsed = parse_name(path) or ("backup", datetime.fromtimestamp(path.stat().st_mtime, UTC))
    return BackupInfo(path, parsed[0], parsed[1], path.stat().st_size)


def _copy_in(source: Path, db_file: Path) -> None:
    """Write `source` over the records with the backup API (which also resets the -wal)."""
    db_file.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(db_file)
        try:
            src.backup(dest)
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(
            _("The backup could not be copied into place ({reason}). The records were not changed.").format(reason=exc)
        ) from exc
    finally:
        src.close()


def age_in_words(when: datetime, now: datetime | None = None) -> str:
    """ "today at 09:14", "yesterday at 17:02", "3 days ago (Mon 12 May)" in local time."""
    local = when.astimezone()
    today = _local_day(now or datetime.now(UTC))
    days = (today - local.date()).days
    if days <= 0:
        return _("today at {time}").format(time=f"{local:%H:%M}")
    if days == 1:
        return _("yesterday at {time}").format(time=f"{local:%H:%M}")
    return ngettext("{n} day ago ({date}, {time})", "{n} days ago ({date}, {time})", days).format(
        n=days, date=f"{local:%a %d %b %Y}", time=f"{local:%H:%M}"
    )


def size_in_words(size: int) -> str:
    if size < 1024 * 1024:
        return _("{size} KB").format(size=max(1, round(size / 1024)))
    return _("{size} MB").format(size=f"{size / (1024 * 1024):.1f}")
