"""Opening the records database: checks, pragmas, backup, migrations, sessions.

`Database.open(locations)` either returns a ready database at the current schema or raises
`DatabaseUnavailable(message, advice)` that the UI shows as is. It never creates a database
over a file it cannot read, and never migrates without a backup of the file first.

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

from app.core.errors import TrainingError

from . import audit
from .models import Setting, new_id

# The newest migration in migrations/versions/. A test checks it equals alembic's head (and
# peek.HEAD_REVISION); raise it with every new migration.
HEAD_REVISION = "0003_after_certificate"

if TYPE_CHECKING:
    from app.paths import Locations

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds to wait for another writer before giving up
DEVICE_ID_KEY = "device_id"
SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseUnavailable(TrainingError):
    """The records cannot be opened. `message` says what happened, `advice` what to do.

    `damaged` is True when the file failed its integrity check: the program then offers to
    restore the latest good backup (records.backups.restore), never writing to the damaged file.
    """

    def __init__(self, message: str, advice: str, damaged: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice
        self.damaged = damaged

    def __str__(self) -> str:
        return f"{self.message} {self.advice}"


def create_records_engine(
    url: str | URL, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, foreign_keys: bool = True
) -> Engine:
    """An engine with the records' SQLite settings on every connection.

    WAL lets the UI read while a step is being written; synchronous=FULL makes each commit
    survive a power cut. SQLAlchemy's documented recipe (driver autocommit + our own BEGIN)
    makes transactions real: without it pysqlite starts them only at the first write.
    """
    engine = create_engine(url)
    if engine.dialect.name != "sqlite":
        return engine
    busy_ms = max(1, int(busy_timeout * 1000))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


class Database:
    """An open records database. Use `session()` for each unit of work."""

    def __init__(self, engine: Engine, locations: Locations, device_id: str, backup: Path | None) -> None:
        self.engine = engine
        self.locations = locations
        self.device_id = device_id  # this laptop's id, made at first open
        self.backup = backup  # the copy taken before a migration during this open, if any
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, locations: Locations, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
        url = make_url(locations.sqlalchemy_url)
        place = _Place.of(url, locations)
        existed = place.check_file() if place.file is not None else True
        engine = create_records_engine(url, busy_timeout)
        try:
            with engine.connect() as connection:
                if place.file is not None:
                    _quick_check(connection, place)
                revision = _current_revision(connection, place)
            backup = None
            if revision != HEAD_REVISION:
                backup = _migrate(url, busy_timeout, revision, place, take_backup=existed)
            db = cls(engine, locations, "", backup)
            db.device_id = db._ensure_device_id()
            return db
        except DatabaseUnavailable:
            engine.dispose()
            raise
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            engine.dispose()
            raise place.explain(exc) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on an exception."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

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
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"The folder for the records, {self.folder}, cannot be created ({_reason(exc)}).",
                "Start the program with a data folder you may write to (--data-dir), "
                "or ask whoever manages this computer for write access.",
            ) from exc
        self._probe_folder()
        if not self.file.exists():
            return False
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
                f"The records database at {self.url.render_as_string(hide_password=True)} cannot be used ({exc}).",
                "Check that the database server is running and the database address in the settings is right.",
            )
        if _is_lock(exc):
            return DatabaseUnavailable(
                "The records are in use by another copy of Peer Helper Trainer.",
                "Close the other copy (another window, or another user signed in on this computer) "
                "and try again. If none is running, restart the computer.",
            )
        if "not a database" in text_ or "malformed" in text_ or "corrupt" in text_:
            return self.corrupt()
        if "readonly" in text_ or "read-only" in text_ or isinstance(exc, PermissionError):
            return self._read_only(exc)
        if "full" in text_:
            return DatabaseUnavailable(
                f"The disk that holds the records ({self.folder}) is full.",
                "Free some space on this disk, then start the program again. Nothing has been changed.",
            )
        return self._cannot_open(exc)

    def corrupt(self) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"The records file {self.file} is damaged and cannot be opened. It has not been changed.",
            f"Keep that file for IT support (it may be repairable). To carry on, close the program, "
            f"move the damaged file elsewhere and copy the newest backup from {self.backups_dir} "
            f"into its place with the same name.",
            damaged=True,
        )

    def _read_only(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"Peer Helper Trainer cannot write its records in {self.folder} ({_reason(exc)}).",
            "Ask whoever manages this computer to give your account write access to that folder, "
            "or start the program with a data folder you may write to (--data-dir).",
        )

    def _cannot_open(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"The records file {self.file} cannot be opened ({_reason(exc)}).",
            "Check that the disk or USB stick is connected and working, then start the program again.",
        )


def _is_lock(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text_ = str(exc).lower()
    return "locked" in text_ or "busy" in text_


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _quick_check(connection: Any, place: _Place) -> None:
    rows = connection.exec_driver_sql("PRAGMA quick_check").scalars().all()
    if rows != ["ok"]:
        raise place.corrupt()


def _current_revision(connection: Any, place: _Place) -> str | None:
    """The stored alembic revision; None for a database with no schema yet."""
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except (OperationalError, ProgrammingError):
        connection.rollback()  # PostgreSQL aborts the transaction on an error
        if inspect(connection).get_table_names():
            raise DatabaseUnavailable(
                f"{place.file or 'This database'} holds tables but is not a Peer Helper Trainer database.",
                "Point the program at its own data folder (--data-dir) or an empty database.",
            ) from None
        return None
    if len(rows) > 1:
        raise DatabaseUnavailable(
            f"The records database has several schema versions at once ({', '.join(rows)}).",
            "Restore the newest backup, or send this message to IT support.",
        )
    return rows[0] if rows else None


def _migrate(url: URL, busy_timeout: float, revision: str | None, place: _Place, take_backup: bool) -> Path | None:
    from . import migrate  # alembic loads only when a migration is due

    if revision is not None and not migrate.is_known_revision(revision):
        raise DatabaseUnavailable(
            f"These records were saved by a newer version of Peer Helper Trainer (schema {revision}).",
            "Install the newest version of the program on this computer. Nothing has been changed.",
        )
    backup = None
    if take_backup and place.file is not None:
        try:
            from .backup import backup_database

            backup = backup_database(place.file, place.backups_dir)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailable(
                f"The records need an update, but no backup could be made first in {place.backups_dir} "
                f"({_reason(exc)}).",
                "Nothing has been changed. Free some disk space or fix the folder's permissions, then start again.",
            ) from exc
    engine = create_records_engine(url, busy_timeout, foreign_keys=False)
    try:
        migrate.upgrade_to_head(engine, revision)
    except (SQLAlchemyError, sqlite3.Error, RuntimeError) as exc:
        if _is_lock(exc):
            raise place.explain(exc) from exc
        kept = f" A copy taken before the update is at {backup}." if backup else ""
        raise DatabaseUnavailable(
            f"Updating the records to this version of the program failed ({exc}).",
            f"The records were left as they were.{kept} Send this message to IT support.",
        ) from exc
    finally:
        engine.dispose()
    return backup
