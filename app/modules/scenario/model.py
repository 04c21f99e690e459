"""The scenario model that both the Markdown and the YAML form load into.

Every element keeps the line and column where it was written (fields with
compare=False), so two models are equal when they say the same thing, wherever it was said.
`Scenario.to_data()` is the canonical plain-data form (the YAML form's shape); round-trip
tests compare it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ENDINGS = ("success", "neutral", "failure")
VOICES = ("female", "male", "any")
FEEDBACK_MODES = ("immediate", "end")
ADD, SET = "add", "set"


@dataclass(slots=True)
class Effect:
    """`name: +2` (ADD) or `name: =2` / `name: true` (SET)."""

    name: str
    op: str
    value: int | bool
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def as_text(self, in_set: bool = False) -> str:
        """How the value is written in Markdown (`+2`, `-1`, `=0`, `true`)."""
        v = self.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if in_set:
            return str(v)
        if self.op == SET:
            return f"={v}"
        return f"+{v}" if v >= 0 else str(v)

    def as_data(self, in_set: bool = False) -> int | bool | str:
        """How the value is written in YAML: ints add, "=N" sets, booleans set."""
        if isinstance(self.value, bool) or in_set or self.op == ADD:
            return self.value
        return f"={self.value}"


@dataclass(slots=True)
class Character:
    name: str
    voice: str | None = None
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True)
class TextBlock:
    """A paragraph: narration (speaker None) or a line spoken by a character."""

    speaker: str | None
    text: str
    condition: str | None = None  # condition source, as written
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)
    cond: object = field(default=None, compare=False, repr=False)  # parsed condition
    cond_line: int = field(default=0, compare=False)
    cond_column: int = field(default=0, compare=False)


@dataclass(slots=True)
class Choice:
    text: str
    target: str
    effects: list[Effect] = field(default_factory=list)
    condition: str | None = None
    feedback: str | None = None
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)
    target_line: int = field(default=0, compare=False)
    target_column: int = field(default=0, compare=False)
    cond_line: int = field(default=0, compare=False)
    cond_column: int = field(default=0, compare=False)
    cond: object = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Node:
    id: str
    ending: str | None = None
    set: list[Effect] = field(default_factory=list)
    text: list[TextBlock] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(slots=True, eq=False)
class Scenario:
    id: str = ""
    title: str = ""
    module: str = ""
    competencies: list[str] = field(default_factory=list)
    summary: str | None = None
    characters: dict[str, Character] = field(default_factory=dict)
    variables: dict[str, int | bool] = field(default_factory=dict)
    pass_marks: dict[str, int] = field(default_factory=dict)
    feedback: str = "immediate"
    content_warning: str | None = None
    status: str = "published"  # "draft": trainers see and play-test it, trainees never do
    start: str = ""  # the effective start node
    start_declared: bool = False  # written in the file (kept so conversion writes it back)
    nodes: dict[str, Node] = field(default_factory=dict)
    # Where things are and what is known about the file.
    path: Path | None = None
    shown: str = ""
    content_hash: str = ""
    has_errors: bool = False
    findings: list = field(default_factory=list)
    positions: dict = field(default_factory=dict)  # ("pass", "x") -> (line, col), etc.
    language: str = "en"  # the language of the words (x.es.md: "es"; app.modules.translations)
    translations: dict = field(default_factory=dict)  # language -> translated Scenario (sources only)

    def where(self, *key) -> tuple[int, int]:
        """The position of a front-matter key path, or of its closest parent."""
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), (1, 1))

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def endings(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.ending]

    def to_data(self) -> dict:
        """The canonical plain-data form: exactly what the YAML form holds."""
        d: dict = {"id": self.id, "title": self.title, "module": self.module, "competencies": list(self.competencies)}
        if self.summary is not None:
            d["summary"] = self.summary
        if self.characters:
            d["characters"] = {
                cid: ({"name": c.name, "voice": c.voice} if c.voice else {"name": c.name})
                for cid, c in self.characters.items()
            }
        if self.start_declared:
            d["start"] = self.start
        if self.variables:
            d["variables"] = dict(self.variables)
        if self.pass_marks:
            d["pass"] = dict(self.pass_marks)
        if self.feedback != "immediate":
            d["feedback"] = self.feedback
        if self.content_warning is not None:
            d["content_warning"] = self.content_warning
        if self.status != "published":
            d["status"] = self.status
        d["nodes"] = [_node_data(n) for n in self.nodes.values()]
        return d


def _node_data(n: Node) -> dict:
    d: dict = {"id": n.id}
    if n.ending:
        d["ending"] = n.ending
    if n.set:
        d["set"] = {e.name: e.as_data(in_set=True) for e in n.set}
    if n.text:
        d["text"] = [_text_data(t) for t in n.text]
    if n.choices:
        d["choices"] = [_choice_data(c) for c in n.choices]
    return d


def _text_data(t: TextBlock) -> dict:
    d: dict = {}
    if t.speaker is not None:
        d["speaker"] = t.speaker
    d["text"] = t.text
    if t.condition is not None:
        d["if"] = t.condition
    return d


def _choice_data(c: Choice) -> dict:
    d: dict = {"text": c.text, "target": c.target}
    if c.effects:
        d["effects"] = {e.name: e.as_data() for e in c.effects}
    if c.condition is not None:
        d["if"] = c.condition
    if c.feedback is not None:
        d["feedback"] = c.feedback
    return d
