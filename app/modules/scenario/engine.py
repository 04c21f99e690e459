"""A run of a scenario: where the trainee is, what they see, what they chose.

The whole state is plain data (`to_json`/`from_json`), so the program can save a run after
every step and resume it in a new process. A saved run names the scenario's content hash:
resuming against an edited file raises StaleRunError instead of replaying a different story.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...core.i18n import N_, _
from .conditions import evaluate, explain
from .model import ADD, Choice, Effect, Scenario

RUN_FORMAT = 1


class RunError(ValueError):
    """The run cannot do what was asked (a choice not offered, a node that does not exist…)."""


class StaleRunError(RunError):
    """The saved run belongs to another version of the scenario file."""


@dataclass(slots=True, frozen=True)
class Line:
    speaker_id: str | None
    speaker_name: str | None
    text: str
    voice: str | None = None


@dataclass(slots=True)
class StepResult:
    choice_text: str
    feedback: str | None
    effects: list[tuple[str, str, int | bool]]  # (name, "add"|"set", value) as applied, choice then target's set
    from_node: str
    to_node: str
    choice_index: int  # 0-based index of the choice in its node

    def to_json(self) -> dict:
        return {
            "from": self.from_node,
            "choice": self.choice_index,
            "text": self.choice_text,
            "feedback": self.feedback,
            "effects": [list(e) for e in self.effects],
            "to": self.to_node,
        }

    @classmethod
    def from_json(cls, d: dict) -> StepResult:
        return cls(
            d["text"], d.get("feedback"), [tuple(e) for e in d.get("effects", [])], d["from"], d["to"], d["choice"]
        )


@dataclass(slots=True)
class Run:
    scenario: Scenario
    node_id: str
    variables: dict[str, int | bool]
    scores: dict[str, int]
    path: list[str]
    steps: list[StepResult] = field(default_factory=list)
    started_at: str | None = None  # the node the run started at (None: the scenario's start)

    # Starting ------------------------------------------------------------------
    @classmethod
    def start(
        cls, scenario: Scenario, at: str | None = None, variables: dict | None = None, scores: dict | None = None
    ) -> Run:
        """Start at the scenario's start, or (play-testing) at any node with given values."""
        if scenario.has_errors:
            raise RunError(_("the scenario {id!r} has errors and cannot be played").format(id=scenario.id))
        node_id = at or scenario.start
        if node_id not in scenario.nodes:
            raise RunError(_("there is no node #{node}").format(node=node_id))
        vars_ = dict(scenario.variables)
        scores_ = {c: 0 for c in scenario.competencies}
        for given, into, said in (
            (variables, vars_, N_("{name!r} is not a variable of this scenario")),
            (scores, scores_, N_("{name!r} is not a competency of this scenario")),
        ):
            for name, value in (given or {}).items():
                if name not in into:
                    raise RunError(_(said).format(name=name))
                into[name] = value
        run = cls(scenario, node_id, vars_, scores_, [node_id], started_at=at)
        run._apply(scenario.nodes[node_id].set, [])
        return run

    # What the trainee sees -----------------------------------------------------
    @property
    def node(self):
        return self.scenario.nodes[self.node_id]

    def env(self) -> dict:
        """The values conditions see: variables and competency scores."""
        return {**self.variables, **self.scores}

    def visible_lines(self) -> list[Line]:
        env = self.env()
        out = []
        for block in self.node.text:
            if block.cond is not None and not evaluate(block.cond, env):
                continue
            out.append(self._line(block.speaker, block.text))
        return out

    def _line(self, speaker: str | None, text: str) -> Line:
        if speaker is None:
            return Line(None, None, text)
        key = speaker.casefold()
        for cid, c in self.scenario.characters.items():
            if key in (cid.casefold(), c.name.casefold()):
                return Line(cid, c.name, text, c.voice)
        return Line(None, speaker, text)

    def offered_choices(self) -> list[tuple[int, Choice]]:
        """(index in the node, choice) for each choice whose condition holds."""
        if self.finished:
            return []
        env = self.env()
        return [(i, c) for i, c in enumerate(self.node.choices) if c.cond is None or evaluate(c.cond, env)]

    def hidden_choices(self) -> list[tuple[Choice, str]]:
        """The choices not offered here, each with why: the condition and the values that make it false."""
        if self.finished:
            return []
        env = self.env()
        return [
            (c, f"offered only if {c.condition}: {explain(c.cond, env)}")
            for c in self.node.choices
            if c.cond is not None and not evaluate(c.cond, env)
        ]

    # Choosing ------------------------------------------------------------------
    def choose(self, n: int) -> StepResult:
        """Take the n-th offered choice (counting from 1)."""
        if self.finished:
            raise RunError(_("the run has ended at #{node}").format(node=self.node_id))
        offered = self.offered_choices()
        if not 1 <= n <= len(offered):
            listing = "; ".join(f"{k}. {c.text}" for k, (_i, c) in enumerate(offered, 1)) or _("none")
            raise RunError(
                _("choice {n} is not offered at #{node}; the choices offered are: {listing}").format(
                    n=n, node=self.node_id, listing=listing
                )
            )
        index, choice = offered[n - 1]
        applied: list[tuple[str, str, int | bool]] = []
        self._apply(choice.effects, applied)
        from_node = self.node_id
        self.node_id = choice.target
        self.path.append(choice.target)
        self._apply(self.node.set, applied)
        step = StepResult(choice.text, choice.feedback, applied, from_node, choice.target, index)
        self.steps.append(step)
        return step

    def _apply(self, effects: list[Effect], applied: list) -> None:
        for e in effects:
            into = self.scores if e.name in self.scores else self.variables
            if e.op == ADD:
                into[e.name] = into.get(e.name, 0) + e.value
            else:
                into[e.name] = e.value
            applied.append((e.name, e.op, e.value))

    # The outcome -----------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return bool(self.node.ending)

    @property
    def ending(self) -> str | None:
        return self.node_id if self.finished else None

    @property
    def outcome(self) -> str | None:
        return self.node.ending

    @property
    def stuck(self) -> bool:
        """Not at an ending, and every choice here is hidden by its condition."""
        return not self.finished and not self.offered_choices()

    @property
    def passed(self) -> bool:
        """At an ending that is not `failure`, with every pass mark met."""
        if not self.finished or self.outcome == "failure":
            return False
        return all(self.scores.get(c, 0) >= mark for c, mark in self.scenario.pass_marks.items())

    def result(self) -> dict:
        """The record of docs/scenario-format.md (`play --json`)."""
        return {
            "scenario": self.scenario.id,
            "ending": self.ending,
            "outcome": self.outcome,
            "passed": self.passed,
            "scores": dict(self.scores),
            "variables": dict(self.variables),
            "path": list(self.path),
        }

    # Saving and resuming -----------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "format": RUN_FORMAT,
            "scenario": self.scenario.id,
            "content_hash": self.scenario.content_hash,
            "started_at": self.started_at,
            "node": self.node_id,
            "variables": dict(self.variables),
            "scores": dict(self.scores),
            "path": list(self.path),
            "steps": [s.to_json() for s in self.steps],
            "finished": self.finished,
        }

    @classmethod
    def from_json(cls, scenario: Scenario, data: dict) -> Run:
        if data.get("format") != RUN_FORMAT:
            raise RunError(_("unknown saved-run format {format!r}").format(format=data.get("format")))
        if data.get("scenario") != scenario.id or data.get("content_hash") != scenario.content_hash:
            raise StaleRunError(
                _(
                    "this saved run is for another version of the scenario (hash {saved}…, the file now has {current}…)"
                ).format(saved=str(data.get("content_hash"))[:12], current=scenario.content_hash[:12])
            )
        node = data["node"]
        if node not in scenario.nodes:
            raise RunError(_("the saved run is at #{node}, which the scenario does not have").format(node=node))
        return cls(
            scenario,
            node,
            dict(data["variables"]),
            dict(data["scores"]),
            list(data["path"]),
            [StepResult.from_json(s) for s in data.get("steps", [])],
            data.get("started_at"),
        )
