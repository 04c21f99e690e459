"""Effect values, as trainers write them (`+2`, `-1`, `2`, `=0`, `true`) or tools store them."""

from __future__ import annotations

import re

from ...core.i18n import _
from .codes import Report
from .model import ADD, SET, Effect

_NUMBER = re.compile(r"^[+-]?\d{1,9}$")
_ASSIGN = re.compile(r"^=\s*([+-]?\d{1,9})$")
_FLAGS = {"true": True, "false": False, "True": True, "False": False, "TRUE": True, "FALSE": False}


def effect_from_text(name: str, raw: str, line: int, col: int, rep: Report, in_set: bool = False) -> Effect | None:
    """`+2`/`-1`/`2` add (assign in `set`), `=N` assigns, `true`/`false` set a flag."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1].strip()
    if _NUMBER.match(raw):
        return Effect(name, SET if in_set else ADD, int(raw), line, col)
    m = _ASSIGN.match(raw)
    if m:
        return Effect(name, SET, int(m.group(1)), line, col)
    if raw in _FLAGS:
        return Effect(name, SET, _FLAGS[raw], line, col)
    what = "set" if in_set else "effects"
    rep.add(
        "S123",
        line,
        col,
        _("{raw!r} is not a value for {name!r} in {what}").format(raw=raw, name=name, what=what),
        _("write a number (+2, -1), =N to set a number, or true/false for a flag"),
    )
    return None


def effect_from_value(name: str, value, line: int, col: int, rep: Report, in_set: bool = False) -> Effect | None:
    """The same from a YAML value: ints add (assign in `set`), booleans set, strings as in Markdown."""
    if isinstance(value, bool):
        return Effect(name, SET, value, line, col)
    if isinstance(value, int):
        return Effect(name, SET if in_set else ADD, value, line, col)
    return effect_from_text(name, str(value) if value is not None else "", line, col, rep, in_set)
