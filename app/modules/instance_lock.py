"""One copy of the program per data folder (issue 14, item 10).

Two windows, or a window and a command that writes (import-records, restore, erase-trainee,
certificates, ...), on the same records would race each other: the sign-in wait, imports and
erasures all assume they are alone. Each takes `<data>/peer-trainer.lock` with an operating
system lock (flock on POSIX, msvcrt on Windows) that ends with the process, even when it is
killed, so a stale lock never blocks anyone. The file says who holds it, for the message.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from app.core.i18n import _

LOCK_FILE = "peer-trainer.lock"


class AlreadyRunning(Exception):
    """Another copy of the program is using this data folder. `message` and `advice` are for people."""

    def __init__(self, message: str, advice: str) -> None:
        super().__init__(f"{message} {advice}")
        self.message = message
        self.advice = advice


class InstanceLock:
    """Held while the program (or a writing command) uses a data folder; `release()` or exit ends it."""

    def __init__(self, path: Path, handle) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def acquire(cls, data_dir: Path, what: str) -> InstanceLock:
        from app.core import private_files

        data_dir = Path(data_dir)
        if not data_dir.exists():
            private_files.make_private_dir(data_dir)
        path = data_dir / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, private_files.PRIVATE_FILE)
        handle = os.fdopen(fd, "r+b", buffering=0)
        if not _try_lock(handle):
            holder = _holder(path)
            handle.close()
            raise AlreadyRunning(
                _("Peer Helper Trainer is already open on these records ({folder}): {holder}.").format(
                    folder=data_dir, holder=holder
                ),
                _(
                    "Use the copy that is open, or close it first and try again. Two copies on the same records "
                    "could undo each other's work. (If none is open, another account on this computer may be using "
                    "the folder: sign it out.)"
                ),
            )
        info = {"pid": os.getpid(), "what": what, "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(info).encode("utf-8"))
        return cls(path, handle)

    def release(self) -> None:
        if self._handle is not None:
            try:
                self._handle.seek(0)
                self._handle.truncate()
            except OSError:
                pass
            self._handle.close()  # closing the file ends the lock
            self._handle = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8")[:1000] or "{}")
        return _("{what} (process {pid}, since {since})").format(
            what=info["what"], pid=int(info["pid"]), since=info["since"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return _("another copy of the program")


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

else:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False
