"""The scenario checker's finding codes: one table, used by the checker, the docs and the tests.

S1xx are errors (the scenario is not offered to trainees), S2xx warnings. File-level
problems use the shared codes of textfile.py (F001-F005) and located_yaml.py (Y001, Y002).
"""

from __future__ import annotations

from ..findings import ERROR, WARNING, Finding

# code -> (severity, what it means, how to fix it)
CODES: dict[str, tuple[str, str, str]] = {
    "S101": (
        ERROR,
        "front matter is missing or not closed",
        "start the file with a line '---', the keys, and another '---'",
    ),
    "S102": (ERROR, "the front matter (or YAML file) is not a mapping", "write 'key: value' lines"),
    "S103": (ERROR, "unknown key", "fix the spelling (the hint names the closest known key) or remove it"),
    "S104": (ERROR, "a required key is missing", "add the key named in the message"),
    "S105": (ERROR, "a value has the wrong type or is not one of the allowed values", "use a value the message allows"),
    "S106": (
        ERROR,
        "a malformed id or name",
        "scenario and node ids are kebab-case, competencies and variables snake_case",
    ),
    "S107": (ERROR, "two nodes have the same id", "rename one of them"),
    "S108": (ERROR, "two scenario files have the same id", "give each scenario its own id"),
    "S109": (ERROR, "the module is not in program.yaml", "use a module id from program.yaml"),
    "S110": (
        ERROR,
        "unknown competency",
        "use a competency from program.yaml (and, in pass, one of the scenario's competencies)",
    ),
    "S111": (
        ERROR,
        "unknown variable or competency in effects, set or a condition",
        "declare the variable under 'variables' or fix the name",
    ),
    "S112": (ERROR, "a choice points to a node that does not exist", "fix the target or add the node"),
    "S113": (ERROR, "the start node does not exist", "name an existing node in 'start', or remove 'start'"),
    "S114": (
        ERROR,
        "a condition does not parse",
        "write 'name OP value' joined with and/or/not; nothing else is allowed",
    ),
    "S115": (ERROR, "an ending has choices", "remove the choices or the 'ending' attribute"),
    "S116": (
        ERROR,
        "a node that is not an ending has no choices",
        "add a choice, or mark it {ending: success|neutral|failure}",
    ),
    "S117": (ERROR, "no ending can be reached from this node (a trap)", "add a choice that leads towards an ending"),
    "S118": (ERROR, "no path reaches this pass mark", "lower the pass mark or add effects that raise the score"),
    "S119": (ERROR, "a malformed choice or effects mapping", "write '- [text](#node) {name: +1} if CONDITION'"),
    "S120": (ERROR, "no nodes, or text outside any node", "start each node with '## node-id'"),
    "S121": (
        ERROR,
        "a '::: if' block is not closed, not opened, nested or holds choices",
        "close each '::: if' with ':::'; put 'if' after a choice instead",
    ),
    "S122": (ERROR, "a key is written twice in one mapping", "remove one of them"),
    "S123": (
        ERROR,
        "an effect or set value does not fit its name",
        "numbers for scores and number variables, true/false for flags",
    ),
    "S124": (ERROR, "a variable has the name of a competency", "rename the variable"),
    "S201": (WARNING, "a speaker who is not among the characters", "fix the name or add the character"),
    "S202": (WARNING, "no path reaches this node", "add a choice that leads here, or remove the node"),
    "S203": (WARNING, "a choice has no feedback in immediate mode", "add a '> feedback' line under the choice"),
    "S204": (
        WARNING,
        "a loop raises a score each time round (the score can be farmed)",
        "guard the choice with a condition or set the score with =N",
    ),
    "S205": (WARNING, "text after the choices of a node", "move the text above the choices; it is shown before them"),
    "S206": (
        WARNING,
        "no program.yaml found: module and competencies not checked",
        "check the file inside its content folder",
    ),
    # Give-away warnings (scenario/give_away.py; limits in assessment_thresholds.py).
    "S207": (
        WARNING,
        "a choice opens with a label that judges it (a short phrase and a colon)",
        "write only what the trainee would say or do",
    ),
    "S208": (
        WARNING,
        "the best-scoring choice is also the longest at 60 % or more of the decision points (at least 3)",
        "make the choices about as long as each other",
    ),
    "S209": (
        WARNING,
        "a decision point of an assessment (feedback: end) has fewer than 3 choices",
        "offer at least 3 choices, one a tempting half-right move",
    ),
    "S210": (
        WARNING,
        "a decision point of an assessment (feedback: end) has only one choice that does not lose points",
        "add a half-right choice that does not lose points",
    ),
    "S211": (
        WARNING,
        "a surface strategy (always the longest, shortest, first or last choice) passes the role-play",
        "vary where the best choice stands and how long it is; see peer-trainer analyse",
    ),
    # The new-scenario template, not yet changed (publishing is refused until it is).
    "S212": (
        WARNING,
        "the new-scenario template is not changed yet",
        "write your own summary and story in place of the template's example (Alex at break time)",
    ),
}


class Report:
    """Collects the findings of one file."""

    __slots__ = ("shown", "findings")

    def __init__(self, shown: str, findings: list[Finding] | None = None):
        self.shown = shown
        self.findings: list[Finding] = findings if findings is not None else []

    def add(self, code: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.findings.append(Finding(self.shown, line, column, CODES[code][0], code, message, hint))

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


def did_you_mean(name: str, known, prefix: str = "") -> str:
    """`did you mean X?` with the closest known name, or '' when none is close."""
    from ..program import closest

    guess = closest(str(name), [str(k) for k in known])
    return f"did you mean {prefix}{guess}?" if guess else ""
