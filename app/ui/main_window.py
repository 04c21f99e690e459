"""The main window: a top bar and one page at a time.

Start-up is split so the window paints before anything heavy is imported: the database is
opened on the next turn of the event loop, and the content is loaded after the profile
picker is on screen.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app import APP_NAME
from app.core import i18n
from app.core.i18n import _, isolate
from app.ui.common import tasks
from app.ui.common import widgets as w
from app.ui.common.context import AppContext


class MainWindow(QMainWindow):
    ready = Signal(str)  # "setup", "picker", "error": the first real page is on screen

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        from app.ui.common.language import LanguageController

        self.language = LanguageController(ctx, self)
        self.language.apply()  # before any word is on screen: --language, else the computer's
        ctx.language_changed.connect(self._language_changed)
        self._retranslate_pending = False
        self.setWindowTitle(APP_NAME)
        self.resize(1180, 800)
        self.setMinimumSize(760, 560)
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._top_bar())
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.loading = w.Label(_("Opening…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setObjectName("Muted")
        self.stack.addWidget(self.loading)
        self.pages: dict[str, QWidget] = {}
        self._built_in: dict[str, str] = {}  # the language each page was made in
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.switch_profile)
        self.display = None  # text size and colours: set up in start(), after the first paint
        self.restore_offer = None  # recovery.RestoreOffer, on the error page when the records file is damaged

    def _top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("TopBar")
        lay = QHBoxLayout(bar)
        lay.setContentsMargins(20, 10, 20, 10)
        self.logo = w.Label()  # the picture is loaded in start(): decoding images costs time before the first paint
        self.logo.setFixedSize(28, 28)
        self.logo.setAccessibleName(_("{app} logo").format(app=APP_NAME))
        lay.addWidget(self.logo)
        app_title = w.Label(APP_NAME)
        app_title.setObjectName("AppTitle")
        self.app_title = app_title  # hidden when the bar is too narrow for it (large text, small screen)
        lay.addWidget(app_title)
        lay.addStretch(1)
        from app.ui.common.text_fit import WrapWhenNeededLabel

        self.who = WrapWhenNeededLabel("")  # at large text sizes the name wraps rather than being cut off
        self.who.setObjectName("Muted")
        lay.addWidget(self.who)
        self.display_button = w.button(
            _("Display"), tip=_("Text size and colours (Ctrl + and Ctrl − change the text size)")
        )
        self.display_button.clicked.connect(self.open_display)
        lay.addWidget(self.display_button)
        self.home_button = w.button(_("Home"), name=_("Go to your home page"))
        self.home_button.clicked.connect(self.go_home)
        self.switch_button = w.button(_("Switch profile"), tip=_("Sign out and pick another profile (Ctrl+Shift+S)"))
        self.switch_button.clicked.connect(self.switch_profile)
        lay.addWidget(self.home_button)
        lay.addWidget(self.switch_button)
        self.home_button.hide()
        self.switch_button.hide()
        self.top_bar = bar
        return bar

    def _fit_top_bar(self) -> None:
        """The program's name gives way first when the bar is narrow: the logo and the window's
        title still say it, and the name of who is signed in and the buttons keep their room."""
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.top_bar):
            return  # closed meanwhile
        lay = self.top_bar.layout()
        margins = lay.contentsMargins()
        used = margins.left() + margins.right()
        shown = 0
        for i in range(lay.count()):
            widget = lay.itemAt(i).widget()
            if widget is None or widget is self.app_title or widget.isHidden():
                continue
            shown += 1
            used += widget.sizeHint().width()
        used += lay.spacing() * shown
        room = self.top_bar.width() - used
        self.app_title.setVisible(room >= self.app_title.sizeHint().width())

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        self._fit_top_bar()

    def changeEvent(self, event) -> None:  # Qt's name: the text size changed
        super().changeEvent(event)
        from PySide6.QtCore import QEvent, QTimer

        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._fit_top_bar)

    # --- start-up ------------------------------------------------------------------------------
    def start(self, background: bool = True) -> None:
        """Show the picker as soon as possible, then open the records properly.

        A quick read-only look at a local database lists the profiles without importing
        SQLAlchemy; the full open (integrity check, migrations) and the content load run on a
        worker thread. With `background=False` (tests, tools) everything happens here and now.
        """
        from app.modules.records.peek import peek

        self._set_up_display()
        self._peeked = False
        if self.ctx.locations.database_url is None:
            quick = peek(self.ctx.locations.database_file)
            if quick is not None and not quick.needs_setup:
                self.ctx.settings = dict(quick.settings)
                self.language.apply()  # the school's language, for the picker
                picker = self._page("picker")
                picker.set_profiles(quick.profiles)
                self._show("picker")
                picker.search.setFocus()
                self._peeked = True
                self.ready.emit("picker")
        if not background:
            try:
                result = _open_records(self.ctx.locations)
            except Exception as exc:  # shown to the user, never lost
                self._opened_failed(exc)
            else:
                self._opened(result)
            return
        from app.ui.common import tasks

        tasks.run(self, lambda: _open_records(self.ctx.locations), self._opened, self._opened_failed)

    def _opened(self, result) -> None:
        db, content = result
        from app.ui.start.recovery import start_daily_backup

        self.ctx.content = content  # set first: the one announcement below covers both
        self.ctx.open_records(db)
        start_daily_backup(self)  # at most one a day, on a worker
        if self.ctx.front_door.needs_setup():
            self._page("setup")
            self._show("setup")
            self.ready.emit("setup")
        elif self._peeked:
            picker = self.pages["picker"]
            if self.ctx.profile is None and self.stack.currentWidget() is picker:
                picker.refresh()  # the real list, in case it changed
            picker.records_ready()
        else:
            self.show_picker()
            self.ready.emit("picker")

    def _reopened(self, result) -> None:
        """After a way out on the error page: the page is on screen even if a quick look had
        listed the profiles, so go on as after a first open."""
        self._peeked = False
        self._opened(result)

    def _opened_failed(self, exc: BaseException) -> None:
        from app.service.storage import DatabaseUnavailable

        if isinstance(exc, DatabaseUnavailable):
            offers = []
            if exc.damaged:
                from app.ui.start.recovery import RestoreOffer, StrayJournalOffer

                self.restore_offer = RestoreOffer(self.ctx.locations)
                self.restore_offer.restored.connect(self._reopened)
                offers = [self.restore_offer]
                if exc.stray_wal is not None:
                    self.stray_offer = StrayJournalOffer(self.ctx.locations, exc.stray_wal)
                    self.stray_offer.opened.connect(self._reopened)
                    offers.insert(0, self.stray_offer)
            self._show_error(exc.message, exc.advice, *offers)
        else:
            self._show_error(
                _("Something unexpected went wrong while opening the records: {error}").format(error=exc),
                _("Close the program and start it again. If this keeps happening, tell your coordinator."),
            )

    def _show_error(self, message: str, advice: str, *offers: QWidget) -> None:
        """The error page; `offers` (ways out, such as restoring a backup) go above "Close the program"."""
        page, lay = w.page(40)
        lay.addStretch(1)
        lay.addWidget(w.title(_("The records cannot be opened")))
        msg = w.Label(message)
        msg.setWordWrap(True)
        msg.setObjectName("ErrorBanner")
        lay.addWidget(msg)
        lay.addWidget(w.muted(advice))
        lay.addWidget(w.muted(_("Records folder: {folder}").format(folder=self.ctx.locations.data_dir)))
        for offer in offers:
            lay.addWidget(offer)
        quit_b = w.button(_("Close the program"), "primary")
        quit_b.clicked.connect(self.close)
        lay.addLayout(w.row(None, quit_b))
        lay.addStretch(2)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.ready.emit("error")

    # --- pages ---------------------------------------------------------------------------------
    def _page(self, name: str) -> QWidget:
        page = self.pages.get(name)
        if page is not None and self._built_in.get(name) != i18n.language() and page is not self.stack.currentWidget():
            self._drop(name)  # made in another language: made again below
        if name in self.pages:
            return self.pages[name]
        ctx = self.ctx
        if name == "setup":
            from app.ui.start.setup_page import SetupPage

            page = SetupPage(ctx)
            page.done.connect(self.show_picker)
        elif name == "picker":
            from app.ui.start.profile_picker import ProfilePickerPage

            page = ProfilePickerPage(ctx)
            page.signed_in.connect(self.sign_in)
        elif name == "trainee":
            from app.ui.trainee.trainee_home import TraineeHomePage

            page = TraineeHomePage(ctx)
            page.open_lesson.connect(self.open_lesson)
            page.open_check.connect(self.open_check)
            page.open_scenario.connect(self.open_scenario)
        elif name == "staff":
            from app.ui.staff.staff_home import StaffHomePage

            page = StaffHomePage(ctx)
        elif name == "lesson":
            from app.ui.trainee.lesson_page import LessonPage

            page = LessonPage(ctx)
            page.back.connect(self.go_home)
            page.open_lesson.connect(self.open_lesson)
            page.open_check.connect(self.open_check)
        elif name == "quiz":
            from app.ui.trainee.quiz_page import QuizPage

            page = QuizPage(ctx)
            page.back.connect(self.go_home)
            page.finished.connect(self.go_home)
        elif name == "scenario":
            from app.ui.trainee.scenario_page import ScenarioPage

            page = ScenarioPage(ctx)
            page.back.connect(self.go_home)
        else:  # pragma: no cover - a programming error
            raise KeyError(name)
        self.pages[name] = page
        self._built_in[name] = i18n.language()
        self.stack.addWidget(page)
        return page

    def _drop(self, name: str) -> None:
        page = self.pages.pop(name)
        self._built_in.pop(name, None)
        self.stack.removeWidget(page)
        page.deleteLater()

    # --- language --------------------------------------------------------------------------------
    def _language_changed(self, _code: str) -> None:
        """The words change on the next turn of the event loop (once, however many changes came)."""
        if not self._retranslate_pending:
            from PySide6.QtCore import QTimer

            self._retranslate_pending = True
            QTimer.singleShot(0, self, self._retranslate)

    def _retranslate(self) -> None:
        """Make the top bar and the page on screen again in the new language; other pages are
        made again when next shown (_page). A page in the middle of something (a lesson, a
        role-play, unsaved settings) keeps its words until it is left."""
        self._retranslate_pending = False
        if not shiboken6.isValid(self):
            return
        self._rebuild_top_bar()
        language = i18n.language()
        current = self.stack.currentWidget()
        for name, page in list(self.pages.items()):
            if self._built_in.get(name) == language:
                continue
            if page is not current:
                self._drop(name)
            elif name in ("picker", "trainee", "staff") and not _has_unsaved_changes(page):
                del self.pages[name]
                new = self._page(name)
                self._carry_over(name, page, new)
                self.stack.setCurrentWidget(new)
                self.stack.removeWidget(page)
                page.deleteLater()

    def _carry_over(self, name: str, old: QWidget, new: QWidget) -> None:
        """What the person had on the page before it was made again."""
        if name == "picker":
            if self.ctx.db is not None:
                new.refresh()
            else:
                new.set_profiles(old.profiles)  # the quick look's list; the records are still opening
            new._pending = old._pending
            new.search.setText(old.search.text())
            new.search.setFocus()
        elif name == "trainee":
            new.refresh()
        elif name == "staff":
            new.refresh()
            new.tabs.setCurrentIndex(old.tabs.currentIndex())

    def _rebuild_top_bar(self) -> None:
        old = self.top_bar
        new = self._top_bar()
        self.centralWidget().layout().replaceWidget(old, new)
        old.hide()
        old.deleteLater()
        new.show()  # a widget added to a window already on screen is hidden until shown
        if self.display is not None:
            from app.ui.common.app_icon import app_icon

            self.logo.setPixmap(app_icon().pixmap(28, 28))
        signed_in = self.ctx.profile is not None
        self._show_who()
        self.home_button.setVisible(signed_in)
        self.switch_button.setVisible(signed_in)
        self._fit_top_bar()

    def _show_who(self) -> None:
        profile = self.ctx.profile
        self.who.setText(_("Signed in as {name}").format(name=isolate(profile.display_name)) if profile else "")

    def _show(self, name: str) -> None:
        self.stack.setCurrentWidget(self._page(name))

    def show_picker(self) -> None:
        lesson = self.pages.get("lesson")
        if lesson is not None:
            lesson.flush()  # a reading position waiting for its pause is written under the one signing out
        self.ctx.sign_out()
        self.display.signed_out()
        self.language.signed_out()  # the school's language again
        self.who.setText("")
        self.home_button.hide()
        self.switch_button.hide()
        self._fit_top_bar()
        picker = self._page("picker")
        picker.refresh()
        self._show("picker")
        picker.search.setFocus()

    def sign_in(self, profile) -> None:
        try:
            profile = self.ctx.front_door.profile(profile.id)
        except Exception:  # removed meanwhile on another screen
            self.show_picker()
            return
        if self.ctx.content is None:
            self.ctx.load_content()
        self.ctx.sign_in(profile)
        self.display.signed_in(profile)
        self.language.signed_in()  # their own language, if they chose one
        self._show_who()
        self.home_button.show()
        self.switch_button.show()
        self._fit_top_bar()
        self.go_home()
        if profile.role == "trainee":
            self._offer_unfinished_role_play()
            from app.ui.start.tour import start_if_new

            self.tour = start_if_new(self.ctx, self)  # a trainee's first start only

    def _offer_unfinished_role_play(self) -> None:
        """After a crash or a "leave for now": offer to carry on the last unfinished role-play."""
        from app.ui.trainee.scenario_page import pending_offer

        page = self.pages.get("scenario")
        if page is not None and page.writing:  # the offer must see the step or the attempt being written
            page.after_write(self._offer_unfinished_role_play)
            return
        if self.ctx.role != "trainee":
            return
        offer = pending_offer(self.ctx)
        if offer is not None:
            self._page("scenario").show_offer(offer)
            self._show("scenario")

    def open_scenario(self, scenario_id: str) -> None:
        if self.ctx.role != "trainee":
            return
        page = self._page("scenario")
        page.open(scenario_id)
        self._show("scenario")

    def _set_up_display(self) -> None:
        from app.ui.common.display import DisplayController

        if self.display is not None:
            return
        from app.ui.common.app_icon import app_icon

        self.logo.setPixmap(app_icon().pixmap(28, 28))
        self.display = DisplayController(self.ctx, self)
        sizes = [
            ("Ctrl++", lambda: self.display.step(1)),
            ("Ctrl+=", lambda: self.display.step(1)),
            ("Ctrl+-", lambda: self.display.step(-1)),
            ("Ctrl+0", self.display.normal_size),
        ]
        for keys, action in sizes:
            shortcut = QShortcut(QKeySequence(keys), self, activated=action)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)  # in dialogs too (the tour, Display)

    def open_display(self) -> None:
        from app.ui.common.display_dialog import DisplayDialog

        DisplayDialog(self.display, self, language=self.language).exec()

    def _may_leave_page(self) -> bool:
        """The page on screen may hold edits not saved yet (school settings): it asks first."""
        can_leave = getattr(self.stack.currentWidget(), "can_leave", None)
        return can_leave() if can_leave is not None else True

    def go_home(self) -> None:
        if self.ctx.profile is not None and not self._may_leave_page():
            return
        if self.ctx.profile is None:
            self.show_picker()
            return
        name = "trainee" if self.ctx.role == "trainee" else "staff"
        page = self._page(name)
        page.refresh()
        self._show(name)

    def switch_profile(self) -> None:
        if self.ctx.db is None or not self._may_leave_page():
            return
        self.ctx.stop_speech()
        self.show_picker()

    def open_lesson(self, module_id: str, lesson_id: str) -> None:
        if self.ctx.role != "trainee":
            return
        page = self._page("lesson")
        self._show("lesson")
        page.show_lesson(module_id, lesson_id)

    def open_check(self, module_id: str, lesson_id: str) -> None:
        if self.ctx.role != "trainee":
            return
        page = self._page("quiz")
        page.start(module_id, lesson_id)
        self._show("quiz")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.profile is not None and not self._may_leave_page():
            event.ignore()  # the coordinator chose to keep editing
            return
        lesson = self.pages.get("lesson")
        if lesson is not None:
            if self.stack.currentWidget() is lesson:
                lesson.save_position()
            lesson.flush(wait=True)  # the last reading position, written before the records close
        scenario = self.pages.get("scenario")
        if scenario is not None:
            scenario.finish_writing()  # a choice being written is committed before the records close
        tasks.wait_for_changes()  # so is any other change under way (a sign-off, a setting, a preference)
        self.ctx.shutdown()
        super().closeEvent(event)


def _has_unsaved_changes(page: QWidget) -> bool:
    school = getattr(page, "school", None)  # the staff page's School settings tab
    return bool(school is not None and school.has_unsaved_changes())


def _open_records(locations):
    """Runs on a worker thread: open (and if needed migrate) the records, load the content."""
    from app.modules.content import load_content
    from app.service.storage import open_records

    db = open_records(locations)
    try:
        content = load_content(locations.content_dir)
    except Exception:
        db.close()
        raise
    return db, content
