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

from app.core.i18n import N_, _, ngettext

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
ROSTER_MAX_BYTES = 2_000_000  # a roster of a whole school is a few kilobytes
ROSTER_MAX_ROWS = 5_000
ROLE_WORDS = {"trainee": N_("trainee"), "trainer": N_("trainer"), "coordinator": N_("coordinator")}


def _role_word(role: str) -> str:
    """A role as a person reads it in the current language (the id when it is not one we know)."""
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def _fail(command: str, message: str, status: int = EXIT_FAILED) -> int:
    print(f"peer-trainer {command}: {message}", file=sys.stderr)
    return status


def _secret(prompt: str) -> str:
    """A secret from a prompt (twice, to catch typos) or one line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass(_("Type it again: ")) != first:
            raise ValueError(_("The two entries are different. Nothing was changed."))
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise ValueError(
            _("{what} is needed on standard input (one line). Nothing was changed.").format(what=prompt.rstrip(": "))
        )
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
        raise TrainingError(_("Nobody is called {name}. `peer-trainer people list` shows everyone.").format(name=who))
    if len(found) > 1:
        no_class = _("no class")
        ids = ", ".join(f"{p.id} ({p.group_name or no_class}{', ' + p.note if p.note else ''})" for p in found)
        raise TrainingError(
            _("{n} people are called {name}: give the id instead ({ids}).").format(n=len(found), name=who, ids=ids)
        )
    return found[0]


# --- setup and recovery --------------------------------------------------------------------
def cmd_setup(args: argparse.Namespace) -> int:
    def work() -> int:
        from app.service.front_door import FrontDoor

        locations, db, _content = _open(args)
        try:
            door = FrontDoor(db, locations)
            if not door.needs_setup():
                return _fail(
                    "setup",
                    _("the school in {folder} is already set up. Nothing was changed.").format(
                        folder=locations.data_dir
                    ),
                )
            password = _secret(_("Password for {name}: ").format(name=args.coordinator))
            coordinator, code = door.set_up_school(args.school, args.coordinator, password)
        finally:
            db.close()
        print(
            _("Set up {school} with {name} as its coordinator.").format(
                school=args.school, name=coordinator.display_name
            )
        )
        print(_("Recovery code (print it and keep it in the school safe): {code}").format(code=code))
        print(_("If every coordinator password is forgotten: peer-trainer recover --coordinator NAME"))
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
                return _fail("recover", _("no active coordinator is called {name}.").format(name=args.coordinator))
            code = _secret(_("Recovery code: "))
            password = _secret(_("New password for {name}: ").format(name=match[0].display_name))
            replacement = door.recover(match[0].id, code, password)
        finally:
            db.close()
        print(_("{name} has a new password. The old recovery code no longer works.").format(name=match[0].display_name))
        print(_("New recovery code (print it and keep it in the school safe): {code}").format(code=replacement))
        return EXIT_OK

    return _guarded("recover", work)


def cmd_recovery_code(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            code = training.people.new_recovery_code()
        finally:
            training.db.close()
        print(
            _("New recovery code (the old one no longer works). Keep it in the school safe: {code}").format(code=code)
        )
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
            archived = _("(archived)")
            state = f"  {archived}" if p.archived else ""
            note = f"  [{p.note}]" if p.note else ""
            print(f"{p.id}  {_role_word(p.role):<11}  {p.group_name or '-':<8}  {p.display_name}{note}{state}")
        n = sum(not p.archived for p in people)
        print(ngettext("{n} active person.", "{n} active people.", n).format(n=n), file=sys.stderr)
        return EXIT_OK

    return _guarded("people list", work)


def cmd_people_add(args: argparse.Namespace) -> int:
    def work() -> int:
        training = _training(args)
        try:
            secret = None if args.role == "trainee" else _secret(_("Password for {name}: ").format(name=args.name))
            made, _changes = training.people.add(args.name, args.role, group=args.group, secret=secret, note=args.note)
        finally:
            training.db.close()
        if made.group_name:
            print(
                _("Added {name} ({role}, {group}): {id}").format(
                    name=made.display_name, role=_role_word(made.role), group=made.group_name, id=made.id
                )
            )
        else:
            print(
                _("Added {name} ({role}): {id}").format(name=made.display_name, role=_role_word(made.role), id=made.id)
            )
        return EXIT_OK

    return _guarded("people add", work)


def cmd_people_edit(args: argparse.Namespace) -> int:
    def work() -> int:
        if args.name is None and args.group is None and not args.no_group and args.note is None and not args.no_note:
            return _fail(
                "people edit",
                _("say what to change: --name NEW, --group CLASS, --no-group, --note TEXT or --no-note"),
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
        if after.note:
            print(
                _("Now: {name} ({role}, {group}, {note}).").format(
                    name=after.display_name,
                    role=_role_word(after.role),
                    group=after.group_name or _("no class"),
                    note=after.note,
                )
            )
        else:
            print(
                _("Now: {name} ({role}, {group}).").format(
                    name=after.display_name, role=_role_word(after.role), group=after.group_name or _("no class")
                )
            )
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
            print(_("{name} is back in the list of people.").format(name=person.display_name))
        else:
            print(
                _("Archived {name}: no longer in the list to sign in; their records are kept.").format(
                    name=person.display_name
                )
            )
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
        if person.role == "trainee":
            said = _("{name} signs in with this PIN from now on (give it to them privately): {code}")
        else:
            said = _("{name} signs in with this password from now on (give it to them privately): {code}")
        print(said.format(name=person.display_name, code=code))
        return EXIT_OK

    return _guarded("people reset-secret", work)


# --- a roster from a spreadsheet -----------------------------------------------------------
ROSTER_COLUMNS = ("name", "group", "role")
ROSTER_OPTIONAL = ("note",)  # tells apart two people with the same name in one class


def read_roster(path: Path):
    """Rows (class_lists.RosterRow) and problems (each naming its line); never raises on content.

    The headings are name,group,role, with an optional note column, in any order.
    """
    from app.modules.records import class_lists, profile_store

    problems: list[str] = []
    try:
        if path.stat().st_size > ROSTER_MAX_BYTES:
            return [], [
                _("{file}: the file is larger than {n} MB; is it the roster?").format(
                    file=path, n=ROSTER_MAX_BYTES // 1_000_000
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return [], [_("{file}: cannot be read ({error}).").format(file=path, error=exc.strerror or exc)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("{file}: is not UTF-8 text. Save it from the spreadsheet as 'CSV UTF-8'.").format(file=path)]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    headings = [h.strip().casefold() for h in header] if header is not None else []
    if sorted(h for h in headings if h not in ROSTER_OPTIONAL) != sorted(ROSTER_COLUMNS) or len(set(headings)) != len(
        headings
    ):
        return [], [
            _(
                "{file}, line 1: the first row must be the headings name,group,role (and, if you like, note), "
                "found {found}."
            ).format(file=path, found=header)
        ]
    where = {h: i for i, h in enumerate(headings)}
    rows = []
    for record in reader:
        line = reader.line_num
        if line > ROSTER_MAX_ROWS + 1:
            problems.append(_("{file}: more than {n} rows; split the file.").format(file=path, n=ROSTER_MAX_ROWS))
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(headings):
            problems.append(
                _("{file}, line {line}: needs {n} columns ({headings}), found {found}.").format(
                    file=path, line=line, n=len(headings), headings=",".join(headings), found=len(record)
                )
            )
            continue
        cells = {h: record[i].strip() for h, i in where.items()}
        name, group, role, note = cells["name"], cells["group"], cells["role"], cells.get("note", "")
        role = role.casefold() or "trainee"
        if role not in ROLE_WORDS:
            problems.append(
                _("{file}, line {line}: the role must be trainee, trainer or coordinator, not {role}.").format(
                    file=path, line=line, role=repr(role)
                )
            )
            continue
        try:
            name = profile_store.clean_name(name)
            group = profile_store.clean_name(group, "group name") if group else None
            note = profile_store.clean_note(note)
        except profile_store.AccountError as exc:
            problems.append(_("{file}, line {line}: {problem}").format(file=path, line=line, problem=exc.message))
            continue
        if role != "trainee":
            problems.append(
                _(
                    "{file}, line {line}: {name} is a {role}; add staff with `peer-trainer people add` "
                    "so that their password is typed, not stored in a file."
                ).format(file=path, line=line, name=name, role=_role_word(role))
            )
            continue
        rows.append(class_lists.RosterRow(line, name, group, note))
    return rows, problems


def cmd_people_import(args: argparse.Namespace) -> int:
    def work() -> int:
        path = Path(args.roster)
        rows, problems = read_roster(path)
        if not problems:
            training = _training(args)
            try:
                result, _changes = training.people.import_roster(rows, dry_run=args.dry_run)
            finally:
                training.db.close()
            problems = [
                _("{file}, line {line}: {problem}").format(file=path, line=line, problem=why)
                for line, why in result.problems
            ]
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print(
                ngettext(
                    "Nothing was imported: fix the {n} line above and run it again.",
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
                shown = _("{name} ({note})").format(name=row.name, note=row.note) if row.note else row.name
                by_group.setdefault(row.group, []).append(shown)
            for group, names in by_group.items():
                print(_("Would add to {group}: {names}").format(group=group or _("no class"), names=", ".join(names)))
            print(
                _("Dry run: {add} to add, {here} already here. Nothing was changed.").format(
                    add=len(result.to_add), here=result.already_here
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
                    _(
                        "{folder} already holds a school's records, and the sample school never "
                        "touches real records. Give an empty folder: peer-trainer --data-dir FOLDER demo"
                    ).format(folder=locations.data_dir),
                )
            if content.program is None:
                return _fail("demo", _("the content could not be loaded; run `peer-trainer check` to see why."))
            school = demo_school.build(db, content, whole_programme=True)
            issued = demo_school.certify(db, locations, content, school, locations.data_dir / "certificates")
        finally:
            db.close()
        print(_("A sample school is ready in {folder}:").format(folder=locations.data_dir))
        print(_("  coordinator  Ms Rivera    password: {password}").format(password=demo_school.COORDINATOR_PASSWORD))
        print(_("  trainer      Mr Okafor    password: {password}").format(password=demo_school.TRAINER_PASSWORD))
        print(
            ngettext(
                "  {n} trainee in 9B and 9C, at every stage; no PINs. Sign in by picking a name.",
                "  {n} trainees in 9B and 9C, at every stage; no PINs. Sign in by picking a name.",
                len(school.trainees),
            ).format(n=len(school.trainees))
        )
        print(
            ngettext(
                "  {n} certificate issued, in {folder}",
                "  {n} certificates issued, in {folder}",
                len(issued),
            ).format(n=len(issued), folder=locations.data_dir / "certificates")
        )
        print(_("Open it with: peer-trainer --data-dir {folder}").format(folder=locations.data_dir))
        return EXIT_OK

    return _guarded("demo", work)


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "setup",
        help=_(
            "set up a new school: its name and first coordinator (the password is asked for, or read from "
            "standard input); prints the school's recovery code"
        ),
    )
    p.add_argument("--school", required=True, metavar="NAME", help=_("the school's name, as certificates show it"))
    p.add_argument("--coordinator", required=True, metavar="NAME", help=_("the first coordinator's name"))
    p.set_defaults(func=cmd_setup)

    p = subparsers.add_parser(
        "recover",
        help=_(
            "set a new password for a coordinator with the school's recovery code (both asked for, or read "
            "from standard input, one a line); prints the code that replaces it"
        ),
    )
    p.add_argument("--coordinator", required=True, metavar="NAME", help=_("the coordinator who forgot the password"))
    p.set_defaults(func=cmd_recover)

    p = subparsers.add_parser("recovery-code", help=_("make a new recovery code (the old one stops working)"))
    p.set_defaults(func=cmd_recovery_code)

    people = subparsers.add_parser("people", help=_("list, add, edit, archive and import people"))
    sub = people.add_subparsers(
        dest="people_command", metavar="ACTION", required=True, help=_("what to do: list, add, edit, archive, ...")
    )
    p = sub.add_parser("list", help=_("everyone, with id, role and class"))
    p.add_argument("--format", choices=("table", "json"), default="table", help=_("json: one array of objects"))
    p.set_defaults(func=cmd_people_list)
    p = sub.add_parser("add", help=_("add one person (a trainer's or coordinator's password is asked for)"))
    p.add_argument("name", help=_("their name as it should appear on the sign-in screen"))
    p.add_argument("--role", choices=tuple(ROLE_WORDS), default="trainee", help=_("default: trainee"))
    p.add_argument("--group", metavar="CLASS", help=_("their class or group"))
    p.add_argument(
        "--note",
        metavar="TEXT",
        help=_("a short note that tells apart two people with the same name in one class, e.g. 'Year 9, tall'"),
    )
    p.set_defaults(func=cmd_people_add)
    p = sub.add_parser("edit", help=_("fix a name, move someone to another class, or change their note"))
    p.add_argument("who", help=_("their id, or their name if no one else has it"))
    p.add_argument("--name", help=_("the corrected name"))
    p.add_argument("--group", metavar="CLASS", help=_("the class they move to"))
    p.add_argument("--no-group", action="store_true", help=_("take them out of any class"))
    p.add_argument("--note", metavar="TEXT", help=_("a short note that tells them apart from someone of the same name"))
    p.add_argument("--no-note", action="store_true", help=_("remove their note"))
    p.set_defaults(func=cmd_people_edit)
    p = sub.add_parser("archive", help=_("take someone off the sign-in screen; their records are kept"))
    p.add_argument("who", help=_("their id, or their name if no one else has it"))
    p.add_argument("--restore", action="store_true", help=_("bring an archived person back"))
    p.set_defaults(func=cmd_people_archive)
    p = sub.add_parser("reset-secret", help=_("give someone who forgot their PIN or password a new one (printed once)"))
    p.add_argument("who", help=_("their id, or their name if no one else has it"))
    p.set_defaults(func=cmd_people_reset)
    p = sub.add_parser(
        "import",
        help=_(
            "add trainees from a CSV roster with the headings name,group,role (and an optional note); nothing is "
            "written if any line is wrong, and people already here are not added again"
        ),
    )
    p.add_argument("roster", metavar="ROSTER.csv", help=_("the roster, saved from a spreadsheet as CSV UTF-8"))
    p.add_argument("--dry-run", action="store_true", help=_("only say what would change"))
    p.set_defaults(func=cmd_people_import)

    p = subparsers.add_parser(
        "demo",
        help=_(
            "fill an empty data folder with a sample school (staff, a class at every stage, certificates) "
            "to try the program; it never touches real records"
        ),
    )
    p.set_defaults(func=cmd_demo)
