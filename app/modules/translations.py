"""Content in several languages: translations of lessons and scenarios, and the checks that keep
them comparable with their source.

A translation sits beside its source with the language before the extension:
``01-open-questions.es.md`` translates ``01-open-questions.md``; ``can-you-fix-it-for-me.es.md``
translates the scenario ``can-you-fix-it-for-me.md`` (or ``.yaml``). A translation is never loaded as a
lesson or scenario of its own: it is attached to its source, and a trainee reading in that language
sees it in place of the source. Records, scores and certificates use the source's ids, so a
translation must have the same structure as its source (same ids, nodes, choices, effects,
conditions, endings, pass marks, questions and correct answers); only the words are free.

The program file has translations too (program.es.yaml beside program.yaml; app/modules/program_translations.py).

Finding codes X301-X317 (docs/lesson-format.md and docs/scenario-format.md list them) are errors:
a translation with any of them is not shown, and the trainee sees the source instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.i18n import N_, SOURCE_LANGUAGE, _
from ..core.i18n import language as current_language
from ..core.setting_keys import SCHOOL_LANGUAGE_KEY
from .findings import ERROR, Finding

# "es", "fr", "ar", "pt-BR", "zh-Hant": the language tag written before the extension. Lesson and
# scenario ids are kebab-case without dots, so a dot in the stem always introduces a language.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")

# code -> (what it means, how to fix it); every one is an error.
CODES: dict[str, tuple[str, str]] = {
    "X301": (
        N_("a translation has no source file beside it"),
        N_("name it like its source with the language before the extension: 01-open-questions.es.md"),
    ),
    "X302": (N_("a translation changes the lesson or scenario id"), N_("keep the source's id")),
    "X303": (
        N_(
            "a translation changes the scenario's module, competencies, characters, variables, pass marks, "
            "feedback mode or start"
        ),
        N_("copy these keys from the source unchanged; translate only the words (title, summary, names)"),
    ),
    "X304": (N_("a translation drops or adds a node"), N_("keep every node of the source, with the same ids")),
    "X305": (
        N_("a translation changes a node's ending or set"),
        N_("copy the node's {ending: ..., set: ...} from the source"),
    ),
    "X306": (N_("a translation drops or adds a choice"), N_("keep every choice of the source, in the same order")),
    "X307": (N_("a translation's choice leads to another node"), N_("keep the source's (#target)")),
    "X308": (N_("a translation's choice changes its effects"), N_("copy the effects {name: +1} from the source")),
    "X309": (N_("a translation changes a condition"), N_("copy the 'if' condition from the source")),
    "X310": (N_("a translation drops or adds a knowledge-check question"), N_("keep every question of the source")),
    "X311": (
        N_("a translation changes a question's type, number of options or which are correct"),
        N_("keep the options in the source's order with the same 'correct: true' marks"),
    ),
    "X312": (
        N_("two translations of one file into the same language, or a translation into the source language"),
        N_("keep one translation per language"),
    ),
    "X313": (
        N_("a program translation drops, adds, renames or moves a module"),
        N_("keep every module of program.yaml, with the same ids in the same order; translate only title and summary"),
    ),
    "X314": (
        N_("a program translation drops, adds or renames a competency"),
        N_("keep every competency id of program.yaml; translate only name, description and behaviours"),
    ),
    "X315": (
        N_("a program translation changes a module's competencies, lessons, scenarios or requirements"),
        N_("copy the module's competencies, lessons, scenarios and requires from program.yaml unchanged"),
    ),
    "X316": (
        N_("a program translation changes the knowledge-check pass mark or what the certificate requires"),
        N_("copy knowledge_check_pass_mark and certificate: requires from program.yaml unchanged"),
    ),
    "X317": (
        N_("a program translation drops or adds a competency's behaviour"),
        N_("translate each behaviour of program.yaml, one for one, in the same order"),
    ),
}


def finding(shown: str, line: int, column: int, code: str, message: str, hint: str | None = None) -> Finding:
    hint = _(CODES[code][1]) if hint is None else hint
    return Finding(shown, max(1, line or 1), max(1, column or 1), ERROR, code, message, hint)


def split_language(path: Path) -> tuple[str, str | None]:
    """("01-open-questions", "es") for 01-open-questions.es.md; (stem, None) for a source file."""
    stem = path.stem
    base, dot, tag = stem.rpartition(".")
    if dot and base and LANGUAGE_TAG.match(tag):
        return base, tag
    return stem, None


def is_translation(path: Path) -> bool:
    return split_language(Path(path))[1] is not None


def language_of(path: Path) -> str:
    """The language a content file is written in (the source language when it has no tag)."""
    return split_language(Path(path))[1] or SOURCE_LANGUAGE


def source_candidates(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files a translation can translate: same folder, same name without the language."""
    path = Path(path)
    base, _lang = split_language(path)
    return [path.with_name(base + suffix) for suffix in suffixes]


# The school's language among the school settings (app/modules/school_settings.py, LANGUAGE_KEY):
# certificates and the programme report are in it, whoever makes them.


def school_language(settings: dict | None) -> str:
    """The school's language from its settings, else the language in use (i18n.language())."""
    return str((settings or {}).get(SCHOOL_LANGUAGE_KEY) or "") or current_language()


def reader_language(language: str | None = None) -> str:
    """The language asked for, or the reader's (the program's current language)."""
    return language or current_language()


def in_language(item, language: str | None = None):
    """The translation of a lesson or scenario into ``language`` when there is a usable one, else the item."""
    lang = reader_language(language)
    if item is None or lang == getattr(item, "language", SOURCE_LANGUAGE) or item.has_errors:
        return item  # a source with errors is not shown in any language
    translated = getattr(item, "translations", {}).get(lang)
    if translated is None or translated.has_errors or translated.is_draft:
        return item
    return translated


def is_untranslated(item, language: str | None = None) -> bool:
    """True when ``item`` is shown in another language than the reader's (the UI says so)."""
    if item is None:
        return False
    return getattr(item, "language", SOURCE_LANGUAGE) != reader_language(language)


def no_source_finding(shown: str, path: Path, lang: str, kind: str) -> Finding:
    """X301: a translation (a lesson's or a scenario's) with no source beside it."""
    base, _lang = split_language(Path(path))
    if kind == "scenario":
        message = _("this scenario translation ({language}) has no source: there is no {name}.md or .yaml beside it")
        hint = _(
            "name it after the scenario it translates, with the language before the extension ({example}), "
            "or remove the language from the name to make it a scenario of its own"
        )
    else:
        message = _("this lesson translation ({language}) has no source: there is no {name}.md beside it")
        hint = _(
            "name it after the lesson it translates, with the language before the extension ({example}), "
            "or remove the language from the name to make it a lesson of its own"
        )
    example = f"{base}.{lang}.md"
    return finding(shown, 1, 1, "X301", message.format(language=lang, name=base), hint.format(example=example))


def source_language_message(name: str, lang: str) -> str:
    """X312 for a file such as 01-open-questions.en.md when the content is written in English."""
    return _("{name} is a translation into the source language ({language})").format(name=name, language=lang)
