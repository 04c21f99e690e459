"""A scenario's text as the player shows and speaks it.

Scenario lines keep inline Markdown as written (`*emphasis*`, `**strong**`) and placeholders
such as `{{school.counsellor}}`. For the screen they become a little safe HTML (everything
else escaped); for speech the markers are dropped so the voice does not read asterisks.
"""

from __future__ import annotations

import html
import re

from app.modules.placeholders import fill

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__", re.S)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S)
_CODE = re.compile(r"`([^`]+)`")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")  # a blank line (feedback keeps paragraph breaks)
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")  # Markdown: two spaces or a backslash end a line; other breaks are spaces


def display_html(text: str, filled: dict[str, str]) -> str:
    """Placeholders filled, HTML escaped, emphasis kept; line breaks as Markdown reads them."""
    out = html.escape(fill(text, filled), quote=False)
    out = _STRONG.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", out)
    out = _EMPHASIS.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", out)
    out = _CODE.sub(lambda m: m.group(1), out)
    paragraphs = _PARAGRAPHS.split(_HARD_BREAK.sub("<br>", out))
    return "<br><br>".join(" ".join(p.split("\n")).strip() for p in paragraphs)


def plain(text: str, filled: dict[str, str]) -> str:
    """Placeholders filled and markers dropped, on one line: button labels and what the voice reads."""
    out = fill(text, filled)
    out = _STRONG.sub(lambda m: m.group(1) or m.group(2), out)
    out = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), out)
    return " ".join(_CODE.sub(lambda m: m.group(1), out).split())
