"""Reading trainer-written text files safely: size cap, binary and encoding checks,
and splitting YAML front matter from the body.

Everything returns findings instead of raising, so one broken file never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.i18n import _
from .findings import ERROR, Finding

# A lesson or scenario is a few kilobytes; anything this large is a mistake (or an attack),
# and reading it further would only cost time and memory.
MAX_FILE_BYTES = 1_000_000


@dataclass(slots=True)
class TextFile:
    path: Path
    shown: str  # the path as findings print it
    text: str
    data: bytes


def read_text_file(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[TextFile | None, list[Finding]]:
    """Read a UTF-8 text file, or explain why it cannot be used."""

    def fail(code: str, message: str, hint: str = "", line: int = 1, col: int = 1):
        return None, [Finding(shown, line, col, ERROR, code, message, hint)]

    try:
        size = path.stat().st_size
    except OSError as exc:
        return fail(
            "F005",
            _("cannot read the file: {error}").format(error=exc.strerror or exc),
            _("check that the file exists and you may read it"),
        )
    if size > max_bytes:
        return fail(
            "F001",
            _("the file is {size:,} bytes; the limit is {limit:,}").format(size=size, limit=max_bytes),
            _("a scenario or lesson should be a few kilobytes: split it into smaller files"),
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(
            "F005",
            _("cannot read the file: {error}").format(error=exc.strerror or exc),
            _("check that the file exists and you may read it"),
        )
    if not data.strip():
        return fail("F004", _("the file is empty"), _("start from the template in docs/authoring.md"))
    if b"\x00" in data[:8192] or b"\x00" in data:
        return fail("F002", _("this is a binary file, not text"), _("save it as plain text (UTF-8) from your editor"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return fail(
            "F003",
            _("the file is not valid UTF-8 (byte 0x{byte:02x})").format(byte=data[exc.start]),
            _('save the file as UTF-8 in your editor ("Save with encoding" or "Encoding > UTF-8")'),
            line,
            col,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return TextFile(path, shown, text, data), []


@dataclass(slots=True)
class FrontMatter:
    yaml_text: str
    yaml_first_line: int  # the file line of the first YAML line
    body: str
    body_first_line: int  # the file line of the first body line


def split_front_matter(text: str) -> FrontMatter | None:
    """Split `---\\n yaml \\n---\\n body`; None when the file has no front matter."""
    if not (text.startswith("---\n") or text.rstrip("\n") == "---"):
        return None
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return FrontMatter(
                yaml_text="\n".join(lines[1:i]),
                yaml_first_line=2,
                body="\n".join(lines[i + 1 :]),
                body_first_line=i + 2,
            )
    return None
