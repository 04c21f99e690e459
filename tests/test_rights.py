"""Permissions live in the domain: every operation that changes records refuses a trainee acting
on what is not theirs, and refuses a call that names no actor at all. Hiding a button is not a
check, so these call the domain (and the service) directly, as a careless or hostile screen would.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from records_helpers import add_trainee_work, counts, same_school, set_up_school

from app.core.errors import PermissionDenied
from app.modules import certificate_batch, sign_offs
from app.modules.content import load_content
from app.modules.exchange.bundle import export_bundle, verify_bundle
from app.modules.exchange.merge import import_bundle
from app.modules.records import (
    audit,
    certificate_store,
    class_lists,
    preference_store,
    profile_store,
    progress_store,
    settings_store,
)
from app.modules.records.erasure import erase_trainee
from app.modules.records.rights import ROLE_RIGHTS, Right, role_may
from app.service import Training


@pytest.fixture
def school(db):
    coord, trainer = set_up_school(db)
    ana = profile_store.create_profile(db, "Ana Lopez", profile_store.TRAINEE, group="9B", actor_id=coord.id)
    ben = profile_store.create_profile(db, "Ben Okoro", profile_store.TRAINEE, group="9B", actor_id=coord.id)
    add_trainee_work(db, ben.id, trainer.id)
    return coord, trainer, ana, ben


def _sign(number, issued_at):
    return {"n": number}, "signature"


def _attempts_by(db, who: str, school) -> dict:
    """Every operation that changes records, done by `who` (an id, or None) against someone else."""
    coord, trainer, ana, ben = school
    sign_off = progress_store.sign_offs(db, ben.id)[0]
    return {
        "set a school setting": lambda: settings_store.set_setting(db, "school.name", "Evil", actor_id=who),
        "save the settings form": lambda: settings_store.set_settings(db, {"school.office": "x"}, actor_id=who),
        "issue a certificate": lambda: certificate_store.issue(db, ben.id, "Ben Okoro", who, _sign),
        "change another's preferences": lambda: preference_store.set_preferences(
            db, ben.id, {"theme": "x"}, actor_id=who
        ),
        "add a person": lambda: profile_store.create_profile(
            db, "Mallory", profile_store.COORDINATOR, secret="x" * 9, actor_id=who
        ),
        "add a class": lambda: class_lists.create_trainees_from_text(db, "Eve\nMallory", "9B", who),
        "rename someone": lambda: profile_store.rename_profile(db, ben.id, "Benjamin", actor_id=who),
        "archive someone": lambda: profile_store.archive_profile(db, ben.id, actor_id=who),
        "reset another's secret": lambda: profile_store.set_secret(db, coord.id, "new password 1", actor_id=who),
        "sign off": lambda: progress_store.add_sign_off(db, ben.id, who, "empathy", {"Names the feeling": True}),
        "withdraw a sign-off": lambda: progress_store.withdraw_sign_off(db, sign_off.id, who),
        "erase a trainee": lambda: erase_trainee(db, ben.id, who, "Ben Okoro"),
    }


@pytest.mark.parametrize("actor", ["trainee", "nobody"])
def test_a_trainee_or_no_one_is_refused_every_change_by_the_domain(db, school, actor):
    ana = school[2]
    who = ana.id if actor == "trainee" else None
    before = counts(db)
    names_before = [(p.display_name, p.role) for p in profile_store.list_profiles(db, include_archived=True)]
    refused = []
    for what, attempt in _attempts_by(db, who, school).items():
        with pytest.raises(PermissionDenied):
            attempt()
        refused.append(what)
    assert len(refused) == 12
    assert counts(db) == before  # nothing was written by any of them
    assert [(p.display_name, p.role) for p in profile_store.list_profiles(db, include_archived=True)] == names_before
    assert settings_store.get_setting(db, "school.name") == "Hillside School"


def test_a_trainer_may_sign_off_but_not_run_the_school(db, school):
    coord, trainer, ana, ben = school
    made = progress_store.add_sign_off(db, ana.id, trainer.id, "empathy", {"Names the feeling": True})
    assert made.trainer_id == trainer.id
    with pytest.raises(PermissionDenied):
        settings_store.set_setting(db, "school.name", "Other", actor_id=trainer.id)
    with pytest.raises(PermissionDenied):
        erase_trainee(db, ben.id, trainer.id, "Ben Okoro")
    other = profile_store.create_profile(db, "Ms Lind", profile_store.TRAINER, secret="password123", actor_id=coord.id)
    with pytest.raises(PermissionDenied, match="only their own"):
        progress_store.withdraw_sign_off(db, made.id, other.id)  # another trainer's sign-off
    progress_store.withdraw_sign_off(db, made.id, coord.id, "marked the wrong trainee")  # a coordinator may


def test_a_profile_changes_its_own_preferences_and_an_archived_one_nothing(db, school):
    coord, _trainer, ana, _ben = school
    assert preference_store.set_preferences(db, ana.id, {"theme": "dark"}, actor_id=ana.id)["theme"] == "dark"
    profile_store.archive_profile(db, ana.id, actor_id=coord.id)
    with pytest.raises(PermissionDenied, match="archived"):
        preference_store.set_preferences(db, ana.id, {"theme": "light"}, actor_id=ana.id)


def test_the_service_acts_only_as_its_actor(db, school, locations):
    coord, trainer, ana, ben = school
    content = load_content(locations.content_dir)
    as_ana = Training(db, content, ana, locations)
    with pytest.raises(PermissionDenied):
        as_ana.people.add("Mallory", profile_store.COORDINATOR, secret="password123")
    with pytest.raises(PermissionDenied):
        as_ana.settings.set("school.name", "Evil")
    with pytest.raises(PermissionDenied):
        as_ana.progress.record_of(ben.id)  # another trainee's record is not hers to read
    with pytest.raises(PermissionDenied):
        as_ana.certificates.issue([ben.id], locations.data_dir / "out")
    assert as_ana.progress.record_of() is not None  # her own, yes
    as_coord = Training(db, content, coord, locations)
    _made, changes = as_coord.people.add("Cleo Brand", profile_store.TRAINEE, group="9C")
    assert changes.people
    entry = audit.entries(db, entity="profile")[0]
    assert entry.actor_id == coord.id  # audited in the actor's name, never "the system"


def test_import_needs_a_coordinator_except_on_a_laptop_not_set_up(db, school, tmp_path, locations):
    from app.modules.records.database import Database
    from app.paths import resolve_locations

    coord, trainer, ana, _ben = school
    path = tmp_path / "school.peer-records"
    other = Database.open(resolve_locations(data_dir=tmp_path / "other-laptop", content_dir=locations.content_dir))
    try:
        set_up_school(other, coordinator="Mr Other")
        same_school(db, other)
        export_bundle(other, path, "Hillside School")
    finally:
        other.close()
    fingerprint = verify_bundle(path).fingerprint
    with pytest.raises(PermissionDenied):
        import_bundle(db, path, ana.id, trust_fingerprint=fingerprint)
    with pytest.raises(PermissionDenied):
        import_bundle(db, path, None, trust_fingerprint=fingerprint)  # this laptop has a school: someone acts
    fresh = Database.open(resolve_locations(data_dir=tmp_path / "new-laptop", content_dir=locations.content_dir))
    try:  # a new laptop takes the school's records
        assert import_bundle(fresh, path, None, trust_fingerprint=fingerprint).rows_added > 0
    finally:
        fresh.close()


def test_the_table_of_rights_is_what_the_roles_say():
    assert set(ROLE_RIGHTS[profile_store.COORDINATOR]) == set(Right)
    assert role_may(profile_store.TRAINER, Right.SIGN_OFF) and not role_may(profile_store.TRAINEE, Right.SIGN_OFF)
    assert not role_may(None, Right.RECORD_OWN_PROGRESS)
    assert not any(
        role_may(profile_store.TRAINEE, r) for r in (Right.MANAGE_PEOPLE, Right.ISSUE_CERTIFICATES, Right.ERASE)
    )


def test_batch_issue_refuses_a_trainee(db, school, locations):
    _coord, _trainer, ana, ben = school
    content = load_content(locations.content_dir)
    started = datetime.now(UTC)
    with pytest.raises(PermissionDenied):
        certificate_batch.issue(db, locations, content, {}, [ben.id], locations.data_dir / "out", ana.id)
    with pytest.raises(PermissionDenied):
        sign_offs.withdraw(db, progress_store.sign_offs(db, ben.id)[0], ana, "")
    assert all(e.at < started or e.actor_id != ana.id for e in audit.entries(db))
