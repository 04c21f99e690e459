"""Bad input in the program: a broken lesson is listed for staff and hidden from trainees;
a database that cannot be opened says what to do and is left untouched."""

from __future__ import annotations

from app.modules.records import school_setup
from app.paths import resolve_locations
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow


def start(qtbot, locations) -> MainWindow:
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    return win


def test_broken_lesson_is_listed_with_file_and_line_and_others_still_load(qtbot, tmp_path, content_copy):
    broken = content_copy / "lessons" / "introduction" / "99-broken.md"
    broken.write_text("---\ntitle: Broken\nquestons: []\n---\nText.\n", encoding="utf-8")
    locations = resolve_locations(tmp_path / "data", content_copy)
    win = start(qtbot, locations)
    coord = school_setup.setup_school(win.ctx.db, "Ms Rivera", "password123", "Riverside High")
    win.ctx.load_content()
    # Trainees never see the broken lesson; the good ones are all there.
    intro_ids = [l.id for l in win.ctx.content.module_lessons("introduction")]
    assert "broken" not in intro_ids and len(intro_ids) >= 2
    win.sign_in(coord)
    staff = win.pages["staff"]
    staff.show_problems()
    panel = staff.problems  # the trainer's content workspace
    panel.refresh()
    broken_file = panel.file("99-broken.md")
    assert broken_file is not None and broken_file.state == "errors"
    assert panel.select_file("99-broken.md")
    child = panel.findings.topLevelItem(0)
    assert child.text(0) == "3" and child.text(1) == "error"
    assert "questons" in child.text(3) and "questions" in child.text(3)  # the hint names the fix
    # Fixing the file clears it without a restart ("Check again", or by itself on saving).
    broken.write_text("---\ntitle: Broken\n---\n" + "Words. " * 10, encoding="utf-8")
    panel.check_now()
    qtbot.waitUntil(
        lambda: panel.file("99-broken.md") is not None and panel.file("99-broken.md").state == "ok", timeout=5000
    )


def test_a_corrupt_database_gives_a_clear_message_and_is_not_overwritten(qtbot, tmp_path, locations):
    locations.data_dir.mkdir(parents=True)
    garbage = b"this is not a database " * 200
    locations.database_file.write_bytes(garbage)
    win = start(qtbot, locations)
    assert win.ctx.db is None
    from PySide6.QtWidgets import QLabel

    texts = " ".join(lbl.text() for lbl in win.stack.currentWidget().findChildren(QLabel))
    assert "cannot be opened" in texts
    assert locations.database_file.read_bytes() == garbage
