"""Read-aloud on the knowledge check: the question and its answers are read in order, the
feedback too once checked, and pressing again (or Ctrl+R) stops. Speech is a stand-in here:
the real engine is exercised by the speech tests and the self-test."""

from __future__ import annotations

from one_trainee import signed_in_trainee
from PySide6.QtCore import QObject, Qt, Signal


class FakeSpeech(QObject):
    started = Signal(str)
    sentence = Signal(str, int)
    finished = Signal(str, bool)
    error = Signal(str)

    def __init__(self):
        super().__init__()
        self.available, self.unavailable_reason, self.rate = True, "", 170
        self.spoken: list[tuple[str, list[str]]] = []
        self.stops = 0

    def speak(self, utterance, sentences, first=0, voice_hint=None, language=None):
        self.spoken.append((utterance, list(sentences)))

    def stop(self):
        self.stops += 1

    def shutdown(self):
        pass


def test_the_knowledge_check_is_read_aloud_question_then_answers(qtbot, tmp_path):
    speech = FakeSpeech()
    win = signed_in_trainee(qtbot, tmp_path / "data", speech=speech)
    ctx = win.ctx
    module = ctx.program.modules[0]
    lesson = next(l for l in ctx.content.module_lessons(module.id) if l.has_check)
    win.open_check(module.id, lesson.id)
    quiz = win.pages["quiz"]
    question = lesson.questions[0]

    qtbot.mouseClick(quiz.read_button, Qt.MouseButton.LeftButton)
    utterance, sentences = speech.spoken[-1]
    text = " ".join(sentences)
    assert (
        question.prompt.split()[0] in sentences[1]
        and "Answer 1:" in text
        and f"Answer {len(question.options)}:" in text
    )
    assert quiz.read_button.accessibleName() == "Stop reading aloud"
    qtbot.mouseClick(quiz.read_button, Qt.MouseButton.LeftButton)  # again: stop
    assert speech.stops >= 1 and quiz.read_button.accessibleName().startswith("Read")

    quiz.option_buttons[min(question.correct_indexes)].setChecked(True)
    qtbot.mouseClick(quiz.action, Qt.MouseButton.LeftButton)
    quiz.read_button.click()
    assert "That's right" in " ".join(speech.spoken[-1][1])  # the feedback is read once it shows
    speech.finished.emit(speech.spoken[-1][0], True)
    assert quiz.read_button.accessibleName().startswith("Read")


# --- honest about what is missing ------------------------------------------------------------


def test_read_aloud_says_what_is_missing_in_plain_words(monkeypatch):
    from app.modules import speech

    monkeypatch.setattr(speech.sys, "platform", "linux")
    no_engine = speech.diagnose(find_library=lambda _name: None, which=lambda _name: "/usr/bin/aplay")
    no_player = speech.diagnose(find_library=lambda _name: "libespeak-ng.so.1", which=lambda _name: None)
    works = speech.diagnose(find_library=lambda _name: "libespeak-ng.so.1", which=lambda _name: "/usr/bin/aplay")
    assert works.ok and not no_engine.ok and not no_player.ok
    for found in (no_engine, no_player):
        # The student's words: no commands, no package names; who can help.
        assert "sudo" not in found.reason and "apt" not in found.reason and "espeak" not in found.reason
        assert "IT support" in found.reason
        # Staff and IT get the command (the self-test prints it).
        assert "sudo apt install" in found.fix
    assert "reading voice" in no_engine.reason and "libespeak-ng1" in no_engine.fix
    assert "play sound" in no_player.reason and "alsa-utils" in no_player.fix and "aplay" in no_player.problem


def test_the_self_test_warns_when_read_aloud_cannot_work(qapp, monkeypatch, tmp_path):
    from app import self_test
    from app.modules import speech

    missing = speech.Diagnosis(False, speech.NO_PLAYER_REASON, speech.NO_PLAYER_FIX, "no aplay")
    monkeypatch.setattr(speech, "diagnose", lambda: missing)
    monkeypatch.setattr(self_test.SelfTest, "render_certificate", lambda _self, _tmp: "skipped here")
    lines: list[str] = []
    assert self_test.SelfTest(out=lines.append).run() == 0
    warn = next(line for line in lines if "read aloud" in line)
    assert warn.startswith("  [warn] read aloud: unavailable") and "alsa-utils" in warn
    assert "[ok] read aloud" not in "\n".join(lines)
    assert "Self-test passed, with 1 warning" in lines[-1]
