"""Profiles, secrets and the slow-down of wrong guesses (conftest makes hashing cheap: tests/fast_hash.py)."""

from __future__ import annotations

import base64
import unicodedata
from datetime import timedelta

import pytest

from app.modules.records import (
    audit,
    class_lists,
    preference_store,
    profile_store,
    school_setup,
    settings_store,
    sign_in_throttle,
)
from app.modules.records.database import Database
from app.modules.records.models import Profile, utcnow
from app.modules.records.profile_store import COORDINATOR, TRAINEE, TRAINER, AccountError, PermissionDenied
from app.modules.records.secret_hashing import check_secret, hash_secret

PASSWORD = "correct horse"


@pytest.fixture
def coordinator(db):
    return school_setup.setup_school(db, "Ms Rivera", PASSWORD, "Hillside School")


def test_hashes_use_owasp_scrypt_parameters_by_default(real_hash_cost, monkeypatch):
    from fast_hash import FAST_LOG2_N

    from app.modules.records import secret_hashing

    stored = hash_secret(PASSWORD)  # the one hash at the shipped cost (about a second each)
    scheme, log2_n, r, p, salt, digest = stored.split("$")
    assert (scheme, log2_n, r, p) == ("scrypt", "17", "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert check_secret(PASSWORD, stored)
    assert not check_secret(PASSWORD + "!", stored)
    # A fresh salt every time: the salt does not depend on the cost, so a cheap second hash shows it.
    monkeypatch.setattr(secret_hashing, "SCRYPT_LOG2_N", FAST_LOG2_N)
    assert hash_secret(PASSWORD).split("$")[4] != salt


def test_fast_test_hashes_record_their_cost_and_still_verify():
    stored = hash_secret("1234")
    assert stored.startswith("scrypt$4$8$1$")
    assert check_secret("1234", stored) and not check_secret("1235", stored)


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "scrypt$4$8$1$!!$AAAA", "bcrypt$4$8$1$AAAA$AAAA", "scrypt$40$8$1$AAAA$AAAA"],
)
def test_malformed_or_absurd_stored_hashes_never_match(stored):
    assert not check_secret("anything", stored)


def test_the_same_password_typed_in_another_unicode_form_matches():
    stored = hash_secret("café secret")
    assert check_secret(unicodedata.normalize("NFD", "café secret"), stored)


def test_setup_creates_the_first_coordinator_once(db):
    assert school_setup.needs_setup(db)
    first = school_setup.setup_school(db, "  Ms   Rivera ", PASSWORD, "Hillside School")
    assert (first.display_name, first.role, first.has_secret) == ("Ms Rivera", COORDINATOR, True)
    assert not school_setup.needs_setup(db)
    assert settings_store.get_setting(db, "school.name") == "Hillside School"
    created = audit.entries(db, entity="profile", entity_id=first.id)
    assert [(e.action, e.actor_id) for e in created] == [("create", first.id)]
    with pytest.raises(AccountError, match="already set up"):
        school_setup.setup_school(db, "Someone Else", PASSWORD, "Other School")


@pytest.mark.parametrize(
    ("name", "role", "secret", "message"),
    [
        ("   ", TRAINEE, None, "empty"),
        ("x" * 81, TRAINEE, None, "too long"),
        ("Sam", TRAINER, "short", "at least 8"),
        ("Sam", TRAINER, None, "at least 8"),
        ("Sam", TRAINEE, "12a4", "4 to 8 digits"),
        ("Sam", TRAINEE, "123", "4 to 8 digits"),
        ("Sam", TRAINEE, "123456789", "4 to 8 digits"),
        ("Sam", "admin", None, "Unknown role"),
    ],
)
def test_invalid_profiles_are_refused_with_a_message(db, coordinator, name, role, secret, message):
    with pytest.raises(AccountError, match=message):
        profile_store.create_profile(db, name, role, group="7B", secret=secret, actor_id=coordinator.id)


def test_a_name_is_unique_within_its_group_only(db, coordinator):
    profile_store.create_profile(db, "Sam Lee", TRAINEE, group="7B", actor_id=coordinator.id)
    with pytest.raises(AccountError, match="already a profile called sam lee in the group 7B"):
        profile_store.create_profile(db, " sam  lee ", TRAINEE, group="7B", actor_id=coordinator.id)
    other = profile_store.create_profile(db, "Sam Lee", TRAINEE, group="8A", secret="0042", actor_id=coordinator.id)
    assert other.has_secret and other.group_name == "8A"


def test_only_a_coordinator_creates_profiles(db, coordinator):
    trainer = profile_store.create_profile(db, "Mr Okafor", TRAINER, secret="trainer-pass", actor_id=coordinator.id)
    trainee = profile_store.create_profile(db, "Ana", TRAINEE, group="7B", actor_id=coordinator.id)
    for actor in (trainer.id, trainee.id):
        with pytest.raises(PermissionDenied):
            profile_store.create_profile(db, "Intruder", TRAINEE, group="7B", actor_id=actor)
        with pytest.raises(PermissionDenied):
            class_lists.create_trainees_from_text(db, "Intruder", "7B", actor)


def test_a_pasted_class_list_reports_each_line_it_cannot_use(db, coordinator):
    profile_store.create_profile(db, "Zoe Park", TRAINEE, group="9C", actor_id=coordinator.id)
    text = "Ana Silva\n\n   \n  Ben   Cole  \nana silva\nZoe Park\n" + "y" * 81 + "\nCleo\n"
    preview = class_lists.create_trainees_from_text(db, text, "9C", coordinator.id, dry_run=True)
    assert preview.created == []
    result = class_lists.create_trainees_from_text(db, text, " 9C ", coordinator.id)
    # The same name twice in one paste is two people, told apart by a note (issue 15).
    assert [(p.display_name, p.note) for p in result.created] == [
        ("Ana Silva", "1 of 2"),
        ("Ben Cole", None),
        ("ana silva", "2 of 2"),
        ("Cleo", None),
    ]
    assert all(p.role == TRAINEE and p.group_name == "9C" for p in result.created)
    assert [(line, name) for line, name, _ in result.problems] == [(6, "Zoe Park"), (7, "y" * 81)]
    reasons = [reason for _, _, reason in result.problems]
    assert "already a profile" in reasons[0] and "add a note" in reasons[0] and "too long" in reasons[1]
    assert preview.problems == result.problems and preview.same_names == result.same_names
    assert len(result.same_names) == 1 and "Lines 1, 5" in result.same_names[0] and "“2 of 2”" in result.same_names[0]
    names = [p.display_name for p in profile_store.list_profiles(db) if p.group_name == "9C"]
    assert names == ["Ana Silva", "ana silva", "Ben Cole", "Cleo", "Zoe Park"]


def test_delays_start_after_three_failures_double_and_stop_at_five_minutes():
    delays = [sign_in_throttle.delay_after(n) for n in range(1, 14)]
    assert delays[:6] == [0, 0, 0, 2, 4, 8]
    assert max(delays) == sign_in_throttle.MAX_DELAY_SECONDS == 300
    assert delays == sorted(delays)


def test_the_wait_after_wrong_passwords_survives_a_restart(locations, db, coordinator):
    trainer = profile_store.create_profile(db, "Mr Okafor", TRAINER, secret="trainer-pass", actor_id=coordinator.id)
    t0 = utcnow()
    for _ in range(3):
        assert sign_in_throttle.verify_secret(db, trainer.id, "guess", now=t0).wait_seconds == 0
    fourth = sign_in_throttle.verify_secret(db, trainer.id, "guess", now=t0)
    assert (fourth.ok, fourth.wait_seconds) == (False, 2)
    assert sign_in_throttle.seconds_until_next_try(db, trainer.id, now=t0) == 2
    assert "wait 2 seconds" in fourth.message
    db.close()

    reopened = Database.open(locations)
    try:
        early = sign_in_throttle.verify_secret(reopened, trainer.id, "trainer-pass", now=t0 + timedelta(seconds=1))
        assert not early.ok and early.wait_seconds == pytest.approx(1)  # right password, but not checked yet
        assert sign_in_throttle.seconds_until_next_try(
            reopened, trainer.id, now=t0 + timedelta(seconds=1)
        ) == pytest.approx(1)
        fifth = sign_in_throttle.verify_secret(reopened, trainer.id, "guess", now=t0 + timedelta(seconds=3))
        assert fifth.wait_seconds == 4
        later = t0 + timedelta(seconds=8)
        assert sign_in_throttle.verify_secret(reopened, trainer.id, "trainer-pass", now=later).ok
        after_success = sign_in_throttle.verify_secret(reopened, trainer.id, "guess", now=later)
        assert after_success.wait_seconds == 0  # success started the count again
    finally:
        reopened.close()


def test_a_clock_set_back_never_makes_anyone_wait_more_than_the_cap(db, coordinator):
    t0 = utcnow()
    for _ in range(20):
        sign_in_throttle.verify_secret(db, coordinator.id, "guess", now=t0)
    an_hour_earlier = t0 - timedelta(hours=1)
    result = sign_in_throttle.verify_secret(db, coordinator.id, PASSWORD, now=an_hour_earlier)
    assert not result.ok and result.wait_seconds == sign_in_throttle.MAX_DELAY_SECONDS
    assert sign_in_throttle.verify_secret(db, coordinator.id, PASSWORD, now=an_hour_earlier + timedelta(minutes=6)).ok


def test_a_weak_test_hash_is_upgraded_at_the_next_sign_in(db, coordinator, real_hash_cost):
    assert sign_in_throttle.verify_secret(db, coordinator.id, PASSWORD).ok
    with db.session() as session:
        assert session.get(Profile, coordinator.id).secret_hash.startswith("scrypt$17$")


def test_trainees_without_a_pin_need_none_and_pins_can_be_set_and_removed(db, coordinator):
    ana = profile_store.create_profile(db, "Ana", TRAINEE, group="7B", actor_id=coordinator.id)
    assert sign_in_throttle.verify_secret(db, ana.id, "").ok
    profile_store.set_secret(db, ana.id, "2468", actor_id=coordinator.id)
    assert profile_store.get_profile(db, ana.id).has_secret
    assert not sign_in_throttle.verify_secret(db, ana.id, "1111").ok
    assert "PIN" in sign_in_throttle.verify_secret(db, ana.id, "1111").message
    assert sign_in_throttle.verify_secret(db, ana.id, "2468").ok
    profile_store.set_secret(db, ana.id, None, actor_id=ana.id)
    assert not profile_store.get_profile(db, ana.id).has_secret
    with pytest.raises(PermissionDenied):
        profile_store.set_secret(db, coordinator.id, "taken-over!", actor_id=ana.id)


def test_rename_and_archive_are_audited_and_keep_names_unique(db, coordinator):
    ana = profile_store.create_profile(db, "Ana", TRAINEE, group="7B", actor_id=coordinator.id)
    profile_store.create_profile(db, "Ben", TRAINEE, group="7B", actor_id=coordinator.id)
    with pytest.raises(AccountError, match="already a profile"):
        profile_store.rename_profile(db, ana.id, "BEN", actor_id=coordinator.id)
    profile_store.rename_profile(db, ana.id, "Anna", actor_id=coordinator.id)
    profile_store.archive_profile(db, ana.id, actor_id=coordinator.id)
    assert "Anna" not in [p.display_name for p in profile_store.list_profiles(db)]
    archived = [p for p in profile_store.list_profiles(db, include_archived=True) if p.id == ana.id]
    assert archived[0].archived and archived[0].display_name == "Anna"
    assert not sign_in_throttle.verify_secret(db, ana.id, "").ok
    actions = [e.action for e in audit.entries(db, entity="profile", entity_id=ana.id)]
    assert actions == ["archive", "update", "create"]
    with pytest.raises(AccountError, match="last coordinator"):
        profile_store.archive_profile(db, coordinator.id, actor_id=coordinator.id)


def test_trainees_see_only_their_own_records(db, coordinator):
    ana = profile_store.create_profile(db, "Ana", TRAINEE, group="7B", actor_id=coordinator.id)
    ben = profile_store.create_profile(db, "Ben", TRAINEE, group="7B", actor_id=coordinator.id)
    trainer = profile_store.create_profile(db, "Mr Okafor", TRAINER, secret="trainer-pass", actor_id=coordinator.id)
    assert profile_store.can_view_records(db, ana.id, ana.id)
    assert not profile_store.can_view_records(db, ana.id, ben.id)
    assert profile_store.can_view_records(db, trainer.id, ben.id)


def test_preferences_merge_and_persist(db, coordinator):
    preference_store.set_preferences(db, coordinator.id, {"text_size": 1.25, "theme": "dark"}, actor_id=coordinator.id)
    merged = preference_store.set_preferences(db, coordinator.id, {"tour_done": True}, actor_id=coordinator.id)
    assert merged == {"text_size": 1.25, "theme": "dark", "tour_done": True}
    assert preference_store.get_preferences(db, coordinator.id) == merged


def test_the_program_ignores_the_old_fast_hash_variable():
    """Issue 14 item 12: no environment variable lowers the scrypt cost of the shipped program."""
    import os
    import subprocess
    import sys

    from fast_hash import REPO

    code = "from app.modules.records import secret_hashing; print(secret_hashing.hash_secret('x').split('$')[1])"
    env = {**os.environ, "PEER_TRAINER_FAST_HASH": "1", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "17"


def test_the_test_helper_runs_the_program_with_cheap_hashing(tmp_path):
    import subprocess

    import fast_hash

    code = "from app.modules.records import secret_hashing; print(secret_hashing.hash_secret('x').split('$')[1])"
    script = tmp_path / "show_cost.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [fast_hash.sys.executable, fast_hash.__file__, str(script)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(fast_hash.FAST_LOG2_N)
