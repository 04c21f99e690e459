"""School settings never lose an edit: leaving the page (another tab, Home, Switch profile,
closing the window) with unsaved changes asks to save, discard or keep editing; showing the
page again keeps what was typed; the Save bar stays in view above the long form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QScrollArea
from waiting import settled

from app.modules.records import school_setup
from app.modules.records.database import Database
from app.paths import resolve_locations
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.staff import school_tab

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture
def window(qtbot, tmp_path):
    locations = resolve_locations(data_dir=tmp_path / "data", content_dir=CONTENT, database_url="")
    db = Database.open(locations)
    coordinator = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Riverside High")
    db.close()
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    win.sign_in(coordinator)
    return win  # each test leaves the page saved or discarded: pytest-qt closes the window after it


class Answers:
    """Stands in for the question box: answers in order, and remembers it was asked."""

    def __init__(self, monkeypatch, *answers):
        self.answers = list(answers)
        self.asked = 0
        monkeypatch.setattr(school_tab, "ask_about_unsaved", self)

    def __call__(self, _parent):
        self.asked += 1
        return self.answers.pop(0)


def open_settings(win):
    staff = win.pages["staff"]
    staff.tabs.setCurrentWidget(staff.school)
    return staff, staff.school


def test_switching_tabs_asks_and_keeping_editing_keeps_the_text(window, monkeypatch, qtbot):
    staff, tab = open_settings(window)
    tab.fields["programme.name"].setText("Buddies at Riverside")
    assert tab.has_unsaved_changes() and tab.undo_button.isEnabled()
    assert "unsaved" in tab.saved.text()
    answers = Answers(monkeypatch, school_tab.STAY, school_tab.SAVE)
    staff.tabs.setCurrentWidget(staff.progress)
    assert answers.asked == 1 and staff.tabs.currentWidget() is tab
    assert tab.fields["programme.name"].text() == "Buddies at Riverside"
    staff.tabs.setCurrentWidget(staff.progress)  # this time: save
    assert staff.tabs.currentWidget() is staff.progress
    settled(qtbot)  # written off the UI thread
    assert window.ctx.settings["programme.name"] == "Buddies at Riverside"
    staff.tabs.setCurrentWidget(tab)
    assert tab.fields["programme.name"].text() == "Buddies at Riverside" and not tab.has_unsaved_changes()


def test_showing_the_page_again_never_overwrites_unsaved_edits(window):
    _staff, tab = open_settings(window)
    tab.fields["school.crisis_line"].setText("Teen Line 0800 123 456")
    tab.refresh()
    assert tab.fields["school.crisis_line"].text() == "Teen Line 0800 123 456"
    tab.discard()


def test_closing_the_window_with_a_new_logo_asks_first(window, monkeypatch, tmp_path):
    _staff, tab = open_settings(window)
    logo = tmp_path / "crest.png"
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#7b2d8e"))
    image.save(str(logo))
    tab.use_logo(logo)
    assert tab.has_unsaved_changes()
    answers = Answers(monkeypatch, school_tab.STAY, school_tab.SAVE)
    assert not window.close()  # kept open: the coordinator is still editing
    assert window.isVisible() and answers.asked == 1
    assert window.close()
    assert window.ctx.settings.get("school.logo") == "branding/school-logo.png"


def test_switch_profile_and_home_ask_too_and_discard_puts_back_the_saved_settings(window, monkeypatch):
    staff, tab = open_settings(window)
    tab.fields["school.counsellor"].setText("Mr Typo")
    answers = Answers(monkeypatch, school_tab.STAY, school_tab.DISCARD)
    window.home_button.click()
    assert answers.asked == 1 and staff.tabs.currentWidget() is tab
    window.switch_profile()
    assert window.stack.currentWidget() is window.pages["picker"]
    assert not window.ctx.settings.get("school.counsellor")
    assert tab.fields["school.counsellor"].text() == "" and not tab.has_unsaved_changes()


def test_nothing_is_asked_without_changes_and_undo_puts_back(window, monkeypatch):
    staff, tab = open_settings(window)
    answers = Answers(monkeypatch)
    tab.fields["school.office"].setText("Main office")
    tab.undo_button.click()
    assert tab.fields["school.office"].text() == "" and not tab.undo_button.isEnabled()
    staff.tabs.setCurrentWidget(staff.progress)
    assert answers.asked == 0 and staff.tabs.currentWidget() is staff.progress


def test_the_save_button_is_above_the_form_not_at_its_bottom(window):
    _staff, tab = open_settings(window)
    parent = tab.save_button.parentWidget()
    while parent is not None and parent is not tab:
        assert not isinstance(parent, QScrollArea), "Save settings scrolls away with the form"
        parent = parent.parentWidget()
    form_top = tab.fields["school.name"].mapTo(tab, tab.fields["school.name"].rect().topLeft()).y()
    assert tab.save_button.mapTo(tab, tab.save_button.rect().topLeft()).y() < form_top
