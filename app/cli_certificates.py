"""`peer-trainer certificates`, `verify`, `revocations` and `export-school-key`: the coordinator's
batch work and offline verification from a terminal, on the same domain code as the program.

Exit codes: 0 done (or valid), 1 nothing issued / not valid, 2 the input or records cannot
be used (the message says why).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.i18n import _
from app.core.setting_keys import SCHOOL_NAME_KEY


def _locations(args):
    from app.paths import resolve_locations

    return resolve_locations(args.data_dir, args.content, args.database_url)


def _open(args):
    from app.modules.content import load_content
    from app.modules.records.database import Database, DatabaseUnavailable

    locations = _locations(args)
    try:
        db = Database.open(locations)
    except DatabaseUnavailable as exc:
        print(f"{exc.message}\n{exc.advice}", file=sys.stderr)
        return None
    return locations, db, load_content(locations.content_dir)


def cmd_certificates(args) -> int:
    from app.core.errors import TrainingError
    from app.core.work import Work
    from app.modules.records import cohort_store
    from app.service.command_line import command_line_training

    opened = _open(args)
    if opened is None:
        return 2
    locations, db, content = opened
    try:
        if content.program is None:
            print(
                _("The content could not be loaded (program.yaml); run `peer-trainer check` to see why."),
                file=sys.stderr,
            )
            return 2
        training = command_line_training(db, content, locations, getattr(args, "as_name", None))
        roster = cohort_store.roster(db)
        if args.trainee:
            wanted, unknown = _by_name(roster, args.trainee)
            if unknown:
                print(
                    _("No trainee is called: {names}. Names are as on the People tab.").format(
                        names=", ".join(unknown)
                    ),
                    file=sys.stderr,
                )
                return 2
        else:
            wanted = training.certificates.ready_ids()
        if not wanted:
            print(_("Nobody is ready for a certificate yet."))
            return 1

        def progress(done: int, total: int, name: str) -> None:
            print(f"[{done}/{total}] {name}", file=sys.stderr)

        result, _changes = training.certificates.issue(
            wanted, Path(args.out), Work(None if args.quiet else progress), badges=args.badges
        )
    except TrainingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        db.close()
    for f in result.issued:
        print(f"{f.number}\t{f.name}\t{f.path}" + (f"\t{f.badge}" if f.badge else ""))
    for name, missing in result.not_ready:
        print(_("not ready: {name}: {missing}").format(name=name, missing="; ".join(missing)), file=sys.stderr)
    print(result.report(), file=sys.stderr)
    return 0 if result.issued else 1


def _by_name(roster, names: list[str]):
    by_name: dict[str, list] = {}
    for e in roster:
        by_name.setdefault(e.name.casefold(), []).append(e.id)
    wanted, unknown = [], []
    for n in names:
        ids = by_name.get(" ".join(n.split()).casefold())
        if ids:
            wanted += ids
        else:
            unknown.append(n)
    return wanted, unknown


def cmd_verify(args) -> int:
    from app.modules.badges import verify_badge_file
    from app.modules.certificates import CertificateError, RevocationList, verify_input
    from app.modules.keys import KeyFileError, SchoolKey

    try:
        key = SchoolKey.load(Path(args.key))
        if args.certificate.lower().endswith((".json", ".jwt")):
            result = verify_badge_file(Path(args.certificate), key)
        else:
            revocations = RevocationList.load(Path(args.revocations), key) if args.revocations else None
            result = verify_input(args.certificate, key, revocations)
    except (CertificateError, KeyFileError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print("\n".join(result.lines()))
    return 0 if result.valid else 1


def cmd_revocations(args) -> int:
    from app.core.private_files import make_private
    from app.modules.certificate_batch import make_revocation_list
    from app.modules.keys import KeyFileError
    from app.modules.records import settings_store

    opened = _open(args)
    if opened is None:
        return 2
    locations, db, _content = opened
    try:
        school = str(settings_store.get_setting(db, "school.name") or "")
        listing, text = make_revocation_list(db, locations, school)
        out = Path(args.out)
        partial = out.with_name(out.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        make_private(partial)
        partial.replace(out)
    except (KeyFileError, OSError) as exc:
        print(_("The revocation list could not be written: {error}").format(error=exc), file=sys.stderr)
        return 2
    finally:
        db.close()
    print(
        _(
            "Revocation list written to {file}: {withdrawn} withdrawn, {reissued} re-issued. "
            "Give it to whoever checks your certificates, with the school key file; make a new one after each erasure "
            "or re-issue."
        ).format(file=out, withdrawn=len(listing.withdrawn), reissued=len(listing.current))
    )
    return 0


def cmd_export_key(args) -> int:
    from app.modules.certificate_batch import school_signing_key
    from app.modules.keys import KeyFileError
    from app.modules.records import settings_store

    opened = _open(args)
    if opened is None:
        return 2
    locations, db, _content = opened
    try:
        school = str(settings_store.get_setting(db, SCHOOL_NAME_KEY) or "")
        key = school_signing_key(locations)
        path = key.export_public(Path(args.out), school)
    except (KeyFileError, OSError) as exc:
        print(_("The school key could not be written: {error}").format(error=exc), file=sys.stderr)
        return 2
    finally:
        db.close()
    print(
        _("School key {fingerprint} written to {file}. Share it with anyone who checks your certificates.").format(
            fingerprint=key.public().fingerprint, file=path
        )
    )
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser(
        "certificates",
        help=_("issue certificates as PDF files"),
        description=_(
            "Issue the certificates of every trainee who is ready (or of the named trainees) "
            "into a folder, signed with the school's key."
        ),
    )
    p.add_argument("--out", required=True, metavar="DIR", help=_("the folder for the PDF files (made if missing)"))
    p.add_argument("--all-ready", action="store_true", help=_("every trainee who is ready (the default)"))
    p.add_argument("--trainee", action="append", metavar="NAME", help=_("only this trainee (repeat for several)"))
    p.add_argument("--quiet", action="store_true", help=_("no progress lines"))
    p.add_argument(
        "--badges",
        action="store_true",
        help=_("also write each certificate as an Open Badges 3.0 credential (.badge.json and .badge.jwt)"),
    )
    p.set_defaults(func=cmd_certificates)

    p = subparsers.add_parser(
        "verify",
        help=_("check that a certificate is genuine and unchanged"),
        description=_(
            "Verify a certificate PDF, the code from its QR code, or an Open Badges 3.0 credential "
            "(.badge.json or .badge.jwt) with a school key file. Works offline."
        ),
    )
    p.add_argument(
        "certificate",
        metavar="FILE.pdf|FILE.json|FILE.jwt|CODE",
        help=_("a certificate PDF, or its code (PHT1. from the PDF, PHT2. from the QR code)"),
    )
    p.add_argument(
        "--key", required=True, metavar="KEY", help=_("the school key file (.pub) of the school that issued it")
    )
    p.add_argument(
        "--revocations",
        metavar="FILE",
        help=_(
            "the school's signed revocation list (peer-trainer revocations): also check the certificate "
            "was not withdrawn or replaced"
        ),
    )
    p.set_defaults(func=cmd_verify)

    p = subparsers.add_parser(
        "revocations",
        help=_("write the school's signed list of withdrawn and re-issued certificates"),
        description=_(
            "Write a revocation list signed with the school key: certificates of erased trainees, and "
            "earlier versions of re-issued ones. Verifiers use it with `verify --revocations FILE`."
        ),
    )
    p.add_argument("out", metavar="OUT", help=_("where to write the list, e.g. riverside-revocations.json"))
    p.set_defaults(func=cmd_revocations)

    p = subparsers.add_parser("export-school-key", help=_("write the school key file that verifies your certificates"))
    p.add_argument("out", metavar="OUT", help=_("where to write the key file, e.g. riverside.pub"))
    p.set_defaults(func=cmd_export_key)
