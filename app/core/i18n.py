"""The program's words in the reader's language.

One mechanism for every layer: GNU gettext catalogues (app/locale/<lang>/LC_MESSAGES/peer_trainer.mo),
read by the standard library at run time, extracted and compiled with Babel by scripts/i18n. The
domain and the command line use it as the window does, with no Qt (docs/architecture.md says why).

Rules for code (tests/test_translations.py enforces them):
- every sentence a person reads goes through ``_()``, ``ngettext()`` or ``pgettext()``, whose first
  arguments are plain string literals;
- placeholders are named and filled after translation: ``_("Saved {name}.").format(name=...)``;
- a sentence is never built by joining translated pieces; counts use ``ngettext``;
- text defined at import time (tables of labels) is marked ``N_("...")`` and translated where shown.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "peer_trainer"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
# The languages shipped, each by its own name, as a person choosing one would look for it.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_listeners: list = []
# speaking(): one thread's own language for a while (a certificate in the school's language is
# drawn on a worker while the window keeps the reader's).
_local = threading.local()


def _(message: str) -> str:
    """The message in the current language (the English text when there is no translation)."""
    return (getattr(_local, "translations", None) or _current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The right plural form for ``n`` in the current language; fill ``{n}`` with ``.format``."""
    return (getattr(_local, "translations", None) or _current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it is used (a button, a heading...)."""
    return (getattr(_local, "translations", None) or _current).pgettext(context, message)


def N_(message: str) -> str:
    """Marks text defined at import time for extraction; translate it with ``_()`` where shown."""
    return message


def normalise(code: str | None) -> str | None:
    """ "es_ES.UTF-8" -> "es"; None or a language not shipped -> None."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGE_NAMES else None


def system_language() -> str:
    """The operating system's language if it is one we ship, else English (gettext's variables)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(variable, "").split(":"):
            found = normalise(part)
            if found:
                return found
    return SOURCE_LANGUAGE


def language() -> str:
    """The language ``_()`` speaks now, in this thread (see ``speaking``)."""
    return getattr(_local, "language", None) or _language


def is_right_to_left(code: str | None = None) -> bool:
    """Whether ``code`` (default: the language ``_()`` speaks now, ``speaking`` included) is written
    right to left: a PDF in the school's language mirrors even when the window is in English."""
    return (code or language()) in RIGHT_TO_LEFT


def isolate(text: object) -> str:
    """``text`` kept as one unit inside a sentence: a Latin name or a number in Arabic, an Arabic
    name in English. Unicode's first-strong isolate (U+2068 ... U+2069), so the words around it
    keep their order: ``_("Signed in as {name}").format(name=isolate(name))``."""
    return f"\u2068{text}\u2069"


def _catalogue(code: str) -> tuple[str, gettext.NullTranslations]:
    """The translations for ``code``; English (no translation) when its catalogue is missing."""
    if code == SOURCE_LANGUAGE:
        return code, gettext.NullTranslations()
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    if not isinstance(translations, gettext.GNUTranslations):
        return SOURCE_LANGUAGE, gettext.NullTranslations()
    return code, translations


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Within the block, this thread's ``_()`` speaks ``code`` (None: no change): a certificate or
    the programme report in the school's language, whatever the window speaks. Yields the language."""
    chosen = normalise(code)
    if chosen is None:
        yield language()
        return
    before = getattr(_local, "language", None), getattr(_local, "translations", None)
    _local.language, _local.translations = _catalogue(chosen)
    try:
        yield _local.language
    finally:
        _local.language, _local.translations = before


def set_language(code: str | None) -> str:
    """Switch every later ``_()`` to ``code`` (or the system's language when None); returns the
    language now in use. A missing catalogue falls back to English rather than failing."""
    global _current, _language
    chosen, translations = _catalogue(normalise(code) or system_language())
    changed = chosen != _language
    _current, _language = translations, chosen
    if changed:
        for listener in list(_listeners):
            listener(chosen)
    return chosen


def on_language_changed(listener) -> None:
    """Call ``listener(code)`` whenever the language changes (the window re-reads its words)."""
    _listeners.append(listener)
