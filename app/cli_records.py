"""`peer-trainer export-records | import-records | pair | devices | backup | backups | restore | export |
erase-trainee`.

The records commands, for IT staff and scripts; the program's Records tab does the same for
coordinators. They use the data folder, content and database URL given before the command
(`peer-trainer --data-dir DIR import-records FILE`). Exit status: 0 done, 1 refused or
failed (the message says why; nothing was changed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.i18n import _, ngettext

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _locations(args: argparse.Namespace):
    from .paths import resolve_locations

    return resolve_locations(args.data_dir, args.content, args.database_url)


def _open(args: argparse.Namespace):
    from .modules.records.database import Database

    return Database.open(_locations(args))


def _fail(command: str, message: str, status: int = EXIT_FAILED) -> int:
    print(f"peer-trainer {command}: {message}", file=sys.stderr)
    return status


def _school(db) -> str:
    from app.core.setting_keys import SCHOOL_NAME_KEY

    from .modules.records.settings_store import get_setting

    return str(get_setting(db, SCHOOL_NAME_KEY, "") or "")


def _guarded(command: str, work) -> int:
    """Run `work()`, turning refusals meant for people into a message and exit status 1."""
    from .core.errors import TrainingError

    try:
        return work()
    except TrainingError as exc:
        return _fail(command, str(exc))


def _acting(args: argparse.Namespace, db) -> str | None:
    """The id of the coordinator this command acts as (see app/service/command_line.py)."""
    from .modules.records.school_setup import needs_setup
    from .service.command_line import acting_coordinator

    if needs_setup(db):  # a laptop not set up yet may take a school's records with no one acting
        return None
    return acting_coordinator(db, db.locations, getattr(args, "as_name", None)).id


def cmd_export_records(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange.bundle import default_name, export_bundle

        db = _open(args)
        try:
            dest = Path(args.file) if args.file else Path.cwd() / default_name(_school(db), db.device_id)
            info = export_bundle(db, dest, _school(db))
        finally:
            db.close()
        print(
            ngettext(
                "Wrote {n} record to {file} (laptop {laptop}, key {fingerprint}).",
                "Wrote {n} records to {file} (laptop {laptop}, key {fingerprint}).",
                info.total_rows,
            ).format(n=info.total_rows, file=dest, laptop=info.device_id[:8], fingerprint=info.fingerprint)
        )
        return EXIT_OK

    return _guarded("export-records", work)


def _describe(info, trust) -> str:
    school = info.school or _("no school name")
    state = _("paired") if trust.paired else _("NOT paired with this laptop")
    return ngettext(
        "{file}: {n} record from laptop {laptop} of {school}, made {when} UTC.\n"
        "  That laptop's fingerprint: {fingerprint} ({state}).",
        "{file}: {n} records from laptop {laptop} of {school}, made {when} UTC.\n"
        "  That laptop's fingerprint: {fingerprint} ({state}).",
        info.total_rows,
    ).format(
        file=info.path.name,
        n=info.total_rows,
        laptop=info.device_id[:8],
        school=school,
        when=f"{info.created_at:%Y-%m-%d %H:%M}",
        fingerprint=info.fingerprint,
        state=state,
    )


def cmd_import_records(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange import trust
        from .modules.exchange.bundle import verify_bundle
        from .modules.exchange.merge import import_bundle

        info = verify_bundle(Path(args.file))  # refused here, before anything is opened for writing
        db = _open(args)
        try:
            print(_describe(info, trust.check(db, info)))
            result = import_bundle(
                db, info, _acting(args, db), trust_fingerprint=args.trust_fingerprint, join_school=args.join_school
            )
        finally:
            db.close()
        if result.joined_school:
            print(_("This laptop now belongs to the school of that laptop ({school}).").format(school=info.school))
        if result.paired_now:
            print(
                _("Paired with that laptop (fingerprint {fingerprint}): its next files need no fingerprint.").format(
                    fingerprint=info.fingerprint
                )
            )
        print(
            _("rows merged: {n} ({summary})").format(
                n=result.rows_added + result.rows_updated, summary=result.summary()
            )
        )
        for theirs, mine in result.matched_by_name:
            print(
                _("  profile {theirs} recognised as {mine} (same name, role and group)").format(
                    theirs=theirs, mine=mine
                )
            )
        for line in result.conflicts:
            print(_("  left out: {line}").format(line=line))
        for line in result.refused:
            print(_("  refused: {line}").format(line=line))
        for line in result.accepted_changes:
            print(_("  taken (set by that laptop's coordinator, audited here): {line}").format(line=line))
        if result.erased_elsewhere:
            n = len(result.erased_elsewhere)
            print(
                ngettext(
                    "  {n} trainee here was erased on that laptop: erase them here too.",
                    "  {n} trainees here were erased on that laptop: erase them here too.",
                    n,
                ).format(n=n)
            )
        if result.backup:
            print(_("A backup taken before the import is at {file}.").format(file=result.backup))
        return EXIT_OK

    return _guarded("import-records", work)


def cmd_pair(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange import trust
        from .modules.exchange.bundle import verify_bundle

        info = verify_bundle(Path(args.file))
        db = _open(args)
        try:
            print(_describe(info, trust.check(db, info)))
            new = trust.pair(db, info, args.trust_fingerprint, _acting(args, db), join_school=args.join_school)
        finally:
            db.close()
        print(
            _("Paired. Its records files are now accepted here.")
            if new
            else _("Already paired. Its records files are now accepted here.")
        )
        return EXIT_OK

    return _guarded("pair", work)


def cmd_devices(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange import trust

        db = _open(args)
        try:
            if args.remove:
                gone = trust.unpair(db, args.remove, _acting(args, db))
                print(
                    _("Unpaired laptop {laptop} ({fingerprint}): its files are refused from now on.").format(
                        laptop=gone.device_id[:8], fingerprint=gone.fingerprint
                    )
                )
                return EXIT_OK
            school_id, school = trust.school_identity(db)
            print(
                _("This laptop: {laptop}, school {school} [{school_id}]").format(
                    laptop=db.device_id[:8], school=school or _("(not set up)"), school_id=school_id or "-"
                )
            )
            print(_("This laptop's fingerprint: {fingerprint}").format(fingerprint=trust.this_laptop_fingerprint(db)))
            laptops = trust.paired_laptops(db)
            print(_("Paired laptops ({n}):").format(n=len(laptops)) if laptops else _("No paired laptops yet."))
            for laptop in laptops:
                print(
                    _("  {fingerprint}  laptop {laptop}  paired {when}").format(
                        fingerprint=laptop.fingerprint,
                        laptop=laptop.device_id[:8],
                        when=f"{laptop.paired_at:%Y-%m-%d %H:%M}",
                    )
                )
        finally:
            db.close()
        return EXIT_OK

    return _guarded("devices", work)


def cmd_backup(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.records.backups import MANUAL, back_up, size_in_words

        info = back_up(_locations(args), MANUAL)
        print(_("Backed up to {file} ({size}).").format(file=info.path, size=size_in_words(info.size)))
        return EXIT_OK

    return _guarded("backup", work)


def cmd_backups(args: argparse.Namespace) -> int:
    from .modules.records.backups import age_in_words, check_backup, list_backups, size_in_words

    found = list_backups(_locations(args).backups_dir)
    if not found:
        print(_("No backups yet."))
    for b in found:
        state = ""
        if args.check:
            verdict = check_backup(b.path) or _("good")
            state = f"  [{verdict}]"
        print(f"{b.path.name}  {age_in_words(b.taken_at)}  {size_in_words(b.size)}  {b.label}{state}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.records import backups
        from .service.command_line import check_owner

        locations = _locations(args)
        check_owner(locations)  # a restore replaces everyone's records
        if args.latest:
            chosen = backups.latest_good_backup(locations.backups_dir)
            if chosen is None:
                return _fail("restore", _("there is no good backup in {folder}.").format(folder=locations.backups_dir))
            target: Path = chosen.path
        elif args.backup:
            target = Path(args.backup)
            if not target.is_absolute() and not target.exists():
                target = locations.backups_dir / target
            if not target.is_file():
                return _fail("restore", _("no such backup: {name}").format(name=args.backup), EXIT_USAGE)
        else:
            return _fail("restore", _("name a backup (see `peer-trainer backups`) or use --latest"), EXIT_USAGE)
        if not args.yes:
            return _fail(
                "restore",
                _(
                    "this replaces the records with {name}; add --yes to confirm "
                    "(the current records are backed up first)."
                ).format(name=target.name),
                EXIT_USAGE,
            )
        result = backups.restore(locations, target)
        result.db.close()
        print(_("Restored {name}.").format(name=target.name))
        if result.safety_copy:
            print(_("The records as they were are backed up in {file}.").format(file=result.safety_copy))
        if result.damaged_copy:
            print(_("The damaged file was moved, unchanged, to {file}.").format(file=result.damaged_copy))
        return EXIT_OK

    return _guarded("restore", work)


def _find_trainee(db, who: str):
    from .modules.records import profile_store

    trainees = [p for p in profile_store.list_profiles(db, include_archived=True) if p.role == profile_store.TRAINEE]
    exact = [p for p in trainees if p.id == who or p.display_name.casefold() == who.casefold()]
    if len(exact) != 1:
        raise profile_store.AccountError(
            _("no trainee called {name}").format(name=repr(who))
            if not exact
            else _("{n} trainees are called {name}: give the id instead").format(n=len(exact), name=repr(who))
        )
    return exact[0]


def cmd_export(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.content import load_content
        from .modules.exchange import csv_export, family_record, xapi
        from .modules.records.school_setup import needs_setup

        locations = _locations(args)
        content = load_content(locations.content_dir)
        db = _open(args)
        try:
            dest = Path(args.dest)
            if args.what == "csv":
                dest.mkdir(parents=True, exist_ok=True)
                n1 = csv_export.export_competencies(db, content, dest / "competencies.csv")
                n2 = csv_export.export_attempts(db, dest / "attempts.csv", content)
                print(
                    _("Wrote {competencies} ({n1} rows) and {attempts} ({n2} rows).").format(
                        competencies=dest / "competencies.csv", n1=n1, attempts=dest / "attempts.csv", n2=n2
                    )
                )
                if not needs_setup(db):
                    extra = csv_export.export_after_certificate(db, dest, _acting(args, db))
                    print(
                        _("Wrote {files} (counts only; under 5 withheld).").format(
                            files=", ".join(str(p) for p in extra)
                        )
                    )
            elif args.what == "xapi":
                n = xapi.export_statements(db, dest, content)
                print(
                    ngettext("Wrote {n} xAPI statement to {file}.", "Wrote {n} xAPI statements to {file}.", n).format(
                        n=n, file=dest
                    )
                )
            else:
                if not args.trainee:
                    return _fail("export", _("a family record needs --trainee NAME_OR_ID"), EXIT_USAGE)
                trainee = _find_trainee(db, args.trainee)
                family_record.export_family_record(db, trainee.id, dest, content, _school(db))
                print(_("Wrote the full record of {name} to {file}.").format(name=trainee.display_name, file=dest))
        finally:
            db.close()
        return EXIT_OK

    return _guarded("export", work)


def cmd_erase(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.records.erasure import erase_trainee, finish_erasure

        db = _open(args)
        try:
            if args.finish:
                if finish_erasure(db, _acting(args, db)):
                    print(_("Done: the records file was rewritten, and no erased data is left in it."))
                    return EXIT_OK
                return _fail(
                    "erase-trainee",
                    _(
                        "another program is still reading the records. Close every copy of Peer Helper Trainer "
                        "(and any tool that opened the records), then run this again."
                    ),
                )
            if not args.trainee:
                return _fail("erase-trainee", _("name the trainee (or use --finish)"), EXIT_USAGE)
            trainee = _find_trainee(db, args.trainee)
            result = erase_trainee(db, trainee.id, _acting(args, db), args.confirm_name or "")
        finally:
            db.close()
        print(
            _(
                "Erased. rows removed: {removed}; certificate numbers kept: {kept}; "
                "backups cleaned: {cleaned}, deleted: {deleted}."
            ).format(
                removed=result.total_removed,
                kept=result.certificates_kept,
                cleaned=len(result.backups_cleaned),
                deleted=len(result.backups_deleted),
            )
        )
        for path in result.outside_copies:
            print(_("  not changed (kept for IT support): {file}").format(file=path))
        for path in result.partials_deleted:
            print(_("  deleted an unfinished copy: {file}").format(file=path))
        if result.other_ids:
            print(
                ngettext(
                    "  also known on other laptops by {n} other id: it is erased for good too",
                    "  also known on other laptops by {n} other ids: those are erased for good too",
                    len(result.other_ids),
                ).format(n=len(result.other_ids))
            )
        if result.name_still_in:
            for path in result.name_still_in:
                print(_("  their name is still in: {file}").format(file=path))
            print(_("Not finished. {advice}").format(advice=result.advice()), file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK

    return _guarded("erase-trainee", work)


def cmd_report(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.content import load_content
        from .service.command_line import command_line_training

        locations = _locations(args)
        content = load_content(locations.content_dir)
        db = _open(args)
        try:
            training = command_line_training(db, content, locations, getattr(args, "as_name", None))
            path = training.reports.write_pdf(Path(args.out))
        finally:
            db.close()
        print(_("Wrote the programme report to {file}.").format(file=path))
        return EXIT_OK

    return _guarded("report", work)


def cmd_recognition(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.content import load_content
        from .service.command_line import command_line_training

        locations = _locations(args)
        content = load_content(locations.content_dir)
        db = _open(args)
        try:
            training = command_line_training(db, content, locations, getattr(args, "as_name", None))
            names = training.reports.recognition()
            path = training.reports.recognition_pdf(Path(args.out))
        finally:
            db.close()
        print(
            ngettext(
                "Wrote the list of {n} peer helper to {file}.",
                "Wrote the list of {n} peer helpers to {file}.",
                len(names),
            ).format(n=len(names), file=path)
        )
        return EXIT_OK

    return _guarded("recognition", work)


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "recognition", help=_("a printable list of certified helpers who agreed to be on it (if the school allows)")
    )
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    p.set_defaults(func=cmd_recognition)

    p = subparsers.add_parser(
        "report", help=_("the programme report for school leadership, as a PDF (figures under 5 people withheld)")
    )
    p.add_argument("--out", required=True, help=_("the PDF file to write, e.g. report.pdf"))
    p.set_defaults(func=cmd_report)

    p = subparsers.add_parser("export-records", help=_("write all records of this laptop to a signed bundle file"))
    p.add_argument("file", nargs="?", help=_(".peer-records file to write (default: a dated name in this folder)"))
    p.set_defaults(func=cmd_export_records)

    p = subparsers.add_parser(
        "import-records", help=_("merge a bundle from a paired laptop of this school into these records")
    )
    p.add_argument("file", help=_("the .peer-records file"))
    p.add_argument(
        "--trust-fingerprint",
        metavar="DIGITS",
        help=_("pair with the laptop that made the file, if this is the fingerprint it shows for itself"),
    )
    p.add_argument(
        "--join-school",
        action="store_true",
        help=_("this laptop (never paired yet) joins the school of the laptop that made the file"),
    )
    p.set_defaults(func=cmd_import_records)

    p = subparsers.add_parser("pair", help=_("pair with the laptop that made a records file, without importing it"))
    p.add_argument("file", help=_("a .peer-records file made on that laptop"))
    p.add_argument("--trust-fingerprint", metavar="DIGITS", required=True, help=_("the fingerprint that laptop shows"))
    p.add_argument("--join-school", action="store_true", help=_("as for import-records"))
    p.set_defaults(func=cmd_pair)

    p = subparsers.add_parser("devices", help=_("this laptop's fingerprint, and the laptops paired with it"))
    p.add_argument("--remove", metavar="FINGERPRINT", help=_("unpair a laptop: its files are refused from then on"))
    p.set_defaults(func=cmd_devices)

    p = subparsers.add_parser(
        "backup",
        help=_("back up the records now"),
        description=_("Copy the records into the backups folder beside them, now. Old backups are rotated."),
    )
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "backups",
        help=_("list the backups, newest first"),
        description=_("List the backups of the records, newest first, with their dates and sizes."),
    )
    p.add_argument("--check", action="store_true", help=_("also check that each one is whole and undamaged"))
    p.set_defaults(func=cmd_backups)

    p = subparsers.add_parser(
        "restore",
        help=_("replace the records with a backup (the current ones are backed up first)"),
        description=_(
            "Replace the records with a backup. The current records are backed up first, "
            "so a restore can itself be undone. Close the program before restoring."
        ),
    )
    p.add_argument("backup", nargs="?", help=_("the backup's file name (see `peer-trainer backups`)"))
    p.add_argument("--latest", action="store_true", help=_("the newest backup that is undamaged"))
    p.add_argument("--yes", action="store_true", help=_("confirm"))
    p.set_defaults(func=cmd_restore)

    p = subparsers.add_parser("export", help=_("export records as CSV, xAPI JSON, or one trainee's full record"))
    p.add_argument(
        "what",
        choices=("csv", "xapi", "family-record"),
        help=_("csv: tables for a spreadsheet; xapi: learning records as JSON; family-record: one trainee's record"),
    )
    p.add_argument("dest", help=_("a folder for csv; a .json file for xapi and family-record"))
    p.add_argument("--trainee", help=_("family-record: the trainee's name or id"))
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("erase-trainee", help=_("erase one trainee from the records and the backups"))
    p.add_argument("trainee", nargs="?", help=_("the trainee's name or id"))
    p.add_argument("--confirm-name", help=_("type the trainee's name again to confirm"))
    p.add_argument(
        "--finish", action="store_true", help=_("finish an erasure that another program's reading held back")
    )
    p.set_defaults(func=cmd_erase)
