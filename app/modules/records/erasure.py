"""Erasing one trainee, for a family's request: every row about them, everywhere in the file.

What goes: the profile and, through ON DELETE CASCADE, their lesson positions, refreshers, support check-ins, knowledge
checks and answers, role-plays and choices, and sign-offs; audit rows about them or their
rows; their name wherever staff typed it in someone else's record (a sign-off note, an
audit detail), replaced by "[erased]" (compared NFKC-casefolded, so "ZOË", a decomposed "Zoë"
or full-width letters are found too). What stays: each certificate they were issued keeps
its number and issue date only, so a verifier can still say "this number was issued, and is
no longer held"; one audit row "erase profile <uuid>" with no name for every id they were known
by (their own, and the other laptops' ids that an import recognised as them by name), which stops
a record bundle from another laptop bringing them back (exchange/merge.py); and those "merge"
rows that recorded the recognition, which hold two ids and no name.

On SQLite the delete runs with `secure_delete` (freed space is zeroed), then VACUUM rebuilds
the file and the WAL is checkpointed and truncated, so the name is in no byte of the
database, its -wal or -shm. If another connection is reading at that moment, the checkpoint
waits for it (up to the busy timeout); if it is still reading, the old pages stay in the main
file until it stops, and `name_still_in` says so: `finish_erasure` (Records tab, or
`peer-trainer erase-trainee --finish`) completes it later. Every backup in the backups folder
gets the same erasure (a backup that cannot be cleaned is deleted), and unfinished
`backups/*.partial` copies are deleted: a family's request covers backups too.
Copies outside the program's control (record bundles and exports already handed out,
"damaged-..." files kept for IT support) are listed in the result for the coordinator.

On a PostgreSQL server the rows go the same way; the server's own backups and disk are its
administrator's to clean.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, String, Text, and_, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from app.core.i18n import _

from . import rights
from .models import TRAINEE, Base, utcnow
from .profile_store import AccountError

if TYPE_CHECKING:
    from .database import Database

ERASED = "[erased]"
_TOMBSTONE_NS = uuid.UUID("0f1d7c1e-8a0a-4a53-b1c2-6f4f5e2d9c33")
CERTIFICATE_KEEPS = {"id", "number", "issued_at", "created_at", "updated_at"}
# Rows whose entity_id may name one of the trainee's own rows, by audit entity name.
_OWN_ROW_TABLES = (
    "lesson_progress",
    "quiz_attempts",
    "scenario_attempts",
    "sign_offs",
    "refresher_cards",
    "refresher_reviews",
    "support_checkins",
    "confidence_ratings",
)


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
    partials_deleted: list[Path] = field(default_factory=list)  # unfinished backup copies removed
    other_ids: list[str] = field(default_factory=list)  # ids they had on other laptops: tombstoned too
    checkpoint_blocked: bool = False  # another connection was reading: see advice()

    def advice(self) -> str:
        """What a coordinator should do about the files in `name_still_in`; "" when nothing is left."""
        if not self.name_still_in:
            return ""
        damaged = [p for p in self.name_still_in if p in self.outside_copies]
        records = [p for p in self.name_still_in if p not in damaged]
        parts = []
        if records:
            names = ", ".join(p.name for p in records)
            if self.checkpoint_blocked:
                parts.append(
                    _(
                        "Their name is still in {names}: another program was reading the records at that moment. "
                        "Close every other copy of Peer Helper Trainer (and any tool that opened the records), "
                        "then choose Finish erasing (or run `peer-trainer erase-trainee --finish`)."
                    ).format(names=names)
                )
            else:
                parts.append(
                    _(
                        "Their name is still in {names}: the file could not be rewritten yet. Close every other "
                        "copy of Peer Helper Trainer, then choose Finish erasing "
                        "(or run `peer-trainer erase-trainee --finish`)."
                    ).format(names=names)
                )
        if damaged:
            names = ", ".join(p.name for p in damaged)
            parts.append(
                _(
                    "Their name is also in {names}, a damaged copy kept for IT support, which the program never "
                    "changes: delete it once IT support no longer needs it."
                ).format(names=names)
            )
        return " ".join(parts)

    @property
    def total_removed(self) -> int:
        return sum(self.rows_removed.values())


def fold(text: str) -> str:
    """Text as names are compared: NFKC, case-folded (so "ZOË", a decomposed "Zoë" and "zoë" are one)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def same_name(typed: str, name: str) -> bool:
    return fold(" ".join(typed.split())) == fold(" ".join(name.split()))


def erase_trainee(db: Database, profile_id: str, actor_id: str | None, typed_name: str) -> ErasureResult:
    """Erase a trainee (coordinators only; None: the command line). `typed_name` must be their name."""
    from .models import Profile

    with db.session() as session:
        rights.require(session, actor_id, rights.Right.ERASE)
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise AccountError(_("This profile no longer exists."))
        if profile.role != TRAINEE:
            raise AccountError(_("Only trainees can be erased. Archive a staff profile instead."))
        if not same_name(typed_name, profile.display_name):
            raise AccountError(
                _("The name typed does not match. Type {name} exactly to confirm.").format(name=profile.display_name)
            )
        name = profile.display_name
    result = ErasureResult(profile_id)
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
        erase_in(connection, profile_id, name, actor_id, result)
    if db.engine.dialect.name != "sqlite":
        return result
    db_file = Path(db.engine.url.database)
    result.partials_deleted = _delete_partials(db.locations.backups_dir, db_file.parent)
    _clean_backups(db.locations.backups_dir, result.other_ids + [profile_id], name, actor_id, result)
    # Last: a reader that was busy when the rows went has had the backups' time to finish.
    result.checkpoint_blocked = not compact(db.engine)
    result.outside_copies = sorted(db_file.parent.glob(f"damaged-*{db_file.name}*"))
    files = [
        db_file,
        *_sidecars(db_file),
        *(p for p in result.backups_cleaned if p.exists()),
        *(p for p in result.outside_copies if p.is_file()),
    ]
    if not result.same_name_profiles:
        result.name_still_in = files_containing(files, name)
    return result


def finish_erasure(db: Database, actor_id: str | None) -> bool:
    """Rewrite the file again so that pages freed by an erasure leave it; True when complete.

    For when `ErasureResult.checkpoint_blocked` was set: run it once the other readers stopped.
    Coordinators only.
    """
    with db.session() as session:
        rights.require(session, actor_id, rights.Right.ERASE)
    if db.engine.dialect.name != "sqlite":
        return True
    db.engine.dispose()  # this program's own idle connections must not hold the file either
    return compact(db.engine)


def _delete_partials(*folders: Path) -> list[Path]:
    """Unfinished copies (an interrupted backup or export) hold everything: they go."""
    gone = []
    for folder in folders:
        for path in sorted(folder.glob("*.partial*")) if folder.is_dir() else []:
            try:
                path.unlink()
                gone.append(path)
            except OSError:
                continue
    return gone


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
    aliases = known_ids(connection, profile_id)
    own_ids |= aliases
    result.other_ids = sorted(aliases - {profile_id})
    # The "merge" rows that matched them by name hold two ids and no name: they stay, so that
    # the tombstones below can always be found again for every id they had.
    counts["audit_log"] = connection.execute(
        audit.delete().where(audit.c.entity_id.in_(own_ids), audit.c.action != "merge")
    ).rowcount
    counts["profiles"] = connection.execute(t["profiles"].delete().where(t["profiles"].c.id == profile_id)).rowcount
    profiles = t["profiles"]
    result.same_name_profiles = sum(
        same_name(other, name) for other in connection.scalars(select(profiles.c.display_name))
    )
    result.texts_scrubbed = _scrub_name(connection, name)
    for erased_id in [profile_id, *result.other_ids]:
        tombstone = str(uuid.uuid5(_TOMBSTONE_NS, erased_id))
        if connection.scalar(select(func.count()).select_from(audit).where(audit.c.id == tombstone)) == 0:
            now = utcnow()
            detail = {"rows": sum(counts.values())} if erased_id == profile_id else {"same_person_as": profile_id}
            connection.execute(
                insert(audit).values(
                    id=tombstone,
                    at=now,
                    actor_id=actor_id,
                    action="erase",
                    entity="profile",
                    entity_id=erased_id,
                    detail=detail,
                    created_at=now,
                    updated_at=now,
                )
            )
    result.rows_removed = counts


def known_ids(connection: Connection, profile_id: str) -> set[str]:
    """Every id the person was known by: theirs, and those imports recognised as them, both ways."""
    audit = Base.metadata.tables["audit_log"]
    links: list[tuple[str, str]] = []
    query = select(audit.c.entity_id, audit.c.detail).where(
        and_(audit.c.action == "merge", audit.c.entity == "profile")
    )
    for mine, detail in connection.execute(query):
        theirs = detail.get("bundle_profile_id") if isinstance(detail, dict) else None
        if isinstance(mine, str) and isinstance(theirs, str):
            links.append((mine, theirs))
    ids = {profile_id}
    grew = True
    while grew:
        grew = False
        for a, b in links:
            if (a in ids) != (b in ids):
                ids |= {a, b}
                grew = True
    return ids


def _count_children(connection: Connection, child: str, parent: str, profile_id: str) -> int:
    t = Base.metadata.tables
    parents = select(t[parent].c.id).where(t[parent].c.profile_id == profile_id)
    return connection.scalar(select(func.count()).select_from(t[child]).where(t[child].c.attempt_id.in_(parents)))


def _scrub_name(connection: Connection, name: str) -> int:
    """Replace the name, as whole words in any case or Unicode form, in every text and JSON column but profiles'."""
    pattern = name_pattern(name)
    changed = 0
    for table in Base.metadata.sorted_tables:
        if table.name in ("profiles", "settings", "alembic_version", "paired_laptops"):
            continue
        keys = list(table.primary_key.columns)
        cols = [
            c
            for c in table.columns
            if isinstance(c.type, (String, Text, JSON)) and not c.primary_key and not c.foreign_keys
        ]
        for col in cols:
            # Every value is looked at in Python: no SQL LIKE knows NFKC or non-ASCII case.
            for *key, value in connection.execute(select(*keys, col).where(col.is_not(None))):
                new = scrub_value(value, pattern)
                if new is not _SAME:
                    where = and_(*(k == v for k, v in zip(keys, key, strict=True)))
                    connection.execute(update(table).where(where).values({col.name: new}))
                    changed += 1
    return changed


_SAME = object()


def name_pattern(name: str) -> re.Pattern[str]:
    """The name as whole words, over folded text (see `fold`), any run of spaces between its words."""
    words = fold(" ".join(name.split())).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each character with the combining marks that follow it."""
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if spans and unicodedata.combining(ch):
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def scrub_text(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with every match of `pattern` (over its folded form) replaced by "[erased]"."""
    spans = _clusters(text)
    folded_parts, owner = [], []
    for index, (start, end) in enumerate(spans):
        piece = fold(text[start:end])
        folded_parts.append(piece)
        owner.extend([index] * len(piece))
    folded = "".join(folded_parts)
    out, at = [], 0
    for match in pattern.finditer(folded):
        if match.start() == match.end():
            continue
        first, last = owner[match.start()], owner[match.end() - 1]
        out.append(text[at : spans[first][0]])
        out.append(ERASED)
        at = spans[last][1]
    if not out:
        return text
    out.append(text[at:])
    return "".join(out)


def scrub_value(value: Any, pattern: re.Pattern[str]) -> Any:
    """A text or JSON value with the name scrubbed from every string in it; _SAME when unchanged."""

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return scrub_text(v, pattern)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        return v

    new = walk(value)
    return _SAME if new == value else new


def compact(engine: Engine) -> bool:
    """VACUUM and truncate the WAL, so deleted bytes leave the file (SQLite only).

    The checkpoint waits for readers up to the connection's busy timeout. False when another
    connection was still reading: the main file then keeps old pages until a later checkpoint.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        raw.close()
    return not busy


def _sidecars(db_file: Path) -> list[Path]:
    return [
        p for p in (db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")) if p.exists()
    ]


def files_containing(paths: list[Path], name: str) -> list[Path]:
    """Files whose raw bytes hold `name`: UTF-8 or \\u-escaped as JSON stores it, composed or
    decomposed, in any case."""
    forms = set()
    for normal in ("NFC", "NFD", "NFKC", "NFKD"):
        base = unicodedata.normalize(normal, name)
        for variant in (base, base.upper(), base.lower(), base.casefold(), base.title()):
            variant = unicodedata.normalize(normal, variant)
            forms |= {variant.encode("utf-8"), json.dumps(variant)[1:-1].encode("ascii")}
    needle = re.compile(b"|".join(re.escape(f) for f in forms), re.IGNORECASE)
    found = []
    for path in paths:
        try:
            if needle.search(path.read_bytes()):
                found.append(path)
        except OSError:
            continue
    return found


def _clean_backups(backups_dir: Path, ids: list[str], name: str, actor_id: str | None, result: ErasureResult) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from .backups import list_backups
    from .database import create_records_engine

    for backup in list_backups(backups_dir):
        data = backup.path.read_bytes()
        if not files_containing([backup.path], name) and not any(i.encode() in data for i in ids):
            continue
        engine = create_records_engine(f"sqlite:///{backup.path}")
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA secure_delete = ON")
                for erased_id in ids:  # the person may be there under any of their ids
                    erase_in(connection, erased_id, name, actor_id, ErasureResult(erased_id))
            compact(engine)
            engine.dispose()
            result.backups_cleaned.append(backup.path)
        except (SQLAlchemyError, OSError):
            engine.dispose()
            for path in (backup.path, *_sidecars(backup.path)):
                path.unlink(missing_ok=True)
            result.backups_deleted.append(backup.path)
