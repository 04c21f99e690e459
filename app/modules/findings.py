"""A finding is one problem in one content file, with where it is and what to do.

Lessons, scenarios and program.yaml all report problems as findings so that the
checker, the command line and the "Content problems" panel show them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.i18n import _

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    severity: str  # ERROR or WARNING
    code: str
    message: str
    hint: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """`path:line:col: CODE message` and, on the next line, the hint."""
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"
        if self.hint:
            hint = _("hint: {hint}").format(hint=self.hint)
            text += f"\n    {hint}"
        return text

    def to_json(self) -> dict:
        """The JSON shape of docs/scenario-format.md (the hint is folded into the message)."""
        message = self.message
        if self.hint:
            message = f"{message} ({self.hint})"
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": message,
        }


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as a trainer would like to read it: relative to `base` or the cwd when possible."""
    p = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(p.resolve().relative_to(Path(root).resolve()))
        except (ValueError, OSError):
            continue
    return str(p)


def sort_key(f: Finding) -> tuple:
    return (f.path, f.line, f.column, f.code)
