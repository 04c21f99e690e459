"""The one "Read aloud" control, used by the lesson reader, the knowledge check and the role-play.

The button is on or off. Turning it on calls the screen's `read(button)`, which says what the
screen shows with `button.say(sentences)` (or `button.say_lines(lines)`, each line in its
character's voice) through the program's one speech worker. While it reads, `sentence(i)`
tells the screen which sentence (or line) is being spoken, so it can mark it; `ended()` says
the reading is over (finished, stopped, or the engine failed). Pressing it again, Ctrl+R or
leaving the screen stops it.

A reading ends by itself when its text is read; with `stays_on=True` (the role-play) the button
stays on, and the screen says each new part (the next node) as it comes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QToolTip, QWidget

from app.core import i18n
from app.core.i18n import _
from app.modules.lesson_render import split_sentences


class ReadAloudButton(QPushButton):
    sentence = Signal(int)  # the sentence (or line) of the current reading being spoken now
    ended = Signal()  # the current reading is over: read to the end, stopped, or the engine failed

    def __init__(
        self,
        ctx,
        name: str,
        read: Callable[[ReadAloudButton], None],
        *,
        stays_on: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.read_name = name  # what the button does, spoken: "Read the lesson aloud" (translated by the caller)
        self._read = read
        self.stays_on = stays_on
        self._on = False
        self._utterance = ""
        self._count = 0
        self.language: str | None = None  # the language of what is read (a lesson's); None: the reader's
        self.language_problem = ""  # why the text cannot be read in its language, once known
        self.setAutoDefault(False)
        self.clicked.connect(self.toggle)
        speech = ctx.speech
        speech.sentence.connect(self._sentence)
        speech.finished.connect(self._finished)
        speech.error.connect(self._failed)
        if hasattr(speech, "no_voice"):
            speech.no_voice.connect(self._no_voice)
        self.refresh()

    @property
    def on(self) -> bool:
        return self._on

    @property
    def available(self) -> bool:
        return self.ctx.speech.available

    # --- what the screen calls ------------------------------------------------------------------
    def toggle(self) -> None:
        if self._on:
            self.stop()
            return
        if not self.available or not self._language_readable():
            return
        self._on = True
        self._read(self)
        if not self._utterance:
            self._on = False  # nothing to read here
        self.refresh()

    def say(self, text: list[str] | str, first: int = 0) -> None:
        """Read these sentences (a string is split into sentences), from sentence `first`."""
        sentences = split_sentences(text) if isinstance(text, str) else [s for s in text if s.strip()]
        if sentences and self.available:
            self.ctx.speech.speak(self._next_utterance(), sentences, first=first, language=self.text_language())

    def say_lines(self, lines: list[tuple[str, str | None]]) -> None:
        """Read (text, voice hint) lines, each in its own voice."""
        if lines and self.available:
            self.ctx.speech.speak_lines(self._next_utterance(), lines, language=self.text_language())

    def hush(self) -> None:
        """Stop the voice; a button that stays on stays on, for the next part."""
        if self._utterance:
            self._utterance = ""
            self.ctx.speech.stop()
            self.ended.emit()

    def stop(self) -> None:
        """Stop the voice and turn the button off."""
        self.hush()
        self._on = False
        self.refresh()

    def refresh(self) -> None:
        """The button as the speech engine and the reading are now."""
        speech = self.ctx.speech
        self.setEnabled(speech.available)
        if not speech.available:
            self.setText(_("▶ Read aloud"))
            self.setAccessibleName(self.read_name)
            self.setToolTip(speech.unavailable_reason)
            self.setAccessibleDescription(speech.unavailable_reason)
        elif self._on:
            self.setText(_("■ Stop reading aloud"))
            self.setAccessibleName(_("Stop reading aloud"))
            self.setToolTip(_("Stop reading aloud (Ctrl+R)"))
        else:
            self.setText(_("▶ Read aloud"))
            self.setAccessibleName(self.read_name)
            self.setToolTip(_("{action} (Ctrl+R)").format(action=self.read_name))

    # --- the language of the text ---------------------------------------------------------------
    def text_language(self) -> str:
        return self.language or i18n.language()

    def _language_readable(self) -> bool:
        """False, with the reason shown on the button, when no installed voice reads the text's language."""
        can_read = getattr(self.ctx.speech, "can_read", None)
        ok, why = can_read(self.text_language()) if can_read else (True, "")
        if not ok:
            self._explain(why)
        return ok

    def _explain(self, why: str) -> None:
        self.language_problem = why
        self.setToolTip(why)
        self.setAccessibleDescription(why)
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), why, self)

    def _no_voice(self, utterance: str, why: str) -> None:
        if utterance and utterance == self._utterance:
            self._utterance = ""
            self._on = False
            self.refresh()
            self._explain(why)
            self.ended.emit()

    # --- the speech engine's news ---------------------------------------------------------------
    def _next_utterance(self) -> str:
        self._count += 1
        self._utterance = f"read-aloud:{id(self)}:{self._count}"
        return self._utterance

    def _sentence(self, utterance: str, index: int) -> None:
        if utterance and utterance == self._utterance:
            self.sentence.emit(index)

    def _finished(self, utterance: str, _completed: bool) -> None:
        if utterance and utterance == self._utterance:
            self._utterance = ""
            if not self.stays_on:
                self._on = False
            self.refresh()
            self.ended.emit()

    def _failed(self, _message: str) -> None:
        was_reading = bool(self._utterance)
        self._utterance = ""
        self._on = False
        self.refresh()
        if was_reading:
            self.ended.emit()
