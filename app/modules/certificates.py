"""Certificates: what one says, its signed code, and verifying that code offline.

A certificate's fields are one JSON object, signed with the school's Ed25519 key. The code
`PHT1.<fields>.<signature>` (both base64url) goes into the QR code and into the PDF's
metadata, so anyone with the school key file can check, without a network, that a
certificate is genuine and unchanged. The fields are plain JSON on purpose: a verifier can
read exactly what was signed.

Wording follows the content guide: a certificate records what the trainee completed and
what a named trainer observed, never that a student is qualified to handle crises.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import i18n
from app.core.errors import TrainingError
from app.core.i18n import N_, _, pgettext
from app.core.setting_keys import SCHOOL_NAME_KEY

from .keys import SchoolKey

if TYPE_CHECKING:
    from .cohort import TraineeSummary
    from .competency import ModuleContent
    from .program import Program

CODE_PREFIX = "PHT1"
COMPACT_PREFIX = "PHT1Z"  # the same, with the fields deflated (the QR code of certificates printed before PHT2)
QR_PREFIX = "PHT2"  # the short signed reference a phone reads from the QR code (see qr_code)
PAYLOAD_KIND = "peer-helper-certificate"
CODE_PATTERN = re.compile(rb"PHT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
MAX_CODE_LENGTH = 20_000  # far above any real certificate; refuses absurd input early
DISCLAIMER = N_(  # translate with _(DISCLAIMER) where it is printed
    "This certificate records training completed and skills a trainer observed in practice role-plays. "
    "It is not a qualification in counselling or crisis support."
)
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


class CertificateError(TrainingError):
    """A certificate that cannot be made or read; the message says what to do."""


def english_date(d: date) -> str:
    """A date in the fixed English form, for fields that are signed (a signature must not change
    with the language of the computer that reads it)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def long_date(d: date) -> str:
    """A date as the language in use writes it ("28 November 2026", "28 de noviembre de 2026"):
    gettext, not QLocale, so the Qt-free check of a certificate's printed text reads the same words
    as the page. Arabic keeps Western digits, as the Maghreb writes them and as the signed fields do:
    the one digit style of each language, on screen too (app.ui.common.language.QT_LOCALES)."""
    return pgettext("date: day, month name, year", "{day} {month} {year}").format(
        day=d.day, month=_(MONTHS[d.month - 1]), year=d.year
    )


@dataclass(frozen=True, slots=True)
class CertificateData:
    """Everything printed on, and signed into, one certificate."""

    number: str
    trainee_name: str
    school: str
    programme: str
    title: str
    issued_on: date
    modules: tuple[tuple[str, date | None], ...]  # (module title, completed on)
    observed: tuple[tuple[str, date, str], ...]  # (competency, observed on, trainer's name)
    signatory_name: str
    signatory_title: str
    key_fingerprint: str
    # Set when the school limits how long a certificate is valid. Signed as "validUntil" only
    # when set, so certificates from before keep their exact bytes and verify as they did.
    valid_until: date | None = None

    def to_payload(self) -> dict[str, Any]:
        payload = {
            "v": 1,
            "kind": PAYLOAD_KIND,
            "number": self.number,
            "name": self.trainee_name,
            "school": self.school,
            "programme": self.programme,
            "title": self.title,
            "issued": self.issued_on.isoformat(),
            "modules": [[t, d.isoformat() if d else ""] for t, d in self.modules],
            "observed": [[c, d.isoformat(), by] for c, d, by in self.observed],
            "signatory": [self.signatory_name, self.signatory_title],
            "key": self.key_fingerprint,
        }
        if self.valid_until is not None:
            payload["validUntil"] = self.valid_until.isoformat()
        return payload

    @classmethod
    def from_payload(cls, p: Any) -> CertificateData:
        """Raises CertificateError naming the first field that is missing or malformed."""
        if not isinstance(p, dict):
            raise CertificateError(_("the fields are not a JSON object"))
        if p.get("kind") != PAYLOAD_KIND or p.get("v") != 1:
            raise CertificateError(_("the fields are not those of a version 1 Peer Helper Trainer certificate"))
        for name in ("number", "name", "school", "programme", "title", "issued", "key"):
            if not isinstance(p.get(name), str):
                raise CertificateError(_("the field {name} is missing or not text").format(name=repr(name)))
        try:
            modules = tuple((_text(t), _date(d) if d else None) for t, d in _rows(p, "modules", 2))
            observed = tuple((_text(c), _date(d), _text(by)) for c, d, by in _rows(p, "observed", 3))
            ((sig_name, sig_title),) = _rows({"s": [p.get("signatory")]}, "s", 2)
            return cls(
                p["number"],
                p["name"],
                p["school"],
                p["programme"],
                p["title"],
                _date(p["issued"]),
                modules,
                observed,
                _text(sig_name),
                _text(sig_title),
                p["key"],
                _date(p["validUntil"]) if "validUntil" in p else None,
            )
        except (TypeError, ValueError) as exc:
            raise CertificateError(_("a field is malformed ({reason})").format(reason=exc)) from None


def _rows(p: dict, name: str, width: int) -> list[list]:
    rows = p.get(name)
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == width for r in rows):
        raise TypeError(f"{name!r} must be a list of {width}-item lists")
    return rows


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("expected text")
    return v


def _date(v: Any) -> date:
    return date.fromisoformat(_text(v))


# --- what goes on a trainee's certificate -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Look:
    """The school's choices for its certificates (from the school settings)."""

    school: str
    programme: str
    signatory_name: str = ""
    signatory_title: str = ""
    paper: str = "A4"  # or "Letter"
    logo: Path | None = None
    language: str | None = None  # the school's language ("school.language"); None: the one in use


def look_from_settings(settings: dict, program_title: str, data_dir: Path) -> Look:
    from .school_settings import LANGUAGE_KEY, logo_path

    def get(key: str) -> str:
        return str(settings.get(key) or "").strip()

    paper = get("certificate.paper")
    return Look(
        school=get(SCHOOL_NAME_KEY) or _("Our school"),
        programme=get("programme.name") or program_title,
        signatory_name=get("certificate.signatory_name"),
        signatory_title=get("certificate.signatory_title"),
        paper=paper if paper in ("A4", "Letter") else "A4",
        logo=logo_path(settings, data_dir),
        language=get(LANGUAGE_KEY) or None,
    )


def certificate_data(
    program: Program,
    contents: dict[str, ModuleContent],
    summary: TraineeSummary,
    trainer_names: dict[str, str],
    look: Look,
    number: str,
    issued_on: date,
    key_fingerprint: str,
    valid_until: date | None = None,
) -> CertificateData:
    """The certificate of a trainee the rules say is ready; raises CertificateError otherwise."""
    from .cohort import module_completed_on

    if not summary.ready:
        raise CertificateError(
            _("{name} is not ready for a certificate yet: {missing}").format(
                name=summary.name, missing=_("; ").join(summary.readiness.missing)
            )
        )
    modules = []
    for status in summary.readiness.modules:
        if status.complete:
            module = program.module(status.module_id)
            modules.append((status.title, module_completed_on(module, contents[module.id], summary.raw)))
    observed = []
    for cid in program.competencies:
        if cid in summary.raw.signed_off:
            on, trainer_id = summary.raw.signed_off[cid]
            observed.append((program.competency_name(cid), on, trainer_names.get(trainer_id or "", "a trainer")))
    return CertificateData(
        number=number,
        trainee_name=summary.name,
        school=look.school,
        programme=look.programme,
        title=program.certificate.title,
        issued_on=issued_on,
        modules=tuple(modules),
        observed=tuple(observed),
        signatory_name=look.signatory_name,
        signatory_title=look.signatory_title,
        key_fingerprint=key_fingerprint,
        valid_until=valid_until,
    )


# --- the signed code ---------------------------------------------------------------------


def canonical_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_payload(payload: dict[str, Any], signing_key) -> str:
    """The signature (standard base64) as stored beside the payload."""
    return base64.b64encode(signing_key.sign(canonical_bytes(payload))).decode("ascii")


def make_code(payload: dict[str, Any], signature_b64: str, compact: bool = False) -> str:
    """`PHT1.<fields>.<signature>`; compact (for the QR code): `PHT1Z.<deflated fields>.<signature>`."""
    code = f"{CODE_PREFIX}.{_b64(canonical_bytes(payload))}.{_b64(base64.b64decode(signature_b64))}"
    return compact_code(code) if compact else code


def compact_code(code: str) -> str:
    """The same signed code with its fields deflated; codes it cannot read are returned as they are."""
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != CODE_PREFIX:
        return code
    try:
        fields = _unb64(parts[1])
    except (binascii.Error, ValueError):
        return code
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return f"{COMPACT_PREFIX}.{_b64(deflate.compress(fields) + deflate.flush())}.{parts[2]}"


# --- the QR code: a short signed reference ---------------------------------------------

_QR_CONTEXT = b"peer-helper-trainer certificate reference v2\0"
_QR_VERSION = 2
_QR_EPOCH = date(2000, 1, 1)
_QR_DIGEST = 16  # bytes of SHA-256 over the full signed fields: ties the QR code to its PDF's code
_QR_NAME_BYTES = 96  # a longer name is cut (at a character) in the QR code; the PDF's code holds it whole
MAX_QR_CODE_LENGTH = 600


def _cut_utf8(text: str, limit: int) -> bytes:
    raw = text.encode("utf-8")
    return raw if len(raw) <= limit else raw[:limit].decode("utf-8", "ignore").encode("utf-8")


def _qr_statement(payload: dict[str, Any]) -> bytes:
    """What the QR code's signature covers, in a compact binary form.

    version (1) | key fingerprint (8) | issued, days since 2000-01-01 (2) | digest of the full
    fields (16) | number (1 + n) | name (1 + n)
    """
    number = _cut_utf8(str(payload["number"]), 64)
    name = _cut_utf8(str(payload["name"]), _QR_NAME_BYTES)
    days = (date.fromisoformat(payload["issued"]) - _QR_EPOCH).days
    if not 0 <= days < 2**16:
        raise CertificateError(_("The date of issue {date} cannot go into the QR code.").format(date=payload["issued"]))
    return (
        bytes([_QR_VERSION])
        + bytes.fromhex(payload["key"])[:8].ljust(8, b"\0")
        + days.to_bytes(2, "big")
        + hashlib.sha256(canonical_bytes(payload)).digest()[:_QR_DIGEST]
        + bytes([len(number)])
        + number
        + bytes([len(name)])
        + name
    )


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def qr_code(payload: dict[str, Any], signing_key) -> str:
    """`PHT2.<base32>`: the number, name, date and school key, signed; about 200 characters.

    Base32 in capitals is QR "alphanumeric" text, denser than bytes, so the code stays small
    enough (version 9 or so) for a phone camera to read at print size. The full fields stay in
    the PDF's own code (PHT1), which `verify` reads from the file.
    """
    statement = _qr_statement(payload)
    return f"{QR_PREFIX}.{_b32(statement + signing_key.sign(_QR_CONTEXT + statement))}"


def _read_qr_statement(raw: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """(fields, signed bytes, signature); raises ValueError if the bytes are not a reference."""
    if len(raw) < 1 + 8 + 2 + _QR_DIGEST + 2 + 64 or raw[0] != _QR_VERSION:
        raise ValueError("not a version 2 reference")
    body, signature = raw[:-64], raw[-64:]
    at = 1 + 8 + 2 + _QR_DIGEST
    texts = []
    for _i in range(2):
        n = body[at]
        texts.append(body[at + 1 : at + 1 + n].decode("utf-8"))
        if len(texts[-1].encode("utf-8")) != n:
            raise ValueError("cut short")
        at += 1 + n
    if at != len(body):
        raise ValueError("extra bytes")
    fields = {
        "key": body[1:9].hex(),
        "issued": _QR_EPOCH + timedelta(days=int.from_bytes(body[9:11], "big")),
        "digest": body[11 : 11 + _QR_DIGEST],
        "number": texts[0],
        "name": texts[1],
    }
    return fields, body, signature


# --- verification ------------------------------------------------------------------------

FORMAT, DECODING, FIELDS, KEY, SIGNATURE = "format", "decoding", "fields", "school key", "signature"
CHECK_NAMES = (FORMAT, DECODING, FIELDS, KEY, SIGNATURE)
VISIBLE, REVOCATION = "printed text", "revocation list"  # added when a PDF, or a list, is given
# The checks' names are ids (compared in code); people read these labels.
CHECK_LABELS = {
    FORMAT: N_("format"),
    DECODING: N_("decoding"),
    FIELDS: N_("fields"),
    KEY: N_("school key"),
    SIGNATURE: N_("signature"),
    VISIBLE: N_("printed text"),
    REVOCATION: N_("revocation list"),
}


def check_label(name: str) -> str:
    """A check's name as people read it, in the current language (badges add their own checks)."""
    from .badges import BADGE_CHECK_LABELS

    label = CHECK_LABELS.get(name) or BADGE_CHECK_LABELS.get(name)
    return _(label) if label else name


MAX_INPUT_BYTES = 4 * 1024 * 1024  # a certificate PDF is about 60 KB; `verify /dev/zero` stops here
REVOCATION_KIND = "peer-helper-revocations"
MAX_REVOCATION_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(slots=True)
class Verification:
    checks: list[Check] = field(default_factory=list)
    data: CertificateData | None = None
    key: SchoolKey | None = None
    revocations_checked: bool = False  # a signed revocation list was given and read
    reference: bool = False  # a QR code's short reference: number, name, date and key, not the lists
    digest: bytes = b""  # (a reference) the start of the SHA-256 of the full fields it stands for

    @property
    def valid(self) -> bool:
        names = {c.name for c in self.checks}
        return set(CHECK_NAMES) <= names and all(c.ok for c in self.checks)

    @property
    def failed(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def summary(self) -> str:
        if self.valid and self.data is not None and self.reference:
            d = self.data
            if d.school:
                return _(
                    "VALID: certificate {number} for {name}, issued by {school} on {date}. "
                    "The QR code holds the number, name and date; the certificate PDF lists the modules and skills."
                ).format(number=d.number, name=d.trainee_name, school=d.school, date=long_date(d.issued_on))
            return _(
                "VALID: certificate {number} for {name}, issued on {date}. "
                "The QR code holds the number, name and date; the certificate PDF lists the modules and skills."
            ).format(number=d.number, name=d.trainee_name, date=long_date(d.issued_on))
        if self.valid and self.data is not None:
            d = self.data
            return _(
                "VALID: certificate {number} for {name}, {title} of {programme}, issued by {school} on {date}."
            ).format(
                number=d.number,
                name=d.trainee_name,
                title=d.title.lower(),
                programme=d.programme,
                school=d.school,
                date=long_date(d.issued_on),
            )
        failed = self.failed
        if failed:
            return _("NOT VALID: the {check} check failed: {detail}").format(
                check=check_label(failed.name), detail=failed.detail
            )
        return _("NOT VALID")

    def lines(self) -> list[str]:
        """The verdict, what was certified, and every check, for a terminal or a dialog."""
        out = [self.summary()]
        if self.data is not None and self.reference:
            d = self.data
            fields = dict(name=d.trainee_name, number=d.number, date=long_date(d.issued_on))
            if self.valid:
                out.append(_("Certified: {name}; number {number}; issued {date}").format(**fields))
            else:
                out.append(_("Claimed (do not trust these): {name}; number {number}; issued {date}").format(**fields))
        elif self.data is not None:
            d = self.data
            fields = dict(
                name=d.trainee_name,
                school=d.school,
                programme=d.programme,
                number=d.number,
                date=long_date(d.issued_on),
            )
            if self.valid:
                out.append(
                    _("Certified: {name}; {school}; {programme}; number {number}; issued {date}").format(**fields)
                )
            else:
                out.append(
                    _(
                        "Claimed (do not trust these): {name}; {school}; {programme}; number {number}; issued {date}"
                    ).format(**fields)
                )
            details = []  # each a whole sentence, indented under the verdict
            if d.valid_until is not None:
                details.append(_("valid until {date}").format(date=long_date(d.valid_until)))
            details += [
                _("module completed: {module} ({date})").format(module=t, date=long_date(on))
                if on
                else _("module completed: {module}").format(module=t)
                for t, on in d.modules
            ]
            details += [
                _("observed by {name}: {skill} ({date})").format(name=by, skill=c, date=long_date(on))
                for c, on, by in d.observed
            ]
            if d.signatory_name and d.signatory_title:
                details.append(
                    _("signed for the school by {name}, {title}").format(name=d.signatory_name, title=d.signatory_title)
                )
            elif d.signatory_name:
                details.append(_("signed for the school by {name}").format(name=d.signatory_name))
            out += [f"  {line}" for line in details]
        out += [
            (_("[ok] {check}: {detail}") if c.ok else _("[FAILED] {check}: {detail}")).format(
                check=check_label(c.name), detail=c.detail
            )
            for c in self.checks
        ]
        if self.data is not None and not self.revocations_checked:
            out.append(
                _(
                    "Not checked against a revocation list: a certificate that {school} later withdrew "
                    "(re-issued, or the trainee's records erased) still reads as valid here. Ask {school}'s "
                    "coordinator for its current list (made with `peer-trainer revocations FILE`), then verify again "
                    "with --revocations FILE."
                ).format(school=self.data.school)
            )
        return out


def verify_code(code: str, key: SchoolKey) -> Verification:
    """Check a certificate code against a school key; every check is named in the result."""
    result = Verification(key=key)
    checks = result.checks
    code = "".join((code or "").split())  # a code copied across lines is still the code
    if code[:5].upper() == QR_PREFIX + ".":
        return _verify_reference(code, key, result)
    parts = code.split(".")
    if len(code) > MAX_CODE_LENGTH or len(parts) != 3 or parts[0] not in (CODE_PREFIX, COMPACT_PREFIX):
        checks.append(
            Check(
                FORMAT,
                False,
                _(
                    "this is not a Peer Helper Trainer certificate code (it should start with "
                    "{prefix}. and have three parts separated by dots)"
                ).format(prefix=CODE_PREFIX),
            )
        )
        return result
    checks.append(Check(FORMAT, True, _("a Peer Helper Trainer certificate code")))
    try:
        message = _unb64(parts[1])
        if parts[0] == COMPACT_PREFIX:
            inflate = zlib.decompressobj(-15)
            message = inflate.decompress(message, MAX_CODE_LENGTH * 4)
            if inflate.unconsumed_tail or not inflate.eof:
                raise ValueError("incomplete or oversized")
        signature = _unb64(parts[2])
        payload = json.loads(message.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, zlib.error):
        checks.append(Check(DECODING, False, _("the code is damaged or incomplete (part of it may be missing)")))
        return result
    if len(signature) != 64:
        checks.append(
            Check(DECODING, False, _("the signature part is damaged or incomplete (it has the wrong length)"))
        )
        return result
    checks.append(Check(DECODING, True, _("the code reads as certificate fields and a signature")))
    try:
        result.data = CertificateData.from_payload(payload)
    except CertificateError as exc:
        checks.append(Check(FIELDS, False, str(exc)))
        return result
    checks.append(Check(FIELDS, True, _("all the fields of a certificate are there")))
    named = result.data.key_fingerprint
    if named != key.fingerprint:
        checks.append(Check(KEY, False, _other_key(named, key)))
        return result
    checks.append(Check(KEY, True, _this_key(key)))
    if not key.verify(signature, message):
        checks.append(
            Check(
                SIGNATURE,
                False,
                _(
                    "the signature does not match the fields: something on the certificate "
                    "was changed after it was signed, or it was signed with another key"
                ),
            )
        )
        return result
    checks.append(Check(SIGNATURE, True, _("the school key's signature matches every field")))
    return result


def _other_key(named: str, key: SchoolKey) -> str:
    if key.school_name:
        return _(
            "the certificate was signed with the school key {named}, but the key given is {given} ({school}): "
            "it comes from another school or another key"
        ).format(named=named, given=key.fingerprint, school=key.school_name)
    return _(
        "the certificate was signed with the school key {named}, but the key given is {given}: "
        "it comes from another school or another key"
    ).format(named=named, given=key.fingerprint)


def _this_key(key: SchoolKey) -> str:
    if key.school_name:
        return _("the certificate names this school key {key} ({school})").format(
            key=key.fingerprint, school=key.school_name
        )
    return _("the certificate names this school key {key}").format(key=key.fingerprint)


def _verify_reference(code: str, key: SchoolKey, result: Verification) -> Verification:
    """A `PHT2.` code from a QR code: the same named checks as a full code."""
    checks = result.checks
    result.reference = True
    if len(code) > MAX_QR_CODE_LENGTH:
        checks.append(Check(FORMAT, False, _("this is too long to be the code from a certificate's QR code")))
        return result
    checks.append(Check(FORMAT, True, _("the short code from a certificate's QR code")))
    text = code[5:].upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
        fields, message, signature = _read_qr_statement(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, IndexError):
        checks.append(Check(DECODING, False, _("the code is damaged or incomplete (part of it may be missing)")))
        return result
    checks.append(Check(DECODING, True, _("the code reads as a certificate number, name, date and a signature")))
    if not fields["number"] or not fields["name"]:
        checks.append(Check(FIELDS, False, _("the certificate number or the name is empty")))
        return result
    checks.append(Check(FIELDS, True, _("the number, name, date and school key are there")))
    result.digest = fields["digest"]
    result.data = CertificateData(
        fields["number"],
        fields["name"],
        key.school_name,
        "",
        "",
        fields["issued"],
        (),
        (),
        "",
        "",
        fields["key"],
    )
    if fields["key"] != key.fingerprint:
        checks.append(Check(KEY, False, _other_key(fields["key"], key)))
        return result
    checks.append(Check(KEY, True, _this_key(key)))
    if not key.verify(signature, _QR_CONTEXT + message):
        checks.append(
            Check(
                SIGNATURE,
                False,
                _(
                    "the signature does not match the number, name and date: the code was changed after it "
                    "was signed, or it was signed with another key"
                ),
            )
        )
        return result
    checks.append(Check(SIGNATURE, True, _("the school key's signature matches the number, name and date")))
    return result


def reference_matches(reference: Verification, full: CertificateData) -> bool:
    """True if a verified QR reference stands for exactly these full certificate fields."""
    digest = hashlib.sha256(canonical_bytes(full.to_payload())).digest()[:_QR_DIGEST]
    return reference.valid and reference.reference and reference.digest == digest


def code_in_pdf(data: bytes) -> str:
    """The certificate code embedded in a PDF's metadata; raises CertificateError if none or several."""
    found = {m.group(0).decode("ascii") for m in CODE_PATTERN.finditer(data)}
    if not found:
        raise CertificateError(
            _("No certificate code was found in this PDF. Is it a certificate printed by Peer Helper Trainer?")
        )
    if len(found) > 1:
        raise CertificateError(_("This PDF holds several different certificate codes; it has been altered."))
    return found.pop()


def read_limited(path: Path, limit: int = MAX_INPUT_BYTES, what: str | None = None) -> bytes:
    """At most `limit` bytes of `path`; a larger input (or an endless one, /dev/zero) is refused."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise CertificateError(
            _("Cannot read {path}: {reason}. Give a certificate PDF or a code starting with {prefix}.").format(
                path=path, reason=exc.strerror or exc, prefix=CODE_PREFIX
            )
        ) from None
    if len(raw) > limit:
        raise CertificateError(
            _("{path} is larger than {size} MB, far larger than any {what}: it was not read to the end.").format(
                path=path, size=limit // (1024 * 1024), what=what or _("certificate")
            )
        )
    return raw


def verify_input(text_or_path: str, key: SchoolKey, revocations: RevocationList | None = None) -> Verification:
    """A code, or the path of a certificate PDF (or of a text file holding a code).

    For a PDF the text printed on the page must be exactly the signed fields (the `printed text`
    check): a PDF drawn for another name around a genuine code is not valid.
    """
    candidate = text_or_path.strip()
    raw = None
    if not candidate.upper().startswith((CODE_PREFIX + ".", COMPACT_PREFIX + ".", QR_PREFIX + ".")):
        data = read_limited(Path(candidate).expanduser())
        if data.startswith(b"%PDF"):
            raw = data
            candidate = code_in_pdf(data)
        else:
            candidate = data.decode("utf-8", "replace").strip()
    result = verify_code(candidate, key)
    if raw is not None and result.valid and result.data is not None:
        problem = printed_text_problem(raw, result.data)
        if problem is None:
            result.checks.append(Check(VISIBLE, True, _("the text printed on the page is exactly the signed fields")))
        else:
            result.checks.append(Check(VISIBLE, False, problem))
    if revocations is not None and result.data is not None and result.valid:
        result.checks.append(revocations.check(result.data))
        result.revocations_checked = True
    return result


# --- the printed text ---------------------------------------------------------------------


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def printed_pieces(d: CertificateData) -> tuple[list[str], set[int]]:
    """What certificate_pdf.draw prints for `d`, piece by piece, and which pieces may be cut short (…)."""
    # The same messages as certificate_pdf prints (compared case-folded), in the current language.
    pieces = [
        d.school.upper(),
        d.title,
        _("This is to record that"),
        d.trainee_name,
        _("completed the training programme “{programme}”").format(programme=d.programme),
        _("and showed the skills below in practice role-plays watched by a trainer."),
        _("Modules completed").upper(),
        _("Skills observed in role-plays").upper(),
    ]
    elidable = set()
    items = [(t, completed_phrase(on)) for t, on in d.modules] or [(_("None recorded"), "")]
    items += [(c, observed_phrase(on, by)) for c, on, by in d.observed] or [(_("None recorded"), "")]
    for title, when in items:
        elidable.add(len(pieces))
        pieces.append(title)
        if when:
            elidable.add(len(pieces))
            pieces.append(when)
    pieces += [
        _("Certificate {number}").format(number=d.number),
        _("School key {key}").format(key=d.key_fingerprint),
    ]
    elidable.update({len(pieces), len(pieces) + 1})
    pieces += [d.signatory_name or _("Signature"), d.signatory_title or d.school]
    pieces += [long_date(d.issued_on), _("Date of issue"), _(DISCLAIMER)]
    if d.valid_until is not None:  # certificate_pdf prints it under the date of issue
        pieces.append(_("Valid until {date}").format(date=long_date(d.valid_until)))
    return pieces, elidable


def completed_phrase(on: date | None) -> str:
    """Under a module on the certificate (and in the printed-text check)."""
    return _("completed {date}").format(date=long_date(on)) if on else _("completed")


def observed_phrase(on: date, by: str) -> str:
    """Under a skill on the certificate (and in the printed-text check)."""
    return _("observed {date} by {name}").format(date=long_date(on), name=by)


def printed_text_problem(pdf: bytes, d: CertificateData) -> str | None:
    """None when the PDF's page prints exactly the signed fields; else what differs, in words."""
    from .pdf_text import PdfTextError, page_text

    try:
        page = _norm("".join(page_text(pdf)))
    except PdfTextError as exc:
        return _(
            "the text printed on this PDF cannot be read to compare it with the signed fields ({reason}). Check the "
            "code from its QR code instead, and compare what it certifies with the paper by eye"
        ).format(reason=exc)
    # The page is printed in its school's language, which the reader's computer need not speak: the
    # page is genuine when it matches the signed fields in one of the languages the program ships.
    verdicts = []
    for language in dict.fromkeys([i18n.language(), *i18n.LANGUAGE_NAMES]):
        with i18n.speaking(language):
            verdicts.append(_printed_text_verdict(page, d))
        if verdicts[-1][1] is None:
            return None
    _count, kind, detail = min(verdicts)  # the language closest to the page says what differs
    if kind == "name":
        return _("the name printed on the page is not the signed name ({name}): the PDF was altered").format(
            name=d.trainee_name
        )
    if kind == "fields":
        return _("the page does not print these signed fields: {fields}: the PDF was altered").format(fields=detail)
    return _("the page prints text that is not in the signed fields ({text}…): the PDF was altered").format(text=detail)


def _printed_text_verdict(page: str, d: CertificateData) -> tuple[int, str | None, str]:
    """(how many pieces are missing, what kind of difference or None, its detail) in the language in use."""
    pieces, elidable = printed_pieces(d)
    order = sorted(range(len(pieces)), key=lambda i: -len(_norm(pieces[i])))
    missing = []
    for i in order:
        piece = _norm(pieces[i])
        if not piece:
            continue
        at = page.find(piece)
        if at >= 0:
            page = page[:at] + page[at + len(piece) :]
            continue
        if i in elidable:
            cut = next((k for k in range(len(piece) - 1, 0, -1) if piece[:k] + "..." in page), 0)
            if cut:
                at = page.find(piece[:cut] + "...")
                page = page[:at] + page[at + cut + 3 :]
                continue
        missing.append(pieces[i])
    if d.trainee_name in missing:
        return len(missing), "name", ""
    if missing:
        return len(missing), "fields", "; ".join(missing[:3])
    if page.strip(".,;:-–—“”«»\"'()"):
        return 1, "extra", repr(page[:60])
    return 0, None, ""


# --- revocation lists ---------------------------------------------------------------------


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


@dataclass(frozen=True, slots=True)
class RevocationList:
    """A school's signed list of withdrawn certificates (`peer-trainer revocations`).

    `withdrawn`: numbers no longer valid at all (the trainee's records were erased).
    `current`: for re-issued numbers, the digest of the only version still valid; an earlier
    version of that number is superseded.
    """

    school: str
    key_fingerprint: str
    made_at: str
    withdrawn: frozenset[str]
    current: dict[str, str]

    def to_payload(self) -> dict[str, Any]:
        return {
            "kind": REVOCATION_KIND,
            "v": 1,
            "school": self.school,
            "key": self.key_fingerprint,
            "made": self.made_at,
            "withdrawn": sorted(self.withdrawn),
            "current": dict(sorted(self.current.items())),
        }

    def check(self, d: CertificateData) -> Check:
        fields = dict(number=d.number, school=self.school, made=self.made_at[:10])
        if d.number in self.withdrawn:
            return Check(
                REVOCATION,
                False,
                _("certificate {number} was withdrawn by the school (the list {school} made on {made})").format(
                    **fields
                ),
            )
        current = self.current.get(d.number)
        if current is not None and current != payload_digest(d.to_payload()):
            return Check(
                REVOCATION,
                False,
                _(
                    "certificate {number} was re-issued; this is an earlier version, no longer valid "
                    "(the list {school} made on {made})"
                ).format(**fields),
            )
        return Check(REVOCATION, True, _("not withdrawn in the list {school} made on {made}").format(**fields))

    def to_text(self, signing_key) -> str:
        payload = self.to_payload()
        signature = _b64(signing_key.sign(canonical_bytes(payload)))
        return json.dumps({"list": payload, "signature": signature}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def load(cls, path: Path, key: SchoolKey) -> RevocationList:
        """Read and check a list: it must be signed by `key`. Raises CertificateError saying why not."""
        raw = read_limited(Path(path), MAX_REVOCATION_BYTES, _("revocation list"))
        try:
            doc = json.loads(raw.decode("utf-8"))
            payload, signature = doc["list"], _unb64(doc["signature"])
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
            raise CertificateError(
                _("{path} is not a Peer Helper Trainer revocation list.").format(path=path)
            ) from None
        if not isinstance(payload, dict) or payload.get("kind") != REVOCATION_KIND or payload.get("v") != 1:
            raise CertificateError(_("{path} is not a Peer Helper Trainer revocation list.").format(path=path))
        if payload.get("key") != key.fingerprint or not key.verify(signature, canonical_bytes(payload)):
            raise CertificateError(
                _(
                    "The revocation list {path} is not signed with the school key {key}: it comes from "
                    "another school or was altered. Ask the school for its list again."
                ).format(path=path, key=key.fingerprint)
            )
        withdrawn, current = payload.get("withdrawn"), payload.get("current")
        if not isinstance(withdrawn, list) or not isinstance(current, dict):
            raise CertificateError(_("The revocation list {path} is malformed.").format(path=path))
        return cls(
            str(payload.get("school") or ""),
            key.fingerprint,
            str(payload.get("made") or ""),
            frozenset(str(n) for n in withdrawn),
            {str(k): str(v) for k, v in current.items()},
        )


def sample_data(
    program: Program, look: Look, name: str = "Sample Trainee", today: date | None = None
) -> CertificateData:
    """A certificate with every module and sign-off done, for the settings' preview."""
    today = today or date.today()
    observed = [cid for m in program.modules for cid in m.requires.sign_offs] + list(
        program.certificate.requires.sign_offs
    )
    return CertificateData(
        number="PHT-0000-000000",
        trainee_name=name,
        school=look.school,
        programme=look.programme,
        title=program.certificate.title,
        issued_on=today,
        modules=tuple((m.title, today) for m in program.modules),
        observed=tuple((program.competency_name(c), today, "the trainer") for c in dict.fromkeys(observed)),
        signatory_name=look.signatory_name,
        signatory_title=look.signatory_title,
        key_fingerprint="0000000000000000",
    )
