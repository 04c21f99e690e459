"""The YAML form: the front matter keys plus `nodes:`, read into the same model, and written back."""

from __future__ import annotations

import yaml

from ...core.i18n import N_, _
from ..findings import ERROR, Finding
from ..located_yaml import YAMLProblem
from .codes import Report, did_you_mean
from .effects import effect_from_value
from .header import KEBAB, items, read_header, slug_hint
from .model import ENDINGS, Choice, Effect, Node, Scenario, TextBlock
from .yamlnodes import Mapping, Scalar, Sequence, compose, kind_name, pos, scalar, text_of

NODE_KEYS = ("id", "ending", "set", "text", "choices")
TEXT_KEYS = ("speaker", "text", "if")
CHOICE_KEYS = ("text", "target", "effects", "if", "feedback")


def parse_yaml(text: str, rep: Report) -> Scenario | None:
    """Read a YAML scenario. None when the YAML itself cannot be read."""
    try:
        root = compose(text)
    except YAMLProblem as p:
        rep.findings.append(Finding(rep.shown, p.line, p.column, ERROR, p.code, p.message, p.hint))
        return None
    sc = Scenario()
    extra = read_header(root, sc, rep, 0, extra=("nodes",))
    if root is None or root.__class__ is not Mapping:
        return None
    nodes = extra.get("nodes")
    if nodes is None:
        rep.add(
            "S104", *sc.positions[()], _("the required key 'nodes' is missing"), _("add 'nodes:' with a list of nodes")
        )
    elif nodes.__class__ is not Sequence:
        rep.add(
            "S105", *pos(nodes), _("'nodes' must be a list of nodes (found {found})").format(found=kind_name(nodes))
        )
    else:
        for item in nodes.value:
            _node(sc, item, rep)
        if not nodes.value:
            rep.add("S120", *pos(nodes), _("the scenario has no nodes"), _("add nodes under 'nodes:'"))
    return sc


def _text(node: yaml.Node, what: str, rep: Report, one_line: bool = False) -> str | None:
    """Trainer text; a blank line inside is refused because Markdown would split it in two."""
    text = text_of(node)
    if text is None:
        rep.add(
            "S105", *pos(node), _("{what} must be text (found {found})").format(what=_(what), found=kind_name(node))
        )
        return None
    text = text.strip()
    if "\n" in text and (one_line or (what != "feedback" and any(not l.strip() for l in text.split("\n")))):
        rep.add(
            "S105",
            *pos(node),
            (_("{what} cannot contain a line break") if one_line else _("{what} cannot contain a blank line")).format(
                what=_(what)
            ),
            _("split it into separate items") if not one_line else _("write it on one line"),
        )
    return text


def _node(sc: Scenario, item: yaml.Node, rep: Report) -> None:
    line, col = pos(item)
    if item.__class__ is not Mapping:
        rep.add(
            "S105",
            line,
            col,
            _("a node must be a mapping with id, text and choices (found {found})").format(found=kind_name(item)),
        )
        return
    fields: dict[str, yaml.Node] = {}
    for key, knode, v in items(item, rep, 0):
        if key not in NODE_KEYS:
            rep.add(
                "S103", *pos(knode), _("unknown key {key!r} in a node").format(key=key), did_you_mean(key, NODE_KEYS)
            )
        else:
            fields[key] = v
    if "id" not in fields:
        rep.add("S104", line, col, _("this node has no 'id'"), _("add 'id: node-id'"))
        return
    nid = _text(fields["id"], N_("a node id"), rep, one_line=True)
    if nid is None:
        return
    nid = nid.lstrip("#")
    if not KEBAB.match(nid):
        rep.add(
            "S106",
            *pos(fields["id"]),
            _("the node id {nid!r} must be kebab-case (a-z, 0-9 and -)").format(nid=nid),
            slug_hint(nid, "-"),
        )
    node = Node(nid, line=line, column=col)
    if "ending" in fields:
        ending = text_of(fields["ending"])
        if ending not in ENDINGS:
            rep.add(
                "S105",
                *pos(fields["ending"]),
                _("'ending' must be success, neutral or failure (found {found})").format(
                    found=kind_name(fields["ending"])
                ),
                did_you_mean(str(ending), ENDINGS),
            )
        else:
            node.ending = ending
    if "set" in fields:
        node.set = _effects(fields["set"], rep, in_set=True)
    if "text" in fields:
        texts = fields["text"]
        # `text: Some narration.` is a shorthand for a one-item list.
        items_ = (
            [texts]
            if texts.__class__ is Scalar and texts.tag != "tag:yaml.org,2002:null"
            else _list(texts, "text", rep)
        )
        node.text = [b for b in (_block(t, rep) for t in items_) if b is not None]
    if "choices" in fields:
        node.choices = [c for c in (_choice(c, rep) for c in _list(fields["choices"], "choices", rep)) if c is not None]
    if nid in sc.nodes:
        rep.add(
            "S107",
            line,
            col,
            _("the node id {nid!r} is used twice (first at line {line})").format(nid=nid, line=sc.nodes[nid].line),
            _("rename one of the nodes"),
        )
    else:
        sc.nodes[nid] = node


def _list(node: yaml.Node, key: str, rep: Report) -> list:
    if node.__class__ is Sequence:
        return node.value
    if node.__class__ is Scalar and node.tag == "tag:yaml.org,2002:null":
        return []
    rep.add("S105", *pos(node), _("'{key}' must be a list (found {found})").format(key=key, found=kind_name(node)))
    return []


def _effects(node: yaml.Node, rep: Report, in_set: bool = False) -> list[Effect]:
    what = "set" if in_set else "effects"
    if node.__class__ is not Mapping:
        if not (node.__class__ is Scalar and node.tag == "tag:yaml.org,2002:null"):
            rep.add(
                "S105",
                *pos(node),
                _("'{what}' must be a mapping such as {{trust: 1}} (found {found})").format(
                    what=what, found=kind_name(node)
                ),
            )
        return []
    out = []
    for name, knode, v in items(node, rep, 0):
        line, col = pos(knode)
        if v.__class__ is not Scalar:
            rep.add(
                "S123",
                *pos(v),
                _("the value for {name!r} must be a number or true/false (found {found})").format(
                    name=name, found=kind_name(v)
                ),
            )
            continue
        e = effect_from_value(name, scalar(v), line, col, rep, in_set)
        if e is not None:
            out.append(e)
    return out


def _condition(node: yaml.Node, rep: Report) -> tuple[str | None, int, int]:
    text = _text(node, N_("a condition ('if')"), rep, one_line=True)
    line, col = pos(node)
    if text is not None and node.style in ("'", '"'):
        col += 1  # the condition starts after the quote
    return text, line, col


def _block(item: yaml.Node, rep: Report) -> TextBlock | None:
    line, col = pos(item)
    if item.__class__ is Scalar:  # a bare string: narration
        text = _text(item, N_("a text"), rep)
        return TextBlock(None, text, None, line, col) if text is not None else None
    if item.__class__ is not Mapping:
        rep.add(
            "S105",
            line,
            col,
            _("a text item must be a mapping such as {{speaker: jamie, text: ...}} (found {found})").format(
                found=kind_name(item)
            ),
        )
        return None
    block = TextBlock(None, "", None, line, col)
    has_text = False
    for key, knode, v in items(item, rep, 0):
        if key == "text":
            block.text, has_text = _text(v, N_("a text"), rep) or "", True
        elif key == "speaker":
            block.speaker = _text(v, N_("a speaker"), rep, one_line=True)
        elif key == "if":
            block.condition, block.cond_line, block.cond_column = _condition(v, rep)
        else:
            rep.add(
                "S103",
                *pos(knode),
                _("unknown key {key!r} in a text item").format(key=key),
                did_you_mean(key, TEXT_KEYS),
            )
    if not has_text:
        rep.add("S104", line, col, _("this text item has no 'text'"), _("add 'text: ...'"))
    return block


def _choice(item: yaml.Node, rep: Report) -> Choice | None:
    line, col = pos(item)
    if item.__class__ is not Mapping:
        rep.add(
            "S105",
            line,
            col,
            _("a choice must be a mapping with text and target (found {found})").format(found=kind_name(item)),
        )
        return None
    ch = Choice("", "", line=line, column=col, target_line=line, target_column=col)
    seen = set()
    for key, knode, v in items(item, rep, 0):
        seen.add(key)
        if key == "text":
            ch.text = _text(v, N_("a choice's text"), rep, one_line=True) or ""
        elif key == "target":
            ch.target = (_text(v, N_("a choice's target"), rep, one_line=True) or "").lstrip("#")
            ch.target_line, ch.target_column = pos(v)
        elif key == "effects":
            ch.effects = _effects(v, rep)
        elif key == "if":
            ch.condition, ch.cond_line, ch.cond_column = _condition(v, rep)
        elif key == "feedback":
            # Trailing spaces on a line mean nothing in feedback, and Markdown's blockquote drops them.
            text = _text(v, N_("feedback"), rep)
            ch.feedback = "\n".join(l.rstrip() for l in text.split("\n")) if text else None
        else:
            rep.add(
                "S103",
                *pos(knode),
                _("unknown key {key!r} in a choice").format(key=key),
                did_you_mean(key, CHOICE_KEYS),
            )
    for key in ("text", "target"):
        if key not in seen:
            rep.add(
                "S104",
                line,
                col,
                _("this choice has no '{key}'").format(key=key),
                _("add '{key}: ...'").format(key=key),
            )
    return ch


def write_yaml(sc: Scenario) -> str:
    """The scenario as a YAML file."""
    return yaml.safe_dump(sc.to_data(), sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False)
