"""Twine in and out: Twee 3 text and Twine 2's archive HTML, to and from the scenario model.

Out (`write_twee`): one passage per node, so trainers see and rearrange a scenario in Twine's
story map. What Twine has no place for rides along in HTML comments that Harlowe and
SugarCube do not show (`<!-- pht … -->`), and the front matter in a passage tagged
`peer-trainer-header`, so `md → twee → md` gives back the same scenario.

In (`read_twine`): a strict, small reader (no library reads both Twee 3 and the archive
HTML with line numbers). Each passage is turned into the lines of a Markdown node and read
by the Markdown reader itself, at the passage's own line numbers, so every finding points
into the Twine file. Links in their three forms become choices; the start passage becomes
the start node. Story-format markup the scenario format cannot express (Harlowe and
SugarCube macros, variables, JavaScript, Chapbook inserts and modifiers) is taken out of the
text and reported at its line, never dropped silently.

Hostile input is bounded: the file size, the number of passages and the length of a line;
the archive is read with html.parser (nothing is fetched, no script runs).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

from ...core.i18n import N_, _, ngettext
from ..findings import ERROR, WARNING, Finding
from ..located_yaml import YAMLProblem
from .codes import Report
from .header import KEBAB, read_header
from .markdown_io import _block, _flow, _Reader, _structural
from .model import ENDINGS, Scenario
from .yamlnodes import compose

MAX_TWINE_BYTES = 2_000_000
MAX_PASSAGES = 2_000
MAX_LINE_CHARS = 20_000
HEADER_TAG = "peer-trainer-header"
HEADER_PASSAGE = "peer-trainer"
ENDING_TAG = "ending-"
SPECIAL = ("StoryTitle", "StoryData", "StoryInit", "StoryMenu", "StoryCaption", "StoryBanner", "StorySubtitle")
CODE_TAGS = ("script", "stylesheet", "widget", "Twine.private", "annotation")
_IFID_NAMESPACE = uuid.UUID("6f1d7c52-3c1e-4d6a-9c59-0d54f2b1a719")

# code -> (severity, what it means, how to fix it). T1xx: the file cannot be converted; T2xx: part of
# a passage has no place in the scenario format and was taken out (the trainer decides what to add).
TWINE_CODES: dict[str, tuple[str, str, str]] = {
    "T101": (ERROR, N_("the file is too large or has too many passages"), N_("split the story")),
    "T102": (
        ERROR,
        N_("the file is not Twee 3 nor a Twine 2 archive"),
        N_("export with Twine's Library → Archive or as Twee"),
    ),
    "T103": (ERROR, N_("the story has no passages to convert"), N_("add passages")),
    "T201": (WARNING, N_("a story-format macro was taken out"), N_("write it as an effect, a condition or a choice")),
    "T202": (WARNING, N_("JavaScript or a stylesheet was left out"), N_("scenarios cannot run code")),
    "T203": (
        WARNING,
        N_("a variable is printed in the text"),
        N_("write the words instead; scores are not shown in text"),
    ),
    "T204": (WARNING, N_("HTML or a comment was taken out of the text"), N_("write plain text or Markdown")),
    "T205": (WARNING, N_("a passage name or tag has no place in the scenario format"), N_("see the conversion report")),
    "T206": (WARNING, N_("a passage's metadata cannot be read"), N_("it is ignored")),
    "T207": (
        WARNING,
        N_("the archive holds more than one story; only the first was converted"),
        N_("export one story"),
    ),
}


def _add(rep: Report, code: str, line: int, col: int, message: str, hint: str = "") -> None:
    severity, _meaning, default_hint = TWINE_CODES[code]
    rep.findings.append(Finding(rep.shown, line, col, severity, code, message, hint or _(default_hint)))


@dataclass(slots=True)
class Passage:
    name: str
    tags: list[str]
    meta: dict
    lines: list[str]
    line: int  # the header line (Twee) or the tag's line (archive)
    body_line: int  # the file line of lines[0]


@dataclass(slots=True)
class Story:
    title: str = ""
    start: str = ""
    format: str = ""
    passages: list[Passage] = field(default_factory=list)


@dataclass(slots=True)
class Conversion:
    """A Twine story read as a scenario, and what the trainer has to add."""

    scenario: Scenario | None
    report: list[str] = field(default_factory=list)
    own_format: bool = False  # written by write_twee: nothing to add


# --- reading Twee 3 -----------------------------------------------------------------------

_UNESCAPE = re.compile(r"\\(.)")


def _unescape_name(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text).strip()


def _split_header(header: str) -> tuple[str, str | None, str | None]:
    """`Name [tags] {meta}` → (name, tags text, meta text); brackets escaped with a backslash stay in the name."""
    i, n, name_end = 0, len(header), len(header)
    while i < n:
        if header[i] == "\\":
            i += 2
            continue
        if header[i] in "[{":
            name_end = i
            break
        i += 1
    name, rest = header[:name_end], header[name_end:].strip()
    tags = meta = None
    if rest.startswith("["):
        close = rest.find("]")
        tags, rest = (rest[1:close], rest[close + 1 :].strip()) if close >= 0 else (rest[1:], "")
    if rest.startswith("{"):
        meta = rest
    return name, tags, meta


def read_twee(text: str, rep: Report) -> Story | None:
    story = Story()
    passages: list[Passage] = []
    current: Passage | None = None
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if len(line) > MAX_LINE_CHARS:
            _add(
                rep,
                "T101",
                lineno,
                1,
                _("line {line} is longer than {n} characters").format(line=lineno, n=MAX_LINE_CHARS),
            )
            return None
        if line.startswith("::"):
            if len(passages) >= MAX_PASSAGES:
                _add(
                    rep,
                    "T101",
                    lineno,
                    1,
                    _("the story has more than {n} passages").format(n=MAX_PASSAGES),
                )
                return None
            name, tags, meta_text = _split_header(line[2:])
            meta: dict = {}
            if meta_text:
                try:
                    meta = json.loads(meta_text)
                    if not isinstance(meta, dict):
                        raise ValueError
                except ValueError:
                    _add(
                        rep,
                        "T206",
                        lineno,
                        line.find("{") + 1,
                        _("the metadata {text!r} is not a JSON object").format(text=meta_text[:40]),
                    )
                    meta = {}
            current = Passage(
                _unescape_name(name), [_unescape_name(t) for t in (tags or "").split()], meta, [], lineno, lineno + 1
            )
            passages.append(current)
        elif current is not None:
            current.lines.append(line)
        elif line.strip():
            _add(
                rep, "T102", lineno, 1, _("text before the first passage (a Twee passage starts with a line ':: Name')")
            )
            return None
    for p in passages:
        while p.lines and not p.lines[-1].strip():
            p.lines.pop()
        if p.name == "StoryTitle":
            story.title = " ".join(" ".join(p.lines).split())
        elif p.name == "StoryData":
            try:
                data = json.loads("\n".join(p.lines) or "{}")
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                _add(
                    rep,
                    "T206",
                    p.body_line,
                    1,
                    _("StoryData is not a JSON object"),
                    _("its start passage is taken as 'Start'"),
                )
                data = {}
            story.start = str(data.get("start") or "")
            story.format = str(data.get("format") or "")
    story.passages = [p for p in passages if p.name not in ("StoryTitle", "StoryData")]
    if not story.start and any(p.name == "Start" for p in story.passages):
        story.start = "Start"
    return story


# --- reading the archive HTML ---------------------------------------------------------------


class _Archive(HTMLParser):
    def __init__(self, rep: Report):
        super().__init__(convert_charrefs=True)
        self.rep = rep
        self.story: Story | None = None
        self.start_pid = ""
        self.by_pid: dict[str, str] = {}
        self.current: Passage | None = None
        self.chunks: list[str] = []
        self.in_code: tuple[str, int] | None = None
        self.too_many = False
        self.closed = False  # the first story's </tw-storydata> was seen: later stories are not read

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "tw-storydata" and self.story is None:
            self.story = Story(title=a.get("name", ""), format=a.get("format", ""))
            self.start_pid = a.get("startnode", "")
        elif tag == "tw-storydata":
            _add(
                self.rep,
                "T207",
                self.getpos()[0],
                1,
                _("the story {name!r} was not converted: only the first story of an archive is").format(
                    name=a.get("name", "")
                ),
                _("in Twine, archive or publish each story on its own, and convert them one by one"),
            )
            self.closed = True
        elif tag == "tw-passagedata" and self.story is not None and not self.closed:
            if len(self.story.passages) >= MAX_PASSAGES:
                self.too_many = True
                return
            meta = {}
            if a.get("position"):
                meta["position"] = a["position"]
            if a.get("size"):
                meta["size"] = a["size"]
            line = self.getpos()[0]
            self.current = Passage(a.get("name", ""), a.get("tags", "").split(), meta, [], line, line)
            self.by_pid[a.get("pid", "")] = self.current.name
            self.chunks = []
        elif tag in ("script", "style") and self.story is not None and not self.closed:
            self.in_code = (tag, self.getpos()[0])

    def handle_data(self, data):
        if self.current is not None:
            self.chunks.append(data)
        elif self.in_code is not None and data.strip():
            tag, line = self.in_code
            what = (
                _("The story's JavaScript ({n} characters) was left out")
                if tag == "script"
                else _("The story's stylesheet ({n} characters) was left out")
            )
            _add(
                self.rep,
                "T202",
                line,
                1,
                what.format(n=len(data.strip())),
            )

    def handle_endtag(self, tag):
        if tag == "tw-passagedata" and self.current is not None and self.story is not None:
            text = "".join(self.chunks).replace("\r\n", "\n")
            self.current.lines = text.split("\n")
            while self.current.lines and not self.current.lines[-1].strip():
                self.current.lines.pop()
            self.story.passages.append(self.current)
            self.current = None
        elif tag in ("script", "style"):
            self.in_code = None
        elif tag == "tw-storydata":
            self.closed = True


def read_archive(text: str, rep: Report) -> Story | None:
    parser = _Archive(rep)
    parser.feed(text)
    parser.close()
    if parser.too_many:
        _add(rep, "T101", 1, 1, _("the story has more than {n} passages").format(n=MAX_PASSAGES))
        return None
    story = parser.story
    if story is None:
        _add(rep, "T102", 1, 1, _("no <tw-storydata> element was found: this is not a Twine 2 archive or story file"))
        return None
    story.start = parser.by_pid.get(parser.start_pid, "")
    return story


# --- passages to a scenario -------------------------------------------------------------------

# No brackets inside a link but one SugarCube "][": "[[[[…" cannot make it scan a line again and again.
_LINK = re.compile(r"\[\[([^\[\]\n]{0,500}(?:\]\[[^\[\]\n]{0,500})?)\]\]")
_OWN_LINK = re.compile(r"^\[\[(.*)->([^\]]*)\]\](?: <!-- pht: (.*) -->)?$")
_OWN_IF = re.compile(r"^<!-- pht if: (.*) -->$")
_OWN_FEEDBACK = re.compile(r"^<!-- pht >(json)? ?(.*) -->$")
_OWN_SET = re.compile(r"^<!-- pht set: (\{.*\}) -->$")
# Each pattern stops at the next opening, so text full of openings is read once, not once per opening.
_SUGAR = re.compile(r"<<(/?[A-Za-z=\-](?:[^<>]|<(?!<)|>(?!>)){0,500}?)>>")
_STRINGS = re.compile(r'"([^"]*)"|\'([^\']*)\'')
_HARLOWE = re.compile(r"\(([A-Za-z][\w-]*):")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--(?:(?!-->|<!--).){0,2000}-->|/\*(?:(?!\*/|/\*).){0,2000}\*/")
_VARIABLE = re.compile(r"(?<![\w$])\$[A-Za-z]\w*(?:\.[A-Za-z]\w*)*")
_CHAPBOOK_INSERT = re.compile(r"(?<!\{)\{(?!\{)[^{}\n]{1,200}\}(?!\})")
_CHAPBOOK_MODIFIER = re.compile(r"^\[(?!\[)[^\[\]]+\]$")
_SEPARATORS = re.compile(r"^[\s|•·/,\-–—]*$")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "passage"


def _split_link(inner: str) -> tuple[str, str]:
    """(text, target) of `[[inner]]`: `text->target`, `target<-text`, `text|target` or `target`.

    A SugarCube setter (`[[text|target][$x to 1]]`) is cut off first, as Twine itself does.
    """
    inner = inner.split("][", 1)[0]
    if "->" in inner:
        i = inner.rfind("->")
        return inner[:i], inner[i + 2 :]
    if "<-" in inner:
        i = inner.find("<-")
        return inner[i + 2 :], inner[:i]
    if "|" in inner:
        i = inner.rfind("|")
        return inner[:i], inner[i + 1 :]
    return inner, inner


_BRACKETS = {("(", ")"): re.compile(r"[()]"), ("[", "]"): re.compile(r"[\[\]]")}


def _pairs(text: str, open_: str, close: str) -> dict[int, int]:
    """Every bracket's index → the index after the bracket that closes it, in one pass over the line."""
    found, stack = {}, []
    for m in _BRACKETS[(open_, close)].finditer(text):  # the brackets only, not every character
        i = m.start()
        if text[i] == open_:
            stack.append(i)
        elif stack:
            found[stack.pop()] = i + 1
    return found


# What to write instead of a Harlowe macro, by its name.
_MACRO_HINTS = {
    "set": N_("write it as an effect after the choice that leads here, e.g. {trust: +1}"),
    "put": N_("write it as an effect after the choice that leads here, e.g. {trust: +1}"),
    "if": N_("put the text in a '::: if CONDITION' block, or 'if CONDITION' after a choice"),
    "unless": N_("put the text in a '::: if not CONDITION' block"),
    "else-if": N_("put the text in a '::: if CONDITION' block"),
    "else": N_("put the text in a '::: if not CONDITION' block"),
    "link-goto": N_("write it as a choice: [[text->passage]]"),
    "goto": N_("write it as a choice: [[text->passage]]"),
}


def _next_of(line: str, char: str, start: int) -> int:
    at = line.find(char, start)
    return len(line) if at < 0 else at


class _Foreign:
    """Turns the lines of a passage written for Harlowe, SugarCube or Chapbook into Markdown lines."""

    def __init__(self, rep: Report, ids: dict[str, str], story_format: str):
        self.rep, self.ids = rep, ids
        fmt = story_format.lower()
        known = any(f in fmt for f in ("harlowe", "sugarcube", "chapbook", "snowman", "paperthin"))
        self.harlowe = "harlowe" in fmt or not known  # "(note: …)" in prose is not a macro elsewhere
        self.chapbook = "chapbook" in fmt or not known
        self.open_hooks = 0  # Harlowe hooks opened after a macro and not yet closed
        self.macro_links: list[tuple[str, str]] = []  # (text, passage) of link macros on the current line

    def note(self, code: str, lineno: int, col: int, what: str, hint: str = "") -> None:
        _add(self.rep, code, lineno, col, what, hint)

    def strip_macros(self, line: str, lineno: int, depth: int = 0) -> str:
        """The line without Harlowe macros; a hook's text is kept (its own macros taken out too)."""
        out, i = [], 0
        parens = _pairs(line, "(", ")") if "(" in line else {}
        hooks = _pairs(line, "[", "]") if "[" in line else {}
        while i < len(line):
            # Only a "(" starts a macro, and only a "]" closes an open hook: the text up to the next one
            # is copied as it is, at once (a long line is not walked character by character).
            upto = _next_of(line, "(", i)
            if self.open_hooks:
                upto = min(upto, _next_of(line, "]", i))
            if upto > i:
                out.append(line[i:upto])
                i = upto
                continue
            if self.open_hooks and line[i] == "]" and not line.startswith("]]", i):
                self.open_hooks -= 1
                i += 1
                continue
            m = _HARLOWE.match(line, i)
            if m:
                end = parens.get(i, len(line))
                macro = line[i:end]
                name = m.group(1).lower()
                hint = _MACRO_HINTS.get(name, "")
                hint = _(hint) if hint else ""
                said = (
                    _(
                        "the Harlowe macro {macro!r} was taken out of the text "
                        "(the text of its hook is kept, shown always)"
                    )
                    if end < len(line) and line[end] == "["
                    else _("the Harlowe macro {macro!r} was taken out of the text")
                )
                args = [a or b for a, b in _STRINGS.findall(macro)]
                if name in ("link-goto", "link-reveal-goto", "click-goto") and args:
                    self.macro_links.append((args[0], args[-1]))
                    said = _("the Harlowe macro {macro!r} was taken out of the text and became a choice")
                    hint = _("check the choice it became")
                elif name == "goto" and args:
                    self.macro_links.append(("Continue", args[0]))
                    said = _("the Harlowe macro {macro!r} was taken out of the text and became a choice “Continue”")
                    hint = _("check the choice it became")
                links_before = len(self.macro_links)
                self.note(
                    "T201",
                    lineno,
                    i + 1,
                    said.format(macro=macro[:60]),
                    hint,
                )
                i = end
                if i < len(line) and line[i] == "[" and not line.startswith("[[", i):
                    close = hooks.get(i, -1)
                    if close < 0:
                        self.open_hooks += 1
                        i += 1
                    else:
                        inner = line[i + 1 : close - 1]
                        out.append(self.strip_macros(inner, lineno, depth + 1) if depth < 20 else inner)
                        i = close
                        if name.startswith("link") and args and len(self.macro_links) > links_before:
                            # (link: "Ask her")[(goto: "Talk")]: the link's words are the choice's
                            self.macro_links[-1] = (args[0], self.macro_links[-1][1])
                continue
            out.append(line[i])
            i += 1
        return "".join(out)

    def without_code(self, text: str, first_line: int) -> str:
        """The text with its <script> and <style> blocks (on any number of lines) blanked, in one pass."""
        out, at, low = [], 0, text.lower()
        while True:
            starts = [i for i in (low.find("<script", at), low.find("<style", at)) if i >= 0]
            if not starts:
                break
            start = min(starts)
            tag = "script" if low.startswith("<script", start) else "style"
            end = low.find(f"</{tag}>", start)
            end = len(text) if end < 0 else end + len(tag) + 3
            self.note(
                "T202",
                first_line + text.count("\n", 0, start),
                1,
                _("a <{tag}> block was left out of the passage").format(tag=tag),
            )
            out += [text[at:start], "\n" * text.count("\n", start, end)]
            at = end
        out.append(text[at:])
        return "".join(out)

    def convert(self, p: Passage) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(text lines, choice lines), each with its file line number."""
        lines = list(p.lines)
        text: list[tuple[int, str]] = []
        choices: list[tuple[int, str]] = []
        # Chapbook: a vars section above a line '--'.
        if self.chapbook and "--" in [l.strip() for l in lines[:50]]:
            cut = [l.strip() for l in lines].index("--")
            if all(":" in l for l in lines[:cut] if l.strip()):
                for k in range(cut):
                    if lines[k].strip():
                        self.note(
                            "T201",
                            p.body_line + k,
                            1,
                            _("the Chapbook variable {text!r} was taken out").format(text=lines[k].strip()[:60]),
                            _("write it as an effect after the choice that leads here, e.g. {trust: +1}"),
                        )
                lines = [""] * (cut + 1) + lines[cut + 1 :]
        joined = self.without_code("\n".join(lines), p.body_line)
        for k, line in enumerate(joined.split("\n")):
            lineno = p.body_line + k
            for m in _COMMENT.finditer(line):
                self.note(
                    "T204", lineno, m.start() + 1, _("the comment {text!r} was taken out").format(text=m.group()[:60])
                )
            line = _COMMENT.sub("", line)
            self.macro_links = []
            link_text = None  # <<link "Ask her">><<goto "Talk">><</link>>: the words wait for the goto
            for m in _SUGAR.finditer(line):
                args = [a or b for a, b in _STRINGS.findall(m.group())]
                inner_link = _LINK.search(m.group())
                became = None
                macro = (m.group(1).split() or [""])[0]
                if macro in ("link", "button") and (len(args) >= 2 or inner_link):
                    if inner_link:
                        self.macro_links.append(_split_link(inner_link.group(1)))
                    else:
                        self.macro_links.append((args[0], args[-1]))
                    became = _("the SugarCube macro {macro!r} was taken out of the text and became a choice")
                elif macro in ("link", "button") and args:
                    link_text = args[0]
                elif macro == "goto" and (args or inner_link):
                    target = _split_link(inner_link.group(1))[1] if inner_link else args[0]
                    self.macro_links.append((link_text or "Continue", target))
                    became = (
                        _("the SugarCube macro {macro!r} was taken out of the text and became a choice")
                        if link_text
                        else _("the SugarCube macro {macro!r} was taken out of the text and became a choice “Continue”")
                    )
                    link_text = None
                self.note(
                    "T201",
                    lineno,
                    m.start() + 1,
                    (became or _("the SugarCube macro {macro!r} was taken out of the text")).format(
                        macro=m.group()[:60]
                    ),
                    _("check the choice it became")
                    if became
                    else _("write it as an effect, a '::: if' block or a choice"),
                )
            line = _SUGAR.sub("", line)
            if self.harlowe:
                line = self.strip_macros(line, lineno)
            if self.chapbook and _CHAPBOOK_MODIFIER.match(line.strip()):
                self.note(
                    "T201",
                    lineno,
                    1,
                    _("the Chapbook modifier {text!r} was taken out").format(text=line.strip()[:60]),
                    _("for [if …] use a '::: if CONDITION' block"),
                )
                line = ""
            if self.chapbook:
                for m in _CHAPBOOK_INSERT.finditer(line):
                    self.note(
                        "T201",
                        lineno,
                        m.start() + 1,
                        _("the Chapbook insert {text!r} was taken out").format(text=m.group()[:60]),
                    )
                line = _CHAPBOOK_INSERT.sub("", line)
            for m in _TAG.finditer(line):
                self.note(
                    "T204",
                    lineno,
                    m.start() + 1,
                    _("the HTML {text!r} was taken out (its text is kept)").format(text=m.group()[:60]),
                )
            line = _TAG.sub("", line)
            for shown, target in self.macro_links:
                target_id = self.ids.get(target.strip(), _slug(target))
                choices.append((lineno, f"- [{' '.join(shown.split()) or target.strip()}](#{target_id})"))
            links = list(_LINK.finditer(line))
            for m in links:
                shown, target = _split_link(m.group(1))
                if "][" in m.group(1):
                    setter = m.group(1).split("][", 1)[1]
                    self.note(
                        "T201",
                        lineno,
                        m.start() + 1,
                        _("the SugarCube setter [{setter}] on this link was taken out").format(setter=setter[:60]),
                        _("write it as an effect after the choice, e.g. {trust: +1}"),
                    )
                target_id = self.ids.get(target.strip(), _slug(target))
                choices.append((lineno, f"- [{' '.join(shown.split()) or target.strip()}](#{target_id})"))
            rest = _LINK.sub(lambda m: _split_link(m.group(1))[0], line) if links else line
            if links and _SEPARATORS.match(_LINK.sub("", line)):
                rest = ""
            for m in _VARIABLE.finditer(rest):
                self.note(
                    "T203",
                    lineno,
                    m.start() + 1,
                    _("the variable {text!r} is printed in the text").format(text=m.group()),
                )
            rest = rest.rstrip()
            if rest.strip() and _structural(rest, True):
                rest = "\\" + rest
            text.append((lineno, rest))
        return text, choices


def _own_lines(p: Passage) -> tuple[str, list[tuple[int, str]]]:
    """A passage written by write_twee → (the node's set attribute, its Markdown body lines)."""
    attrs = ""
    out: list[tuple[int, str]] = []
    for k, line in enumerate(p.lines):
        lineno = p.body_line + k
        m = _OWN_SET.match(line)
        if m and k == 0:
            attrs = m.group(1)
            out.append((lineno, ""))
            continue
        m = _OWN_IF.match(line)
        if m:
            out.append((lineno, f"::: if {m.group(1)}"))
            continue
        if line == "<!-- pht end if -->":
            out.append((lineno, ":::"))
            continue
        m = _OWN_LINK.match(line)
        if m:
            rest = f" {m.group(3)}" if m.group(3) else ""
            out.append((lineno, f"- [{m.group(1)}](#{m.group(2)}){rest}"))
            continue
        m = _OWN_FEEDBACK.match(line)
        if m:
            text = json.loads(m.group(2)) if m.group(1) else m.group(2)
            out.append((lineno, f"  > {text}".rstrip()))
            continue
        out.append((lineno, line[1:] if line.startswith("\\") and line.lstrip("\\").startswith("::") else line))
    return attrs, out


def _read_lines(r: _Reader, lines: list[tuple[int, str]]) -> None:
    """The Markdown reader's loop (markdown_io._read_body) over lines that carry their own numbers."""
    for lineno, line in lines:
        if not line or line.isspace():
            r.flush()
            if r.choice is not None and r.feedback:
                r.feedback.append("")
            continue
        stripped = line.strip()
        s0 = stripped[0]
        if s0 == ":" and stripped.startswith(":::"):
            r.fence(stripped, lineno, len(line) - len(line.lstrip()) + 1)
        elif s0 in "-*+" and re.match(r"^\s*[-*+]\s+\[", line):
            r.choice_line(line, lineno)
        elif s0 == ">" and r.choice is not None and not r.para:
            body = stripped[1:]
            r.feedback.append(body[1:] if body.startswith(" ") else body)
        else:
            r.text_line(line, lineno)


def story_to_scenario(story: Story, rep: Report) -> Conversion:
    header = next((p for p in story.passages if HEADER_TAG in p.tags), None)
    own = header is not None
    sc = Scenario()
    report: list[str] = []
    if own:
        off = header.body_line - 1
        try:
            root = compose("\n".join(header.lines), off)
        except YAMLProblem as prob:
            rep.findings.append(Finding(rep.shown, prob.line, prob.column, ERROR, prob.code, prob.message, prob.hint))
            root = None
        if root is not None:
            read_header(root, sc, rep, off)
    else:
        sc.id = _slug(story.title or "twine-story")
        sc.title = story.title or "A story from Twine"
    passages = []
    for p in story.passages:
        if p is header:
            continue
        code_tags = [t for t in p.tags if t in CODE_TAGS]
        if code_tags or p.name in SPECIAL:
            _add(
                rep,
                "T202",
                p.line,
                1,
                (
                    _("the passage {name!r} ({tags}) was left out: it holds code or settings for the story format")
                    if code_tags
                    else _(
                        "the passage {name!r} (a special passage) was left out: it holds code or settings for the "
                        "story format"
                    )
                ).format(name=p.name, tags=", ".join(code_tags)),
            )
            continue
        passages.append(p)
    if not passages:
        _add(rep, "T103", 1, 1, _("the story has no passages to convert"))
        return Conversion(None, report, own)
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for p in passages:
        node_id = p.name if own or KEBAB.match(p.name) else _slug(p.name)
        base, n = node_id, 2
        while node_id in taken and not own:
            node_id, n = f"{base}-{n}", n + 1
        taken.add(node_id)
        ids[p.name] = node_id
        if node_id != p.name.lower():
            report.append(
                _("The passage “{name}” (line {line}) is the node {node}.").format(
                    name=p.name, line=p.line, node=node_id
                )
            )
    r = _Reader(sc, rep)
    foreign = _Foreign(rep, ids, story.format)
    made_endings = []
    for p in passages:
        node_id = ids[p.name]
        attrs = []
        endings = [t[len(ENDING_TAG) :] for t in p.tags if t.startswith(ENDING_TAG) and t[len(ENDING_TAG) :] in ENDINGS]
        other_tags = [t for t in p.tags if t not in [ENDING_TAG + e for e in endings]]
        if endings:
            attrs.append(f"ending: {endings[0]}")
        if other_tags:
            _add(
                rep,
                "T205",
                p.line,
                1,
                _("the tags {tags} of {name!r} have no place in a scenario and were left out").format(
                    tags=", ".join(other_tags), name=p.name
                ),
                _("tag an ending passage ending-success, ending-neutral or ending-failure"),
            )
        if own:
            set_attrs, lines = _own_lines(p)
            choices: list[tuple[int, str]] = []
        else:
            set_attrs = ""
            lines, choices = foreign.convert(p)
            if not choices and not endings:
                attrs.append("ending: neutral")
                made_endings.append(node_id)
        if set_attrs:
            attrs.append(f"set: {set_attrs}")
        heading = f"## {node_id}" + (" {" + ", ".join(attrs) + "}" if attrs else "")
        r.heading(heading, p.line)
        if r.node is not None:
            r.node.column = 1
        _read_lines(r, lines + [(p.line, "")] + choices)
        r.close_node()
    if not own:
        start = ids.get(story.start) if story.start else None
        sc.start = start or next(iter(sc.nodes), "")
        sc.start_declared = bool(sc.nodes)
        if story.start and start is None:
            report.append(
                _("The start passage “{name}” was not found; the first passage is the start.").format(name=story.start)
            )
        report += _what_to_add(sc, story, made_endings)
    elif not sc.start_declared and sc.nodes:
        sc.start = next(iter(sc.nodes))
    return Conversion(sc, report, own)


def _what_to_add(sc: Scenario, story: Story, made_endings: list[str]) -> list[str]:
    n = len(sc.nodes)
    if story.format:
        became = ngettext(
            "“{title}” (written for {format}) became {n} node starting at {start}. Before trainees can play it, add:",
            "“{title}” (written for {format}) became {n} nodes starting at {start}. Before trainees can play it, add:",
            n,
        )
    else:
        became = ngettext(
            "“{title}” became {n} node starting at {start}. Before trainees can play it, add:",
            "“{title}” became {n} nodes starting at {start}. Before trainees can play it, add:",
            n,
        )
    out = [
        became.format(title=sc.title, format=story.format, n=n, start=sc.start),
        _("  1. module: the id of the module it belongs to, from program.yaml."),
        _("  2. competencies: the ids of the competencies it assesses, e.g. [active_listening, empathy]."),
        _(
            "  3. effects after the choices that show a skill, e.g. {active_listening: +1}, and pass marks under "
            "'pass' if a score must be reached."
        ),
        _("  4. feedback under each choice ('  > what the trainee learns'), or 'feedback: end' in the front matter."),
    ]
    if made_endings:
        out.append(
            _(
                "  5. the kind of each ending: these passages have no links, so they became neutral endings: "
                "{nodes}. Change to success or failure where it fits."
            ).format(nodes=", ".join(made_endings))
        )
    out.append(_("Then run `peer-trainer check` on the file. Each finding above names the line of the Twine file."))
    return out


TWINE_SUFFIXES = (".twee", ".tw", ".tw3", ".twee3", ".html", ".htm")


def read_twine_file(path, shown: str) -> tuple[Conversion, Report]:
    """Read a .twee or archive .html file (at most MAX_TWINE_BYTES) as a scenario."""
    from ..textfile import read_text_file

    rep = Report(shown)
    tf, problems = read_text_file(path, shown, max_bytes=MAX_TWINE_BYTES)
    rep.findings.extend(problems)
    if tf is None:
        return Conversion(None), rep
    return read_twine(tf.text, rep, html=str(path).lower().endswith((".html", ".htm"))), rep


def read_twine(text: str, rep: Report, html: bool) -> Conversion:
    if len(text) > MAX_TWINE_BYTES:
        _add(
            rep,
            "T101",
            1,
            1,
            _("the file is larger than {n} MB").format(n=MAX_TWINE_BYTES // 1_000_000),
        )
        return Conversion(None)
    story = read_archive(text, rep) if html else read_twee(text, rep)
    if story is None:
        return Conversion(None)
    return story_to_scenario(story, rep)


# --- writing Twee -----------------------------------------------------------------------------


def _escape_name(name: str) -> str:
    return re.sub(r"([\\\[\]{}])", r"\\\1", name)


def _comment(text: str) -> str:
    """A comment's text, as JSON when it would close the comment or lose spaces."""
    return "json " + json.dumps(text, ensure_ascii=False).replace("-->", "--\\u003e")


def _positions(sc: Scenario) -> dict[str, tuple[int, int]]:
    """A layered map: the start on the left, each step one column to the right."""
    start = sc.start or next(iter(sc.nodes), "")
    depth = {start: 0} if start in sc.nodes else {}
    queue = deque(depth)
    while queue:
        nid = queue.popleft()
        for ch in sc.nodes[nid].choices:
            if ch.target in sc.nodes and ch.target not in depth:
                depth[ch.target] = depth[nid] + 1
                queue.append(ch.target)
    last = max(depth.values(), default=-1)
    for nid in sc.nodes:
        if nid not in depth:
            last += 1
            depth[nid] = last
    rows: dict[int, int] = {}
    out = {}
    for nid in sc.nodes:
        d = depth[nid]
        out[nid] = (100 + d * 175, 100 + rows.get(d, 0) * 125)
        rows[d] = rows.get(d, 0) + 1
    return out


def write_twee(sc: Scenario) -> str:
    """The scenario as Twee 3 (format Harlowe 3), lossless through `read_twine`."""
    header = sc.to_data()
    del header["nodes"]
    front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=None)
    data = {
        "ifid": str(uuid.uuid5(_IFID_NAMESPACE, sc.id or sc.title)).upper(),
        "format": "Harlowe",
        "format-version": "3.3.9",
        "start": sc.start or next(iter(sc.nodes), ""),
        "tag-colors": {f"{ENDING_TAG}success": "green", f"{ENDING_TAG}failure": "red", HEADER_TAG: "purple"},
        "zoom": 1,
    }
    out = [":: StoryTitle", sc.title, "", ":: StoryData", json.dumps(data, indent=2), ""]
    out += [f':: {HEADER_PASSAGE} [{HEADER_TAG}] {{"position":"100,-50","size":"100,100"}}', front.rstrip("\n"), ""]
    positions = _positions(sc)
    for node in sc.nodes.values():
        tags = f" [{ENDING_TAG}{node.ending}]" if node.ending else ""
        x, y = positions[node.id]
        out.append(f':: {_escape_name(node.id)}{tags} {{"position":"{x},{y}","size":"100,100"}}')
        if node.set:
            out.append(f"<!-- pht set: {_flow(node.set, in_set=True)} -->")
        i, blocks = 0, node.text
        body: list[str] = []
        while i < len(blocks):
            cond = blocks[i].condition
            if cond is not None:
                body.append(f"<!-- pht if: {cond} -->")
            while i < len(blocks) and blocks[i].condition == cond:
                body += [_twee_text(_block(blocks[i])), ""]
                i += 1
                if cond is None:
                    break
            if cond is not None:
                body[-1] = "<!-- pht end if -->"
                body.append("")
        for ch in node.choices:
            rest = []
            if ch.effects:
                rest.append(_flow(ch.effects))
            if ch.condition is not None:
                rest.append(f"if {ch.condition}")
            body.append(f"[[{ch.text}->{ch.target}]]" + (f" <!-- pht: {' '.join(rest)} -->" if rest else ""))
            if ch.feedback is not None:
                for line in ch.feedback.split("\n"):
                    safe = "-->" not in line and line == line.strip() and not line.startswith("json ")
                    body.append(f"<!-- pht > {line} -->" if safe else f"<!-- pht >{_comment(line)} -->")
        out += body
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _twee_text(block: str) -> str:
    """A paragraph's lines; one that would start a passage (`::`, after any backslashes) gets one more backslash."""
    return "\n".join("\\" + l if l.lstrip("\\").startswith("::") else l for l in block.split("\n"))
