"""A "Read aloud" button for any screen with a lot of text (the lesson page has its own, with
sentence highlighting). It reads what `texts()` returns, a sentence at a time, through the
program's one speech worker; pressing it again, leaving the screen or Ctrl+R stops it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from app.modules.lesson_render import split_sentences

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A label's text without its rich-text markup, as it is read aloud."""
    return html.unescape(_TAG.sub(" ", text.replace("<br>", ". "))).strip()


class ReadAloudButton(QPushButton):
    def __init__(self, ctx, texts: Callable[[], list[str]], what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.texts = texts
        self.what = what
        self.speaking = False
        self._utterance = ""
        self._count = 0
        self.setAutoDefault(False)
        self.clicked.connect(self.toggle)
        speech = ctx.speech
        speech.finished.connect(self._finished)
        speech.error.connect(lambda _message: self._finished(self._utterance, False))
        self._update()

    def toggle(self) -> None:
        if self.speaking:
            self.stop()
            return
        speech = self.ctx.speech
        sentences = [s for t in self.texts() for s in split_sentences(plain(t))]
        if not speech.available or not sentences:
            return
        self._count += 1
        self._utterance = f"read-aloud:{id(self)}:{self._count}"
        self.speaking = True
        speech.speak(self._utterance, sentences)
        self._update()

    def stop(self) -> None:
        if self.speaking:
            self.ctx.speech.stop()
        self.speaking = False
        self._update()

    def _finished(self, utterance: str, _completed: bool) -> None:
        if utterance == self._utterance:
            self.speaking = False
            self._update()

    def _update(self) -> None:
        speech = self.ctx.speech
        self.setEnabled(speech.available)
        if not speech.available:
            self.setText("▶ Read aloud")
            self.setAccessibleName(f"Read {self.what} aloud")
            self.setToolTip(speech.unavailable_reason)
            self.setAccessibleDescription(speech.unavailable_reason)
        elif self.speaking:
            self.setText("■ Stop reading")
            self.setAccessibleName("Stop reading")
            self.setToolTip("Stop reading aloud (Ctrl+R)")
        else:
            self.setText("▶ Read aloud")
            self.setAccessibleName(f"Read {self.what} aloud")
            self.setToolTip(f"Read {self.what} aloud (Ctrl+R)")
