"""Run slow domain calls (password hashing, batch work) off the UI thread.

Like Anki's operations: `run(parent, fn, on_done, on_error)` runs `fn()` on Qt's thread pool
and calls back on the UI thread through a queued signal. Callbacks are dropped if the parent
has been deleted meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported on the UI thread, never lost
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_live: set[_Relay] = set()


def run(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    # The relay has no Qt parent: it must outlive a parent closed while the work runs, or the
    # worker would emit from a deleted object. It lives in _live until the result arrives.
    relay = _Relay()
    _live.add(relay)

    def finish(cb, value):
        _live.discard(relay)
        relay.deleteLater()
        if cb is not None and shiboken6.isValid(parent):
            cb(value)

    relay.done.connect(lambda r: finish(on_done, r))
    relay.failed.connect(lambda e: finish(on_error or _reraise, e))
    QThreadPool.globalInstance().start(_Job(fn, relay))


def _reraise(exc: BaseException) -> None:
    raise exc
