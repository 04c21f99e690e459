"""Lessons: loading, every finding code, rendering and sanitising."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app.modules.lesson_render import render_lesson_html, split_sentences
from app.modules.lessons import load_lesson, load_module_lessons
from app.modules.program import load_program

REPO = Path(__file__).resolve().parent.parent
PROGRAM, _ = load_program(REPO / "content")

GOOD = """\
---
title: Open questions
summary: Questions that invite a story.
minutes: 5
questions:
  - prompt: Which is an open question?
    options:
      - text: Did you have a bad day?
        why: It can be answered with yes or no.
      - text: What's been going on?
        correct: true
        why: It invites a story.
  - prompt: Pick both good reflections.
    options:
      - {text: "Sounds like you feel left out.", correct: true, why: "Names the feeling."}
      - {text: "You're overreacting.", why: "Judges the feeling."}
      - {text: "So the group went without you.", correct: true, why: "Reflects what happened."}
  - prompt: Asking about suicide puts the idea in someone's head.
    answer: false
    explanation: Asking directly does not plant the idea.
---

Jordan pushes the tray away.

::: try
"What's been going on?"
:::
"""


def write(tmp_path: Path, text: str, module: str = "active-listening", name: str = "01-open-questions.md") -> Path:
    folder = tmp_path / "lessons" / module
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_a_good_lesson_loads_with_its_questions(tmp_path):
    lesson, findings = load_lesson(write(tmp_path, GOOD), "active-listening", PROGRAM)
    assert findings == []
    assert lesson.id == "open-questions"  # from the file name, number dropped
    assert [q.kind for q in lesson.questions] == ["single", "multiple", "true_false"]
    single, multiple, tf = lesson.questions
    assert single.is_correct({1}) and not single.is_correct({0})
    assert multiple.is_correct({0, 2}) and not multiple.is_correct({0})
    assert tf.is_correct({1}) and not tf.is_correct({0})
    assert lesson.minutes == 5 and len(lesson.content_hash) == 64


@pytest.mark.parametrize(
    "text, code, line",
    [
        ("no front matter here\n", "L001", 1),
        ("---\n- a list\n---\nbody\n", "L002", 2),
        ("---\ntitle: [unclosed\n---\nbody\n", "Y001", 3),
        ("---\ntitle: A\nquestons: []\n---\nbody\n", "L006", 3),
        ("---\nsummary: no title\n---\nbody\n", "L007", 2),
        ("---\ntitle: A\nminutes: lots\n---\nbody\n", "L008", 3),
        ("---\ntitle: A\nmodule: confidentiality\n---\nbody\n", "L005", 3),
        (
            "---\ntitle: A\nquestions:\n  - prompt: Q\n    options: [{text: a, why: x}, {text: b, why: y}]\n---\nx\n",
            "L010",
            4,
        ),
        (
            "---\ntitle: A\nquestions:\n  - prompt: Q\n    options: [{text: a, correct: true}, {text: b}]\n---\nx\n",
            "L011",
            4,
        ),
        ("---\ntitle: A\n---\nSee {{school.principal}} now.\n", "L009", 4),
        ("---\ntitle: A\n---\n\n::: tip\nx\n:::\n", "L012", 5),
        ("---\ntitle: A\n---\n\n::: try\nnever closed\n", "L013", 5),
        ("---\ntitle: A\ntitle: B\n---\nx\n", "L014", 3),
        ("---\nid: Not_A_Slug\ntitle: A\n---\nx\n", "L003", 2),
        ("", "F004", 1),
    ],
)
def test_each_problem_has_its_code_and_line(tmp_path, text, code, line):
    path = write(tmp_path, text)
    _lesson, findings = load_lesson(path, "active-listening", PROGRAM)
    found = [f for f in findings if f.code == code]
    assert found, f"expected {code}, got {[f.format() for f in findings]}"
    assert found[0].line == line
    assert found[0].path


def test_unknown_module_folder_names_the_closest(tmp_path):
    _lesson, findings = load_lesson(write(tmp_path, GOOD, module="active-listning"), "active-listning", PROGRAM)
    f = next(f for f in findings if f.code == "L004")
    assert "active-listening" in f.hint


def test_binary_and_bad_utf8_are_findings_not_crashes(tmp_path):
    folder = tmp_path / "lessons" / "active-listening"
    folder.mkdir(parents=True)
    (folder / "a.md").write_bytes(b"\x89PNG\x00\x00binary")
    (folder / "b.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    by_module, findings = load_module_lessons(tmp_path, PROGRAM)
    assert sorted(codes(findings)) == ["F002", "F003"]
    assert by_module["active-listening"] == []
    bad = next(f for f in findings if f.code == "F003")
    assert (bad.line, bad.column) == (2, 11)


def test_one_broken_lesson_never_stops_the_others(tmp_path):
    write(tmp_path, GOOD, name="01-good.md")
    write(tmp_path, "---\ntitle: [\n---\n", name="02-broken.md")
    write(tmp_path, GOOD.replace("Open questions", "Second"), name="03-also-good.md")
    by_module, findings = load_module_lessons(tmp_path, PROGRAM)
    assert [l.id for l in by_module["active-listening"]] == ["good", "also-good"]
    assert codes(findings) == ["Y001"]


def test_alias_bomb_in_front_matter_is_refused(tmp_path):
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, "
        "*b, *b, *b]\ntitle: t\n---\n"
    )
    _lesson, findings = load_lesson(write(tmp_path, bomb), "active-listening", PROGRAM)
    assert codes(findings) == ["Y002"]


def test_rendering_removes_scripts_remote_links_and_outside_images(tmp_path):
    content = tmp_path / "content"
    lesson_dir = content / "lessons" / "m"
    lesson_dir.mkdir(parents=True)
    (lesson_dir / "pic.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"png")
    body = (
        "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [away](https://example.org) "
        "[here](#summary) ![ok](pic.png) ![no](../../../secret.png) ![web](http://example.org/a.png)\n"
    )
    html = render_lesson_html(body, {}, lesson_dir, content)
    assert "<script" not in html and "alert" not in html and "onerror" not in html
    assert "example.org" not in html
    assert 'href="#summary"' in html
    assert (lesson_dir / "pic.png").resolve().as_uri() in html
    assert "secret.png" not in html


def test_callouts_and_placeholders_render(tmp_path):
    body = "Talk to {{school.counsellor}}.\n\n::: remember\nYou are <b>not</b> alone.\n:::\n"
    html = render_lesson_html(body, {"school.counsellor": "Mr <Okafor>"})
    assert "Mr &lt;Okafor&gt;" in html
    assert "Remember" in html and "callout" in html


def test_sentences_split_for_reading_aloud():
    text = 'Hello there. How are you? "Fine." OK!\n\nNew paragraph without a stop\n- a list item'
    assert split_sentences(text) == [
        "Hello there.",
        "How are you?",
        '"Fine."',
        "OK!",
        "New paragraph without a stop",
        "- a list item",
    ]
