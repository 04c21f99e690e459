"""Screenshots of the main screens, taken from the real program, offscreen.

A throwaway data folder gets a sample school (app.modules.demo_school: records made through the
program's own stores), then the real main window is driven the way a person would: the picker, a
trainee's home, a lesson, a knowledge check, a role-play, and every tab trainers and coordinators
see, plus the Display dialog, the first-start tour and the larger-text and high-contrast looks.
The PNGs go to docs/screenshots/ (README.md shows them), so they never go stale: run it again
after changing a screen.

    scripts/screenshots                 all of them into docs/screenshots/
    scripts/screenshots --out DIR       somewhere else (e.g. to look at them before committing)
    scripts/screenshots --scale 2 --theme high_contrast --out /tmp/shots   every screen in one look
    scripts/screenshots --empty --out /tmp/empty    a school on its first day: the empty states
    scripts/screenshots --language ar --scale 2 --out /tmp/ar   every screen in Arabic, mirrored, at 200 %
    scripts/screenshots --language es --size 1024x600 --out /tmp/small   a small laptop: long words must still fit
    scripts/screenshots --language fr --dialogs --out /tmp/fr   also the dialogs and the lower part of long tabs
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

WINDOW = (1280, 800)


def settle(app, seconds: float = 0.25) -> None:
    """Let queued work finish: background tasks, layouts, timers that restore scroll positions."""
    from PySide6.QtCore import QThreadPool

    from app.ui.common import tasks

    deadline = time.monotonic() + 15
    while (QThreadPool.globalInstance().activeThreadCount() or tasks._live) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def over_window(window, dialog):
    """The window with a dialog centred on it and the window dimmed, as a person sees it."""
    from PySide6.QtGui import QColor, QPainter

    shot = window.grab()
    dialog.adjustSize()
    picture = dialog.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 90))
    x = (shot.width() - picture.width()) // 2
    y = max(40, (shot.height() - picture.height()) // 2)
    painter.fillRect(x - 1, y - 1, picture.width() + 2, picture.height() + 2, QColor(0, 0, 0, 120))
    painter.drawPixmap(x, y, picture)
    painter.end()
    return shot


class Shooter:
    def __init__(
        self,
        out: Path,
        scale: float,
        theme_name: str,
        empty: bool = False,
        language: str | None = None,
        size: tuple[int, int] = WINDOW,
        dialogs: bool = False,
    ):
        self.dialogs = dialogs
        self.size = size
        self.empty = empty
        self.language = language
        self.out = out
        self.scale = scale
        self.theme_name = theme_name
        self.taken: list[str] = []
        self.failed: list[tuple[str, str]] = []

    def save(self, name: str, pixmap) -> None:
        path = self.out / f"{name}.png"
        pixmap.save(str(path))
        self.taken.append(path.name)
        print(f"screenshots: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")

    def attempt(self, name: str, fn) -> None:
        """One screen; a screen that cannot be shown is reported and the others still taken."""
        try:
            fn()
        except Exception as exc:  # report and go on: one broken screen must not hide the rest
            self.failed.append((name, f"{type(exc).__name__}: {exc}"))
            print(f"screenshots: could not take {name}: {exc}", file=sys.stderr)
            traceback.print_exc()

    def run(self) -> int:
        from PySide6.QtWidgets import QApplication

        from app.modules.content import load_content
        from app.modules.demo_school import build
        from app.modules.records.database import Database
        from app.paths import resolve_locations
        from app.ui.common import theme
        from app.ui.common.app_icon import app_icon
        from app.ui.common.context import AppContext
        from app.ui.main_window import MainWindow

        self.out.mkdir(parents=True, exist_ok=True)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setWindowIcon(app_icon())
        self.app = app
        with tempfile.TemporaryDirectory(prefix="peer-trainer-screenshots-") as tmp:
            locations = resolve_locations(data_dir=Path(tmp) / "data", content_dir=REPO / "content", database_url="")
            db = Database.open(locations)
            school = first_day(db) if self.empty else build(db, load_content(locations.content_dir))
            db.close()
            theme.apply(app, self.scale, theme.resolve(self.theme_name))
            ctx = AppContext(locations)
            ctx.forced_language = self.language  # as `peer-trainer --language` does
            window = MainWindow(ctx)
            self.window = window
            window.resize(*self.size)
            window.show()
            window.start(background=False)
            # Every screen in the asked-for look, the picker included (which normally goes back to normal).
            window.display.signed_out = lambda: window.display.set(self.scale, self.theme_name, save=False)
            window.display.signed_out()
            settle(app)
            self.school = school
            self.attempt("profile-picker", lambda: self.save("01-profile-picker", window.grab()))
            if self.empty:
                self.empty_screens()
                window.ctx.shutdown()
                window.close()
                return self.report()
            self.trainee_screens()
            self.staff_screens("coordinator", school.coordinator_id, "06")
            self.staff_screens("trainer", school.trainer_id, "07")
            if self.dialogs:
                self.dialog_screens()
            if self.scale == 1.0 and self.theme_name == theme.SYSTEM:  # in any language: the Display dialog too
                self.other_looks()
            window.ctx.shutdown()
            window.close()
        return self.report()

    def report(self) -> int:
        print(
            f"screenshots: {len(self.taken)} taken in {self.out}"
            + (
                f", {len(self.failed)} could not be taken: " + "; ".join(f"{n} ({why})" for n, why in self.failed)
                if self.failed
                else ""
            )
        )
        return 1 if self.failed else 0

    # --- the screens ----------------------------------------------------------------------
    def empty_screens(self) -> None:
        """A new trainee's home and every staff tab, with nothing recorded yet."""
        w, app = self.window, self.app
        self.sign_in(self.school.trainees["Sam Newcomer"])
        if getattr(w, "tour", None) is not None:
            w.tour.finish()
            settle(app)
        self.attempt("new trainee home", lambda: self.save("02-new-trainee-home", w.grab()))
        self.staff_tabs_taken = set()
        self.staff_screens("coordinator", self.school.coordinator_id, "03")

    def sign_in(self, profile_id: str):
        from app.modules.records import profile_store

        w = self.window
        w.sign_in(profile_store.get_profile(w.ctx.db, profile_id))
        settle(self.app)

    def trainee_screens(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        w, app = self.window, self.app
        picker = w.pages["picker"]
        amara = next(b for b in picker.buttons if b.profile.display_name == "Amara Okafor")
        QTest.mouseClick(amara, Qt.MouseButton.LeftButton)  # a trainee signs in as a trainee does
        settle(app)
        tour = getattr(w, "tour", None)
        if tour is not None:
            self.attempt("tour", lambda: self.save("02-first-start-tour", over_window(w, tour)))
            tour.finish()
            settle(app)
        home = w.pages["trainee"]
        home.modules.setCurrentRow(1)
        settle(app)
        self.attempt("trainee-home", lambda: self.save("03-trainee-home", w.grab()))

        module = w.ctx.program.modules[1]
        lesson = w.ctx.content.module_lessons(module.id)[2]

        def lesson_page():
            w.open_lesson(module.id, lesson.id)
            settle(app)
            page = w.pages["lesson"]
            bar = page.browser.verticalScrollBar()
            bar.setValue(int(bar.maximum() * 0.35))
            settle(app)
            self.save("04-lesson", w.grab())

        self.attempt("lesson", lesson_page)

        def knowledge_check():
            checked = next(l for l in w.ctx.content.module_lessons(module.id) if l.has_check)
            w.open_check(module.id, checked.id)
            settle(app)
            quiz = w.pages["quiz"]
            question = checked.questions[0]
            quiz.option_buttons[min(question.correct_indexes)].setChecked(True)
            QTest.mouseClick(quiz.action, Qt.MouseButton.LeftButton)
            settle(app)
            self.save("05-knowledge-check", w.grab())

        self.attempt("knowledge check", knowledge_check)
        self.attempt("role-play", self.role_play)
        w.go_home()
        settle(app)

    def role_play(self) -> None:
        """Start a role-play and make its two best first choices, the way a trainee clicks them."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPushButton

        from app.modules.demo_school import best_path

        w, app = self.window, self.app
        if not hasattr(w, "open_scenario"):
            raise RuntimeError("this version of the program has no role-play player yet")
        scenario = w.ctx.content.module_scenarios(w.ctx.program.modules[1].id)[0]
        w.open_scenario(scenario.id)
        settle(app, 0.4)
        page = w.stack.currentWidget()

        def shown(pick):
            found = [b for b in page.findChildren(QPushButton) if b.isVisible() and b.isEnabled() and pick(b)]
            return sorted(found, key=lambda b: b.mapTo(page, b.rect().topLeft()).y())

        def click(button):
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            settle(app, 0.4)

        from app.core.i18n import _

        start = shown(lambda b: b.text() == _("Start the role-play"))  # in the language on screen
        if start:
            click(start[0])
        for k, number in enumerate((best_path(scenario) or [1, 1])[:2]):
            if k:  # after the feedback: go on to what the character says next
                more = shown(lambda b: b.property("role") != "choice" and b.text().endswith("→"))
                if more:
                    click(more[0])
            choices = shown(lambda b: b.property("role") == "choice")
            if len(choices) < number:
                break
            click(choices[number - 1])
        self.save("05b-role-play", w.grab())

    def staff_screens(self, who: str, profile_id: str, number: str) -> None:
        w, app = self.window, self.app
        self.sign_in(profile_id)
        staff = w.pages.get("staff")
        if staff is None or w.stack.currentWidget() is not staff:
            self.failed.append((f"{who} home", "the staff home did not open"))
            return
        seen = set()
        for i in range(staff.tabs.count()):
            # A tab's words in a Latin script name its file; in Arabic, its widget's class does.
            name = slug(re.sub(r"\(\d+\)", "", staff.tabs.tabText(i))) or slug(type(staff.tabs.widget(i)).__name__)
            if who == "trainer" and name in self.staff_tabs_taken:
                continue  # the same screen as the coordinator's
            seen.add(name)

            def tab(i=i, name=name):
                staff.tabs.setCurrentIndex(i)
                settle(app, 0.4)
                self.save(f"{number}-{who}-{name}", w.grab())

            self.attempt(f"{who}: {name}", tab)
        if who == "coordinator":
            self.staff_tabs_taken = seen

    def dialog_screens(self) -> None:
        """The lower part of each long staff tab, and the dialogs a coordinator and a trainee open."""
        from PySide6.QtWidgets import QScrollArea

        from app.ui.staff import people_tab, verify_dialog
        from app.ui.staff.cohort_model import ROW_ROLE
        from app.ui.staff.trainee_detail import TraineeDetailDialog
        from app.ui.start.profile_picker import SecretDialog
        from app.ui.trainee import checkin_dialog, evaluation_dialogs, refresher_dialog

        w, app = self.window, self.app
        self.sign_in(self.school.coordinator_id)
        staff = w.pages["staff"]
        for i in range(staff.tabs.count()):
            name = slug(re.sub(r"\(\d+\)", "", staff.tabs.tabText(i)))

            def lower(i=i, name=name):
                staff.tabs.setCurrentIndex(i)
                settle(app, 0.3)
                page = staff.tabs.widget(i)
                areas = [a for a in page.findChildren(QScrollArea) if a.isVisible() and a.verticalScrollBar().maximum()]
                for k, part in enumerate((0.5, 1.0) if areas else ()):
                    for area in areas:
                        area.verticalScrollBar().setValue(int(area.verticalScrollBar().maximum() * part))
                    settle(app, 0.2)
                    self.save(f"20-{name}-{'middle' if k == 0 else 'end'}", w.grab())

            self.attempt(f"lower part of {name}", lower)

        def dialog(name, make):
            def take():
                shown = make()
                shown.show()
                settle(app, 0.3)
                self.save(name, shown.grab())  # at the size it opens with
                shown.close()

            self.attempt(name, take)

        people = {p.display_name: p for p in w.ctx.training.people.list()}
        amara = people["Amara Okafor"]

        def detail():
            staff.tabs.setCurrentIndex(0)
            settle(app, 0.5)
            proxy = staff.tabs.widget(0).proxy
            return TraineeDetailDialog(w.ctx, proxy.data(proxy.index(0, 0), ROW_ROLE), w)

        dialog("30-add-person", lambda: people_tab.AddPersonDialog(w.ctx, w))
        dialog("31-add-class", lambda: people_tab.AddClassDialog(w.ctx, w))
        dialog("32-edit-person", lambda: people_tab.EditPersonDialog(w.ctx, amara, w))
        dialog("33-verify-certificate", lambda: verify_dialog.VerifyDialog(w.ctx, w))
        dialog("34-trainee-detail", detail)
        dialog("35-password", lambda: SecretDialog(w.ctx, people["Ms Rivera"], w))
        self.sign_in(amara.id)
        dialog("40-confidence", lambda: evaluation_dialogs.ConfidenceDialog(w.ctx, "before", w))
        dialog("41-feedback-survey", lambda: evaluation_dialogs.SurveyDialog(w.ctx, w))
        dialog("42-check-in", lambda: checkin_dialog.CheckInDialog(w.ctx, w))
        dialog("43-refresher", lambda: refresher_dialog.RefresherDialog(w.ctx, w))

    def other_looks(self) -> None:
        """The Display dialog, and the same screens at 200 % text in high contrast and in dark."""
        from app.ui.common import theme
        from app.ui.common.display_dialog import DisplayDialog

        w, app = self.window, self.app
        self.sign_in(self.school.trainees["Diego Fernández"])

        def display_dialog():
            dialog = DisplayDialog(w.display, w, language=w.language)  # as the Display button opens it
            dialog.show()
            settle(app)
            self.save("08-display-dialog", over_window(w, dialog))
            dialog.close()

        self.attempt("display dialog", display_dialog)

        def large_high_contrast():
            w.display.set(scale=2.0, choice="high_contrast", save=False)
            w.go_home()
            settle(app)
            self.save("09-trainee-home-200-percent-high-contrast", w.grab())
            module = w.ctx.program.modules[0]
            w.open_lesson(module.id, w.ctx.content.module_lessons(module.id)[0].id)
            settle(app)
            self.save("10-lesson-200-percent-high-contrast", w.grab())

        self.attempt("200 % high contrast", large_high_contrast)

        def dark():
            w.display.set(scale=1.0, choice="dark", save=False)
            settle(app)
            self.save("11-lesson-dark", w.grab())
            w.go_home()
            settle(app)
            self.save("12-trainee-home-dark", w.grab())

        self.attempt("dark", dark)
        w.display.set(scale=1.0, choice=theme.SYSTEM, save=False)


def first_day(db):
    """Only the coordinator and one trainee who has done nothing yet."""
    from app.modules.demo_school import COORDINATOR_PASSWORD, DemoSchool
    from app.modules.records import profile_store, school_setup

    coordinator = school_setup.setup_school(db, "Ms Rivera", COORDINATOR_PASSWORD, "Riverside High")
    school = DemoSchool(coordinator.id, coordinator.id)
    school.trainees["Sam Newcomer"] = profile_store.create_profile(
        db, "Sam Newcomer", profile_store.TRAINEE, actor_id=coordinator.id
    ).id
    return school


def window_size(text: str) -> tuple[int, int]:
    """'1024x600' -> (1024, 600)."""
    match = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1024x600, not {text!r}")
    return int(match[1]), int(match[2])


def main(argv: list[str] | None = None) -> int:
    from app.ui.common import theme

    parser = argparse.ArgumentParser(prog="scripts/screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--scale", type=float, default=1.0, help="text size, 1.0 to 2.0")
    parser.add_argument("--theme", default=theme.SYSTEM, choices=[c for c, _ in theme.THEME_CHOICES])
    parser.add_argument("--empty", action="store_true", help="a school on its first day, to look at the empty states")
    parser.add_argument("--language", metavar="CODE", help="the program in this language (es, fr, ar...)")
    parser.add_argument(
        "--size", type=window_size, default=WINDOW, metavar="WxH", help="window size in pixels (default 1280x800)"
    )
    parser.add_argument("--dialogs", action="store_true", help="also the lower parts of long tabs, and the dialogs")
    args = parser.parse_args(argv)
    from app.modules.records import secret_hashing

    secret_hashing.SCRYPT_LOG2_N = 4  # throwaway passwords in a throwaway folder: no need to wait for scrypt
    shooter = Shooter(
        args.out.resolve(),
        theme.clamp_scale(args.scale),
        args.theme,
        args.empty,
        args.language,
        args.size,
        args.dialogs,
    )
    return shooter.run()


if __name__ == "__main__":
    sys.exit(main())
