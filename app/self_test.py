"""`peer-trainer --self-test`: prove that an installed or bundled program really works.

School IT runs this once after installing the bundle. Offscreen and in a throwaway folder it
walks the program's whole chain: Qt and its plugins, the bundled content, a new database
(with its migrations), a role-play played through the engine and recorded, the real main
window up to a lesson, read-aloud's driver, and one certificate PDF with its signed code read
back. It prints each step and exits 0 only if every step worked. Nothing is kept afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app import __version__
from app.core.i18n import N_, _, ngettext

# A small scenario everyone has; any other playable one is used if it is gone.
PREFERRED_SCENARIO = "can-you-fix-it-for-me"


class SelfTestFailed(Exception):
    """A step did not work; the message says what and where."""


class SelfTestWarning(Exception):
    """Something optional does not work here (read-aloud): reported as [warn]; the self-test still passes."""


class SelfTest:
    def __init__(self, content_dir: Path | None = None, out: Callable[[str], None] = print):
        self.content_dir = content_dir
        self.out = out
        self.steps_done = 0
        self.warnings: list[str] = []
        # Filled in as the steps run; later steps build on earlier ones.
        self.app = None
        self.content = None
        self.locations = None
        self.db = None
        self.trainee = None

    # --- running ---------------------------------------------------------------------------
    def run(self) -> int:
        began = time.perf_counter()
        self.out(_("Peer Helper Trainer {version} self-test ({where})").format(version=__version__, where=_where()))
        with tempfile.TemporaryDirectory(prefix="peer-trainer-self-test-") as tmp:
            steps = [
                (N_("Qt"), self.start_qt),
                (N_("languages"), self.check_languages),
                (N_("content"), self.check_content),
                (N_("records"), lambda: self.create_records(Path(tmp))),
                (N_("role-play"), self.play_scenario),
                (N_("window"), self.open_window),
                (N_("read aloud"), self.check_speech),
                (N_("certificate"), lambda: self.render_certificate(Path(tmp))),
            ]
            try:
                for step_name, step in steps:
                    name = _(step_name)
                    t0 = time.perf_counter()
                    try:
                        said = step()
                    except SelfTestWarning as warning:  # the program works; something optional does not
                        self.steps_done += 1
                        self.warnings.append(f"{name}: {warning}")
                        self.out(
                            _("  [warn] {step}: {problem} ({seconds} s)").format(
                                step=name, problem=warning, seconds=f"{time.perf_counter() - t0:.2f}"
                            )
                        )
                        continue
                    self.steps_done += 1
                    self.out(
                        _("  [ok] {step}: {said} ({seconds} s)").format(
                            step=name, said=said, seconds=f"{time.perf_counter() - t0:.2f}"
                        )
                    )
            except SelfTestFailed as exc:
                self.out(_("  [FAILED] {step}: {problem}").format(step=name, problem=exc))
                self.out(_("Self-test FAILED. Nothing was changed on this computer."))
                return 1
            except Exception as exc:  # an unexpected error is a failed step, shown whole
                import traceback

                self.out(
                    _("  [FAILED] {step}: unexpected {error}: {problem}").format(
                        step=name, error=type(exc).__name__, problem=exc
                    )
                )
                self.out(traceback.format_exc().rstrip())
                self.out(_("Self-test FAILED. Nothing was changed on this computer."))
                return 1
            finally:
                self.close()
        seconds = f"{time.perf_counter() - began:.1f}"
        if self.warnings:
            said = ngettext(
                "Self-test passed, with {warnings} warning: {n} steps in {seconds} s. "
                "The temporary folder was removed.",
                "Self-test passed, with {warnings} warnings: {n} steps in {seconds} s. "
                "The temporary folder was removed.",
                len(self.warnings),
            )
        else:
            said = _("Self-test passed: {n} steps in {seconds} s. The temporary folder was removed.")
        self.out(said.format(warnings=len(self.warnings), n=self.steps_done, seconds=seconds))
        return 0

    def close(self) -> None:
        window = getattr(self, "window", None)
        if window is not None:
            window.ctx.shutdown()  # closes the window's own database connection and speech thread
            window.deleteLater()
            self.window = None
        if self.db is not None:
            self.db.close()
            self.db = None

    # --- the steps -------------------------------------------------------------------------
    def start_qt(self) -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("LANG", "C.UTF-8")
        from PySide6 import __version__ as pyside_version
        from PySide6.QtGui import QFontDatabase, QIcon
        from PySide6.QtWidgets import QApplication

        from app.paths import resources_dir
        from app.ui.common import theme

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        theme.apply(self.app)
        families = QFontDatabase.families()
        if not families:
            raise SelfTestFailed(
                _(
                    "Qt found no fonts at all: every letter would draw as an empty box. "
                    "Install fonts (on Debian or Ubuntu: apt install fonts-dejavu-core)."
                )
            )
        icon = resources_dir() / "icons" / "peer-helper-trainer.svg"
        if not icon.is_file() or QIcon(str(icon)).pixmap(64, 64).isNull():
            raise SelfTestFailed(
                _("the program's icon {file} is missing or cannot be drawn (is the SVG plugin bundled?)").format(
                    file=icon
                )
            )
        return _("PySide6 {version}, platform {platform}, {n} font families, icon drawn").format(
            version=pyside_version, platform=self.app.platformName(), n=len(families)
        )

    def check_languages(self) -> str:
        """Each language shipped: its catalogue reads, and Qt's own translation for it is there."""
        import gettext

        from app.core import i18n
        from app.core.i18n import _
        from app.ui.common.language import qt_translation_folders

        found, missing = [], []
        for code in i18n.LANGUAGE_NAMES:
            if code == i18n.SOURCE_LANGUAGE:
                continue
            try:
                catalogue = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[code])
            except OSError:
                missing.append(code)
                continue
            qt = any((folder / f"qtbase_{code}.qm").is_file() for folder in qt_translation_folders())
            found.append(f"{code} ({len(catalogue._catalog)} messages{'' if qt else ', no Qt translation'})")
        if missing:
            raise SelfTestWarning(
                _("no catalogue for {codes} in {folder}: the program shows English instead").format(
                    codes=", ".join(missing), folder=i18n.LOCALE_DIR
                )
            )
        return ", ".join(found)

    def check_content(self) -> str:
        from app.modules.content import load_content
        from app.paths import bundled_content

        root = self.content_dir or bundled_content()
        if not (root / "program.yaml").is_file():
            raise SelfTestFailed(_("no content at {folder} (program.yaml is missing)").format(folder=root))
        content = load_content(root)
        errors = [f for f in content.findings if f.is_error]
        if errors or content.program is None:
            shown = "; ".join(f.format() for f in errors[:5])
            raise SelfTestFailed(
                ngettext(
                    "{n} error in the content at {folder}: {shown}",
                    "{n} errors in the content at {folder}: {shown}",
                    len(errors),
                ).format(n=len(errors), folder=root, shown=shown)
            )
        self.content = content
        lessons = sum(len(v) for v in content.lessons.values())
        return _("{folder}: {modules} modules, {lessons} lessons, {plays} role-plays, no errors").format(
            folder=root, modules=len(content.program.modules), lessons=lessons, plays=len(content.scenarios)
        )

    def create_records(self, tmp: Path) -> str:
        from app.modules.records import preference_store, profile_store, school_setup
        from app.modules.records.database import HEAD_REVISION, Database
        from app.paths import resolve_locations

        self.locations = resolve_locations(data_dir=tmp / "data", content_dir=self.content.root, database_url="")
        self.db = Database.open(self.locations)
        coordinator = school_setup.setup_school(
            self.db, "Self-test Coordinator", "self-test password", "Self-test School"
        )
        self.trainee = profile_store.create_profile(
            self.db, "Sam Self-test", profile_store.TRAINEE, actor_id=coordinator.id
        )
        preference_store.set_preferences(
            self.db, self.trainee.id, {"tour_done": True}, actor_id=self.trainee.id
        )  # no first-start tour over the window
        names = sorted(p.display_name for p in profile_store.list_profiles(self.db))
        if names != ["Sam Self-test", "Self-test Coordinator"]:
            raise SelfTestFailed(_("the profiles read back are {names}").format(names=names))
        return _(
            "a new SQLite database in {folder}, migrated to schema {schema}; "
            "a school with a coordinator and a trainee saved and read back"
        ).format(folder=tmp, schema=HEAD_REVISION)

    def play_scenario(self) -> str:
        from app.modules.demo_school import play_best
        from app.modules.records import progress_store

        playable = [s for s in self.content.scenarios if not s.has_errors]
        if not playable:
            raise SelfTestFailed(_("the content has no playable role-play"))
        scenario = next((s for s in playable if s.id == PREFERRED_SCENARIO), playable[0])
        try:
            attempt, choices, _run = play_best(self.db, self.trainee.id, scenario)
        except ValueError as exc:
            raise SelfTestFailed(str(exc)) from exc
        stored = progress_store.get_attempt(self.db, attempt)
        steps = progress_store.attempt_steps(self.db, attempt)
        if not (stored.passed and len(steps) == len(choices)):
            raise SelfTestFailed(
                _("the recorded attempt reads back as passed={passed} with {n} steps").format(
                    passed=stored.passed, n=len(steps)
                )
            )
        return _("“{title}” passed along its best path ({n} choices), every step recorded").format(
            title=scenario.title, n=len(choices)
        )

    def open_window(self) -> str:
        from app.modules.records import profile_store
        from app.ui.common.context import AppContext
        from app.ui.main_window import MainWindow

        window = MainWindow(AppContext(self.locations))
        self.window = window
        window.show()
        window.start(background=False)
        picker = window.pages.get("picker")
        if window.stack.currentWidget() is not picker:
            raise SelfTestFailed(_("the profile picker did not open"))
        window.sign_in(profile_store.get_profile(window.ctx.db, self.trainee.id))
        if window.stack.currentWidget() is not window.pages.get("trainee"):
            raise SelfTestFailed(_("the trainee's home did not open"))
        module = window.ctx.program.modules[0]
        lesson = window.ctx.content.module_lessons(module.id)[0]
        window.open_lesson(module.id, lesson.id)
        page = window.pages.get("lesson")
        if window.stack.currentWidget() is not page or page.heading.text() != lesson.title:
            raise SelfTestFailed(_("the lesson {id} did not open").format(id=lesson.id))
        self.app.processEvents()
        shot = window.grab()
        if shot.isNull() or shot.width() < 100:
            raise SelfTestFailed(_("the window could not be drawn"))
        return _("picker, trainee home and the lesson “{title}” shown and drawn ({width}×{height})").format(
            title=lesson.title, width=shot.width(), height=shot.height()
        )

    def check_speech(self) -> str:
        from app.modules.speech import diagnose, prepare_audio_environment

        found = diagnose()
        if not found.ok:
            raise SelfTestWarning(
                _(
                    "unavailable on this computer: {problem}. {fix} "
                    "Lessons still work; the Read aloud button is greyed out."
                ).format(problem=found.problem, fix=found.fix)
            )
        import pyttsx3

        prepare_audio_environment()
        try:
            engine = pyttsx3.init()
        except ModuleNotFoundError as exc:  # a driver left out of the bundle: a packaging bug
            raise SelfTestFailed(_("pyttsx3's driver is missing from the program: {error}").format(error=exc)) from exc
        except Exception as exc:  # the computer's speech engine, not the program
            raise SelfTestWarning(
                _(
                    "unavailable: the speech engine did not start here ({error}); lessons still work, without sound"
                ).format(error=exc)
            ) from exc
        voices = engine.getProperty("voices") or []
        driver = type(engine.proxy._driver).__module__
        engine.stop()
        return ngettext("{driver} with {n} voice", "{driver} with {n} voices", len(voices)).format(
            driver=driver, n=len(voices)
        )

    def render_certificate(self, tmp: Path) -> str:
        from app.modules import certificate_pdf, certificates
        from app.modules.keys import SigningKey

        key = SigningKey.load_or_create(self.locations.keys_dir)
        look = certificates.Look(
            school="Self-test School",
            programme=self.content.program.title,
            signatory_name="Self-test Coordinator",
            signatory_title="Coordinator",
        )
        school_key = key.public(look.school)
        data = replace(
            certificates.sample_data(self.content.program, look, name="Sam Self-test"),
            key_fingerprint=school_key.fingerprint,
        )
        payload = data.to_payload()
        code = certificates.make_code(payload, certificates.sign_payload(payload, key))
        qr = certificates.qr_code(payload, key)
        path = certificate_pdf.write_pdf(data, code, tmp / "certificate.pdf", look, qr)
        raw = path.read_bytes()
        if not raw.startswith(b"%PDF"):
            raise SelfTestFailed(_("{file} is not a PDF").format(file=path))
        verdict = certificates.verify_code(certificates.code_in_pdf(raw), school_key)
        if not verdict.valid:
            raise SelfTestFailed(_("the certificate's code does not verify: {why}").format(why=verdict.summary()))
        return _("one A4 PDF ({size} KB) with a QR code; its signed code read back from the file and verified").format(
            size=len(raw) // 1024
        )


def _where() -> str:
    if getattr(sys, "frozen", False):
        return _("bundled program in {folder}").format(folder=Path(sys.executable).resolve().parent)
    return _("from source, Python {version}").format(version=sys.version.split()[0])


REPORT_FILE = "peer-trainer-self-test.txt"  # in the temp folder, when there is no console to print to


def main(content_dir: str | None = None) -> int:
    content = Path(content_dir).resolve() if content_dir else None
    if sys.stdout is not None:
        return SelfTest(content).run()
    # A window program on Windows or macOS has no console: write the report to a file instead.
    with open(Path(tempfile.gettempdir()) / REPORT_FILE, "w", encoding="utf-8") as report:
        return SelfTest(content, out=lambda line: print(line, file=report, flush=True)).run()
