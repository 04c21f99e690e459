"""Lessons and role-plays in the reader's language: the language to ask the content for, and the small
note shown when the trainee's language has no translation yet (docs/lesson-format.md, "Translations")."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.core import i18n
from app.core.i18n import _
from app.modules.translations import is_untranslated
from app.ui.common import widgets as w


def reader_language() -> str:
    """The language the signed-in person reads the program in (lessons and role-plays follow it)."""
    return i18n.language()


def untranslated_note() -> QLabel:
    """A muted line, hidden until a lesson or role-play is shown in the source language instead."""
    label = w.muted("")
    label.setObjectName("UntranslatedNote")
    label.hide()
    return label


def show_untranslated_note(label: QLabel, item, kind: str = "lesson") -> None:
    """Show the note when ``item`` (a lesson or scenario) is not in the reader's language."""
    language = reader_language()
    if item is None or language == i18n.SOURCE_LANGUAGE or not is_untranslated(item, language):
        label.hide()
        return
    if kind == "lesson":
        label.setText(_("This lesson is not translated into your language yet, so it is shown in English."))
    else:
        label.setText(_("This role-play is not translated into your language yet, so it is shown in English."))
    label.show()
