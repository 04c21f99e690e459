"""Opening the records database: checks, pragmas, backup, migrations, sessions.

`Database.open(locations)` either returns a ready database at the current schema or raises
`DatabaseUnavailable(message, advice)` that the UI shows as is. It never creates a database
over a file it cannot read, and never migrates without a backup of the file first.

Checks before anything is written (issue 14): the file is first looked at through a separate
read-only connection, which never checkpoints, so a file that fails is left exactly as found,
its `-wal` included. A `-wal` found beside the file means the program did not close properly
(SQLite removes it at a clean close): then the full `PRAGMA integrity_check` runs, not just
`quick_check`, which does not look at indexes. A clean close leaves a mark
(`<file>.closed-cleanly`); a `-wal` beside that mark was put there afterwards (an older copy put
back, or another database's) and is refused, since replaying it would silently replace records.
A zero-byte file with backups beside it is treated as damaged (restore), not as a first start.

Start-up cost: on an up-to-date database, opening is a handful of small queries and does not
import alembic (see `HEAD_REVISION`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core import private_files
from app.core.errors import TrainingError
from app.core.i18n import _

from . import audit
from .models import Setting, new_id

# The newest migration in migrations/versions/. A test checks it equals alembic's head (and
# peek.HEAD_REVISION); raise it with every new migration.
HEAD_REVISION = "0005_checkin_weight_not_asked"

if TYPE_CHECKING:
    from app.paths import Locations

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds to wait for another writer (or a reader, for a checkpoint) before giving up
DEVICE_ID_KEY = "device_id"
SQLITE_MAGIC = b"SQLite format 3\x00"
CLEAN_CLOSE_SUFFIX = ".closed-cleanly"
IMMEDIATE_OPTION = "peer_trainer_immediate"


def wal_of(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + "-wal")


def clean_close_mark(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + CLEAN_CLOSE_SUFFIX)


def has_wal(db_file: Path) -> bool:
    try:
        return wal_of(db_file).stat().st_size > 0
    except OSError:
        return False


def stray_wal(db_file: Path) -> Path | None:
    """The `-wal` beside `db_file` if it appeared after the program last closed the file cleanly."""
    if has_wal(db_file) and clean_close_mark(db_file).exists():
        return wal_of(db_file)
    return None


def _busy_wait(busy_timeout: float | None) -> float:
    """The wait asked for, or the default as it is now (read when called, not when imported)."""
    return DEFAULT_BUSY_TIMEOUT if busy_timeout is None else busy_timeout


def check_file_read_only(db_file: Path, busy_timeout: float | None = None) -> str | None:
    """None if the file passes its checks; else the failed check, in words. Never writes to it.

    A read-only connection never checkpoints, so a `-wal` is left as found when a check fails.
    """
    busy_timeout = _busy_wait(busy_timeout)
    if stray_wal(db_file) is not None:
        return _("a -wal file was put beside it after the program last closed it")
    pragma = "integrity_check" if has_wal(db_file) else "quick_check"
    con = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout)
    try:
        rows = [row[0] for row in con.execute(f"PRAGMA {pragma}").fetchmany(5)]
    finally:
        con.close()
    return None if rows == ["ok"] else f"{pragma} failed: {'; '.join(map(str, rows))}"


class DatabaseUnavailable(TrainingError):
    """The records cannot be opened. `message` says what happened, `advice` what to do.

    `damaged` is True when the file failed its integrity check: the program then offers to
    restore the latest good backup (records.backups.restore), never writing to the damaged file.
    """

    def __init__(self, message: str, advice: str, damaged: bool = False, stray_wal: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice
        self.damaged = damaged
        self.stray_wal = stray_wal  # a -wal put beside the file after a clean close (set_aside_stray_wal)

    def __str__(self) -> str:
        return f"{self.message} {self.advice}"


def create_records_engine(
    url: str | URL, busy_timeout: float | None = None, foreign_keys: bool = True, durable: bool = True
) -> Engine:
    """An engine with the records' SQLite settings on every connection.

    WAL lets the UI read while a step is being written; synchronous=FULL makes each commit
    survive a power cut. SQLAlchemy's documented recipe (driver autocommit + our own BEGIN)
    makes transactions real: without it pysqlite starts them only at the first write.
    `durable=False` (synchronous=OFF) is for a throwaway file such as the sample school: a commit
    then does not wait for the disk, and a power cut may lose or damage the file.
    """
    engine = create_engine(url)
    if engine.dialect.name != "sqlite":
        return engine
    busy_ms = max(1, int(_busy_wait(busy_timeout) * 1000))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock at once (waiting up to busy_timeout for it), so a
        # read-then-write such as a sign-in attempt cannot be interleaved with another one.
        immediate = connection.get_execution_options().get(IMMEDIATE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """An open records database. Use `session()` for each unit of work."""

    def __init__(self, engine: Engine, locations: Locations, device_id: str, backup: Path | None) -> None:
        self.engine = engine
        self.locations = locations
        self.device_id = device_id  # this laptop's id, made at first open
        self.backup = backup  # the copy taken before a migration during this open, if any
        self.not_private: list[Path] = []  # files others may still read (a file system without permissions)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writing = sessionmaker(engine.execution_options(**{IMMEDIATE_OPTION: True}), expire_on_commit=False)

    @classmethod
    def open(cls, locations: Locations, busy_timeout: float | None = None, durable: bool = True) -> Database:
        """The records, checked and migrated. `durable=False`: see create_records_engine."""
        busy_timeout = _busy_wait(busy_timeout)
        url = make_url(locations.sqlalchemy_url)
        place = _Place.of(url, locations)
        existed = place.check_file() if place.file is not None else True
        not_private = private_files.repair(locations.data_dir)  # 0700 folders, 0600 files
        if place.file is not None and existed:
            place.check_read_only(busy_timeout)
            clean_close_mark(place.file).unlink(missing_ok=True)  # open now: unclean until close()
        elif place.file is not None:
            private_files.create_private(place.file)  # SQLite gives its -wal and -shm the same mode
        engine = create_records_engine(url, busy_timeout, durable=durable)
        try:
            with engine.connect() as connection:
                revision = _current_revision(connection, place)
            backup = None
            if revision != HEAD_REVISION:
                backup = _migrate(url, busy_timeout, revision, place, take_backup=existed)
            db = cls(engine, locations, "", backup)
            db.not_private = not_private
            db.device_id = db._ensure_device_id()
            return db
        except DatabaseUnavailable:
            engine.dispose()
            raise
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            engine.dispose()
            raise place.explain(exc) from exc

    @contextmanager
    def session(self, immediate: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on an exception.

        `immediate=True` takes the write lock when the transaction starts (SQLite BEGIN IMMEDIATE,
        waiting for another writer up to the busy timeout) for a read-then-write that must not
        interleave with another; on PostgreSQL lock the rows with SELECT ... FOR UPDATE instead.
        """
        with (self._writing if immediate else self._sessions).begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        file = _Place.of(make_url(self.locations.sqlalchemy_url), self.locations).file
        if file is not None and file.exists() and not wal_of(file).exists():
            # SQLite removed the -wal: every change is in the file. Another copy still reading
            # keeps the -wal, and then no mark is left (the next open checks everything).
            try:
                private_files.create_private(clean_close_mark(file))
            except OSError:
                pass  # without the mark the next open only checks more

    def _ensure_device_id(self) -> str:
        with self.session() as session:
            found = session.get(Setting, DEVICE_ID_KEY)
            if found is not None:
                return str(found.value)
            device_id = new_id()
            session.add(Setting(key=DEVICE_ID_KEY, value=device_id))
            audit.record(session, None, "create", "setting", DEVICE_ID_KEY)
            return device_id


class _Place:
    """Where the records live, and how to explain a failure to open them."""

    def __init__(self, url: URL, file: Path | None, backups_dir: Path) -> None:
        self.url = url
        self.file = file
        self.backups_dir = backups_dir

    @classmethod
    def of(cls, url: URL, locations: Locations) -> _Place:
        file = None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            file = Path(url.database).expanduser().resolve()
        return cls(url, file, locations.backups_dir)

    @property
    def folder(self) -> Path:
        assert self.file is not None
        return self.file.parent

    def check_file(self) -> bool:
        """Refuse early what SQLite would fail on later; True if a non-empty file exists."""
        try:
            if self.folder.exists():  # never change the mode of a folder we did not create (say, /tmp)
                self.folder.mkdir(parents=True, exist_ok=True)  # a file there: FileExistsError
            else:
                private_files.make_private_dir(self.folder)
        except OSError as exc:
            raise DatabaseUnavailable(
                _("The folder for the records, {folder}, cannot be created ({reason}).").format(
                    folder=self.folder, reason=_reason(exc)
                ),
                _(
                    "Start the program with a data folder you may write to (--data-dir), "
                    "or ask whoever manages this computer for write access."
                ),
            ) from exc
        self._probe_folder()
        if not self.file.exists():
            return False
        if self.file.stat().st_size == 0 and _has_backups(self.backups_dir):
            raise self.empty_with_backups()
        try:
            with open(self.file, "rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
            os.close(os.open(self.file, os.O_RDWR))  # may we write? (changes nothing)
        except PermissionError as exc:
            raise self._read_only(exc) from exc
        except OSError as exc:
            raise self._cannot_open(exc) from exc
        if head and head != SQLITE_MAGIC:
            raise self.corrupt()
        return bool(head)

    def _probe_folder(self) -> None:
        # SQLite needs to create -wal and -shm files beside the database.
        probe = self.folder / f".write-test-{os.getpid()}"
        try:
            os.close(os.open(probe, os.O_CREAT | os.O_WRONLY, 0o600))
            probe.unlink()
        except OSError as exc:
            raise self._read_only(exc) from exc

    def explain(self, exc: BaseException) -> DatabaseUnavailable:
        if isinstance(exc, DBAPIError) and exc.orig is not None:
            exc = exc.orig
        text_ = str(exc).lower()
        if self.file is None:
            return DatabaseUnavailable(
                _("The records database at {address} cannot be used ({reason}).").format(
                    address=self.url.render_as_string(hide_password=True), reason=exc
                ),
                _("Check that the database server is running and the database address in the settings is right."),
            )
        if _is_lock(exc):
            return DatabaseUnavailable(
                _("The records are in use by another copy of Peer Helper Trainer."),
                _(
                    "Close the other copy (another window, or another user signed in on this computer) "
                    "and try again. If none is running, restart the computer."
                ),
            )
        if "not a database" in text_ or "malformed" in text_ or "corrupt" in text_:
            return self.corrupt()
        if "readonly" in text_ or "read-only" in text_ or isinstance(exc, PermissionError):
            return self._read_only(exc)
        if "full" in text_:
            return DatabaseUnavailable(
                _("The disk that holds the records ({folder}) is full.").format(folder=self.folder),
                _("Free some space on this disk, then start the program again. Nothing has been changed."),
            )
        return self._cannot_open(exc)

    def corrupt(self) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            _("The records file {file} is damaged and cannot be opened. It has not been changed.").format(
                file=self.file
            ),
            _(
                "Keep that file for IT support (it may be repairable). To carry on, close the program, "
                "move the damaged file elsewhere and copy the newest backup from {folder} "
                "into its place with the same name."
            ).format(folder=self.backups_dir),
            damaged=True,
        )

    def check_read_only(self, busy_timeout: float | None = None) -> None:
        """Run the file's checks through a read-only connection (never checkpoints); raise if they fail.

        It waits for another writer as long as the open does (`busy_timeout`), no longer."""
        assert self.file is not None
        wal = stray_wal(self.file)
        if wal is not None:
            raise self.stray(wal)
        try:
            problem = check_file_read_only(self.file, busy_timeout)
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc
        if problem is not None:
            raise self.corrupt()

    def stray(self, wal: Path) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            _(
                "A journal file, {wal}, was put beside the records after the program last closed them properly. "
                "It does not belong to them (it may be an older copy, or another computer's), and reading it could "
                "replace records silently. Nothing has been changed."
            ).format(wal=wal),
            _(
                "Move {name} out of {folder} (keep it for IT support) and start the program again: the "
                "records are then as they were when the program last closed. Or restore the newest backup from "
                "{backups}."
            ).format(name=wal.name, folder=self.folder, backups=self.backups_dir),
            damaged=True,
            stray_wal=wal,
        )

    def empty_with_backups(self) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            _(
                "The records file {file} is empty (0 bytes), but there are backups beside it. It has not been changed."
            ).format(file=self.file),
            _(
                "Restore the newest backup from {folder}. Only if this computer should start a new "
                "school from nothing, move the empty file elsewhere and start again."
            ).format(folder=self.backups_dir),
            damaged=True,
        )

    def _read_only(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            _("Peer Helper Trainer cannot write its records in {folder} ({reason}).").format(
                folder=self.folder, reason=_reason(exc)
            ),
            _(
                "Ask whoever manages this computer to give your account write access to that folder, "
                "or start the program with a data folder you may write to (--data-dir)."
            ),
        )

    def _cannot_open(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            _("The records file {file} cannot be opened ({reason}).").format(file=self.file, reason=_reason(exc)),
            _("Check that the disk or USB stick is connected and working, then start the program again."),
        )


def _is_lock(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text_ = str(exc).lower()
    return "locked" in text_ or "busy" in text_


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _has_backups(backups_dir: Path) -> bool:
    from .backups import list_backups

    try:
        return bool(list_backups(backups_dir))
    except OSError:
        return False


def set_aside_stray_wal(db_file: Path) -> Path:
    """Move a stray `-wal` (see `stray_wal`) aside, unread, as stray-<time>-<name>-wal; returns where."""
    from datetime import UTC, datetime

    wal = wal_of(db_file)
    target = db_file.with_name(f"stray-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{wal.name}")
    os.replace(wal, target)
    db_file.with_name(db_file.name + "-shm").unlink(missing_ok=True)  # the index of the -wal, rebuilt
    return target


def _current_revision(connection: Any, place: _Place) -> str | None:
    """The stored alembic revision; None for a database with no schema yet."""
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except (OperationalError, ProgrammingError):
        connection.rollback()  # PostgreSQL aborts the transaction on an error
        if inspect(connection).get_table_names():
            raise DatabaseUnavailable(
                (
                    _("{file} holds tables but is not a Peer Helper Trainer database.").format(file=place.file)
                    if place.file
                    else _("This database holds tables but is not a Peer Helper Trainer database.")
                ),
                _("Point the program at its own data folder (--data-dir) or an empty database."),
            ) from None
        return None
    if len(rows) > 1:
        raise DatabaseUnavailable(
            _("The records database has several schema versions at once ({versions}).").format(
                versions=", ".join(rows)
            ),
            _("Restore the newest backup, or send this message to IT support."),
        )
    return rows[0] if rows else None


def _migrate(url: URL, busy_timeout: float, revision: str | None, place: _Place, take_backup: bool) -> Path | None:
    from . import migrate  # alembic loads only when a migration is due

    if revision is not None and not migrate.is_known_revision(revision):
        raise DatabaseUnavailable(
            _("These records were saved by a newer version of Peer Helper Trainer (schema {revision}).").format(
                revision=revision
            ),
            _("Install the newest version of the program on this computer. Nothing has been changed."),
        )
    backup = None
    if take_backup and place.file is not None:
        try:
            from .sqlite_copy import backup_database

            backup = backup_database(place.file, place.backups_dir)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailable(
                _("The records need an update, but no backup could be made first in {folder} ({reason}).").format(
                    folder=place.backups_dir, reason=_reason(exc)
                ),
                _("Nothing has been changed. Free some disk space or fix the folder's permissions, then start again."),
            ) from exc
    engine = create_records_engine(url, busy_timeout, foreign_keys=False)
    try:
        migrate.upgrade_to_head(engine, revision)
    except (SQLAlchemyError, sqlite3.Error, RuntimeError) as exc:
        if _is_lock(exc):
            raise place.explain(exc) from exc
        raise DatabaseUnavailable(
            _("Updating the records to this version of the program failed ({reason}).").format(reason=exc),
            _(
                "The records were left as they were. A copy taken before the update is at {backup}. "
                "Send this message to IT support."
            ).format(backup=backup)
            if backup
            else _("The records were left as they were. Send this message to IT support."),
        ) from exc
    finally:
        engine.dispose()
    return backup
