"""Loading scenario files and folders: read safely, parse, validate, check.

A broken file never stops the others; every problem is a Finding.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ...core.i18n import _
from ..findings import Finding, display_path, sort_key
from ..textfile import read_text_file
from ..translations import (
    SOURCE_LANGUAGE,
    finding,
    language_of,
    no_source_finding,
    source_candidates,
    source_language_message,
    split_language,
)
from .checker import check
from .codes import Report
from .markdown_io import parse_markdown
from .model import Scenario
from .yaml_io import parse_yaml

SUFFIXES = (".md", ".yaml", ".yml")


def parse_file(path: Path, shown: str) -> tuple[Scenario | None, Report]:
    """Read and parse one file (format problems only, no program or graph checks)."""
    rep = Report(shown)
    tf, problems = read_text_file(path, shown)
    rep.findings.extend(problems)
    if tf is None:
        return None, rep
    if path.suffix.lower() == ".md":
        sc = parse_markdown(tf.text, rep)
    else:
        sc = parse_yaml(tf.text, rep)
    if sc is not None:
        sc.path, sc.shown = path, shown
        sc.content_hash = hashlib.sha256(tf.data).hexdigest()
    return sc, rep


def load_scenario(path: Path, program=None, shown: str | None = None) -> tuple[Scenario | None, list[Finding]]:
    """Parse, validate and check one scenario file.

    The scenario is None only when the file cannot be parsed at all; otherwise it comes
    back with `has_errors` set and the findings attached (errors and warnings).
    """
    path = Path(path)
    if shown is None:
        shown = display_path(path)
    sc, rep = parse_file(path, shown)
    if sc is not None:
        check(sc, rep, program)
        sc.findings = sorted(rep.findings, key=sort_key)
        sc.has_errors = rep.has_errors
    return sc, sorted(rep.findings, key=sort_key)


def scenario_files(folder: Path, translations: bool = False) -> list[Path]:
    """Every scenario file under `folder`, recursively, in a stable order (hidden files skipped).

    Translations (x.es.md) are left out unless `translations` is true: they are not scenarios of
    their own but belong to their source (see load_translation)."""
    out = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (translations or split_language(p)[1] is None)
    ]
    return sorted(out)


def translation_files(folder: Path) -> list[Path]:
    """The scenario translations under `folder` (x.es.md next to x.md)."""
    return [p for p in scenario_files(folder, translations=True) if split_language(p)[1] is not None]


def source_of(path: Path) -> Path | None:
    """The source file a translation translates, when it exists."""
    return next((p for p in source_candidates(path, SUFFIXES) if p.is_file()), None)


def load_translation(
    path: Path, program=None, shown: str | None = None, sources: dict | None = None
) -> tuple[Scenario | None, list[Finding]]:
    """Parse and check a translation like any scenario, then against its source (X301-X312), and
    attach it to the source (``source.translations[lang]``). `sources`: loaded sources by resolved path."""
    from .translation import compare_scenarios

    path = Path(path)
    shown = shown or display_path(path)
    lang = language_of(path)
    sc, found = load_scenario(path, program, shown)
    found = list(found)
    source_path = source_of(path)
    source = None
    if source_path is not None:
        source = (sources or {}).get(source_path.resolve())
        if source is None:
            source, _found = load_scenario(source_path, program, display_path(source_path))
    extra: list[Finding] = []
    if source_path is None:
        extra.append(no_source_finding(shown, path, lang, "scenario"))
    elif lang == SOURCE_LANGUAGE:
        extra.append(finding(shown, 1, 1, "X312", source_language_message(path.name, lang)))
    elif sc is not None and source is not None:
        if lang in source.translations and source.translations[lang].path != path:
            other = source.translations[lang].shown
            message = _("{other} already translates {source} into '{language}'")
            extra.append(finding(shown, 1, 1, "X312", message.format(other=other, source=source.shown, language=lang)))
        extra.extend(compare_scenarios(source, sc))
    if sc is not None:
        sc.language = lang
        sc.findings = sorted([*sc.findings, *extra], key=sort_key)
        sc.has_errors = sc.has_errors or any(f.is_error for f in extra)
        if source is not None and lang != SOURCE_LANGUAGE and lang not in source.translations:
            source.translations[lang] = sc
    return sc, sorted([*found, *extra], key=sort_key)


def duplicate_ids(scenarios: list[Scenario], reference: list[Scenario] = ()) -> list[Finding]:
    """S108 in every file whose scenario id another file also uses; marks them as having errors.

    `reference` scenarios count as other files but get no findings (they are not being checked).
    """
    by_id: dict[str, list[Scenario]] = {}
    for sc in [*scenarios, *reference]:
        if sc.id:
            by_id.setdefault(sc.id, []).append(sc)
    out: list[Finding] = []
    for sid, group in by_id.items():
        if len(group) < 2:
            continue
        for sc in group:
            if not any(sc is c for c in scenarios):
                continue
            others = ", ".join(o.shown for o in group if o is not sc)
            rep = Report(sc.shown)
            rep.add(
                "S108",
                *sc.where("id"),
                _("the scenario id {sid!r} is also used by {others}").format(sid=sid, others=others),
                _("give each scenario its own id"),
            )
            sc.findings.extend(rep.findings)
            sc.has_errors = True
            out.extend(rep.findings)
    return out


def load_scenarios(
    scenarios_dir: Path, program=None, shown_base: Path | None = None
) -> tuple[list[Scenario], list[Finding]]:
    """Every scenario under a folder (.md, .yaml, .yml), with the cross-file duplicate-id check."""
    scenarios: list[Scenario] = []
    findings: list[Finding] = []
    for path in scenario_files(Path(scenarios_dir)):
        sc, found = load_scenario(path, program, display_path(path, shown_base))
        findings.extend(found)
        if sc is not None:
            scenarios.append(sc)
    findings.extend(duplicate_ids(scenarios))
    sources = {sc.path.resolve(): sc for sc in scenarios if sc.path is not None}
    for path in translation_files(Path(scenarios_dir)):
        findings.extend(load_translation(path, program, display_path(path, shown_base), sources)[1])
    return scenarios, sorted(findings, key=sort_key)


def check_content_folder(content_dir: Path, shown_base: Path | None = None) -> list[Finding]:
    """Everything `peer-trainer check` reports for a content folder: program.yaml, lessons, scenarios."""
    from ..program import load_program

    content_dir = Path(content_dir)
    program, findings = load_program(content_dir, shown_base)
    findings = list(findings)
    findings.extend(_lesson_findings(content_dir, program, shown_base))
    scenarios_dir = content_dir / "scenarios"
    if scenarios_dir.is_dir():
        findings.extend(load_scenarios(scenarios_dir, program, shown_base)[1])
    return findings


def _lesson_findings(content_dir: Path, program, shown_base: Path | None) -> list[Finding]:
    # The lessons belong to app.modules.lessons; tolerate its absence so scenarios can be checked alone.
    try:
        from ..lessons import check_lessons
    except (ImportError, AttributeError):
        return []
    return list(check_lessons(content_dir, program, shown_base))


def is_lesson_path(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to((root / "lessons").resolve())
        return True
    except ValueError:
        return False


def _lesson_file_findings(path: Path, program) -> list[Finding]:
    # A lesson given to `check` by name (a translation with its source): the lessons module checks it.
    try:
        from ..lessons import check_lesson_file
    except (ImportError, AttributeError):
        return []
    return list(check_lesson_file(path, program, display_path(path)))


def program_near(path: Path, cache: dict) -> tuple[object, list[Finding], Path | None]:
    """The program of the nearest program.yaml in the path's folder or above (loaded once)."""
    from ..program import find_program_file, load_program

    found = find_program_file(path)
    if found is None:
        return None, [], None
    root = found.parent
    key = root.resolve()
    if key in cache:
        return cache[key], [], root
    program, findings = load_program(root)
    cache[key] = program
    return program, list(findings), root


def check_paths(paths: list[Path]) -> list[Finding]:
    """What `peer-trainer check PATH...` reports: each PATH a content folder, a folder of
    scenarios, or a file (whose program is the nearest program.yaml). Paths must exist."""
    from ..program import PROGRAM_FILE, load_program
    from ..program_translations import is_program_translation

    findings: list[Finding] = []
    checked: dict[Path, Scenario] = {}
    reference: dict[Path, Scenario] = {}
    programs: dict = {}
    done_programs: set[Path] = set()

    def add_program(root: Path) -> object:
        key = root.resolve()
        program, found = load_program(root)
        programs[key] = program
        if key not in done_programs:
            done_programs.add(key)
            findings.extend(found)
        return program

    for arg in paths:
        arg = Path(arg)
        if arg.is_dir() and (arg / PROGRAM_FILE).is_file():
            program = add_program(arg)
            findings.extend(_lesson_findings(arg, program, None))
            files = scenario_files(arg / "scenarios", translations=True) if (arg / "scenarios").is_dir() else []
        elif arg.is_file() and (arg.name == PROGRAM_FILE or is_program_translation(arg)):
            add_program(arg.parent)  # a translation is checked with its source (both are reported)
            continue
        else:
            program, found, root = program_near(arg, programs)
            if root is not None and root.resolve() not in done_programs:
                done_programs.add(root.resolve())
                findings.extend(found)
            if root is not None and is_lesson_path(arg, root):
                for lesson in sorted(arg.rglob("*.md")) if arg.is_dir() else [arg]:
                    findings.extend(_lesson_file_findings(lesson, program))
                continue
            files = scenario_files(arg, translations=True) if arg.is_dir() else [arg]
            if root is not None and (root / "scenarios").is_dir():
                for other in scenario_files(root / "scenarios"):
                    reference.setdefault(other.resolve(), other)
        for f in files:
            key = f.resolve()
            if key in checked:
                continue
            if split_language(f)[1] is not None:
                sc, found = load_translation(f, program, display_path(f))
                findings.extend(found)
                continue
            sc, found = load_scenario(f, program, display_path(f))
            findings.extend(found)
            if program is None and sc is not None:
                rep = Report(sc.shown)
                rep.add(
                    "S206",
                    1,
                    1,
                    _("no program.yaml found in this folder or above: module and competencies are not checked"),
                    _("check the file inside its content folder"),
                )
                findings.extend(rep.findings)
            if sc is not None:
                checked[key] = sc
    others = []
    for key, f in reference.items():
        if key not in checked:
            sc, _found = parse_file(f, display_path(f))
            if sc is not None:
                others.append(sc)
    findings.extend(duplicate_ids(list(checked.values()), others))
    return findings
