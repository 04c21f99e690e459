"""YAML loading that remembers where every value came from, and refuses aliases.

Trainers need "line 12: unknown key" rather than a bare error, so each mapping key and
list item keeps its line and column. Anchors and aliases are refused outright: nobody
writes them by hand, and they are how a few hundred bytes expand into gigabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..core.i18n import _

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple  # a key path such as ("nodes", 3, "choices", 0, "target")


class YAMLProblem(Exception):
    """Invalid YAML, with the 1-based line and column of the problem."""

    def __init__(self, message: str, line: int, column: int, code: str = "Y001", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code
        self.hint = hint


@dataclass(slots=True)
class Located:
    """Plain data plus where each key path starts in the file."""

    data: object
    positions: dict = field(default_factory=dict)  # key path -> (line, column), 1-based
    key_positions: dict = field(default_factory=dict)  # key path -> (line, column) of the key itself
    duplicates: list = field(default_factory=list)  # (key path, line, column) of repeated keys
    line_offset: int = 0

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its closest known parent."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.key_positions:
                return self.key_positions[p]
            p = p[:-1]
        return self.positions.get((), (1 + self.line_offset, 1))


def _has_alias_or_anchor(text: str) -> tuple[int, int] | None:
    # Cheap pre-check: without '&' or '*' no anchor or alias can exist.
    if "&" not in text and "*" not in text:
        return None
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            return mark.line + 1, mark.column + 1
    return None


def load_located(text: str, line_offset: int = 0) -> Located:
    """Parse one YAML document; raise YAMLProblem with a file position on any problem.

    `line_offset` is added to every line so that front matter reports file lines.
    """
    try:
        alias = _has_alias_or_anchor(text)
        if alias:
            raise YAMLProblem(
                _("YAML anchors and aliases (& and *) are not allowed"),
                alias[0] + line_offset,
                alias[1],
                code="Y002",
                hint=_("write the value out in full; put text with * or & in quotes"),
            )
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except YAMLProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        col = (mark.column + 1) if mark else 1
        what = exc.problem or exc.context or _("invalid YAML")
        raise YAMLProblem(
            _("invalid YAML: {what}").format(what=what), line + line_offset, col, hint=_yaml_hint(what)
        ) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(_("invalid YAML: {what}").format(what=exc), 1 + line_offset, 1) from None
    except RecursionError:
        raise YAMLProblem(_("the YAML is nested too deeply"), 1 + line_offset, 1) from None
    located = Located(data, line_offset=line_offset)
    if node is not None:
        _walk(node, (), located, line_offset)
    return located


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return _("a value that contains ': ' must be put in quotes")
    if "found character '\\t'" in problem or "tab" in problem:
        return _("YAML does not allow tabs for indentation: use spaces")
    if "could not find expected ':'" in problem:
        return _("each line should look like 'key: value'")
    return ""


def _walk(node: yaml.Node, path: tuple, out: Located, off: int) -> None:
    # An explicit stack: deep (hostile) nesting must not hit Python's recursion limit.
    stack = [(node, path)]
    while stack:
        n, p = stack.pop()
        out.positions[p] = (n.start_mark.line + 1 + off, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            seen: set = set()
            for knode, vnode in n.value:
                key = knode.value if isinstance(knode, yaml.ScalarNode) else repr(knode.value)
                key = _scalar_key(knode, key)
                kp = p + (key,)
                pos = (knode.start_mark.line + 1 + off, knode.start_mark.column + 1)
                if key in seen:
                    out.duplicates.append((kp, *pos))
                seen.add(key)
                out.key_positions[kp] = pos
                stack.append((vnode, kp))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                stack.append((item, p + (i,)))


def _scalar_key(knode: yaml.Node, raw: str):
    # Keys are nearly always strings; integer keys are addressed as ints so that
    # positions line up with the constructed data.
    if isinstance(knode, yaml.ScalarNode) and knode.tag == "tag:yaml.org,2002:int":
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw
