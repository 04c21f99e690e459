"""A scenario translation against its source: the same ids, nodes, choices, effects, conditions,
endings and pass marks, so that scores and records stay comparable (codes in app/modules/translations.py).

Each finding is at its line in the translation; the hint names the source's line when that helps.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ...core.i18n import _, ngettext
from ..findings import Finding
from ..translations import finding
from .model import Choice, Effect, Node, Scenario


def _effects(effects: list[Effect]) -> list[tuple]:
    return sorted((e.name, e.op, type(e.value).__name__, e.value) for e in effects)


def _effects_text(effects: list[Effect]) -> str:
    """{trust: +1, empathy: -1} as written in Markdown (not words: no translation), or "{}"."""
    return "{" + ", ".join(f"{e.name}: {e.as_text()}" for e in effects) + "}"


def _choice_key(c: Choice) -> tuple:
    return (c.target, tuple(_effects(c.effects)), tuple((c.condition or "").split()))


def _text_conditions(node: Node) -> list[tuple[str, object]]:
    return [(" ".join(t.condition.split()), t) for t in node.text if t.condition is not None]


def structure_key(sc: Scenario) -> str:
    """A fingerprint of what a run depends on, and nothing of the words: the id, module, competencies,
    character ids, variables, pass marks, feedback mode and start; every node's id, ending and `set`,
    its text conditions, and its choices in order with their targets, effects and conditions.

    A translation that checks clean has its source's key (the checks above hold it to exactly these),
    so a run saved in one language can carry on in another; any change to the structure changes it."""
    import hashlib
    import json

    nodes = [
        [
            nid,
            node.ending,
            _effects(node.set),
            [cond for cond, _block in _text_conditions(node)],
            [list(_choice_key(c)) for c in node.choices],
        ]
        for nid, node in sc.nodes.items()
    ]
    data = [
        sc.id,
        sc.module,
        list(sc.competencies),
        sorted(sc.characters),
        sorted(sc.variables.items()),
        sorted(sc.pass_marks.items()),
        sc.feedback,
        sc.start,
        nodes,
    ]
    return hashlib.sha256(json.dumps(data, default=repr, ensure_ascii=False).encode("utf-8")).hexdigest()


def compare_scenarios(source: Scenario, tr: Scenario) -> list[Finding]:
    """Every structural difference of ``tr`` from ``source`` (X302-X309), at its line in ``tr``."""
    shown = tr.shown
    out: list[Finding] = []

    def add(line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        out.append(finding(shown, line, column, code, message, hint))

    if tr.id != source.id:
        message = _("the scenario id is '{id}'; its source {source} has '{source_id}'")
        add(*tr.where("id"), "X302", message.format(id=tr.id, source=source.shown, source_id=source.id))
    header = (
        ("module", source.module, tr.module),
        ("competencies", list(source.competencies), list(tr.competencies)),
        ("characters", sorted(source.characters), sorted(tr.characters)),
        ("variables", dict(source.variables), dict(tr.variables)),
        ("pass", dict(source.pass_marks), dict(tr.pass_marks)),
        ("feedback", source.feedback, tr.feedback),
        ("start", source.start, tr.start),
    )
    for key, was, now in header:
        if was != now:
            message = _("'{key}' is {value} here but {source_value} in the source {source}")
            add(*tr.where(key), "X303", message.format(key=key, value=now, source_value=was, source=source.shown))

    src_ids, tr_ids = list(source.nodes), list(tr.nodes)
    for nid in tr_ids:
        if nid not in source.nodes:
            n = tr.nodes[nid]
            add(
                n.line,
                n.column,
                "X304",
                _("the node '{node}' is not in the source {source}").format(node=nid, source=source.shown),
            )
    for i, nid in enumerate(src_ids):
        if nid in tr.nodes:
            continue
        # Report a dropped node where it would stand: at the next node the translation has.
        after = next((tr.nodes[n] for n in src_ids[i + 1 :] if n in tr.nodes), None)
        if after is not None:
            line, col = after.line, after.column
        else:
            line, col = (tr.nodes[tr_ids[-1]].line, 1) if tr_ids else tr.where(())
        add(
            line,
            col,
            "X304",
            _("the node '{node}' of the source is missing (source line {line})").format(
                node=nid, line=source.nodes[nid].line
            ),
            _("translate the node '## {node}' too").format(node=nid),
        )
    for nid, sn in source.nodes.items():
        tn = tr.nodes.get(nid)
        if tn is not None:
            out.extend(_compare_node(sn, tn, source, shown))
    return out


def _compare_node(sn: Node, tn: Node, source: Scenario, shown: str) -> list[Finding]:
    out: list[Finding] = []

    def add(line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        out.append(finding(shown, line, column, code, message, hint))

    if sn.ending != tn.ending:
        message = _("the node '{node}' has the ending '{ending}'; in the source '{source_ending}'")
        add(tn.line, tn.column, "X305", message.format(node=tn.id, ending=tn.ending, source_ending=sn.ending))
    if _effects(sn.set) != _effects(tn.set):
        add(
            tn.line,
            tn.column,
            "X305",
            _("the node '{node}' sets {set}; in the source {source_set}").format(
                node=tn.id, set=_effects_text(tn.set), source_set=_effects_text(sn.set)
            ),
        )
    src_conds, tr_conds = _text_conditions(sn), _text_conditions(tn)
    if [c for c, _b in src_conds] != [c for c, _b in tr_conds]:
        block = next(
            (b for (c1, _s), (c2, b) in zip(src_conds, tr_conds, strict=False) if c1 != c2),
            tr_conds[len(src_conds)][1] if len(tr_conds) > len(src_conds) else None,
        )
        line, col = (block.cond_line or block.line, block.cond_column or 1) if block is not None else (tn.line, 1)
        add(
            line,
            col,
            "X309",
            _(
                "the '::: if' blocks of the node '{node}' differ from the source's: {here} here, {source} in the source"
            ).format(node=tn.id, here=[c for c, _b in tr_conds], source=[c for c, _b in src_conds]),
        )
    out.extend(_compare_choices(sn, tn, shown))
    return out


def _compare_choices(sn: Node, tn: Node, shown: str) -> list[Finding]:
    out: list[Finding] = []
    sc, tc = sn.choices, tn.choices
    if len(sc) == len(tc):
        pairs = list(zip(sc, tc, strict=True))
    else:
        pairs = []
        matcher = SequenceMatcher(a=[_choice_key(c) for c in sc], b=[_choice_key(c) for c in tc], autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and a1 - a0 == b1 - b0:
                pairs.extend(zip(sc[a0:a1], tc[b0:b1], strict=True))
                continue
            for c in tc[b0:b1]:
                out.append(
                    finding(
                        shown,
                        c.line,
                        c.column,
                        "X306",
                        ngettext(
                            "this choice of the node '{node}' is not in the source "
                            "({n} choice here, {count} in the source)",
                            "this choice of the node '{node}' is not in the source "
                            "({n} choices here, {count} in the source)",
                            len(tc),
                        ).format(node=tn.id, n=len(tc), count=len(sc)),
                        _("remove it: a translation keeps the source's choices, in the same order"),
                    )
                )
            for c in sc[a0:a1]:
                # Where it would stand: at the next choice, or after the last one.
                where = tc[b1] if b1 < len(tc) else tc[b0 - 1] if b0 > 0 else None
                line, col = (where.line, where.column) if where is not None else (tn.line, tn.column)
                out.append(
                    finding(
                        shown,
                        line,
                        col,
                        "X306",
                        ngettext(
                            "the node '{node}' drops the source's choice leading to (#{target}) "
                            "({n} choice here, {count} in the source)",
                            "the node '{node}' drops the source's choice leading to (#{target}) "
                            "({n} choices here, {count} in the source)",
                            len(tc),
                        ).format(node=tn.id, target=c.target, n=len(tc), count=len(sc)),
                        _("translate the choice on line {line} of the source and put it here").format(line=c.line),
                    )
                )
    for s, t in pairs:
        if s.target != t.target:
            out.append(
                finding(
                    shown,
                    t.target_line or t.line,
                    t.target_column or t.column,
                    "X307",
                    _(
                        "this choice leads to (#{target}); in the source (line {line}) it leads to (#{source_target})"
                    ).format(target=t.target, line=s.line, source_target=s.target),
                    _("write (#{target})").format(target=s.target),
                )
            )
        if _effects(s.effects) != _effects(t.effects):
            first = t.effects[0] if t.effects else None
            line, col = (first.line, first.column) if first is not None and first.line else (t.line, t.column)
            out.append(
                finding(
                    shown,
                    line,
                    col,
                    "X308",
                    _("this choice has the effects {effects}; in the source (line {line}) {source_effects}").format(
                        effects=_effects_text(t.effects), line=s.line, source_effects=_effects_text(s.effects)
                    ),
                    _("write {effects}").format(effects=_effects_text(s.effects))
                    if s.effects
                    else _("remove the effects"),
                )
            )
        if (s.condition or "").split() != (t.condition or "").split():
            out.append(
                finding(
                    shown,
                    t.cond_line or t.line,
                    t.cond_column or t.column,
                    "X309",
                    _(
                        "this choice's condition is '{condition}'; in the source (line {line}) '{source_condition}'"
                    ).format(condition=t.condition or "", line=s.line, source_condition=s.condition or ""),
                    _("write 'if {condition}'").format(condition=s.condition)
                    if s.condition
                    else _("remove the condition"),
                )
            )
    return out
