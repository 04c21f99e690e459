"""Tables of labels defined at import time that read in the current language wherever they are used.

A module-level ``{key: N_("Label")}`` table is written once, before any language is chosen; wrapping
it in ``Labels`` translates each label when it is read (``table[key]``, ``.get``, ``.items()``,
``.values()``), so the code that shows the labels needs no change. The keys stay as they are: they
are ids. ``table.source(key)`` gives the English text, for data that must not change with the
language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from .i18n import _

K = TypeVar("K")


class Labels(Mapping[K, str]):
    def __init__(self, table: Mapping[K, str]) -> None:
        self._table = dict(table)

    def __getitem__(self, key: K) -> str:
        return _(self._table[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"Labels({self._table!r})"

    def source(self, key: K) -> str:
        """The label as written in the code (English), whatever the language."""
        return self._table[key]


class Choices(Sequence[tuple[K, str]]):
    """A tuple of ``(value, N_("Label"))`` pairs read as ``(value, label in the current language)``:
    iterate it, index it or turn it into a dict as the plain tuple was."""

    def __init__(self, pairs: Iterable[tuple[K, str]]) -> None:
        self._pairs = tuple(pairs)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [(value, _(label)) for value, label in self._pairs[index]]
        value, label = self._pairs[index]
        return value, _(label)

    def __len__(self) -> int:
        return len(self._pairs)

    def __repr__(self) -> str:
        return f"Choices({self._pairs!r})"
