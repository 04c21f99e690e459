"""Issue 18 item 5: a trainee reading in Spanish gets the Spanish lesson and role-play of the introduction,
recorded under the same ids as in English; in a language with no translation, the English text and a note."""

from __future__ import annotations

import pytest
from one_trainee import signed_in_trainee
from PySide6.QtWidgets import QApplication, QPushButton

from app.core.i18n import _
from app.modules.records import progress_store
from app.ui.common import tasks

LESSON = "what-a-peer-helper-is"
SCENARIO = "can-you-fix-it-for-me"


def reading_in(language: str) -> None:
    """The signed-in trainee reads in ``language`` (as if chosen under Display)."""
    from app.ui.common.language import apply_language

    apply_language(language)


def open_lesson(qtbot, win, lesson_id: str):
    win.open_lesson("introduction", lesson_id)
    page = win.pages["lesson"]
    qtbot.waitUntil(lambda: page.lesson is not None, timeout=5000)
    return page


def test_a_spanish_reader_sees_the_spanish_lesson_and_records_the_same_id(qtbot, tmp_path, monkeypatch):
    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in("es")
    lessons = win.ctx.content.module_lessons("introduction", "es")
    assert [l.language for l in lessons] == ["es", "es", "es"]
    assert [l.id for l in lessons] == [l.id for l in win.ctx.content.module_lessons("introduction")]
    page = open_lesson(qtbot, win, LESSON)
    assert page.heading.text() == "Qué es (y qué no es) un ayudante entre iguales"
    assert page.lesson.language == "es" and page.lesson.id == LESSON and page.untranslated.isHidden()
    assert "Piensa en la última vez" in page.browser.toPlainText()
    page.save_position()
    page.flush(wait=True)
    saved = progress_store.lesson_progress(win.ctx.db, win.ctx.profile.id)
    assert ("introduction", LESSON) in saved
    win.ctx.shutdown()


def test_a_reader_without_a_translation_gets_the_source_and_a_note(qtbot, tmp_path, monkeypatch):
    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in("fr")
    page = open_lesson(qtbot, win, LESSON)
    assert page.heading.text() == "What a peer helper is (and is not)" and page.lesson.language == "en"
    assert page.untranslated.isVisibleTo(page) and "pas encore traduite" in page.untranslated.text()
    win.ctx.shutdown()


def test_the_english_reader_sees_no_note(qtbot, tmp_path, monkeypatch):
    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in("en")
    page = open_lesson(qtbot, win, LESSON)
    assert page.lesson.language == "en" and page.untranslated.isHidden()
    win.ctx.shutdown()


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_role_play_in_the_readers_language_records_the_same_id(qtbot, tmp_path, monkeypatch, language):
    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in(language)
    win.open_scenario(SCENARIO)
    page = win.pages["scenario"]
    QApplication.processEvents()
    assert page.current == "intro" and page.scenario.id == SCENARIO
    assert page.scenario.language == ("es" if language == "es" else "en")
    assert page.untranslated.isHidden() == (language == "es")
    if language == "es":
        assert page.scenario.title == "¿Me lo puedes arreglar?"
    start = next(b for b in page.findChildren(QPushButton) if b.accessibleName().startswith(_("Start the role-play")))
    start.click()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the attempt is recorded on a worker first
    assert page.current == "play"
    page.view.choice_buttons[1].click()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the step is written on a worker
    [attempt] = progress_store.unfinished_attempts(win.ctx.db, win.ctx.profile.id)
    assert attempt.scenario_id == SCENARIO and attempt.state["steps"]
    win.ctx.shutdown()
