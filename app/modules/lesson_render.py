"""Turn a lesson's Markdown into safe HTML for the lesson reader.

Markdown from trainers goes through markdown -> nh3, so nothing that can run, leave the
program or reach a file outside the content folder survives. The call-out boxes are added
after sanitising, from our own trusted template.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..core.i18n import _
from .lessons import CALLOUTS, FENCE
from .placeholders import fill

_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
    "a",
    "img",
    "span",
}
_ATTRS = {"a": {"href"}, "img": {"src", "alt", "width", "height"}, "th": {"align"}, "td": {"align"}}

# Colours of the call-out boxes: (background, accent). Chosen for AA contrast with dark text.
CALLOUT_COLOURS = {
    "try": ("#e6f4ea", "#1e6b34"),
    "avoid": ("#fdecea", "#a3221b"),
    "remember": ("#e8f0fe", "#1a4fa0"),
    "note": ("#f1f3f4", "#3c4043"),
    "warning": ("#fff4e0", "#8a4b00"),
}
# The same boxes in the dark theme (light text on dark tints) and in high contrast.
CALLOUT_COLOURS_DARK = {
    "try": ("#1d3324", "#7fd69a"),
    "avoid": ("#3b1f1f", "#ff9a90"),
    "remember": ("#1f2d45", "#8ab4f8"),
    "note": ("#262d38", "#c3cad5"),
    "warning": ("#3a2c14", "#f2bb6b"),
}
CALLOUT_COLOURS_HIGH_CONTRAST = {
    "try": ("#141414", "#8dffa8"),
    "avoid": ("#141414", "#ffaaaa"),
    "remember": ("#141414", "#ffe14d"),
    "note": ("#141414", "#ffffff"),
    "warning": ("#141414", "#ffd27a"),
}


def callout_colours(theme_name: str = "light") -> dict[str, tuple[str, str]]:
    """The call-out boxes' (background, accent) for a theme: light, dark or high_contrast."""
    return {"dark": CALLOUT_COLOURS_DARK, "high_contrast": CALLOUT_COLOURS_HIGH_CONTRAST}.get(
        theme_name, CALLOUT_COLOURS
    )


def split_callouts(body: str) -> list[tuple[str | None, str]]:
    """[(None, markdown), ("try", markdown), ...] in document order."""
    parts: list[tuple[str | None, str]] = []
    current: list[str] = []
    kind: str | None = None
    for line in body.split("\n"):
        m = FENCE.match(line.strip())
        if m and kind is None and m.group(1).lower() in CALLOUTS:
            parts.append((None, "\n".join(current)))
            current, kind = [], m.group(1).lower()
            if m.group(2):
                current.append(m.group(2))
        elif m and kind is not None and not m.group(1):
            parts.append((kind, "\n".join(current)))
            current, kind = [], None
        else:
            current.append(line)
    parts.append((kind, "\n".join(current)))
    return [(k, t) for k, t in parts if t.strip()]


def _markdown_to_html(text: str) -> str:
    import markdown  # imported here: not needed until the first lesson opens

    return markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")


def sanitise(fragment: str, lesson_dir: Path | None, content_dir: Path | None) -> str:
    import nh3

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href":
            # Only links within the page; nothing may leave the program.
            return value if value.startswith("#") else None
        if tag == "img" and attr == "src":
            return _safe_image(value, lesson_dir, content_dir)
        return value

    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRS,
        attribute_filter=attribute_filter,
        clean_content_tags={"script", "style"},
        url_schemes={"file"},
        link_rel=None,
    )


def _safe_image(src: str, lesson_dir: Path | None, content_dir: Path | None) -> str | None:
    if lesson_dir is None or content_dir is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return None  # remote (http:, data:, file:) images are never loaded
    try:
        target = (lesson_dir / src).resolve()
        target.relative_to(content_dir.resolve())
    except (ValueError, OSError):
        return None
    return target.as_uri() if target.is_file() else None


class LessonTooComplex(Exception):
    """The body is over a limit of lessons.body_limit_problems (finding L021); the message says which."""


def render_lesson_html(
    body: str,
    filled: dict[str, str],
    lesson_dir: Path | None = None,
    content_dir: Path | None = None,
    theme_name: str = "light",
) -> str:
    """The lesson body as sanitised HTML with call-out boxes (in the theme's colours) and placeholders filled in.

    Raises LessonTooComplex, before any Markdown is parsed, for a body over the limits (so the
    time this takes is bounded whoever calls it), and for a body that still recurses too deeply.
    """
    from .lessons import LIMIT_CODE, body_limit_problems

    problems = body_limit_problems(body)
    if problems:
        line, message, _hint = problems[0]
        raise LessonTooComplex(
            _("{problem} (body line {line}; `peer-trainer check` reports it as {code})").format(
                problem=message, line=line, code=LIMIT_CODE
            )
        )
    colours = callout_colours(theme_name)
    out: list[str] = []
    for kind, text in split_callouts(body):
        try:
            inner = sanitise(_markdown_to_html(text), lesson_dir, content_dir)
        except RecursionError:
            raise LessonTooComplex(
                _("its Markdown is nested too deeply to show ({code})").format(code=LIMIT_CODE)
            ) from None
        if kind is None:
            out.append(inner)
            continue
        bg, accent = colours[kind]
        label = html.escape(_(CALLOUTS[kind]))
        out.append(
            f'<table class="callout" width="100%" cellspacing="0" cellpadding="14" bgcolor="{bg}" '
            f'style="margin-top: 10px; margin-bottom: 14px; border-left: 4px solid {accent};">'
            f'<tr><td><p style="color:{accent}; font-weight:600; margin-bottom:4px;">{label}</p>'
            f"{inner}</td></tr></table>"
        )
    result = fill("\n".join(out), filled, as_html=True)
    _check_shape(result)
    return result


_ELEMENT = re.compile(r"<(/?)(table|ul|ol|blockquote|li|tr|td|th)\b", re.I)
MAX_TABLE_DEPTH = 3  # a call-out (one table) holding a table holding a table
MAX_ELEMENT_DEPTH = 64


def _check_shape(fragment: str) -> None:
    """Refuse HTML whose nesting Qt would take minutes to lay out (nested tables are exponential)."""
    depth = tables = 0
    for m in _ELEMENT.finditer(fragment):
        step = -1 if m.group(1) else 1
        depth = max(0, depth + step)
        if m.group(2).lower() == "table":
            tables = max(0, tables + step)
        if tables > MAX_TABLE_DEPTH or depth > MAX_ELEMENT_DEPTH:
            raise LessonTooComplex(_("its tables or lists are nested too deeply to show ({code})").format(code="L021"))


_SENTENCE = re.compile(r"\S.*?(?:[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|$)", re.S)


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences for reading aloud one at a time (so stop is quick
    and the sentence being read can be highlighted)."""
    sentences: list[str] = []
    for block in re.split(r"\n|\u2029", text):
        block = " ".join(block.split())
        if block:
            sentences.extend(s.strip() for s in _SENTENCE.findall(block) if s.strip())
    return sentences
