"""Give-away warnings (S207-S211, L016-L020): at the right lines, in `check`, and in the workspace."""

from __future__ import annotations

import json

import pytest
from assessment_fixtures import CHECK_FAIR, CHECK_LONGEST, LONGEST_NEVER, LONGEST_WINS, content_folder, lesson, question

from app.cli import main
from app.modules.lessons import load_lesson
from app.modules.program import load_program
from app.modules.scenario.give_away import judging_label


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "text, label",
    [
        ('Reflect the hurt: "That sounds really unfair."', "Reflect the hurt"),
        ("Panic: tell everyone in the group chat.", "Panic"),
        ('Be honest and kind: "I can\'t promise that."', "Be honest and kind"),
        ('Reply calmly: "I\'m here."', "Reply calmly"),
        ('Reply: "I\'m here. What happened?"', None),
        ('Text Sam: "Are you okay?"', None),
        ('"Honestly: I don\'t know."', None),
        ("Meet at 3:30 by the gate.", None),
        ("Put your phone away and ask what has been going on: it matters.", None),
    ],
)
def test_judging_labels(text, label):
    assert judging_label(text) == label


def test_check_reports_each_warning_at_its_line(tmp_path, monkeypatch, capsys):
    labelled = LONGEST_NEVER.replace("[That hurt.]", '[Reflect the hurt: "That hurt."]')
    fair_scenario = LONGEST_NEVER.replace("feedback: end", "feedback: immediate").replace(
        "id: longest-never", "id: fair-one"
    )
    two = LONGEST_NEVER.replace("id: longest-never", "id: two-options")
    two = two.replace("- [Oh no.](#p2) {confidentiality: +0}\n  > Feedback.\n", "")
    tf = lesson(
        "True or false",
        [question("Pick one?", [("A.", True), ("B.", False), ("All of the above.", False)])]
        + ["  - prompt: Listening means always agreeing.\n    answer: false\n    explanation: No.\n"] * 2
        + [question("Pick the good ones?", [("Ask.", True), ("Nod.", True), ("Shout.", False)])],
    )
    root = content_folder(
        tmp_path / "content",
        {"wins.md": LONGEST_WINS, "labelled.md": labelled, "fair.md": fair_scenario, "two.md": two},
        {"01-longest.md": CHECK_LONGEST, "02-fair.md": CHECK_FAIR, "03-tf.md": tf},
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "content", "--format", "json"]) == 0  # warnings only
    found = {(f["path"].split("/")[-1], f["code"], f["line"]) for f in json.loads(capsys.readouterr().out)}
    wins = {(c, line) for name, c, line in found if name == "wins.md"}
    p1 = line_of(LONGEST_WINS, "## p1")
    p2, p3 = line_of(LONGEST_WINS, "## p2"), line_of(LONGEST_WINS, "## p3")
    assert wins == {("S208", 2), ("S211", 2), ("S210", p1), ("S210", p2), ("S210", p3)}
    assert {(c, line) for name, c, line in found if name == "labelled.md"} == {
        ("S207", line_of(labelled, "Reflect the hurt"))
    }
    assert {(c, line) for name, c, line in found if name == "fair.md"} == set()
    at_p1 = line_of(two, "## p1")
    assert {(c, line) for name, c, line in found if name == "two.md"} == {("S209", at_p1), ("S210", at_p1)}
    # Lessons: the longest answer always right; true or false too often, "all of the above", one wrong option.
    assert {(c, line) for name, c, line in found if name == "01-longest.md"} == {("L016", 3), ("L017", 3)}
    assert {(c, line) for name, c, line in found if name == "02-fair.md"} == set()
    assert {(c, line) for name, c, line in found if name == "03-tf.md"} == {
        ("L019", 3),
        ("L020", line_of(tf, "All of the above")),
        ("L018", line_of(tf, "Pick the good ones")),
    }
    # The text form shows a hint under each.
    assert main(["check", "content/scenarios/labelled.md"]) == 0
    out = capsys.readouterr().out
    assert f"labelled.md:{line_of(labelled, 'Reflect the hurt')}:1: S207" in out and "    hint: write only" in out
    assert root.is_dir()


def test_a_lesson_with_errors_gets_no_give_away_warnings(tmp_path):
    program, _ = load_program(content_folder(tmp_path / "c"))
    path = tmp_path / "c" / "lessons" / "confidentiality" / "01-x.md"
    path.parent.mkdir(parents=True)
    path.write_text(CHECK_LONGEST.replace("title:", "titel:"), encoding="utf-8")
    _, findings = load_lesson(path, "confidentiality", program)
    assert {f.code for f in findings} == {"L006", "L007"}


def test_the_workspace_shows_the_warnings_and_its_live_recheck_updates_them(qtbot, tmp_path):
    from app.paths import resolve_locations
    from app.ui.authoring.content_workspace import ContentWorkspace
    from app.ui.common.context import AppContext

    root = content_folder(tmp_path / "content", {"never.md": LONGEST_NEVER})
    ctx = AppContext(resolve_locations(tmp_path / "data", root))
    ctx.load_content()
    ws = ContentWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1200, 800)
    ws.show()
    ws.refresh()
    assert ws.file("never.md").state == "ok"
    (root / "scenarios" / "never.md").write_text(
        LONGEST_NEVER.replace("[That hurt.]", '[Reflect the hurt: "That hurt."]'), encoding="utf-8"
    )
    qtbot.waitUntil(lambda: ws.file("never.md").state == "warnings", timeout=5000)
    assert [f.code for f in ws.file("never.md").findings] == ["S207"]
    assert ws.select_file("never.md")
    rows = [ws.findings.topLevelItem(i) for i in range(ws.findings.topLevelItemCount())]
    assert [(r.text(1), r.text(2)) for r in rows] == [("warning", "S207")]
    assert "Hint: write only what the trainee would say or do" in rows[0].text(3)
    assert rows[0].text(0) == str(line_of(LONGEST_NEVER, "[That hurt.]"))
