"""`{{school.counsellor}}`-style placeholders in lessons and scenarios.

Content names the school's own people and contacts through placeholders, never hard-coded
numbers, so one curriculum fits every school. Each placeholder has a wording that still reads
well when the coordinator has not filled the setting in.
"""

from __future__ import annotations

import html
import re

from ..core.i18n import N_, _

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")

# placeholder -> (settings key, wording when the setting is empty)
# The wordings are translated where filled in, so a Spanish lesson reads "el orientador del centro".
KNOWN: dict[str, tuple[str | None, str]] = {
    "school.name": ("school.name", N_("your school")),
    "school.counsellor": ("school.counsellor", N_("the school counsellor")),
    "school.counsellor_room": ("school.counsellor_room", N_("the counsellor's office")),
    "school.office": ("school.office", N_("the school office")),
    "school.supervisor": ("school.supervisor", N_("the adult who runs the peer helper programme")),
    "school.crisis_line": ("school.crisis_line", N_("a local crisis line (ask the school counsellor for the number)")),
    "school.emergency_number": ("school.emergency_number", N_("your local emergency number")),
    "programme.name": ("programme.name", ""),  # falls back to the program's title
    "trainee.name": (None, N_("you")),
}


def unknown_placeholders(text: str) -> list[tuple[str, int, int]]:
    """(name, 0-based line, 1-based column) of every placeholder that is not known."""
    out = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(1) not in KNOWN:
            line = text.count("\n", 0, m.start())
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            out.append((m.group(1), line, col))
    return out


def values(settings: dict, program_title: str = "", trainee_name: str | None = None) -> dict[str, str]:
    """What every known placeholder becomes, given the school's settings."""
    out: dict[str, str] = {}
    for name, (key, fallback) in KNOWN.items():
        value = str(settings.get(key) or "").strip() if key else ""
        if name == "programme.name" and not value:
            value = program_title or _("the peer helper programme")
        if name == "trainee.name" and trainee_name:
            value = trainee_name
        out[name] = value or (_(fallback) if fallback else "")
    return out


def fill(text: str, filled: dict[str, str], *, as_html: bool = False) -> str:
    """Replace known placeholders; unknown ones are left visible so a trainer notices them."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in filled:
            return m.group(0)
        return html.escape(filled[name]) if as_html else filled[name]

    return PLACEHOLDER.sub(sub, text)
