"""Issue 18 item 6: read-aloud picks a voice of the text's language (espeak-ng, SAPI, NSSpeechSynthesizer and
AVSpeech name their voices' languages differently), and says so when none is installed. Fake voices and a fake
engine: no sound is made."""

from __future__ import annotations

import threading
import types

import pytest
from PySide6.QtCore import QObject, Signal

from app.modules import speech
from app.modules.speech import SpeechService, VoiceInfo, no_voice_message, pick_voice, voice_languages, voices_for

ESPEAK = [
    VoiceInfo("gmw/en-029", "English (Caribbean)", "male", ("en-029",)),
    VoiceInfo("gmw/en", "English (Great Britain)", "male", ("en-gb",)),
    VoiceInfo("roa/es-419", "Spanish (Latin America)", "male", ("es-419",)),
    VoiceInfo("roa/es", "Spanish (Spain)", "male", ("\x05es",)),  # espeak's priority byte, as some builds give it
    VoiceInfo("sem/ar", "Arabic", "male", ("ar",)),
]
SAPI = [
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0",
        "Microsoft Zira Desktop - English (United States)",
        "female",
        (),
    ),
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ES-ES_HELENA_11.0",
        "Microsoft Helena Desktop - Spanish (Spain)",
        "female",
        (),
    ),
    VoiceInfo(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_FR-FR_HORTENSE_11.0",
        "Microsoft Hortense",
        "female",
        ("fr-FR",),
    ),
]
MAC = [
    VoiceInfo("com.apple.speech.synthesis.voice.samantha", "Samantha", "female", ("en_US",)),
    VoiceInfo("com.apple.speech.synthesis.voice.monica", "Mónica", "female", ("es_ES",)),
    VoiceInfo("com.apple.voice.compact.es-MX.Paulina", "Paulina", "", ()),
]


def test_each_engine_names_the_language_its_own_way():
    assert [voice_languages(v) for v in ESPEAK] == [{"en"}, {"en"}, {"es"}, {"es"}, {"ar"}]
    assert [voice_languages(v) for v in SAPI] == [{"en"}, {"es"}, {"fr"}]
    assert [voice_languages(v) for v in MAC] == [{"en"}, {"es"}, {"es"}]
    assert voice_languages(VoiceInfo("x", "Voz en español", "", ("Unknown",))) == {"es"}  # from the name at last


def test_the_most_general_voice_of_the_language_comes_first():
    assert [v.id for v in voices_for(ESPEAK, "es")] == ["roa/es", "roa/es-419"]
    assert [v.id for v in voices_for(ESPEAK, "en")] == ["gmw/en", "gmw/en-029"]
    assert voices_for(ESPEAK, "fr") == [] and voices_for(SAPI, "es_ES")[0].name.startswith("Microsoft Helena")


def test_a_voice_is_picked_in_the_texts_language_and_gender():
    assert pick_voice(ESPEAK, "any", "es") == "roa/es"
    assert pick_voice(ESPEAK, "female", "es") == "roa/es+f3"  # espeak lists only male voices: a variant
    assert pick_voice(ESPEAK, None, "ar") == "sem/ar"
    assert pick_voice(SAPI, "female", "es").endswith("TTS_MS_ES-ES_HELENA_11.0")
    assert pick_voice(MAC, "female", "es") == "com.apple.speech.synthesis.voice.monica"
    assert pick_voice(MAC, "any", "en") == "com.apple.speech.synthesis.voice.samantha"
    assert pick_voice(ESPEAK, "any", "fr") is None  # no French voice: never read French in an English voice
    assert pick_voice([], "any", "en") is None


def test_the_message_names_the_language():
    assert no_voice_message("es").startswith("No Spanish voice is installed on this computer")
    assert "fa" in no_voice_message("fa")  # a language without a name: its code


class FakeEngine:
    def __init__(self, voices):
        self.voices = [
            types.SimpleNamespace(id=v.id, name=v.name, gender=v.gender, languages=list(v.languages)) for v in voices
        ]
        self.said: list[tuple[str, str | None]] = []
        self.voice = None

    def getProperty(self, name):
        return self.voices if name == "voices" else None

    def setProperty(self, name, value):
        if name == "voice":
            self.voice = value

    def say(self, text):
        self.said.append((text, self.voice))

    def runAndWait(self):
        pass

    def stop(self):
        pass


def run_service(monkeypatch, voices, language, lines=False):
    engine = FakeEngine(voices)
    monkeypatch.setitem(__import__("sys").modules, "pyttsx3", types.SimpleNamespace(init=lambda: engine))
    monkeypatch.setattr(speech, "prepare_audio_environment", lambda: None)
    events: list[tuple[str, dict]] = []
    done = threading.Event()

    def listener(kind, data):
        events.append((kind, data))
        if kind == "finished":
            done.set()

    service = SpeechService(listener)
    if lines:
        service.speak_lines("u1", [("Hola.", "female"), ("¿Qué tal?", None)], language=language)
    else:
        service.speak("u1", ["Hola.", "¿Qué tal?"], language=language)
    assert done.wait(5)
    service.shutdown()
    return service, engine, events


@pytest.mark.parametrize("lines", [False, True])
def test_spanish_text_is_read_in_a_spanish_voice(monkeypatch, lines):
    service, engine, events = run_service(monkeypatch, ESPEAK, "es", lines)
    assert [text for text, _voice in engine.said] == ["Hola.", "¿Qué tal?"]
    assert all(voice.startswith("roa/es") for _text, voice in engine.said)
    assert events[-1] == ("finished", {"utterance": "u1", "completed": True})
    assert service.can_read("es") == (True, "") and service.can_read("fr")[0] is False


def test_without_a_voice_for_the_language_it_says_so_and_reads_nothing(monkeypatch):
    service, engine, events = run_service(monkeypatch, SAPI[:1], "es")
    assert engine.said == []
    kinds = [kind for kind, _data in events]
    assert "no_voice" in kinds and "started" not in kinds
    message = next(data for kind, data in events if kind == "no_voice")["message"]
    assert message.startswith("No Spanish voice is installed on this computer")
    assert events[-1] == ("finished", {"utterance": "u1", "completed": False})
    assert service.can_read("es") == (False, message) and service.can_read("en") == (True, "")


def test_english_by_default(monkeypatch):
    _service, engine, _events = run_service(monkeypatch, ESPEAK, None)
    assert [voice for _text, voice in engine.said] == ["gmw/en", "gmw/en"]


class FakeBridge(QObject):
    started = Signal(str)
    sentence = Signal(str, int)
    finished = Signal(str, bool)
    error = Signal(str)
    no_voice = Signal(str, str)

    def __init__(self, readable: dict[str, bool]):
        super().__init__()
        self.available, self.unavailable_reason, self.rate = True, "", 170
        self.readable = readable
        self.spoken: list[tuple[str, list[str], str | None]] = []

    def can_read(self, language):
        ok = self.readable.get(language, True)
        return ok, "" if ok else no_voice_message(language)

    def speak(self, utterance, sentences, first=0, voice_hint=None, language=None):
        self.spoken.append((utterance, list(sentences), language))

    def stop(self):
        pass


def test_the_button_reads_in_the_texts_language_or_explains(qtbot):
    from app.ui.common.read_aloud import ReadAloudButton

    bridge = FakeBridge({"es": True, "ar": False})
    ctx = types.SimpleNamespace(speech=bridge)
    button = ReadAloudButton(ctx, "the lesson", lambda b: b.say("Hola. ¿Qué tal?"))
    qtbot.addWidget(button)
    button.language = "es"
    button.toggle()
    assert bridge.spoken[-1][2] == "es" and button.on
    button.stop()
    button.language = "ar"
    button.toggle()
    assert not button.on and len(bridge.spoken) == 1
    assert button.language_problem.startswith("No Arabic voice") and button.toolTip() == button.language_problem
    # The engine finds out only when it starts: then the reading ends and the button says why.
    button.language = "es"
    button.toggle()
    utterance = bridge.spoken[-1][0]
    bridge.no_voice.emit(utterance, no_voice_message("es"))
    assert not button.on and button.toolTip().startswith("No Spanish voice")
