"""Records readable only by the account that runs the program (issue 14, item 6).

On a shared computer every account can otherwise read the database, its backups, exports and
`config.json`. The data folder and every folder in it are made 0700 and every file 0600: new
ones when they are created, existing ones repaired at each start (`repair`, which touches only
the program's own files and folders there). The program also
runs with umask 077 (app.cli.main), so files that libraries create (SQLite's -wal and -shm,
PDFs, exports outside the data folder) are private from the start.

Only POSIX permissions are handled: on Windows a user's application-data folder is private
already, and a FAT-formatted USB stick has no permissions at all (errors are ignored there;
`repair` returns what it could not fix so a caller may say so).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
UMASK = 0o077
_POSIX = os.name == "posix"


def make_private_dir(folder: Path) -> Path:
    """Create `folder` (and parents) if needed, and make it 0700."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _chmod(folder, PRIVATE_DIR)
    return folder


def make_private(path: Path) -> None:
    """Make an existing file 0600 (best effort: a file system without permissions is left as is)."""
    _chmod(Path(path), PRIVATE_FILE)


def create_private(path: Path) -> None:
    """Create an empty file with 0600 from the start, if it does not exist yet."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    except FileExistsError:
        make_private(path)


# What the program keeps in its data folder. Only these are repaired: a data folder chosen with
# --data-dir may be a folder that holds other things (a home folder), which are not ours to change.
OWN_FOLDERS = ("backups", "keys")
OWN_FILE_PREFIXES = ("peer-trainer.sqlite3", "peer-trainer.lock", "config.json", "damaged-", "stray-", ".write-test-")


def repair(data_dir: Path) -> list[Path]:
    """Make the data folder and the program's files in it private; returns what others may still read.

    Symbolic links are not followed (a link could point anywhere on the computer).
    """
    data_dir = Path(data_dir)
    if not _POSIX or not data_dir.is_dir():
        return []
    left: list[Path] = []
    info = os.stat(data_dir)
    shared = info.st_mode & stat.S_ISVTX or info.st_uid != os.geteuid()  # /tmp, or someone else's
    if not shared and not _fix(data_dir, PRIVATE_DIR):
        left.append(data_dir)
    try:
        entries = list(data_dir.iterdir())
    except OSError:
        return left
    for path in entries:
        if path.is_symlink():
            continue
        if path.is_dir() and path.name in OWN_FOLDERS:
            left += _repair_tree(path)
        elif path.is_file() and path.name.startswith(OWN_FILE_PREFIXES) and not _fix(path, PRIVATE_FILE):
            left.append(path)
    return left


def _repair_tree(folder: Path) -> list[Path]:
    left = [] if _fix(folder, PRIVATE_DIR) else [folder]
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs:
            path = Path(root) / name
            if not path.is_symlink() and not _fix(path, PRIVATE_DIR):
                left.append(path)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink() and not _fix(path, PRIVATE_FILE):
                left.append(path)
    return left


def open_to_others(path: Path) -> bool:
    """True when a group or other account may read, write or enter `path`."""
    try:
        return bool(stat.S_IMODE(os.lstat(path).st_mode) & 0o077)
    except OSError:
        return False


def _fix(path: Path, mode: int) -> bool:
    if not open_to_others(path):
        return True
    _chmod(path, mode)
    return not open_to_others(path)


def _chmod(path: Path, mode: int) -> None:
    if not _POSIX:
        return
    try:
        os.chmod(path, mode, follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass  # no permissions on this file system, or not ours: repair() reports it
