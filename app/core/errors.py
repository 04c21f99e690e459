"""One root for every error that is meant for a person to read.

Each subclass says what went wrong and what to do in `message`, in words a coordinator or a
trainee would use; the window shows it in a dialog and the command line prints it, and neither
needs to know which part of the program raised it. Anything that is not a `TrainingError` is a
bug, and is reported as one.
"""

from __future__ import annotations

from app.core.i18n import _


class TrainingError(Exception):
    """Something a person can understand and act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PermissionDenied(TrainingError):
    """The acting profile's role may not do this (checked in the domain, never only in the UI)."""


class Cancelled(TrainingError):
    """The person cancelled a long operation; nothing was written."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message if message is not None else _("Cancelled. Nothing was changed."))
