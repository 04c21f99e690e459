"""Text-to-speech through pyttsx3, on one dedicated worker thread.

pyttsx3's runAndWait() blocks its thread for a whole utterance, and its engine must stay on
the thread that created it, so one daemon thread owns the engine and takes requests from a
queue. Text is spoken a sentence at a time: stopping takes effect after the current sentence
at worst, and the reader can highlight the sentence being spoken. Where no speech engine
exists, `availability()` says why and nothing ever raises.
"""

from __future__ import annotations

import ctypes.util
import os
import queue
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..core.i18n import N_, _

MIN_RATE, DEFAULT_RATE, MAX_RATE = 80, 170, 300  # words per minute


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str
    name: str
    gender: str  # "female", "male" or ""
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Whether read-aloud can work here; if not, why in a student's words and what IT should install."""

    ok: bool
    reason: str = ""  # for the button's tooltip: plain words, no commands
    fix: str = ""  # for staff and IT (the self-test, the README): what to install
    problem: str = ""  # for staff and IT: what is missing


# Marked N_(): translated with _() when a Diagnosis is made (diagnose) or shown.
ASK_FOR_HELP = N_("You can still read everything on the screen. A teacher or your school's IT support can set it up.")
NO_ENGINE_REASON = N_(
    "Read aloud does not work on this computer yet: it has no reading voice installed. "
    "You can still read everything on the screen. A teacher or your school's IT support can set it up."
)
NO_PLAYER_REASON = N_(
    "Read aloud cannot play sound on this computer: the program that plays sound is missing. "
    "You can still read everything on the screen. A teacher or your school's IT support can set it up."
)
NO_ENGINE_FIX = N_(
    "To fix: install the espeak-ng speech engine (Debian or Ubuntu: sudo apt install libespeak-ng1; "
    "Fedora: sudo dnf install espeak-ng)."
)
NO_PLAYER_FIX = N_(
    "To fix: install the aplay sound player, which the speech engine plays through "
    "(Debian or Ubuntu: sudo apt install alsa-utils; Fedora: sudo dnf install alsa-utils)."
)


def diagnose(find_library=None, which=None) -> Diagnosis:
    """Look for what read-aloud needs: pyttsx3; on Linux the espeak-ng library and the `aplay`
    player that pyttsx3's espeak driver plays its sound through (without it, "reading" is silent)."""
    import shutil

    find_library = find_library or ctypes.util.find_library
    which = which or shutil.which
    try:
        import pyttsx3  # noqa: F401
    except Exception:  # pragma: no cover - pyttsx3 is a dependency
        return Diagnosis(
            False, _(NO_ENGINE_REASON), _("To fix: reinstall the program."), _("the pyttsx3 package is missing")
        )
    if sys.platform.startswith("linux"):
        if not (find_library("espeak-ng") or find_library("espeak")):
            return Diagnosis(
                False, _(NO_ENGINE_REASON), _(NO_ENGINE_FIX), _("the espeak-ng speech engine is not installed")
            )
        if not which("aplay"):
            return Diagnosis(
                False,
                _(NO_PLAYER_REASON),
                _(NO_PLAYER_FIX),
                _("espeak-ng is installed but the aplay sound player is not, so reading would make no sound"),
            )
    return Diagnosis(True)


def availability() -> tuple[bool, str]:
    """Whether read-aloud can work here, and if not, why in words a student understands (the button's tooltip)."""
    found = diagnose()
    return found.ok, found.reason


def prepare_audio_environment() -> None:
    """Give the sound libraries a private runtime folder when the session has none.

    Without XDG_RUNTIME_DIR (a bare Debian, a service account, CI) PulseAudio's client library
    makes a `pulse-*` folder in TMPDIR on every start and leaves it there. A folder of our own,
    owner-only, beside the program's cache keeps the temporary folder clean.
    """
    if not sys.platform.startswith("linux") or os.environ.get("XDG_RUNTIME_DIR"):
        return
    from platformdirs import user_cache_path

    runtime = user_cache_path("peer-trainer", appauthor=False) / "runtime"
    try:
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        runtime.chmod(0o700)
    except OSError:
        return  # speech may then leave a folder behind; it still works
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


# The languages' names, for "No Spanish voice is installed" (translated where shown).
LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish"), "fr": N_("French"), "ar": N_("Arabic")}
# Words a voice's name uses for its language when the engine gives no language code.
_NAME_WORDS = {
    "en": ("english",),
    "es": ("spanish", "español", "espanol", "castellano"),
    "fr": ("french", "français", "francais"),
    "ar": ("arabic", "العربية"),
}
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:$|[-_])")
# Language codes inside voice ids: espeak-ng "roa/es", SAPI "...\\TTS_MS_ES-ES_HELENA_11.0",
# macOS "com.apple.voice.compact.es-ES.Monica" and "com.apple.speech.synthesis.voice.es_ES...".
_ID_PATTERNS = (
    re.compile(r"^[a-z]{3}/([a-z]{2,3})(?:$|[-_])"),
    re.compile(r"TTS_MS_([A-Za-z]{2})[-_]"),
    re.compile(r"\.([a-z]{2})[-_][A-Z]{2}(?:\.|$)"),
)


def base_language(code: str | None) -> str:
    """ "es-419", "es_ES", "ES-es" -> "es"; '' for what is not a language code ("Unknown", "")."""
    m = _TAG.match(re.sub(r"^[^A-Za-z]+", "", code or ""))  # espeak's codes start with a priority byte
    return m.group(1).lower() if m else ""


def voice_languages(voice: VoiceInfo) -> set[str]:
    """The languages a voice reads: from its language codes (espeak-ng, SAPI, NSSpeechSynthesizer,
    AVSpeech give them), else from its id or its name."""
    found = {base_language(l) for l in voice.languages} - {""}
    if found:
        return found
    for pattern in _ID_PATTERNS:
        m = pattern.search(voice.id)
        if m:
            return {m.group(1).lower()}
    name = voice.name.lower()
    return {lang for lang, words in _NAME_WORDS.items() if any(w in name for w in words)}


def voices_for(voices: list[VoiceInfo], language: str) -> list[VoiceInfo]:
    """The voices that read `language`, the most general first ("es" before "es-419", "en-gb" before "en-029")."""
    base = base_language(language) or language

    def generality(v: VoiceInfo) -> int:
        return min((len(l) for l in v.languages if base_language(l) == base), default=99)

    return sorted((v for v in voices if base in voice_languages(v)), key=generality)


def language_name(language: str) -> str:
    """The language's name in the reader's language ("Spanish", "español"), or its code."""
    name = LANGUAGE_NAMES.get(base_language(language) or language)
    return _(name) if name else language


def no_voice_message(language: str) -> str:
    """What the read-aloud button says when no installed voice reads the text's language."""
    return _(
        "No {language} voice is installed on this computer, so this text cannot be read aloud. "
        "A teacher or your school's IT support can add one."
    ).format(language=language_name(language))


def pick_voice(voices: list[VoiceInfo], hint: str | None, language: str = "en") -> str | None:
    """The id of a voice for a character's `voice` hint (female, male, any) that reads `language`.

    Prefers a voice of the wanted gender in the language; espeak's voices are all listed as
    male, so for espeak a female variant is asked for with its `+f3` suffix. None when no voice
    reads the language (reading Spanish text with an English voice helps nobody).
    """
    if not voices:
        return None
    in_lang = voices_for(voices, language)
    if not in_lang:
        return None
    want = (hint or "any").lower()
    if want in ("female", "male"):
        exact = [v for v in in_lang if v.gender == want]
        if exact:
            return exact[0].id
        base = in_lang[0].id
        if "/" in base or base.startswith("gmw") or base.startswith("en"):  # espeak ids
            return base + ("+f3" if want == "female" else "+m3")
    return in_lang[0].id


Listener = Callable[[str, dict], None]


class SpeechService:
    """Speaks lists of sentences on a worker thread and reports events to `listener`.

    Events: ("started", {"utterance"}), ("sentence", {"utterance", "index"}),
    ("finished", {"utterance", "completed"}), ("error", {"message"}), ("voices", {"voices"}),
    ("no_voice", {"utterance", "language", "message"}) when no installed voice reads the text's language.
    The listener is called on the worker thread: a Qt caller forwards it through a signal.
    """

    def __init__(self, listener: Listener):
        self._listener = listener
        self._queue: queue.Queue = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._engine = None
        self._broken: str | None = None
        self.rate = DEFAULT_RATE

    # --- called from any thread -----------------------------------------------------------
    def speak(
        self,
        utterance: str,
        sentences: list[str],
        voice_hint: str | None = None,
        first: int = 0,
        language: str | None = None,
    ) -> None:
        """Speak `sentences[first:]`, written in `language` (English when None); what was being spoken stops first."""
        self.stop()
        self._ensure_thread()
        self._queue.put(("speak", utterance, list(sentences), voice_hint, first, language))

    def speak_lines(self, utterance: str, lines: list[tuple[str, str | None]], language: str | None = None) -> None:
        """Speak (text, voice hint) pairs in order, each in its own voice."""
        self.stop()
        self._ensure_thread()
        self._queue.put(("lines", utterance, list(lines), language))

    def can_read(self, language: str | None) -> tuple[bool, str]:
        """Whether an installed voice reads `language`, and if not why; (True, "") until the voices are known."""
        voices = getattr(self, "_voices", None)
        if not voices or not language:
            return True, ""
        if voices_for(voices, language):
            return True, ""
        return False, no_voice_message(language)

    def stop(self) -> None:
        self._cancel.set()
        engine = self._engine
        if engine is not None:
            try:
                engine.stop()
            except Exception:
                pass
        # Drop anything queued but not started.
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass

    def shutdown(self) -> None:
        self.stop()
        if self._thread is not None:
            self._queue.put(("quit",))
            self._thread.join(timeout=2)

    # --- the worker -----------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
            self._thread.start()

    def _emit(self, kind: str, **data) -> None:
        try:
            self._listener(kind, data)
        except Exception:
            pass  # a listener's problem must never kill the speech thread

    def _init_engine(self):
        if self._engine is not None or self._broken:
            return self._engine
        try:
            import pyttsx3

            prepare_audio_environment()
            self._engine = pyttsx3.init()
            voices = [
                VoiceInfo(
                    str(v.id),
                    str(v.name or v.id),
                    str(v.gender or "").lower(),
                    tuple(str(l) for l in (v.languages or [])),
                )
                for v in (self._engine.getProperty("voices") or [])
            ]
            self._voices = voices
            self._emit("voices", voices=voices)
        except Exception as exc:  # no engine, no driver, no audio: say so once
            self._broken = _(
                "Read aloud does not work on this computer: the reading voice did not start. "
                "You can still read everything on the screen. A teacher or your school's IT support can set it up."
            )
            self._detail = str(exc)
            self._emit("error", message=self._broken)
        return self._engine

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item[0] == "quit":
                return
            self._cancel.clear()
            engine = self._init_engine()
            if engine is None:
                self._emit("finished", utterance=item[1], completed=False)
                continue
            if item[0] == "speak":
                _kind, utterance, sentences, hint, first, language = item
                work = [(i, s, hint) for i, s in enumerate(sentences) if i >= first]
            else:
                _kind, utterance, lines, language = item
                work = [(i, text, hint) for i, (text, hint) in enumerate(lines)]
            language = language or "en"
            voices = getattr(self, "_voices", [])
            if voices and not voices_for(voices, language):
                # Say so rather than read the text in a voice of another language.
                self._emit("no_voice", utterance=utterance, language=language, message=no_voice_message(language))
                self._emit("finished", utterance=utterance, completed=False)
                continue
            self._emit("started", utterance=utterance)
            completed = True
            for index, text, hint in work:
                if self._cancel.is_set():
                    completed = False
                    break
                self._emit("sentence", utterance=utterance, index=index)
                try:
                    engine.setProperty("rate", max(MIN_RATE, min(MAX_RATE, int(self.rate))))
                    voice = pick_voice(voices, hint, language)
                    if voice:
                        engine.setProperty("voice", voice)
                    engine.say(text)
                    engine.runAndWait()
                except Exception as exc:
                    self._emit("error", message=_("Reading aloud stopped: {reason}").format(reason=exc))
                    completed = False
                    break
            if self._cancel.is_set():
                completed = False
            self._emit("finished", utterance=utterance, completed=completed)
