"""The window's language: whose choice counts, and applying it to Qt as well as to ``_()``.

The chain: ``peer-trainer --language`` (for the session) -> the signed-in profile's preference
"language" -> the school's setting "school.language" -> the computer's language
(app.core.i18n.system_language). The profile picker and first-start setup, with nobody signed
in, use the school's and then the computer's; signing in applies the profile's, signing out goes
back to the school's.

Applying a language sets the gettext catalogue (app.core.i18n), installs Qt's own translation
(qtbase_<lang>.qm: the standard buttons and dialogs), makes it QLocale's default (dates and
numbers) and mirrors the layout for right-to-left languages. The main window then re-creates its
pages (AppContext.language_changed), so the new words appear without a restart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, Qt, QTranslator

from app.core import i18n
from app.modules.school_settings import LANGUAGE_KEY as SCHOOL_KEY

PROFILE_KEY = "language"  # in the profile's preferences: a language code, or absent for the school's

_qt_translator: QTranslator | None = None
_qt_language: str | None = None


def qt_translation_folders() -> list[Path]:
    """Where Qt's own .qm files may be: Qt's own answer, then beside PySide6 (the bundle)."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    folders.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / "PySide6" / "Qt" / "translations")
    return folders


def _install_qt_translation(code: str) -> None:
    """Qt's own words (Cancel, Yes, the file dialog...) in ``code``; none for English."""
    global _qt_translator, _qt_language
    app = QCoreApplication.instance()
    if app is None or code == _qt_language:
        return
    if _qt_translator is not None:
        QCoreApplication.removeTranslator(_qt_translator)
        _qt_translator = None
    _qt_language = code
    if code == i18n.SOURCE_LANGUAGE:
        return
    translator = QTranslator(app)
    for folder in qt_translation_folders():
        if translator.load(f"qtbase_{code}", str(folder)):
            QCoreApplication.installTranslator(translator)
            _qt_translator = translator
            return


# Qt's locale for a language whose Qt default would write digits otherwise than the rest of the
# program: Qt's "ar" is Egypt's Arabic, with Arabic-Indic digits (٢٩), while every number filled
# into a translated sentence ("Question {n} of {total}"), every date the program writes
# (certificates.long_date, on screen and in the PDFs) and every signed field has Western digits
# (29). "ar_001", Modern Standard Arabic, writes "29 نوفمبر 2026" as the catalogue does, so one
# Arabic screen never mixes the two styles. docs/translating.md says so to translators.
QT_LOCALES = {"ar": "ar_001"}


def locale_for(code: str) -> QLocale:
    """The computer's own locale when it speaks ``code`` with the same digits (its date order, its
    separators), else the language's (QT_LOCALES)."""
    system = QLocale.system()
    wanted = QLocale(QT_LOCALES.get(code, code))
    english_on_c = code == i18n.SOURCE_LANGUAGE and system.language() == QLocale.Language.C
    same_digits = system.zeroDigit() == wanted.zeroDigit()
    if (system.language() == wanted.language() and same_digits) or english_on_c:
        return system
    return wanted


def apply_language(code: str | None) -> str:
    """Switch the program to ``code`` (None: the computer's language); returns the language in use.

    A language whose catalogue is missing falls back to English (i18n.set_language)."""
    chosen = i18n.set_language(code)
    _install_qt_translation(chosen)
    before = QLocale().name()
    QLocale.setDefault(locale_for(chosen))
    app = QCoreApplication.instance()
    if app is not None and QLocale().name() != before:
        # Widgets keep the locale they were made with (a window made before the language was
        # applied keeps "C" and hands it to every child: "29 Nov 2026" in a Spanish date field);
        # QApplication passes this event on to every window that has not set its own locale.
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LocaleChange))
    if app is not None and hasattr(app, "setLayoutDirection"):
        rtl = i18n.is_right_to_left(chosen)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    if app is not None and hasattr(app, "topLevelWidgets"):
        # A window keeps the locale it was made with, and its date fields follow it: without this,
        # "Observed on" would say "29 Nov 2026" in a window switched to Arabic.
        for window in app.topLevelWidgets():
            window.setLocale(QLocale())
    return chosen


class LanguageController(QObject):
    """Knows who chose what and applies the right language when that changes."""

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.profile_choice: str | None = None  # the signed-in profile's own choice
        ctx.changed.connect(self._records_changed)

    def school_language(self) -> str | None:
        return i18n.normalise(str(self.ctx.settings.get(SCHOOL_KEY) or ""))

    def default_language(self) -> str:
        """What someone who has not chosen gets: the school's language, else the computer's."""
        return self.school_language() or i18n.system_language()

    def wanted(self) -> str:
        forced = i18n.normalise(getattr(self.ctx, "forced_language", None))
        if forced:
            return forced
        if self.ctx.profile is not None and self.profile_choice:
            return self.profile_choice
        return self.default_language()

    def apply(self) -> str:
        """Apply the language the chain gives; announce it when it changed."""
        before = i18n.language()
        now = apply_language(self.wanted())
        if now != before:
            self.ctx.language_changed.emit(now)
        return now

    def signed_in(self) -> str:
        prefs = self.ctx.preferences()  # with any choice still being written
        self.profile_choice = i18n.normalise(prefs.get(PROFILE_KEY))
        return self.apply()

    def signed_out(self) -> str:
        self.profile_choice = None
        return self.apply()

    def choose(self, code: str | None) -> str:
        """The signed-in person picks a language (None: the school's); kept in their profile."""
        self.profile_choice = i18n.normalise(code)
        self.ctx.save_preferences({PROFILE_KEY: self.profile_choice})  # off the UI thread
        return self.apply()

    def _records_changed(self, changes) -> None:
        if changes.touches("settings"):
            self.apply()
