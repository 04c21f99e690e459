"""Issue 14 item 8: names and content text are shown as written, never as markup.

A name such as `<img src=file:///etc/passwd>` in a label that Qt reads as rich text makes Qt
load that file. Every screen where a name appears is opened with hostile names everywhere
(school, people, group, a role-play character) and every label, tooltip and text view is
checked: the hostile tag may only ever appear as text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTextEdit, QWidget
from records_helpers import add_trainee_work

from app.modules.exchange.bundle import export_bundle
from app.modules.records import preference_store, profile_store, school_setup
from app.modules.records.database import Database
from app.modules.records.profile_store import TRAINEE, TRAINER
from app.paths import resolve_locations
from app.ui.common import tasks
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow

TAG = "<img src=file:///etc/passwd>"
SCENARIO_FILE = Path("scenarios/self-care/help-during-exams.md")
SCENARIO_ID = "help-during-exams"
SHOTS = os.environ.get("PEER_TRAINER_SHOTS")


def _rich(text: str, fmt) -> bool:
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))


def markup_leaks(root: QWidget) -> list[str]:
    """Every place under `root` where the hostile tag would be read as markup."""
    leaks = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if isinstance(widget, QLabel) and TAG in widget.text() and _rich(widget.text(), widget.textFormat()):
            leaks.append(f"label {widget.objectName() or type(widget).__name__}: {widget.text()[:80]!r}")
        if isinstance(widget, QTextEdit) and 'src="file:' in widget.document().toHtml():
            leaks.append(f"text view {widget.objectName()}: an image from a file")
        tip = widget.toolTip()
        if TAG in tip and Qt.mightBeRichText(tip):
            leaks.append(f"tooltip of {type(widget).__name__}: {tip[:80]!r}")
    return leaks


def _hostile_content(tmp_path: Path, content_copy: Path) -> Path:
    path = content_copy / SCENARIO_FILE
    text = path.read_text(encoding="utf-8")
    # The first character of the role-play gets a name that looks like markup.
    text = re.sub(r"(\n  \w+: \{name: )([^,}\"]+)", lambda m: f'{m.group(1)}"{m.group(2)} {TAG}"', text, count=1)
    path.write_text(text, encoding="utf-8")
    return content_copy


def _school(tmp_path: Path, content: Path):
    locations = resolve_locations(data_dir=tmp_path / "data", content_dir=content, database_url="")
    db = Database.open(locations)
    coord = school_setup.setup_school(db, f"Ms {TAG}", "correct horse", f"School {TAG}")
    trainer = profile_store.create_profile(db, f"Mr {TAG}", TRAINER, secret="trainer-pass", actor_id=coord.id)
    sam = profile_store.create_profile(db, f"Sam {TAG}", TRAINEE, group=f"9{TAG}", actor_id=coord.id)
    preference_store.set_preferences(db, sam.id, {"tour_done": True}, actor_id=sam.id)
    preference_store.set_preferences(db, coord.id, {"tour_done": True}, actor_id=coord.id)
    add_trainee_work(db, sam.id, trainer.id)
    db.close()
    return locations, coord, sam


def _window(qtbot, locations) -> MainWindow:
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.resize(1200, 860)
    win.show()
    win.start(background=False)
    return win


def _settle(qtbot, ms: int = 150) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def _shot(win, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        win.grab().save(str(Path(SHOTS) / f"hostile-{name}.png"))


def test_hostile_names_on_the_trainee_screens(qtbot, tmp_path, content_copy):
    locations, _coord, sam = _school(tmp_path, _hostile_content(tmp_path, content_copy))
    win = _window(qtbot, locations)
    assert markup_leaks(win) == []  # the profile picker, with the school's name
    _shot(win, "picker")
    win.sign_in(profile_store.get_profile(win.ctx.db, sam.id))
    _settle(qtbot)
    assert markup_leaks(win) == []  # the trainee's home
    win.open_scenario(SCENARIO_ID)
    _settle(qtbot)
    page = win.stack.currentWidget()
    texts = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "You will talk with" in texts and TAG in texts  # shown, as text
    assert markup_leaks(win) == []
    _shot(win, "scenario-intro")
    page.start()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)  # the attempt is recorded on a worker first
    _settle(qtbot)
    assert markup_leaks(win) == []  # the conversation: the character's name above each line
    win.ctx.shutdown()


def test_hostile_names_on_the_staff_screens_and_the_import_dialog(qtbot, tmp_path, content_copy):
    locations, coord, sam = _school(tmp_path, content_copy)
    # Another laptop whose school name is hostile, for the import dialog.
    other = resolve_locations(data_dir=tmp_path / "other", content_dir=content_copy, database_url="")
    odb = Database.open(other)
    school_setup.setup_school(odb, "Mx Other", "correct horse", "Elsewhere")
    bundle = export_bundle(odb, tmp_path / "other.peer-records", school=f"Evil {TAG}").path
    odb.close()

    win = _window(qtbot, locations)
    win.sign_in(profile_store.get_profile(win.ctx.db, coord.id))
    _settle(qtbot)
    staff = win.stack.currentWidget()
    for i in range(staff.tabs.count()):
        staff.tabs.setCurrentIndex(i)
        _settle(qtbot)
        assert markup_leaks(win) == [], staff.tabs.tabText(i)
    records = staff.records
    staff.tabs.setCurrentWidget(records)
    with qtbot.waitSignal(records.finished, timeout=20000, raising=False):
        records.merge_panel.import_bundle(bundle)
    qtbot.waitUntil(lambda: getattr(records, "dialog", None) is not None, timeout=20000)
    dialog = records.dialog
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Evil &lt;img" in shown  # escaped inside the dialog's rich text
    assert markup_leaks(dialog) == []
    if SHOTS:
        dialog.grab().save(str(Path(SHOTS) / "hostile-import-dialog.png"))
    dialog.reject()

    from app.ui.staff.erasure_panel import EraseDialog
    from app.ui.staff.trainee_detail import TraineeDetailDialog

    erase = EraseDialog(records, f"Sam {TAG}")
    qtbot.addWidget(erase)
    assert markup_leaks(erase) == []
    from app.modules import cohort
    from app.modules.records import cohort_store

    entry = next(e for e in cohort_store.roster(win.ctx.db) if e.id == sam.id)
    summary = cohort.summaries(win.ctx.db, win.ctx.program, win.ctx.content.all_module_contents(), [entry])[0]
    detail = TraineeDetailDialog(win.ctx, summary)
    qtbot.addWidget(detail)
    _settle(qtbot)
    assert markup_leaks(detail) == []
    win.ctx.shutdown()
