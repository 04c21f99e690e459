"""The scenario's header: the front matter keys of a Markdown file, or the top-level keys
of a YAML file (the same keys, plus `nodes`)."""

from __future__ import annotations

import re

import yaml

from ...core.i18n import _
from .codes import Report, did_you_mean
from .model import FEEDBACK_MODES, VOICES, Character, Scenario
from .yamlnodes import Mapping, Scalar, Sequence, kind_name, pos, scalar, text_of

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
FRONT_KEYS = (
    "id",
    "title",
    "module",
    "competencies",
    "summary",
    "characters",
    "start",
    "variables",
    "pass",
    "feedback",
    "content_warning",
    "status",
)
STATUSES = ("draft", "published")
REQUIRED = ("id", "title", "module", "competencies")


def slug_hint(text: str, sep: str) -> str:
    """`did you mean …?` with the id written the right way, when one can be made."""
    fixed = re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)
    if sep == "_" and fixed[:1].isdigit():
        fixed = ""
    return _("did you mean {name}?").format(name=fixed) if fixed and fixed != text else ""


def items(node: Mapping, rep: Report, off: int) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """The (key, key node, value node) of a mapping; a key written twice is reported (S122)."""
    out = []
    seen: set[str] = set()
    for k, v in node.value:
        key = k.value if k.__class__ is Scalar else str(kind_name(k))
        if key in seen:
            rep.add(
                "S122", *pos(k, off), _("the key {key!r} is written twice").format(key=key), _("remove one of them")
            )
        seen.add(key)
        out.append((key, k, v))
    return out


def read_header(
    root: yaml.Node, sc: Scenario, rep: Report, off: int, extra: tuple[str, ...] = ()
) -> dict[str, yaml.Node]:
    """Fill the scenario's header fields from `root`; return the nodes of the `extra` keys."""
    found: dict[str, yaml.Node] = {}
    if root is None or root.__class__ is not Mapping:
        line, col = pos(root, off) if root is not None else (1 + off, 1)
        found_kind = kind_name(root) if root is not None else _("nothing")
        if not extra:
            said = _("the front matter must be a mapping of keys such as id, title, module (found {found})")
        else:
            said = _("the file must be a mapping of keys such as id, title, module (found {found})")
        rep.add("S102", line, col, said.format(found=found_kind))
        return found
    known = FRONT_KEYS + extra
    sc.positions[()] = pos(root, off)
    for key, knode, vnode in items(root, rep, off):
        if key not in known:
            rep.add("S103", *pos(knode, off), _("unknown key {key!r}").format(key=key), did_you_mean(key, known))
            continue
        sc.positions[(key,)] = pos(vnode, off)
        found[key] = vnode
    for key in REQUIRED:
        if key not in found:
            rep.add(
                "S104",
                *sc.positions[()],
                _("the required key {key!r} is missing").format(key=key),
                _("add '{key}: ...'").format(key=key),
            )
    _fill(sc, found, rep, off)
    return {k: found[k] for k in extra if k in found}


def _text(node: yaml.Node, key: str, rep: Report, off: int, required: bool = False) -> str | None:
    text = text_of(node)
    if text is None or (required and not text.strip()):
        rep.add(
            "S105", *pos(node, off), _("'{key}' must be text (found {found})").format(key=key, found=kind_name(node))
        )
        return None
    return text.strip()


def _fill(sc: Scenario, found: dict[str, yaml.Node], rep: Report, off: int) -> None:
    if "id" in found:
        sid = _text(found["id"], "id", rep, off, required=True)
        if sid is not None:
            sc.id = sid
            if not KEBAB.match(sid):
                rep.add(
                    "S106",
                    *pos(found["id"], off),
                    _("the scenario id {sid!r} must be kebab-case (a-z, 0-9 and -)").format(sid=sid),
                    slug_hint(sid, "-"),
                )
    for key in ("title", "module"):
        if key in found:
            setattr(sc, key, _text(found[key], key, rep, off, required=True) or "")
    for key in ("summary", "content_warning"):
        if key in found:
            setattr(sc, key, _text(found[key], key, rep, off))
    if "competencies" in found:
        _competencies(sc, found["competencies"], rep, off)
    if "characters" in found:
        _characters(sc, found["characters"], rep, off)
    if "variables" in found:
        _variables(sc, found["variables"], rep, off)
    if "pass" in found:
        _pass(sc, found["pass"], rep, off)
    if "feedback" in found:
        mode = text_of(found["feedback"])
        if mode not in FEEDBACK_MODES:
            rep.add(
                "S105",
                *pos(found["feedback"], off),
                _("'feedback' must be immediate or end (found {found})").format(found=kind_name(found["feedback"])),
                did_you_mean(str(mode), FEEDBACK_MODES),
            )
        else:
            sc.feedback = mode
    if "status" in found:
        status = text_of(found["status"])
        if status not in STATUSES:
            rep.add(
                "S105",
                *pos(found["status"], off),
                _("'status' must be draft or published (found {found})").format(found=kind_name(found["status"])),
                did_you_mean(str(status), STATUSES),
            )
        else:
            sc.status = status
    if "start" in found:
        start = _text(found["start"], "start", rep, off, required=True)
        if start is not None:
            sc.start, sc.start_declared = start.lstrip("#"), True


def _competencies(sc: Scenario, node: yaml.Node, rep: Report, off: int) -> None:
    values = (
        node.value
        if node.__class__ is Sequence
        else [node]
        if node.__class__ is Scalar and node.tag != "tag:yaml.org,2002:null"
        else None
    )
    if values is None or not values:
        rep.add("S105", *pos(node, off), _("'competencies' must be a list of competency ids, e.g. [active_listening]"))
        return
    for item in values:
        cid = text_of(item)
        if cid is None:
            rep.add(
                "S105", *pos(item, off), _("a competency id must be text (found {found})").format(found=kind_name(item))
            )
            continue
        sc.positions[("competencies", cid)] = pos(item, off)
        if cid in sc.competencies:
            rep.add(
                "S122",
                *pos(item, off),
                _("the competency {cid!r} is listed twice").format(cid=cid),
                _("remove one of them"),
            )
            continue
        if not SNAKE.match(cid):
            rep.add(
                "S106",
                *pos(item, off),
                _("the competency id {cid!r} must be snake_case (a-z, 0-9 and _)").format(cid=cid),
                slug_hint(cid, "_"),
            )
        sc.competencies.append(cid)


def _mapping(node: yaml.Node, key: str, rep: Report, off: int, example: str) -> Mapping | None:
    if node.__class__ is Mapping:
        return node
    if node.__class__ is Scalar and node.tag == "tag:yaml.org,2002:null":
        return None  # `variables:` left empty: nothing declared
    rep.add(
        "S105",
        *pos(node, off),
        _("'{key}' must be a mapping, e.g. {example} (found {found})").format(
            key=key, example=example, found=kind_name(node)
        ),
    )
    return None


def _characters(sc: Scenario, node: yaml.Node, rep: Report, off: int) -> None:
    m = _mapping(node, "characters", rep, off, "{jamie: {name: Jamie, voice: female}}")
    if m is None:
        return
    for cid, knode, v in items(m, rep, off):
        line, col = pos(knode, off)
        sc.positions[("characters", cid)] = (line, col)
        if v.__class__ is Scalar and text_of(v):  # `jamie: Jamie` as a shorthand for the name
            sc.characters[cid] = Character(v.value.strip(), None, line, col)
            continue
        if v.__class__ is not Mapping:
            rep.add(
                "S105",
                *pos(v, off),
                _("the character {cid!r} must be a mapping such as {{name: Jamie, voice: female}}").format(cid=cid),
            )
            continue
        name, voice = cid, None
        for key, kn, vn in items(v, rep, off):
            if key == "name":
                name = _text(vn, "name", rep, off, required=True) or cid
            elif key == "voice":
                voice = text_of(vn)
                if voice not in VOICES:
                    rep.add(
                        "S105",
                        *pos(vn, off),
                        _("'voice' must be female, male or any (found {found})").format(found=kind_name(vn)),
                        did_you_mean(str(voice), VOICES),
                    )
                    voice = None
            else:
                rep.add(
                    "S103",
                    *pos(kn, off),
                    _("unknown key {key!r} in a character").format(key=key),
                    did_you_mean(key, ("name", "voice")),
                )
        sc.characters[cid] = Character(name, voice, line, col)


def _scalar_values(sc: Scenario, node: yaml.Node, key: str, rep: Report, off: int, example: str):
    """(name, key node, value node, Python value or None) for a mapping of names to scalars."""
    m = _mapping(node, key, rep, off, example)
    for name, knode, v in items(m, rep, off) if m is not None else ():
        sc.positions[(key, name)] = pos(knode, off)
        yield name, knode, v, scalar(v) if v.__class__ is Scalar else None


def _variables(sc: Scenario, node: yaml.Node, rep: Report, off: int) -> None:
    for name, knode, v, value in _scalar_values(sc, node, "variables", rep, off, "{trust: 0, told_adult: false}"):
        if not SNAKE.match(name):
            rep.add(
                "S106",
                *pos(knode, off),
                _("the variable name {name!r} must be snake_case (a-z, 0-9 and _)").format(name=name),
                slug_hint(name, "_"),
            )
        if not isinstance(value, int):
            rep.add(
                "S105",
                *pos(v, off),
                _("the variable {name!r} must start as a whole number or true/false (found {found})").format(
                    name=name, found=kind_name(v)
                ),
            )
            value = 0
        sc.variables[name] = value


def _pass(sc: Scenario, node: yaml.Node, rep: Report, off: int) -> None:
    for cid, _key, v, value in _scalar_values(sc, node, "pass", rep, off, "{confidentiality: 3}"):
        if isinstance(value, bool) or not isinstance(value, int):
            rep.add(
                "S105",
                *pos(v, off),
                _("the pass mark for {cid!r} must be a whole number (found {found})").format(
                    cid=cid, found=kind_name(v)
                ),
            )
            continue
        sc.pass_marks[cid] = value
