"""Validity and renewal: the school's limit is signed into each certificate, a certificate runs out
and is renewed once the helper kept up their refreshers and had one role-play observed; the old
certificate still verifies and is marked as superseded. Certificates from before verify as they did.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from after_certificate_school import right_answer
from cohort_helpers import make_ready, school, sign_off, trainee

from app.core.errors import PermissionDenied
from app.modules import certificates as certs
from app.modules import renewal
from app.modules.content import load_content
from app.modules.records import certificate_store, profile_store
from app.modules.school_settings import VALIDITY_KEY, add_months, parse_validity, validate
from app.service import Training


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


def _as(db, content, locations, profile_id) -> Training:
    return Training(db, content, profile_store.get_profile(db, profile_id), locations)


def test_months_are_added_as_people_count_them():
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 28), 12) == date(2027, 11, 28)
    assert add_months(date(2026, 12, 15), 18) == date(2028, 6, 15)
    assert [parse_validity(v) for v in (None, "", 0, 12, "24", 121, -1, "x", True, "9" * 50)] == [
        0, 0, 0, 12, 24, None, None, None, None, None
    ]  # fmt: skip
    assert VALIDITY_KEY in validate({VALIDITY_KEY: "forever"}) and VALIDITY_KEY not in validate({VALIDITY_KEY: 12})


def test_a_certificate_runs_out_and_is_renewed(db, content, locations, tmp_path, qapp):
    coord, trainer = school(db)
    ana = trainee(db, "Ana Lopez", "9B", coord)
    ben = trainee(db, "Ben Okoro", "9B", coord)
    for who in (ana, ben):
        make_ready(db, content, who, trainer)
    staff = _as(db, content, locations, coord)

    # Ben's certificate is issued before the school sets a limit: no validUntil, verifies as before.
    first, _ = staff.certificates.issue([ben], tmp_path / "out")
    ben_cert = certificate_store.by_number(db, first.issued[0].number)
    assert "validUntil" not in ben_cert.payload and ben_cert.valid_until is None
    assert certs.verify_code(certs.make_code(ben_cert.payload, ben_cert.signature), first.school_key).valid

    staff.settings.set(VALIDITY_KEY, 12)
    issued, _ = staff.certificates.issue([ana], tmp_path / "out")
    old = certificate_store.by_number(db, issued.issued[0].number)
    assert old.valid_until.date() == add_months(old.issued_at.date(), 12)
    checked = certs.verify_code(certs.make_code(old.payload, old.signature), issued.school_key)
    assert checked.valid and checked.data.valid_until == old.valid_until.date()
    assert any("valid until" in line for line in checked.lines())

    names = {ana: "Ana Lopez", ben: "Ben Okoro"}
    now = datetime.now(UTC)
    by_id = {s.profile_id: s for s in renewal.statuses(db, content, names, now=now)}
    assert by_id[ana].state == renewal.VALID and by_id[ben].state == renewal.NO_LIMIT
    later = {s.profile_id: s for s in renewal.statuses(db, content, names, now=now + timedelta(days=350))}
    assert later[ana].state == renewal.DUE and later[ana].due
    gone = {s.profile_id: s for s in renewal.statuses(db, content, names, now=now + timedelta(days=400))}
    assert gone[ana].state == renewal.EXPIRED and gone[ana].state_words().startswith("Ran out on")

    # Not yet: no refreshers, no role-play observed since the certificate.
    assert len(by_id[ana].missing) == 2
    refused, changes = staff.certificates.renew([ana], tmp_path / "renewed")
    assert not refused.issued and not changes and "refresher" in " ".join(refused.not_ready[0][1])
    assert certificate_store.by_number(db, old.number).superseded_by is None

    helper = _as(db, content, locations, ana)
    for _round in range(2):  # ten new questions this week, then the rest
        for item, _due in helper.refreshers.due():
            helper.refreshers.answer(item.key, right_answer(item))
    cid = next(iter(content.program.competencies))
    sign_off(db, content, ana, trainer, cid)
    ready = {s.profile_id: s for s in staff.certificates.renewals()}[ana]
    assert ready.can_renew, ready.missing

    with pytest.raises(PermissionDenied):
        helper.certificates.renew([ana], tmp_path / "mine")
    renewed, changes = staff.certificates.renew([ana], tmp_path / "renewed")
    assert changes.certificates and len(renewed.issued) == 1
    new = certificate_store.by_number(db, renewed.issued[0].number)
    assert new.number != old.number and new.payload["validUntil"]
    assert renewed.issued[0].path.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(renewed.issued[0].path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Valid until" in text and new.number in text

    # The old certificate still verifies, and the records say it was superseded, and by which.
    again = certificate_store.by_number(db, old.number)
    assert again.superseded_by == new.number and again.superseded_at is not None
    assert certs.verify_code(certs.make_code(again.payload, again.signature), renewed.school_key).valid
    assert staff.certificates.record_of(old.number).superseded_by == new.number
    assert certificate_store.numbers_for(db, [ana]) == {ana: new.number}
    assert {s.profile_id: s for s in staff.certificates.renewals()}[ana].number == new.number
    helper.evaluation.rate_confidence("before", {cid: 2})
    helper.evaluation.rate_confidence("after", {cid: 3})
    assert helper.evaluation.moment_due() == "renewal"  # asked again at renewal
    # Issuing again now signs the current (renewed) number, not the superseded one.
    reissued, _ = staff.certificates.issue([ana], tmp_path / "again")
    assert reissued.issued[0].number == new.number and reissued.issued[0].reissued
