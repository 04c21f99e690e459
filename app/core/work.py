"""The one protocol between a long domain operation and whoever is waiting for it.

A domain function that takes a while accepts `work: Work = NO_WORK` and calls
`work.step(done, total, text)` as it goes. `step` reports progress and raises `Cancelled`
when the person asked to stop, so cancelling needs no second convention: a function that is
safe to stop calls `step` only at points where stopping leaves nothing half written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled


class Work:
    """Progress and cancel for one operation; thread-safe, so a window can cancel from its thread."""

    def __init__(self, report: Callable[[int, int, str], None] | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()

    def step(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        if self._report is not None:
            self._report(done, total, text)

    def check(self) -> None:
        """Raise `Cancelled` if asked to stop (for loops that report progress elsewhere)."""
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


NO_WORK = Work()  # nobody watching, nobody cancelling
