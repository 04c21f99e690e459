"""The checks of docs/scenario-format.md that need the whole model: names, references,
conditions, the program, and the graph."""

from __future__ import annotations

from functools import lru_cache

from ...core.i18n import _, language
from .codes import Report, did_you_mean
from .conditions import ConditionError, names, parse_condition
from .graph import INF, analyse
from .model import Effect, Scenario


@lru_cache(maxsize=4096)
def _parsed(src: str, _language: str = ""):
    """The same condition is written many times; parse each text once (per language: the error
    message is in the language of the check)."""
    try:
        return parse_condition(src), None
    except ConditionError as e:
        return None, e


# Sentences of the new-scenario template (app/resources/templates/scenario.md): while either is
# still in the file, the trainer has not written their own scenario yet (S212).
TEMPLATE_SUMMARY = "Replace this with your situation."
TEMPLATE_OPENING = "At break time, Alex sits down next to you. They look tired."


def _untouched_template(sc: Scenario) -> bool:
    if sc.summary and TEMPLATE_SUMMARY in sc.summary:
        return True
    return any(TEMPLATE_OPENING in block.text for node in sc.nodes.values() for block in node.text)


def check(sc: Scenario, rep: Report, program=None) -> None:
    """Add every finding of the model to `rep` (the readers have reported the format's)."""
    if program is not None:
        _check_program(sc, rep, program)
    if _untouched_template(sc):
        rep.add(
            "S212",
            *sc.where("summary"),
            _("this is still the new-scenario template's example"),
            _("write your own summary and story; then the scenario can be published"),
        )
    known = set(sc.variables) | set(sc.competencies)
    for name in sc.variables:
        if name in sc.competencies:
            rep.add(
                "S124",
                *sc.where("variables", name),
                _("the variable {name!r} has the name of a competency").format(name=name),
                _("rename the variable; in effects and conditions the name means the score"),
            )
    for cid in sc.pass_marks:
        if cid not in sc.competencies:
            rep.add(
                "S110",
                *sc.where("pass", cid),
                _("{cid!r} in pass is not one of the scenario's competencies").format(cid=cid),
                did_you_mean(cid, sc.competencies),
            )
    if sc.nodes:
        first = next(iter(sc.nodes))
        if not sc.start_declared:
            sc.start = first
        elif sc.start not in sc.nodes:
            rep.add(
                "S113",
                *sc.where("start"),
                _("the start node #{start} does not exist").format(start=sc.start),
                did_you_mean(sc.start, sc.nodes, "#"),
            )
    speakers = _speaker_names(sc)
    immediate = sc.feedback == "immediate"
    for node in sc.nodes.values():
        if node.ending and node.choices:
            rep.add(
                "S115",
                node.line,
                node.column,
                _("#{id} is an ending but has choices").format(id=node.id),
                _("remove the choices, or remove 'ending'"),
            )
        elif not node.ending and not node.choices:
            rep.add(
                "S116",
                node.line,
                node.column,
                _("#{id} has no choices and is not an ending").format(id=node.id),
                _("add a choice, or mark it as an ending: {ending: success}, {ending: neutral} or {ending: failure}"),
            )
        _effects(sc, node.set, rep, known, "set")
        for block in node.text:
            if block.speaker is not None and speakers is not None and block.speaker.casefold() not in speakers:
                rep.add(
                    "S201",
                    block.line,
                    block.column,
                    _("{speaker!r} is not one of the characters").format(speaker=block.speaker),
                    did_you_mean(block.speaker, [c.name for c in sc.characters.values()] + list(sc.characters)),
                )
            if block.condition is not None:
                block.cond = _condition(block.condition, block.cond_line, block.cond_column, rep, known)
        for ch in node.choices:
            if ch.target and ch.target not in sc.nodes:
                rep.add(
                    "S112",
                    ch.target_line,
                    ch.target_column,
                    _("the choice points to #{target}, which does not exist").format(target=ch.target),
                    did_you_mean(ch.target, sc.nodes, "#"),
                )
            _effects(sc, ch.effects, rep, known, "effects")
            if ch.condition is not None:
                ch.cond = _condition(ch.condition, ch.cond_line, ch.cond_column, rep, known)
            if immediate and ch.feedback is None and not node.ending:
                rep.add(
                    "S203",
                    ch.line,
                    ch.column,
                    _("this choice has no feedback (feedback is 'immediate')"),
                    _("add a line '  > feedback' under the choice"),
                )
    if sc.start in sc.nodes:
        _check_graph(sc, rep)
    from .give_away import check_give_aways

    check_give_aways(sc, rep)


def _check_program(sc: Scenario, rep: Report, program) -> None:
    if sc.module and program.module(sc.module) is None:
        rep.add(
            "S109",
            *sc.where("module"),
            _("the module {module!r} is not in program.yaml").format(module=sc.module),
            did_you_mean(sc.module, [m.id for m in program.modules]),
        )
    for cid in sc.competencies:
        if cid not in program.competencies:
            rep.add(
                "S110",
                *sc.where("competencies", cid),
                _("the competency {cid!r} is not in program.yaml").format(cid=cid),
                did_you_mean(cid, program.competencies),
            )


def _speaker_names(sc: Scenario) -> set[str] | None:
    if not sc.characters:
        return None  # no characters declared: anyone may speak
    out = {cid.casefold() for cid in sc.characters}
    out.update(c.name.casefold() for c in sc.characters.values())
    return out


def _effects(sc: Scenario, effects: list[Effect], rep: Report, known: set[str], what: str) -> None:
    for e in effects:
        if e.name not in known:
            rep.add(
                "S111",
                e.line,
                e.column,
                _("{name!r} in {what} is neither a competency of this scenario nor a declared variable").format(
                    name=e.name, what=what
                ),
                did_you_mean(e.name, known) or _("declare it under 'variables' in the front matter"),
            )
            continue
        is_flag = isinstance(e.value, bool)
        if e.name in sc.variables and isinstance(sc.variables[e.name], bool):
            if not is_flag:
                rep.add(
                    "S123",
                    e.line,
                    e.column,
                    _("{name!r} is a flag (true/false), not a number").format(name=e.name),
                    _("write {name}: true or {name}: false").format(name=e.name),
                )
        elif is_flag:
            rep.add(
                "S123",
                e.line,
                e.column,
                (
                    _("{name!r} is a score, not a flag")
                    if e.name in sc.competencies
                    else _("{name!r} is a number, not a flag")
                ).format(name=e.name),
                _("write a number such as {name}: +1").format(name=e.name),
            )


def _condition(src: str, line: int, col: int, rep: Report, known: set[str]):
    tree, err = _parsed(src, language())
    if err is not None:
        rep.add(
            "S114",
            line,
            col + err.offset,
            _("the condition {src!r} cannot be read: {message}").format(src=src, message=err.message),
            err.hint,
        )
        return None
    bad = False
    for name, offset in names(tree):
        if name not in known:
            bad = True
            rep.add(
                "S111",
                line,
                col + offset,
                _("{name!r} in the condition is neither a competency of this scenario nor a declared variable").format(
                    name=name
                ),
                did_you_mean(name, known) or _("declare it under 'variables' in the front matter"),
            )
    return None if bad else tree


def _check_graph(sc: Scenario, rep: Report) -> None:
    a = analyse(sc)
    nodes = sc.nodes
    for nid, node in nodes.items():
        if nid not in a.reachable:
            rep.add(
                "S202",
                node.line,
                node.column,
                _("no path from the start (#{start}) reaches #{nid}").format(start=sc.start, nid=nid),
                _("add a choice that leads here, or remove the node"),
            )
    for nid in a.traps:
        node = nodes[nid]
        rep.add(
            "S117",
            node.line,
            node.column,
            _("no ending can be reached from #{nid}: a trainee who gets here is stuck").format(nid=nid),
            _("add a choice that leads towards an ending"),
        )
    for comp, nid, ch in a.farms:
        rep.add(
            "S204",
            ch.line,
            ch.column,
            _("a loop through #{nid} raises {comp} each time round, so the score can be farmed").format(
                nid=nid, comp=comp
            ),
            _("offer the choice only once (a condition on a flag) or set the score with =N"),
        )
    for cid, mark in sc.pass_marks.items():
        best = a.best.get(cid)
        if best is not None and best != INF and best < mark:
            rep.add(
                "S118",
                *sc.where("pass", cid),
                _("no path reaches the pass mark {cid}: {mark}; the best score on any path is {best}").format(
                    cid=cid, mark=mark, best=int(best)
                ),
                _("lower the pass mark, or add choices that raise {cid}").format(cid=cid),
            )
