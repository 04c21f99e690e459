"""One small file per finding code: each must report that code at that line."""

from __future__ import annotations

import pytest
from assessment_fixtures import LONGEST_WINS, scenario
from scenario_helpers import BASE, CONTENT, PROGRAM, load_text, without_give_aways

from app.modules.findings import ERROR
from app.modules.scenario import CODES, load_scenarios


def test_base_and_fixture_are_clean(tmp_path):
    sc, findings = load_text(tmp_path, BASE)
    assert findings == [] and not sc.has_errors
    scenarios, findings = load_scenarios(CONTENT / "scenarios", PROGRAM)
    assert [f.format() for f in without_give_aways(findings)] == []
    assert {s.id for s in scenarios} == {"the-secret-in-the-group-chat", "the-rumour"}


TWO_OPTIONS = scenario("two-options", [[("Ask what happened.", 1), ("Tell them it is nothing.", 0)]], mark=1)


def replace(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


CASES = {
    # code: (file text, line reported)
    "S101": ("## start\n\nHello.\n", 1),
    "S102": ("---\n- a list\n---\n## start\n", 2),
    "S103": (replace("title: Base", "title: Base\ncompetncies: [x]"), 4),
    "S104": (replace("title: Base\n", ""), 2),
    "S105": (replace("variables: {trust: 0}", "variables: {trust: 0}\nfeedback: sometimes"), 7),
    "S106": (replace("id: base", "id: Base Scenario"), 2),
    "S107": (BASE + "\n## end {ending: failure}\n\nAgain.\n", 20),
    "S109": (replace("module: confidentiality", "module: confidentialty"), 4),
    "S110": (replace("competencies: [confidentiality]", "competencies: [confidentiality, listening]"), 5),
    "S111": (replace("{confidentiality: +1}", "{confidentiality: +1, trsut: +1}"), 13),
    "S112": (replace("(#end)", "(#ending)"), 13),
    "S113": (replace("title: Base", "title: Base\nstart: begin"), 4),
    "S114": (replace("{confidentiality: +1}", "{confidentiality: +1} if __import__('os').system('x')"), 13),
    "S115": (BASE + "\n- [Again](#start)\n  > Again.\n", 16),
    "S116": (replace("## end {ending: success}", "## end"), 16),
    "S117": (replace("(#end)", "(#loop)") + "\n## loop\n\nRound.\n\n- [Back](#start)\n  > Round again.\n", 9),
    "S118": (replace("variables: {trust: 0}", "variables: {trust: 0}\npass: {confidentiality: 2}"), 7),
    "S119": (replace("(#end)", "(end)"), 13),
    "S120": (replace("## start", "Some words.\n\n## start"), 9),
    "S121": (replace("Hello.", "::: if trust > 0\nHello."), 11),
    "S122": (replace("{confidentiality: +1}", "{confidentiality: +1, confidentiality: +2}"), 13),
    "S123": (replace("{confidentiality: +1}", "{confidentiality: true}"), 13),
    "S124": (replace("variables: {trust: 0}", "variables: {trust: 0, confidentiality: 1}"), 6),
    "S201": (
        replace("title: Base", "title: Base\ncharacters: {jamie: {name: Jamie}}").replace(
            "Hello.", "**Jaime:** Hello."
        ),
        12,
    ),
    "S202": (BASE + "\n## lost {ending: neutral}\n\nNobody comes here.\n", 20),
    "S203": (replace("  > Fine.\n", ""), 13),
    "S204": (
        replace("(#end)", "(#more)")
        + "\n## more\n\nMore.\n\n- [Again](#start) {confidentiality: +1}\n  > Again.\n- [Stop](#end)\n  > Stop.\n",
        13,
    ),
    "S205": (replace("  > Fine.\n", "  > Fine.\n\nAfter the choices.\n"), 16),
    # Give-away warnings: a judging label, the longest choice is the best, too few real options.
    "S207": (replace("[Go](#end)", "[Be kind: Go](#end)"), 13),
    "S208": (LONGEST_WINS, 2),
    "S209": (TWO_OPTIONS, TWO_OPTIONS.splitlines().index("## p1") + 1),
    "S210": (LONGEST_WINS, LONGEST_WINS.splitlines().index("## p1") + 1),
    "S211": (LONGEST_WINS, 2),
    "S212": (replace("title: Base\n", "title: Base\nsummary: Alex. Replace this with your situation.\n"), 4),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_reported_at_its_line(tmp_path, code):
    text, line = CASES[code]
    sc, findings = load_text(tmp_path, text)
    hits = [f for f in findings if f.code == code]
    assert hits, [f.format() for f in findings]
    assert hits[0].line == line, [f.format() for f in findings]
    assert hits[0].severity == CODES[code][0]
    if CODES[code][0] == ERROR:
        assert sc is None or sc.has_errors
    else:
        assert not any(f.is_error for f in findings), [f.format() for f in findings]


def test_every_code_has_a_test():
    tested = set(CASES) | {"S108", "S206"}  # those two need several files: test_scenario_cli.py
    assert tested == set(CODES)


def test_did_you_mean_hints(tmp_path):
    _, findings = load_text(tmp_path, CASES["S112"][0])
    assert [f.hint for f in findings if f.code == "S112"] == ["did you mean #end?"]
    _, findings = load_text(tmp_path, CASES["S103"][0])
    assert [f.hint for f in findings if f.code == "S103"] == ["did you mean competencies?"]
    _, findings = load_text(
        tmp_path, replace("variables: {trust: 0}", "variables: {trust: 0}\npas: {confidentiality: 1}")
    )
    assert [f.hint for f in findings if f.code == "S103"] == ["did you mean pass?"]
    _, findings = load_text(tmp_path, CASES["S109"][0])
    assert [f.hint for f in findings if f.code == "S109"] == ["did you mean confidentiality?"]


def test_condition_that_is_code_is_an_error_and_never_runs(tmp_path, monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("trainer text must never be evaluated")

    text, _ = CASES["S114"]
    load_text(tmp_path, text, "warm-up.md")  # the checker's own modules are imported now (an import runs exec)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "__import__", builtins.__import__)
    sc, findings = load_text(tmp_path, text)
    f = next(f for f in findings if f.code == "S114")
    assert "function calls are not allowed" in f.message
    assert f.column == text.splitlines()[12].index("__import__") + 1


def test_placeholders_and_emphasis_are_kept(tmp_path):
    sc, findings = load_text(tmp_path, replace("Hello.", "Talk to *{{school.counsellor}}* today."))
    assert findings == []
    assert sc.nodes["start"].text[0].text == "Talk to *{{school.counsellor}}* today."


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "F004"),
        (b"\x00\x01binary", "F002"),
        ("---\nid: caf\xe9\n".encode("latin-1"), "F003"),
        (b"---\n" + b"a: " + b"x" * 1_100_000 + b"\n---\n", "F001"),
        (b"---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n## s\n", "Y002"),
        (b"---\ntitle: [unclosed\n---\n## s\n", "Y001"),
        (b"---\njust text\n---\n## s\n", "S102"),
        (b"---\nid: a\n## never closed\n", "S101"),
    ],
)
def test_bad_input_is_a_finding_not_a_traceback(tmp_path, data, code):
    sc, findings = load_text(tmp_path, data)
    assert code in [f.code for f in findings], [f.format() for f in findings]


def test_yaml_alias_bomb_in_yaml_form(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    sc, findings = load_text(tmp_path, "\n".join(lines) + "\n", name="bomb.yaml")
    assert sc is None and [f.code for f in findings] == ["Y002"]


def test_yaml_form_reports_the_same_codes(tmp_path):
    text = """id: y
title: Y
module: confidentiality
competencies: [confidentiality]
nodes:
  - id: start
    text: [{speaker: Jamie, text: Hi}]
    choices:
      - {text: Go, target: ned, effects: {confidentiality: 1}, feedback: Ok}
      - {text: Stay, target: end, if: "trust >", feedback: Hm}
  - {id: end, ending: win}
"""
    sc, findings = load_text(tmp_path, text, name="y.yaml")
    got = {(f.code, f.line) for f in findings}
    assert {("S112", 9), ("S114", 10), ("S111", 10), ("S105", 11)} <= got or {
        ("S112", 9),
        ("S114", 10),
        ("S105", 11),
    } <= got, got
