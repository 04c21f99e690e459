"""Shared helpers for the scenario tests: a program, a clean base scenario, and a loader."""

from __future__ import annotations

from pathlib import Path

from app.modules.program import load_program
from app.modules.scenario import load_scenario

FIXTURES = Path(__file__).parent / "scenario_fixtures"
CONTENT = FIXTURES / "content"
PROGRAM, _ = load_program(CONTENT)

BASE = """---
id: base
title: Base
module: confidentiality
competencies: [confidentiality]
variables: {trust: 0}
---

## start

Hello.

- [Go](#end) {confidentiality: +1}
  > Fine.

## end {ending: success}

Done.
"""


def load_text(tmp_path: Path, text: str | bytes, name: str = "s.md", program=PROGRAM):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_scenario(path, program, name)


# The give-away warnings (S207-S211, L016-L020) that the small fixtures and the shipped content (until
# the curriculum is rewritten, issue 13) trip; the tests of other findings leave them out.
GIVE_AWAY = frozenset(("S207", "S208", "S209", "S210", "S211", "L016", "L017", "L018", "L019", "L020"))


def without_give_aways(findings) -> list:
    """The findings (or JSON findings) that are not give-away warnings."""
    return [f for f in findings if (f["code"] if isinstance(f, dict) else f.code) not in GIVE_AWAY]


def codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings]
