"""The one background operation: run a slow call off the UI thread, with progress and cancel.

Like Anki's CollectionOp and QueryOp (qt/aqt/operations): `Operation(parent, fn)` runs
`fn(work)` on Qt's thread pool. `work` is the domain's one progress-and-cancel protocol
(app.core.work.Work): the domain calls `work.step(done, total, text)`, which reports progress
here and raises `Cancelled` once `cancel()` was called. The result comes back on the UI thread.

An operation that changes records returns the service's `Changes` (alone, or as the last item
of a tuple); they are handed to `AppContext.apply`, and every view showing what changed
refreshes from that, so no screen has to remember to tell the others.

Callbacks are dropped if the parent has been deleted meanwhile. `run()` is the short form for
a call with no progress to show (a password check, a query); `change()` is the form for a
small change of records (a sign-off, a setting, a preference): the controls that started it are
disabled at once and enabled again when it returns. `wait()` blocks until the call
itself has ended (for the last writes while the window closes); `busy()` says whether any
operation is still under way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.core.errors import Cancelled
from app.core.work import Work


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, ended: threading.Event):
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.ended = ended

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported on the UI thread, never lost
            self.ended.set()
            self.relay.failed.emit(exc)
        else:
            self.ended.set()
            self.relay.done.emit(result)


# An operation and its relay (which has no Qt parent) must outlive a parent closed while the
# work runs, or the worker would emit from a deleted object: each lives here until it ends.
_live: set[Operation] = set()


def split_changes(result: Any) -> tuple[Any, Any]:
    """(value, changes) from what a service call returned: a Changes, (value, Changes), or a value."""
    from app.service.changes import Changes

    if isinstance(result, Changes):
        return None, result
    if isinstance(result, tuple) and result and isinstance(result[-1], Changes):
        value = result[0] if len(result) == 2 else result[:-1]
        return value, result[-1]
    return result, None


class Operation:
    """One slow call, started with `run()`; `cancel()` asks it to stop at its next step."""

    def __init__(
        self,
        parent: QObject,
        fn: Callable[[Work], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        apply: Callable[[Any], None] | None = None,
    ) -> None:
        self.parent = parent
        self.fn = fn
        self.on_success = on_success
        self.on_failure = on_failure
        self.on_progress = on_progress
        self.on_cancelled = on_cancelled
        self.apply = apply  # AppContext.apply: views refresh from the Changes returned
        self.relay = _Relay()
        self.work = Work(self.relay.progressed.emit)
        self.running = False
        self.is_change = False  # a small change of records (`change()`), waited for as the window closes
        self._ended = threading.Event()  # set on the worker as soon as `fn` has returned or raised

    def run(self) -> Operation:
        relay = self.relay
        _live.add(self)
        self.running = True
        if self.on_progress is not None:
            relay.progressed.connect(lambda done, total, text: self._progressed(done, total, text))
        relay.done.connect(lambda result: self._done(result))
        relay.failed.connect(lambda exc: self._failed(exc))
        QThreadPool.globalInstance().start(_Job(lambda: self.fn(self.work), relay, self._ended))
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `fn` has ended (True), or `timeout` seconds passed (False). The callbacks
        still come later, on the UI thread, if it keeps running."""
        return not self.running or self._ended.wait(timeout)

    def cancel(self) -> None:
        self.work.cancel()

    @property
    def cancelled(self) -> bool:
        return self.work.cancelled

    # --- back on the UI thread -----------------------------------------------------------
    def _alive(self) -> bool:
        return shiboken6.isValid(self.parent)

    def _end(self) -> None:
        self.running = False
        _live.discard(self)
        self.relay.deleteLater()

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._alive() and not self.work.cancelled:
            self.on_progress(done, total, text)

    def _done(self, result: Any) -> None:
        self._end()
        value, changes = split_changes(result)
        if changes and self.apply is not None:
            self.apply(changes)  # other views refresh even if this one has gone
        if self._alive() and self.on_success is not None:
            self.on_success(value if changes is not None else result)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        if not self._alive():
            return
        if isinstance(exc, Cancelled) and self.on_cancelled is not None:
            self.on_cancelled()
        elif self.on_failure is not None:
            self.on_failure(exc)
        else:
            raise exc


def busy() -> bool:
    """Whether any operation has not yet reported back on the UI thread."""
    return bool(_live)


def run(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    apply: Callable[[Any], None] | None = None,
) -> Operation:
    """The short form: `fn()` off the UI thread, then `on_done(result)` on it."""
    return Operation(parent, lambda _work: fn(), on_success=on_done, on_failure=on_error, apply=apply).run()


def change(
    parent: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    apply: Callable[[Any], None] | None,
    controls: tuple[Any, ...] = (),
) -> Operation:
    """A change of records off the UI thread (it may go to PostgreSQL): `controls` (widgets) are
    disabled at once and enabled again when it has returned, before `on_done` or `on_error`, so
    these may leave them otherwise. The form keeps its input, so a failed change can be tried again."""
    from PySide6.QtWidgets import QApplication

    disabled = [c for c in controls if c is not None and c.isEnabled()]
    focus = QApplication.focusWidget()
    # The keyboard goes back where it was (Qt moves it on when a focused control is disabled).
    held = focus if focus is not None and any(c is focus or c.isAncestorOf(focus) for c in disabled) else None
    for control in disabled:
        control.setEnabled(False)

    def enable_again() -> None:
        for control in disabled:
            if shiboken6.isValid(control):
                control.setEnabled(True)
        if held is not None and shiboken6.isValid(held) and held.isVisible() and held.isEnabled():
            held.setFocus()

    def done(value: Any) -> None:
        enable_again()
        if on_done is not None:
            on_done(value)

    def failed(exc: BaseException) -> None:
        enable_again()
        if on_error is None:
            raise exc
        on_error(exc)

    operation = Operation(parent, lambda _work: fn(), on_success=done, on_failure=failed, apply=apply)
    operation.is_change = True
    return operation.run()


def wait_for_changes(timeout: float = 10.0) -> bool:
    """Block until every change started with `change()` has been written (the window is closing and
    the records are about to close), and hand each its result on the UI thread now, so what it
    changed is applied before the records close; False if one still runs after `timeout` seconds."""
    import time

    from PySide6.QtCore import QCoreApplication, QEvent

    deadline = time.monotonic() + timeout
    while True:  # a change's result may start the next (preferences are written one at a time)
        waited = [op for op in _live if op.is_change]
        if not waited:
            return True
        for operation in waited:
            if not operation.wait(max(0.0, deadline - time.monotonic())):
                return False
        # Their done/failed signals are queued calls waiting for the event loop: deliver them now.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
        if time.monotonic() > deadline:
            return False
