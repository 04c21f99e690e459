"""Publishing a draft: the `status: draft` line of a lesson's or scenario's front matter (or a
YAML scenario's top level) becomes `status: published`; every other byte of the file stays as
it was (line endings, comments, the rest of the line).

Drafts are documented in docs/lesson-format.md and docs/scenario-format.md: the front matter is
the source of truth, trainees never see a draft, and a file without `status` is published.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.core.i18n import _, ngettext

TEMPLATE_CODE = "S212"  # the untouched new-scenario template: never published as it is
# `status: draft`, the value perhaps quoted, perhaps followed by a comment; at the start of a line.
STATUS_LINE = re.compile(rb"""^(status[ \t]*:[ \t]*)(["']?)draft\2(?=[ \t]*(?:#[^\r\n]*)?\r?$)""", re.MULTILINE)
FENCE = re.compile(rb"^---[ \t]*\r?$", re.MULTILINE)


class PublishError(Exception):
    """The file cannot be published as asked; the message says why, in a trainer's words."""


def publish_blockers(item, findings) -> list[str]:
    """Why this draft cannot be published yet (empty: it can). Errors and the untouched template
    stop it; other warnings are shown to the trainer but do not."""
    reasons = []
    if item is None or not getattr(item, "is_draft", False):
        reasons.append(_("It is not a draft."))
    errors = sum(f.is_error for f in findings)
    if errors:
        reasons.append(ngettext("Fix the error first.", "Fix the {n} errors first.", errors).format(n=errors))
    if any(f.code == TEMPLATE_CODE for f in findings):
        reasons.append(_("It is still the template's example: write your own scenario first."))
    return reasons


def _status_span(raw: bytes, yaml_file: bool) -> tuple[int, int]:
    """Where the front matter (or, for a YAML file, the whole file) is, in bytes."""
    if yaml_file:
        return 0, len(raw)
    start = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    first = FENCE.match(start)
    if first is None:
        raise PublishError(_("The file has no front matter (the lines between the two '---')."))
    offset = len(raw) - len(start)
    closing = FENCE.search(start, first.end())
    if closing is None:
        raise PublishError(_("The front matter is not closed with a line '---'."))
    return offset + first.end(), offset + closing.start()


def published_bytes(raw: bytes, yaml_file: bool = False) -> bytes:
    """The same file with its `status: draft` line saying `published`."""
    begin, end = _status_span(raw, yaml_file)
    found = [m for m in STATUS_LINE.finditer(raw, begin, end)]
    if not found:
        raise PublishError(_("There is no 'status: draft' line in the front matter to change."))
    if len(found) > 1:
        raise PublishError(_("'status' is written more than once; keep one 'status: draft' line."))
    m = found[0]
    quote = m.group(2)
    return raw[: m.start()] + m.group(1) + quote + b"published" + quote + raw[m.end() :]


def publish_file(path: Path) -> None:
    """Rewrite `path` so that it is published; written to a temporary file first, then swapped in."""
    path = Path(path)
    raw = path.read_bytes()
    new = published_bytes(raw, yaml_file=path.suffix.lower() in (".yaml", ".yml"))
    tmp = path.with_name(f".{path.name}.publishing")
    tmp.write_bytes(new)
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777)
    except OSError:
        pass
    os.replace(tmp, path)
