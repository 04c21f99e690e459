"""Every screen at 1280×800 and 1024×600, at 100 % and 200 % text: no text is cut off, and every
control can be reached (on screen, or inside a scroll area that scrolls to it). Tables with rows
show at least one of them, so the dashboard's chart can never take all the height."""

from __future__ import annotations

import pytest
from a11y_helpers import clipped, describe, is_interactive
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QLabel, QScrollArea, QWidget
from test_accessibility import (  # noqa: F401 - fixtures and the walks shared with the accessibility tests
    STAFF_TABS,
    look,
    school,
    settle,
    staff_tab,
    trainee_screens,
)
from test_accessibility import open_window as _open_window

from app.ui.common import theme

SIZES = [(1280, 800), (1024, 600)]
SCALES = [1.0, 2.0]


def _visible_rect(widget: QWidget, stop: QWidget) -> QRect:
    """The part of `widget` (in its own coordinates) not cut off by any parent up to `stop`."""
    rect = widget.rect()
    w = widget
    while w is not None and w is not stop and w.parentWidget() is not None:
        parent = w.parentWidget()
        rect = rect.translated(w.pos()).intersected(parent.rect())
        w = parent
        if rect.isEmpty():
            return QRect()
    return rect


def _scroll_parent(widget: QWidget, stop: QWidget) -> QAbstractScrollArea | None:
    w = widget.parentWidget()
    while w is not None and w is not stop:
        if isinstance(w, QAbstractScrollArea) and w.viewport().isAncestorOf(widget):
            return w
        w = w.parentWidget()
    return None


def unreachable(root: QWidget) -> list[str]:
    """Controls that are shown but cut off with no scroll area to bring them into view, and tables
    with rows that show none of them."""
    out = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not is_interactive(widget) or not widget.isVisible() or widget.width() <= 1:
            continue
        seen = _visible_rect(widget, root.window())
        whole = widget.rect().translated(widget.mapTo(root.window(), QPoint(0, 0)))
        if seen.height() < min(widget.height(), 12) or seen.width() < min(widget.width(), 12):
            area = _scroll_parent(widget, root.window())
            if area is None or not isinstance(area, QScrollArea):
                out.append(f"{describe(widget)} at {whole.getRect()}: cut off, and nothing scrolls to it")
            elif _visible_rect(area.viewport(), root.window()).height() < 24:
                out.append(f"{describe(widget)}: its scroll area has no room on screen")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None and widget.model().rowCount() > 0:
            row_height = max(widget.sizeHintForRow(0), 16)
            if widget.viewport().height() < row_height:
                out.append(
                    f"{describe(widget)}: shows no row ({widget.viewport().height()}px high, a row needs {row_height})"
                )
    return out


def open_window(qtbot, qapp, locations, scale: float):
    """As the program starts: its look applied first (application.py), then the window."""
    theme.apply(qapp, scale, theme.resolve(theme.SYSTEM))
    return _open_window(qtbot, locations, scale=scale)


def cut_short(root: QWidget) -> list[str]:
    """One-line labels (badges, titles) less high than their text, and pages that scroll sideways
    (text cut at the right edge until the reader scrolls across)."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() and widget.pixmap().isNull():
            needed = widget.fontMetrics().height()
            if needed > widget.height() + 1:
                out.append(f"{describe(widget)}: text {needed}px high, label {widget.height()}px")
        if isinstance(widget, QScrollArea) and widget.widget() is not None:
            inner, room = widget.widget().width(), widget.viewport().width()
            if inner > room + 1:  # a scroll bar to scroll across, or (without one) text cut at the right
                out.append(f"{describe(widget)}: wider than the window ({inner} wide in {room})")
    return out


def check(win, name: str, root: QWidget, problems: dict) -> None:
    found = clipped(root) + unreachable(root) + cut_short(root)
    if found:
        problems[name] = found


@pytest.mark.parametrize("scale", SCALES, ids=["100%", "200%"])
@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1024x600"])
def test_every_trainee_screen_fits(qtbot, qapp, school, look, size, scale):  # noqa: F811
    locations, _demo = school
    win = open_window(qtbot, qapp, locations, scale)
    win.resize(*size)
    problems: dict = {}
    for name, root in trainee_screens(win, qapp):
        if root is win:
            win.resize(*size)
            settle(qapp)
        check(win, name, root, problems)
    assert win.width() <= size[0] and win.height() <= size[1], f"the window cannot be {size}: {win.size()}"
    assert not problems, f"at {size} and {round(scale * 100)} % text: {problems}"


@pytest.mark.parametrize("scale", SCALES, ids=["100%", "200%"])
@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1024x600"])
def test_every_staff_tab_fits(qtbot, qapp, school, look, size, scale):  # noqa: F811
    locations, demo = school
    win = open_window(qtbot, qapp, locations, scale)
    win.resize(*size)
    problems: dict = {}
    for tab in STAFF_TABS:
        if not staff_tab(win, qapp, demo.coordinator_id, tab):
            continue
        win.resize(*size)
        settle(qapp, 40)
        check(win, tab, win, problems)
    assert win.width() <= size[0] and win.height() <= size[1], f"the window cannot be {size}: {win.size()}"
    assert not problems, f"at {size} and {round(scale * 100)} % text: {problems}"


@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1024x600"])
def test_a_role_play_with_its_choices_and_an_answered_check_fit_at_200_percent(qtbot, qapp, school, look, size):  # noqa: F811
    from a11y_helpers import meant_to_show  # noqa: F401

    from app.modules.records import profile_store
    from app.ui.common import tasks

    locations, _demo = school
    win = open_window(qtbot, qapp, locations, 2.0)
    win.resize(*size)
    trainee = next(p for p in profile_store.list_profiles(win.ctx.db) if p.display_name == "Amara Okafor")
    win.sign_in(trainee)
    if getattr(win, "tour", None) is not None:
        win.tour.reject()
    module = win.ctx.program.modules[1]
    win.open_scenario(win.ctx.content.module_scenarios(module.id)[0].id)
    page = win.pages["scenario"]
    page.start()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the attempt is recorded on a worker first
    settle(qapp, 40)
    problems: dict = {}
    check(win, "role-play, choices", win, problems)
    badges = [b.badge for b in page.view.choice_buttons if b.isVisible()]
    assert badges and all(b.height() >= b.fontMetrics().height() for b in badges)
    page.leave()
    # After answering, "Next question" is in view (scrolled to), not below the window's edge.
    lesson = next(l for l in win.ctx.content.module_lessons(module.id) if l.has_check)
    win.open_check(module.id, lesson.id)
    quiz = win.pages["quiz"]
    quiz.option_buttons[0].setChecked(True)
    quiz.action.click()
    settle(qapp, 40)
    viewport = quiz.scroll_area.viewport()
    top = quiz.action.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top and top + quiz.action.height() <= viewport.height()
    check(win, "knowledge check, answered", win, problems)
    assert not problems, problems
