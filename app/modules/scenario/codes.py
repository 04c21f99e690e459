"""The scenario checker's finding codes: one table, used by the checker, the docs and the tests.

S1xx are errors (the scenario is not offered to trainees), S2xx warnings. File-level
problems use the shared codes of textfile.py (F001-F005) and located_yaml.py (Y001, Y002).
"""

from __future__ import annotations

from ...core.i18n import N_, _
from ..findings import ERROR, WARNING, Finding

# code -> (severity, what it means, how to fix it); the words are marked for translation, shown with _()
CODES: dict[str, tuple[str, str, str]] = {
    "S101": (
        ERROR,
        N_("front matter is missing or not closed"),
        N_("start the file with a line '---', the keys, and another '---'"),
    ),
    "S102": (ERROR, N_("the front matter (or YAML file) is not a mapping"), N_("write 'key: value' lines")),
    "S103": (ERROR, N_("unknown key"), N_("fix the spelling (the hint names the closest known key) or remove it")),
    "S104": (ERROR, N_("a required key is missing"), N_("add the key named in the message")),
    "S105": (
        ERROR,
        N_("a value has the wrong type or is not one of the allowed values"),
        N_("use a value the message allows"),
    ),
    "S106": (
        ERROR,
        N_("a malformed id or name"),
        N_("scenario and node ids are kebab-case, competencies and variables snake_case"),
    ),
    "S107": (ERROR, N_("two nodes have the same id"), N_("rename one of them")),
    "S108": (ERROR, N_("two scenario files have the same id"), N_("give each scenario its own id")),
    "S109": (ERROR, N_("the module is not in program.yaml"), N_("use a module id from program.yaml")),
    "S110": (
        ERROR,
        N_("unknown competency"),
        N_("use a competency from program.yaml (and, in pass, one of the scenario's competencies)"),
    ),
    "S111": (
        ERROR,
        N_("unknown variable or competency in effects, set or a condition"),
        N_("declare the variable under 'variables' or fix the name"),
    ),
    "S112": (ERROR, N_("a choice points to a node that does not exist"), N_("fix the target or add the node")),
    "S113": (ERROR, N_("the start node does not exist"), N_("name an existing node in 'start', or remove 'start'")),
    "S114": (
        ERROR,
        N_("a condition does not parse"),
        N_("write 'name OP value' joined with and/or/not; nothing else is allowed"),
    ),
    "S115": (ERROR, N_("an ending has choices"), N_("remove the choices or the 'ending' attribute")),
    "S116": (
        ERROR,
        N_("a node that is not an ending has no choices"),
        N_("add a choice, or mark it {ending: success|neutral|failure}"),
    ),
    "S117": (
        ERROR,
        N_("no ending can be reached from this node (a trap)"),
        N_("add a choice that leads towards an ending"),
    ),
    "S118": (
        ERROR,
        N_("no path reaches this pass mark"),
        N_("lower the pass mark or add effects that raise the score"),
    ),
    "S119": (ERROR, N_("a malformed choice or effects mapping"), N_("write '- [text](#node) {name: +1} if CONDITION'")),
    "S120": (ERROR, N_("no nodes, or text outside any node"), N_("start each node with '## node-id'")),
    "S121": (
        ERROR,
        N_("a '::: if' block is not closed, not opened, nested or holds choices"),
        N_("close each '::: if' with ':::'; put 'if' after a choice instead"),
    ),
    "S122": (ERROR, N_("a key is written twice in one mapping"), N_("remove one of them")),
    "S123": (
        ERROR,
        N_("an effect or set value does not fit its name"),
        N_("numbers for scores and number variables, true/false for flags"),
    ),
    "S124": (ERROR, N_("a variable has the name of a competency"), N_("rename the variable")),
    "S201": (WARNING, N_("a speaker who is not among the characters"), N_("fix the name or add the character")),
    "S202": (WARNING, N_("no path reaches this node"), N_("add a choice that leads here, or remove the node")),
    "S203": (WARNING, N_("a choice has no feedback in immediate mode"), N_("add a '> feedback' line under the choice")),
    "S204": (
        WARNING,
        N_("a loop raises a score each time round (the score can be farmed)"),
        N_("guard the choice with a condition or set the score with =N"),
    ),
    "S205": (
        WARNING,
        N_("text after the choices of a node"),
        N_("move the text above the choices; it is shown before them"),
    ),
    "S206": (
        WARNING,
        N_("no program.yaml found: module and competencies not checked"),
        N_("check the file inside its content folder"),
    ),
    # Give-away warnings (scenario/give_away.py; limits in assessment_thresholds.py).
    "S207": (
        WARNING,
        N_("a choice opens with a label that judges it (a short phrase and a colon)"),
        N_("write only what the trainee would say or do"),
    ),
    "S208": (
        WARNING,
        N_("the best-scoring choice is also the longest at 60 percent or more of the decision points (at least 3)"),
        N_("make the choices about as long as each other"),
    ),
    "S209": (
        WARNING,
        N_("a decision point of an assessment (feedback: end) has fewer than 3 choices"),
        N_("offer at least 3 choices, one a tempting half-right move"),
    ),
    "S210": (
        WARNING,
        N_("a decision point of an assessment (feedback: end) has only one choice that does not lose points"),
        N_("add a half-right choice that does not lose points"),
    ),
    "S211": (
        WARNING,
        N_("a surface strategy (always the longest, shortest, first or last choice) passes the role-play"),
        N_("vary where the best choice stands and how long it is; see peer-trainer analyse"),
    ),
    # The new-scenario template, not yet changed (publishing is refused until it is).
    "S212": (
        WARNING,
        N_("the new-scenario template is not changed yet"),
        N_("write your own summary and story in place of the template's example (Alex at break time)"),
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
    return _("did you mean {name}?").format(name=f"{prefix}{guess}") if guess else ""
