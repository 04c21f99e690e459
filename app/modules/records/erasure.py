"""Erasing one trainee, for a family's request: every row about them, everywhere in the file.

What goes: the profile and, through ON DELETE CASCADE, their lesson positions, knowledge
checks and answers, role-plays and choices, and sign-offs; audit rows about them or their
rows; their name wherever staff typed it in someone else's record (a sign-off note, an
audit detail), replaced by "[erased]". What stays: each certificate they were issued keeps
its number and issue date only, so a verifier can still say "this number was issued, and is
no longer held"; and one audit row "erase profile <uuid>" with no name, which stops a record
bundle from another laptop bringing them back (exchange/merge.py).

On SQLite the delete runs with `secure_delete` (freed space is zeroed), then VACUUM rebuilds
the file and the WAL is checkpointed and truncated, so the name is in no byte of the
database, its -wal or -shm. Every backup in the backups folder gets the same erasure (a
backup that cannot be cleaned is deleted): a family's request covers backups too.
Copies outside the program's control (record bundles and exports already handed out,
"damaged-..." files kept for IT support) are listed in the result for the coordinator.

On a PostgreSQL server the rows go the same way; the server's own backups and disk are its
administrator's to clean.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, String, Text, cast, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from . import rights
from .accounts import AccountError
from .models import TRAINEE, Base, utcnow

if TYPE_CHECKING:
    from .database import Database

ERASED = "[erased]"
_TOMBSTONE_NS = uuid.UUID("0f1d7c1e-8a0a-4a53-b1c2-6f4f5e2d9c33")
CERTIFICATE_KEEPS = {"id", "number", "issued_at", "created_at", "updated_at"}
# Rows whose entity_id may name one of the trainee's own rows, by audit entity name.
_OWN_ROW_TABLES = ("lesson_progress", "quiz_attempts", "scenario_attempts", "sign_offs")


@dataclass(slots=True)
class ErasureResult:
    profile_id: str
    rows_removed: dict[str, int] = field(default_factory=dict)
    certificates_kept: int = 0  # certificate numbers kept, everything else about them gone
    texts_scrubbed: int = 0  # other rows where their name was typed and is now "[erased]"
    backups_cleaned: list[Path] = field(default_factory=list)
    backups_deleted: list[Path] = field(default_factory=list)  # could not be cleaned, so removed
    outside_copies: list[Path] = field(default_factory=list)  # damaged-* files: not ours to change
    same_name_profiles: int = 0  # other people with the very same name (it stays, for them)
    name_still_in: list[Path] = field(default_factory=list)  # files whose bytes still hold the name

    @property
    def total_removed(self) -> int:
        return sum(self.rows_removed.values())


def same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def erase_trainee(db: Database, profile_id: str, actor_id: str | None, typed_name: str) -> ErasureResult:
    """Erase a trainee (coordinators only; None: the command line). `typed_name` must be their name."""
    from .models import Profile

    with db.session() as session:
        rights.require(session, actor_id, rights.Right.ERASE)
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise AccountError("This profile no longer exists.")
        if profile.role != TRAINEE:
            raise AccountError("Only trainees can be erased. Archive a staff profile instead.")
        if not same_name(typed_name, profile.display_name):
            raise AccountError(f"The name typed does not match. Type {profile.display_name} exactly to confirm.")
        name = profile.display_name
    result = ErasureResult(profile_id)
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
        erase_in(connection, profile_id, name, actor_id, result)
    if db.engine.dialect.name != "sqlite":
        return result
    compact(db.engine)
    db_file = Path(db.engine.url.database)
    _clean_backups(db.locations.backups_dir, profile_id, name, actor_id, result)
    result.outside_copies = sorted(db_file.parent.glob(f"damaged-*{db_file.name}*"))
    files = [db_file, *_sidecars(db_file), *(p for p in result.backups_cleaned if p.exists())]
    if not result.same_name_profiles:
        result.name_still_in = files_containing(files, name)
    return result


def erase_in(connection: Connection, profile_id: str, name: str, actor_id: str | None, result: ErasureResult) -> None:
    """The erasure itself, inside the caller's transaction, on any backend."""
    t = Base.metadata.tables
    counts: dict[str, int] = {}
    own_ids = {profile_id}
    for name_ in _OWN_ROW_TABLES:
        col = "trainee_id" if name_ == "sign_offs" else "profile_id"
        own_ids |= set(connection.scalars(select(t[name_].c.id).where(t[name_].c[col] == profile_id)))
    counts["quiz_answers"] = _count_children(connection, "quiz_answers", "quiz_attempts", profile_id)
    counts["scenario_steps"] = _count_children(connection, "scenario_steps", "scenario_attempts", profile_id)
    for name_ in _OWN_ROW_TABLES:
        col = "trainee_id" if name_ == "sign_offs" else "profile_id"
        counts[name_] = connection.scalar(
            select(func.count()).select_from(t[name_]).where(t[name_].c[col] == profile_id)
        )
    certificates = t["certificates"]
    scrub = {c.name: None for c in certificates.columns if c.nullable and c.name not in CERTIFICATE_KEEPS}
    result.certificates_kept = connection.execute(
        update(certificates).where(certificates.c.profile_id == profile_id).values(**scrub, updated_at=utcnow())
    ).rowcount
    audit = t["audit_log"]
    counts["audit_log"] = connection.execute(audit.delete().where(audit.c.entity_id.in_(own_ids))).rowcount
    counts["profiles"] = connection.execute(t["profiles"].delete().where(t["profiles"].c.id == profile_id)).rowcount
    profiles = t["profiles"]
    result.same_name_profiles = sum(
        same_name(other, name) for other in connection.scalars(select(profiles.c.display_name))
    )
    result.texts_scrubbed = _scrub_name(connection, name)
    tombstone = str(uuid.uuid5(_TOMBSTONE_NS, profile_id))
    if connection.scalar(select(func.count()).select_from(audit).where(audit.c.id == tombstone)) == 0:
        now = utcnow()
        connection.execute(
            insert(audit).values(
                id=tombstone,
                at=now,
                actor_id=actor_id,
                action="erase",
                entity="profile",
                entity_id=profile_id,
                detail={"rows": sum(counts.values())},
                created_at=now,
                updated_at=now,
            )
        )
    result.rows_removed = counts


def _count_children(connection: Connection, child: str, parent: str, profile_id: str) -> int:
    t = Base.metadata.tables
    parents = select(t[parent].c.id).where(t[parent].c.profile_id == profile_id)
    return connection.scalar(select(func.count()).select_from(t[child]).where(t[child].c.attempt_id.in_(parents)))


def _scrub_name(connection: Connection, name: str) -> int:
    """Replace the name, as a whole word in any case, in every text and JSON column but profiles'."""
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
    changed = 0
    for table in Base.metadata.sorted_tables:
        if table.name in ("profiles", "settings", "alembic_version"):
            continue
        cols = [
            c
            for c in table.columns
            if isinstance(c.type, (String, Text, JSON)) and not c.primary_key and not c.foreign_keys
        ]
        for col in cols:
            as_text = cast(col, Text)
            # A cheap filter first; JSON columns may hold the name \u-escaped.
            near = or_(*(as_text.ilike(f"%{_like(form)}%", escape="\\") for form in {name, json.dumps(name)[1:-1]}))
            for row_id, value in connection.execute(select(table.c.id, col).where(col.is_not(None), near)):
                new = _scrubbed(value, pattern, isinstance(col.type, JSON))
                if new is not _SAME:
                    connection.execute(update(table).where(table.c.id == row_id).values({col.name: new}))
                    changed += 1
    return changed


_SAME = object()


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scrubbed(value: Any, pattern: re.Pattern[str], is_json: bool) -> Any:
    text = json.dumps(value, ensure_ascii=False) if is_json else str(value)
    if not pattern.search(text):
        return _SAME
    if is_json:
        return json.loads(pattern.sub(ERASED, text))
    return pattern.sub(ERASED, text)


def compact(engine: Engine) -> None:
    """VACUUM and truncate the WAL, so deleted bytes leave the file (SQLite only)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def _sidecars(db_file: Path) -> list[Path]:
    return [
        p for p in (db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")) if p.exists()
    ]


def files_containing(paths: list[Path], name: str) -> list[Path]:
    """Files whose raw bytes hold `name` (UTF-8, or \\u-escaped as JSON stores it; any case)."""
    forms = {name.encode("utf-8"), json.dumps(name)[1:-1].encode("ascii")}
    needle = re.compile(b"|".join(re.escape(f) for f in forms), re.IGNORECASE)
    found = []
    for path in paths:
        try:
            if needle.search(path.read_bytes()):
                found.append(path)
        except OSError:
            continue
    return found


def _clean_backups(backups_dir: Path, profile_id: str, name: str, actor_id: str | None, result: ErasureResult) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from .backups import list_backups
    from .database import create_records_engine

    for backup in list_backups(backups_dir):
        if not files_containing([backup.path], name) and profile_id.encode() not in backup.path.read_bytes():
            continue
        engine = create_records_engine(f"sqlite:///{backup.path}")
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA secure_delete = ON")
                erase_in(connection, profile_id, name, actor_id, ErasureResult(profile_id))
            compact(engine)
            engine.dispose()
            result.backups_cleaned.append(backup.path)
        except (SQLAlchemyError, OSError):
            engine.dispose()
            for path in (backup.path, *_sidecars(backup.path)):
                path.unlink(missing_ok=True)
            result.backups_deleted.append(backup.path)
