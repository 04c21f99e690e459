"""Content text reaches the screen exactly as written: no "&#x27;" or "&quot;" in a knowledge check,
its feedback or its score summary (escaped twice, or escaped and then shown as plain text)."""

from __future__ import annotations

import re

from one_trainee import signed_in_trainee
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel

ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|quot|amp|lt|gt|apos|nbsp);")
MARKUP_CHARS = ("'", '"', "&", "<", ">")


def shown(widget) -> str:
    """What a person reads: rich text as Qt renders it, plain text as it is."""
    text = widget.text()
    if isinstance(widget, QLabel):
        fmt = widget.textFormat()
        if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
            doc = QTextDocument()
            doc.setHtml(text)
            return doc.toPlainText()
    return text


def screen_text(page) -> list[str]:
    widgets = [*page.findChildren(QLabel), *page.findChildren(QAbstractButton)]
    return [shown(w) for w in widgets if w.isVisibleTo(page)]


def test_every_shipped_question_with_quotes_reads_as_written(qtbot, qapp, tmp_path):
    win = signed_in_trainee(qtbot, tmp_path / "data")
    content = win.ctx.content
    checked = 0
    for module in win.ctx.program.modules:
        for lesson in content.module_lessons(module.id):
            texts = [t for q in lesson.questions for t in (q.prompt, q.explanation, *[o.text for o in q.options])]
            if not lesson.has_check or not any(c in t for t in texts for c in MARKUP_CHARS):
                continue
            win.open_check(module.id, lesson.id)
            quiz = win.pages["quiz"]
            for i, question in enumerate(lesson.questions):
                on_screen = screen_text(quiz)
                assert not [t for t in on_screen if ENTITY.search(t)], (lesson.id, i, on_screen)
                quiz.option_buttons[0].setChecked(True)
                quiz.action.click()  # the feedback
                qapp.processEvents()
                on_screen = screen_text(quiz)
                assert not [t for t in on_screen if ENTITY.search(t)], (lesson.id, i, on_screen)
                if "'" in question.prompt and "{{" not in question.prompt:
                    assert question.prompt in on_screen, (lesson.id, i, on_screen)
                if i == len(lesson.questions) - 1:
                    with qtbot.waitSignal(quiz.scored, timeout=10000):
                        quiz.action.click()  # the score, once the attempt is saved
                else:
                    quiz.action.click()  # the next question
                qapp.processEvents()
                checked += 1
            on_screen = screen_text(quiz)  # the score summary repeats every question
            assert not [t for t in on_screen if ENTITY.search(t)], (lesson.id, "summary", on_screen)
    assert checked >= 10  # the shipped checks do have quotes and apostrophes
