"""`peer-trainer setup | people ... | recover | recovery-code | demo`: running a school from scripts.

For school IT setting up laptops. Who may run the commands that change people: the computer
account that owns the data folder, acting as the school's coordinator (see
app/service/command_line.py; `--as NAME` picks one when there are several). Secrets are never
arguments (they would show in the shell history and the process list): they are read from a
prompt, or from standard input when it is not a terminal, one per line.

Exit status: 0 done, 1 refused or failed (the message says why; nothing was changed), 2 usage.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
ROSTER_MAX_BYTES = 2_000_000  # a roster of a whole school is a few kilobytes
ROSTER_MAX_ROWS = 5_000
ROLE_WORDS = {"trainee": "trainee", "trainer": "trainer", "coordinator": "coordinator"}


def _fail(command: str, message: str, status: int = EXIT_FAILED) -> int:
    print(f"peer-trainer {command}: {message}", file=sys.stderr)
    return status


def _secret(prompt: str) -> str:
    """A secret from a prompt (twice, to catch typos) or one line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Type it again: ") != first:
            raise ValueError("The two entries are different. Nothing was changed.")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise ValueError(f"{prompt.rstrip(': ')} is needed on standard input (one line). Nothing was changed.")
    return line.rstrip("\r\n")


def _open(args):
    from app.modules.content import load_content
    from app.paths import resolve_locations
    from app.service.storage import open_records

    locations = resolve_locations(args.data_dir, args.content, args.database_url)
    return locations, open_records(locations), load_content(locations.content_dir)


def _guarded(command: str, work) -> int:
    from app.core.errors import TrainingError

    try:
        return work()
    except TrainingError as exc:
        return _fail(command, str(exc))
    except ValueError as exc:  # a secret that was not given or not repeated the same
        return _fail(command, str(exc))


def _training(args):
    from app.service.command_line import command_line_training

    locations, db, content = _open(args)
    try:
        return command_line_training(db, content, locations, args.as_name)
    except BaseException:
        db.close()
        raise


def _find(training, who: str):
    """A profile by id or exact name (case ignored); a name shared by two needs the id."""
    people = training.people.list(include_archived=True)
    found = [p for p in people if p.id == who] or [
        p for p in people if p.display_name.casefold() == " ".join(who.split()).casefold()
    ]
    from app.core.errors import TrainingError

    if not found:
        raise TrainingError(f"Nobody is called {who}. `peer-trainer people list` shows everyone.")
    if len(found) > 1:
        ids = ", ".join(f"{p.id} ({p.group_name or 'no class'}{', ' + p.note if p.note else ''})" for p in found)
        raise TrainingError(f"{len(found)} people are called {who}: give the id instead ({ids}).")
    return found[0]


# --- setup and recovery --------------------------------------------------------------------
def cmd_setup(args: argparse.Namespace) -> int:
    def work() -> int:
        from app.service.front_door import FrontDoor

        locations, db, _content = _open(args)
        try:
            door = FrontDoor(db, locations)
            if not door.needs_setup():
                return _fail("setup", f"the school in {locations.data_dir} is already set up. Nothing was changed.")
            password = _secret(f"Password for {args.coordinator}: ")
            coordinator, code = door.set_up_school(args.school, args.coordinator, password)
        finally:
            db.close()
        print(f"Set up {args.school} with {coordinator.display_name} as its coordinator.")
        print(f"Recovery code (print it and keep it in the school safe): {code}")
        print("If every coordinator password is forgotten: peer-trainer recover --coordinator NAME")
        return EXIT_OK

    return _guarded("setup", work)


def cmd_recover(args: argparse.Namespace) -> int:
    def work() -> int:
        from app.service.command_line import check_owner
        from app.service.front_door import FrontDoor

        locations, db, _content = _open(args)
        try:
            check_owner(locations)
            door = FrontDoor(db, locations)
            wanted = " ".join(args.coordinator.split()).casefold()
            match = [p for p in door.profiles() if p.role == "coordinator" and p.display_name.casefold() == wanted]
            if not match:
                return _fail("recover", f"no active coordinator is called {args.coordinator}.")
            code = _secret("Recovery code: ")
            password = _secret(f"New password for {match[0].display_name}: ")
            replacement = door.recover(match[0].id, code, password)
        finally:
            db.close()
        print(f"{match[0].display_name} has a new password. The old recovery code no longer works.")
        print(f"New recovery code (print it and keep it in the school safe): {replacement}")
        return EXIT_OK

    return _guarded("recover", work)


def cmd_recovery_code(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            code = training.people.new_recovery_code()
        finally:
            training.db.close()
        print(f"New recovery code (the old one no longer works). Keep it in the school safe: {code}")
        return EXIT_OK

    return _guarded("recovery-code", work)


# --- people --------------------------------------------------------------------------------
def cmd_people_list(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            people = training.people.list(include_archived=True)
        finally:
            training.db.close()
        if args.format == "json":
            rows = [
                {
                    "id": p.id,
                    "name": p.display_name,
                    "group": p.group_name,
                    "role": p.role,
                    "archived": p.archived,
                    "note": p.note,
                }
                for p in people
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return EXIT_OK
        for p in people:
            state = "  (archived)" if p.archived else ""
            note = f"  [{p.note}]" if p.note else ""
            print(f"{p.id}  {p.role:<11}  {p.group_name or '-':<8}  {p.display_name}{note}{state}")
        n = sum(not p.archived for p in people)
        print(f"{n} active {'person' if n == 1 else 'people'}.", file=sys.stderr)
        return EXIT_OK

    return _guarded("people list", work)


def cmd_people_add(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            secret = None if args.role == "trainee" else _secret(f"Password for {args.name}: ")
            made, _changes = training.people.add(args.name, args.role, group=args.group, secret=secret, note=args.note)
        finally:
            training.db.close()
        print(f"Added {made.display_name} ({made.role}{', ' + made.group_name if made.group_name else ''}): {made.id}")
        return EXIT_OK

    return _guarded("people add", work)


def cmd_people_edit(args: argparse.Namespace) -> int:
    def work() -> int:
        if args.name is None and args.group is None and not args.no_group and args.note is None and not args.no_note:
            return _fail(
                "people edit",
                "say what to change: --name NEW, --group CLASS, --no-group, --note TEXT or --no-note",
                EXIT_USAGE,
            )
        training = _training(args)
        try:
            person = _find(training, args.who)
            if args.name is not None:
                training.people.rename(person.id, args.name)
            if args.note is not None or args.no_note:
                training.people.set_note(person.id, None if args.no_note else args.note)
            if args.group is not None or args.no_group:
                training.people.move(person.id, None if args.no_group else args.group)
            after = training.people.get(person.id)
        finally:
            training.db.close()
        note = f", {after.note}" if after.note else ""
        print(f"Now: {after.display_name} ({after.role}, {after.group_name or 'no class'}{note}).")
        return EXIT_OK

    return _guarded("people edit", work)


def cmd_people_archive(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            person = _find(training, args.who)
            training.people.archive(person.id, archived=not args.restore)
        finally:
            training.db.close()
        if args.restore:
            print(f"{person.display_name} is back in the list of people.")
        else:
            print(f"Archived {person.display_name}: no longer in the list to sign in; their records are kept.")
        return EXIT_OK

    return _guarded("people archive", work)


def cmd_people_reset(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            person = _find(training, args.who)
            code, _changes = training.people.reset_secret(person.id)
        finally:
            training.db.close()
        kind = "PIN" if person.role == "trainee" else "password"
        print(f"{person.display_name} signs in with this {kind} from now on (give it to them privately): {code}")
        return EXIT_OK

    return _guarded("people reset-secret", work)


# --- a roster from a spreadsheet -----------------------------------------------------------
ROSTER_COLUMNS = ("name", "group", "role")
ROSTER_OPTIONAL = ("note",)  # tells apart two people with the same name in one class


def read_roster(path: Path):
    """Rows (class_lists.RosterRow) and problems (each naming its line); never raises on content.

    The headings are name,group,role, with an optional note column, in any order.
    """
    from app.core.i18n import _
    from app.modules.records import class_lists, profile_store

    problems: list[str] = []
    try:
        if path.stat().st_size > ROSTER_MAX_BYTES:
            return [], [f"{path}: the file is larger than {ROSTER_MAX_BYTES // 1_000_000} MB; is it the roster?"]
        raw = path.read_bytes()
    except OSError as exc:
        return [], [f"{path}: cannot be read ({exc.strerror or exc})."]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [f"{path}: is not UTF-8 text. Save it from the spreadsheet as 'CSV UTF-8'."]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    headings = [h.strip().casefold() for h in header] if header is not None else []
    if sorted(h for h in headings if h not in ROSTER_OPTIONAL) != sorted(ROSTER_COLUMNS) or len(set(headings)) != len(
        headings
    ):
        return [], [
            _(
                "{path}, line 1: the first row must be the headings name,group,role "
                "(and, if you like, note), found {found}."
            ).format(path=path, found=header)
        ]
    where = {h: i for i, h in enumerate(headings)}
    rows = []
    for record in reader:
        line = reader.line_num
        if line > ROSTER_MAX_ROWS + 1:
            problems.append(f"{path}: more than {ROSTER_MAX_ROWS} rows; split the file.")
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(headings):
            problems.append(
                _("{path}, line {line}: needs {n} columns ({headings}), found {found}.").format(
                    path=path, line=line, n=len(headings), headings=",".join(headings), found=len(record)
                )
            )
            continue
        cells = {h: record[i].strip() for h, i in where.items()}
        name, group, role, note = cells["name"], cells["group"], cells["role"], cells.get("note", "")
        role = role.casefold() or "trainee"
        if role not in ROLE_WORDS:
            problems.append(f"{path}, line {line}: the role must be trainee, trainer or coordinator, not {role!r}.")
            continue
        try:
            name = profile_store.clean_name(name)
            group = profile_store.clean_name(group, "group name") if group else None
            note = profile_store.clean_note(note)
        except profile_store.AccountError as exc:
            problems.append(f"{path}, line {line}: {exc.message}")
            continue
        if role != "trainee":
            problems.append(
                f"{path}, line {line}: {name} is a {role}; add staff with `peer-trainer people add` "
                "so that their password is typed, not stored in a file."
            )
            continue
        rows.append(class_lists.RosterRow(line, name, group, note))
    return rows, problems


def cmd_people_import(args: argparse.Namespace) -> int:
    def work() -> int:
        from app.core.i18n import _, ngettext

        path = Path(args.roster)
        rows, problems = read_roster(path)
        if not problems:
            training = _training(args)
            try:
                result, _changes = training.people.import_roster(rows, dry_run=args.dry_run)
            finally:
                training.db.close()
            problems = [
                _("{path}, line {line}: {problem}").format(path=path, line=line, problem=why)
                for line, why in result.problems
            ]
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print(
                ngettext(
                    "Nothing was imported: fix the line above and run it again.",
                    "Nothing was imported: fix the {n} lines above and run it again.",
                    len(problems),
                ).format(n=len(problems)),
                file=sys.stderr,
            )
            return EXIT_FAILED
        for message in result.same_names:
            print(message)
        if args.dry_run:
            by_group: dict[str | None, list[str]] = {}
            for row in result.to_add:
                by_group.setdefault(row.group, []).append(f"{row.name} ({row.note})" if row.note else row.name)
            for group, names in by_group.items():
                print(_("Would add to {group}: {names}").format(group=group or _("no class"), names=", ".join(names)))
            print(
                _("Dry run: {added} to add, {here} already here. Nothing was changed.").format(
                    added=len(result.to_add), here=result.already_here
                )
            )
            return EXIT_OK
        print(
            ngettext(
                "Added {n} trainee; {here} were already here.",
                "Added {n} trainees; {here} were already here.",
                len(result.created),
            ).format(n=len(result.created), here=result.already_here)
        )
        return EXIT_OK

    return _guarded("people import", work)


# --- a sample school -----------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    def work() -> int:
        from app.modules import demo_school
        from app.modules.records import profile_store, school_setup

        locations, db, content = _open(args)
        try:
            if not school_setup.needs_setup(db) or profile_store.list_profiles(db, include_archived=True):
                return _fail(
                    "demo",
                    f"{locations.data_dir} already holds a school's records, and the sample school never "
                    "touches real records. Give an empty folder: peer-trainer --data-dir FOLDER demo",
                )
            if content.program is None:
                return _fail("demo", "the content could not be loaded; run `peer-trainer check` to see why.")
            school = demo_school.build(db, content, whole_programme=True)
            issued = demo_school.certify(db, locations, content, school, locations.data_dir / "certificates")
        finally:
            db.close()
        print(f"A sample school is ready in {locations.data_dir}:")
        print(f"  coordinator  Ms Rivera    password: {demo_school.COORDINATOR_PASSWORD}")
        print(f"  trainer      Mr Okafor    password: {demo_school.TRAINER_PASSWORD}")
        print(f"  {len(school.trainees)} trainees in 9B and 9C, at every stage; no PINs. Sign in by picking a name.")
        print(f"  {len(issued)} certificates issued, in {locations.data_dir / 'certificates'}")
        print(f"Open it with: peer-trainer --data-dir {locations.data_dir}")
        return EXIT_OK

    return _guarded("demo", work)


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    from app.core.i18n import _

    p = subparsers.add_parser(
        "setup",
        help="set up a new school: its name and first coordinator (the password is asked for, or read from "
        "standard input); prints the school's recovery code",
    )
    p.add_argument("--school", required=True, metavar="NAME", help="the school's name, as certificates show it")
    p.add_argument("--coordinator", required=True, metavar="NAME", help="the first coordinator's name")
    p.set_defaults(func=cmd_setup)

    p = subparsers.add_parser(
        "recover",
        help="set a new password for a coordinator with the school's recovery code (both asked for, or read "
        "from standard input, one a line); prints the code that replaces it",
    )
    p.add_argument("--coordinator", required=True, metavar="NAME", help="the coordinator who forgot the password")
    p.set_defaults(func=cmd_recover)

    p = subparsers.add_parser("recovery-code", help="make a new recovery code (the old one stops working)")
    p.set_defaults(func=cmd_recovery_code)

    people = subparsers.add_parser("people", help="list, add, edit, archive and import people")
    sub = people.add_subparsers(
        dest="people_command", metavar="ACTION", required=True, help="what to do: list, add, edit, archive, ..."
    )
    p = sub.add_parser("list", help="everyone, with id, role and class")
    p.add_argument("--format", choices=("table", "json"), default="table", help="json: one array of objects")
    p.set_defaults(func=cmd_people_list)
    p = sub.add_parser("add", help="add one person (a trainer's or coordinator's password is asked for)")
    p.add_argument("name", help="their name as it should appear on the sign-in screen")
    p.add_argument("--role", choices=tuple(ROLE_WORDS), default="trainee", help="default: trainee")
    p.add_argument("--group", metavar="CLASS", help="their class or group")
    p.add_argument(
        "--note",
        metavar="TEXT",
        help=_("a short note that tells apart two people with the same name in one class, e.g. 'Year 9, tall'"),
    )
    p.set_defaults(func=cmd_people_add)
    p = sub.add_parser("edit", help="fix a name, move someone to another class, or change their note")
    p.add_argument("who", help="their id, or their name if no one else has it")
    p.add_argument("--name", help="the corrected name")
    p.add_argument("--group", metavar="CLASS", help="the class they move to")
    p.add_argument("--no-group", action="store_true", help="take them out of any class")
    p.add_argument("--note", metavar="TEXT", help=_("a short note that tells them apart from someone of the same name"))
    p.add_argument("--no-note", action="store_true", help=_("remove their note"))
    p.set_defaults(func=cmd_people_edit)
    p = sub.add_parser("archive", help="take someone off the sign-in screen; their records are kept")
    p.add_argument("who", help="their id, or their name if no one else has it")
    p.add_argument("--restore", action="store_true", help="bring an archived person back")
    p.set_defaults(func=cmd_people_archive)
    p = sub.add_parser("reset-secret", help="give someone who forgot their PIN or password a new one (printed once)")
    p.add_argument("who", help="their id, or their name if no one else has it")
    p.set_defaults(func=cmd_people_reset)
    p = sub.add_parser(
        "import",
        help=_(
            "add trainees from a CSV roster with the headings name,group,role (and an optional note); nothing is "
            "written if any line is wrong, and people already here are not added again"
        ),
    )
    p.add_argument("roster", metavar="ROSTER.csv", help="the roster, saved from a spreadsheet as CSV UTF-8")
    p.add_argument("--dry-run", action="store_true", help="only say what would change")
    p.set_defaults(func=cmd_people_import)

    p = subparsers.add_parser(
        "demo",
        help="fill an empty data folder with a sample school (staff, a class at every stage, certificates) "
        "to try the program; it never touches real records",
    )
    p.set_defaults(func=cmd_demo)
