"""The `peer-trainer` command.

With no sub-command it opens the program. Sub-commands (check, play, graph, convert, ...)
reuse the same domain code as the program, without a window. The sub-command modules are
imported only when one is asked for, so opening the program stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import APP_NAME, __version__
from .core import i18n
from .core.i18n import _


def _base_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peer-trainer",
        description=_(
            "{app}: offline training for school peer helpers. Run without a command to open the program."
        ).format(app=APP_NAME),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the program's version number and exit"),
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        choices=list(i18n.LANGUAGE_NAMES),
        help=_("the program's language: {codes} (default: the computer's language)").format(
            codes=", ".join(i18n.LANGUAGE_NAMES)
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_(
            "where records are kept (default: your user data folder; "
            "also set by PEER_TRAINER_DATA). Use a folder on a USB stick for portable mode."
        ),
    )
    parser.add_argument("--content", metavar="DIR", help=_("the content folder to use (default: the bundled content)"))
    parser.add_argument(
        "--database-url", metavar="URL", help=_("an SQLAlchemy database URL instead of the local SQLite file")
    )
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help=_(
            "the coordinator a command that changes records acts as (default: the one added first here) "
            "(only the computer account that owns the data folder may run such commands)"
        ),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_(
            "check that the program works here (offscreen, in a "
            "temporary folder: content, records, a role-play, the window, a certificate), then exit"
        ),
    )
    return parser


# Each module has `add_subcommands(subparsers)`; imported only when a command is given.
COMMAND_MODULES = ("app.cli_people", "app.cli_scenario", "app.cli_certificates", "app.cli_records", "app.cli_analysis")


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _base_parser()
    if with_commands:
        import importlib

        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            importlib.import_module(name).add_subcommands(sub)
    return parser


_VALUE_OPTIONS = {"--data-dir", "--content", "--database-url", "--as", "--language"}


def _language_option(argv: list[str]) -> str | None:
    """--language CODE, read before the parser is made: its help and argparse's words are in it."""
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--language" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--language="):
            return a.split("=", 1)[1]
    return None


def set_language(argv: list[str]) -> str:
    """The command line speaks --language, else the computer's language (LANGUAGE, LC_ALL, LANG)."""
    from .core import argparse_words

    argparse_words.install()
    return i18n.set_language(i18n.normalise(_language_option(argv)))


def _first_positional(argv: list[str]) -> str | None:
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in _VALUE_OPTIONS:
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(argv)
    wants_command = _first_positional(argv) is not None or any(a in ("-h", "--help") for a in argv)
    parser = build_parser(with_commands=wants_command)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    # Records are for this account only: files the program or its libraries create are 0600
    # (issue 14; app.core.private_files repairs older ones). Restored afterwards for callers
    # that run main() in their own process (the tests).
    previous_umask = os.umask(0o077) if os.name == "posix" else None
    try:
        return _run(args)
    finally:
        if previous_umask is not None:
            os.umask(previous_umask)


# Commands that change the records or the school key: one at a time per data folder, and
# never beside an open window (app.modules.instance_lock).
WRITING_COMMANDS = frozenset({"import-records", "restore", "erase-trainee", "certificates", "export-school-key"})


def _run(args) -> int:
    func = getattr(args, "func", None)
    if func is not None:
        lock = None
        if getattr(args, "command", None) in WRITING_COMMANDS:
            from .modules.instance_lock import AlreadyRunning, InstanceLock
            from .paths import resolve_locations

            try:
                lock = InstanceLock.acquire(resolve_locations(args.data_dir, args.content).data_dir, args.command)
            except AlreadyRunning as exc:
                print(f"peer-trainer {args.command}: {exc.message}\n{exc.advice}", file=sys.stderr)
                return 1
            except OSError as exc:
                print(
                    _("peer-trainer {command}: the records folder cannot be used ({error}).").format(
                        command=args.command, error=exc
                    ),
                    file=sys.stderr,
                )
                return 1
        try:
            return int(func(args) or 0)
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            return 0
        finally:
            if lock is not None:
                lock.release()
    if args.self_test:
        from .self_test import main as self_test

        return self_test(args.content)
    from .ui.application import run_gui

    return run_gui(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
