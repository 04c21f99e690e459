"""Waiting for the background operations a click started (app.ui.tasks): changes of records run off
the UI thread (issue 16), so a test that looks at the records or the screen after one waits first."""

from __future__ import annotations

from app.ui.common import tasks


def settled(qtbot, timeout: int = 10000) -> None:
    """Every background operation has reported back on the UI thread."""
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=timeout)
