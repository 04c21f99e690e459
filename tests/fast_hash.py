"""Test-only cheap password hashing, without any environment variable the program reads.

`enable()` lowers the scrypt cost of new hashes in this process by patching
`secret_hashing.SCRYPT_LOG2_N` (stored hashes record their cost, so they still verify).
conftest.py calls it; `real_cost` in conftest.py puts the shipped cost back for one test.

Child processes that a test starts get the same by running through this file:

    python tests/fast_hash.py -m app --data-dir D setup ...     (like python -m app ...)
    python tests/fast_hash.py path/to/script.py args ...         (like python script.py ...)
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

FAST_LOG2_N = 4
HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def enable() -> None:
    from app.modules.records import secret_hashing

    secret_hashing.SCRYPT_LOG2_N = FAST_LOG2_N


def command(*args: str) -> list[str]:
    """The argv for `python -m app *args` with cheap hashing."""
    return [sys.executable, str(Path(__file__).resolve()), "-m", "app", *args]


def _main(argv: list[str]) -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if sys.path and Path(sys.path[0]).resolve() == HERE:
        sys.path.insert(1, str(REPO))
    enable()
    if argv[:1] == ["-m"]:
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    _main(sys.argv[1:])
