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
        print(f"Wrote {info.total_rows} records to {dest} (laptop {info.device_id[:8]}, key {info.fingerprint}).")
        return EXIT_OK

    return _guarded("export-records", work)


def _describe(info, trust) -> str:
    school = info.school or "no school name"
    state = "paired" if trust.paired else "NOT paired with this laptop"
    return (
        f"{info.path.name}: {info.total_rows} records from laptop {info.device_id[:8]} of {school}, made "
        f"{info.created_at:%Y-%m-%d %H:%M} UTC.\n  That laptop's fingerprint: {info.fingerprint} ({state})."
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
            print(f"This laptop now belongs to the school of that laptop ({info.school}).")
        if result.paired_now:
            print(f"Paired with that laptop (fingerprint {info.fingerprint}): its next files need no fingerprint.")
        print(f"rows merged: {result.rows_added + result.rows_updated} ({result.summary()})")
        for theirs, mine in result.matched_by_name:
            print(f"  profile {theirs} recognised as {mine} (same name, role and group)")
        for line in result.conflicts:
            print(f"  left out: {line}")
        for line in result.refused:
            print(f"  refused: {line}")
        for line in result.accepted_changes:
            print(f"  taken (set by that laptop's coordinator, audited here): {line}")
        if result.erased_elsewhere:
            print(f"  {len(result.erased_elsewhere)} trainee(s) here were erased on that laptop: erase them here too.")
        if result.backup:
            print(f"A backup taken before the import is at {result.backup}.")
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
        print("Paired." if new else "Already paired.", "Its records files are now accepted here.")
        return EXIT_OK

    return _guarded("pair", work)


def cmd_devices(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange import trust

        db = _open(args)
        try:
            if args.remove:
                gone = trust.unpair(db, args.remove, _acting(args, db))
                print(f"Unpaired laptop {gone.device_id[:8]} ({gone.fingerprint}): its files are refused from now on.")
                return EXIT_OK
            school_id, school = trust.school_identity(db)
            print(f"This laptop: {db.device_id[:8]}, school {school or '(not set up)'} [{school_id or '-'}]")
            print(f"This laptop's fingerprint: {trust.this_laptop_fingerprint(db)}")
            laptops = trust.paired_laptops(db)
            print(f"Paired laptops ({len(laptops)}):" if laptops else "No paired laptops yet.")
            for laptop in laptops:
                print(
                    f"  {laptop.fingerprint}  laptop {laptop.device_id[:8]}  paired {laptop.paired_at:%Y-%m-%d %H:%M}"
                )
        finally:
            db.close()
        return EXIT_OK

    return _guarded("devices", work)


def cmd_backup(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.records.backups import MANUAL, back_up, size_in_words

        info = back_up(_locations(args), MANUAL)
        print(f"Backed up to {info.path} ({size_in_words(info.size)}).")
        return EXIT_OK

    return _guarded("backup", work)


def cmd_backups(args: argparse.Namespace) -> int:
    from .modules.records.backups import age_in_words, check_backup, list_backups, size_in_words

    found = list_backups(_locations(args).backups_dir)
    if not found:
        print("No backups yet.")
    for b in found:
        state = "" if not args.check else f"  [{check_backup(b.path) or 'good'}]"
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
                return _fail("restore", f"there is no good backup in {locations.backups_dir}.")
            target: Path = chosen.path
        elif args.backup:
            target = Path(args.backup)
            if not target.is_absolute() and not target.exists():
                target = locations.backups_dir / target
            if not target.is_file():
                return _fail("restore", f"no such backup: {args.backup}", EXIT_USAGE)
        else:
            return _fail("restore", "name a backup (see `peer-trainer backups`) or use --latest", EXIT_USAGE)
        if not args.yes:
            return _fail(
                "restore",
                f"this replaces the records with {target.name}; add --yes to confirm "
                "(the current records are backed up first).",
                EXIT_USAGE,
            )
        result = backups.restore(locations, target)
        result.db.close()
        print(f"Restored {target.name}.")
        if result.safety_copy:
            print(f"The records as they were are backed up in {result.safety_copy}.")
        if result.damaged_copy:
            print(f"The damaged file was moved, unchanged, to {result.damaged_copy}.")
        return EXIT_OK

    return _guarded("restore", work)


def _find_trainee(db, who: str):
    from .modules.records import profile_store

    trainees = [p for p in profile_store.list_profiles(db, include_archived=True) if p.role == profile_store.TRAINEE]
    exact = [p for p in trainees if p.id == who or p.display_name.casefold() == who.casefold()]
    if len(exact) != 1:
        raise profile_store.AccountError(
            f"no trainee called {who!r}"
            if not exact
            else f"{len(exact)} trainees are called {who!r}: give the id instead"
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
                print(f"Wrote {dest / 'competencies.csv'} ({n1} rows) and {dest / 'attempts.csv'} ({n2} rows).")
                if not needs_setup(db):
                    extra = csv_export.export_after_certificate(db, dest, _acting(args, db))
                    print("Wrote " + " and ".join(str(p) for p in extra) + " (counts only; under 5 withheld).")
            elif args.what == "xapi":
                n = xapi.export_statements(db, dest, content)
                print(f"Wrote {n} xAPI statements to {dest}.")
            else:
                if not args.trainee:
                    return _fail("export", "a family record needs --trainee NAME_OR_ID", EXIT_USAGE)
                trainee = _find_trainee(db, args.trainee)
                family_record.export_family_record(db, trainee.id, dest, content, _school(db))
                print(f"Wrote {trainee.display_name}'s full record to {dest}.")
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
                    print("Done: the records file was rewritten, and no erased data is left in it.")
                    return EXIT_OK
                return _fail(
                    "erase-trainee",
                    "another program is still reading the records. Close every copy of Peer Helper Trainer "
                    "(and any tool that opened the records), then run this again.",
                )
            if not args.trainee:
                return _fail("erase-trainee", "name the trainee (or use --finish)", EXIT_USAGE)
            trainee = _find_trainee(db, args.trainee)
            result = erase_trainee(db, trainee.id, _acting(args, db), args.confirm_name or "")
        finally:
            db.close()
        print(
            f"Erased. rows removed: {result.total_removed}; certificate numbers kept: {result.certificates_kept}; "
            f"backups cleaned: {len(result.backups_cleaned)}, deleted: {len(result.backups_deleted)}."
        )
        for path in result.outside_copies:
            print(f"  not changed (kept for IT support): {path}")
        for path in result.partials_deleted:
            print(f"  deleted an unfinished copy: {path}")
        if result.other_ids:
            print(
                f"  also known on other laptops by {len(result.other_ids)} other id(s): those are erased for good too"
            )
        if result.name_still_in:
            for path in result.name_still_in:
                print(f"  their name is still in: {path}")
            print(f"Not finished. {result.advice()}", file=sys.stderr)
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
        print(f"Wrote the programme report to {path}.")
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
        print(f"Wrote the list of {len(names)} peer helpers to {path}.")
        return EXIT_OK

    return _guarded("recognition", work)


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "recognition", help="a printable list of certified helpers who agreed to be on it (if the school allows)"
    )
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.set_defaults(func=cmd_recognition)

    p = subparsers.add_parser(
        "report", help="the programme report for school leadership, as a PDF (figures under 5 people withheld)"
    )
    p.add_argument("--out", required=True, help="the PDF file to write, e.g. report.pdf")
    p.set_defaults(func=cmd_report)

    p = subparsers.add_parser("export-records", help="write all records of this laptop to a signed bundle file")
    p.add_argument("file", nargs="?", help=".peer-records file to write (default: a dated name in this folder)")
    p.set_defaults(func=cmd_export_records)

    p = subparsers.add_parser(
        "import-records", help="merge a bundle from a paired laptop of this school into these records"
    )
    p.add_argument("file", help="the .peer-records file")
    p.add_argument(
        "--trust-fingerprint",
        metavar="DIGITS",
        help="pair with the laptop that made the file, if this is the fingerprint it shows for itself",
    )
    p.add_argument(
        "--join-school",
        action="store_true",
        help="this laptop (never paired yet) joins the school of the laptop that made the file",
    )
    p.set_defaults(func=cmd_import_records)

    p = subparsers.add_parser("pair", help="pair with the laptop that made a records file, without importing it")
    p.add_argument("file", help="a .peer-records file made on that laptop")
    p.add_argument("--trust-fingerprint", metavar="DIGITS", required=True, help="the fingerprint that laptop shows")
    p.add_argument("--join-school", action="store_true", help="as for import-records")
    p.set_defaults(func=cmd_pair)

    p = subparsers.add_parser("devices", help="this laptop's fingerprint, and the laptops paired with it")
    p.add_argument("--remove", metavar="FINGERPRINT", help="unpair a laptop: its files are refused from then on")
    p.set_defaults(func=cmd_devices)

    p = subparsers.add_parser(
        "backup",
        help="back up the records now",
        description="Copy the records into the backups folder beside them, now. Old backups are rotated.",
    )
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "backups",
        help="list the backups, newest first",
        description="List the backups of the records, newest first, with their dates and sizes.",
    )
    p.add_argument("--check", action="store_true", help="also check that each one is whole and undamaged")
    p.set_defaults(func=cmd_backups)

    p = subparsers.add_parser(
        "restore",
        help="replace the records with a backup (the current ones are backed up first)",
        description="Replace the records with a backup. The current records are backed up first, "
        "so a restore can itself be undone. Close the program before restoring.",
    )
    p.add_argument("backup", nargs="?", help="the backup's file name (see `peer-trainer backups`)")
    p.add_argument("--latest", action="store_true", help="the newest backup that is undamaged")
    p.add_argument("--yes", action="store_true", help="confirm")
    p.set_defaults(func=cmd_restore)

    p = subparsers.add_parser("export", help="export records as CSV, xAPI JSON, or one trainee's full record")
    p.add_argument(
        "what",
        choices=("csv", "xapi", "family-record"),
        help="csv: tables for a spreadsheet; xapi: learning records as JSON; family-record: one trainee's record",
    )
    p.add_argument("dest", help="a folder for csv; a .json file for xapi and family-record")
    p.add_argument("--trainee", help="family-record: the trainee's name or id")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("erase-trainee", help="erase one trainee from the records and the backups")
    p.add_argument("trainee", nargs="?", help="the trainee's name or id")
    p.add_argument("--confirm-name", help="type the trainee's name again to confirm")
    p.add_argument("--finish", action="store_true", help="finish an erasure that another program's reading held back")
    p.set_defaults(func=cmd_erase)
