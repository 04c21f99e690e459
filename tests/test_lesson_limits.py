"""Issue 14 item 7: pathological lesson Markdown is refused quickly, by `check` (L021) and by the
reader, which renders off the UI thread and is never left half switched."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from one_trainee import signed_in_trainee

from app.cli import main
from app.modules.lesson_render import LessonTooComplex, render_lesson_html
from app.modules.records import progress_store

LESSON = Path("lessons/introduction/02-how-this-programme-works.md")
BODIES = {
    "10,000 [": "[" * 10_000,
    "5,000 ![": "![" * 5_000,
    "100,000 lines of >": ">\n" * 100_000,
    "a list nested 600 deep": "\n".join("  " * i + "- item" for i in range(600)),
    "600 list markers on one line": "- " * 600 + "deep",
    "600 quotes on one line": "> " * 600 + "deep",
    "raw HTML tables nested 20 deep": "<table><tr><td>" * 20 + "x",  # Qt's layout: 84 s
    "30,000 backslashes": ("\\" * 1000 + " ") * 30,  # Python-Markdown: 15 s over 100,000
    "a 50,000-character word": "&" * 50_000,
    "a table of 5,000 rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * 5_000,
}


def _with_body(content: Path, body: str) -> Path:
    path = content / LESSON
    text = path.read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + 5]  # keep the front matter (and its questions)
    path.write_text(front + body + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BODIES))
def test_check_reports_each_pathological_lesson_within_seconds(case, content_copy, capsys):
    _with_body(content_copy, BODIES[case])
    started = time.process_time()  # CPU time of this process: the work done, which a busy machine cannot stretch
    status = main(["check", str(content_copy)])
    took = time.process_time() - started
    out = capsys.readouterr()
    text = out.out + out.err
    assert status == 1, text
    assert "L021" in text and "too complex to show" in text
    assert re.search(r"02-how-this-programme-works\.md:\d+", text)  # names the file and the line
    assert took < 5, f"{case}: check took {took:.1f} s"
    print(f"\ncheck, {case}: {took:.2f} s")


@pytest.mark.parametrize("case", list(BODIES))
def test_the_renderer_refuses_before_parsing(case):
    started = time.process_time()  # CPU time: a busy machine cannot stretch it
    with pytest.raises(LessonTooComplex):
        render_lesson_html(BODIES[case], {})
    assert time.process_time() - started < 1


def test_a_lesson_just_under_the_limits_still_renders_quickly():
    body = "[x](#a) " * 450 + "\n\n" + "![i](missing.png) " * 190 + "\n\n" + "  " * 7 + "- x\n" + "> " * 15 + "q\n"
    started = time.process_time()  # CPU time: a busy machine cannot stretch it
    render_lesson_html(body, {})
    assert time.process_time() - started < 2


def test_the_reader_shows_a_message_and_never_keeps_the_old_lesson(qtbot, tmp_path, content_copy):
    _with_body(content_copy, BODIES["a list nested 600 deep"])
    win = signed_in_trainee(qtbot, tmp_path / "data", content_copy)
    first = win.ctx.content.module_lessons("introduction")[0]
    broken = win.ctx.content.lesson("introduction", "how-this-programme-works")
    assert broken.has_errors and any(f.code == "L021" for f in broken.findings)
    assert broken not in win.ctx.content.module_lessons("introduction")  # not offered to trainees
    win.open_lesson("introduction", first.id)
    page = win.pages["lesson"]
    qtbot.waitUntil(lambda: page.lesson is not None, timeout=5000)
    first_text = page.browser.toPlainText()
    assert first_text.strip()
    started = time.process_time()  # CPU time: a busy machine cannot stretch it
    win.open_lesson("introduction", broken.id)  # raised RecursionError before
    assert time.process_time() - started < 2
    shown = page.browser.toPlainText()
    assert "too complex to show" in shown and "line" in shown and first_text[:40] not in shown
    assert page.lesson is None and page.heading.text() == broken.title
    page._scrolled()
    page.save_position()  # nothing is saved under the broken lesson
    saved = progress_store.lesson_progress(win.ctx.db, win.ctx.profile.id)
    assert ("introduction", broken.id) not in saved
    win.ctx.shutdown()


def test_a_slow_render_is_given_up_after_the_budget_and_a_late_result_is_dropped(qtbot, tmp_path, monkeypatch):
    import threading

    from app.ui.trainee import lesson_page

    release = threading.Event()

    def slow_render(*_args, **_kwargs):
        release.wait(10)
        return "<p>late text</p>"

    monkeypatch.setattr(lesson_page, "render_lesson_html", slow_render)
    monkeypatch.setattr(lesson_page, "RENDER_BUDGET_MS", 300)
    win = signed_in_trainee(qtbot, tmp_path / "data")
    first = win.ctx.content.module_lessons("introduction")[0]
    started = time.monotonic()
    win.open_lesson("introduction", first.id)
    assert time.monotonic() - started < 5  # the window never waits for the render (held for 10 s)
    page = win.pages["lesson"]
    qtbot.waitUntil(lambda: "takes too long" in page.browser.toPlainText(), timeout=3000)
    release.set()
    qtbot.wait(300)
    assert "late text" not in page.browser.toPlainText() and page.lesson is None
    win.ctx.shutdown()
