"""Certificate numbers stay unique across laptops, so merged records never clash."""

from __future__ import annotations

from app.modules.records import certificate_store, profile_store, school_setup
from app.modules.records.database import Database
from app.paths import resolve_locations


def laptop(tmp_path, name):
    db = Database.open(resolve_locations(tmp_path / name))
    coord = school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High")
    trainee = profile_store.create_profile(db, f"Trainee on {name}", "trainee", actor_id=coord.id)
    return db, coord, trainee


def sign(number, when):
    return {"number": number, "issued": when.date().isoformat()}, "sig"


def test_two_laptops_number_their_first_certificates_differently(tmp_path):
    a, coord_a, t_a = laptop(tmp_path, "a")
    b, coord_b, t_b = laptop(tmp_path, "b")
    try:
        first_a = certificate_store.issue(a, t_a.id, t_a.display_name, coord_a.id, sign).number
        first_b = certificate_store.issue(b, t_b.id, t_b.display_name, coord_b.id, sign).number
        assert first_a != first_b
        for number, db in ((first_a, a), (first_b, b)):
            m = certificate_store.NUMBER_PATTERN.match(number)
            assert m and m.group(3) == certificate_store.device_code(db.device_id) and m.group(4) == "000001"
        # The count goes on per laptop, and re-issuing keeps the number.
        other = profile_store.create_profile(a, "Second trainee", "trainee", actor_id=coord_a.id)
        second_a = certificate_store.issue(a, other.id, other.display_name, coord_a.id, sign).number
        assert second_a.endswith("-000002")
        assert certificate_store.issue(a, t_a.id, t_a.display_name, coord_a.id, sign).number == first_a
    finally:
        a.close()
        b.close()


def test_numbers_of_the_earlier_form_are_still_understood():
    m = certificate_store.NUMBER_PATTERN.match("PHT-2026-000042")
    assert m and m.group(3) is None and m.group(4) == "000042"
