"""Issue 14 item 4: a stale or foreign -wal beside the records is never replayed silently.

Every case uses real files: a -wal copied while the program had the records open (an older
one put back later, or another school's), a -wal left by a process that never closed, and a
zero-byte records file with backups beside it.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from records_helpers import laptop, set_up_school

from app.modules.records import backups, profile_store, school_setup
from app.modules.records.database import (
    Database,
    DatabaseUnavailable,
    clean_close_mark,
    set_aside_stray_wal,
    wal_of,
)
from app.modules.records.profile_store import TRAINEE

pytestmark = pytest.mark.sqlite_only  # the -wal is SQLite's


def _names(db: Database) -> set[str]:
    return {p.display_name for p in profile_store.list_profiles(db)}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith("-shm")}


def _wal_copy_while_open(db: Database, dest: Path) -> None:
    file = db.locations.database_file
    assert wal_of(file).stat().st_size > 0, "the program should have a -wal while it runs"
    shutil.copyfile(wal_of(file), dest)


def test_an_older_wal_put_back_after_a_clean_close_is_refused_and_nothing_is_lost(tmp_path):
    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    _wal_copy_while_open(db, tmp_path / "old-wal")
    profile_store.create_profile(db, "Ben Ode", TRAINEE, actor_id=coord.id)
    profile_store.create_profile(db, "Cy Twombly", TRAINEE, actor_id=coord.id)
    db.close()
    assert not wal_of(place.database_file).exists() and clean_close_mark(place.database_file).exists()

    shutil.copyfile(tmp_path / "old-wal", wal_of(place.database_file))  # the attack
    before = _snapshot(place.data_dir)
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    refusal = raised.value
    assert refusal.damaged and refusal.stray_wal == wal_of(place.database_file)
    assert "peer-trainer.sqlite3-wal" in refusal.message and "Nothing has been changed" in refusal.message
    assert _snapshot(place.data_dir) == before  # not checkpointed, not deleted: left as found
    assert backups.is_damaged(place.database_file)  # a restore would move it aside, not read it

    kept = set_aside_stray_wal(place.database_file)
    assert kept.read_bytes() == before[wal_of(place.database_file).name]
    again = Database.open(place)
    try:
        assert {"Ana Lopez", "Ben Ode", "Cy Twombly"} <= _names(again)  # no record lost
    finally:
        again.close()


def test_another_schools_wal_is_refused(tmp_path):
    ours = laptop(tmp_path / "ours")
    db = Database.open(ours)
    coord, _ = set_up_school(db)
    profile_store.create_profile(db, "Sam Jones", TRAINEE, actor_id=coord.id)
    db.close()
    theirs = Database.open(laptop(tmp_path / "theirs"))
    their_coord, _ = set_up_school(theirs, "Mr Other", "Other School")
    profile_store.create_profile(theirs, "Sam Jones", TRAINEE, group="X", actor_id=their_coord.id)
    _wal_copy_while_open(theirs, tmp_path / "foreign-wal")
    theirs.close()

    shutil.copyfile(tmp_path / "foreign-wal", wal_of(ours.database_file))
    before = _snapshot(ours.data_dir)
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(ours)
    assert raised.value.stray_wal is not None
    assert _snapshot(ours.data_dir) == before


def _break_an_index_in_the_wal(file: Path, copy_to: Path) -> None:
    """Leave the records as a killed program would: a -wal holding a change that breaks an index.

    The index is redefined on another column, so its entries no longer match the rows:
    quick_check passes (it does not read indexes), integrity_check fails.
    """
    con = sqlite3.connect(file, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("PRAGMA writable_schema = ON")
    con.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_profiles_role ON profiles (display_name)' "
        "WHERE name = 'ix_profiles_role'"
    )
    con.execute("PRAGMA writable_schema = OFF")
    copy_to.mkdir()
    for src in (file, wal_of(file)):
        shutil.copyfile(src, copy_to / src.name)  # copied while open: no clean close, no mark
    con.close()


def test_after_an_unclean_shutdown_integrity_check_runs_and_a_failure_is_refused_untouched(tmp_path):
    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    for name in ("Ana Lopez", "Ben Ode", "Cy Twombly"):
        profile_store.create_profile(db, name, TRAINEE, actor_id=coord.id)
    db.close()
    crashed = laptop(tmp_path / "crashed")
    _break_an_index_in_the_wal(place.database_file, crashed.data_dir)
    quick = sqlite3.connect(f"{crashed.database_file.as_uri()}?mode=ro", uri=True)
    assert quick.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # the check used before
    quick.close()

    before = _snapshot(crashed.data_dir)
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(crashed)
    assert raised.value.damaged and "damaged" in raised.value.message
    assert _snapshot(crashed.data_dir) == before  # the -wal is still there: no checkpoint on close
    assert wal_of(crashed.database_file).exists()


def test_a_wal_left_by_a_killed_program_that_passes_is_replayed(tmp_path):
    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    crashed = laptop(tmp_path / "crashed")
    crashed.data_dir.mkdir()
    for src in (place.database_file, wal_of(place.database_file)):
        shutil.copyfile(src, crashed.data_dir / src.name)  # as if killed now
    db.close()
    again = Database.open(crashed)
    try:
        assert "Ana Lopez" in _names(again)
    finally:
        again.close()
    assert clean_close_mark(crashed.database_file).exists()


def test_a_zero_byte_file_with_backups_offers_the_restore_not_a_first_start(tmp_path):
    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    backups.back_up(place)
    db.close()
    place.database_file.write_bytes(b"")
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert raised.value.damaged and "empty" in raised.value.message
    assert place.database_file.stat().st_size == 0
    result = backups.restore(place, backups.latest_good_backup(place.backups_dir))
    try:
        assert "Ana Lopez" in _names(result.db)
        assert result.damaged_copy is not None  # the empty file, kept
    finally:
        result.db.close()


def test_a_zero_byte_file_without_backups_is_a_first_start(tmp_path):
    place = laptop(tmp_path / "data")
    place.data_dir.mkdir()
    place.database_file.write_bytes(b"")
    db = Database.open(place)
    try:
        assert school_setup.needs_setup(db)
    finally:
        db.close()


def test_the_window_offers_to_move_a_stray_wal_aside_and_then_opens_every_record(qtbot, tmp_path):
    import os

    from PySide6.QtCore import Qt

    from app.ui.common.context import AppContext
    from app.ui.main_window import MainWindow

    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    _wal_copy_while_open(db, tmp_path / "old-wal")
    profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    backups.back_up(place, backups.DAILY)
    db.close()
    shutil.copyfile(tmp_path / "old-wal", wal_of(place.database_file))

    win = MainWindow(AppContext(place))
    qtbot.addWidget(win)
    win.resize(1000, 760)
    win.show()
    win.start(background=False)
    qtbot.waitUntil(lambda: getattr(win, "stray_offer", None) is not None, timeout=10000)
    qtbot.waitUntil(lambda: win.restore_offer.button.isVisible(), timeout=10000)  # the restore is offered too
    if os.environ.get("PEER_TRAINER_SHOTS"):
        win.grab().save(str(Path(os.environ["PEER_TRAINER_SHOTS"]) / "start-stray-wal.png"))
    qtbot.mouseClick(win.stray_offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: win.ctx.db is not None and win.stack.currentWidget() is win.pages.get("picker"), timeout=15000
    )
    assert "Ana Lopez" in _names(win.ctx.db)
    assert len(list(place.data_dir.glob("stray-*-wal"))) == 1
    win.ctx.shutdown()


def test_the_quick_look_at_start_up_does_not_show_a_stray_wal(tmp_path):
    from app.modules.records import peek

    place = laptop(tmp_path / "data")
    db = Database.open(place)
    coord, _ = set_up_school(db)
    theirs = Database.open(laptop(tmp_path / "theirs"))
    set_up_school(theirs, "Mr Other", "Other School")
    profile_store.create_profile(
        theirs,
        "Intruder",
        TRAINEE,
        actor_id=next(p.id for p in profile_store.list_profiles(theirs) if p.role == profile_store.COORDINATOR),
    )
    _wal_copy_while_open(theirs, tmp_path / "foreign-wal")
    theirs.close()
    db.close()
    assert peek.peek(place.database_file) is not None
    shutil.copyfile(tmp_path / "foreign-wal", wal_of(place.database_file))
    assert peek.peek(place.database_file) is None


def test_the_window_offers_the_restore_for_a_zero_byte_file_not_the_first_start(qtbot, tmp_path):
    from app.ui.common.context import AppContext
    from app.ui.main_window import MainWindow

    place = laptop(tmp_path / "data")
    db = Database.open(place)
    set_up_school(db)
    backups.back_up(place, backups.DAILY)
    db.close()
    place.database_file.write_bytes(b"")
    win = MainWindow(AppContext(place))
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    qtbot.waitUntil(lambda: getattr(win, "restore_offer", None) is not None, timeout=10000)
    qtbot.waitUntil(lambda: win.restore_offer.button.isVisible(), timeout=10000)
    assert "setup" not in win.pages  # never the first-start page over a school's lost records
    assert place.database_file.stat().st_size == 0
    win.ctx.shutdown()
