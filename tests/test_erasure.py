"""Erasing a trainee: no row about them, and no byte of their name in the file or its backups."""

from __future__ import annotations

import json

import pytest
from records_helpers import COUNTED, add_trainee_work, counts, set_up_school
from sqlalchemy import func, or_, select

from app.modules.records import backups, preference_store, profile_store, progress_store
from app.modules.records.erasure import ERASED, erase_trainee, files_containing
from app.modules.records.models import AuditEntry, Base, Certificate, utcnow
from app.modules.records.profile_store import TRAINEE, AccountError, PermissionDenied

NAME = "Zoë Quinn-Ashby"


@pytest.fixture
def school(db):
    coord, trainer = set_up_school(db)
    zoe = profile_store.create_profile(db, NAME, TRAINEE, group="9B", actor_id=coord.id)
    ben = profile_store.create_profile(db, "Ben Okoro", TRAINEE, group="9B", actor_id=coord.id)
    for trainee in (zoe, ben):
        add_trainee_work(db, trainee.id, trainer.id)
    preference_store.set_preferences(db, zoe.id, {"theme": "dark"}, actor_id=zoe.id)
    profile_store.set_secret(db, zoe.id, "2468", coord.id)
    # Her name typed into someone else's record, and on her certificate.
    progress_store.add_sign_off(
        db, ben.id, trainer.id, "empathy", {"Names the feeling": True}, note=f"Practised with {NAME}; both did well."
    )
    with db.session() as session:
        session.add(
            Certificate(
                number="HS-2025-0007",
                profile_id=zoe.id,
                trainee_name=NAME,
                issued_at=utcnow(),
                issued_by=coord.id,
                payload={"name": NAME, "group": "9B"},
                signature="c2lnbmF0dXJl",
            )
        )
    return coord, trainer, zoe, ben


def _rows_about(db, profile_id: str) -> int:
    """Rows in any table whose columns point at the profile."""
    total = 0
    with db.engine.connect() as c:
        for name in COUNTED:
            table = Base.metadata.tables[name]
            refs = [col for col in table.columns if any(fk.column.table.name == "profiles" for fk in col.foreign_keys)]
            if name == "profiles":
                refs = [table.c.id]
            if not refs:  # answers and steps: they go with their attempt, counted there
                continue
            if name == "audit_log":
                refs.append(table.c.entity_id)
                where = or_(*(col == profile_id for col in refs)) & (table.c.action != "erase")
            else:
                where = or_(*(col == profile_id for col in refs))
            total += c.scalar(select(func.count()).select_from(table).where(where))
    return total


def test_erasure_removes_every_row_about_the_trainee_on_any_backend(db, school):
    coord, trainer, zoe, ben = school
    before = counts(db)
    assert _rows_about(db, zoe.id) >= 10
    result = erase_trainee(db, zoe.id, coord.id, "zoë quinn-ashby")
    left = _rows_about(db, zoe.id)
    assert left == 0
    assert result.rows_removed["profiles"] == 1 and result.rows_removed["quiz_answers"] == 4
    with db.session() as session:
        cert = session.scalars(select(Certificate)).one()
        assert (cert.number, cert.profile_id, cert.trainee_name, cert.payload, cert.signature) == (
            "HS-2025-0007",
            None,
            None,
            None,
            None,
        )
        tombstone = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert tombstone.entity_id == zoe.id and NAME not in str(tombstone.detail)
    note = progress_store.sign_offs(db, ben.id)[-1].note
    assert note == f"Practised with {ERASED}; both did well."
    assert len(progress_store.quiz_attempts(db, ben.id)) == 1  # Ben keeps everything
    after = counts(db)
    print(
        f"\nerased: {result.total_removed} rows removed; rows left after erasure: {left}; "
        f"certificate numbers kept: {result.certificates_kept}; tables before {before} after {after}"
    )


@pytest.mark.sqlite_only
def test_the_name_is_in_no_byte_of_the_file_its_wal_or_any_backup(db, school, locations):
    coord, _, zoe, _ = school
    backups.back_up(locations, backups.MANUAL)
    backups.back_up(locations, backups.DAILY)
    data = locations.data_dir
    files = lambda: sorted(p for p in data.rglob("*") if p.is_file() and p.suffix != ".pem" and "keys" not in p.parts)  # noqa: E731
    assert files_containing(files(), NAME), "the name was in the files before"
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    assert len(result.backups_cleaned) == 2 and not result.backups_deleted
    searched = files()
    as_json = json.dumps(NAME)[1:-1]  # JSON columns may hold it as "Zo\\u00eb ..."
    found = files_containing(searched, NAME) + files_containing(searched, as_json)
    assert found == [] and result.name_still_in == []
    raw_hits = sum(p.read_bytes().count(form.encode()) for p in searched for form in (NAME, as_json))
    assert raw_hits == 0
    for b in backups.list_backups(locations.backups_dir):
        assert backups.check_backup(b.path) is None  # the cleaned backups still restore
    print(
        f"\nsearched {len(searched)} files ({', '.join(p.name for p in searched)}): "
        f"occurrences of the name: {raw_hits}; backups cleaned: {len(result.backups_cleaned)}"
    )


@pytest.mark.sqlite_only
def test_a_backup_that_cannot_be_cleaned_is_deleted(db, school, locations):
    coord, _, zoe, _ = school
    good = backups.back_up(locations, backups.MANUAL)
    broken = good.path.with_name(backups.backup_name(backups.DAILY, utcnow()))
    broken.write_bytes(good.path.read_bytes()[:20000])  # cut short, and still holding her name
    assert files_containing([broken], NAME)
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    assert broken in result.backups_deleted and not broken.exists()
    assert good.path in result.backups_cleaned and not files_containing([good.path], NAME)


def test_erasure_needs_a_coordinator_and_the_name_typed(db, school):
    coord, trainer, zoe, ben = school
    with pytest.raises(PermissionDenied):
        erase_trainee(db, zoe.id, trainer.id, NAME)
    with pytest.raises(AccountError, match="does not match"):
        erase_trainee(db, zoe.id, coord.id, "Zoe")
    with pytest.raises(AccountError, match="Only trainees"):
        erase_trainee(db, trainer.id, coord.id, "Mr Okafor")
    assert _rows_about(db, zoe.id) > 0


def test_a_namesake_keeps_their_name(db, school):
    coord, trainer, zoe, _ = school
    twin = profile_store.create_profile(db, NAME, TRAINEE, group="10A", actor_id=coord.id)
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    assert result.same_name_profiles == 1
    assert profile_store.get_profile(db, twin.id).display_name == NAME


def test_the_name_is_scrubbed_in_every_unicode_form_and_case(db, school):
    import unicodedata

    coord, trainer, zoe, ben = school
    forms = {
        "decomposed (NFD)": unicodedata.normalize("NFD", NAME),
        "upper case": NAME.upper(),  # "ZOË QUINN-ASHBY": no SQL LIKE folds Ë
        "full-width": "Ｚｏë Ｑｕｉｎｎ-Ａｓｈｂｙ",
        "across a line break": "Zoë\nQuinn-Ashby",
    }
    for form in forms.values():
        progress_store.add_sign_off(db, ben.id, trainer.id, "empathy", {f"Helped {form}": True}, note=f"With {form}.")
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    notes = [s.note for s in progress_store.sign_offs(db, ben.id)][-len(forms) :]
    behaviours = [list(s.behaviours) for s in progress_store.sign_offs(db, ben.id)][-len(forms) :]
    assert notes == [f"With {ERASED}."] * len(forms)
    assert behaviours == [[f"Helped {ERASED}"]] * len(forms)
    assert result.texts_scrubbed >= 2 * len(forms)
    left = [label for label, form in forms.items() if files_containing(_db_files(db), form)]
    assert left == [] and result.name_still_in == []
    print(f"\nname forms typed in other records: {len(forms)}; left after erasure: {len(left)}")


def _db_files(db) -> list:
    from pathlib import Path

    if db.engine.dialect.name != "sqlite":
        return []
    main = Path(db.engine.url.database)
    return [p for p in main.parent.glob(main.name + "*") if p.is_file()]


@pytest.mark.sqlite_only
def test_an_unfinished_backup_copy_is_deleted(db, school, locations):
    coord, _, zoe, _ = school
    done = backups.back_up(locations, backups.MANUAL)
    partial = locations.backups_dir / (backups.backup_name(backups.DAILY, utcnow()) + ".partial")
    partial.write_bytes(done.path.read_bytes())  # an interrupted backup: the whole record in it
    assert files_containing([partial], NAME)
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    assert partial in result.partials_deleted and not partial.exists()
    assert not files_containing(sorted(locations.backups_dir.iterdir()), NAME)
    print(f"\n.partial copies left holding the name: {len(list(locations.backups_dir.glob('*.partial')))}")


def _checkpoint(db) -> None:
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.mark.sqlite_only
def test_a_reader_during_erasure_does_not_leave_the_name_in_the_main_file(db, school, locations):
    import sqlite3
    import threading
    from pathlib import Path

    coord, _, zoe, _ = school
    main = Path(db.engine.url.database)
    _checkpoint(db)
    assert files_containing([main], NAME)  # her name is in the main file itself
    reader = sqlite3.connect(main, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM profiles").fetchone()  # holds a snapshot with her name
    timer = threading.Timer(1.0, reader.rollback)  # and finishes reading a moment later
    timer.start()
    try:
        result = erase_trainee(db, zoe.id, coord.id, NAME)
    finally:
        timer.join()
        reader.close()
    assert not result.checkpoint_blocked and result.name_still_in == []
    assert not files_containing([main], NAME)


@pytest.mark.sqlite_only
def test_a_reader_that_never_stops_is_reported_and_the_erasure_finished_later(short_busy_wait, db, school, locations):
    import sqlite3
    from pathlib import Path

    from app.modules.records.erasure import finish_erasure

    coord, _, zoe, _ = school
    main = Path(db.engine.url.database)
    _checkpoint(db)
    reader = sqlite3.connect(main)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM profiles").fetchone()
    try:
        result = erase_trainee(db, zoe.id, coord.id, NAME)
    finally:
        reader.rollback()
        reader.close()
    assert result.checkpoint_blocked and main in result.name_still_in
    assert "Finish erasing" in result.advice() and "erase-trainee --finish" in result.advice()
    assert finish_erasure(db, coord.id)
    assert not files_containing([main, *main.parent.glob(main.name + "-*")], NAME)
    print(f"\nreader held on: reported {len(result.name_still_in)} file(s); after finishing: 0")


@pytest.mark.sqlite_only
def test_a_damaged_copy_holding_the_name_is_reported_with_what_to_do(db, school, locations):
    coord, _, zoe, _ = school
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    main = locations.database_file
    damaged = main.with_name(f"damaged-20250101T000000Z-{main.name}")
    damaged.write_bytes(main.read_bytes())
    result = erase_trainee(db, zoe.id, coord.id, NAME)
    assert result.name_still_in == [damaged] and damaged.exists()  # not ours to change, but said
    assert "damaged copy kept for IT support" in result.advice() and "Finish erasing" not in result.advice()
