"""Open Badges 3.0: a certificate as an `OpenBadgeCredential` (a W3C Verifiable Credential 2.0).

The credential is secured as a VC-JWT (VC-JOSE-COSE, media type `application/vc+jwt`): a
compact JWS, algorithm EdDSA, signed with the school's Ed25519 key. The school is the issuer,
named by a `did:key` made from that key, so a wallet can check the signature without asking
anyone. docs/credentials.md says why JWT rather than a Data Integrity proof.

Files: `<number> <name>.badge.jwt` (the JWT) and `<number> <name>.badge.json` (the same JWT in
a VC 2.0 `EnvelopedVerifiableCredential`). `verify_badge` checks either, offline, and names the
check that failed. Signing uses the program's own key object; verifying uses joserfc, so the
JWS is read by an independent implementation.
"""

from __future__ import annotations

import base64
import json
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.core.i18n import N_, _

from .certificates import CertificateData, CertificateError, Check, check_label, english_date, long_date
from .keys import SchoolKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MEDIA_TYPE = "vc+jwt"
ENVELOPE_PREFIX = f"data:application/{MEDIA_TYPE},"
MAX_BADGE_BYTES = 200_000
_NAMESPACE = uuid.UUID("0b8f1f6e-9a43-4b8e-9f0e-6f3c1a2d4e5b")
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def did_key(public_bytes: bytes) -> str:
    """`did:key:z6Mk…`: the Ed25519 public key (multicodec 0xed01), base58btc."""
    return "did:key:z" + _b58(b"\xed\x01" + public_bytes)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, chr(0).join(parts))}"


def _instant(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def credential(data: CertificateData, school_key: SchoolKey, valid_until: date | None = None) -> dict[str, Any]:
    """The OpenBadgeCredential of one certificate (not yet signed)."""
    issuer = did_key(school_key.public_bytes)
    achievement_id = _urn(school_key.fingerprint, "achievement", data.programme, data.title)
    modules = "; ".join(t for t, _on in data.modules) or "the programme's modules"
    observed = [c for c, _on, _by in data.observed]
    narrative = (
        f"Completed the modules of {data.programme}: {modules}."
        + (" In practice role-plays, a trainer observed these skills: " + "; ".join(observed) + "." if observed else "")
        + " This records training completed and skills observed; it is not a qualification in counselling "
        "or crisis support."
    )
    descriptions = [
        {
            "id": _urn(achievement_id, "skill", c),
            "type": ["ResultDescription"],
            "name": c,
            "resultType": "Status",
        }
        for c in observed
    ]
    results = [
        {
            "type": ["Result"],
            "resultDescription": d["id"],
            "status": "Completed",
            "achievedLevel": f"Observed by {by} on {english_date(on)}",
        }
        for d, (_c, on, by) in zip(descriptions, data.observed)
    ]
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": f"{data.title}: {data.programme}",
        "description": f"{data.title} of {data.programme}, a peer helper training programme at {data.school}.",
        "criteria": {"narrative": narrative},
        "creator": {"id": issuer, "type": ["Profile"], "name": data.school},
    }
    if observed:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": c,
                "targetUrl": _urn(achievement_id, "competency", c),
                "targetType": "CFItem",
            }
            for c in observed
        ]
        achievement["resultDescription"] = descriptions
    subject: dict[str, Any] = {
        "id": _urn(school_key.fingerprint, "trainee", data.number),
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": data.trainee_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": achievement,
    }
    if results:
        subject["result"] = results
    cred: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": _urn(school_key.fingerprint, "certificate", data.number, data.issued_on.isoformat()),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{data.title}: {data.trainee_name}",
        "description": f"Certificate {data.number}",
        "issuer": {"id": issuer, "type": ["Profile"], "name": data.school},
        "validFrom": _instant(data.issued_on),
        "credentialSubject": subject,
    }
    if valid_until is not None:
        cred["validUntil"] = _instant(valid_until)
    return cred


def sign(cred: dict[str, Any], signing_key, school_key: SchoolKey) -> str:
    """The credential as a compact JWS (VC-JWT), signed with the school's key."""
    header = {"alg": "EdDSA", "typ": MEDIA_TYPE, "cty": "vc", "kid": _kid(school_key)}
    signing_input = _b64(_json(header)) + "." + _b64(_json(cred))
    return signing_input + "." + _b64(signing_key.sign(signing_input.encode("ascii")))


def _kid(school_key: SchoolKey) -> str:
    did = did_key(school_key.public_bytes)
    return f"{did}#{did.removeprefix('did:key:')}"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def envelope(jwt: str) -> dict[str, Any]:
    """The VC 2.0 JSON form of a JWT-secured credential."""
    return {"@context": [VC_CONTEXT], "id": ENVELOPE_PREFIX + jwt, "type": "EnvelopedVerifiableCredential"}


def write_badge(jwt: str, pdf_path: Path) -> tuple[Path, Path]:
    """`<pdf stem>.badge.jwt` and `.badge.json` next to the certificate PDF."""
    stem = pdf_path.with_suffix("")
    jwt_path = stem.with_name(stem.name + ".badge.jwt")
    json_path = stem.with_name(stem.name + ".badge.json")
    jwt_path.write_text(jwt + "\n", encoding="ascii")
    json_path.write_text(json.dumps(envelope(jwt), indent=2) + "\n", encoding="utf-8")
    return jwt_path, json_path


def save_badge_of(payload: dict[str, Any], signing_key, path: Path) -> Path:
    """The badge of an issued certificate (its signed fields as stored) written to `path` as JSON."""
    data = CertificateData.from_payload(payload)
    school_key = signing_key.public(data.school)
    if school_key.fingerprint != data.key_fingerprint:
        raise CertificateError(
            _(
                "Certificate {number} was signed with another school key ({key}). "
                "Issue the certificate again on this laptop, then save its badge."
            ).format(number=data.number, key=data.key_fingerprint)
        )
    jwt = sign(credential(data, school_key), signing_key, school_key)
    path.write_text(json.dumps(envelope(jwt), indent=2) + "\n", encoding="utf-8")
    return path


# --- verification ------------------------------------------------------------------------

FORMAT, KEY, SIGNATURE, CREDENTIAL, DATES = "format", "school key", "signature", "credential", "dates"
BADGE_CHECKS = (FORMAT, KEY, SIGNATURE, CREDENTIAL, DATES)
# The checks the certificates do not have, as people read them (see certificates.check_label).
BADGE_CHECK_LABELS = {CREDENTIAL: N_("credential"), DATES: N_("dates")}


@dataclass(slots=True)
class BadgeVerification:
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return len(self.checks) == len(BADGE_CHECKS) and all(c.ok for c in self.checks)

    @property
    def failed(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def summary(self) -> str:
        if self.valid and self.credential is not None:
            c = self.credential
            return _("VALID: the Open Badge “{name}”, issued by {school} from {date}.").format(
                name=c["name"], school=c["issuer"].get("name") or _("the school"), date=c["validFrom"][:10]
            )
        failed = self.failed
        if failed:
            return _("NOT VALID: the {check} check failed: {detail}").format(
                check=check_label(failed.name), detail=failed.detail
            )
        return _("NOT VALID")

    def lines(self) -> list[str]:
        return [self.summary()] + [
            (_("[ok] {check}: {detail}") if c.ok else _("[FAILED] {check}: {detail}")).format(
                check=check_label(c.name), detail=c.detail
            )
            for c in self.checks
        ]


def jwt_from_text(text: str) -> str:
    """The JWT of a .badge.jwt file's text or of a .badge.json envelope; raises CertificateError."""
    text = text.strip()
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            raise CertificateError(_("This JSON file cannot be read: it is damaged or not JSON.")) from None
        ident = doc.get("id") if isinstance(doc, dict) else None
        if not (isinstance(ident, str) and ident.startswith(ENVELOPE_PREFIX)):
            raise CertificateError(
                _(
                    "This JSON is not a credential written by Peer Helper Trainer (an EnvelopedVerifiableCredential "
                    "whose id starts with {prefix}). Give the .badge.json or .badge.jwt file."
                ).format(prefix=ENVELOPE_PREFIX)
            )
        text = ident[len(ENVELOPE_PREFIX) :]
    return text


def verify_badge(text: str, key: SchoolKey, today: date | None = None) -> BadgeVerification:
    """Check a VC-JWT (or its JSON envelope) against the school key; every check is named."""
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey

    result = BadgeVerification()
    checks = result.checks
    today = today or datetime.now(UTC).date()
    try:
        token = jwt_from_text(text)
    except CertificateError as exc:
        checks.append(Check(FORMAT, False, str(exc)))
        return result
    parts = token.split(".")
    try:
        if len(token) > MAX_BADGE_BYTES or len(parts) != 3:
            raise ValueError
        header = json.loads(_unb64(parts[0]))
        claimed = json.loads(_unb64(parts[1]))
        if not isinstance(header, dict) or not isinstance(claimed, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        checks.append(
            Check(FORMAT, False, _("this is not a signed credential (a JWT of three parts); it may be cut short"))
        )
        return result
    if header.get("alg") != "EdDSA":
        checks.append(
            Check(
                FORMAT,
                False,
                _("the signature algorithm is {name}, not EdDSA").format(name=repr(header.get("alg"))),
            )
        )
        return result
    checks.append(Check(FORMAT, True, _("a credential signed as a JWT (EdDSA)")))
    result.credential = claimed
    issuer = claimed.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    mine = did_key(key.public_bytes)
    if issuer_id != mine or header.get("kid", _kid(key)) != _kid(key):
        fields = dict(issuer=str(issuer_id)[:80], school=key.school_name, key=mine)
        checks.append(
            Check(
                KEY,
                False,
                _(
                    "the credential names the issuer {issuer}, but the school key given ({school}) is {key}: "
                    "it comes from another school or another key"
                ).format(**fields)
                if key.school_name
                else _(
                    "the credential names the issuer {issuer}, but the school key given is {key}: "
                    "it comes from another school or another key"
                ).format(**fields),
            )
        )
        return result
    if key.school_name:
        here = _("the issuer is this school key {key} ({school})").format(key=key.fingerprint, school=key.school_name)
    else:
        here = _("the issuer is this school key {key}").format(key=key.fingerprint)
    checks.append(Check(KEY, True, here))
    public = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": _b64(key.public_bytes)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc warns that RFC 9864 prefers "Ed25519"; wallets expect EdDSA
            jws.deserialize_compact(token, public, algorithms=["EdDSA"])
    except (JoseError, ValueError):
        checks.append(
            Check(
                SIGNATURE,
                False,
                _(
                    "the signature does not match the credential: something in it was changed after it was signed, "
                    "or it was signed with another key"
                ),
            )
        )
        return result
    checks.append(Check(SIGNATURE, True, _("the school key's signature matches every field")))
    problem = _shape_problem(claimed)
    if problem:
        checks.append(Check(CREDENTIAL, False, problem))
        return result
    checks.append(Check(CREDENTIAL, True, _("an OpenBadgeCredential with an achievement and its criteria")))
    try:
        valid_from = date.fromisoformat(claimed["validFrom"][:10])
        until = claimed.get("validUntil")
        valid_until = date.fromisoformat(until[:10]) if until else None
    except (TypeError, ValueError):
        checks.append(Check(DATES, False, _("validFrom or validUntil is not a date")))
        return result
    if valid_from > today:
        checks.append(Check(DATES, False, _("it is valid only from {date}").format(date=long_date(valid_from))))
    elif valid_until is not None and valid_until < today:
        checks.append(Check(DATES, False, _("it expired on {date}").format(date=long_date(valid_until))))
    else:
        checks.append(
            Check(
                DATES,
                True,
                _("valid from {start} until {end}").format(start=long_date(valid_from), end=long_date(valid_until))
                if valid_until
                else _("valid from {start}, with no end date").format(start=long_date(valid_from)),
            )
        )
    return result


def _shape_problem(c: dict[str, Any]) -> str:
    types = c.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        return _("its type is not VerifiableCredential and OpenBadgeCredential")
    contexts = c.get("@context")
    if not isinstance(contexts, list) or contexts[:1] != [VC_CONTEXT]:
        return _("its first @context is not {context}").format(context=VC_CONTEXT)
    subject = c.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict) or not isinstance(achievement.get("criteria"), dict):
        return _("it has no achievement with criteria")
    if not isinstance(c.get("validFrom"), str):
        return _("it has no validFrom date")
    return ""


def verify_badge_file(path: Path, key: SchoolKey) -> BadgeVerification:
    try:
        if path.stat().st_size > MAX_BADGE_BYTES:
            raise CertificateError(
                _("{path} is too large to be a credential ({size} bytes).").format(path=path, size=path.stat().st_size)
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CertificateError(
            _("Cannot read {path}: {reason}. Give a .badge.json or .badge.jwt file.").format(path=path, reason=exc)
        ) from None
    return verify_badge(text, key)
