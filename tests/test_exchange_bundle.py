"""Record bundles: laptops A and B merged on C (SQLite, or PostgreSQL), twice, and tampered files.

Laptops A and B are always SQLite files, as in a school; C is the `locations` fixture, so
the merge also runs against a real PostgreSQL server when one is available.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from records_helpers import (
    add_trainee_work,
    coordinator_of,
    counts,
    laptop,
    same_school,
    set_up_school,
    snapshot,
    trusted_import,
)
from sqlalchemy import select

from app.modules.exchange import bundle as bundles
from app.modules.exchange import trust
from app.modules.exchange.bundle import BundleError, OperationCancelled, export_bundle, read_bundle
from app.modules.exchange.merge import import_bundle
from app.modules.records import class_lists, profile_store, progress_store
from app.modules.records.database import Database
from app.modules.records.models import Base, Profile, utcnow
from app.modules.records.profile_store import TRAINEE, PermissionDenied


def _laptop_a(a: Database) -> None:
    coord_a, trainer_a = set_up_school(a)
    ana_a = profile_store.create_profile(a, "Ana Lopez", TRAINEE, group="9B", actor_id=coord_a.id)
    ben = profile_store.create_profile(a, "Ben Okoro", TRAINEE, group="9B", actor_id=coord_a.id)
    add_trainee_work(a, ana_a.id, trainer_a.id)
    add_trainee_work(a, ben.id, trainer_a.id, passed=False)


def _laptop_b(b: Database) -> None:
    coord_b, trainer_b = set_up_school(b)
    ana_b = profile_store.create_profile(b, "ana lopez", TRAINEE, group="9b", actor_id=coord_b.id)  # same person
    cleo = profile_store.create_profile(b, "Cleo Brand", TRAINEE, group="9C", actor_id=coord_b.id)
    add_trainee_work(b, ana_b.id, trainer_b.id, scenario="confidentiality-basics")
    add_trainee_work(b, cleo.id, trainer_b.id)


@pytest.fixture
def two_laptops(tmp_path, seeded_once):
    """A and B: the same school set up twice. Ana is on both, made separately (other UUIDs).

    Each laptop's records are seeded once per run and copied in (two laptops, two device ids)."""
    a = Database.open(laptop(tmp_path / "laptop-a"))
    seeded_once.into(a, "exchange_bundle.laptop_a", _laptop_a)
    b = Database.open(laptop(tmp_path / "laptop-b"))
    seeded_once.into(b, "exchange_bundle.laptop_b", _laptop_b)
    same_school(a, b)  # B joined A's school (docs/records-exchange.md)
    yield a, b
    a.close()
    b.close()


def _export(db: Database, path):
    return export_bundle(db, path, "Hillside School")


def test_two_laptops_merge_on_a_third_once_and_only_once(two_laptops, db, tmp_path):
    a, b = two_laptops
    file_a, file_b = tmp_path / "a.peer-records", tmp_path / "b.peer-records"
    _export(a, file_a)
    _export(b, file_b)
    first_a = trusted_import(db, file_a)
    first_b = trusted_import(db, file_b)
    after_first = snapshot(db)
    merged = counts(db)
    # Ana, Ms Rivera and Mr Okafor exist on both laptops: recognised, not duplicated.
    assert len(first_b.matched_by_name) == 3
    with db.session() as session:
        people = Counter(
            (p.display_name.casefold(), p.role, (p.group_name or "").casefold())
            for p in session.scalars(select(Profile))
        )
    duplicated_profiles = sum(n - 1 for n in people.values())
    assert duplicated_profiles == 0 and sum(people.values()) == 5  # Ms Rivera, Mr Okafor, Ana, Ben, Cleo
    # Every attempt of both laptops is there, Ana's from both under one profile.
    ana = next(p for p in profile_store.list_profiles(db) if p.display_name.casefold() == "ana lopez")
    assert {s.scenario_id for s in progress_store.scenario_attempts(db, ana.id)} == {
        "listening-basics",
        "confidentiality-basics",
    }
    assert merged["quiz_attempts"] == counts(a)["quiz_attempts"] + counts(b)["quiz_attempts"] == 4
    # Her positions in the same lessons on both laptops were combined into one row per lesson.
    assert len(progress_store.lesson_progress(db, ana.id)) == 2 and first_b.combined == 2

    second_a = trusted_import(db, file_a)
    second_b = trusted_import(db, file_b)
    assert not second_a.changed and not second_b.changed
    assert snapshot(db) == after_first  # not one value changed, audit log included
    rows_merged = first_a.rows_added + first_b.rows_added + first_a.rows_updated + first_b.rows_updated
    print(f"\nrows merged: {rows_merged} (A: {first_a.summary()} B: {first_b.summary()})")
    print(
        f"second import of A and B: rows added {second_a.rows_added + second_b.rows_added}, "
        f"rows updated {second_a.rows_updated + second_b.rows_updated}, rows duplicated: {duplicated_profiles}"
    )
    print(f"tables after the merge: {merged}")


@pytest.mark.parametrize("where", ["payload", "header", "signature", "last byte"])
def test_a_changed_byte_is_refused_and_nothing_is_written(two_laptops, db, locations, tmp_path, where):
    a, _ = two_laptops
    good = tmp_path / "a.peer-records"
    _export(a, good)
    trusted_import(db, good)
    before, backups_before = snapshot(db), sorted(locations.backups_dir.glob("*"))
    data = bytearray(good.read_bytes())
    header_at = len(bundles.MAGIC) + 5
    signature_at = data.index(b"\n", len(bundles.MAGIC)) + 3
    index = {
        "payload": len(data) // 2 + 40,
        "header": header_at,
        "signature": signature_at,
        "last byte": len(data) - 1,
    }[where]
    data[index] ^= 0x01
    bad = tmp_path / "changed.peer-records"
    bad.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="changed after it was made|cannot be read|incomplete"):
        trusted_import(db, bad)
    assert snapshot(db) == before
    assert sorted(locations.backups_dir.glob("*")) == backups_before  # refused before even the backup
    print(f"\n{where}: byte {index} changed -> refused; rows written: 0")


@pytest.mark.parametrize("keep", [0.99, 0.5, 0.02])
def test_a_truncated_bundle_is_refused_with_a_clear_message(two_laptops, db, tmp_path, keep):
    a, _ = two_laptops
    good = tmp_path / "a.peer-records"
    _export(a, good)
    data = good.read_bytes()
    cut = tmp_path / "cut.peer-records"
    cut.write_bytes(data[: int(len(data) * keep)])
    before = snapshot(db)
    with pytest.raises(BundleError, match="incomplete|changed after it was made") as caught:
        trusted_import(db, cut)
    assert "cut.peer-records" in str(caught.value) and "Nothing was imported" in str(caught.value)
    assert snapshot(db) == before


def test_files_that_are_not_bundles_are_refused_by_name(db, tmp_path):
    for name, content in [
        ("notes.peer-records", b"hello"),
        ("empty.peer-records", b""),
        ("photo.jpg", b"\xff\xd8\xff\xe0"),
    ]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(BundleError, match=name.replace(".", r"\.")):
            read_bundle(tmp_path / name)


def test_a_later_change_wins_and_an_older_one_does_not(two_laptops, db, tmp_path):
    a, _ = two_laptops
    _export(a, tmp_path / "1.peer-records")
    trusted_import(db, tmp_path / "1.peer-records")
    ben = next(p for p in profile_store.list_profiles(db) if p.display_name == "Ben Okoro")
    # On A, Ben reads further; on C, a coordinator renames Ana (a later change than A's copy).
    progress_store.save_lesson_position(a, ben.id, "active-listening", "open-questions", 0.9, completed=False)
    ana = next(p for p in profile_store.list_profiles(db) if p.display_name == "Ana Lopez")
    coord = next(p for p in profile_store.list_profiles(db) if p.role == "coordinator")
    profile_store.rename_profile(db, ana.id, "Ana López", coord.id)
    _export(a, tmp_path / "2.peer-records")
    result = trusted_import(db, tmp_path / "2.peer-records")
    assert result.updated["lesson_progress"] == 1
    assert progress_store.lesson_progress(db, ben.id)[("active-listening", "open-questions")].position == 0.9
    assert profile_store.get_profile(db, ana.id).display_name == "Ana López"  # C's newer rename kept
    print(f"\nsecond bundle from A: {result.summary()}")


def test_positions_in_the_same_lesson_on_two_laptops_are_combined(tmp_path, db):
    a = Database.open(laptop(tmp_path / "a"))
    coord, _ = set_up_school(a)
    dev = profile_store.create_profile(a, "Dev", TRAINEE, group="8A", actor_id=coord.id)
    progress_store.save_lesson_position(a, dev.id, "m", "l1", 0.3, completed=False)
    _export(a, tmp_path / "a.peer-records")
    trusted_import(db, tmp_path / "a.peer-records")
    # The same trainee on C reads the same lesson to the end (a row with another UUID).
    progress_store.save_lesson_position(db, dev.id, "m", "l1", 1.0, completed=True)
    with db.engine.begin() as c:  # give C's row a different id, as if made independently
        t = Base.metadata.tables["lesson_progress"]
        c.execute(t.update().values(id="00000000-0000-4000-8000-000000000001"))
    progress_store.save_lesson_position(a, dev.id, "m", "l1", 0.6, completed=False)
    _export(a, tmp_path / "a2.peer-records")
    result = trusted_import(db, tmp_path / "a2.peer-records")
    got = progress_store.lesson_progress(db, dev.id)
    assert len(got) == 1 and got[("m", "l1")].position == 1.0 and got[("m", "l1")].completed_at is not None
    assert result.conflicts == []
    again = trusted_import(db, tmp_path / "a2.peer-records")
    assert not again.changed
    a.close()


def test_cancel_part_way_leaves_the_records_as_they_were(tmp_path, db):
    a = Database.open(laptop(tmp_path / "a"))
    coord, _ = set_up_school(a)
    for group in ("9B", "9C"):
        class_lists.create_trainees_from_text(a, "\n".join(f"Trainee {i:03d}" for i in range(400)), group, coord.id)
    path = tmp_path / "big.peer-records"
    seen: list[tuple[int, int]] = []
    info = export_bundle(a, path, "Hillside", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] == info.total_rows > 1600
    before = snapshot(db)
    calls: list[int] = []

    def cancel_after_first_step() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(OperationCancelled):
        trusted_import(db, path, progress=lambda d, t: None, cancelled=cancel_after_first_step)
    assert snapshot(db) == before
    print(f"\ncancelled after {len(calls) - 1} of {info.total_rows // 500} steps: rows written 0")
    with pytest.raises(OperationCancelled):
        export_bundle(a, tmp_path / "never.peer-records", cancelled=lambda: True)
    assert not (tmp_path / "never.peer-records").exists()
    a.close()


def test_an_erased_trainee_is_not_brought_back_by_an_import(two_laptops, db, tmp_path):
    from app.modules.records.erasure import erase_trainee

    a, _ = two_laptops
    _export(a, tmp_path / "a.peer-records")
    trusted_import(db, tmp_path / "a.peer-records")
    ben = next(p for p in profile_store.list_profiles(db) if p.display_name == "Ben Okoro")
    erase_trainee(db, ben.id, coordinator_of(db), "Ben Okoro")
    result = trusted_import(db, tmp_path / "a.peer-records")
    assert result.rows_added == 0 and result.skipped_erased > 0
    assert all(p.display_name != "Ben Okoro" for p in profile_store.list_profiles(db, include_archived=True))
    print(
        f"\nre-import after erasure: rows about the erased trainee left out: {result.skipped_erased}, brought back: 0"
    )


def test_only_a_coordinator_imports(two_laptops, db, tmp_path):
    a, _ = two_laptops
    _export(a, tmp_path / "a.peer-records")
    coord, trainer = set_up_school(db)
    same_school(a, db)
    with pytest.raises(PermissionDenied):
        trusted_import(db, tmp_path / "a.peer-records", trainer.id)
    assert trusted_import(db, tmp_path / "a.peer-records", coord.id).changed


def test_a_paired_laptop_is_remembered_and_a_new_key_must_be_paired_again(two_laptops, db, tmp_path):
    a, _ = two_laptops
    path = tmp_path / "a.peer-records"
    info = _export(a, path)
    assert info.device_id == a.device_id and len(info.fingerprint.replace(" ", "")) == 24
    assert info.fingerprint == trust.this_laptop_fingerprint(a)  # what A shows for itself
    assert trust.check(db, bundles.verify_bundle(path)).needs_pairing
    trusted_import(db, path)
    assert trust.check(db, bundles.verify_bundle(path)).paired
    assert import_bundle(db, path, coordinator_of(db)).rows_added == 0  # paired: no fingerprint needed any more
    for key_file in a.locations.keys_dir.iterdir():  # laptop A reinstalled: a new key pair
        key_file.unlink()
    _export(a, path)
    changed = trust.check(db, bundles.verify_bundle(path))
    assert changed.needs_pairing and changed.device_key_changed == info.fingerprint
    with pytest.raises(trust.NotTrusted, match="paired before with another key"):
        import_bundle(db, path, coordinator_of(db))


def test_a_bundle_is_a_consistent_snapshot_of_every_merged_table(two_laptops, tmp_path):
    a, _ = two_laptops
    info = _export(a, tmp_path / "a.peer-records")
    assert info.counts == {k: v for k, v in counts(a).items()}
    loaded = read_bundle(tmp_path / "a.peer-records")
    assert all("failed_attempts" not in row and "secret_hash" in row for row in loaded.rows["profiles"])
    assert loaded.info.created_at <= utcnow() < loaded.info.created_at + timedelta(minutes=1)


def test_refreshers_check_ins_and_evaluation_travel_in_a_bundle_once(two_laptops, db, tmp_path):
    from datetime import date

    from app.modules.records import certificate_store, checkin_store, evaluation_store, refresher_store
    from app.modules.records.models import ConfidenceRating, RefresherReview, SupportCheckIn, SurveyAnswer

    a, _b = two_laptops
    coord_a = coordinator_of(a)  # an id
    ben = next(p for p in profile_store.list_profiles(a) if p.display_name == "Ben Okoro")
    certificate_store.issue(a, ben.id, "Ben Okoro", coord_a, lambda n, at: ({"n": n}, "c2ln"))
    refresher_store.review(a, ben.id, ben.id, "welcome:what-a-peer-helper-is:0", True)
    checkin_store.log(a, ben.id, "listening", False, 2, True, date.today())
    evaluation_store.rate_confidence(a, ben.id, "after", {"active_listening": 4}, {"active_listening"})
    evaluation_store.answer_survey(a, ben.id, {"useful": 5}, "More role-plays", {"useful"})
    file_a = tmp_path / "a.peer-records"
    _export(a, file_a)
    first = trusted_import(db, file_a)
    assert first.changed
    merged = counts(db)
    with db.session() as s:
        for model in (RefresherReview, SupportCheckIn, ConfidenceRating, SurveyAnswer):
            assert len(s.scalars(select(model)).all()) == 1, model.__name__
    again = trusted_import(db, file_a)
    assert not again.changed and counts(db) == merged


def test_a_check_in_not_asked_about_and_a_role_play_moment_travel_as_they_are(two_laptops, db, tmp_path):
    from datetime import date

    from app.modules.records import certificate_store, checkin_store, refresher_store, settings_store, wellbeing
    from app.modules.records.models import RefresherReview, SupportCheckIn

    a, _b = two_laptops
    coord_a = coordinator_of(a)
    ben = next(p for p in profile_store.list_profiles(a) if p.display_name == "Ben Okoro")
    certificate_store.issue(a, ben.id, "Ben Okoro", coord_a, lambda n, at: ({"n": n}, "c2ln"))
    settings_store.set_setting(a, wellbeing.AGE_KEY, 13, actor_id=coord_a)
    wellbeing.set_younger(a, coord_a, [ben.id], True)
    checkin_store.log(a, ben.id, "referral", True, None, None, date.today())
    refresher_store.review(a, ben.id, ben.id, "introduction:can-you-fix-it-for-me#opening", False)
    file_a = tmp_path / "a.peer-records"
    _export(a, file_a)
    assert trusted_import(db, file_a).changed
    with db.session() as s:
        checkin = s.scalars(select(SupportCheckIn)).one()
        assert checkin.weight is None and checkin.wants_debrief is False and checkin.kind == "referral"
        review = s.scalars(select(RefresherReview)).one()
        assert review.item_key == "introduction:can-you-fix-it-for-me#opening" and not review.correct
    assert wellbeing.younger_ids(db, [ben.id]) == {ben.id}  # the coordinator's tick travels with the profile
