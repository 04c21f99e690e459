"""Refreshers in the window: a certified helper sees what is due on their home page, starts, and
answers; each answer is recorded as it is given. A helper without a certificate sees nothing new.

Set PEER_TRAINER_SHOTS=<folder> to save the screens at 1280x800, 1024x600 and 200 % text.
"""

from __future__ import annotations

import os
from pathlib import Path

from after_certificate_school import right_answer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select
from test_ui_foundation import open_window, setup_school

from app.modules.records import certificate_store, profile_store
from app.modules.records.models import RefresherReview
from app.modules.scenario.text import plain

SHOTS = os.environ.get("PEER_TRAINER_SHOTS")


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _big_shot(qtbot, widget, name: str, before=None) -> None:
    """The widget at 200 % text in the program's own look, then the untouched look back."""
    if not SHOTS:
        return
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from app.ui.common import theme

    app = QApplication.instance()
    saved = (app.styleSheet(), QFont(app.font()), app.palette(), theme._current)
    try:
        theme.apply(app, 2.0, theme.LIGHT)
        if before is not None:
            before()
        qtbot.wait(100)
        _shot(widget, name)
    finally:
        app.setStyleSheet(saved[0])
        app.setFont(saved[1])
        app.setPalette(saved[2])
        theme._current = saved[3]


def _helper(qtbot, locations, certified: bool = True):
    win = open_window(qtbot, locations)
    setup_school(qtbot, win)
    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    helper = profile_store.create_profile(win.ctx.db, "Mei Chen", "trainee", actor_id=coord.id)
    if certified:
        certificate_store.issue(win.ctx.db, helper.id, "Mei Chen", coord.id, lambda n, at: ({"n": n}, "c2ln"))
    win.sign_in(profile_store.get_profile(win.ctx.db, helper.id))
    return win, helper


def _reviews(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(RefresherReview))


def test_a_helper_without_a_certificate_sees_no_refreshers(qtbot, locations):
    win, _helper_profile = _helper(qtbot, locations, certified=False)
    home = win.stack.currentWidget()
    assert home.refresher_strip.isHidden()


def test_a_certified_helper_answers_the_refreshers_due(qtbot, locations, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from app.ui.trainee import refresher_dialog

    win, _helper_profile = _helper(qtbot, locations)
    home = win.stack.currentWidget()
    assert not home.refresher_strip.isHidden()
    assert "refresher questions are due" in home.refresher_text.text()
    for size, name in (((1280, 800), "home-1280x800"), ((1024, 600), "home-1024x600")):
        win.resize(*size)
        qtbot.wait(50)
        _shot(win, f"refreshers-{name}")

    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(home.refresher_button, Qt.MouseButton.LeftButton)
    dialog = opened[0]
    assert isinstance(dialog, refresher_dialog.RefresherDialog)
    dialog.show()
    qtbot.addWidget(dialog)
    _shot(dialog, "refreshers-question")
    assert not dialog.action.isEnabled()  # nothing chosen yet
    item, _due = dialog.queue[0]
    right = right_answer(item)
    for i in right:
        dialog.option_buttons[i].setChecked(True)
    qtbot.mouseClick(dialog.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.action.text().startswith("Next"), timeout=10000)
    assert _reviews(win.ctx.db) == 1 and dialog.right == 1
    qtbot.wait(50)  # labels added to a shown layout appear on the next turn of the event loop
    assert dialog.verdict.isVisible()
    _shot(dialog, "refreshers-feedback")
    remaining = win.ctx.training.refreshers.due_count()
    assert item.key not in [i.key for i, _d in win.ctx.training.refreshers.due(limit=None)]
    dialog.close()
    home.refresh()
    assert f"{remaining} refresher questions are due" in home.refresher_text.text()
    assert remaining == 9  # ten new this week, one answered

    win.resize(1280, 800)
    _big_shot(qtbot, win, "refreshers-home-200-percent", before=win.go_home)
    big = refresher_dialog.RefresherDialog(win.ctx, win)
    qtbot.addWidget(big)
    big.show()
    _big_shot(qtbot, big, "refreshers-question-200-percent")
    big.close()


def test_the_coordinator_sees_whether_a_helper_keeps_up(qtbot, locations):
    from app.modules import refreshers
    from app.ui.staff.trainee_detail import TraineeDetailDialog

    win, helper = _helper(qtbot, locations)
    training = win.ctx.training
    for item, _due in training.refreshers.due(limit=4):
        training.refreshers.answer(item.key, right_answer(item))
    coord = next(p for p in profile_store.list_profiles(win.ctx.db) if p.role == "coordinator")
    win.sign_in(profile_store.get_profile(win.ctx.db, coord.id))
    summary = next(s for s in win.ctx.training.certificates.cohort() if s.id == helper.id)
    dlg = TraineeDetailDialog(win.ctx, summary, win)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait(50)
    text = dlg.refreshers.text()
    assert text == "Refreshers: 4 questions answered in the last four weeks, 6 due now."
    assert refreshers.QUEUE_LIMIT == 10
    _shot(dlg, "refreshers-trainee-detail")
    _big_shot(qtbot, dlg, "refreshers-trainee-detail-200-percent")


def test_a_role_play_moment_shows_as_the_role_play_does_and_is_recorded(qtbot, locations):
    from app.modules.refreshers import Moment
    from app.ui.trainee import refresher_dialog

    win, _helper_profile = _helper(qtbot, locations)
    training = win.ctx.training
    for item, _due in training.refreshers.due()[:2]:  # two questions first, then a moment
        training.refreshers.answer(item.key, right_answer(item))
    dialog = refresher_dialog.RefresherDialog(win.ctx, win)
    qtbot.addWidget(dialog)
    dialog.show()
    moment, _due = dialog.queue[0]
    assert isinstance(moment, Moment)
    view = dialog.conversation
    assert view.isVisible() and not dialog.question_area.isVisible() and not dialog.action.isVisible()
    assert "a moment from the role-play" in dialog.moment_header.text()
    assert [b.text_shown() for b in view.choice_buttons] == [plain(c.text, dialog.filled) for c in moment.choices]
    _shot(dialog, "refreshers-moment")
    _big_shot(qtbot, dialog, "refreshers-moment-200-percent")
    worse = next(i for i in range(len(moment.choices)) if i not in moment.best)
    before = _reviews(win.ctx.db)
    qtbot.mouseClick(view.choice_buttons[worse], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.moment_verdict is not None, timeout=10000)
    assert _reviews(win.ctx.db) == before + 1 and dialog.right == 0
    assert "better reply" in dialog.moment_verdict
    qtbot.waitUntil(view.continue_button.isVisible, timeout=5000)
    texts = " ".join(lbl.text() for lbl in view.findChildren(QLabel))
    assert "A better reply" in texts
    _shot(dialog, "refreshers-moment-feedback")
    qtbot.mouseClick(view.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.index == 1 and dialog.question_area.isVisible() and not view.isVisible()
    assert dialog.action.isVisible() and not dialog.action.isEnabled()
    with win.ctx.db.session() as s:
        row = s.scalars(select(RefresherReview).where(RefresherReview.item_key == moment.key)).one()
        assert not row.correct and row.rating == 1
