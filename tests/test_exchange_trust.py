"""Attacks on the records exchange: forged, foreign, hostile and oversized bundles.

Laptop A is a school laptop (SQLite); C is the `db` fixture (SQLite, or PostgreSQL when a test
server runs), paired with A once. Each hostile bundle is made by changing A's own records the
way someone with the file (or a crafted program) could, then exporting them with A's real key:
so the bundle is correctly signed by a paired laptop and only the checks inside can refuse it.
"""

from __future__ import annotations

import json
import tracemalloc
import zlib
from datetime import UTC, date, datetime

import pytest
from records_helpers import add_trainee_work, counts, laptop, same_school, set_up_school, snapshot, trusted_import
from sqlalchemy import select, update

from app.modules.exchange import bundle as bundles
from app.modules.exchange import trust
from app.modules.exchange.bundle import BundleError, export_bundle, verify_bundle
from app.modules.exchange.merge import import_bundle
from app.modules.keys import SigningKey
from app.modules.records import class_lists, profile_store
from app.modules.records.database import HEAD_REVISION, Database
from app.modules.records.models import AuditEntry, Base, Profile, SignOff, new_id, utcnow
from app.modules.records.profile_store import TRAINEE
from app.modules.records.secret_hashing import check_secret, hash_secret

FAR_FUTURE = datetime(2099, 1, 1, tzinfo=UTC)


def _laptop_a(a: Database) -> dict:
    coord_a, trainer_a = set_up_school(a)
    ana = profile_store.create_profile(a, "Ana Lopez", TRAINEE, group="9B", actor_id=coord_a.id)
    ben = profile_store.create_profile(a, "Ben Okoro", TRAINEE, group="9B", actor_id=coord_a.id)
    add_trainee_work(a, ana.id, trainer_a.id)
    return {"coord": coord_a, "trainer": trainer_a, "ana": ana, "ben": ben}


@pytest.fixture
def school(tmp_path, db, seeded_once):
    """Laptop A with Ana and Ben; C (`db`) of the same school, paired with A by a first import.

    A's records are seeded once per run and copied in."""
    a = Database.open(laptop(tmp_path / "laptop-a"))
    people = seeded_once.into(a, "exchange_trust.laptop_a", _laptop_a)
    coord_c, _ = set_up_school(db, coordinator="Mr Cole")
    same_school(a, db)
    first = tmp_path / "first.peer-records"
    export_bundle(a, first)
    trusted_import(db, first, coord_c.id)
    yield a, db, coord_c, people
    a.close()


def _export(a: Database, tmp_path, name: str = "a2.peer-records"):
    path = tmp_path / name
    export_bundle(a, path)
    return path


def _edit(a: Database, table: str, where_id: str, **values) -> None:
    t = Base.metadata.tables[table]
    with a.engine.begin() as c:
        c.execute(update(t).where(t.c.id == where_id).values(**values))


def _audit(a: Database, actor: str | None, action: str, entity_id: str, detail: dict) -> None:
    with a.session() as s:
        s.add(AuditEntry(actor_id=actor, action=action, entity="profile", entity_id=entity_id, detail=detail))


def _files(folder) -> list:
    return sorted(folder.glob("*")) if folder.exists() else []


def _untouched(db: Database, locations, attempt) -> tuple[int, int]:
    """Run `attempt` (which must raise BundleError); returns (rows changed, backups added)."""
    before, kept = snapshot(db), _files(locations.backups_dir)
    with pytest.raises(BundleError) as caught:
        attempt()
    after, now = _files(locations.backups_dir), snapshot(db)
    changed = sum(len(set(before[k]) ^ set(now[k])) for k in before)
    attempt.message = str(caught.value)
    return changed, len(after) - len(kept)


# --- 1. who may send ---------------------------------------------------------------------------


def test_a_bundle_from_an_unpaired_laptop_is_refused_unless_its_fingerprint_is_given(school, tmp_path, locations):
    a, c, coord_c, people = school
    mallory = Database.open(laptop(tmp_path / "mallory"))
    m_coord, _ = set_up_school(mallory, coordinator="Eve Admin")
    same_school(a, mallory)  # she even knows the school's id
    profile_store.create_profile(
        mallory, "Eve Two", profile_store.COORDINATOR, secret="known password", actor_id=m_coord.id
    )
    forged = _export(mallory, tmp_path, "forged.peer-records")
    mallory.close()
    results = []
    real = verify_bundle(forged).fingerprint
    one_digit_off = real[:-1] + str((int(real[-1]) + 1) % 10)
    for given in (None, "0000 0000 0000 0000 0000 0000", one_digit_off):

        def attempt(given=given):
            import_bundle(c, forged, coord_c.id, trust_fingerprint=given)

        results.append((*_untouched(c, locations, attempt), attempt.message))
    assert all(changed == 0 and made == 0 for changed, made, _ in results)
    assert "not paired" in results[0][2] and "--trust-fingerprint" in results[0][2]
    assert "not the one given" in results[1][2]
    names = {p.display_name for p in profile_store.list_profiles(c)}
    assert not names & {"Eve Admin", "Eve Two"}
    print(f"\nforged bundles from an unpaired key: {len(results)} tried, accepted 0, rows written 0")


def test_a_paired_laptops_key_in_a_header_signed_by_another_key_is_refused(school, tmp_path, locations):
    a, c, coord_c, _ = school
    good = verify_bundle(_export(a, tmp_path))
    data = good.path.read_bytes()
    header = json.loads(data.split(b"\n")[1])
    payload = data[good.payload_offset :]
    other = SigningKey.load_or_create(tmp_path / "other-keys")
    forged = tmp_path / "forged.peer-records"
    bundles.write_raw_bundle(forged, other, header, payload)  # A's public key in the header, Eve's signature

    def attempt():
        import_bundle(c, forged, coord_c.id, trust_fingerprint=good.fingerprint)

    assert _untouched(c, locations, attempt) == (0, 0) and "changed after it was made" in attempt.message


def test_another_schools_bundle_is_refused_even_with_its_fingerprint(school, tmp_path, locations):
    a, c, coord_c, _ = school
    other = Database.open(laptop(tmp_path / "riverside"))
    o_coord, o_trainer = set_up_school(other, coordinator="Ms Other", school="Riverside School")
    sam = profile_store.create_profile(other, "Ana Lopez", TRAINEE, group="9B", actor_id=o_coord.id)  # a namesake
    add_trainee_work(other, sam.id, o_trainer.id)
    path = _export(other, tmp_path, "riverside.peer-records")
    other.close()
    fingerprint = verify_bundle(path).fingerprint
    for join in (False, True):  # C already paired with A: it can no longer join another school

        def attempt(join=join):
            import_bundle(c, path, coord_c.id, trust_fingerprint=fingerprint, join_school=join)

        assert _untouched(c, locations, attempt) == (0, 0)
        assert "another school (Riverside School)" in attempt.message
    assert trust.paired_laptops(c)[0].fingerprint == verify_bundle(_export(a, tmp_path)).fingerprint
    print("\nanother school's bundle: refused twice, its coordinator and its 'Ana Lopez' merged: 0")


def test_a_laptop_set_up_alone_joins_a_school_only_when_asked_and_only_once(tmp_path):
    a = Database.open(laptop(tmp_path / "a"))
    b = Database.open(laptop(tmp_path / "b"))
    set_up_school(a)
    coord_b, _ = set_up_school(b)
    path = _export(a, tmp_path)
    with pytest.raises(trust.NotTrusted, match="--join-school"):
        trusted_import(b, path, coord_b.id)
    result = trusted_import(b, path, coord_b.id, join_school=True)
    assert result.joined_school and result.paired_now
    assert trust.school_identity(b)[0] == trust.school_identity(a)[0]
    assert [e.action for e in _audits(b, "school")] == ["join"]
    a.close()
    b.close()


def _audits(db: Database, entity: str) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity)))


def test_pairing_needs_a_coordinator_and_unpairing_refuses_the_next_file(school, tmp_path):
    a, c, coord_c, _ = school
    info = verify_bundle(_export(a, tmp_path))
    trainer_c = profile_store.create_profile(
        c, "Ms Trainer", profile_store.TRAINER, secret="trainer-pass", actor_id=coord_c.id
    )
    with pytest.raises(profile_store.PermissionDenied):
        trust.unpair(c, info.fingerprint, trainer_c.id)
    with pytest.raises(profile_store.PermissionDenied):
        trust.pair(c, info, info.fingerprint, trainer_c.id)
    trust.unpair(c, info.fingerprint, coord_c.id)
    with pytest.raises(trust.NotTrusted, match="not paired"):
        import_bundle(c, info, coord_c.id)
    assert [e.action for e in _audits(c, "laptop")] == ["pair", "unpair"]


# --- 2. what a paired laptop may not do ----------------------------------------------------------


def test_roles_and_passwords_change_only_where_that_laptops_coordinator_changed_them(school, tmp_path):
    a, c, coord_c, p = school
    ana_before = _profile(c, p["ana"].id)
    # On A, without its coordinator: Ana made a coordinator with a known password (an audit row
    # even claims the trainer did it), and a new coordinator "Eve" added by the trainer.
    _edit(
        a, "profiles", p["ana"].id, role="coordinator", secret_hash=hash_secret("known password"), updated_at=utcnow()
    )
    _audit(a, p["trainer"].id, "update", p["ana"].id, {"fields": ["role", "secret"]})
    eve = new_id()
    with a.session() as s:
        s.add(Profile(id=eve, display_name="Eve", role="coordinator", secret_hash=hash_secret("known password")))
    _audit(a, p["trainer"].id, "create", eve, {"role": "coordinator", "group": None})
    # Replacing C's own coordinator's password, by a row with C's coordinator's id.
    with a.session() as s:
        s.add(
            Profile(
                id=coord_c.id,
                display_name="Mr Cole",
                role="coordinator",
                secret_hash=hash_secret("known password"),
                updated_at=utcnow(),
            )
        )
    # And one real change: A's coordinator sets Ben's PIN.
    profile_store.set_secret(a, p["ben"].id, "2468", p["coord"].id)
    result = import_bundle(c, _export(a, tmp_path), coord_c.id)
    ana = _profile(c, p["ana"].id)
    assert ana.role == TRAINEE and ana.secret_hash == ana_before.secret_hash
    assert _profile(c, eve) is None
    assert not check_secret("known password", _profile(c, coord_c.id).secret_hash)
    assert check_secret("2468", _profile(c, p["ben"].id).secret_hash)  # taken, and audited here:
    taken = [e for e in _audits(c, "profile") if e.detail and e.detail.get("from_laptop")]
    assert [e.detail["fields"] for e in taken if e.entity_id == p["ben"].id] == [["secret"]]
    assert not [e for e in taken if e.entity_id in (p["ana"].id, eve, coord_c.id)]
    assert len(result.refused) >= 3
    print(f"\nrole and password changes without that laptop's coordinator: refused {len(result.refused)}, taken 0")
    for line in result.refused:
        print(f"  {line}")


def _profile(db: Database, profile_id: str) -> Profile | None:
    with db.session() as s:
        return s.get(Profile, profile_id)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("display_name", "A" * 160_000, "160000 characters"),
        ("display_name", "Ana\x00Lopez", "cannot be shown"),
        ("group_name", "  9B  ", "extra spaces"),
        ("note", "x" * 41, "41 characters (at most 40)"),
        ("note", "tall\x07", "cannot be shown"),
    ],
)
def test_every_field_is_checked_as_if_typed(school, tmp_path, locations, column, value, message):
    a, c, coord_c, p = school
    _edit(a, "profiles", p["ben"].id, **{column: value, "updated_at": utcnow()})
    path = _export(a, tmp_path)

    def attempt():
        import_bundle(c, path, coord_c.id)

    assert _untouched(c, locations, attempt) == (0, 0) and message in attempt.message
    print(f"\n{column} of {len(value)} characters: refused ({attempt.message[:90]}...)")


def test_times_from_the_future_are_brought_back_to_the_import(school, tmp_path):
    a, c, coord_c, p = school
    dana = profile_store.create_profile(a, "Dana Reyes", TRAINEE, group="9B", actor_id=p["coord"].id)
    add_trainee_work(a, dana.id, p["trainer"].id)
    _edit(a, "profiles", dana.id, updated_at=FAR_FUTURE)
    _edit(a, "profiles", p["ana"].id, display_name="Ana Forged", updated_at=FAR_FUTURE)
    sign_off = Base.metadata.tables["sign_offs"]
    with a.engine.begin() as conn:
        conn.execute(update(sign_off).values(observed_on=date(2099, 1, 1), updated_at=FAR_FUTURE))
    result = import_bundle(c, _export(a, tmp_path), coord_c.id)
    now = utcnow()
    assert _profile(c, dana.id).updated_at <= now  # new here: taken, at the time of its bundle
    assert _profile(c, p["ana"].id).display_name == "Ana Lopez"  # a 2099 change never wins
    with c.engine.connect() as conn:
        assert max(conn.scalars(select(sign_off.c.observed_on))) <= now.date()
        assert max(conn.scalars(select(sign_off.c.updated_at))) <= now
        assert max(conn.scalars(select(Base.metadata.tables["audit_log"].c.at))) <= now
    assert result.clamped >= 4
    # An honest change on A later still arrives; the 2099 one, exported again, still does not win.
    profile_store.rename_profile(a, p["ben"].id, "Ben Okoro-Smith", p["coord"].id)
    again = import_bundle(c, _export(a, tmp_path, "again.peer-records"), coord_c.id)
    assert _profile(c, p["ben"].id).display_name == "Ben Okoro-Smith"
    assert _profile(c, p["ana"].id).display_name == "Ana Lopez" and again.refused
    print(f"\n2099 times: {result.clamped} brought back to the import; future-dated changes taken: 0")


def test_a_sign_off_must_name_a_trainer_this_school_knows(school, tmp_path):
    a, c, coord_c, p = school
    ghost = new_id()  # a "trainer" on A that no coordinator created
    with a.session() as s:
        s.add(Profile(id=ghost, display_name="Mr Ghost", role="trainer"))
    add_trainee_work(a, p["ben"].id, ghost)  # its sign-off for Ben
    with a.session() as s:  # and one "signed" by a trainee
        s.add(
            SignOff(
                trainee_id=p["ben"].id,
                trainer_id=p["ana"].id,
                competency_id="empathy",
                behaviours={"Names the feeling": True},
                observed_on=date.today(),
            )
        )
    result = import_bundle(c, _export(a, tmp_path), coord_c.id)
    with c.engine.connect() as conn:
        t = Base.metadata.tables["sign_offs"]
        signers = set(conn.scalars(select(t.c.trainer_id).where(t.c.trainee_id == p["ben"].id)))
    assert signers == set()  # neither reached C
    assert _profile(c, ghost) is None
    refused_sign_offs = [r for r in result.refused if "sign-off" in r]
    assert len(refused_sign_offs) == 2
    print(f"\nsign-offs by an unknown trainer: refused {len(refused_sign_offs)}, accepted 0")


# --- 3. bundle bombs -----------------------------------------------------------------------------


def _bomb(a: Database, tmp_path, body: bytes, counts_: dict | None = None, body_bytes: int | None = None):
    key = SigningKey.load_or_create(a.locations.keys_dir)
    school_id, name = trust.school_identity(a)
    header = {
        "format": bundles.FORMAT,
        "schema": HEAD_REVISION,
        "device_id": a.device_id,
        "public_key": verify_bundle(_export(a, tmp_path)).public_key_text,
        "school_id": school_id,
        "school": name,
        "created_at": utcnow().isoformat(),
        "counts": counts_ or dict.fromkeys(bundles.tables.MERGED_TABLES, 0),
        "compression": "zlib",
        "body_bytes": 1000 if body_bytes is None else body_bytes,
    }
    path = tmp_path / "bomb.peer-records"
    bundles.write_raw_bundle(path, key, header, _deflate(body))
    return path


def _deflate(body) -> bytes:
    z = zlib.compressobj(9)
    parts = [z.compress(chunk) for chunk in body]
    return b"".join([*parts, z.flush()])


def _spaces(total: int):
    chunk = b" " * (1 << 20)
    for _ in range(total // len(chunk)):
        yield chunk


# The two that unpack a whole GiB take about 6 s each: `-m "not slow"` leaves them out while working; CI runs them.
@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("1 GiB of spaces", marks=pytest.mark.slow),
        pytest.param("one 1 GiB row", marks=pytest.mark.slow),
        "says 2 GiB",
        "200,000 audit rows",
        "more rows than declared",
    ],
)
def test_bundle_bombs_are_refused_with_little_memory_and_nothing_written(school, tmp_path, locations, kind):
    a, c, coord_c, _ = school
    zero = dict.fromkeys(bundles.tables.MERGED_TABLES, 0)
    stamp = utcnow().isoformat()
    junk = {"id": "x", "at": stamp, "actor_id": None, "action": "junk", "entity": "junk", "entity_id": None}
    junk_audit = json.dumps(["audit_log", {**junk, "detail": None, "created_at": stamp, "updated_at": stamp}]).encode()
    if kind == "1 GiB of spaces":
        path = _bomb(a, tmp_path, _spaces(1 << 30))
    elif kind == "one 1 GiB row":
        path = _bomb(a, tmp_path, _spaces(1 << 30), body_bytes=bundles.MAX_BODY_BYTES)
    elif kind == "says 2 GiB":
        path = _bomb(a, tmp_path, _spaces(1 << 21), body_bytes=2 << 30)
    elif kind == "200,000 audit rows":
        path = _bomb(a, tmp_path, [junk_audit + b"\n"] * 200_000, {**zero, "audit_log": 200_000}, 100 << 20)
    else:
        path = _bomb(a, tmp_path, [junk_audit + b"\n"] * 50_000, {**zero, "audit_log": 10}, 100 << 20)
    size = path.stat().st_size
    tracemalloc.start()

    def attempt():
        import_bundle(c, path, coord_c.id)

    try:
        result = _untouched(c, locations, attempt)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result == (0, 0)
    assert "is refused" in attempt.message and "Nothing was imported" in attempt.message
    assert peak < 40 << 20, f"peak {peak} bytes"
    print(f"\n{kind}: a {size // 1024} KiB file refused, peak {peak / (1 << 20):.1f} MiB; rows written 0")


def test_nothing_is_decompressed_before_the_sender_is_trusted(school, tmp_path, locations, monkeypatch):
    a, c, coord_c, _ = school
    stranger = Database.open(laptop(tmp_path / "stranger"))
    set_up_school(stranger)
    same_school(a, stranger)
    path = _bomb(stranger, tmp_path, _spaces(1 << 24))
    stranger.close()

    def no_unpacking(*_args, **_kwargs):
        raise AssertionError("decompressed before the trust check")

    monkeypatch.setattr(zlib, "decompressobj", no_unpacking)
    with pytest.raises(trust.NotTrusted):
        import_bundle(c, path, coord_c.id)


def test_the_honest_limits_hold_a_big_school(tmp_path):
    """A laptop with 2,000 trainees exports and imports well within the limits."""
    a = Database.open(laptop(tmp_path / "a"))
    coord, _ = set_up_school(a)
    for group in ("8A", "8B", "8C", "8D"):
        class_lists.create_trainees_from_text(a, "\n".join(f"Pupil {i:03d}" for i in range(500)), group, coord.id)
    info = verify_bundle(_export(a, tmp_path))
    assert info.counts["profiles"] == 2002 and info.body_bytes < bundles.MAX_BODY_BYTES // 50
    b = Database.open(laptop(tmp_path / "b"))
    assert trusted_import(b, info.path).rows_added == sum(counts(a).values())
    a.close()
    b.close()


# --- 4. erased trainees stay erased --------------------------------------------------------------


def test_a_trainee_matched_by_name_then_erased_never_comes_back(tmp_path, db):
    from app.modules.records.erasure import erase_trainee

    a = Database.open(laptop(tmp_path / "a"))
    coord_a, trainer_a = set_up_school(a)
    coord_b, trainer_b = set_up_school(db)
    same_school(a, db)
    sam_a = profile_store.create_profile(a, "Sam Jones", TRAINEE, group="9B", actor_id=coord_a.id)
    sam_b = profile_store.create_profile(db, "Sam Jones", TRAINEE, group="9B", actor_id=coord_b.id)
    add_trainee_work(a, sam_a.id, trainer_a.id)
    add_trainee_work(db, sam_b.id, trainer_b.id)
    path = _export(a, tmp_path)
    first = trusted_import(db, path, coord_b.id)
    assert (sam_a.id, sam_b.id) in first.matched_by_name
    result = erase_trainee(db, sam_b.id, coord_b.id, "Sam Jones")
    assert result.other_ids == [sam_a.id]
    brought_back = 0
    for attempt in range(2):
        again = import_bundle(db, _export(a, tmp_path, f"again-{attempt}.peer-records"), coord_b.id)
        names = [p.display_name for p in profile_store.list_profiles(db, include_archived=True)]
        brought_back += names.count("Sam Jones")
        assert again.skipped_erased > 0
    assert brought_back == 0
    with db.session() as s:
        erased = set(s.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "erase")))
        kept = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "merge", AuditEntry.entity_id == sam_b.id)))
    assert erased == {sam_a.id, sam_b.id}
    assert [(m.entity_id, m.detail["bundle_profile_id"]) for m in kept] == [(sam_b.id, sam_a.id)]
    assert "Sam" not in json.dumps([m.detail for m in kept])
    print(f"\nerased after a match by name, re-imported twice: brought back {brought_back}")
    a.close()


def test_a_third_laptop_learns_every_id_of_an_erased_trainee(tmp_path, db):
    from app.modules.records.erasure import erase_trainee

    a = Database.open(laptop(tmp_path / "a"))
    b = Database.open(laptop(tmp_path / "b"))
    coord_a, _ = set_up_school(a)
    coord_b, _ = set_up_school(b)
    coord_c, _ = set_up_school(db, coordinator="Mr Cole")
    same_school(a, b, db)
    sam_a = profile_store.create_profile(a, "Sam Jones", TRAINEE, group="9B", actor_id=coord_a.id)
    sam_b = profile_store.create_profile(b, "Sam Jones", TRAINEE, group="9B", actor_id=coord_b.id)
    trusted_import(b, _export(a, tmp_path, "a.peer-records"), coord_b.id)
    erase_trainee(b, sam_b.id, coord_b.id, "Sam Jones")
    trusted_import(db, _export(b, tmp_path, "b.peer-records"), coord_c.id)
    trusted_import(db, _export(a, tmp_path, "a2.peer-records"), coord_c.id)
    assert all(p.display_name != "Sam Jones" for p in profile_store.list_profiles(db, include_archived=True))
    assert {sam_a.id, sam_b.id} <= {e.entity_id for e in _audits(db, "profile") if e.action == "erase"}
    a.close()
    b.close()


def test_an_erasure_on_the_other_laptop_is_reported_under_this_laptops_id(tmp_path, db):
    from app.modules.records.erasure import erase_trainee

    a = Database.open(laptop(tmp_path / "a"))
    coord_a, _ = set_up_school(a)
    coord_c, _ = set_up_school(db, coordinator="Mr Cole")
    same_school(a, db)
    sam_a = profile_store.create_profile(a, "Sam Jones", TRAINEE, group="9B", actor_id=coord_a.id)
    sam_c = profile_store.create_profile(db, "Sam Jones", TRAINEE, group="9B", actor_id=coord_c.id)
    trusted_import(db, _export(a, tmp_path, "a.peer-records"), coord_c.id)
    erase_trainee(a, sam_a.id, coord_a.id, "Sam Jones")
    result = import_bundle(db, _export(a, tmp_path, "a2.peer-records"), coord_c.id)
    assert result.erased_elsewhere == [sam_c.id]
    a.close()


def test_a_file_swapped_after_it_was_checked_is_refused(school, tmp_path, locations):
    a, c, coord_c, p = school
    path = _export(a, tmp_path)
    info = verify_bundle(path)  # what the import window checked and showed
    profile_store.rename_profile(a, p["ana"].id, "Ana Changed", p["coord"].id)
    path.write_bytes(_export(a, tmp_path, "other.peer-records").read_bytes())  # then the file changed

    def attempt():
        import_bundle(c, info, coord_c.id)

    assert _untouched(c, locations, attempt) == (0, 0) and "changed after it was made" in attempt.message
