"""Twine in and out: Twee 3 and Twine 2 archives to scenarios, scenarios to Twee, losslessly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scenario_helpers import PROGRAM, load_text
from test_scenario_roundtrip import SETTINGS, scenarios

from app.cli_scenario import main
from app.modules.scenario import Run, write_markdown
from app.modules.scenario.codes import Report
from app.modules.scenario.loader import parse_file
from app.modules.scenario.twine_io import MAX_PASSAGES, read_twine, read_twine_file, write_twee

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "content" / "scenarios").rglob("*.md"))
FIXTURES = Path(__file__).parent / "twine_fixtures"


def through_twee(sc):
    rep = Report("story.twee")
    conversion = read_twine(write_twee(sc), rep, html=False)
    return conversion, rep


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scenario_comes_back_from_twee_node_by_node(path):
    sc, rep = parse_file(path, path.name)
    assert sc is not None and not rep.has_errors
    conversion, rep = through_twee(sc)
    assert rep.findings == [] and conversion.own_format and conversion.report == []
    back = conversion.scenario.to_data()
    original = sc.to_data()
    assert {k: v for k, v in back.items() if k != "nodes"} == {k: v for k, v in original.items() if k != "nodes"}
    assert [n["id"] for n in back["nodes"]] == [n["id"] for n in original["nodes"]]
    for mine, theirs in zip(original["nodes"], back["nodes"]):
        assert theirs == mine, mine["id"]
    assert write_markdown(conversion.scenario) == write_markdown(sc)


def test_shipped_scenarios_are_found():
    assert len(SHIPPED) >= 20


@given(scenarios())
@SETTINGS
def test_any_valid_scenario_survives_twee(sc):
    conversion, rep = through_twee(sc)
    assert not rep.has_errors, [f.format() for f in rep.findings]
    assert conversion.scenario.to_data() == sc.to_data()


def test_the_twee_is_what_twine_expects():
    sc, _ = parse_file(SHIPPED[0], "x")
    text = write_twee(sc)
    assert text.startswith(":: StoryTitle\n")
    assert '"format": "Harlowe"' in text and '"start": "' in text
    for node in sc.nodes.values():
        assert f":: {node.id}" in text
        for ch in node.choices:
            assert f"->{ch.target}]]" in text  # Twine draws the arrows of the story map from these


def convert(name: str):
    conversion, rep = read_twine_file(FIXTURES / name, name)
    return conversion, {(f.line, f.code) for f in rep.findings}, rep


def playable(tmp_path, sc, module="confidentiality", competencies=("confidentiality",)):
    """The converted story after the trainer adds what the report asks for: it checks clean and plays."""
    sc.module, sc.competencies = module, list(competencies)
    loaded, findings = load_text(tmp_path, write_markdown(sc), name=f"{sc.id}.md", program=PROGRAM)
    assert [f.format() for f in findings if f.is_error] == []
    run = Run.start(loaded)
    for _ in range(50):
        if run.finished:
            break
        run.choose(1)
    assert run.finished and run.ending
    return loaded


def test_a_harlowe_twee_story(tmp_path):
    conversion, found, _ = convert("harlowe-lunch.twee")
    sc = conversion.scenario
    assert sc.start == "start-here" and sc.title == "Lunch on the Wall"
    assert list(sc.nodes) == ["start-here", "sit", "walk-past", "ask-her-a-question", "talk"]
    # The three link forms, and a bare link.
    assert [(c.text, c.target) for c in sc.nodes["start-here"].choices] == [
        ("Sit down next to her", "sit"),
        ("Walk past", "walk-past"),
        ("Ask her a question", "ask-her-a-question"),
    ]
    assert [(c.text, c.target) for c in sc.nodes["ask-her-a-question"].choices] == [
        ("Ask how the week has been", "talk")
    ]
    # Macros, a printed variable, a comment and an unknown tag: each reported at its line.
    assert {(13, "T201"), (15, "T201"), (23, "T201"), (24, "T203"), (31, "T204"), (12, "T205")} <= found
    text = "\n".join(b.text for b in sc.nodes["start-here"].text)
    assert "(set:" not in text and "She shifts over to make room." in text
    assert sc.nodes["walk-past"].ending == "neutral"
    # (link: "…")[(goto: "…")] is a choice with the link's words
    assert [(c.text, c.target) for c in sc.nodes["talk"].choices] == [("Thank her", "walk-past")]
    assert any("module:" in line for line in conversion.report)
    assert any("walk-past." in line for line in conversion.report)
    playable(tmp_path, sc)


def test_a_sugarcube_twee_story(tmp_path):
    conversion, found, _ = convert("sugarcube-queue.twee")
    sc = conversion.scenario
    assert sc.start == "queue"
    assert [(c.text, c.target) for c in sc.nodes["queue"].choices] == [
        ("Stand next to her", "stand"),
        ("Laugh along", "laugh"),
    ]
    assert [(c.text, c.target) for c in sc.nodes["stand"].choices] == [("Tell a teacher", "told")]
    assert {(7, "T202"), (10, "T202"), (15, "T201"), (16, "T201"), (21, "T201")} <= found
    assert "(note: this is not a macro in SugarCube)" in sc.nodes["stand"].text[0].text
    assert [(c.text, c.target) for c in sc.nodes["told"].choices] == [("Stay with her", "laugh")]
    playable(tmp_path, sc)


def test_a_twine_archive(tmp_path):
    conversion, found, _ = convert("harlowe-archive.html")
    sc = conversion.scenario
    assert sc.start == "opening" and sc.title == "The Group Chat"
    assert sc.nodes["ending"].ending == "success"  # the tag ending-success
    assert [(c.text, c.target) for c in sc.nodes["opening"].choices] == [
        ("I'll keep it private unless someone could get hurt", "limits"),
        ("Let's talk to someone together", "ending"),
    ]
    assert "&" in sc.nodes["ending"].text[0].text  # entities decoded
    assert {(3, "T202"), (4, "T201"), (7, "T202")} <= found
    assert all("alert" not in b.text for n in sc.nodes.values() for b in n.text)
    playable(tmp_path, sc)


def test_a_chapbook_story(tmp_path):
    conversion, found, _ = convert("chapbook-hall.twee")
    sc = conversion.scenario
    assert {(8, "T201"), (10, "T201"), (11, "T201"), (13, "T201")} <= found
    assert "{back link}" not in sc.nodes["hall"].text[0].text
    playable(tmp_path, sc)


def test_only_the_first_story_of_an_archive_is_converted():
    two = (
        "<tw-storydata name='One' startnode='1'><tw-passagedata pid='1' name='A'>[[B]]</tw-passagedata>"
        "<tw-passagedata pid='2' name='B'>End.</tw-passagedata></tw-storydata>\n"
        "<tw-storydata name='Two' startnode='1'><tw-passagedata pid='1' name='C'>Other.</tw-passagedata>"
        "</tw-storydata>"
    )
    rep = Report("library.html")
    sc = read_twine(two, rep, html=True).scenario
    assert list(sc.nodes) == ["a", "b"] and sc.start == "a"
    assert [(f.line, f.code) for f in rep.findings] == [(2, "T207")]


def test_hostile_input_is_bounded():
    rep = Report("big.twee")
    many = "".join(f":: p{i}\nx\n" for i in range(MAX_PASSAGES + 1))
    assert read_twine(many, rep, html=False).scenario is None and rep.findings[0].code == "T101"
    rep = Report("big.html")
    many = "<tw-storydata name='x'>" + "<tw-passagedata name='p'>x</tw-passagedata>" * (MAX_PASSAGES + 1)
    assert read_twine(many, rep, html=True).scenario is None and rep.findings[0].code == "T101"
    rep = Report("x.html")
    assert read_twine("<html><body>hello</body></html>", rep, html=True).scenario is None
    assert rep.findings[0].code == "T102"
    rep = Report("x.twee")
    assert read_twine("no passage here\n", rep, html=False).scenario is None and rep.findings[0].code == "T102"
    for junk in ("::", ":: [", ":: a {", ":: a\n[[", ":: a\n(set:", ":: a\n<<", "<tw-storydata><tw-passagedata>"):
        read_twine(junk, Report("x"), html=junk.startswith("<"))  # findings, never an exception


def test_the_command_line_round_trip(tmp_path, capsys):
    source = SHIPPED[0]
    twee, md = tmp_path / "s.twee", tmp_path / "s.md"
    assert main(["convert", str(source), "--to", "twee", "-o", str(twee)]) == 0
    assert main(["convert", str(twee), "--to", "md", "-o", str(md)]) == 0
    sc, _ = parse_file(source, "x")
    back, _ = parse_file(md, "y")
    assert back.to_data() == {**sc.to_data(), **({"start": back.start} if "start" in back.to_data() else {})}
    assert main(["convert", str(FIXTURES / "harlowe-lunch.twee"), "--to", "md", "-o", str(tmp_path / "h.md")]) == 0
    err = capsys.readouterr().err
    assert "harlowe-lunch.twee:13:1: T201" in err and "module:" in err


@pytest.mark.parametrize(
    "piece", ["[[", "<<a", "(if: $x)[", "<!--", "/*", "<a ", "<script", "{a", "[[a->b]] <!-- pht: x"]
)
def test_a_large_hostile_file_is_read_in_bounded_time(piece):
    import time

    from app.modules.scenario.twine_io import MAX_LINE_CHARS, MAX_TWINE_BYTES

    line = (piece * (MAX_LINE_CHARS // len(piece)))[: MAX_LINE_CHARS - 10]
    text = (":: p\n" + "\n".join([line] * (MAX_TWINE_BYTES // len(line))))[:MAX_TWINE_BYTES]
    started = time.process_time()  # CPU time of this process: the work done, which a busy machine cannot stretch
    read_twine(text, Report("x.twee"), html=False)
    assert time.process_time() - started < 10


TOKENS = [
    ":: ",
    "::A [t] {",
    '{"position":"1,2"}',
    "\n",
    "[[",
    "]]",
    "->",
    "<-",
    "|",
    "][",
    "(set: $x to 1)",
    "(if: $x)[",
    "(link: 'a')[(goto: 'b')]",
    "]",
    "<<link 'a'>>",
    "<<goto 'b'>>",
    "<</link>>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<!-- pht if: x -->",
    "<!-- pht end if -->",
    "<!-- pht > y -->",
    "<!-- pht set: {x: 1} -->",
    "--",
    "{a}",
    "$v",
    "## h",
    "- [c](#d)",
    ":::",
    "**S:** ",
    "\\",
    "é",
    "<tw-storydata name='s'>",
    "<tw-passagedata name='p' tags='peer-trainer-header'>",
    "</tw-passagedata>",
    "id: x\n",
]


@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60), st.booleans())
@SETTINGS
def test_any_twine_text_gives_findings_never_an_exception(parts, html):
    text = "".join(parts)
    rep = Report("x.html" if html else "x.twee")
    conversion = read_twine(text, rep, html=html)
    if conversion.scenario is not None:
        write_markdown(conversion.scenario)
        write_twee(conversion.scenario)
