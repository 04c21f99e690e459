"""`peer-trainer analyse`: play surface strategies against every scenario and knowledge check.

Exit status: 0 when no strategy passes any assessment and every random pass rate is at most
--max-random; 1 otherwise (or when a file has errors, which are reported as `check` reports
them, on stderr); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from .core.i18n import _, ngettext, pgettext
from .modules.assessment_thresholds import MAX_RANDOM_PASS_RATE, RANDOM_RUNS, RANDOM_SEED

EXIT_OK, EXIT_FAILS, EXIT_USAGE = 0, 1, 2
SCENARIO_COLUMNS = ("longest", "shortest", "first", "last")


def _usage(message: str) -> int:
    print(_("peer-trainer analyse: {message}").format(message=message), file=sys.stderr)
    return EXIT_USAGE


def _percent(x: float) -> str:
    return f"{x * 100:.1f} %"


def _how(r) -> str:
    if r.kind == "knowledge_check":
        return ngettext(
            "exact, {n} question, pass mark {mark} %", "exact, {n} questions, pass mark {mark} %", r.questions
        ).format(n=r.questions, mark=f"{r.pass_mark:g}")
    if r.method == "exact":
        return ngettext("exact, {passing} of {n} path passes", "exact, {passing} of {n} paths pass", r.paths).format(
            passing=f"{r.passing_paths:,}", n=f"{r.paths:,}"
        )
    return ngettext("{n} seeded run", "{n} seeded runs", r.runs).format(n=f"{r.runs:,}")


def format_table(report, max_random: float) -> str:
    if not report.results:
        if report.problems:
            return _("No role-play or knowledge check was found to play (the files with errors are listed above).")
        return _("No role-play or knowledge check was found to play.")
    headings = (
        pgettext("analyse column", "kind"),
        pgettext("analyse column", "id"),
        pgettext("analyse column", "longest"),
        pgettext("analyse column", "shortest"),
        pgettext("analyse column", "first"),
        pgettext("analyse column", "last"),
        pgettext("analyse column", "random"),
        pgettext("analyse column", "verdict"),
        pgettext("analyse column", "random worked out"),
        pgettext("analyse column", "file"),
    )
    rows = [headings]
    for r in report.results:
        marks = [
            (pgettext("analyse strategy", "PASSES") if r.strategies[s] else "-")
            if s in r.strategies
            else pgettext("analyse strategy", "n/a")
            for s in SCENARIO_COLUMNS
        ]
        verdict = _("measures skill") if r.measures_skill(max_random) else _("passed without reading")
        kind = pgettext("analyse kind", "role-play") if r.kind == "scenario" else pgettext("analyse kind", "check")
        rows.append((kind, r.id, *marks, _percent(r.random_pass_rate), verdict, _how(r), r.path))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 4)
    scen = [r for r in report.results if r.kind == "scenario"]
    checks = [r for r in report.results if r.kind != "scenario"]
    bad_s = sum(not r.measures_skill(max_random) for r in scen)
    bad_c = sum(not r.measures_skill(max_random) for r in checks)
    lines.append("")
    lines.append(
        _(
            "{bad_plays} of {plays} role-plays and {bad_checks} of {checks} knowledge checks can be passed "
            "without reading them (a strategy passes, or random choosing passes more than {share})."
        ).format(bad_plays=bad_s, plays=len(scen), bad_checks=bad_c, checks=len(checks), share=_percent(max_random))
    )
    if report.problems:
        n = len({f.path for f in report.problems})
        lines.append(
            ngettext(
                "{n} file with errors could not be played; see the errors above.",
                "{n} files with errors could not be played; see the errors above.",
                n,
            ).format(n=n)
        )
    return "\n".join(lines)


def cmd_analyse(args: argparse.Namespace) -> int:
    from .modules.assessment_analysis import AnalysisError, analyse_paths

    if not 0.0 <= args.max_random <= 1.0:
        return _usage(
            _("--max-random is a share from 0 to 1, like 0.05 (got {value})").format(value=f"{args.max_random:g}")
        )
    if args.runs < RANDOM_RUNS:
        return _usage(_("--runs must be at least {n}").format(n=f"{RANDOM_RUNS:,}"))
    try:
        report = analyse_paths(args.paths, runs=args.runs, seed=args.seed)
    except AnalysisError as exc:
        return _usage(str(exc))
    for f in report.problems:
        print(f.format(), file=sys.stderr)
    if args.format == "json":
        print(json.dumps([r.to_json() for r in report.results], indent=2, ensure_ascii=False))
    else:
        print(format_table(report, args.max_random))
    return EXIT_OK if report.ok(args.max_random) else EXIT_FAILS


def cmd_item_stats(args: argparse.Namespace) -> int:
    """Item statistics of every knowledge check and role-play as CSV (no names; hidden under 5)."""
    from pathlib import Path

    from .modules.content import load_content
    from .modules.item_statistics import content_statistics, to_csv
    from .modules.records.database import Database, DatabaseUnavailable
    from .paths import resolve_locations

    locations = resolve_locations(args.data_dir, args.content, args.database_url)
    content = load_content(locations.content_dir)
    try:
        db = Database.open(locations)
    except DatabaseUnavailable as exc:
        print(
            _("peer-trainer item-stats: {problem} {advice}").format(problem=exc.message, advice=exc.advice),
            file=sys.stderr,
        )
        return EXIT_FAILS
    try:
        text = to_csv(*content_statistics(db, content))
    finally:
        db.close()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            print(
                _("peer-trainer item-stats: could not write {file}: {error}").format(
                    file=args.output, error=exc.strerror or exc
                ),
                file=sys.stderr,
            )
            return EXIT_FAILS
        print(_("Wrote the item statistics to {file}.").format(file=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser(
        "analyse",
        help=_("can the role-plays and knowledge checks be passed without reading them?"),
        description=_(
            "Play surface strategies (the longest choice, the shortest, the first, the last, random "
            "choosing) against every role-play and knowledge check, and show which ones they pass."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("a content folder, a folder or single files"))
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help=_("json: one array, one object per check")
    )
    p.add_argument(
        "--max-random",
        type=float,
        default=MAX_RANDOM_PASS_RATE,
        metavar="SHARE",
        help=_("the highest random pass rate allowed (default {value})").format(value=MAX_RANDOM_PASS_RATE),
    )
    p.add_argument(
        "--runs",
        type=int,
        default=RANDOM_RUNS,
        help=_("random runs per scenario when paths are not counted (at least {n}, the default)").format(
            n=f"{RANDOM_RUNS:,}"
        ),
    )
    p.add_argument("--seed", type=int, default=RANDOM_SEED, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_analyse)

    p = subparsers.add_parser(
        "item-stats",
        help=_("export how trainees answered each question and role-play choice, as CSV"),
        description=_(
            "Item statistics from trainees' first attempts: facility, discrimination and option counts "
            "for each question, choice shares for each decision point of a role-play. No names; a figure from "
            "fewer than 5 first attempts is left empty."
        ),
    )
    p.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of the screen"))
    p.set_defaults(func=cmd_item_stats)
