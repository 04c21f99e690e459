"""The program's language (issue 18): each profile's own, else the school's, else the computer's;
switching needs no restart; Qt's own words and the layout direction follow; the command line
speaks --language or the computer's language.

The catalogues here are tiny ones compiled into a temporary folder, so these tests do not depend
on the shipped translations being complete.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QWidget
from waiting import settled

from app.core import i18n
from app.modules.records import preference_store, profile_store, school_setup, settings_store
from app.modules.records.database import Database
from app.paths import resolve_locations
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow

CONTENT = Path(__file__).resolve().parent.parent / "content"
WHO = "Signed in as {name}"
TINY = {
    "es": {WHO: "Sesión iniciada: {name}", "Language": "Idioma", "usage: ": "uso: "},
    "fr": {WHO: "Connecté·e : {name}", "Language": "Langue"},
    "ar": {WHO: "تم تسجيل الدخول: {name}", "Language": "اللغة"},
}


def compile_catalogues(root: Path, messages: dict[str, dict[str, str]]) -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for language, table in messages.items():
        catalog = Catalog(locale=language)
        for source, translation in table.items():
            catalog.add(source, translation)
        folder = root / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with open(folder / f"{i18n.DOMAIN}.mo", "wb") as handle:
            write_mo(handle, catalog)
    return root


@pytest.fixture
def catalogues(tmp_path, monkeypatch):
    pytest.importorskip("babel")
    monkeypatch.setattr(i18n, "LOCALE_DIR", compile_catalogues(tmp_path / "locale", TINY))


def make_school(tmp_path, school_language: str | None = None, sam_language: str | None = None):
    locations = resolve_locations(data_dir=tmp_path / "data", content_dir=CONTENT, database_url="")
    db = Database.open(locations)
    coordinator = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Riverside High")
    if school_language:
        settings_store.set_settings(db, {"school.language": school_language}, actor_id=coordinator.id)
    sam = profile_store.create_profile(db, "Sam", profile_store.TRAINEE, actor_id=coordinator.id)
    prefs = {"tour_done": True}
    if sam_language:
        prefs["language"] = sam_language
    preference_store.set_preferences(db, sam.id, prefs, actor_id=sam.id)
    db.close()
    return locations, coordinator, sam


def open_window(qtbot, locations) -> MainWindow:
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    return win


def test_the_picker_speaks_the_schools_language_and_so_does_a_trainee_who_chose_none(qtbot, tmp_path, catalogues):
    locations, _coordinator, sam = make_school(tmp_path, school_language="es")
    win = open_window(qtbot, locations)
    assert i18n.language() == "es"
    assert QLocale().language() == QLocale.Language.Spanish
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"  # Qt's own buttons
    win.sign_in(sam)
    assert win.who.text() == "Sesión iniciada: \u2068Sam\u2069"


def test_a_profiles_own_language_wins_over_the_schools_and_signing_out_brings_the_schools_back(
    qtbot, tmp_path, catalogues
):
    locations, _coordinator, sam = make_school(tmp_path, school_language="es", sam_language="fr")
    win = open_window(qtbot, locations)
    win.sign_in(sam)
    assert i18n.language() == "fr"
    assert win.who.text().startswith("Connecté·e")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    win.switch_profile()
    assert i18n.language() == "es"
    picker = win.pages["picker"]
    assert picker.isVisible()


def test_without_a_school_language_the_computers_is_used(qtbot, tmp_path, catalogues, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr_FR:en")
    locations, _coordinator, sam = make_school(tmp_path)
    open_window(qtbot, locations)
    assert i18n.language() == "fr"


def test_choosing_arabic_in_display_mirrors_the_window_without_a_restart(qtbot, tmp_path, catalogues):
    from app.ui.common.display_dialog import DisplayDialog

    locations, _coordinator, sam = make_school(tmp_path)
    win = open_window(qtbot, locations)
    win.sign_in(sam)
    assert i18n.language() == "en"
    home = win.pages["trainee"]
    old_bar = win.top_bar
    dialog = DisplayDialog(win.display, win, language=win.language)
    qtbot.addWidget(dialog)
    choice = dialog.languages
    assert [choice.itemText(i) for i in range(1, choice.count())] == list(i18n.LANGUAGE_NAMES.values())
    choice.setCurrentIndex(choice.findData("ar"))
    assert i18n.language() == "ar"
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert win.isRightToLeft()
    # The page on screen and the top bar are made again in the new language, no restart.
    qtbot.waitUntil(lambda: win.pages["trainee"] is not home and win.top_bar is not old_bar)
    assert win.stack.currentWidget() is win.pages["trainee"]
    assert win.who.text() == "تم تسجيل الدخول: \u2068Sam\u2069"
    assert win.who.isVisible() and win.switch_button.isVisible()
    # Kept in Sam's profile: it comes back at the next sign-in.
    win.switch_profile()
    assert i18n.language() == "en"
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.LeftToRight
    win.sign_in(sam)
    assert i18n.language() == "ar"
    # "The school's language" again: back to the default.
    win.language.choose(None)
    assert i18n.language() == "en"


def test_the_school_tab_sets_the_schools_language(qtbot, tmp_path, catalogues):
    locations, coordinator, _sam = make_school(tmp_path)
    win = open_window(qtbot, locations)
    win.sign_in(coordinator)
    staff = win.pages["staff"]
    staff.tabs.setCurrentWidget(staff.school)
    tab = staff.school
    tab.language_choice.setCurrentIndex(tab.language_choice.findData("es"))
    assert tab.has_unsaved_changes()
    assert tab.save()
    settled(qtbot)  # written off the UI thread
    assert win.ctx.settings["school.language"] == "es"
    assert i18n.language() == "es"  # the coordinator chose no language of their own
    qtbot.waitUntil(lambda: win.pages["staff"] is not staff)
    assert win.pages["staff"].tabs.currentWidget() is win.pages["staff"].school  # still on the same tab
    assert not win.pages["staff"].school.has_unsaved_changes()


def test_a_language_without_a_catalogue_falls_back_to_english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.set_language("es") == "en"
    assert i18n._("Language") == "Language"


def test_the_command_line_speaks_language_or_the_computers(tmp_path, catalogues, capsys, monkeypatch):
    from app import cli

    assert cli.main(["--language", "es", "--help"]) == 0
    assert capsys.readouterr().out.startswith("uso: peer-trainer")
    monkeypatch.setenv("LANGUAGE", "es_ES.UTF-8")
    assert cli.main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("uso: ")
    assert cli.main(["--language=en", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: ")
    assert cli.main(["--language", "xx", "--help"]) == 2  # not a language we speak: argparse says so
    assert "invalid choice" in capsys.readouterr().err


def test_isolate_keeps_a_name_in_one_piece():
    assert i18n.isolate("Sam 2") == "\u2068Sam 2\u2069"


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft])
def test_the_trainees_reply_sits_on_the_side_where_lines_end(qtbot, direction):
    """On the right in English, on the left in Arabic: the chat's layouts follow the direction."""
    from app.ui.trainee.conversation_view import ConversationView

    QApplication.instance().setLayoutDirection(direction)
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.add_reply("I hear you.", {})
    view.add_feedback("Good listening.", {})
    qtbot.wait(10)
    reply = view.findChild(QWidget, "Reply")
    left = reply.mapTo(view, reply.rect().topLeft()).x()
    right = view.width() - (left + reply.width())
    if direction == Qt.LayoutDirection.RightToLeft:
        assert left < right
        assert "border-right: 4px" in view.styleSheet()
    else:
        assert right < left
        assert "border-left: 4px" in view.styleSheet()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "28 November 2026"),
        ("es", "28 de noviembre de 2026"),
        ("fr", "28 novembre 2026"),
        ("ar", "28 نوفمبر 2026"),
    ],
)
def test_dates_are_written_as_the_language_writes_them(language, expected):  # the shipped catalogues

    from app.modules.certificate_pdf import local_date
    from app.ui.common import local_format

    with i18n.speaking(language):
        assert local_date(date(2026, 11, 28)) == expected
    from app.ui.common.language import apply_language

    apply_language(language)
    assert local_format.long_date(date(2026, 11, 28)) == expected
    assert local_format.number(1234) == {"en": "1,234", "es": "1234", "fr": "1\u202f234", "ar": "1,234"}[language]


ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")  # ٠-٩ and the Persian/Urdu ۰-۹


def widget_texts(root: QWidget) -> list[str]:
    """Every text a widget tree shows: labels, buttons, fields (date and number boxes as written),
    list, table and tree rows, progress bars."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QProgressBar,
        QTreeWidget,
    )

    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit | QAbstractSpinBox | QProgressBar):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTreeWidget):
            for i in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(i)
                texts += [item.text(c) for c in range(widget.columnCount())]
    return texts


@pytest.mark.parametrize("system", ["ar_SA", "ar_MA", "en_US"])
def test_arabic_has_one_digit_style_whatever_the_computer_writes(monkeypatch, system):
    """Qt's "ar" writes ٢٩ (Egypt); the program's sentences, dates and PDFs write 29: Qt follows the program."""
    from app.ui.common import language

    class Computer(QLocale):
        @staticmethod
        def system():
            return QLocale(system)

    monkeypatch.setattr(language, "QLocale", Computer)
    chosen = language.locale_for("ar")
    assert chosen.language() == QLocale.Language.Arabic
    assert chosen.zeroDigit() == "0"
    assert not ARABIC_INDIC.search(chosen.toString(1234567) + chosen.toString(QDate(2026, 11, 29), "d MMMM yyyy"))
    if system == "ar_MA":
        assert chosen.name() == "ar_MA"  # the computer's own Arabic, digits like ours: its date order kept


def test_the_arabic_catalogue_writes_western_digits():  # the shipped one
    from babel.messages.pofile import read_po

    path = Path(i18n.LOCALE_DIR) / "ar" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        assert not any(ARABIC_INDIC.search(text or "") for text in strings), message.id


def test_a_certificate_is_printed_in_the_schools_language_whatever_the_window_speaks(tmp_path, qapp):
    import shutil
    import subprocess
    import unicodedata

    from app.modules import certificates as certs
    from app.modules.certificate_pdf import write_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    data = certs.CertificateData(
        number="PHT-2026-000042",
        trainee_name="ليلى Amal",
        school="Riverside High",
        programme="Peer helpers",
        title="Certificate of completion",
        issued_on=date(2026, 11, 28),
        modules=(("Listening", date(2026, 10, 1)),),
        observed=(),
        signatory_name="Ms Rivera",
        signatory_title="Head teacher",
        key_fingerprint="ab" * 8,
    )
    look = certs.Look(school="Riverside High", programme="Peer helpers", language="es")
    i18n.set_language("fr")
    path = write_pdf(data, "PHT1.code.sig", tmp_path / "c.pdf", look)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "28 de noviembre de 2026" in text
    assert "ليلى" in unicodedata.normalize("NFKC", text)  # the Arabic name drew: a font with its letters was found
    assert i18n.language() == "fr"  # the window's language is untouched


def test_a_certificate_printed_in_spanish_verifies_on_an_english_computer(tmp_path, qapp):
    from dataclasses import replace

    from app.modules import certificates as certs
    from app.modules.certificate_pdf import write_pdf

    data = certs.CertificateData(
        number="PHT-2026-000043",
        trainee_name="Lucía Pérez",
        school="IES Ribera",
        programme="Ayudantes entre iguales",
        title="Certificado",
        issued_on=date(2026, 11, 28),
        modules=(("Escucha activa", date(2026, 10, 1)),),
        observed=(),
        signatory_name="Sra. Rivera",
        signatory_title="Directora",
        key_fingerprint="ab" * 8,
    )
    look = certs.Look(school="IES Ribera", programme="Ayudantes entre iguales", language="es")
    pdf = write_pdf(data, "PHT1.code.sig", tmp_path / "c.pdf", look).read_bytes()
    i18n.set_language("en")
    assert certs.printed_text_problem(pdf, data) is None
    problem = certs.printed_text_problem(pdf, replace(data, trainee_name="Someone Else"))
    assert problem and "not the signed name" in problem  # said in the reader's language, English here


def test_a_date_field_made_before_the_language_was_applied_writes_months_in_it(qapp):
    """A window made first keeps the locale it was made with and hands it to its children, unless told."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit, QVBoxLayout

    from app.ui.common.language import apply_language

    apply_language("en")
    window = QWidget()
    field = QDateEdit(QDate(2026, 11, 29))
    field.setDisplayFormat("d MMM yyyy")
    QVBoxLayout(window).addWidget(field)
    try:
        apply_language("es")
        assert field.text() == "29 nov 2026"
    finally:
        apply_language("en")
        window.deleteLater()
