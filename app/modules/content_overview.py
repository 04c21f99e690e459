"""Every file of a content folder as the trainer's workspace lists it: what it is, its state
(ok, warnings, errors) and its findings. Files that could not be read at all are listed too,
from their findings alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.core.i18n import _, ngettext, pgettext

from .content import ContentSet
from .findings import Finding, display_path
from .program import PROGRAM_FILE
from .program_translations import translation_files
from .translations import split_language

OK, WARNINGS, ERRORS = "ok", "warnings", "errors"


@dataclass(slots=True)
class ContentFile:
    kind: str  # program, lesson, scenario or other
    shown: str  # the path as findings name it, e.g. content/scenarios/x/y.md
    path: Path  # where it is on disk
    title: str
    module: str = ""
    item: object = None  # the Lesson or Scenario, when it could be loaded
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for f in self.findings)

    @property
    def state(self) -> str:
        return ERRORS if self.errors else WARNINGS if self.findings else OK

    @property
    def is_draft(self) -> bool:
        return bool(getattr(self.item, "is_draft", False))

    def state_text(self) -> str:
        text = self._findings_text()
        return _("Draft · {state}").format(state=text) if self.is_draft else text

    def _findings_text(self) -> str:
        errors = ngettext("{n} error", "{n} errors", self.errors).format(n=self.errors)
        warnings = ngettext("{n} warning", "{n} warnings", self.warnings).format(n=self.warnings)
        if self.errors:
            return _("{errors}, {warnings}").format(errors=errors, warnings=warnings) if self.warnings else errors
        if self.warnings:
            return warnings
        return pgettext("content check state", "OK")


def content_files(content: ContentSet, shown_base: Path | None = None) -> list[ContentFile]:
    """program.yaml, then lessons and scenarios by module, then anything else with findings."""
    base = Path(shown_base) if shown_base is not None else content.root.parent
    by_file = content.findings_by_file()
    out: list[ContentFile] = []
    listed: set[str] = set()

    def add(kind: str, shown: str, title: str, module: str = "", item=None, path: Path | None = None) -> None:
        listed.add(shown)
        where = path if path is not None else (Path(shown) if Path(shown).is_absolute() else base / shown)
        out.append(ContentFile(kind, shown, where, title, module, item, list(by_file.get(shown, []))))

    program_path = content.root / PROGRAM_FILE
    program_shown = display_path(program_path, base)
    add("program", program_shown, content.program.title if content.program else _("The program"), path=program_path)
    for path in translation_files(content.root):  # program.es.yaml... right after program.yaml
        lang = split_language(path)[1]
        translated = content.program.translations.get(lang) if content.program else None
        title = f"{translated.title} [{lang}]" if translated is not None else path.name
        add("program", display_path(path, base), title, path=path)
    # A translation (01-x.es.md) is listed right after its source, with its language after its title.
    for module_id, lessons in content.lessons.items():
        for lesson in lessons:
            add("lesson", lesson.shown, lesson.title, module_id, lesson, lesson.path)
            for lang, t in sorted(lesson.translations.items()):
                add("lesson", t.shown, f"{t.title} [{lang}]", module_id, t, t.path)
    for sc in content.scenarios:
        add("scenario", sc.shown, sc.title or sc.id or Path(sc.shown).stem, sc.module, sc, sc.path)
        for lang, t in sorted(sc.translations.items()):
            add("scenario", t.shown, f"{t.title or t.id} [{lang}]", sc.module, t, t.path)
    for shown in by_file:
        if shown not in listed:
            parts = Path(shown).parts
            kind = "lesson" if "lessons" in parts else "scenario" if "scenarios" in parts else "other"
            module = (
                parts[parts.index(kind + "s") + 1]
                if kind != "other" and parts.index(kind + "s") + 2 < len(parts)
                else ""
            )
            add(kind, shown, Path(shown).name, module)
    return out
