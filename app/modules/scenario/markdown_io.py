"""The Markdown form: read it into the model, and write the model back.

A hand-written, line-based reader (no Markdown library): each line is classified by
its first characters, so a scenario is read in one pass. Text keeps its inline Markdown
as written; the UI renders it.

Escaping: a text line that would otherwise be read as structure (a `## ` heading, a
`:::` line, a `- [choice](#…)` item, or a `**Name:**` opening a narration paragraph) is
written with a leading backslash, and the reader removes exactly that backslash.
"""

from __future__ import annotations

import re

import yaml

from ...core.i18n import _
from ..findings import ERROR, Finding
from ..located_yaml import YAMLProblem
from ..textfile import split_front_matter
from .codes import Report, did_you_mean
from .effects import effect_from_text
from .header import KEBAB, read_header, slug_hint
from .model import ENDINGS, Choice, Effect, Node, Scenario, TextBlock
from .yamlnodes import compose

_SPEAKER = re.compile(r"^\*\*([^*\n]+?)(?::\*\*|\*\*:)[ \t]*")
_CHOICE_START = re.compile(r"^\s*[-*+]\s+\[")
_CHOICE = re.compile(r"^(\s*)[-*+]\s+\[(.*)\]\(([^()\s]*)\)(.*)$")
_KEY = re.compile(r"\s*([^:{}\[\],\s][^:{}\[\],]*):")  # greedy, so a long line cannot backtrack
_PLAIN = re.compile(r"[^,{}]*")
NODE_ATTRS = ("ending", "set")


class FlowError(ValueError):
    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.message, self.index = message, index


def parse_flow(s: str, i: int, depth: int = 0) -> tuple[list, int]:
    """A `{key: value, …}` mapping starting at s[i] == '{'.

    Returns ([(key, key_index, value, value_index)], index after '}'); a value is the text
    as written, or a nested list of pairs. Enough YAML for attributes and effects, and
    far cheaper than a YAML parser on every choice.
    """
    opened, i, pairs, n = i, i + 1, [], len(s)
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            raise FlowError(_("the '{' is not closed"), opened)
        if s[i] == "}":
            return pairs, i + 1
        m = _KEY.match(s, i)
        if m is None:
            raise FlowError(_("expected 'name: value'"), i)
        key, kidx, i = m.group(1).rstrip(), m.start(1), m.end()
        if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
            key = key[1:-1]
        while i < n and s[i] in " \t":
            i += 1
        vidx = i
        if i < n and s[i] == "{":
            if depth >= 1:
                raise FlowError(_("mappings nest only one level deep here"), i)
            value, i = parse_flow(s, i, depth + 1)
        elif i < n and s[i] in "\"'":
            end = s.find(s[i], i + 1)
            if end < 0:
                raise FlowError(_("a quote is not closed"), i)
            value, i = s[i : end + 1], end + 1
        else:
            m = _PLAIN.match(s, i)
            value, i = m.group().strip(), m.end()
        pairs.append((key, kidx, value, vidx))
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ",":
            i += 1
        elif i >= n or s[i] != "}":
            raise FlowError(_("expected ',' or '}'"), min(i, n))


def _structural(line: str, first: bool) -> bool:
    """Would this text line be read as structure rather than text?"""
    if line.startswith("## ") or line.rstrip() == "##" or line.lstrip().startswith(":::"):
        return True
    if _CHOICE_START.match(line) or (first and _SPEAKER.match(line)):
        return True
    return line.startswith("\\") and _structural(line[1:], first)


def _unescape(lines: list[str]) -> list[str]:
    return [l[1:] if l.startswith("\\") and _structural(l[1:], j == 0) else l for j, l in enumerate(lines)]


class _Reader:
    """The state of one pass over the body."""

    def __init__(self, sc: Scenario, rep: Report):
        self.sc, self.rep = sc, rep
        self.node: Node | None = None
        self.para: list[str] = []
        self.para_at = (0, 0)
        self.cond: str | None = None  # the open `::: if` block's condition
        self.cond_at = (0, 0)
        self.cond_col = 0
        self.choice: Choice | None = None  # the choice that feedback lines attach to
        self.feedback: list[str] = []
        self.loose_text_at: tuple[int, int] | None = None
        self.warned_after_choices = False

    # Paragraphs and feedback -------------------------------------------------
    def flush(self) -> None:
        if self.para:
            lines, self.para = self.para, []
            speaker = None
            m = _SPEAKER.match(lines[0])
            if m:
                speaker = m.group(1).strip()
                lines[0] = lines[0][m.end() :]
                lines[1:] = _unescape([""] + lines[1:])[1:]
            else:
                lines = _unescape(lines)
            text = "\n".join(lines).strip()
            if self.node is None:
                if self.loose_text_at is None:
                    self.loose_text_at = self.para_at
                return
            block = TextBlock(speaker, text, self.cond, self.para_at[0], self.para_at[1])
            if self.cond is not None:
                block.cond_line, block.cond_column = self.cond_at[0], self.cond_col
            self.node.text.append(block)

    def flush_feedback(self) -> None:
        if self.choice is not None and self.feedback:
            text = "\n".join(self.feedback).strip()
            self.choice.feedback = text or None
        self.feedback = []

    def close_node(self) -> None:
        self.flush()
        self.flush_feedback()
        self.choice = None
        if self.cond is not None:
            self.rep.add(
                "S121", *self.cond_at, _("this '::: if' block is not closed"), _("add a line ':::' after its text")
            )
            self.cond = None

    # Lines -------------------------------------------------------------------
    def heading(self, line: str, lineno: int) -> None:
        self.close_node()
        rest = line[2:].strip()
        brace = rest.find("{")
        raw_id = (rest if brace < 0 else rest[:brace]).strip()
        node = Node(raw_id, line=lineno, column=1)
        self.warned_after_choices = False
        if not raw_id:
            self.rep.add("S104", lineno, 1, _("this node has no id"), _("write '## node-id', e.g. '## opening'"))
        elif not KEBAB.match(raw_id):
            self.rep.add(
                "S106",
                lineno,
                4,
                _("the node id {raw_id!r} must be kebab-case (a-z, 0-9 and -)").format(raw_id=raw_id),
                slug_hint(raw_id, "-"),
            )
        if brace >= 0:
            self.attributes(node, line, line.find("{"), lineno)
        if raw_id in self.sc.nodes:
            first = self.sc.nodes[raw_id]
            self.rep.add(
                "S107",
                lineno,
                1,
                _("the node id {raw_id!r} is used twice (first at line {line})").format(raw_id=raw_id, line=first.line),
                _("rename one of the nodes"),
            )
            self.node = node  # read it, but keep the first one in the model
        else:
            self.node = node
            if raw_id:
                self.sc.nodes[raw_id] = node

    def attributes(self, node: Node, line: str, start: int, lineno: int) -> None:
        try:
            pairs, end = parse_flow(line, start)
        except FlowError as e:
            self.rep.add(
                "S119",
                lineno,
                e.index + 1,
                _("the node's attributes cannot be read: {message}").format(message=e.message),
                _("write them like {ending: failure} or {set: {talked: true}}"),
            )
            return
        if line[end:].strip():
            self.rep.add("S119", lineno, end + 1, _("unexpected text after the node's attributes"))
        seen: set[str] = set()
        for key, kidx, value, vidx in pairs:
            if key in seen:
                self.rep.add("S122", lineno, kidx + 1, _("the attribute {key!r} is written twice").format(key=key))
            seen.add(key)
            if key == "ending":
                v = value.strip("\"'") if isinstance(value, str) else None
                if v not in ENDINGS:
                    self.rep.add(
                        "S105",
                        lineno,
                        vidx + 1,
                        _("'ending' must be success, neutral or failure (found {value!r})").format(value=value),
                        did_you_mean(str(v), ENDINGS),
                    )
                else:
                    node.ending = v
            elif key == "set":
                if not isinstance(value, list):
                    self.rep.add(
                        "S105", lineno, vidx + 1, _("'set' must be a mapping, e.g. {set: {talked: true, trust: 2}}")
                    )
                    continue
                node.set = self.effects(value, lineno, in_set=True)
            else:
                self.rep.add(
                    "S103",
                    lineno,
                    kidx + 1,
                    _("unknown node attribute {key!r}").format(key=key),
                    did_you_mean(key, NODE_ATTRS),
                )

    def effects(self, pairs: list, lineno: int, in_set: bool = False) -> list[Effect]:
        out: list[Effect] = []
        seen: set[str] = set()
        for name, kidx, value, vidx in pairs:
            if name in seen:
                self.rep.add(
                    "S122", lineno, kidx + 1, _("{name!r} is written twice").format(name=name), _("remove one of them")
                )
                continue
            seen.add(name)
            if isinstance(value, list):
                self.rep.add(
                    "S123",
                    lineno,
                    vidx + 1,
                    _("the value for {name!r} must be a number or true/false, not a mapping").format(name=name),
                )
                continue
            e = effect_from_text(name, value, lineno, kidx + 1, self.rep, in_set)
            if e is not None:
                out.append(e)
        return out

    def choice_line(self, line: str, lineno: int) -> None:
        self.flush()
        self.flush_feedback()
        m = _CHOICE.match(line)
        col = len(line) - len(line.lstrip()) + 1
        if self.node is None:
            self.loose_text_at = self.loose_text_at or (lineno, col)
            return
        if self.cond is not None:
            self.rep.add(
                "S121",
                lineno,
                col,
                _("a choice cannot be inside a '::: if' block"),
                _("close the block with ':::' first, and put 'if CONDITION' after the choice"),
            )
        if m is None:
            self.choice = None
            self.rep.add("S119", lineno, col, _("this choice cannot be read"), _("write '- [what you say](#node-id)'"))
            return
        text, target = m.group(2).strip(), m.group(3)
        ch = Choice(text, target.lstrip("#"), line=lineno, column=col, target_line=lineno, target_column=m.start(3) + 1)
        if not target.startswith("#") or len(target) < 2:
            self.rep.add(
                "S119",
                lineno,
                m.start(3) + 1,
                _("a choice must link to a node, like (#{target})").format(target=target or "node-id"),
                _("did you mean (#{target})?").format(target=target.lstrip("#"))
                if target.lstrip("#")
                else _("write the node id after #"),
            )
        if not text:
            self.rep.add(
                "S105", lineno, col, _("this choice has no text"), _("write what the trainee says between [ and ]")
            )
        self.node.choices.append(ch)
        self.choice = ch
        self.choice_rest(ch, line, m.start(4), lineno)

    def choice_rest(self, ch: Choice, line: str, i: int, lineno: int) -> None:
        n = len(line)
        while i < n and line[i] in " \t":
            i += 1
        if i < n and line[i] == "{":
            try:
                pairs, i = parse_flow(line, i)
            except FlowError as e:
                self.rep.add(
                    "S119",
                    lineno,
                    e.index + 1,
                    _("the effects cannot be read: {message}").format(message=e.message),
                    _("write them like {trust: +1, told_adult: true}"),
                )
                return
            ch.effects = self.effects(pairs, lineno)
            while i < n and line[i] in " \t":
                i += 1
        rest = line[i:].rstrip()
        if not rest:
            return
        if rest == "if" or rest.startswith(("if ", "if\t", "if(")):
            j = i + 2
            while j < n and line[j] in " \t":
                j += 1
            ch.condition = line[j:].strip()
            ch.cond_line, ch.cond_column = lineno, j + 1
            return
        self.rep.add(
            "S119",
            lineno,
            i + 1,
            _("unexpected text after the choice's link: {rest!r}").format(rest=rest[:40]),
            _("after the link write optional {effects} and then optionally 'if CONDITION'"),
        )

    def fence(self, stripped: str, lineno: int, col: int) -> None:
        self.flush()
        self.flush_feedback()
        self.choice = None
        rest = stripped[3:].strip()
        if not rest:
            if self.cond is None:
                self.rep.add(
                    "S121",
                    lineno,
                    col,
                    _("this ':::' closes no '::: if' block"),
                    _("remove it, or open the block with '::: if CONDITION'"),
                )
            self.cond = None
            return
        if rest == "if" or rest.startswith(("if ", "if\t", "if(")):
            if self.cond is not None:
                self.rep.add(
                    "S121",
                    lineno,
                    col,
                    _("'::: if' blocks cannot be nested"),
                    _("close the first block with ':::' before opening another; combine conditions with and"),
                )
            cond_start = stripped.find("if") + 2
            text = stripped[cond_start:]
            self.cond = text.strip()
            self.cond_at = (lineno, col)
            self.cond_col = col + cond_start + (len(text) - len(text.lstrip()))
            return
        self.rep.add(
            "S121", lineno, col, _("unknown block '::: {rest}'").format(rest=rest[:30]), _("write '::: if CONDITION'")
        )

    def text_line(self, line: str, lineno: int) -> None:
        if self.choice is not None or self.feedback:
            self.flush_feedback()
            self.choice = None
        if self.node is not None and self.node.choices and not self.warned_after_choices and not self.para:
            self.warned_after_choices = True
            self.rep.add(
                "S205",
                lineno,
                1,
                _("this text comes after the node's choices"),
                _("move it above the choices; it is shown before them"),
            )
        if not self.para:
            self.para_at = (lineno, len(line) - len(line.lstrip()) + 1)
        self.para.append(line)


def parse_markdown(text: str, rep: Report) -> Scenario | None:
    """Read a Markdown scenario. None only when there is no front matter to read at all."""
    fm = split_front_matter(text)
    if fm is None:
        rep.add(
            "S101",
            1,
            1,
            _("the file must start with front matter between two '---' lines"),
            _("put '---', then id, title, module and competencies, then '---' at the top"),
        )
        return None
    sc = Scenario()
    off = fm.yaml_first_line - 1
    try:
        root = compose(fm.yaml_text, off)
    except YAMLProblem as p:
        # Still read the nodes: their problems are worth reporting in the same run.
        rep.findings.append(Finding(rep.shown, p.line, p.column, ERROR, p.code, p.message, p.hint))
        _read_body(sc, fm.body, fm.body_first_line, rep)
        return sc
    read_header(root, sc, rep, off)
    _read_body(sc, fm.body, fm.body_first_line, rep)
    return sc


def _read_body(sc: Scenario, body: str, first_line: int, rep: Report) -> None:
    r = _Reader(sc, rep)
    lineno = first_line - 1
    for line in body.split("\n"):
        lineno += 1
        if not line or line.isspace():
            r.flush()
            if r.choice is not None and r.feedback:
                r.feedback.append("")  # a blank line inside the feedback: keep the paragraph break
            continue
        c = line[0]
        if c == "#" and (line.startswith("## ") or line.rstrip() == "##"):
            r.heading(line, lineno)
            continue
        if c == "#" and r.node is None and line.startswith("# "):
            continue  # the document's title: makes the file read well, not part of the model
        stripped = line.strip()
        s0 = stripped[0]
        if s0 == ":" and stripped.startswith(":::"):
            r.fence(stripped, lineno, len(line) - len(line.lstrip()) + 1)
        elif s0 in "-*+" and _CHOICE_START.match(line):
            r.choice_line(line, lineno)
        elif s0 == ">" and r.choice is not None and not r.para:
            body_text = stripped[1:]
            r.feedback.append(body_text[1:] if body_text.startswith(" ") else body_text)
        else:
            r.text_line(line, lineno)
    r.close_node()
    if r.loose_text_at is not None:
        rep.add(
            "S120",
            *r.loose_text_at,
            _("text before the first node is never shown"),
            _("start a node with '## node-id' above it, or remove the text"),
        )
    if not sc.nodes:
        rep.add(
            "S120",
            first_line if first_line > 0 else 1,
            1,
            _("the scenario has no nodes"),
            _("add nodes, each starting with '## node-id'"),
        )


# Writing ---------------------------------------------------------------------


def _escape(text: str, first: bool) -> list[str]:
    lines = text.split("\n")
    return ["\\" + l if _structural(l, first and j == 0) else l for j, l in enumerate(lines)]


def _block(t: TextBlock) -> str:
    if t.speaker is None:
        return "\n".join(_escape(t.text, True))
    first, *rest = t.text.split("\n")  # the first line follows the speaker: never at a line's start
    lines = [first] + (_escape("\n".join(rest), False) if rest else [])
    lines[0] = f"**{t.speaker}:** {first}" if first else f"**{t.speaker}:**"
    return "\n".join(lines)


def _flow(effects: list[Effect], in_set: bool = False) -> str:
    return "{" + ", ".join(f"{e.name}: {e.as_text(in_set)}" for e in effects) + "}"


def write_markdown(sc: Scenario) -> str:
    """The scenario as a Markdown file (front matter, then one `##` section per node)."""
    header = sc.to_data()
    del header["nodes"]
    front = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=None)
    out = ["---", front.rstrip("\n"), "---", ""]
    for node in sc.nodes.values():
        attrs = []
        if node.ending:
            attrs.append(f"ending: {node.ending}")
        if node.set:
            attrs.append(f"set: {_flow(node.set, in_set=True)}")
        out.append(f"## {node.id}" + (" {" + ", ".join(attrs) + "}" if attrs else ""))
        out.append("")
        i, blocks = 0, node.text
        while i < len(blocks):
            cond = blocks[i].condition
            if cond is None:
                out += [_block(blocks[i]), ""]
                i += 1
                continue
            out.append(f"::: if {cond}")
            while i < len(blocks) and blocks[i].condition == cond:
                out += [_block(blocks[i]), ""]
                i += 1
            out[-1] = ":::"
            out.append("")
        for ch in node.choices:
            line = f"- [{ch.text}](#{ch.target})"
            if ch.effects:
                line += " " + _flow(ch.effects)
            if ch.condition is not None:
                line += f" if {ch.condition}"
            out.append(line)
            if ch.feedback is not None:
                out += [f"  > {l}".rstrip() for l in ch.feedback.split("\n")]
        if node.choices:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
