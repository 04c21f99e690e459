"""Qt side of read-aloud: forwards SpeechService events (from its worker thread) as signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.modules.speech import SpeechService, availability


class SpeechBridge(QObject):
    started = Signal(str)
    sentence = Signal(str, int)
    finished = Signal(str, bool)
    error = Signal(str)
    no_voice = Signal(str, str)  # utterance, why: no installed voice reads the text's language

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.available, self.unavailable_reason = availability()
        self._service = SpeechService(self._on_event) if self.available else None

    def _on_event(self, kind: str, data: dict) -> None:
        # Called on the speech thread; emitting a signal queues it to the UI thread.
        if kind == "started":
            self.started.emit(data["utterance"])
        elif kind == "sentence":
            self.sentence.emit(data["utterance"], data["index"])
        elif kind == "finished":
            self.finished.emit(data["utterance"], data["completed"])
        elif kind == "no_voice":
            self.no_voice.emit(data["utterance"], data["message"])
        elif kind == "error":
            self.available = False
            self.unavailable_reason = data["message"]
            self.error.emit(data["message"])

    @property
    def rate(self) -> int:
        return self._service.rate if self._service else 170

    @rate.setter
    def rate(self, value: int) -> None:
        if self._service:
            self._service.rate = value

    def speak(
        self,
        utterance: str,
        sentences: list[str],
        first: int = 0,
        voice_hint: str | None = None,
        language: str | None = None,
    ) -> None:
        if self._service and self.available:
            self._service.speak(utterance, sentences, voice_hint, first, language)

    def speak_lines(self, utterance: str, lines: list[tuple[str, str | None]], language: str | None = None) -> None:
        if self._service and self.available:
            self._service.speak_lines(utterance, lines, language)

    def can_read(self, language: str | None) -> tuple[bool, str]:
        """Whether a voice for `language` is installed (known once the engine has started), and if not why."""
        return self._service.can_read(language) if self._service else (self.available, self.unavailable_reason)

    def stop(self) -> None:
        if self._service:
            self._service.stop()

    def shutdown(self) -> None:
        if self._service:
            self._service.shutdown()
