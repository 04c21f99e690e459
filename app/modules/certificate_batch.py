"""Issuing certificates: one trainee or a whole cohort, with progress and cancel.

Runs anywhere (the program's worker thread, the command line, a benchmark). The readiness
of every trainee comes from a few set-based queries; each certificate is then signed,
recorded (its own transaction) and written as a PDF. Cancelling stops before the next
trainee: what was issued stays issued, recorded and on disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import Cancelled
from app.core.i18n import _, ngettext
from app.core.work import NO_WORK, Work

from . import certificates as certs
from .keys import SchoolKey, SigningKey


@dataclass(frozen=True, slots=True)
class IssuedFile:
    trainee_id: str
    name: str
    number: str
    path: Path
    reissued: bool
    badge: Path | None = None  # the Open Badges 3.0 credential (.badge.json), when asked for


@dataclass(slots=True)
class BatchResult:
    issued: list[IssuedFile] = field(default_factory=list)
    not_ready: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, what is missing)
    cancelled: bool = False
    school_key: SchoolKey | None = None

    def report(self) -> str:
        n = len(self.issued)
        if self.cancelled:
            lines = [
                ngettext(
                    "{n} certificate issued before you cancelled.", "{n} certificates issued before you cancelled.", n
                ).format(n=n)
            ]
        else:
            lines = [ngettext("{n} certificate issued.", "{n} certificates issued.", n).format(n=n)]
        again = sum(f.reissued for f in self.issued)
        if again:
            lines.append(
                ngettext(
                    "{n} of them issued again under the number the trainee already had.",
                    "{n} of them issued again under the number the trainee already had.",
                    again,
                ).format(n=again)
            )
        if self.not_ready:
            k = len(self.not_ready)
            names = ", ".join(name for name, _missing in self.not_ready[:10]) + ("…" if k > 10 else "")
            lines.append(
                ngettext("{n} trainee not ready yet: {names}", "{n} trainees not ready yet: {names}", k).format(
                    n=k, names=names
                )
            )
        return "\n".join(lines)


def school_signing_key(locations) -> SigningKey:
    """The school's key, made now if this database was set up before certificates existed."""
    return SigningKey.load_or_create(locations.keys_dir)


def make_revocation_list(db, locations, school: str):
    """The school's signed list of withdrawn and superseded certificates, and its text to write."""
    from datetime import UTC, datetime

    from .certificates import RevocationList, payload_digest
    from .records import certificate_store

    key = school_signing_key(locations)
    withdrawn, current = certificate_store.revocation_entries(db)
    listing = RevocationList(
        school,
        key.public().fingerprint,
        datetime.now(UTC).isoformat(timespec="seconds"),
        frozenset(withdrawn),
        {number: payload_digest(payload) for number, payload in current.items()},
    )
    return listing, listing.to_text(key)


def file_name(number: str, name: str) -> str:
    """`PHT-2026-000001 Amara Okafor.pdf`: letters of any script kept, path characters not."""
    safe = re.sub(r"[^\w\- ]+", "_", name, flags=re.UNICODE).strip(" ._") or "trainee"
    return f"{number} {safe[:60]}.pdf"


def ready_ids(db, content) -> list[str]:
    """Every active trainee the rules say is ready, in roster order."""
    from .cohort import summaries
    from .records.cohort_store import roster

    rows = summaries(db, content.program, content.all_module_contents(), roster(db))
    return [r.id for r in rows if r.ready]


def issue(
    db,
    locations,
    content,
    settings: dict,
    trainee_ids: Sequence[str],
    out_dir: Path,
    actor_id: str,
    *,
    work: Work = NO_WORK,
    renewing: bool = False,
    badges: bool = False,
    language: str | None = None,
) -> BatchResult:
    """Issue the certificates of `trainee_ids` who are ready into `out_dir` (coordinators only).

    Every certificate carries the school's validity setting. `renewing`: only those a renewal's
    requirements allow (renewal.py) get a new certificate, with a new number; the old one is
    marked as superseded. With `badges`, each certificate also gets its Open Badges 3.0
    credential beside the PDF (`<pdf name>.badge.jwt` and `.badge.json`, app/modules/badges.py).

    `work.step` is called after each certificate with the name just done; cancelling stops
    between certificates, and those already issued stay issued (`result.cancelled`).

    Module titles and competency names are in `language`, else the school's language (settings), else
    the language in use, where program.yaml has a translation into it (program.es.yaml).
    """
    from .certificate_pdf import write_pdf
    from .cohort import summaries
    from .records import certificate_store, cohort_store, rights

    with db.session() as session:  # refused before any file is written; each issue checks again
        rights.require(session, actor_id, rights.Right.ISSUE_CERTIFICATES)

    program = content.program
    if program is None:
        raise certs.CertificateError(
            _("The content could not be loaded, so nobody's readiness can be checked. See “Content problems”.")
        )
    # Printed (and signed) in the school's language: its module titles and competency names where
    # program.yaml is translated into it. Same structure, so readiness is the same either way.
    from .translations import school_language

    program = program.in_language(language or school_language(settings))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = school_signing_key(locations)
    look = certs.look_from_settings(settings, program.title, locations.data_dir)
    school_key = key.public(look.school)
    contents = content.all_module_contents()
    wanted = set(trainee_ids)
    entries = [e for e in cohort_store.roster(db) if e.id in wanted]
    rows = summaries(db, program, contents, entries)
    trainers = cohort_store.names(db, {t for r in rows for _on, t in r.raw.signed_off.values() if t})
    result = BatchResult(school_key=school_key)
    ready = [r for r in rows if r.ready]
    result.not_ready = [(r.name, list(r.readiness.missing)) for r in rows if not r.ready]
    from .renewal import statuses, valid_until_for

    until = valid_until_for(settings)
    if renewing:
        renewals = {st.profile_id: st for st in statuses(db, content, {r.id: r.name for r in ready})}
        result.not_ready += [(r.name, [_("a certificate to renew")]) for r in ready if r.id not in renewals]
        result.not_ready += [
            (r.name, renewals[r.id].missing) for r in ready if r.id in renewals and renewals[r.id].missing
        ]
        ready = [r for r in ready if r.id in renewals and renewals[r.id].can_renew]
    for i, row in enumerate(ready):
        if work.cancelled:
            result.cancelled = True
            break
        made: dict = {}

        def sign(number: str, issued_at, row=row, made=made):
            ends = until(issued_at)
            data = certs.certificate_data(
                program,
                contents,
                row,
                trainers,
                look,
                number,
                issued_at.date(),
                school_key.fingerprint,
                valid_until=ends.date() if ends else None,
            )
            payload = data.to_payload()
            made["data"] = data
            return payload, certs.sign_payload(payload, key)

        record = (certificate_store.renew if renewing else certificate_store.issue)(
            db, row.id, row.name, actor_id, sign, until
        )
        code = certs.make_code(record.payload, record.signature)
        qr = certs.qr_code(record.payload, key)
        try:
            path = write_pdf(made["data"], code, out_dir / file_name(record.number, row.name), look, qr)
        except OSError as exc:
            raise certs.CertificateError(
                _(
                    "Certificate {number} for {name} is recorded, but its PDF could not be written in {folder} "
                    "({reason}). Choose another folder and issue it again: it keeps its number."
                ).format(number=record.number, name=row.name, folder=out_dir, reason=exc.strerror or exc)
            ) from exc
        badge = None
        if badges:
            from . import badges as ob

            jwt = ob.sign(ob.credential(made["data"], school_key), key, school_key)
            try:
                badge = ob.write_badge(jwt, path)[1]
            except OSError as exc:
                raise certs.CertificateError(
                    _(
                        "Certificate {number} for {name} is recorded and its PDF written, but its digital "
                        "badge could not be written in {folder} ({reason}). Issue it again: it keeps its number."
                    ).format(number=record.number, name=row.name, folder=out_dir, reason=exc.strerror or exc)
                ) from exc
        result.issued.append(IssuedFile(row.id, row.name, record.number, path, record.reissued, badge))
        try:
            work.step(i + 1, len(ready), row.name)
        except Cancelled:
            result.cancelled = i + 1 < len(ready)
            break
    return result
