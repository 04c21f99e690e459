"""`peer-trainer check | play | graph | convert`: the scenario commands.

`add_subcommands(subparsers)` registers them on the main parser (app/cli.py); each sets
`func(args) -> int`, the exit status. Exit statuses follow docs/scenario-format.md:
check 0 clean (warnings allowed) / 1 errors / 2 usage; play 0 at an ending / 1 the file has
errors / 2 a choice not offered or a usage error / 3 the choices ran out before an ending.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .core import i18n
from .core.i18n import _, ngettext
from .modules.findings import display_path
from .modules.scenario import Run, RunError, load_scenario, to_dot, to_mermaid, write_markdown, write_yaml
from .modules.scenario.loader import SUFFIXES, check_paths, load_translation, parse_file, program_near
from .modules.translations import LANGUAGE_TAG, in_language, split_language

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_OUT_OF_CHOICES = 0, 1, 2, 3


def _usage(command: str, message: str) -> int:
    print(f"peer-trainer {command}: {message}", file=sys.stderr)
    return EXIT_USAGE


def _scenario_file(command: str, name: str) -> Path | None:
    path = Path(name)
    if not path.is_file():
        _usage(command, _("no such file: {name}").format(name=name))
        return None
    if path.suffix.lower() not in SUFFIXES:
        _usage(command, _("{name} is not a scenario file (.md, .yaml or .yml)").format(name=name))
        return None
    return path


def _print_findings(findings, stream) -> None:
    for f in findings:
        print(f.format(), file=stream)


# check ----------------------------------------------------------------------------


def _content_in_use(args: argparse.Namespace) -> str:
    """The content folder the program itself would open: --content, PEER_TRAINER_CONTENT or the bundled one."""
    from .paths import resolve_locations

    return str(resolve_locations(getattr(args, "data_dir", None), getattr(args, "content", None)).content_dir)


def cmd_check(args: argparse.Namespace) -> int:
    if not args.paths:
        args.paths = [_content_in_use(args)]
    for name in args.paths:
        path = Path(name)
        if not path.exists():
            return _usage("check", _("no such file or folder: {name}").format(name=name))
        if path.is_file() and path.suffix.lower() not in SUFFIXES:
            return _usage(
                "check", _("{name} is not a content file (.md, .yaml or .yml) nor a folder").format(name=name)
            )
    findings = check_paths([Path(p) for p in args.paths])
    errors = sum(f.is_error for f in findings)
    if args.format == "json":
        print(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        _print_findings(findings, sys.stdout)
        print(
            _("Errors: {errors}. Warnings: {warnings}.").format(errors=errors, warnings=len(findings) - errors),
            file=sys.stderr,
        )
    return EXIT_ERRORS if errors else EXIT_OK


# play -----------------------------------------------------------------------------


def _parse_numbers(text: str) -> list[int] | None:
    out = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            return None
        out.append(int(part))
    return out


def _parse_assignments(items: list[str]) -> dict | None:
    out: dict = {}
    for item in items:
        name, sep, value = item.partition("=")
        value = value.strip()
        if not sep or not name.strip():
            return None
        if value in ("true", "false"):
            out[name.strip()] = value == "true"
        else:
            try:
                out[name.strip()] = int(value)
            except ValueError:
                return None
    return out


class _Screen:
    """Terminal output for a run; silent with --json (stdout then holds only the JSON)."""

    def __init__(self, quiet: bool):
        from .modules.placeholders import values

        self.quiet = quiet
        # No school settings in a terminal: placeholders read with their general wording.
        self._filled = values({})

    def say(self, text: str = "") -> None:
        if not self.quiet:
            from .modules.placeholders import fill

            print(fill(text, self._filled))

    def node(self, run: Run) -> None:
        self.say()
        for line in run.visible_lines():
            self.say(f"{line.speaker_name}: {line.text}" if line.speaker_name else line.text)
            self.say()
        for k, (_unused, ch) in enumerate(run.offered_choices(), 1):
            self.say(f"  {k}. {ch.text}")


def cmd_play(args: argparse.Namespace) -> int:
    path = _scenario_file("play", args.file)
    if path is None:
        return EXIT_USAGE
    choices = _parse_numbers(args.choose) if args.choose is not None else None
    if args.choose is not None and choices is None:
        return _usage(
            "play",
            _("--choose takes numbers separated by commas, like 2,1,3 (got {value})").format(value=repr(args.choose)),
        )
    values = _parse_assignments(args.set or [])
    if values is None:
        return _usage("play", _("--set takes NAME=VALUE, with a whole number or true/false"))
    program, program_findings, _unused = program_near(path, {})
    scenario, findings = load_scenario(path, program, display_path(path))
    errors = [f for f in [*program_findings, *findings] if f.is_error]
    if scenario is None or errors:
        _print_findings(errors, sys.stderr)
        print(
            ngettext(
                "peer-trainer play: {file} has {n} error; fix it with 'peer-trainer check'",
                "peer-trainer play: {file} has {n} errors; fix them with 'peer-trainer check'",
                len(errors),
            ).format(file=display_path(path), n=len(errors)),
            file=sys.stderr,
        )
        return EXIT_ERRORS
    scenario = _in_language(path, scenario, program, args.content_language or i18n.language())
    variables = {k: v for k, v in values.items() if k in scenario.variables}
    scores = {k: v for k, v in values.items() if k not in scenario.variables}
    try:
        run = Run.start(scenario, at=args.at, variables=variables, scores=scores)
    except RunError as exc:
        return _usage("play", str(exc))
    screen = _Screen(args.json)
    screen.say(scenario.title)
    if scenario.content_warning:
        screen.say(_("Content warning: {warning}").format(warning=scenario.content_warning))
    if scenario.summary:
        screen.say(scenario.summary)
    status = _play_loop(run, choices, screen)
    if status == EXIT_USAGE:
        return status
    if args.json:
        print(json.dumps(run.result(), ensure_ascii=False))
    else:
        _summary(run, screen, program)
    return status


def _translation_beside(path: Path, language: str) -> Path | None:
    """The translation of the scenario ``path`` into ``language`` beside it (x.es.md for x.md), if there is one."""
    base, _lang = split_language(path)
    return next((p for p in (path.with_name(f"{base}.{language}{suffix}") for suffix in SUFFIXES) if p.is_file()), None)


def _in_language(path: Path, scenario, program, language: str):
    """What `play` plays: the scenario's translation into ``language`` when one beside it can be played
    (as the window chooses for a trainee), else the file itself, saying why on stderr. A translation
    named on the command line is played as it is."""
    if split_language(path)[1] is not None or language == scenario.language:
        return scenario
    name = i18n.LANGUAGE_NAMES.get(language, language)
    found = _translation_beside(path, language)
    if found is None:
        expected = display_path(path.with_name(f"{split_language(path)[0]}.{language}{path.suffix}"))
        print(
            _("There is no translation of this role-play into {language} ({file}), so it is played in English.").format(
                language=name, file=expected
            ),
            file=sys.stderr,
        )
        return scenario
    load_translation(found, program, display_path(found), sources={path.resolve(): scenario})
    chosen = in_language(scenario, language)
    if chosen is scenario:
        print(
            _(
                "The translation of this role-play into {language} ({file}) has errors or is a draft, "
                "so it is played in English; 'peer-trainer check' shows what to fix."
            ).format(language=name, file=display_path(found)),
            file=sys.stderr,
        )
    return chosen


def _content_language(value: str) -> str:
    """argparse type of play's --language: a language tag as translations are named (es, pt-BR)."""
    if not LANGUAGE_TAG.match(value):
        raise argparse.ArgumentTypeError(_("not a language code like es or pt-BR: {value}").format(value=value))
    return value


def _play_loop(run: Run, choices: list[int] | None, screen: _Screen) -> int:
    queue = list(choices) if choices is not None else None
    while not run.finished:
        screen.node(run)
        offered = run.offered_choices()
        if not offered:
            print(
                _("peer-trainer play: no choice is offered at #{node} (every choice's condition is false)").format(
                    node=run.node_id
                ),
                file=sys.stderr,
            )
            return EXIT_OUT_OF_CHOICES
        if queue is not None:
            if not queue:
                print(
                    _("peer-trainer play: the choices ran out at #{node}, before an ending").format(node=run.node_id),
                    file=sys.stderr,
                )
                return EXIT_OUT_OF_CHOICES
            n = queue.pop(0)
            if not 1 <= n <= len(offered):
                listing = "\n".join(f"  {k}. {c.text}" for k, (_unused, c) in enumerate(offered, 1))
                print(
                    _(
                        "peer-trainer play: choice {n} is not offered at #{node}; the choices offered are:\n{listing}"
                    ).format(n=n, node=run.node_id, listing=listing),
                    file=sys.stderr,
                )
                return EXIT_USAGE
            screen.say(f"> {n}")
        else:
            n = _ask(len(offered))
            if n is None:
                return EXIT_OUT_OF_CHOICES
        step = run.choose(n)
        if run.scenario.feedback == "immediate" and step.feedback:
            screen.say()
            screen.say(_("Feedback: {feedback}").format(feedback=step.feedback))
    screen.node(run)
    return EXIT_OK


def _ask(count: int) -> int | None:
    """Ask on the terminal; None when there is no terminal, at end of input, or on 'q'."""
    if not sys.stdin.isatty():
        print(_("peer-trainer play: no --choose given and no terminal to ask on; stopping here"), file=sys.stderr)
        return None
    while True:
        try:
            answer = input(_("Your choice (1-{count}, q to stop): ").format(count=count)).strip().lower()
        except EOFError:
            return None
        if answer in ("q", "quit"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        print(_("Please type a number from 1 to {count}.").format(count=count))


def _summary(run: Run, screen: _Screen, program=None) -> None:
    """The end, as a person would say it: how it ended, the scores by competency name, and why it
    did not pass. (`--json` keeps the ids, for scripts.)"""
    from .modules.outcome_words import OUTCOME_WORDS, points, shown_score, why_not_passed

    sc = run.scenario

    def name(cid: str) -> str:
        return program.competency_name(cid) if program is not None else cid.replace("_", " ").capitalize()

    screen.say()
    if run.finished:
        screen.say(_(OUTCOME_WORDS[run.outcome]) if run.outcome in OUTCOME_WORDS else _("The role-play is over."))
    if sc.feedback == "end" and run.steps:
        screen.say(_("What you chose:"))
        for step in run.steps:
            screen.say(f"  - {step.choice_text}" + (f"\n    {step.feedback}" if step.feedback else ""))
    screen.say(_("Scores:"))
    for cid in sc.competencies:
        mark = sc.pass_marks.get(cid)
        got = points(shown_score(run.scores.get(cid, 0)))
        if mark is None:
            screen.say(_("  {competency}: {points}").format(competency=name(cid), points=got))
        else:
            screen.say(
                _("  {competency}: {points} (pass mark {mark})").format(competency=name(cid), points=got, mark=mark)
            )
    if run.finished:
        screen.say(
            _("Passed")
            if run.passed
            else _("Not passed. {why}").format(why=why_not_passed(sc, run.outcome, run.scores, name))
        )


# graph and convert --------------------------------------------------------------------


def _write_out(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_graph(args: argparse.Namespace) -> int:
    path = _scenario_file("graph", args.file)
    if path is None:
        return EXIT_USAGE
    program, _unused, _unused2 = program_near(path, {})
    scenario, findings = load_scenario(path, program, display_path(path))
    _print_findings([f for f in findings if f.is_error], sys.stderr)
    if scenario is None:
        return EXIT_ERRORS
    _write_out(to_mermaid(scenario) if args.format == "mermaid" else to_dot(scenario), args.output)
    return EXIT_OK


def _convert_twine(args: argparse.Namespace, path: Path) -> int:
    from .modules.scenario.twine_io import read_twine_file

    if args.to == "twee":
        return _usage("convert", _("{file} is already a Twine story; use --to md or --to yaml").format(file=args.file))
    conversion, rep = read_twine_file(path, display_path(path))
    _print_findings(rep.findings, sys.stderr)
    scenario = conversion.scenario
    if scenario is None:
        return EXIT_ERRORS
    _write_out(write_yaml(scenario) if args.to == "yaml" else write_markdown(scenario), args.output)
    if conversion.report:
        print("\n".join(conversion.report), file=sys.stderr)
    return EXIT_ERRORS if rep.has_errors else EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    from .modules.scenario.twine_io import TWINE_SUFFIXES, write_twee

    given = Path(args.file)
    if given.suffix.lower() in TWINE_SUFFIXES:
        if not given.is_file():
            return _usage("convert", _("no such file: {name}").format(name=args.file))
        return _convert_twine(args, given)
    path = _scenario_file("convert", args.file)
    if path is None:
        return EXIT_USAGE
    scenario, rep = parse_file(path, display_path(path))
    errors = [f for f in rep.findings if f.is_error]
    if scenario is None or errors:
        # Format errors mean part of the file was not understood; converting would lose it.
        _print_findings(errors, sys.stderr)
        return EXIT_ERRORS
    if not scenario.start_declared and scenario.nodes:
        scenario.start = next(iter(scenario.nodes))
    writers = {"yaml": write_yaml, "md": write_markdown, "twee": write_twee}
    _write_out(writers[args.to](scenario), args.output)
    return EXIT_OK


# Registration ----------------------------------------------------------------------------


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser(
        "check",
        help=_("check the lessons and role-plays for mistakes"),
        description=_(
            "Check content: a content folder, a folder of scenarios or single files. With no PATH, "
            "the content the program uses is checked (--content, PEER_TRAINER_CONTENT, or the bundled content)."
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=_("a content folder, a folder of scenarios or a scenario file (default: the content the program uses)"),
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help=_("json: one array of findings"))
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("play", help=_("play a scenario in the terminal"))
    p.add_argument("file", metavar="FILE", help=_("the scenario file to play (.md, .yaml or .yml)"))
    p.add_argument("--choose", metavar="N,N,...", help=_("take the Nth offered choice at each node, without asking"))
    p.add_argument("--json", action="store_true", help=_("print the result as one JSON object at the end"))
    p.add_argument(
        "--language",
        dest="content_language",
        metavar="CODE",
        type=_content_language,
        help=_(
            "play the translation into this language that sits beside the file (x.es.md beside x.md), "
            "or the file itself when there is none (default: the program's language)"
        ),
    )
    p.add_argument("--at", metavar="NODE", help=_("start at this node (play-testing)"))
    p.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help=_("start with this variable or score (repeatable)")
    )
    p.set_defaults(func=cmd_play)

    p = subparsers.add_parser("graph", help=_("print a scenario's map as Graphviz DOT or Mermaid"))
    p.add_argument("file", metavar="FILE", help=_("the scenario file to draw (.md, .yaml or .yml)"))
    p.add_argument(
        "--format", choices=("dot", "mermaid"), default="dot", help=_("dot for Graphviz (the default), or mermaid")
    )
    p.add_argument("-o", "--output", metavar="OUT", help=_("write to this file instead of the screen"))
    p.set_defaults(func=cmd_graph)

    p = subparsers.add_parser(
        "convert",
        help=_("convert a scenario between Markdown, YAML and Twine"),
        description=_(
            "Convert a scenario between Markdown and YAML, write it as Twee 3 for Twine (--to twee), or "
            "read a Twine story (.twee, or the .html of Twine's Library → Archive) into a scenario (--to md)."
        ),
    )
    p.add_argument("file", metavar="FILE", help=_("the file to convert (.md, .yaml, .yml, .twee, or a Twine .html)"))
    p.add_argument(
        "--to", choices=("yaml", "md", "twee"), required=True, help=_("the format to write: yaml, md or twee")
    )
    p.add_argument("-o", "--output", metavar="OUT", help=_("write to this file instead of the screen"))
    p.set_defaults(func=cmd_convert)


def main(argv: list[str] | None = None) -> int:
    """The scenario commands on their own (tests; app/cli.py registers them on the full command)."""
    parser = argparse.ArgumentParser(prog="peer-trainer")
    add_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
