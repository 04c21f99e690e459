"""Certificates without a window: who is ready, the signed code, tampering, numbering, batches."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cohort_helpers import complete_module, make_ready, school, sign_off, trainee
from records_helpers import coordinator_of

from app.core.work import Work
from app.modules import certificate_batch as batch
from app.modules import certificates as certs
from app.modules.cohort import summaries, to_trainee_record
from app.modules.content import load_content
from app.modules.keys import SigningKey
from app.modules.records import audit, certificate_store, cohort_store, progress_store
from app.modules.trainee_record import trainee_record


@pytest.fixture(autouse=True)
def _qt(qapp):
    """PDFs are drawn with QtGui: use pytest-qt's application rather than let ensure_gui make one."""
    return qapp


@pytest.fixture
def content(locations):
    return load_content(locations.content_dir)


def _cohort(db, content):
    coordinator, trainer = school(db)
    ids = {name: trainee(db, name, "9B", coordinator) for name in ("Amara Okafor", "Diego Fernández", "Mei Chen")}
    make_ready(db, content, ids["Amara Okafor"], trainer)
    complete_module(db, content, ids["Diego Fernández"], trainer, "introduction")
    for module in content.program.modules:
        complete_module(db, content, ids["Mei Chen"], trainer, module.id, sign_offs=module.id != "self-care")
    return coordinator, trainer, ids


@pytest.fixture
def cohort(db, content, seeded_once):
    """Amara is ready, Diego has done the introduction only, Mei waits for one sign-off."""
    return seeded_once.into(db, "certificates_domain.cohort", lambda fresh: _cohort(fresh, content))


def rows_by_name(db, content):
    rows = summaries(db, content.program, content.all_module_contents(), cohort_store.roster(db))
    return {r.name: r for r in rows}


def test_the_program_rule_decides_who_is_ready(db, content, cohort):
    _c, trainer, ids = cohort
    rows = rows_by_name(db, content)
    assert rows["Amara Okafor"].ready
    assert not rows["Diego Fernández"].ready and len(rows["Diego Fernández"].readiness.missing) >= 5
    mei = rows["Mei Chen"]
    assert not mei.ready
    assert mei.readiness.missing == [
        "Self-care and boundaries: sign-off: Boundaries and self-care (a trainer watches a live role-play)"
    ]
    sign_off(db, content, ids["Mei Chen"], trainer, "boundaries")
    assert rows_by_name(db, content)["Mei Chen"].ready
    # A withdrawn sign-off no longer counts.
    so = next(s for s in progress_store.sign_offs(db, ids["Amara Okafor"]) if s.competency_id == "crisis_response")
    progress_store.withdraw_sign_off(db, so.id, trainer, "observed the wrong role-play")
    others = [s for s in progress_store.sign_offs(db, ids["Amara Okafor"]) if s.competency_id == "crisis_response"]
    for s in others:
        progress_store.withdraw_sign_off(db, s.id, trainer)
    assert not rows_by_name(db, content)["Amara Okafor"].ready
    assert batch.ready_ids(db, content) == [ids["Mei Chen"]]


def test_bulk_records_agree_with_one_trainee_at_a_time(db, content, cohort):
    _c, _t, ids = cohort
    raws = cohort_store.raw_records(db, ids.values())
    for pid in ids.values():
        assert to_trainee_record(raws[pid]) == trainee_record(db, pid)


# --- the signed code -----------------------------------------------------------------------


def issue_one(db, locations, content, settings, pid, out: Path):
    result = batch.issue(db, locations, content, settings, [pid], out, coordinator_of(db))
    assert len(result.issued) == 1
    issued = result.issued[0]
    return issued, certificate_store.by_number(db, issued.number), result.school_key


@pytest.fixture
def issued(db, locations, content, cohort, tmp_path):
    _c, _t, ids = cohort
    settings = {
        "school.name": "Riverside High",
        "certificate.signatory_name": "Ms Rivera",
        "certificate.signatory_title": "Coordinator",
    }
    return issue_one(db, locations, content, settings, ids["Amara Okafor"], tmp_path / "out")


def tampered(code: str, change) -> str:
    prefix, fields, signature = code.split(".")
    payload = json.loads(base64.urlsafe_b64decode(fields + "=" * (-len(fields) % 4)))
    change(payload)
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return f"{prefix}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}.{signature}"


def test_a_genuine_certificate_verifies_and_says_for_whom(issued, content):
    file, record, key = issued
    code = certs.make_code(record.payload, record.signature)
    result = certs.verify_code(code, key)
    assert result.valid, result.lines()
    assert result.data.trainee_name == "Amara Okafor" and result.data.number == record.number
    assert "VALID" in result.summary() and "Amara Okafor" in result.summary()
    assert len(result.data.modules) == len(content.program.modules) and {c for c, _d, _by in result.data.observed} >= {
        "Active listening"
    }
    assert all(by == "Mr Okafor" for _c, _d, by in result.data.observed)
    assert certs.verify_input(str(file.path), key).valid  # the code embedded in the PDF
    compact = certs.make_code(record.payload, record.signature, compact=True)  # what the QR code holds
    assert compact.startswith("PHT1Z.") and len(compact) < len(code) and certs.verify_code(compact, key).valid


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Amara Okafor-Smith"),
        ("issued", "2020-01-01"),
        ("number", "PHT-2026-999999"),
        ("modules", [["Active listening", "2026-01-01"]]),
    ],
)
def test_any_changed_field_fails_the_signature_check(issued, field, value):
    _f, record, key = issued
    code = tampered(certs.make_code(record.payload, record.signature), lambda p: p.__setitem__(field, value))
    result = certs.verify_code(code, key)
    assert not result.valid
    assert result.failed.name == certs.SIGNATURE
    assert "changed" in result.summary()


def test_another_schools_key_fails_the_key_check(issued, tmp_path):
    _f, record, _key = issued
    other = SigningKey.load_or_create(tmp_path / "other-school").public("Hillside Academy")
    code = certs.make_code(record.payload, record.signature)
    result = certs.verify_code(code, other)
    assert not result.valid and result.failed.name == certs.KEY
    assert "another school" in result.failed.detail and "Hillside Academy" in result.failed.detail
    # Claiming the other school's key in the fields does not help: the signature check fails.
    forged = tampered(code, lambda p: p.__setitem__("key", other.fingerprint))
    assert certs.verify_code(forged, other).failed.name == certs.SIGNATURE


def test_damaged_codes_name_the_check_that_failed(issued):
    _f, record, key = issued
    code = certs.make_code(record.payload, record.signature)
    assert certs.verify_code(code[:-10], key).failed.name == certs.DECODING  # signature cut short
    assert certs.verify_code(code[: len(code) // 2], key).failed.name in (certs.FORMAT, certs.DECODING)
    assert certs.verify_code("hello", key).failed.name == certs.FORMAT
    no_name = tampered(code, lambda p: p.pop("name"))
    assert certs.verify_code(no_name, key).failed.name == certs.FIELDS
    assert certs.verify_code(" \n".join([code[:40], code[40:]]), key).valid  # line breaks from copying are fine
    compact = certs.compact_code(code)
    assert certs.verify_code(compact[:-30] + compact[-20:], key).failed.name == certs.DECODING
    prefix, fields, signature = compact.split(".")
    assert (
        certs.verify_code(f"{prefix}.{fields[:-8]}.{signature}", key).failed.name == certs.DECODING
    )  # deflated data cut short


def test_a_pdf_without_a_code_is_refused_clearly(tmp_path, issued):
    _f, _record, key = issued
    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(certs.CertificateError, match="No certificate code"):
        certs.verify_input(str(pdf), key)


# --- numbering, re-issue, batches ---------------------------------------------------------


def test_reissuing_keeps_the_number_and_both_issues_are_recorded(db, locations, content, cohort, issued, tmp_path):
    _c, _t, ids = cohort
    first_file, first, key = issued
    again_file, again, _ = issue_one(
        db, locations, content, {"school.name": "Riverside High"}, ids["Amara Okafor"], tmp_path / "again"
    )
    assert again.number == first.number and again_file.reissued and not first_file.reissued
    assert certs.verify_code(certs.make_code(again.payload, again.signature), key).valid
    log = audit.entries(db, entity="certificate", entity_id=first.number)
    assert sorted(e.action for e in log) == ["issue", "reissue"]
    assert len(certificate_store.all_issued(db)) == 1


def test_numbers_count_up_and_files_are_named_by_number_and_name(db, locations, content, cohort, tmp_path):
    _c, trainer, ids = cohort
    sign_off(db, content, ids["Mei Chen"], trainer, "boundaries")
    result = batch.issue(db, locations, content, {}, list(ids.values()), tmp_path, coordinator_of(db))
    assert [f.number[-6:] for f in result.issued] == ["000001", "000002"]
    assert [n for n, _missing in result.not_ready] == ["Diego Fernández"]
    assert {f.path.name for f in result.issued} == {f"{f.number} {f.name}.pdf" for f in result.issued}
    assert batch.file_name("PHT-2026-000009", "a/b: c?") == "PHT-2026-000009 a_b_ c.pdf"


def test_cancel_stops_after_the_certificate_in_hand(db, locations, content, tmp_path):
    coordinator, trainer = school(db)
    ids = [trainee(db, f"Trainee {i}", "10C", coordinator) for i in range(3)]
    for pid in ids:
        make_ready(db, content, pid, trainer)
    seen = []

    def progress(done, total, name):
        seen.append((done, total))
        work.cancel()  # the person presses Cancel while the first certificate is made

    work = Work(progress)
    result = batch.issue(db, locations, content, {}, ids, tmp_path, coordinator, work=work)
    assert result.cancelled and len(result.issued) == 1 and seen == [(1, 3)]
    assert result.issued[0].path.is_file()
    assert len(certificate_store.all_issued(db)) == 1
    assert "before you cancelled" in result.report()


def test_the_private_key_is_made_once_and_kept_private(locations):
    key = batch.school_signing_key(locations)
    path = locations.keys_dir / "school-key.pem"
    assert path.stat().st_mode & 0o777 == 0o600
    assert batch.school_signing_key(locations).public().fingerprint == key.public().fingerprint
