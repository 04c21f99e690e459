"""What an operation changed, so that the views showing it (and only those) refresh."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Changes:
    people: bool = False
    settings: bool = False
    progress: bool = False  # lessons, checks, role-plays, sign-offs of anyone
    certificates: bool = False
    content: bool = False
    records: bool = False  # the whole database was replaced (restore, import): everything

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def touches(self, *kinds: str) -> bool:
        """True when any of `kinds` changed; a replaced database touches everything."""
        return self.records or any(getattr(self, k) for k in kinds)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


NOTHING = Changes()
PEOPLE = Changes(people=True)
SETTINGS = Changes(settings=True)
PROGRESS = Changes(progress=True)
CERTIFICATES = Changes(certificates=True, progress=True)
CONTENT = Changes(content=True)
EVERYTHING = Changes(records=True)
