"""`peer-trainer analyse`: can an assessment be passed without reading it?

Every scenario and every knowledge check found under the given paths is played by surface
strategies that never read what a choice means (app/modules/scenario/surface.py,
app/modules/quiz_surface.py). An assessment measures skill when no strategy passes it and
random choosing passes it rarely (at most `max_random`, 0.05 by default).

Which scenarios count: every one, whatever its feedback mode. A role-play passed in coach mode
(`feedback: immediate`) counts towards a module and the certificate just as one in assessment
mode (`feedback: end`) does, so a scenario that the longest choice passes lets a trainee who
reads nothing complete the module. In coach mode a trainee who goes wrong may repair the
conversation and still pass; that is fine for a person who reads the feedback, and it is why only
the random pass rate (not "any path passes") is limited.

Broken files are not played: their errors are reported as `peer-trainer check` reports them,
and they make the whole analysis fail (a file that cannot be checked cannot be shown to measure
skill). Pure Python, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.i18n import _
from .assessment_thresholds import DEFAULT_PASS_MARK, MAX_RANDOM_PASS_RATE, RANDOM_RUNS, RANDOM_SEED
from .findings import Finding, display_path, sort_key
from .quiz_surface import random_pass_rate as quiz_random_pass_rate
from .quiz_surface import strategy_passes as quiz_strategy_passes

SCENARIO, KNOWLEDGE_CHECK = "scenario", "knowledge_check"


class AnalysisError(ValueError):
    """A path given to `analyse` cannot be analysed (it does not exist, or is not content)."""


@dataclass(slots=True)
class AssessmentResult:
    path: str
    id: str
    kind: str  # SCENARIO or KNOWLEDGE_CHECK
    title: str
    strategies: dict[str, bool]  # True: that strategy passes
    random_pass_rate: float
    method: str = "exact"  # how the random pass rate was found: "exact" or "sampled"
    paths: int | None = None  # scenarios counted exactly: complete paths, and those that pass
    passing_paths: int | None = None
    runs: int | None = None  # scenarios sampled: how many seeded runs
    questions: int | None = None  # knowledge checks: how many questions
    pass_mark: float | None = None  # knowledge checks: the pass mark used (percent)
    feedback: str | None = None  # scenarios: immediate (coach mode) or end (assessment mode)

    def to_json(self) -> dict:
        """The shape of the issue: path, id, kind, strategies, random_pass_rate."""
        return {
            "path": self.path,
            "id": self.id,
            "kind": self.kind,
            "strategies": dict(self.strategies),
            "random_pass_rate": round(self.random_pass_rate, 6),
        }

    def measures_skill(self, max_random: float = MAX_RANDOM_PASS_RATE) -> bool:
        return not any(self.strategies.values()) and self.random_pass_rate <= max_random + 1e-12


@dataclass(slots=True)
class AnalysisReport:
    results: list[AssessmentResult] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # errors of files that could not be played

    def ok(self, max_random: float = MAX_RANDOM_PASS_RATE) -> bool:
        return not self.problems and all(r.measures_skill(max_random) for r in self.results)


# --- one assessment ---------------------------------------------------------------------------


def analyse_scenario(sc, runs: int = RANDOM_RUNS, seed: int = RANDOM_SEED) -> AssessmentResult:
    """The surface strategies against one scenario without errors."""
    from .scenario.surface import Player

    player = Player(sc)
    rnd = player.random_pass_rate(runs, seed)
    return AssessmentResult(
        sc.shown,
        sc.id,
        SCENARIO,
        sc.title,
        player.strategies(),
        rnd.pass_rate,
        rnd.method,
        rnd.paths,
        rnd.passing_paths,
        rnd.runs,
        feedback=sc.feedback,
    )


def analyse_check(lesson, pass_mark: float) -> AssessmentResult:
    """The surface strategies against one lesson's knowledge check."""
    qs = lesson.questions
    return AssessmentResult(
        lesson.shown,
        lesson.id,
        KNOWLEDGE_CHECK,
        lesson.title,
        quiz_strategy_passes(qs, pass_mark),
        quiz_random_pass_rate(qs, pass_mark),
        questions=len(qs),
        pass_mark=pass_mark,
    )


def pass_mark_of(program) -> float:
    mark = getattr(program, "knowledge_check_pass_mark", None) if program is not None else None
    return float(mark or DEFAULT_PASS_MARK)


# --- paths ------------------------------------------------------------------------------------


def _content_items(paths: list[Path]):
    """(scenarios, [(lesson, pass mark)], error findings) for content folders, folders and files."""
    from .content import load_content
    from .lessons import load_lesson
    from .program import PROGRAM_FILE, load_program
    from .program_translations import is_program_translation
    from .scenario import load_scenario, scenario_files
    from .scenario.loader import is_lesson_path, program_near
    from .translations import is_translation

    scenarios: dict[Path, object] = {}
    lessons: dict[Path, tuple] = {}
    findings: list[Finding] = []
    programs: dict = {}
    cwd = Path.cwd()
    for arg in paths:
        arg = Path(arg)
        if arg.is_dir() and (arg / PROGRAM_FILE).is_file():
            content = load_content(arg, shown_base=cwd)
            findings.extend(content.findings)
            mark = pass_mark_of(content.program)
            for sc in content.scenarios:
                scenarios.setdefault(sc.path.resolve(), sc)
            for module_lessons in content.lessons.values():
                for lesson in module_lessons:
                    lessons.setdefault(lesson.path.resolve(), (lesson, mark))
            continue
        if arg.is_file() and (arg.name == PROGRAM_FILE or is_program_translation(arg)):
            findings.extend(load_program(arg.parent)[1])
            continue
        program, found, root = program_near(arg, programs)
        findings.extend(found)
        if root is not None and is_lesson_path(arg, root):
            for path in sorted(arg.rglob("*.md")) if arg.is_dir() else [arg]:
                if path.resolve() in lessons or (arg.is_dir() and is_translation(path)):
                    continue
                lesson, found = load_lesson(path, path.parent.name, program, display_path(path))
                findings.extend(found)
                if lesson is not None:
                    lessons[path.resolve()] = (lesson, pass_mark_of(program))
            continue
        for path in scenario_files(arg) if arg.is_dir() else [arg]:
            if path.resolve() in scenarios:
                continue
            sc, found = load_scenario(path, program, display_path(path))
            findings.extend(found)
            if sc is not None:
                scenarios[path.resolve()] = sc
            elif not any(f.is_error for f in found):  # pragma: no cover - a parser always says why
                findings.append(Finding(display_path(path), 1, 1, "error", "F005", _("this file cannot be read")))
    return list(scenarios.values()), list(lessons.values()), findings


def check_paths_exist(names: list[str]) -> None:
    """AnalysisError for a path that does not exist or is not a content file."""
    from .scenario.loader import SUFFIXES

    for name in names:
        path = Path(name)
        if not path.exists():
            raise AnalysisError(_("no such file or folder: {name}").format(name=name))
        if path.is_file() and path.suffix.lower() not in SUFFIXES:
            raise AnalysisError(_("{name} is not a content file (.md, .yaml or .yml) nor a folder").format(name=name))


def analyse_paths(names: list[str], runs: int = RANDOM_RUNS, seed: int = RANDOM_SEED) -> AnalysisReport:
    """Every scenario and knowledge check under `names` (content folders, folders or files)."""
    check_paths_exist(names)
    scenarios, lessons, findings = _content_items([Path(n) for n in names])
    report = AnalysisReport()
    seen: set[tuple] = set()
    for f in sorted(findings, key=sort_key):
        key = (f.path, f.line, f.column, f.code, f.message)
        if f.is_error and key not in seen:
            seen.add(key)
            report.problems.append(f)
    for sc in scenarios:
        if not sc.has_errors and sc.nodes:
            report.results.append(analyse_scenario(sc, runs, seed))
    for lesson, mark in lessons:
        if lesson.questions and not lesson.has_errors:
            report.results.append(analyse_check(lesson, mark))
    report.results.sort(key=lambda r: (r.path, r.id))
    return report
