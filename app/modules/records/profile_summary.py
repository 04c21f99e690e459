"""Plain results that several record modules hand out. Imports nothing heavy: the profile
picker's quick start-up path (peek.py) uses them before SQLAlchemy is loaded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    id: str
    display_name: str
    role: str
    group_name: str | None
    has_secret: bool
    archived: bool = False
    note: str | None = None  # tells apart two people with the same name in one group
