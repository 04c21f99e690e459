"""Record bundles: one file holding everything recorded on a laptop, signed with its key.

The file is three lines and a body:

    peer-helper-trainer records bundle v2
    {"device_id": ..., "public_key": ..., "school_id": ..., "payload_sha256": ..., ...}   (JSON)
    <Ed25519 signature of the first two lines, base64>
    <payload: zlib-compressed JSON lines, one ["table", {row}] a line>

The signature covers the first line and the header, and the header holds the payload's size and
SHA-256, so changing any byte, or cutting the file short, makes it fail. Reading is in three
steps, so that nothing is unpacked before it is known to be wanted:

1. `verify_bundle`: the header's signature, then the payload's hash, read in pieces. Nothing is
   decompressed. The header says which laptop (its public key: trust.py decides whether it is
   paired) and which school made it, and how many rows of each table it holds: counts above
   this program's limits are refused here.
2. The caller checks trust (exchange/trust.py): paired laptop, same school.
3. `load_rows`: the payload is decompressed as a stream, line by line, with hard limits on the
   unpacked size, the length of one row and the rows per table; every row is checked as if it
   had been typed (tables.check_row). A bundle over a limit is refused with a message; nothing
   has been written at that point.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import Cancelled as CancelledError
from app.core.errors import TrainingError
from app.core.i18n import _
from app.core.private_files import make_private

from . import tables

if TYPE_CHECKING:
    from app.modules.keys import SigningKey
    from app.modules.records.database import Database

MAGIC = b"peer-helper-trainer records bundle v2\n"
SUFFIX = ".peer-records"
FORMAT = 2
MAX_HEADER_BYTES = 64 * 1024
MAX_FILE_BYTES = 256 << 20  # a compressed bundle larger than 256 MiB is refused unread
MAX_BODY_BYTES = 128 << 20  # and one that unpacks to more than 128 MiB
MAX_LINE_BYTES = 256 * 1024  # one row, as JSON
DEFAULT_MAX_ROWS = 100_000
MAX_ROWS = {"profiles": 20_000, "quiz_answers": 400_000, "scenario_steps": 400_000}
CHUNK = 64 * 1024
ROWS_PER_STEP = 500  # progress and cancel are checked this often

Progress = Callable[[int, int], None]  # (rows done, rows in all)
Cancelled = Callable[[], bool]


def max_rows(table_name: str) -> int:
    return MAX_ROWS.get(table_name, DEFAULT_MAX_ROWS)


class BundleError(TrainingError):
    """A bundle that cannot be made or used; the message says what happened and what to do."""


OperationCancelled = CancelledError  # the one cancel of app.core.work


@dataclass(frozen=True, slots=True)
class BundleInfo:
    path: Path
    device_id: str
    public_key: bytes
    school: str
    created_at: datetime
    schema: str
    counts: dict[str, int]
    payload_sha256: str
    school_id: str = ""
    payload_offset: int = 0
    payload_bytes: int = 0
    body_bytes: int = 0

    @property
    def fingerprint(self) -> str:
        """The sending laptop's fingerprint (keys.laptop_fingerprint): what coordinators compare."""
        from app.modules.keys import laptop_fingerprint

        return laptop_fingerprint(self.public_key)

    @property
    def public_key_text(self) -> str:
        return base64.b64encode(self.public_key).decode("ascii")

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


@dataclass(slots=True)
class Bundle:
    info: BundleInfo
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def default_name(school: str, device_id: str, when: datetime | None = None) -> str:
    when = (when or datetime.now(UTC)).astimezone()
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in school.lower()).split())[:40] or "records"
    return f"{slug}-{device_id[:8]}-{when:%Y-%m-%d-%H%M}{SUFFIX}"


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise OperationCancelled()


def export_bundle(
    db: Database,
    dest: Path,
    school: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BundleInfo:
    """Write every merged table to `dest` as a signed bundle; returns what was written.

    The rows are read in one transaction, so the bundle is a consistent snapshot even while
    trainees keep working. The file appears under its name only when it is complete.
    `school` overrides the school name shown to the receiver; its id is always this school's.
    """
    from sqlalchemy import func, select

    from app.modules.keys import KeyFileError, SigningKey
    from app.modules.records.database import HEAD_REVISION

    from .trust import school_identity

    school_id, school_name = school_identity(db)
    if not school_id:
        raise BundleError(_("This laptop's school is not set up yet, so there is nothing to send from it."))
    try:
        key = SigningKey.load_or_create(db.locations.keys_dir)
    except (KeyFileError, OSError) as exc:
        raise BundleError(_("This laptop's signing key cannot be used: {reason}").format(reason=exc)) from exc
    compressor = zlib.compressobj(6)
    hasher = hashlib.sha256()
    counts: dict[str, int] = {}
    body_bytes = 0
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    try:
        with open(partial, "w+b") as out:
            payload_parts = 0

            def emit(data: bytes) -> None:
                nonlocal payload_parts
                if data:
                    out.write(data)
                    hasher.update(data)
                    payload_parts += len(data)

            with db.engine.connect() as connection:
                if connection.dialect.name == "postgresql":
                    connection = connection.execution_options(isolation_level="REPEATABLE READ")
                total = sum(
                    connection.scalar(select(func.count()).select_from(tables.table(n))) for n in tables.MERGED_TABLES
                )
                done = 0
                for name in tables.MERGED_TABLES:
                    counts[name] = 0
                    for row in tables.dump(connection, name):
                        line = json.dumps([name, row], ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                        data = line.encode("utf-8") + b"\n"
                        body_bytes += len(data)
                        emit(compressor.compress(data))
                        counts[name] += 1
                        done += 1
                        if done % ROWS_PER_STEP == 0:
                            _check(cancelled)
                            if progress:
                                progress(done, total)
            _check(cancelled)
            emit(compressor.flush())
            created = datetime.now(UTC)
            public = key.public(school_name)
            header = {
                "format": FORMAT,
                "schema": HEAD_REVISION,
                "device_id": db.device_id,
                "public_key": base64.b64encode(public.public_bytes).decode("ascii"),
                "school_id": school_id,
                "school": school or school_name,
                "created_at": created.isoformat(),
                "counts": counts,
                "compression": "zlib",
                "payload_bytes": payload_parts,
                "body_bytes": body_bytes,
                "payload_sha256": hasher.hexdigest(),
            }
            out.flush()
            payload_file = partial.with_name(partial.name + ".payload")
        os.replace(partial, payload_file)
        _write_signed(dest, key, header, payload_file)
    except BaseException as exc:
        partial.unlink(missing_ok=True)  # an unfinished file holds records: never left behind
        partial.with_name(partial.name + ".payload").unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BundleError(
                _("The bundle could not be written to {file} ({reason}).").format(file=dest, reason=exc.strerror or exc)
            ) from exc
        raise
    if progress:
        progress(sum(counts.values()), sum(counts.values()))
    return verify_bundle(dest)


def _write_signed(dest: Path, key: SigningKey, header: dict[str, Any], payload_file: Path) -> None:
    """MAGIC, header, signature, then the payload copied from `payload_file` (which is removed)."""
    header_line = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"
    signature = base64.b64encode(key.sign(MAGIC + header_line)) + b"\n"
    partial = dest.with_name(dest.name + ".partial")
    try:
        with open(partial, "wb") as out, open(payload_file, "rb") as payload:
            out.write(MAGIC + header_line + signature)
            while chunk := payload.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        make_private(partial)  # records: this account only (issue 14)
        os.replace(partial, dest)
    finally:
        payload_file.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


def write_raw_bundle(dest: Path, key: SigningKey, header: dict[str, Any], payload: bytes) -> None:
    """A bundle with this exact header and payload, correctly signed (its size and hash filled in).

    For tests that need a bundle no honest program would write: oversized, foreign, forged.
    """
    header = {**header, "payload_bytes": len(payload), "payload_sha256": hashlib.sha256(payload).hexdigest()}
    tmp = dest.with_name(dest.name + ".raw")
    tmp.write_bytes(payload)
    _write_signed(dest, key, header, tmp)


def verify_bundle(path: Path) -> BundleInfo:
    """The bundle's header, after checking its signature and its payload's hash. Decompresses nothing.

    Raises BundleError, naming the file, for anything wrong; nothing is written anywhere.
    """
    from app.modules.keys import SchoolKey
    from app.modules.records.database import HEAD_REVISION

    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BundleError(
                _(
                    "{name} is too large to be a records bundle ({size} bytes; at most {limit}). Nothing was imported."
                ).format(name=name, size=size, limit=MAX_FILE_BYTES)
            )
        with open(path, "rb") as f:
            start = f.read(len(MAGIC) + 2 * MAX_HEADER_BYTES)
    except OSError as exc:
        raise BundleError(_cannot_read(name, exc)) from exc
    if not start.startswith(MAGIC):
        if MAGIC.startswith(start):
            raise BundleError(_truncated(name))
        if start.startswith(b"peer-helper-trainer records bundle v"):
            raise BundleError(_other_version(name))
        raise BundleError(
            _("{name} is not a Peer Helper Trainer records bundle. Choose a file that ends in {suffix}.").format(
                name=name, suffix=SUFFIX
            )
        )
    rest = start[len(MAGIC) :]
    header_line, nl1, rest = rest.partition(b"\n")
    signature_line, nl2, _rest = rest.partition(b"\n")
    if not nl1 or not nl2:
        if len(start) < len(MAGIC) + 2 * MAX_HEADER_BYTES:
            raise BundleError(_truncated(name))
        raise BundleError(_tampered(name))
    try:
        header = json.loads(header_line)
        public_key = base64.b64decode(header["public_key"], validate=True)
        signature = base64.b64decode(signature_line, validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BundleError(_tampered(name)) from None
    if len(public_key) != 32 or not SchoolKey(public_key).verify(signature, MAGIC + header_line + b"\n"):
        raise BundleError(_tampered(name))
    # The header is what the sending laptop's program wrote: now its fields may be read.
    try:
        if header.get("format") != FORMAT:
            raise ValueError("format")
        created = datetime.fromisoformat(header["created_at"])
        if created.tzinfo is None:
            raise ValueError("created_at")
        if not isinstance(header.get("school_id"), str) or not 1 <= len(header["school_id"]) <= 36:
            raise ValueError("school_id")
        counts = {str(k): int(v) for k, v in dict(header["counts"]).items()}
        expected = int(header["payload_bytes"])
        body_bytes = int(header["body_bytes"])
        info = BundleInfo(
            path,
            str(header["device_id"])[:36],
            public_key,
            str(header.get("school", ""))[:200],
            created,
            str(header["schema"])[:40],
            counts,
            str(header["payload_sha256"]),
            str(header.get("school_id", ""))[:36],
            len(MAGIC) + len(header_line) + len(signature_line) + 2,
            expected,
            body_bytes,
        )
    except (ValueError, KeyError, TypeError):
        raise BundleError(_other_version(name)) from None
    if info.schema != HEAD_REVISION:
        raise BundleError(
            _(
                "{name} was made by a different version of Peer Helper Trainer (records version {theirs}, "
                "this laptop has {ours}). Install the same version on both laptops, then export again."
            ).format(name=name, theirs=info.schema, ours=HEAD_REVISION)
        )
    if set(counts) != set(tables.MERGED_TABLES):
        raise BundleError(
            _("{name} does not hold the expected tables; it was made by a faulty program.").format(name=name)
        )
    _check_limits(name, counts, body_bytes)
    if size - info.payload_offset < expected:
        raise BundleError(_truncated(name))
    if size - info.payload_offset > expected:
        raise BundleError(_tampered(name))
    _check_payload(info)
    return info


def _check_payload(info: BundleInfo) -> None:
    """The payload's size and SHA-256 against the signed header, read in pieces; nothing unpacked."""
    name = info.path.name
    hasher = hashlib.sha256()
    try:
        if info.path.stat().st_size != info.payload_offset + info.payload_bytes:
            raise BundleError(_tampered(name))
        with open(info.path, "rb") as f:
            f.seek(info.payload_offset)
            while chunk := f.read(CHUNK):
                hasher.update(chunk)
    except OSError as exc:
        raise BundleError(_cannot_read(name, exc)) from exc
    if hasher.hexdigest() != info.payload_sha256:
        raise BundleError(_tampered(name))


def _too_big(name: str, what: str) -> str:
    return _(
        "{name} is refused: {what}. That is more than any school's records, so the file was made to "
        "harm this program or by a faulty one. Nothing was imported."
    ).format(name=name, what=what)


def _cannot_read(name: str, exc: OSError) -> str:
    return _("{name} cannot be read ({reason}).").format(name=name, reason=exc.strerror or exc)


def _other_version(name: str) -> str:
    return _(
        "{name} was made by another version of Peer Helper Trainer. "
        "Install the same version on both laptops, then export again."
    ).format(name=name)


def _longer_row(name: str) -> str:
    return _too_big(name, _("one of its rows is longer than {limit} bytes").format(limit=MAX_LINE_BYTES))


def _check_limits(name: str, counts: dict[str, int], body_bytes: int) -> None:
    for table_name, n in counts.items():
        if n < 0 or n > max_rows(table_name):
            raise BundleError(
                _too_big(
                    name,
                    _("it says it holds {n} {table} rows (at most {limit})").format(
                        n=n, table=table_name, limit=max_rows(table_name)
                    ),
                )
            )
    if body_bytes < 0 or body_bytes > MAX_BODY_BYTES:
        raise BundleError(
            _too_big(
                name,
                _("it would unpack to {size} bytes (at most {limit})").format(size=body_bytes, limit=MAX_BODY_BYTES),
            )
        )


def _lines(info: BundleInfo, cancelled: Cancelled | None) -> Iterator[bytes]:
    """The payload's lines, decompressed a piece at a time, never more than the limits allow."""
    name = info.path.name
    inflater = zlib.decompressobj()
    hasher = hashlib.sha256()  # again: the file may have been swapped since verify_bundle
    pending = b""
    unpacked = 0
    limit = min(info.body_bytes, MAX_BODY_BYTES)
    with open(info.path, "rb") as f:
        f.seek(info.payload_offset)
        while True:
            _check(cancelled)
            if inflater.unconsumed_tail:
                source = inflater.unconsumed_tail
            else:
                source = f.read(CHUNK)
                if not source:
                    break
                hasher.update(source)
            try:
                piece = inflater.decompress(source, CHUNK)
            except zlib.error:
                raise BundleError(_faulty(name)) from None
            unpacked += len(piece)
            if unpacked > limit:
                raise BundleError(
                    _too_big(name, _("it unpacks to more than it said ({limit} bytes)").format(limit=limit))
                )
            pending += piece
            *complete, pending = pending.split(b"\n")
            yield from complete
            if len(pending) > MAX_LINE_BYTES:
                raise BundleError(_longer_row(name))
            if inflater.eof and (inflater.unused_data or inflater.unconsumed_tail):
                raise BundleError(_faulty(name))
    if hasher.hexdigest() != info.payload_sha256:
        raise BundleError(_tampered(name))
    if not inflater.eof or pending:
        raise BundleError(_faulty(name))


def load_rows(info: BundleInfo, cancelled: Cancelled | None = None) -> Bundle:
    """Unpack a verified bundle's rows under the limits, checking each as if typed. Writes nothing."""
    name = info.path.name
    _check_payload(info)  # the file may have been changed since verify_bundle read it
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in tables.MERGED_TABLES}
    expected_columns = {t: {c.name for c in tables.carried_columns(t)} for t in tables.MERGED_TABLES}
    try:
        for number, line in enumerate(_lines(info, cancelled), start=1):
            if len(line) > MAX_LINE_BYTES:
                raise BundleError(_longer_row(name))
            try:
                table_name, row = json.loads(line)
            except (ValueError, TypeError):
                raise BundleError(_faulty(name)) from None
            if table_name not in rows or not isinstance(row, dict):
                raise BundleError(
                    _("{name}: row {number} is not in the expected form; it was made by a faulty program.").format(
                        name=name, number=number
                    )
                )
            missing = expected_columns[table_name] - set(row)
            if set(row) - expected_columns[table_name] or missing - tables.ADDED_COLUMNS.get(table_name, set()):
                raise BundleError(
                    _("{name}: row {number} is not in the expected form; it was made by a faulty program.").format(
                        name=name, number=number
                    )
                )
            if len(rows[table_name]) >= info.counts[table_name]:
                raise BundleError(_too_big(name, _("it holds more {table} rows than it says").format(table=table_name)))
            problem = tables.check_row(table_name, row)
            if problem:
                raise BundleError(
                    _(
                        "{name} is refused: a {table} row ({id}) {problem}. "
                        "Every record is checked as if it had been typed here. Nothing was imported."
                    ).format(name=name, table=table_name, id=str(row.get("id"))[:36], problem=problem)
                )
            rows[table_name].append(row)
    except OSError as exc:
        raise BundleError(_cannot_read(name, exc)) from exc
    for table_name, got in rows.items():
        if len(got) != info.counts[table_name]:
            raise BundleError(
                _("{name}: the {table} table does not match its count; it was made by a faulty program.").format(
                    name=name, table=table_name
                )
            )
    return Bundle(info, rows)


def read_bundle(path: Path, cancelled: Cancelled | None = None) -> Bundle:
    """Verify and unpack a bundle, with no trust decision (merge.import_bundle makes that first)."""
    return load_rows(verify_bundle(path), cancelled)


def _faulty(name: str) -> str:
    return _(
        "{name} is signed but its contents cannot be read; it was made by a faulty program. Nothing was imported."
    ).format(name=name)


def _truncated(name: str) -> str:
    return _(
        "{name} is incomplete: the file was cut short (an interrupted copy, or a USB stick removed too early). "
        "Nothing was imported. Export the records again on the other laptop and copy the whole file."
    ).format(name=name)


def _tampered(name: str) -> str:
    return _(
        "{name} was changed after it was made: its signature does not match its contents. "
        "Nothing was imported. Export the records again on the other laptop and copy that file."
    ).format(name=name)
