"""YAML composed into nodes (each with its line and column), for both scenario forms.

The scenario readers validate the composed node tree directly instead of building plain
data and a separate table of positions: every value already knows where it was written,
and one pass over the nodes is cheaper than constructing data and walking it again.
Errors are reported through located_yaml, so the messages, hints and codes (Y001, Y002)
are the same as for every other YAML file of the program.
"""

from __future__ import annotations

import yaml

from ...core.i18n import _
from ..located_yaml import YAMLProblem, load_located

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
_BOOLS = {"true": True, "yes": True, "on": True, "y": True, "false": False, "no": False, "off": False, "n": False}
_constructor = yaml.constructor.SafeConstructor()

Mapping = yaml.MappingNode
Sequence = yaml.SequenceNode
Scalar = yaml.ScalarNode


def compose(text: str, line_offset: int = 0) -> yaml.Node | None:
    """Compose one YAML document; raise YAMLProblem (file lines) for invalid YAML or aliases."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        _raise_problem(text, line_offset)
    finally:
        loader.dispose()
    # No '&' means no anchor, and an alias needs one (an undefined alias fails to compose).
    if node is not None and "&" in text and _has_alias(node):
        _raise_problem(text, line_offset)
    return node


def _raise_problem(text: str, line_offset: int):
    load_located(text, line_offset)  # raises the precise YAMLProblem
    raise YAMLProblem("invalid YAML", 1 + line_offset, 1)  # pragma: no cover - load_located raised


def _has_alias(root: yaml.Node) -> bool:
    # An alias is the same node object reached twice; one linear pass finds it, and
    # stopping at the first repeat keeps an alias bomb from being expanded.
    seen: set[int] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            return True
        seen.add(id(n))
        if n.__class__ is Mapping:
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
        elif n.__class__ is Sequence:
            stack.extend(n.value)
    return False


def pos(node: yaml.Node, line_offset: int = 0) -> tuple[int, int]:
    m = node.start_mark
    return m.line + 1 + line_offset, m.column + 1


def scalar(node: yaml.Node):
    """The Python value of a scalar node (str, int, bool, None or float/date for odd input)."""
    tag = node.tag
    if tag == STR:
        return node.value
    if tag == INT:
        try:
            return int(node.value)
        except ValueError:
            return _constructor.construct_yaml_int(node)
    if tag == BOOL:
        return _BOOLS.get(node.value.lower(), False)
    if tag == NULL:
        return None
    try:  # a fresh constructor: construct_object caches every node it has seen
        return yaml.constructor.SafeConstructor().construct_object(node, deep=False)
    except Exception:  # an odd tag such as !!binary with bad content: keep the text
        return node.value


def text_of(node: yaml.Node) -> str | None:
    """A scalar as text ('title: 1984' is the text '1984'); None for null or non-scalars."""
    if node.__class__ is not Scalar or node.tag == NULL:
        return None
    return node.value


def kind_name(node: yaml.Node) -> str:
    if node.__class__ is Mapping:
        return _("a mapping")
    if node.__class__ is Sequence:
        return _("a list")
    if node.tag == NULL:
        return _("empty")
    return repr(node.value)
