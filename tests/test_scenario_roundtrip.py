"""Property tests: any valid model survives Markdown -> model -> Markdown (and YAML) unchanged,
and arbitrary text or bytes give findings, never an exception.

CI=true runs 2,000 examples per property; a local run 50, to stay fast (tests/conftest.py).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_helpers import PROGRAM, load_text

from app.modules.scenario import write_markdown, write_yaml
from app.modules.scenario.codes import Report
from app.modules.scenario.markdown_io import parse_markdown
from app.modules.scenario.model import ADD, SET, Character, Choice, Effect, Node, Scenario, TextBlock
from app.modules.scenario.yaml_io import parse_yaml

# How many examples: the profile tests/conftest.py loads (2,000 on CI, 50 while working).
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

slug = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
snake = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,4}){0,1}", fullmatch=True)
# Text lines may look like structure (headings, choices, fences, speakers): the writer must escape them.
TRICKY = [
    "## heading",
    "- [a choice](#node)",
    "* [x](#y) {a: 1}",
    "::: if a",
    ":::",
    "**Sam:** hi",
    "\\## x",
    "\\",
    "> quote",
    "# title",
]
plain_line = (
    st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)
    .map(str.rstrip)
    .filter(lambda s: s.strip())
)
line = st.one_of(plain_line, st.sampled_from(TRICKY))
header_text = (
    st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40).map(str.strip).filter(bool)
)
speaker = st.from_regex(r"[A-Z][a-z]{0,8}( [A-Z][a-z]{0,5})?", fullmatch=True)


def block_text():
    return st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join(ls).strip()).filter(bool)


@st.composite
def condition(draw, names: list[str]):
    def atom():
        name = draw(st.sampled_from(names))
        if draw(st.booleans()):
            return name
        return f"{name} {draw(st.sampled_from(['==', '!=', '<', '<=', '>', '>=']))} {draw(st.integers(-5, 5))}"

    parts = [atom() for _ in range(draw(st.integers(1, 3)))]
    out = parts[0]
    for p in parts[1:]:
        out = f"{out} {draw(st.sampled_from(['and', 'or']))} {'not ' if draw(st.booleans()) else ''}{p}"
    return f"({out})" if draw(st.booleans()) else out


@st.composite
def effects(draw, numbers: list[str], flags: list[str], in_set: bool = False):
    out = []
    for name in draw(st.lists(st.sampled_from(numbers + flags), unique=True, max_size=3)):
        if name in flags:
            out.append(Effect(name, SET, draw(st.booleans())))
        else:
            op = SET if in_set else draw(st.sampled_from([ADD, SET]))
            out.append(Effect(name, op, draw(st.integers(-9, 9))))
    return out


@st.composite
def scenarios(draw):
    comps = draw(st.lists(snake, min_size=1, max_size=3, unique=True))
    var_names = draw(st.lists(snake.filter(lambda n: n not in comps), max_size=3, unique=True))
    variables = {n: draw(st.one_of(st.booleans(), st.integers(-3, 3))) for n in var_names}
    flags = [n for n, v in variables.items() if isinstance(v, bool)]
    numbers = comps + [n for n in var_names if n not in flags]
    names = comps + var_names
    chars = {
        cid: Character(draw(speaker), draw(st.sampled_from([None, "female", "male", "any"])))
        for cid in draw(st.lists(snake, max_size=2, unique=True))
    }
    ids = draw(st.lists(slug, min_size=1, max_size=6, unique=True))
    sc = Scenario(
        id=draw(slug),
        title=draw(header_text),
        module=draw(slug),
        competencies=comps,
        summary=draw(st.none() | header_text),
        characters=chars,
        variables=variables,
        pass_marks={c: draw(st.integers(-2, 5)) for c in draw(st.lists(st.sampled_from(comps), unique=True))},
        feedback=draw(st.sampled_from(["immediate", "end"])),
        content_warning=draw(st.none() | header_text),
    )
    for nid in ids:
        node = Node(nid, ending=draw(st.sampled_from([None, None, "success", "neutral", "failure"])))
        node.set = draw(effects(numbers, flags, in_set=True))
        for _ in range(draw(st.integers(0, 3))):
            who = draw(st.none() | speaker)
            cond = draw(st.none() | condition(names))
            node.text.append(TextBlock(who, draw(block_text()), cond))
        if not node.ending:
            for _ in range(draw(st.integers(1, 3))):
                node.choices.append(
                    Choice(
                        draw(plain_line).strip() or "x",
                        draw(st.sampled_from(ids)),
                        draw(effects(numbers, flags)),
                        draw(st.none() | condition(names)),
                        draw(st.none() | block_text()),
                    )
                )
        sc.nodes[nid] = node
    sc.start_declared = draw(st.booleans())
    sc.start = draw(st.sampled_from(ids)) if sc.start_declared else ids[0]
    return sc


def _read_back(text: str, parse, name: str) -> Scenario:
    rep = Report(name)
    back = parse(text, rep)
    assert [f.format() for f in rep.findings if f.is_error] == [], text
    if not back.start_declared:
        back.start = next(iter(back.nodes))
    return back


@SETTINGS
@given(scenarios())
def test_markdown_round_trip(sc):
    md = write_markdown(sc)
    back = _read_back(md, parse_markdown, "gen.md")
    assert back.to_data() == sc.to_data(), md
    assert write_markdown(back) == md


@SETTINGS
@given(scenarios())
def test_yaml_round_trip_and_conversion(sc):
    back = _read_back(write_yaml(sc), parse_yaml, "gen.yaml")
    assert back.to_data() == sc.to_data()
    assert _read_back(write_markdown(back), parse_markdown, "gen.md").to_data() == sc.to_data()


FRAGMENTS = [
    "---",
    "id: a-b",
    "title: T",
    "module: confidentiality",
    "competencies: [confidentiality]",
    "variables: {t: 0}",
    "## start",
    "## end {ending: success}",
    "## x {set: {t: =1}}",
    "- [Go](#end) {confidentiality: +1} if t > 0",
    "- [Go](#start",
    "  > feedback",
    "::: if t >= 1",
    ":::",
    "**Jamie:** hi",
    "",
    "{",
    "- [x](#y) {a: }",
    "&a",
    "*a",
    "nodes:",
    "  - id: n",
    "    choices: [{text: a, target: n}]",
    "\t",
    "\x00",
    "pass: {confidentiality: 99}",
]


@SETTINGS
@given(
    st.one_of(st.text(max_size=400), st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("\n".join)),
    st.sampled_from(["f.md", "f.yaml"]),
)
def test_arbitrary_text_gives_findings_not_exceptions(tmp_path_factory, text, name):
    folder = tmp_path_factory.mktemp("fuzz")
    sc, findings = load_text(folder, text, name=name, program=PROGRAM)
    assert isinstance(findings, list)
    assert sc is not None or any(f.is_error for f in findings)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["f.md", "f.yml"]))
def test_arbitrary_bytes_give_findings_not_exceptions(tmp_path_factory, data, name):
    folder = tmp_path_factory.mktemp("fuzz")
    sc, findings = load_text(folder, data, name=name, program=PROGRAM)
    assert sc is not None or any(f.is_error for f in findings)
