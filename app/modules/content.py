"""A content folder as the program uses it: program.yaml, lessons and scenarios, with
every problem found along the way.

A broken file never stops the others: it is left out of what trainees see, and its
findings are kept for the "Content problems" panel and `peer-trainer check`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .competency import ModuleContent
from .findings import Finding, sort_key
from .lessons import Lesson, load_module_lessons
from .program import Program, load_program
from .translations import in_language, is_untranslated


@dataclass(slots=True)
class ContentSet:
    root: Path
    program: Program | None
    lessons: dict[str, list[Lesson]] = field(default_factory=dict)
    scenarios: list = field(default_factory=list)  # app.modules.scenario.Scenario
    findings: list[Finding] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warning_count(self) -> int:
        return sum(not f.is_error for f in self.findings)

    def module_lessons(self, module_id: str, language: str | None = None) -> list[Lesson]:
        """Lessons trainees may open: published ones without errors (drafts are for trainers only).

        With a `language`, each lesson is its translation into it where a usable one exists, else the
        source (`is_untranslated(lesson, language)` tells which); ids are the same either way."""
        ok = [l for l in self.lessons.get(module_id, []) if not l.has_errors and not l.is_draft]
        return [in_language(l, language) for l in ok] if language else ok

    def drafts(self) -> list:
        """Lessons and scenarios still marked `status: draft`: trainers see them, trainees never do."""
        lessons = [l for ls in self.lessons.values() for l in ls if l.is_draft]
        return lessons + [s for s in self.scenarios if s.is_draft]

    def lesson(self, module_id: str, lesson_id: str, language: str | None = None) -> Lesson | None:
        """The lesson (the source), or with a `language` its translation where a usable one exists."""
        for l in self.lessons.get(module_id, []):
            if l.id == lesson_id:
                return in_language(l, language) if language else l
        return None

    def module_scenarios(self, module_id: str, language: str | None = None) -> list:
        """Scenarios trainees may play: published ones of the module without errors, in the program's order
        (with a `language`, translated where a usable translation exists)."""
        ok = [s for s in self.scenarios if s.module == module_id and not s.has_errors and not s.is_draft]
        module = self.program.module(module_id) if self.program else None
        if module is not None and module.scenarios is not None:
            rank = {sid: i for i, sid in enumerate(module.scenarios)}
            ok.sort(key=lambda s: (rank.get(s.id, len(rank)), s.title))
        return [in_language(s, language) for s in ok] if language else ok

    def scenario(self, scenario_id: str, language: str | None = None):
        """The scenario (the source), or with a `language` its translation where a usable one exists."""
        for s in self.scenarios:
            if s.id == scenario_id:
                return in_language(s, language) if language else s
        return None

    @staticmethod
    def is_untranslated(item, language: str | None = None) -> bool:
        """True when a lesson or scenario is shown in another language than `language` (the reader's)."""
        return is_untranslated(item, language)

    def translations(self) -> list:
        """Every translated lesson and scenario loaded (attached to their sources)."""
        lessons = [t for ls in self.lessons.values() for l in ls for t in l.translations.values()]
        return lessons + [t for s in self.scenarios for t in s.translations.values()]

    def module_content(self, module_id: str) -> ModuleContent:
        lessons = self.module_lessons(module_id)
        return ModuleContent(
            lessons=[l.id for l in lessons],
            checks=[l.id for l in lessons if l.has_check],
            scenarios=[s.id for s in self.module_scenarios(module_id)],
        )

    def all_module_contents(self) -> dict[str, ModuleContent]:
        if self.program is None:
            return {}
        return {m.id: self.module_content(m.id) for m in self.program.modules}

    def findings_by_file(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = defaultdict(list)
        for f in sorted(self.findings, key=sort_key):
            out[f.path].append(f)
        return dict(out)


def load_content(root: Path, shown_base: Path | None = None) -> ContentSet:
    """Load everything under a content folder. Never raises for bad content."""
    root = Path(root)
    base = shown_base if shown_base is not None else root.parent
    program, findings = load_program(root, base)
    content = ContentSet(root, program, findings=list(findings))
    lessons, lesson_findings = load_module_lessons(root, program, base)
    content.lessons = lessons
    content.findings.extend(lesson_findings)
    scenarios_dir = root / "scenarios"
    if scenarios_dir.is_dir():
        from .scenario import load_scenarios

        scenarios, scenario_findings = load_scenarios(scenarios_dir, program, shown_base=base)
        content.scenarios = scenarios
        content.findings.extend(scenario_findings)
    return content
