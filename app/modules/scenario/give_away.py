"""Warnings for choices that give the answer away (S207-S211).

A role-play measures skill only when the trainee has to read and weigh the choices. These
checks look for the ways a reader can pass without doing so: a label that judges the choice, the
best choice being the longest one, too few real options in an assessment, and a surface strategy
that passes. Warnings only: a school's own content keeps working. The limits are in
app/modules/assessment_thresholds.py, each with its reason.
"""

from __future__ import annotations

import re

from ...core.i18n import N_, _, ngettext
from ..assessment_thresholds import (
    LABEL_MAX_WORDS,
    LONGEST_IS_BEST_MIN_POINTS,
    LONGEST_IS_BEST_SHARE,
    MIN_ASSESSMENT_OPTIONS,
    NEUTRAL_LABELS,
)
from .codes import Report
from .model import ADD, Choice, Scenario

# A short phrase and a colon before the words the trainee would say: `Reflect the hurt: "..."`.
_LABEL = re.compile(r"^\s*[*_]*(?P<label>[A-Za-z][^:\"“”‘’'\[\]()]*?)[*_]*\s*:\s*(?P<rest>\S.*)$")
GIVE_AWAY_CODES = ("S207", "S208", "S209", "S210", "S211")
_STRATEGY_WORDS = {
    "longest": N_("always picks the longest choice"),
    "shortest": N_("always picks the shortest choice"),
    "first": N_("always picks the first choice"),
    "last": N_("always picks the last choice"),
}


def judging_label(text: str) -> str | None:
    """The label a choice text opens with, or None. Words that only say how the words are given
    ("Reply:", "Text Sam:") are not labels; a word ending in -ly ("Reply calmly:") judges."""
    m = _LABEL.match(text)
    if m is None:
        return None
    label = m.group("label").strip()
    words = label.split()
    if not words or len(words) > LABEL_MAX_WORDS or label[-1].isdigit():
        return None
    first = words[0].casefold()
    if first in NEUTRAL_LABELS and not any(w.casefold().endswith("ly") for w in words[1:]):
        return None
    return label


def score_of(ch: Choice, competencies) -> int:
    """What a choice adds to the scenario's competency scores, all together."""
    return sum(e.value for e in ch.effects if e.name in competencies and e.op == ADD and not isinstance(e.value, bool))


def decision_points(sc: Scenario):
    """Nodes where the trainee really chooses: two choices or more."""
    return [n for n in sc.nodes.values() if len(n.choices) >= 2 and not n.ending]


def check_give_aways(sc: Scenario, rep: Report) -> None:
    """Add S207-S211 to `rep`. S211 (a strategy passes) only when the scenario has no errors."""
    comps = set(sc.competencies)
    for node in sc.nodes.values():
        for ch in node.choices:
            label = judging_label(ch.text)
            if label is not None:
                rep.add(
                    "S207",
                    ch.line,
                    ch.column,
                    _(
                        "the choice opens with the label {label!r}, which tells the trainee what kind of answer it is"
                    ).format(label=label + ":"),
                    _("write only what the trainee would say or do; let the words show whether it is a good move"),
                )
    points = decision_points(sc)
    scored = []
    for node in points:
        scores = [score_of(ch, comps) for ch in node.choices]
        if len(set(scores)) > 1:
            lengths = [len(ch.text.strip()) for ch in node.choices]
            scored.append(scores[lengths.index(max(lengths))] == max(scores))
    if len(scored) >= LONGEST_IS_BEST_MIN_POINTS and sum(scored) / len(scored) >= LONGEST_IS_BEST_SHARE:
        rep.add(
            "S208",
            *sc.where(),
            _("the best-scoring choice is also the longest at {count} of {n} decision points").format(
                count=sum(scored), n=len(scored)
            ),
            _(
                "make the choices about as long as each other, and give the longest words to a tempting "
                "wrong move now and then"
            ),
        )
    if sc.feedback == "end":
        for node in points:
            n = len(node.choices)
            if n < MIN_ASSESSMENT_OPTIONS:
                rep.add(
                    "S209",
                    node.line,
                    node.column,
                    (
                        _(
                            "#{id} offers only {n} choices in an assessment (feedback: end); "
                            "a guess is right half the time"
                        )
                        if n == 2
                        else ngettext(
                            "#{id} offers only {n} choice in an assessment (feedback: end); a guess is right too often",
                            "#{id} offers only {n} choices in an assessment (feedback: end); "
                            "a guess is right too often",
                            n,
                        )
                    ).format(id=node.id, n=n),
                    _("offer at least {minimum} choices, one of them a tempting half-right move").format(
                        minimum=MIN_ASSESSMENT_OPTIONS
                    ),
                )
            not_losing = [ch for ch in node.choices if score_of(ch, comps) >= 0]
            if len(not_losing) == 1:
                rep.add(
                    "S210",
                    node.line,
                    node.column,
                    _("at #{id} only one choice does not lose points, so it stands out from the others").format(
                        id=node.id
                    ),
                    _("add a half-right choice that does not lose points but is not the best move"),
                )
    if not rep.has_errors and points and sc.start in sc.nodes:
        from .surface import Player

        passing = [name for name, ok in Player(sc).strategies().items() if ok]
        if passing:
            if len(passing) == 1:
                said = _("a trainee who {strategy} passes this role-play without reading it").format(
                    strategy=_(_STRATEGY_WORDS[passing[0]])
                )
            else:
                said = _(
                    "a trainee who does any of these passes this role-play without reading it: {strategies}"
                ).format(strategies="; ".join(_(_STRATEGY_WORDS[name]) for name in passing))
            rep.add(
                "S211",
                *sc.where(),
                said,
                _("run 'peer-trainer analyse' on the file; vary where the best choice stands and how long it is"),
            )
