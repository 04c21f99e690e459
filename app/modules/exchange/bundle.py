"""Record bundles: one file holding everything recorded on a laptop, signed with its key.

The file is three lines and a body:

    peer-helper-trainer records bundle v1
    {"device_id": ..., "public_key": ..., "payload_bytes": ..., "counts": ..., ...}   (JSON)
    <Ed25519 signature, base64>
    <payload: zlib-compressed JSON of every merged table's rows>

The signature covers the first line, the header line and the whole payload, so changing
any byte, or cutting the file short, makes it fail; nothing is read from the payload before
the signature holds. The laptop's key is this installation's own key pair (app.modules.keys,
made the first time it is needed); the header carries its public key and the laptop's
device id. An import therefore proves that the file is exactly what that laptop wrote;
whether that laptop is one of the school's is for the coordinator to judge: the import
dialog shows its key's fingerprint and says whether it is the key this laptop saw before
from the same device (see merge.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.modules.private_files import make_private

from . import tables

if TYPE_CHECKING:
    from app.modules.records.database import Database

MAGIC = b"peer-helper-trainer records bundle v1\n"
SUFFIX = ".peer-records"
FORMAT = 1
MAX_FILE_BYTES = 1 << 30  # refuse to read more than 1 GiB
MAX_PAYLOAD_BYTES = 4 << 30  # and to inflate more than 4 GiB
ROWS_PER_STEP = 500  # progress and cancel are checked this often

Progress = Callable[[int, int], None]  # (rows done, rows in all)
Cancelled = Callable[[], bool]


class BundleError(Exception):
    """A bundle that cannot be made or used; the message says what happened and what to do."""


class OperationCancelled(Exception):
    """The user pressed Cancel; nothing was written."""


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

    @property
    def fingerprint(self) -> str:
        from app.modules.keys import SchoolKey

        return SchoolKey(self.public_key).fingerprint

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


def _signed_part(header_line: bytes, payload: bytes) -> bytes:
    return MAGIC + header_line + payload


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
    """
    from sqlalchemy import func, select

    from app.modules.keys import KeyError_, SigningKey
    from app.modules.records.database import HEAD_REVISION

    try:
        key = SigningKey.load_or_create(db.locations.keys_dir)
    except (KeyError_, OSError) as exc:
        raise BundleError(f"This laptop's signing key cannot be used: {exc}") from exc
    rows: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        total = sum(connection.scalar(select(func.count()).select_from(tables.table(n))) for n in tables.MERGED_TABLES)
        done = 0
        for name in tables.MERGED_TABLES:
            rows[name] = []
            for row in tables.dump(connection, name):
                rows[name].append(row)
                done += 1
                if done % ROWS_PER_STEP == 0:
                    _check(cancelled)
                    if progress:
                        progress(done, total)
    _check(cancelled)
    body = json.dumps({"tables": rows}, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    payload = zlib.compress(body, 6)
    created = datetime.now(UTC)
    public = key.public(school)
    header = {
        "format": FORMAT,
        "schema": HEAD_REVISION,
        "device_id": db.device_id,
        "public_key": base64.b64encode(public.public_bytes).decode("ascii"),
        "school": school,
        "created_at": created.isoformat(),
        "counts": {name: len(rows[name]) for name in tables.MERGED_TABLES},
        "compression": "zlib",
        "payload_bytes": len(payload),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    header_line = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"
    signature = base64.b64encode(key.sign(_signed_part(header_line, payload))) + b"\n"
    dest = Path(dest)
    partial = dest.with_name(dest.name + ".partial")
    try:
        with open(partial, "wb") as out:
            out.write(MAGIC + header_line + signature + payload)
            out.flush()
            os.fsync(out.fileno())
        make_private(partial)  # records: this account only (issue 14)
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BundleError(f"The bundle could not be written to {dest} ({exc.strerror or exc}).") from exc
    if progress:
        progress(total, total)
    return _info(dest, header, public.public_bytes, created)


def _info(path: Path, header: dict[str, Any], public_key: bytes, created: datetime) -> BundleInfo:
    return BundleInfo(
        path,
        header["device_id"],
        public_key,
        header.get("school", ""),
        created,
        header["schema"],
        dict(header["counts"]),
        header["payload_sha256"],
    )


def read_bundle(path: Path) -> Bundle:
    """Read and verify a bundle. Raises BundleError, naming the file, for anything wrong.

    Nothing is written anywhere. The payload is unpacked only after its signature holds.
    """
    from app.modules.keys import SchoolKey

    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BundleError(f"{name} is too large to be a records bundle ({size} bytes).")
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{name} cannot be read ({exc.strerror or exc}).") from exc
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise BundleError(_truncated(name))
        raise BundleError(f"{name} is not a Peer Helper Trainer records bundle. Choose a file that ends in {SUFFIX}.")
    rest = data[len(MAGIC) :]
    header_line, nl1, rest = rest.partition(b"\n")
    signature_line, nl2, payload = rest.partition(b"\n")
    if not nl1 or not nl2:
        raise BundleError(_truncated(name))
    try:
        header = json.loads(header_line)
        public_key = base64.b64decode(header["public_key"], validate=True)
        signature = base64.b64decode(signature_line, validate=True)
        expected = int(header["payload_bytes"])
        created = datetime.fromisoformat(header["created_at"])
        str(header["device_id"]), str(header["schema"]), dict(header["counts"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BundleError(_tampered(name)) from None
    if len(payload) < expected:
        raise BundleError(_truncated(name))
    if len(public_key) != 32 or not SchoolKey(public_key).verify(signature, _signed_part(header_line + b"\n", payload)):
        raise BundleError(_tampered(name))
    if header.get("format") != FORMAT:
        raise BundleError(
            f"{name} was made by another version of Peer Helper Trainer (bundle format {header.get('format')})."
        )
    from app.modules.records.database import HEAD_REVISION

    if header["schema"] != HEAD_REVISION:
        raise BundleError(
            f"{name} was made by a different version of Peer Helper Trainer (records version {header['schema']}, "
            f"this laptop has {HEAD_REVISION}). Install the same version on both laptops, then export again."
        )
    try:
        inflater = zlib.decompressobj()
        body = inflater.decompress(payload, MAX_PAYLOAD_BYTES)
        if inflater.unconsumed_tail:
            raise BundleError(f"{name} holds more than this program will unpack ({MAX_PAYLOAD_BYTES} bytes).")
        content = json.loads(body)
        rows = content["tables"]
    except (zlib.error, ValueError, KeyError, TypeError):
        raise BundleError(
            f"{name} is signed but its contents cannot be read; it was made by a faulty program."
        ) from None
    _check_shape(name, rows, header["counts"])
    return Bundle(_info(path, header, public_key, created), rows)


def _check_shape(name: str, rows: Any, counts: dict[str, int]) -> None:
    if not isinstance(rows, dict) or set(rows) != set(tables.MERGED_TABLES):
        raise BundleError(f"{name} does not hold the expected tables; it was made by a faulty program.")
    for table_name in tables.MERGED_TABLES:
        expected = {c.name for c in tables.carried_columns(table_name)}
        table_rows = rows[table_name]
        if not isinstance(table_rows, list) or len(table_rows) != counts.get(table_name):
            raise BundleError(
                f"{name}: the {table_name} table does not match its count; it was made by a faulty program."
            )
        for i, row in enumerate(table_rows, start=1):
            if (
                not isinstance(row, dict)
                or set(row) != expected
                or not isinstance(row.get("id"), str)
                or len(row["id"]) > 36
            ):
                raise BundleError(
                    f"{name}: row {i} of {table_name} is not in the expected form; it was made by a faulty program."
                )


def _truncated(name: str) -> str:
    return (
        f"{name} is incomplete: the file was cut short (an interrupted copy, or a USB stick removed too early). "
        "Nothing was imported. Export the records again on the other laptop and copy the whole file."
    )


def _tampered(name: str) -> str:
    return (
        f"{name} was changed after it was made: its signature does not match its contents. "
        "Nothing was imported. Export the records again on the other laptop and copy that file."
    )
