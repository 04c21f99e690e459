"""`peer-trainer export-records | import-records | backup | backups | restore | export | erase-trainee`.

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
    from .modules.records.accounts import SCHOOL_NAME_KEY
    from .modules.records.settings_store import get_setting

    return str(get_setting(db, SCHOOL_NAME_KEY, "") or "")


def _guarded(command: str, work) -> int:
    """Run `work()`, turning the domain's refusals into a message and exit status 1."""
    from .modules.exchange.bundle import BundleError
    from .modules.records.accounts import AccountError
    from .modules.records.backups import BackupError
    from .modules.records.database import DatabaseUnavailable

    try:
        return work()
    except DatabaseUnavailable as exc:
        return _fail(command, f"{exc.message} {exc.advice}")
    except (BundleError, BackupError) as exc:
        return _fail(command, str(exc))
    except AccountError as exc:
        return _fail(command, exc.message)


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


def cmd_import_records(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.exchange.bundle import read_bundle
        from .modules.exchange.merge import check_key, import_bundle

        bundle = read_bundle(Path(args.file))  # refused here, before anything is opened for writing
        db = _open(args)
        try:
            key = check_key(db, bundle)
            info = bundle.info
            print(
                f"{Path(args.file).name}: {info.total_rows} records from laptop {info.device_id[:8]} "
                f"({info.school or 'no school name'}), made {info.created_at:%Y-%m-%d %H:%M} UTC, key "
                f"{key.fingerprint}."
            )
            if key.state == "different":
                if not args.trust_new_key:
                    return _fail(
                        "import-records",
                        f"that laptop signed earlier bundles with another key ({key.previous}). "
                        "If its program was reinstalled, check with its owner, then add --trust-new-key.",
                    )
                print("Warning: that laptop's key changed since its last bundle (accepted with --trust-new-key).")
            result = import_bundle(db, bundle, None)
        finally:
            db.close()
        print(f"rows merged: {result.rows_added + result.rows_updated} ({result.summary()})")
        for theirs, mine in result.matched_by_name:
            print(f"  profile {theirs} recognised as {mine} (same name, role and group)")
        for line in result.conflicts:
            print(f"  left out: {line}")
        if result.backup:
            print(f"A backup taken before the import is at {result.backup}.")
        return EXIT_OK

    return _guarded("import-records", work)


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

        locations = _locations(args)
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
    from .modules.records import accounts

    trainees = [p for p in accounts.list_profiles(db, include_archived=True) if p.role == accounts.TRAINEE]
    exact = [p for p in trainees if p.id == who or p.display_name.casefold() == who.casefold()]
    if len(exact) != 1:
        raise accounts.AccountError(
            f"no trainee called {who!r}"
            if not exact
            else f"{len(exact)} trainees are called {who!r}: give the id instead"
        )
    return exact[0]


def cmd_export(args: argparse.Namespace) -> int:
    def work() -> int:
        from .modules.content import load_content
        from .modules.exchange import csv_export, family_record, xapi

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
        from .modules.records.erasure import erase_trainee

        db = _open(args)
        try:
            trainee = _find_trainee(db, args.trainee)
            result = erase_trainee(db, trainee.id, None, args.confirm_name or "")
        finally:
            db.close()
        print(
            f"Erased. rows removed: {result.total_removed}; certificate numbers kept: {result.certificates_kept}; "
            f"backups cleaned: {len(result.backups_cleaned)}, deleted: {len(result.backups_deleted)}."
        )
        for path in result.outside_copies:
            print(f"  not changed (kept for IT support): {path}")
        return EXIT_OK

    return _guarded("erase-trainee", work)


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export-records", help="write all records of this laptop to a signed bundle file")
    p.add_argument("file", nargs="?", help=".peer-records file to write (default: a dated name in this folder)")
    p.set_defaults(func=cmd_export_records)

    p = subparsers.add_parser("import-records", help="merge a bundle from another laptop into these records")
    p.add_argument("file", help="the .peer-records file")
    p.add_argument("--trust-new-key", action="store_true", help="accept a laptop whose signing key changed")
    p.set_defaults(func=cmd_import_records)

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
    p.add_argument("trainee", help="the trainee's name or id")
    p.add_argument("--confirm-name", help="type the trainee's name again to confirm")
    p.set_defaults(func=cmd_erase)
