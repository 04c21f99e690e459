"""Backups of the SQLite records: online copies, daily at most, rotation, restore, damaged files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from records_helpers import add_trainee_work, counts, laptop, same_school, set_up_school, trusted_import

from app.modules.records import backups, profile_store
from app.modules.records.database import Database, DatabaseUnavailable
from app.modules.records.profile_store import TRAINEE

pytestmark = pytest.mark.sqlite_only  # backups are of the SQLite file; a server has its own tools


@pytest.fixture
def school(locations):
    db = Database.open(locations)
    coord, trainer = set_up_school(db)
    ana = profile_store.create_profile(db, "Ana Lopez", TRAINEE, group="9B", actor_id=coord.id)
    add_trainee_work(db, ana.id, trainer.id)
    yield db, coord, trainer
    db.close()


def _rows_in(path, table="profiles") -> int:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_back_up_now_copies_what_is_still_in_the_wal(school, locations, tmp_path):
    db, coord, _ = school
    profile_store.create_profile(db, "Late Arrival", TRAINEE, group="9B", actor_id=coord.id)
    wal = locations.database_file.with_name(locations.database_file.name + "-wal")
    assert wal.stat().st_size > 0  # committed pages not yet in the main file
    plain = tmp_path / "plain-copy.sqlite3"
    shutil.copy(locations.database_file, plain)  # what a naive file copy would get
    info = backups.back_up(locations)
    assert info.reason == backups.MANUAL and info.size > 0 and backups.check_backup(info.path) is None
    assert _rows_in(info.path) == counts(db)["profiles"] == 4
    try:
        naive = f"{_rows_in(plain)} profiles"
    except sqlite3.OperationalError as exc:
        naive = f"unusable ({exc})"
    assert naive != "4 profiles"  # the naive copy misses what is still in the -wal
    print(f"\nonline backup: {_rows_in(info.path)} profiles; a plain copy of the main file alone: {naive}")


def test_the_daily_backup_is_taken_at_most_once_a_day(school, locations):
    monday = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert backups.daily_backup_if_due(locations, monday).reason == backups.DAILY
    assert backups.daily_backup_if_due(locations, monday + timedelta(hours=3)) is None
    assert backups.daily_backup_if_due(locations, monday + timedelta(days=1)) is not None
    assert [b.reason for b in backups.list_backups(locations.backups_dir)] == [backups.DAILY, backups.DAILY]


def test_no_daily_backup_before_there_are_records(locations):
    assert backups.daily_backup_if_due(locations) is None
    assert not locations.backups_dir.exists()


def test_rotation_keeps_a_week_of_dailies_a_few_weeklies_and_recent_event_backups(school, locations):
    first = backups.back_up(locations, backups.MANUAL).path
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    for day in range(90):  # three months of daily start-ups
        shutil.copy(first, locations.backups_dir / backups.backup_name(backups.DAILY, start + timedelta(days=day)))
    for i in range(12):
        shutil.copy(
            first, locations.backups_dir / backups.backup_name(backups.BEFORE_IMPORT, start + timedelta(hours=i))
        )
    removed = backups.rotate(locations.backups_dir)
    kept = backups.list_backups(locations.backups_dir)
    dailies = sorted(b.taken_at for b in kept if b.reason == backups.DAILY)
    last = start + timedelta(days=89)
    assert dailies[-7:] == [last - timedelta(days=d) for d in range(6, -1, -1)]  # the last week, every day
    older = dailies[:-7]
    assert len(older) == backups.WEEKLIES_KEPT
    assert len({d.isocalendar()[:2] for d in older}) == len(older)  # one per week
    assert sum(b.reason == backups.BEFORE_IMPORT for b in kept) == backups.EVENT_KEPT
    assert any(b.reason == backups.MANUAL for b in kept)
    print(f"\nrotation: {len(kept)} kept ({len(dailies)} daily), {len(removed)} removed")


def test_a_file_overwritten_with_garbage_is_refused_then_restored_from_the_latest_good_backup(school, locations):
    db, *_ = school
    before = counts(db)
    good = backups.back_up(locations, backups.DAILY)
    broken_backup = locations.backups_dir / backups.backup_name(
        backups.MANUAL, datetime.now(UTC) + timedelta(minutes=5)
    )
    broken_backup.write_bytes(good.path.read_bytes()[:5000])  # newer, but cut short: must be passed over
    db.close()
    garbage = os.urandom(64 * 1024)
    locations.database_file.write_bytes(garbage)
    for side in ("-wal", "-shm"):
        locations.database_file.with_name(locations.database_file.name + side).unlink(missing_ok=True)
    with pytest.raises(DatabaseUnavailable) as caught:
        Database.open(locations)
    assert caught.value.damaged and locations.database_file.read_bytes() == garbage  # never written to
    latest = backups.latest_good_backup(locations.backups_dir)
    assert latest is not None and latest.path == good.path
    result = backups.restore(locations, latest)
    try:
        assert counts(result.db) == before
        assert result.damaged_copy is not None and result.damaged_copy.read_bytes() == garbage  # kept untouched
        assert result.safety_copy is None
    finally:
        result.db.close()
    print(
        f"\nrestored after garbage: {before['profiles']} profiles, {before['quiz_attempts']} checks back; "
        f"damaged file kept as {result.damaged_copy.name}"
    )


def test_restoring_healthy_records_backs_them_up_first(school, locations):
    db, coord, _ = school
    older = backups.back_up(locations, backups.MANUAL)
    profile_store.create_profile(db, "Only In The Newer Records", TRAINEE, actor_id=coord.id)
    result = backups.restore(locations, older, db)
    try:
        assert all(p.display_name != "Only In The Newer Records" for p in profile_store.list_profiles(result.db))
        assert result.safety_copy is not None and result.safety_copy.name.startswith(backups.BEFORE_RESTORE)
        assert _rows_in(result.safety_copy) == 4  # the newer records, kept
    finally:
        result.db.close()


@pytest.mark.parametrize("damage", ["cut short", "not a database", "someone else's database"])
def test_a_bad_backup_is_never_restored(school, locations, damage, tmp_path):
    db, *_ = school
    good = backups.back_up(locations)
    bad = locations.backups_dir / backups.backup_name(backups.MANUAL, datetime.now(UTC) + timedelta(hours=1))
    if damage == "cut short":
        bad.write_bytes(good.path.read_bytes()[:3000])
    elif damage == "not a database":
        bad.write_text("hello")
    else:
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE things (x)")
        con.commit()
        con.close()
    assert backups.check_backup(bad) is not None
    before = counts(db)
    with pytest.raises(backups.BackupError, match="cannot be restored"):
        backups.restore(locations, bad, None)
    assert counts(db) == before


def test_a_database_server_is_backed_up_by_its_own_tools(tmp_path):
    from app.paths import resolve_locations

    server = resolve_locations(tmp_path, database_url="postgresql+psycopg://school-server/records")
    with pytest.raises(backups.BackupError, match="server"):
        backups.back_up(server)
    assert backups.daily_backup_if_due(server) is None


def test_an_import_and_a_migration_each_take_a_backup_first(tmp_path, locations, school):
    from app.modules.exchange.bundle import export_bundle

    other = Database.open(laptop(tmp_path / "other"))
    set_up_school(other, coordinator="Mr Other")
    db, *_ = school
    same_school(db, other)
    export_bundle(other, tmp_path / "o.peer-records")
    other.close()
    result = trusted_import(db, tmp_path / "o.peer-records")
    assert result.backup is not None and result.backup.name.startswith(backups.BEFORE_IMPORT)
    assert backups.check_backup(result.backup) is None


def test_backup_names_dates_and_sizes_read_well():
    assert backups.size_in_words(3 * 1024 * 1024 + 10) == "3.0 MB" and backups.size_in_words(2048) == "2 KB"
    now = datetime(2025, 5, 14, 12, 0, tzinfo=UTC)
    assert backups.age_in_words(now - timedelta(minutes=5), now).startswith("today at")
    assert backups.age_in_words(now - timedelta(days=1), now).startswith("yesterday at")
    assert "days ago" in backups.age_in_words(now - timedelta(days=4), now)
