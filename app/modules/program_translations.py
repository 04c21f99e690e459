"""Translations of the program file: ``program.es.yaml`` beside ``program.yaml``.

A translation is a whole copy of program.yaml with its words translated (the program's title and
description, each competency's name, description and behaviours, each module's title and summary,
the certificate's title). Everything else is structure that records, completion and certificates
depend on, and must stay exactly as in the source: the module ids in their order, the competency
ids, each module's competencies, lessons, scenarios and requirements, the pass mark, what the
certificate requires, and the number of behaviours of each competency (a trainer's sign-off ticks
them one for one). The checker holds a translation to that (X312-X317, at the translation's line);
a translation with any error is not used, and readers see the source instead.
"""

from __future__ import annotations

from pathlib import Path

from ..core.i18n import SOURCE_LANGUAGE, _, ngettext
from .findings import Finding, display_path
from .program import PROGRAM_FILE, Program, _parse_program
from .translations import finding, source_language_message, split_language

STEM = Path(PROGRAM_FILE).stem  # "program"


def translation_files(content_dir: Path) -> list[Path]:
    """program.es.yaml, program.fr.yaml...: the program translations in a content folder, by language."""
    suffix = Path(PROGRAM_FILE).suffix
    out = []
    for path in sorted(Path(content_dir).glob(f"{STEM}.*{suffix}")):
        base, lang = split_language(path)
        if base == STEM and lang is not None and path.is_file():
            out.append(path)
    return out


def is_program_translation(path: Path) -> bool:
    path = Path(path)
    base, lang = split_language(path)
    return path.suffix == Path(PROGRAM_FILE).suffix and base == STEM and lang is not None


def load_translations(content_dir: Path, source: Program, shown_base: Path | None = None) -> list[Finding]:
    """Load every translation of `source` in `content_dir`, check it, attach the clean ones; the findings."""
    out: list[Finding] = []
    for path in translation_files(content_dir):
        lang = split_language(path)[1]
        shown = display_path(path, shown_base)
        translated, located, findings = _parse_program(path, shown)
        if lang == SOURCE_LANGUAGE:
            findings.append(finding(shown, 1, 1, "X312", source_language_message(path.name, lang)))
        elif translated is not None:
            findings.extend(compare_programs(source, translated, located, shown))
        out.extend(findings)
        if translated is not None and lang != SOURCE_LANGUAGE and not any(f.is_error for f in findings):
            translated._language = lang
            source.translations[lang] = translated
    return out


def compare_programs(source: Program, translated: Program, located, shown: str) -> list[Finding]:
    """X313-X317: what a program translation changes that records and completion depend on."""
    out: list[Finding] = []

    def at(path: tuple, code: str, message: str, key: bool = False) -> None:
        line, column = located.where(path, key=key)
        out.append(finding(shown, line, column, code, message))

    # Modules: the same ids in the same order.
    src_ids, tr_ids = source.module_ids, translated.module_ids
    if src_ids != tr_ids:
        tr_index = {mid: i for i, mid in enumerate(tr_ids)}
        if len(src_ids) == len(tr_ids) and set(src_ids) != set(tr_ids):
            for i, (s, t) in enumerate(zip(src_ids, tr_ids, strict=True)):
                if s != t and t not in src_ids:
                    message = _("module {n} has the id '{id}'; in program.yaml it is '{source_id}'")
                    at(("modules", i, "id"), "X313", message.format(n=i + 1, id=t, source_id=s))
        else:
            for mid in src_ids:
                if mid not in tr_index:
                    message = _("the module '{id}' of program.yaml is missing from this translation")
                    at(("modules",), "X313", message.format(id=mid), key=True)
            for i, mid in enumerate(tr_ids):
                if mid not in src_ids:
                    message = _("the module '{id}' is not in program.yaml")
                    at(("modules", i, "id"), "X313", message.format(id=mid))
            if set(src_ids) == set(tr_ids) and len(src_ids) == len(tr_ids):
                i = next(i for i, (s, t) in enumerate(zip(src_ids, tr_ids, strict=True)) if s != t)
                message = _("the module '{id}' is in another place than in program.yaml (there it is module {n})")
                at(("modules", i, "id"), "X313", message.format(id=tr_ids[i], n=src_ids.index(tr_ids[i]) + 1))

    # Competencies: the same ids.
    for cid in source.competencies:
        if cid not in translated.competencies:
            message = _("the competency '{id}' of program.yaml is missing from this translation")
            at(("competencies",), "X314", message.format(id=cid), key=True)
    for cid, comp in translated.competencies.items():
        src = source.competencies.get(cid)
        if src is None:
            at(("competencies", cid), "X314", _("the competency '{id}' is not in program.yaml").format(id=cid), True)
        elif len(src.behaviours) != len(comp.behaviours):
            message = ngettext(
                "the competency '{id}' has {n} behaviour; in program.yaml it has {count}",
                "the competency '{id}' has {n} behaviours; in program.yaml it has {count}",
                len(comp.behaviours),
            ).format(id=cid, n=len(comp.behaviours), count=len(src.behaviours))
            at(("competencies", cid, "behaviours"), "X317", message, True)

    # Each module's structure, for the modules both have.
    for i, module in enumerate(translated.modules):
        src = source.module(module.id)
        if src is None:
            continue
        for key in ("competencies", "lessons", "scenarios", "requires"):
            if getattr(src, key) != getattr(module, key):
                message = _("the module '{id}' has another '{key}' than in program.yaml")
                at(("modules", i, key), "X315", message.format(id=module.id, key=key), True)

    # The program's own rules.
    if source.knowledge_check_pass_mark != translated.knowledge_check_pass_mark:
        message = _("the knowledge-check pass mark is {mark}; in program.yaml it is {source_mark}").format(
            mark=translated.knowledge_check_pass_mark, source_mark=source.knowledge_check_pass_mark
        )
        at(("knowledge_check_pass_mark",), "X316", message, True)
    if source.certificate.requires != translated.certificate.requires:
        at(
            ("certificate", "requires"),
            "X316",
            _("the certificate requires other modules or sign-offs than in program.yaml"),
            True,
        )
    return out
