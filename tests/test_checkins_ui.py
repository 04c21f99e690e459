"""Check-ins in the window: a certified helper logs one in a few clicks; staff see who wants to
talk and mark the debrief done.

Set PEER_TRAINER_SHOTS=<folder> to save the screens at 1280x800, 1024x600 and 200 % text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_refreshers_ui import _big_shot, _helper, _shot
from waiting import settled

from app.modules.records import preference_store, profile_store


def test_a_helper_logs_a_check_in_and_staff_mark_the_debrief_done(qtbot, locations, monkeypatch):
    from app.ui.staff.staff_home import StaffHomePage
    from app.ui.trainee import checkin_dialog

    win, helper = _helper(qtbot, locations)
    home = win.stack.currentWidget()
    assert home.checkin_button.isVisible()
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(home.checkin_button, Qt.MouseButton.LeftButton)
    dialog = opened[0]
    assert isinstance(dialog, checkin_dialog.CheckInDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "never asks who you helped" in dialog.why.text()
    assert not dialog.save_button.isEnabled()
    dialog.kind.button(2).setChecked(True)
    dialog.adult.button(1).setChecked(True)
    dialog.weight.button(4).setChecked(True)
    dialog.talk.setChecked(True)
    assert dialog.save_button.isEnabled()
    _shot(dialog, "checkin-dialog")
    _big_shot(qtbot, dialog, "checkin-dialog-200-percent")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10000)
    assert dialog.saved.kind == "referral" and dialog.saved.weight == 4 and dialog.saved.wants_debrief

    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    win.sign_in(profile_store.get_profile(win.ctx.db, coord.id))
    page = StaffHomePage(win.ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.refresh()
    names = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    page.tabs.setCurrentIndex(names.index("Check-ins"))
    tab = page.supervision
    settled(qtbot)  # old check-ins folded into counts, then the week read: off the UI thread
    assert tab.summary.text() == "1 waiting to talk; 1 had a heavy week."
    assert [tab.table.item(0, c).text() for c in range(4)] == ["Mei Chen", "1", "4 — a heavy week", "Yes"]
    _shot(page, "checkin-supervision-1280x800")
    page.resize(1024, 600)
    qtbot.wait(50)
    _shot(page, "checkin-supervision-1024x600")
    _big_shot(qtbot, page, "checkin-supervision-200-percent")
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert not tab.done_button.isEnabled()  # at once, until written
    settled(qtbot)
    assert tab.result.text() == "Debrief marked done for Mei Chen."
    assert tab.table.item(0, 3).text() == "No" and not tab.done_button.isEnabled()
    assert helper.id == tab._rows[0].profile_id


def test_the_programme_report_button_saves_a_pdf(qtbot, locations, tmp_path):
    from app.ui.staff.staff_home import StaffHomePage

    win, _helper_profile = _helper(qtbot, locations)
    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    win.sign_in(profile_store.get_profile(win.ctx.db, coord.id))
    page = StaffHomePage(win.ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.refresh()
    out = tmp_path / "report.pdf"
    page.save_report(out)
    qtbot.waitUntil(lambda: page.report_button.isEnabled(), timeout=20000)
    assert out.exists() and page.report_note.text() == "Report saved: report.pdf"
    _shot(page, "report-button-1280x800")


def test_a_helper_agrees_to_be_on_the_list_only_when_the_school_has_one(qtbot, locations):
    from app.modules.school_settings import RECOGNITION_CONSENT, RECOGNITION_KEY

    win, helper = _helper(qtbot, locations)
    home = win.stack.currentWidget()
    assert home.recognition_box.isHidden()
    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    from app.modules.records import settings_store

    settings_store.set_setting(win.ctx.db, RECOGNITION_KEY, "consented", actor_id=coord.id)
    win.ctx.reload_settings()
    home.refresh()
    assert not home.recognition_box.isHidden() and not home.recognition_box.isChecked()
    home.recognition_box.click()
    settled(qtbot)  # a preference, kept off the UI thread
    assert preference_store.get_preferences(win.ctx.db, helper.id)[RECOGNITION_CONSENT] is True
    win.resize(1024, 600)
    qtbot.wait(50)
    _shot(win, "recognition-home-1024x600")
