"""Two students with the same name in one class, told apart by a short note (issue 15).

The rule: no two active people in one group share their name *and* their note (case and
Unicode width ignored). The note is in the records since migration 0004, in rosters, in the
profile picker, in `people list`, and in record bundles.
"""

from __future__ import annotations

import pytest
from alembic import command
from records_helpers import coordinator_of, laptop, same_school, set_up_school, trusted_import

from app.modules.exchange import tables
from app.modules.exchange.bundle import export_bundle
from app.modules.records import class_lists, migrate, peek, profile_store, school_setup
from app.modules.records.class_lists import RosterRow
from app.modules.records.database import HEAD_REVISION, Database, create_records_engine
from app.modules.records.profile_store import TRAINEE, AccountError


@pytest.fixture
def coordinator(db):
    return school_setup.setup_school(db, "Ms Rivera", "correct horse", "Hillside School")


def _profiles(db, name):
    return sorted(
        (
            (p.group_name, p.note)
            for p in profile_store.list_profiles(db)
            if p.display_name.casefold() == name.casefold()
        ),
        key=str,
    )


def test_the_same_name_in_one_group_needs_notes_that_differ(db, coordinator):
    by = coordinator.id
    sam = profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", actor_id=by)
    with pytest.raises(AccountError, match="add a note that tells them apart"):
        profile_store.create_profile(db, "sam  lee", TRAINEE, group="9B", actor_id=by)
    tall = profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", note=" Year 9,  tall ", actor_id=by)
    assert tall.note == "Year 9, tall"
    # The same note, in other case or in full-width letters, is the same note.
    with pytest.raises(AccountError, match="with the note “ＹＥＡＲ 9, TALL”"):
        profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", note="ＹＥＡＲ 9, TALL", actor_id=by)
    with pytest.raises(AccountError, match="too long"):
        profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", note="x" * 41, actor_id=by)
    # Giving the first Sam the second one's note, moving or renaming into a clash: refused.
    with pytest.raises(AccountError, match="different note"):
        profile_store.set_note(db, sam.id, "year 9, tall", actor_id=by)
    profile_store.set_note(db, sam.id, "Maths set 2", actor_id=by)
    assert profile_store.get_profile(db, sam.id).note == "Maths set 2"
    other = profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9C", note="Maths set 2", actor_id=by)
    with pytest.raises(AccountError, match="already a profile called Sam Lee with the note"):
        profile_store.move_to_group(db, other.id, "9B", actor_id=by)
    kim = profile_store.create_profile(db, "Kim", TRAINEE, group="9B", note="tall", actor_id=by)
    profile_store.rename_profile(db, kim.id, "Sam Lee", actor_id=by)  # (Sam Lee, tall) is free in 9B
    with pytest.raises(AccountError, match="already a profile"):
        profile_store.set_note(db, kim.id, "Maths set 2", actor_id=by)
    # An archived profile does not hold its name and note; bringing it back checks them again.
    profile_store.archive_profile(db, kim.id, actor_id=by)
    profile_store.set_note(db, sam.id, "tall", actor_id=by)
    with pytest.raises(AccountError, match="already a profile"):
        profile_store.archive_profile(db, kim.id, actor_id=by, archived=False)
    assert _profiles(db, "Sam Lee") == [("9B", "Year 9, tall"), ("9B", "tall"), ("9C", "Maths set 2")]
    profile_store.set_note(db, kim.id, "", actor_id=by)  # a blank note is no note
    assert profile_store.get_profile(db, kim.id).note is None


def test_a_roster_with_one_name_twice_is_two_people_and_importing_it_again_changes_nothing(db, coordinator):
    profile_store.create_profile(db, "Ana Silva", TRAINEE, group="9B", actor_id=coordinator.id)
    rows = [
        RosterRow(2, "Sam Lee", "9B"),
        RosterRow(3, "Ana Silva", "9B"),
        RosterRow(4, "sam lee", "9B"),
        RosterRow(5, "Ana Silva", "9B"),
        RosterRow(6, "Bo", "9B", "tall"),
    ]
    preview = class_lists.import_roster(db, rows, coordinator.id, dry_run=True)
    assert preview.created == [] and len(profile_store.list_profiles(db)) == 2
    assert [(r.line, r.note) for r in preview.to_add] == [(2, "1 of 2"), (4, "2 of 2"), (5, "2 of 2"), (6, "tall")]
    assert preview.already_here == 1
    done = class_lists.import_roster(db, rows, coordinator.id)
    assert [(p.display_name, p.note) for p in done.created] == [
        ("Sam Lee", "1 of 2"),
        ("sam lee", "2 of 2"),
        ("Ana Silva", "2 of 2"),
        ("Bo", "tall"),
    ]
    assert done.same_names == preview.same_names and len(done.same_names) == 2
    assert "Lines 2, 4 have the same name in 9B (Sam Lee)" in done.same_names[0]
    assert "Lines 3, 5" in done.same_names[1] and "1 was added with the note “2 of 2”" in done.same_names[1]
    again = class_lists.import_roster(db, rows, coordinator.id)
    assert again.to_add == [] and again.created == [] and again.same_names == [] and again.already_here == 5
    assert len(profile_store.list_profiles(db)) == 6
    # Notes changed since, to something that tells them apart: still the same people.
    sams = [p for p in profile_store.list_profiles(db) if p.display_name.casefold() == "sam lee"]
    profile_store.set_note(db, sams[0].id, "tall", actor_id=coordinator.id)
    assert class_lists.import_roster(db, rows, coordinator.id).to_add == []


def test_a_roster_with_a_problem_writes_nothing(db, coordinator):
    rows = [RosterRow(2, "Sam Lee", "9B"), RosterRow(3, "Bo", "9B", "tall"), RosterRow(4, "bo", "9b", "TALL")]
    result = class_lists.import_roster(db, rows, coordinator.id)
    assert result.created == [] and [line for line, _why in result.problems] == [4]
    assert "also on line 3" in result.problems[0][1]
    assert [p.display_name for p in profile_store.list_profiles(db)] == ["Ms Rivera"]


@pytest.mark.sqlite_only
def test_migrating_from_0003_keeps_every_profile_and_the_picker_reads_both(locations):
    db = Database.open(locations)
    coord = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Hillside School")
    class_lists.create_trainees_from_text(db, "Ana Silva\nBen Cole", "9B", coord.id)
    before = [(p.id, p.display_name, p.role, p.group_name, p.has_secret) for p in profile_store.list_profiles(db)]
    db.close()
    engine = create_records_engine(f"sqlite:///{locations.database_file}", foreign_keys=False)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_after_certificate")
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(profiles)")]
    engine.dispose()
    assert "note" not in columns
    old = peek.peek(locations.database_file)  # the picker still shows a 0003 file at once
    assert old is not None and [(p.id, p.note) for p in old.profiles] == [(row[0], None) for row in before]
    db = Database.open(locations)  # migrates, after a backup
    try:
        assert db.backup is not None
        after = profile_store.list_profiles(db)
        assert [(p.id, p.display_name, p.role, p.group_name, p.has_secret) for p in after] == before
        assert all(p.note is None for p in after)
        ana = next(p for p in after if p.display_name == "Ana Silva")
        profile_store.set_note(db, ana.id, "Year 9, tall", actor_id=coord.id)
        profile_store.create_profile(db, "Ana Silva", TRAINEE, group="9B", actor_id=coord.id, note="short")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
    finally:
        db.close()
    quick = peek.peek(locations.database_file)
    assert sorted(p.note or "" for p in quick.profiles if p.display_name == "Ana Silva") == ["Year 9, tall", "short"]


def test_the_picker_shows_the_note(qtbot, locations, db, coordinator):
    from app.ui.start.profile_picker import ProfileButton

    profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", note="Year 9, tall", actor_id=coordinator.id)
    profile_store.create_profile(db, "Sam Lee", TRAINEE, group="9B", note="Maths set 2", actor_id=coordinator.id)
    quick = peek.peek(locations.database_file)
    profiles = quick.profiles if quick is not None else profile_store.list_profiles(db)  # PostgreSQL: no quick look
    sams = [p for p in profiles if p.display_name == "Sam Lee"]
    assert [p.note for p in sams] == ["Maths set 2", "Year 9, tall"]
    for sam in sams:
        button = ProfileButton(sam)
        qtbot.addWidget(button)
        from app.ui.common.widgets import Label

        shown = button.findChild(Label, "ProfileNote")
        assert shown is not None and shown.text() == sam.note
        assert button.accessibleName().startswith(f"Sam Lee ({sam.note}), Trainee")


def test_a_bundle_carries_the_note_and_a_bundle_without_it_is_still_taken(tmp_path, db, monkeypatch):
    a = Database.open(laptop(tmp_path / "laptop-a"))
    try:
        coord_a, _trainer = set_up_school(a)
        profile_store.create_profile(a, "Sam Lee", TRAINEE, group="9B", note="tall", actor_id=coord_a.id)
        profile_store.create_profile(a, "Sam Lee", TRAINEE, group="9B", note="short", actor_id=coord_a.id)
        set_up_school(db)
        same_school(a, db)
        with_note = tmp_path / "a.peer-records"
        export_bundle(a, with_note, "Hillside School")
        # A laptop whose program does not know notes yet leaves the column out of its bundles.
        monkeypatch.setitem(tables.LOCAL_ONLY, "profiles", {*tables.LOCAL_ONLY["profiles"], "note"})
        profile_store.create_profile(a, "Kai", TRAINEE, group="9B", actor_id=coord_a.id)
        without_note = tmp_path / "old.peer-records"
        export_bundle(a, without_note, "Hillside School")
        monkeypatch.undo()
    finally:
        a.close()
    trusted_import(db, with_note)
    assert _profiles(db, "Sam Lee") == [("9B", "short"), ("9B", "tall")]
    # Renamed on this laptop after the old bundle was made: the old bundle's Sams are older, kept as here.
    here = next(p for p in profile_store.list_profiles(db) if p.note == "short")
    profile_store.set_note(db, here.id, "short hair", actor_id=coordinator_of(db))
    result = trusted_import(db, without_note)
    assert result.changed
    assert _profiles(db, "Kai") == [("9B", None)]
    assert _profiles(db, "Sam Lee") == [("9B", "short hair"), ("9B", "tall")]
