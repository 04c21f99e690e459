"""Accessibility, driven through the real program on a sample school (app.modules.demo_school):

- every interactive control on every screen has a name a screen reader can announce
  (the rule is in a11y_helpers: Qt's accessible name, with a letter or digit in it);
- no text is cut off at 200 % text size;
- the keyboard reaches every control in reading order, and the focused one is visibly marked;
- the Display choices apply live, are kept per profile, and "like the computer" follows dark mode;
- a trainee's first start shows the short tour, once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y_helpers import clipped, is_interactive, meant_to_show, unnamed
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QListWidget, QWidget

from app.modules.content import load_content
from app.modules.demo_school import build
from app.modules.records import preference_store, profile_store
from app.modules.records.database import Database
from app.paths import resolve_locations
from app.ui.common import theme
from app.ui.common.context import AppContext
from app.ui.common.display_dialog import DisplayDialog
from app.ui.main_window import MainWindow
from app.ui.start.profile_picker import SecretDialog
from app.ui.start.tour import TOUR_DONE, GuidedTour

CONTENT = Path(__file__).resolve().parent.parent / "content"
STAFF_TABS = ["Dashboard", "People", "Certificates", "School settings", "Records", "Sign-off", "Check-ins", "Content"]
# Screens of work still in progress that do not yet fit 200 % text; remove an entry once it does.
KNOWN_CLIPPED_AT_200: dict[str, str] = {}  # tab name -> why


@pytest.fixture(scope="module")
def school(tmp_path_factory, qapp, seeded_once):
    """A sample school in a throwaway folder (SQLite), for this module (built once per run, copied)."""
    locations = resolve_locations(
        data_dir=tmp_path_factory.mktemp("a11y") / "data", content_dir=CONTENT, database_url=""
    )
    db = Database.open(locations)
    demo = seeded_once.into(db, "demo_school.build", lambda fresh: build(fresh, load_content(CONTENT)))
    db.close()
    return locations, demo


@pytest.fixture
def look(qapp):
    """Give the program back its untouched look after a test that changes text size or theme."""
    saved = (qapp.styleSheet(), QFont(qapp.font()), qapp.palette(), qapp.style().name())
    yield
    sheet, font, palette, style = saved
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    theme._current = None


def settle(qapp, rounds: int = 20) -> None:
    from PySide6.QtCore import QThreadPool

    for _ in range(rounds):
        QThreadPool.globalInstance().waitForDone(5000)  # work on workers (a lesson being rendered)
        qapp.processEvents()


def open_window(qtbot, locations, scale: float = 1.0, choice: str = theme.SYSTEM) -> MainWindow:
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start(background=False)
    if scale != 1.0 or choice != theme.SYSTEM:
        win.display.signed_out = lambda: win.display.set(scale, choice, save=False)  # the picker too
    win.display.signed_out()
    return win


def sign_in(win, profile_id: str, close_tour: bool = True) -> None:
    win.sign_in(profile_store.get_profile(win.ctx.db, profile_id))
    tour = getattr(win, "tour", None)
    if close_tour and tour is not None and tour.isVisible():
        tour.reject()


def trainee_screens(win, qapp):
    """(name, widget to walk) for each screen a trainee sees, shown one after the other."""
    settle(qapp)
    yield "profile picker", win
    demo_trainee = next(p for p in profile_store.list_profiles(win.ctx.db) if p.display_name == "Amara Okafor")
    sign_in(win, demo_trainee.id)
    home = win.pages["trainee"]
    for row in range(home.modules.count()):
        home.modules.setCurrentRow(row)
        settle(qapp)
        yield f"trainee home, module {row + 1}", win
    module = win.ctx.program.modules[1]
    lesson = next(l for l in win.ctx.content.module_lessons(module.id) if l.has_check)
    win.open_lesson(module.id, lesson.id)
    settle(qapp)
    yield "lesson", win
    win.open_check(module.id, lesson.id)
    settle(qapp)
    yield "knowledge check", win
    quiz = win.pages["quiz"]
    quiz.option_buttons[0].setChecked(True)
    quiz.action.click()
    settle(qapp)
    yield "knowledge check, answered", win
    if hasattr(win, "open_scenario"):
        win.open_scenario(win.ctx.content.module_scenarios(module.id)[0].id)
        settle(qapp)
        yield "role-play", win
    dialog = DisplayDialog(win.display, win)
    dialog.show()
    settle(qapp)
    yield "display dialog", dialog
    dialog.close()
    tour = GuidedTour(win.ctx, win)
    tour.show()
    settle(qapp)
    yield "first-start tour", tour
    tour.close()


def staff_tab(win, qapp, profile_id: str, tab: str) -> bool:
    sign_in(win, profile_id)
    staff = win.pages["staff"]
    names = [staff.tabs.tabText(i).split(" (")[0] for i in range(staff.tabs.count())]
    if tab not in names:
        return False
    staff.tabs.setCurrentIndex(names.index(tab))
    settle(qapp, 40)
    return True


# --- names ---------------------------------------------------------------------------------------


def test_every_control_a_trainee_meets_has_a_name(qtbot, qapp, school):
    locations, _demo = school
    win = open_window(qtbot, locations)
    problems = {name: unnamed(root) for name, root in trainee_screens(win, qapp)}
    secret = SecretDialog(win.ctx, profile_store.get_profile(win.ctx.db, _demo.coordinator_id), win)
    qtbot.addWidget(secret)
    problems["password dialog"] = unnamed(secret)
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"controls without an accessible name: {problems}"


@pytest.mark.parametrize("who", ["coordinator", "trainer"])
def test_every_control_on_the_staff_screens_has_a_name(qtbot, qapp, school, who):
    locations, demo = school
    win = open_window(qtbot, locations)
    profile_id = demo.coordinator_id if who == "coordinator" else demo.trainer_id
    problems = {}
    for tab in STAFF_TABS:
        if staff_tab(win, qapp, profile_id, tab):
            problems[tab] = unnamed(win)
    assert problems, "no staff tab could be opened"
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"controls without an accessible name: {problems}"


def test_the_first_start_screen_names_its_fields(qtbot, tmp_path):
    win = open_window(qtbot, resolve_locations(data_dir=tmp_path / "new", content_dir=CONTENT, database_url=""))
    assert win.stack.currentWidget() is win.pages["setup"]
    assert unnamed(win) == []


def test_the_walk_finds_unnamed_controls(qtbot):
    """The rule itself: symbol-only buttons and fields with no label are caught; a buddy label names a field."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout

    box = QWidget()
    qtbot.addWidget(box)
    lay = QVBoxLayout(box)
    close, save, bare, labelled = QPushButton("✕"), QPushButton("&Save"), QLineEdit(), QLineEdit()
    label = QLabel("Name")
    label.setBuddy(labelled)
    for widget in (close, save, bare, label, labelled):
        lay.addWidget(widget)
    box.show()
    found = unnamed(box)
    assert len(found) == 2 and "✕" in found[0] and found[1].startswith("QLineEdit")
    close.setAccessibleName("Close")
    bare.setAccessibleName("Search")
    assert unnamed(box) == []


# --- 200 % text --------------------------------------------------------------------------------


def test_nothing_a_trainee_sees_is_cut_off_at_200_percent(qtbot, qapp, school, look):
    locations, _demo = school
    win = open_window(qtbot, locations, scale=2.0)
    assert QApplication.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2)
    problems = {name: clipped(root) for name, root in trainee_screens(win, qapp)}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"text cut off at 200 %: {problems}"


@pytest.mark.parametrize("tab", STAFF_TABS)
def test_no_staff_tab_is_cut_off_at_200_percent(qtbot, qapp, school, look, tab):
    locations, demo = school
    if tab in KNOWN_CLIPPED_AT_200:
        pytest.xfail(KNOWN_CLIPPED_AT_200[tab])
    win = open_window(qtbot, locations, scale=2.0)
    assert staff_tab(win, qapp, demo.coordinator_id, tab), f"the coordinator's home has no {tab} tab"
    assert clipped(win) == []


# --- keyboard ------------------------------------------------------------------------------------


def make_active(qtbot, window: QWidget) -> None:
    """Make `window` the active window, whatever ran before: Qt gives keyboard focus (and draws the
    focus frame) only in the active window, and a test run alone or first has none."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def tab_cycle(qtbot, qapp, start: QWidget, limit: int = 120) -> list[QWidget]:
    """The widgets Tab visits from `start` until it comes back round."""
    make_active(qtbot, start.window())
    start.setFocus(Qt.FocusReason.TabFocusReason)
    settle(qapp)
    seen = [QApplication.focusWidget()]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        settle(qapp, 3)
        focused = QApplication.focusWidget()
        if focused is seen[0]:
            break
        seen.append(focused)
    return seen


def reachable(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if is_interactive(w)
        and w.isVisible()
        and w.isEnabled()
        and meant_to_show(w, root)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def test_tab_reaches_every_control_of_the_trainee_home_in_reading_order(qtbot, qapp, school):
    locations, demo = school
    win = open_window(qtbot, locations)
    sign_in(win, demo.trainees["Amara Okafor"])
    home = win.pages["trainee"]
    home.modules.setCurrentRow(1)
    settle(qapp)
    cycle = tab_cycle(qtbot, qapp, win.display_button)
    missing = [w for w in reachable(win) if w not in cycle and not isinstance(w.parentWidget(), QListWidget)]
    assert not missing, [getattr(w, "text", lambda w=w: type(w).__name__)() for w in missing]
    # Reading order: the top bar, then the module list, then the module's buttons top to bottom.
    assert cycle[0] is win.display_button and cycle.index(win.home_button) < cycle.index(home.modules)
    buttons = [w for w in cycle if isinstance(w, QAbstractButton) and home.detail_holder.isAncestorOf(w)]
    assert len(buttons) >= 4
    places = [w.mapTo(home.detail_holder, w.rect().topLeft()) for w in buttons]
    assert [(p.y(), p.x()) for p in places] == sorted((p.y(), p.x()) for p in places)


def test_tab_reaches_every_control_of_the_lesson_page(qtbot, qapp, school):
    locations, demo = school
    win = open_window(qtbot, locations)
    sign_in(win, demo.trainees["Amara Okafor"])
    module = win.ctx.program.modules[1]
    win.open_lesson(module.id, win.ctx.content.module_lessons(module.id)[1].id)
    settle(qapp)
    page = win.pages["lesson"]
    cycle = tab_cycle(qtbot, qapp, page.back_button)
    for control in (page.back_button, page.speed, page.browser, page.prev_button, page.check_button, page.next_button):
        if control.isEnabled():
            assert control in cycle, control.accessibleName()
    assert cycle.index(page.back_button) < cycle.index(page.browser) < cycle.index(page.check_button)
    # Escape goes back to the module, from the keyboard alone.
    qtbot.keyClick(page.browser, Qt.Key.Key_Escape)
    assert win.stack.currentWidget() is win.pages["trainee"]


def focus_pixels(widget: QWidget, colour: str) -> int:
    image = widget.grab().toImage()
    want = QColor(colour)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if abs(QColor(image.pixel(x, y)).red() - want.red()) < 24
        and abs(QColor(image.pixel(x, y)).green() - want.green()) < 24
        and abs(QColor(image.pixel(x, y)).blue() - want.blue()) < 24
    )


@pytest.mark.parametrize("choice", ["light", "dark", "high_contrast"])
def test_the_focused_control_is_visibly_marked(qtbot, qapp, school, look, choice):
    locations, demo = school
    win = open_window(qtbot, locations, choice=choice)
    sign_in(win, demo.trainees["Amara Okafor"])
    theme.apply(qapp, 1.0, theme.THEMES[choice])
    ring = theme.THEMES[choice].focus
    make_active(qtbot, win)
    button = win.home_button
    win.switch_button.setFocus()
    settle(qapp)
    before = focus_pixels(button, ring)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    settle(qapp)
    after = focus_pixels(button, ring)
    assert after > before + 2 * (button.width() + button.height()), (before, after)


# --- Display: text size and colours --------------------------------------------------------------


def test_display_choices_apply_live_and_come_back_with_the_profile(qtbot, qapp, school, look):
    locations, demo = school
    win = open_window(qtbot, locations)
    diego = demo.trainees["Diego Fernández"]
    sign_in(win, diego)
    dialog = DisplayDialog(win.display, win)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.sizes.button(len(theme.SCALES) - 1).click()  # 200 %
    dialog.themes.button(3).click()  # high contrast
    assert QApplication.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE * 2)
    assert QApplication.palette().color(QApplication.palette().ColorRole.Window) == QColor("#000000")
    assert "font-size: 40.0pt" in qapp.styleSheet()  # the page titles grew too
    qtbot.waitUntil(lambda: not win.ctx.preferences_pending(), timeout=10000)  # written off the UI thread
    prefs = preference_store.get_preferences(win.ctx.db, diego)
    assert (prefs["text_scale"], prefs["theme"]) == (2.0, "high_contrast")

    win.switch_profile()  # the next person on the laptop starts from the usual look
    assert theme.current() == (theme.LIGHT, 1.0) and QApplication.font().pointSizeF() == pytest.approx(11.0)
    sign_in(win, diego)
    assert theme.current() == (theme.HIGH_CONTRAST, 2.0)

    win.activateWindow()  # keyboard shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # Ctrl − : one size smaller
    assert theme.current()[1] == 1.75
    qtbot.keyClick(win, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert theme.current()[1] == 1.0
    qtbot.waitUntil(lambda: not win.ctx.preferences_pending(), timeout=10000)
    assert preference_store.get_preferences(win.ctx.db, diego)["text_scale"] == 1.0


def test_like_the_computer_follows_the_system_dark_mode(qtbot, qapp, school, look, monkeypatch):
    locations, _demo = school
    win = open_window(qtbot, locations)
    system = {"dark": False}
    real = theme.resolve
    monkeypatch.setattr(
        theme, "resolve", lambda c: (theme.DARK if system["dark"] else theme.LIGHT) if c == theme.SYSTEM else real(c)
    )
    system["dark"] = True
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current()[0] is theme.DARK
    win.display.set(choice="light", save=False)  # a person's own choice wins over the computer's
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current()[0] is theme.LIGHT


def test_stored_preferences_that_make_no_sense_fall_back_safely(qtbot, qapp, school, look):
    locations, demo = school
    win = open_window(qtbot, locations)
    noah = demo.trainees["Noah Williams"]
    preference_store.set_preferences(
        win.ctx.db, noah, {"text_scale": "huge", "theme": "neon", TOUR_DONE: True}, actor_id=noah
    )
    sign_in(win, noah)
    assert theme.current() == (theme.LIGHT, 1.0)
    preference_store.set_preferences(win.ctx.db, noah, {"text_scale": 9}, actor_id=noah)
    sign_in(win, noah)
    assert theme.current()[1] == theme.MAX_SCALE


# --- the first-start tour ------------------------------------------------------------------------


def test_a_trainees_first_start_shows_the_tour_once(qtbot, qapp, school):
    locations, demo = school
    win = open_window(qtbot, locations)
    tama = demo.trainees["Tama Ngata"]
    sign_in(win, tama, close_tour=False)
    tour = win.tour
    assert tour is not None and tour.isVisible() and "Tama Ngata" in tour.heading.text()
    steps = [tour.heading.text()]
    while tour.isVisible():
        qtbot.keyClick(tour.next, Qt.Key.Key_Space)  # keyboard only
        if tour.isVisible():
            steps.append(tour.heading.text())
    assert len(steps) == 4 and any("Read aloud" in s for s in steps) and any("Role-play" in s for s in steps)
    qtbot.waitUntil(lambda: not win.ctx.preferences_pending(), timeout=10000)
    assert preference_store.get_preferences(win.ctx.db, tama)[TOUR_DONE] is True
    win.switch_profile()
    sign_in(win, tama, close_tour=False)
    assert win.tour is None
    sign_in(win, demo.coordinator_id, close_tour=False)  # staff never get the trainee's tour
    assert win.tour is None or not win.tour.isVisible()


def test_an_open_lesson_takes_on_a_new_theme_and_keeps_its_place(qtbot, qapp, school, look):
    locations, demo = school
    win = open_window(qtbot, locations, choice="light")
    sign_in(win, demo.trainees["Amara Okafor"])
    module = win.ctx.program.modules[1]
    win.open_lesson(module.id, win.ctx.content.module_lessons(module.id)[2].id)
    page = win.pages["lesson"]
    bar = page.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    where = bar.value() / bar.maximum()
    win.display.set(choice="dark", save=False)
    assert theme.DARK.text in page.browser.document().defaultStyleSheet()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and abs(bar.value() / bar.maximum() - where) < 0.05)
    # The call-outs keep their light backgrounds, so their text stays dark (see test_contrast).
    assert f"color: {theme.DARK.callout_text}" in page.browser.document().defaultStyleSheet()


# --- empty screens say what to do next -----------------------------------------------------------


def test_certificates_say_what_to_do_when_nobody_is_ready(qtbot, qapp, db, locations):
    from cohort_helpers import school as new_school
    from cohort_helpers import trainee

    from app.ui.staff.certificates_tab import CertificatesTab

    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    coordinator, _trainer = new_school(db)
    ctx.sign_in(profile_store.get_profile(db, coordinator))
    ctx.reload_settings()
    tab = CertificatesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.refresh()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("0 of 0"), timeout=20000)
    assert not tab.table.isVisible() and tab.empty.isVisible()
    assert "People tab" in tab.empty.text.text() and not tab.empty.action.isVisible()

    trainee(db, "Not Yet", "9B", coordinator)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.summary.text().startswith("0 of 1"), timeout=20000)
    assert tab.empty.title.text() == "Nobody is ready for a certificate yet" and tab.empty.action.isVisible()
    qtbot.mouseClick(tab.empty.action, Qt.MouseButton.LeftButton)  # the way on: see what each still has to do
    assert tab.show_all.isChecked() and tab.table.isVisible() and tab.table.rowCount() == 1
    assert not tab.empty.isVisible()
