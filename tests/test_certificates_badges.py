"""Open Badges 3.0 credentials: valid against the official schema, verified offline, tampering refused."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest
from cohort_helpers import make_ready, school, trainee

from app.cli import main
from app.modules import badges
from app.modules import certificates as certs
from app.modules.content import load_content
from app.modules.keys import SigningKey

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra: pip install -e .[test]")
SCHEMA = json.loads(
    (Path(__file__).parent / "openbadges_schema" / "ob_v3p0_achievementcredential_schema.json").read_text("utf-8")
)


def certificate(key) -> certs.CertificateData:
    return certs.CertificateData(
        "PHT-2026-000042",
        "Amara Okafor",
        "Riverside High",
        "Peer Helper Training",
        "Certificate of completion",
        date(2026, 5, 4),
        (("Active listening", date(2026, 3, 1)), ("Crisis protocols", date(2026, 4, 2))),
        (("Crisis response and referral", date(2026, 4, 1), "Mr Okafor"), ("Empathy", date(2026, 4, 3), "Ms Lee")),
        "Ms Rivera",
        "Peer support coordinator",
        key.public().fingerprint,
    )


@pytest.fixture
def issued(tmp_path):
    key = SigningKey.load_or_create(tmp_path / "keys")
    school_key = key.public("Riverside High")
    cred = badges.credential(certificate(key), school_key)
    return key, school_key, cred, badges.sign(cred, key, school_key)


def payload(jwt: str) -> dict:
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def resigned_without_key(jwt: str, change) -> str:
    """The same JWT with one field changed and the old signature kept."""
    header, body, signature = jwt.split(".")
    claims = payload(jwt)
    change(claims)
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def test_the_credential_follows_the_official_schema(issued):
    _, school_key, cred, jwt = issued
    validator = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(payload(jwt)), key=lambda e: e.path)
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    assert payload(jwt) == cred
    assert cred["validFrom"] == "2026-05-04T00:00:00Z" and "validUntil" not in cred
    assert cred["issuer"] == {
        "id": badges.did_key(school_key.public_bytes),
        "type": ["Profile"],
        "name": "Riverside High",
    }
    achievement = cred["credentialSubject"]["achievement"]
    assert "Active listening" in achievement["criteria"]["narrative"]
    assert [a["targetName"] for a in achievement["alignment"]] == ["Crisis response and referral", "Empathy"]
    assert len(cred["credentialSubject"]["result"]) == 2
    later = badges.credential(certificate(issued[0]), school_key, valid_until=date(2029, 5, 4))
    assert later["validUntil"] == "2029-05-04T00:00:00Z"
    assert list(validator.iter_errors(later)) == []


def test_a_schema_checker_would_catch_a_broken_credential(issued):
    validator = jsonschema.Draft201909Validator(SCHEMA)
    broken = dict(issued[2])
    del broken["validFrom"]
    assert list(validator.iter_errors(broken))


def test_did_key_matches_the_published_example():
    # did:key spec test vector (Ed25519): the public key bytes of z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
    raw = bytes.fromhex("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29")
    assert badges.did_key(raw) == "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"


def test_verified_offline_as_jwt_and_as_json(issued, tmp_path):
    key, school_key, _, jwt = issued
    result = badges.verify_badge(jwt, school_key, today=date(2026, 6, 1))
    assert result.valid, result.lines()
    assert "Certificate of completion: Amara Okafor" in result.summary()
    jwt_path, json_path = badges.write_badge(jwt, tmp_path / "PHT-2026-000042 Amara Okafor.pdf")
    assert jwt_path.name == "PHT-2026-000042 Amara Okafor.badge.jwt"
    assert json.loads(json_path.read_text())["type"] == "EnvelopedVerifiableCredential"
    for path in (jwt_path, json_path):
        assert badges.verify_badge_file(path, school_key).valid


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"]["identifier"][0].__setitem__("identityHash", "Someone Else"),
        lambda c: c.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["achievement"]["criteria"].__setitem__("narrative", "Anything"),
        lambda c: c["issuer"].__setitem__("name", "Another School"),
    ],
)
def test_one_changed_field_is_refused_by_the_signature_check(issued, change):
    _, school_key, _, jwt = issued
    result = badges.verify_badge(resigned_without_key(jwt, change), school_key)
    assert not result.valid and result.failed.name == badges.SIGNATURE, result.lines()


def test_other_failures_name_their_check(issued, tmp_path):
    key, school_key, cred, jwt = issued
    other = SigningKey.load_or_create(tmp_path / "other").public("Hillside")
    assert badges.verify_badge(jwt, other).failed.name == badges.KEY
    assert badges.verify_badge(jwt[:-40], school_key).failed.name in (badges.FORMAT, badges.SIGNATURE)
    assert badges.verify_badge("hello", school_key).failed.name == badges.FORMAT
    assert badges.verify_badge('{"id": "x"}', school_key).failed.name == badges.FORMAT
    assert badges.verify_badge(jwt, school_key, today=date(2026, 5, 1)).failed.name == badges.DATES
    expired = badges.sign(badges.credential(certificate(key), school_key, date(2026, 5, 10)), key, school_key)
    assert badges.verify_badge(expired, school_key, today=date(2026, 6, 1)).failed.name == badges.DATES
    # Signed properly, but not an Open Badge.
    plain = badges.sign({**cred, "type": ["VerifiableCredential"]}, key, school_key)
    assert badges.verify_badge(plain, school_key).failed.name == badges.CREDENTIAL


def test_issued_with_the_batch_and_verified_from_a_terminal(db, locations, tmp_path, capsys, qapp):
    coordinator, trainer = school(db)
    content = load_content(locations.content_dir)
    make_ready(db, content, trainee(db, "Amara Okafor", "9B", coordinator), trainer)
    out = tmp_path / "certs"
    args = ["--data-dir", str(locations.data_dir), "--content", str(locations.content_dir)]
    assert main([*args, "certificates", "--out", str(out), "--badges", "--quiet"]) == 0
    assert ".badge.json" in capsys.readouterr().out
    assert main([*args, "export-school-key", str(tmp_path / "school.pub")]) == 0
    for path in (next(out.glob("*.badge.json")), next(out.glob("*.badge.jwt"))):
        capsys.readouterr()
        assert main(["verify", str(path), "--key", str(tmp_path / "school.pub")]) == 0
        assert "VALID: the Open Badge" in capsys.readouterr().out
    jwt_path = next(out.glob("*.badge.jwt"))
    forged = resigned_without_key(jwt_path.read_text().strip(), lambda c: c.__setitem__("name", "Changed"))
    jwt_path.write_text(forged)
    assert main(["verify", str(jwt_path), "--key", str(tmp_path / "school.pub")]) == 1
    assert "signature check failed" in capsys.readouterr().out
