"""The condition language: `name OP value`, bare names, and/or/not, parentheses.

A tiny tokenizer and recursive-descent parser over trainer text. Nothing here calls
eval, exec or Python's ast: text that looks like code is a ConditionError, and nothing
of it ever runs.

A parsed condition is a tuple tree:
  ("or", [a, b, ...]) ("and", [a, b, ...]) ("not", a)
  ("cmp", op, left, right) with operands ("name", id, col) or ("lit", value)
  ("name", id, col) alone: true when the flag is true or the number is not 0.
Columns are 0-based offsets into the condition text.
"""

from __future__ import annotations

import re

from ...core.i18n import N_, _

MAX_LENGTH = 500  # a condition is one line; anything longer is a mistake
MAX_DEPTH = 32  # parentheses and `not` nesting

OPS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = {"and", "or", "not", "true", "false"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+)(?![A-Za-z_])|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|<|>)|(?P<paren>[()]))"
)
_WS = re.compile(r"\s*")

# Characters that show the text is meant as code or another language, and what to say.
_WHY = {
    ".": (N_("attribute access is not allowed in a condition"), N_("use a variable name such as told_adult")),
    "=": (N_("'=' is not a comparison"), N_("write == to compare")),
    "&": (N_("'&' is not allowed"), N_("write and")),
    "|": (N_("'|' is not allowed"), N_("write or")),
    "!": (N_("'!' is not allowed"), N_("write not, or != to compare")),
    '"': (N_("text values are not allowed"), N_("compare with a number, true or false")),
    "'": (N_("text values are not allowed"), N_("compare with a number, true or false")),
    "[": (N_("lists and indexing are not allowed"), ""),
    ",": (N_("',' is not allowed"), N_("join conditions with and / or")),
    "+": (N_("arithmetic is not allowed"), N_("compare a name with a number")),
    "*": (N_("arithmetic is not allowed"), N_("compare a name with a number")),
    "/": (N_("arithmetic is not allowed"), N_("compare a name with a number")),
    "{": (N_("effects go before 'if', not after it"), N_("write [text](#node) {name: +1} if CONDITION")),
}


class ConditionError(ValueError):
    def __init__(self, message: str, offset: int, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def _tokenize(src: str) -> list[tuple[str, object, int]]:
    tokens: list[tuple[str, object, int]] = []
    pos, n = 0, len(src)
    while True:
        pos = _WS.match(src, pos).end()
        if pos >= n:
            break
        m = _TOKEN.match(src, pos)
        if m is None:
            ch = src[pos]
            if ch == "-" and pos + 1 < n and src[pos + 1].isspace():
                raise ConditionError(
                    _("arithmetic is not allowed in a condition"), pos, _("compare a name with a number")
                )
            if ch in _WHY:
                message, hint = _WHY[ch]
                raise ConditionError(_(message), pos, _(hint) if hint else "")
            raise ConditionError(_("unexpected character {character!r}").format(character=ch), pos)
        start = m.start(m.lastindex)
        kind = m.lastgroup
        text = m.group(kind)
        pos = m.end()
        if kind == "num":
            tokens.append(("lit", int(text), start))
        elif kind == "name":
            if text in KEYWORDS:
                if text in ("true", "false"):
                    tokens.append(("lit", text == "true", start))
                else:
                    tokens.append((text, text, start))
            else:
                if pos < n and src[pos] == "(":
                    raise ConditionError(
                        _("function calls are not allowed ({text}(...))").format(text=text),
                        start,
                        _("a condition only compares names and values"),
                    )
                tokens.append(("name", text, start))
        elif kind == "op":
            tokens.append(("op", text, start))
        else:
            tokens.append((text, text, start))
    return tokens


class _Parser:
    __slots__ = ("tokens", "i", "src", "depth")

    def __init__(self, src: str, tokens):
        self.src, self.tokens, self.i, self.depth = src, tokens, 0, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", None, len(self.src))

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def joined(self, word: str, part):
        """`part (word part)*` as one flat ("and"|"or", [parts]) node: long chains stay shallow."""
        items = [part()]
        while self.peek()[0] == word:
            self.take()
            items.append(part())
        return items[0] if len(items) == 1 else (word, items)

    def expr(self):
        return self.joined("or", self.conj)

    def conj(self):
        return self.joined("and", self.neg)

    def neg(self):
        if self.peek()[0] == "not":
            self.enter()
            self.take()
            inner = self.neg()
            self.depth -= 1
            return ("not", inner)
        return self.comparison()

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(_("the condition is nested too deeply"), self.peek()[2])

    def comparison(self):
        kind, value, col = self.peek()
        if kind == "(":
            self.enter()
            self.take()
            inner = self.expr()
            close = self.take()
            if close[0] != ")":
                raise ConditionError(_("a '(' is not closed"), col, _("add ')'"))
            self.depth -= 1
            left = inner
            if self.peek()[0] == "op":
                raise ConditionError(_("compare a name with a value, not a bracketed condition"), self.peek()[2])
            return left
        left = self.operand()
        if self.peek()[0] == "op":
            op = self.take()[1]
            right = self.operand()
            if self.peek()[0] == "op":
                raise ConditionError(_("comparisons cannot be chained"), self.peek()[2], _("join them with and"))
            return ("cmp", op, left, right)
        if left[0] == "lit" and not isinstance(left[1], bool):
            raise ConditionError(
                _("a number alone is not a condition"), col, _("compare a name with it, e.g. trust >= 1")
            )
        return left

    def operand(self):
        kind, value, col = self.take()
        if kind == "name":
            return ("name", value, col)
        if kind == "lit":
            return ("lit", value)
        if kind == "end":
            raise ConditionError(_("the condition ends too early"), col, _("write 'name OP value', e.g. trust >= 1"))
        raise ConditionError(_("expected a name or a value, found {value!r}").format(value=value), col)


def parse_condition(src: str):
    """Parse a condition; raise ConditionError (with the offset of the problem) if it is not one."""
    if len(src) > MAX_LENGTH:
        raise ConditionError(_("the condition is longer than {n} characters").format(n=MAX_LENGTH), 0)
    if not src.strip():
        raise ConditionError(_("the condition is empty"), 0, _("write 'name OP value', e.g. trust >= 1"))
    tokens = _tokenize(src)
    p = _Parser(src, tokens)
    tree = p.expr()
    if p.i < len(tokens):
        kind, value, col = tokens[p.i]
        if kind == ")":
            raise ConditionError(_("a ')' has no matching '('"), col)
        raise ConditionError(_("unexpected {value!r}").format(value=value), col, _("join conditions with and / or"))
    return tree


def names(tree) -> list[tuple[str, int]]:
    """Every name in a condition with its offset, in order of appearance."""
    out: list[tuple[str, int]] = []
    stack = [tree]
    while stack:
        t = stack.pop()
        kind = t[0]
        if kind == "name":
            out.append((t[1], t[2]))
        elif kind == "cmp":
            stack.extend((t[3], t[2]))
        elif kind == "not":
            stack.append(t[1])
        elif kind in ("and", "or"):
            stack.extend(reversed(t[1]))
    return out


def _value(t, env: dict):
    return env[t[1]] if t[0] == "name" else t[1]


_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(tree, env: dict) -> bool:
    """Evaluate against `env` (variables and competency scores). Unknown names raise KeyError."""
    kind = tree[0]
    if kind == "cmp":
        return _COMPARE[tree[1]](_value(tree[2], env), _value(tree[3], env))
    if kind == "name":
        return bool(env[tree[1]])
    if kind == "and":
        return all(evaluate(t, env) for t in tree[1])
    if kind == "or":
        return any(evaluate(t, env) for t in tree[1])
    if kind == "not":
        return not evaluate(tree[1], env)
    return bool(tree[1])  # a literal true/false


def to_text(tree) -> str:
    """Write a condition (or part of one) back as text."""
    kind = tree[0]
    if kind == "name":
        return tree[1]
    if kind == "lit":
        v = tree[1]
        return ("true" if v else "false") if isinstance(v, bool) else str(v)
    if kind == "cmp":
        return f"{to_text(tree[2])} {tree[1]} {to_text(tree[3])}"
    if kind == "not":
        return f"not {_grouped(tree[1])}"
    return f" {kind} ".join(_grouped(t) for t in tree[1])


def _grouped(tree) -> str:
    return f"({to_text(tree)})" if tree[0] in ("and", "or") else to_text(tree)


def explain(tree, env: dict) -> str:
    """Why a condition is false here: the parts that fail and the values that make them fail."""
    failing: list = []
    stack = [tree]
    while stack:
        t = stack.pop()
        if evaluate(t, env):
            continue
        if t[0] == "and":
            stack.extend(reversed(t[1]))  # name every part that fails
        else:
            failing.append(t)
    parts = []
    for t in failing:
        values = ", ".join(_("{name} is {value}").format(name=n, value=_show(env.get(n))) for n, _col in _unique(t))
        if values:
            parts.append(_("{condition} is false ({values})").format(condition=to_text(t), values=values))
        else:
            parts.append(_("{condition} is false").format(condition=to_text(t)))
    return "; ".join(parts) or _("the condition is false")


def _unique(tree) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    for n, col in names(tree):
        seen.setdefault(n, col)
    return list(seen.items())


def _show(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
