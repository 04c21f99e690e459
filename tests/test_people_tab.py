"""The People tab: a coordinator fixes a name, moves a trainee to another class, archives a
trainer who has left, gives a new PIN, and makes the school's recovery code."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from records_helpers import set_up_school
from waiting import settled

from app.modules.content import load_content
from app.modules.records import profile_store, sign_in_throttle
from app.ui.common.context import AppContext
from app.ui.staff.people_tab import EditPersonDialog, PeopleTab


@pytest.fixture
def tab(qtbot, db, locations):
    coord, _trainer = set_up_school(db)
    profile_store.create_profile(db, "Ana Lpoez", profile_store.TRAINEE, group="9A", actor_id=coord.id)
    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(coord)
    page = PeopleTab(ctx)
    qtbot.addWidget(page)
    page.refresh()
    return page


def _select(tab, name):
    for r in range(tab.table.rowCount()):
        if tab.table.cell(r, 0) == name:
            tab.table.selectRow(r)
            return tab.selected_id()
    raise AssertionError(name)


def test_a_name_and_class_are_fixed_and_someone_archived(tab, qtbot, db):
    pid = _select(tab, "Ana Lpoez")
    dlg = EditPersonDialog(tab.ctx, tab.ctx.training.people.get(pid), tab)
    qtbot.addWidget(dlg)
    dlg.name.setText("Ana Lopez")
    dlg.group.setText("9B")
    assert dlg.save()
    assert not dlg.save_button.isEnabled()  # disabled at once, until written
    settled(qtbot)
    assert "Ana Lopez, 9B" in dlg.message.text()
    ana = profile_store.get_profile(db, pid)
    assert (ana.display_name, ana.group_name) == ("Ana Lopez", "9B")
    dlg.name.setText("")
    dlg.save()
    settled(qtbot)
    assert "empty" in dlg.error.text() and dlg.name.text() == "" and dlg.save_button.isEnabled()
    trainer = _select(tab, "Mr Okafor")
    leaver = EditPersonDialog(tab.ctx, tab.ctx.training.people.get(trainer), tab)
    qtbot.addWidget(leaver)
    leaver._archive()
    settled(qtbot)
    assert profile_store.get_profile(db, trainer).archived and "archived" in leaver.message.text()
    tab.refresh()
    assert "Mr Okafor" not in [tab.table.cell(r, 0) for r in range(tab.table.rowCount())]
    tab.show_archived.setChecked(True)
    assert "Mr Okafor" in [tab.table.cell(r, 0) for r in range(tab.table.rowCount())]


def test_a_new_pin_is_shown_once_and_works(tab, qtbot, db):
    pid = _select(tab, "Ana Lpoez")
    dlg = EditPersonDialog(tab.ctx, tab.ctx.training.people.get(pid), tab)
    qtbot.addWidget(dlg)
    dlg._reset()
    qtbot.waitUntil(lambda: dlg.message.isVisibleTo(dlg), timeout=10000)
    pin = dlg.message.text().split(": ")[1].split(".")[0]
    assert pin.isdigit() and sign_in_throttle.verify_secret(db, pid, pin).ok


def test_the_recovery_code_is_made_from_the_tab(tab, qtbot, monkeypatch):
    assert tab.recovery_button.text() == "Make a recovery code…" and "none yet" in tab.recovery_button.toolTip()
    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    tab._new_recovery_code()
    settled(qtbot)
    assert shown and len(shown[0].split()[0]) == 24  # five groups of four, with dashes
    assert tab.recovery_button.text() == "Replace the recovery code…"
