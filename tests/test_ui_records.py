"""The coordinator's Records tab and the start-up care of the records, driven like a person would."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from records_helpers import add_trainee_work, counts, laptop, set_up_school

from app.modules.content import load_content
from app.modules.exchange.bundle import export_bundle
from app.modules.records import backups, class_lists, profile_store
from app.modules.records.database import Database
from app.modules.records.profile_store import TRAINEE
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.staff.records_tab import RecordsTab
from app.ui.staff.staff_home import StaffHomePage

SHOTS = os.environ.get("PEER_TRAINER_SHOTS")  # a folder: save screenshots there to look at them


def shot(widget, name: str) -> None:
    if SHOTS:
        from PySide6.QtWidgets import QApplication

        from app.ui.common import theme

        theme.apply(QApplication.instance())  # only when looking: the look is the theme's
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def ctx(locations):
    context = AppContext(locations)
    context.open_records(Database.open(locations))
    coord, trainer = set_up_school(context.db)
    for name in ("Ana Lopez", "Ben Okoro"):
        trainee = profile_store.create_profile(context.db, name, TRAINEE, group="9B", actor_id=coord.id)
        add_trainee_work(context.db, trainee.id, trainer.id)
    context.set_content(load_content(locations.content_dir))
    context.reload_settings()
    context.sign_in(profile_store.get_profile(context.db, coord.id))
    context.trainer = trainer
    yield context
    if context.db is not None:
        context.db.close()


@pytest.fixture
def tab(qtbot, ctx):
    page = StaffHomePage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    page.refresh()
    page.tabs.setCurrentWidget(page.records)
    return page.records


def click(qtbot, button):
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def agree(qtbot, dialog) -> None:
    """Tick what a coordinator ticks after comparing the fingerprints (and joining the school)."""
    for box in (dialog.same, dialog.join):
        if box is not None:
            click(qtbot, box)
            assert box.isChecked()


def run(qtbot, tab: RecordsTab, button=None, action=None) -> str:
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, button) if button is not None else action()
    return done.args[0]


def erase_names(tab) -> list[str]:
    combo = tab.erasure_panel.erase_trainee
    return [combo.itemText(i) for i in range(combo.count())]


def test_only_coordinators_see_the_records_tab(qtbot, ctx):
    page = StaffHomePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert "Records" in [page.tabs.tabText(i) for i in range(page.tabs.count())]
    ctx.sign_in(profile_store.get_profile(ctx.db, ctx.trainer.id))
    page.refresh()
    assert "Records" not in [page.tabs.tabText(i) for i in range(page.tabs.count())]


def test_back_up_now_lists_the_backup_and_restore_asks_first(qtbot, tab, ctx):
    assert tab.backups_panel.backups.rowCount() == 0 and not tab.backups_panel.restore_button.isEnabled()
    message = run(qtbot, tab, tab.backups_panel.backup_button)
    assert message.startswith("Backed up") and tab.backups_panel.backups.rowCount() == 1
    assert tab.backups_panel.backups.item(0, 1).text() == backups.LABELS[backups.MANUAL]
    before = counts(ctx.db)
    profile_store.create_profile(ctx.db, "Added Later", TRAINEE, actor_id=ctx.profile.id)
    click(qtbot, tab.backups_panel.restore_button)
    dialog = tab.dialog
    assert dialog.isVisible() and "Anything recorded after that backup" in " ".join(
        label.text() for label in dialog.findChildren(type(tab.status))
    )
    shot(dialog, "records-restore-confirm")
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, dialog.ok)
    assert done.args[0].startswith("Restored")
    assert counts(ctx.db) == before  # "Added Later" is gone; ctx.db is the reopened database
    assert any(b.reason == backups.BEFORE_RESTORE for b in backups.list_backups(ctx.locations.backups_dir))


def test_exports_write_files_that_open(qtbot, tab, ctx, tmp_path):
    message = run(qtbot, tab, action=lambda: tab.exports_panel.export_csv(tmp_path))
    assert "competencies.csv" in message and (tmp_path / "attempts.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    run(qtbot, tab, action=lambda: tab.exports_panel.export_xapi(tmp_path / "x.json"))
    assert len(json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))) > 0
    tab.exports_panel.family_trainee.setCurrentIndex(tab.exports_panel.family_trainee.findText("Ben Okoro (9B)"))
    message = run(
        qtbot,
        tab,
        action=lambda: tab.exports_panel.export_family(
            tab.exports_panel.family_trainee.currentData(), tmp_path / "ben.json"
        ),
    )
    assert json.loads((tmp_path / "ben.json").read_text(encoding="utf-8"))["trainee"]["name"] == "Ben Okoro"
    assert "hand it over safely" in message


def test_import_shows_the_sender_then_merges_with_progress(qtbot, tab, ctx, tmp_path):
    other = Database.open(laptop(tmp_path / "other"))
    coord, trainer = set_up_school(other)
    cleo = profile_store.create_profile(other, "Cleo Brand", TRAINEE, group="9C", actor_id=coord.id)
    add_trainee_work(other, cleo.id, trainer.id)
    info = export_bundle(other, tmp_path / "other.peer-records", "Hillside School")
    other.close()
    message = run(qtbot, tab, action=lambda: tab.merge_panel.import_bundle(tmp_path / "other.peer-records"))
    assert message.startswith("Waiting")
    dialog = tab.dialog
    text = " ".join(label.text() for label in dialog.findChildren(type(tab.status)))
    assert info.fingerprint in text and info.device_id[:8] in text and "not paired" in text
    assert not dialog.ok.isEnabled()  # not before the fingerprints were compared
    shot(dialog, "records-import-confirm")
    agree(qtbot, dialog)
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, dialog.ok)
    assert done.args[0].startswith("Imported:") and "profiles recognised by name" in done.args[0]
    assert "now paired" in done.args[0] and "Paired laptops: 1" in tab.merge_panel.own_fingerprint.text()
    assert tab.progress.isHidden()
    assert "Cleo Brand (9C)" in [
        tab.erasure_panel.erase_trainee.itemText(i) for i in range(tab.erasure_panel.erase_trainee.count())
    ]
    shot(tab, "records-tab")

    data = bytearray((tmp_path / "other.peer-records").read_bytes())
    data[-10] ^= 0xFF
    (tmp_path / "changed.peer-records").write_bytes(bytes(data))
    message = run(qtbot, tab, action=lambda: tab.merge_panel.import_bundle(tmp_path / "changed.peer-records"))
    assert "changed after it was made" in message and tab.dialog is dialog  # refused before any question
    shot(tab, "records-tab-refused")


def test_cancel_stops_an_import_and_changes_nothing(qtbot, tab, ctx, tmp_path):
    other = Database.open(laptop(tmp_path / "other"))
    coord, _ = set_up_school(other)
    for group in ("8A", "8B", "8C"):
        class_lists.create_trainees_from_text(other, "\n".join(f"Pupil {i:03d}" for i in range(300)), group, coord.id)
    export_bundle(other, tmp_path / "big.peer-records")
    other.close()
    before = counts(ctx.db)
    run(qtbot, tab, action=lambda: tab.merge_panel.import_bundle(tmp_path / "big.peer-records"))
    agree(qtbot, tab.dialog)
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, tab.dialog.ok)
        assert tab.cancel_button.isVisible() and tab.progress.isVisible()
        click(qtbot, tab.cancel_button)
    assert done.args[0] == "Cancelled. Nothing was changed."
    assert counts(ctx.db) == before


def test_erasing_asks_for_the_name_to_be_typed(qtbot, tab, ctx):
    tab.erasure_panel.erase_trainee.setCurrentIndex(tab.erasure_panel.erase_trainee.findText("Ana Lopez (9B)"))
    click(qtbot, tab.erasure_panel.erase_button)
    dialog = tab.dialog
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.typed, "Ana")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.typed, " lopez")
    assert dialog.ok.isEnabled()
    shot(dialog, "records-erase-confirm")
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, dialog.ok)
    assert done.args[0].startswith("Erased:")
    assert erase_names(tab) == ["Ben Okoro (9B)"]


@pytest.mark.sqlite_only
def test_start_up_takes_the_daily_backup(qtbot, locations):
    db = Database.open(locations)
    set_up_school(db)
    db.close()
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.start(background=False)
    qtbot.waitUntil(
        lambda: any(b.reason == backups.DAILY for b in backups.list_backups(locations.backups_dir)), timeout=10000
    )
    win.ctx.shutdown()


@pytest.mark.sqlite_only
def test_a_damaged_file_offers_the_latest_good_backup_and_restores_it(qtbot, locations):
    db = Database.open(locations)
    coord, _ = set_up_school(db)
    backups.back_up(locations, backups.DAILY)
    db.close()
    garbage = os.urandom(40_000)
    locations.database_file.write_bytes(garbage)
    win = MainWindow(AppContext(locations))
    qtbot.addWidget(win)
    win.resize(1000, 760)
    win.show()
    win.start(background=False)
    qtbot.waitUntil(lambda: win.restore_offer is not None and win.restore_offer.button.isVisible(), timeout=10000)
    assert "today at" in win.restore_offer.note.text() and locations.database_file.read_bytes() == garbage
    shot(win, "start-damaged-offer")
    click(qtbot, win.restore_offer.button)
    qtbot.waitUntil(
        lambda: win.ctx.db is not None and win.stack.currentWidget() is win.pages.get("picker"), timeout=15000
    )
    assert [p.display_name for p in profile_store.list_profiles(win.ctx.db)] == ["Mr Okafor", "Ms Rivera"]
    damaged = list(locations.data_dir.glob("damaged-*"))
    assert len(damaged) == 1 and damaged[0].read_bytes() == garbage
    win.ctx.shutdown()


def test_the_import_window_shows_a_hostile_school_name_as_plain_text(qtbot, tab, ctx, tmp_path):
    other = Database.open(laptop(tmp_path / "other"))
    set_up_school(other, school="<img src=file:///etc/passwd> School")
    export_bundle(other, tmp_path / "other.peer-records")
    other.close()
    run(qtbot, tab, action=lambda: tab.merge_panel.import_bundle(tmp_path / "other.peer-records"))
    texts = [label.text() for label in tab.dialog.findChildren(type(tab.status))]
    assert any("&lt;img src=file:///etc/passwd&gt; School" in t for t in texts)
    assert not any("<img" in t for t in texts)
    assert "This laptop's fingerprint:" in tab.merge_panel.own_fingerprint.text()


@pytest.mark.sqlite_only
def test_an_erasure_held_back_by_a_reader_says_so_and_can_be_finished(short_busy_wait, qtbot, tab, ctx):
    import sqlite3

    main = ctx.locations.data_dir / "peer-trainer.sqlite3"
    reader = sqlite3.connect(main)
    reader.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM profiles").fetchone()
    tab.erasure_panel.erase_trainee.setCurrentIndex(tab.erasure_panel.erase_trainee.findText("Ana Lopez (9B)"))
    click(qtbot, tab.erasure_panel.erase_button)
    qtbot.keyClicks(tab.dialog.typed, "Ana Lopez")
    try:
        message = run(qtbot, tab, tab.dialog.ok)
    finally:
        reader.rollback()
        reader.close()
    assert message.startswith("Not finished.") and "another program was reading" in message
    assert tab.erasure_panel.finish_erase_button.isVisible()
    shot(tab, "records-erase-not-finished")
    assert run(qtbot, tab, tab.erasure_panel.finish_erase_button).startswith("Erasure finished")
    assert not tab.erasure_panel.finish_erase_button.isVisible()


def test_a_paired_laptops_next_file_needs_no_fingerprint(qtbot, tab, ctx, tmp_path):
    from records_helpers import same_school, trusted_import

    other = Database.open(laptop(tmp_path / "other"))
    coord, trainer = set_up_school(other, coordinator="Mr Other")
    same_school(ctx.db, other)
    export_bundle(other, tmp_path / "first.peer-records")
    trusted_import(ctx.db, tmp_path / "first.peer-records", ctx.profile.id)
    dev = profile_store.create_profile(other, "Dev Patel", TRAINEE, group="9C", actor_id=coord.id)
    add_trainee_work(other, dev.id, trainer.id)
    export_bundle(other, tmp_path / "second.peer-records")
    other.close()
    run(qtbot, tab, action=lambda: tab.merge_panel.import_bundle(tmp_path / "second.peer-records"))
    dialog = tab.dialog
    text = " ".join(label.text() for label in dialog.findChildren(type(tab.status)))
    assert "is paired with this one" in text and dialog.same is None and dialog.join is None
    assert dialog.ok.text() == "Import" and dialog.ok.isEnabled()
    with qtbot.waitSignal(tab.finished, timeout=20000) as done:
        click(qtbot, dialog.ok)
    assert done.args[0].startswith("Imported:") and "now paired" not in done.args[0]
    assert "Dev Patel (9C)" in [
        tab.erasure_panel.erase_trainee.itemText(i) for i in range(tab.erasure_panel.erase_trainee.count())
    ]
