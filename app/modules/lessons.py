"""Lessons: Markdown files with YAML front matter under content/lessons/<module-id>/.

The format is documented in docs/lesson-format.md. Loading never raises on bad content:
each problem becomes a Finding with file, line and column, and the other lessons still load.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.i18n import N_, _, ngettext
from .findings import ERROR, WARNING, Finding, display_path
from .located_yaml import YAMLProblem, load_located
from .placeholders import unknown_placeholders
from .program import KEBAB, Program, closest
from .textfile import read_text_file, split_front_matter
from .translations import (
    SOURCE_LANGUAGE,
    finding,
    language_of,
    no_source_finding,
    source_language_message,
    split_language,
)

CALLOUTS = {
    "try": N_("Try saying"),
    "avoid": N_("Avoid saying"),
    "remember": N_("Remember"),
    "note": N_("Note"),
    "warning": N_("Content warning"),
}
FENCE = re.compile(r"^:::\s*([A-Za-z_-]*)\s*(.*?)\s*$")
NUMBER_PREFIX = re.compile(r"^\d+[-_ ]+")


# --- the front matter, as pydantic validates it -------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OptionIn(_Strict):
    text: str
    correct: bool = False
    why: str = ""


class _QuestionIn(_Strict):
    prompt: str
    type: Literal["single", "multiple", "true_false"] | None = None
    options: list[_OptionIn] | None = None
    answer: bool | None = None
    explanation: str = ""


class _FrontMatter(_Strict):
    id: str | None = None
    title: str
    module: str | None = None
    summary: str = ""
    minutes: int | None = Field(default=None, ge=1, le=120)
    status: Literal["draft", "published"] = "published"  # absent: published (content written before drafts)
    questions: list[_QuestionIn] = Field(default_factory=list)


# --- the model the program uses -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True, slots=True)
class Question:
    index: int
    kind: str  # single, multiple or true_false
    prompt: str
    options: tuple[Option, ...]
    explanation: str
    line: int

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    def is_correct(self, chosen: set[int] | frozenset[int]) -> bool:
        return frozenset(chosen) == self.correct_indexes


@dataclass(slots=True)
class Lesson:
    id: str
    module_id: str
    title: str
    summary: str
    minutes: int | None
    body: str
    body_first_line: int
    questions: list[Question]
    path: Path
    shown: str
    content_hash: str
    findings: list[Finding] = field(default_factory=list)
    status: str = "published"  # "draft": trainers see it, trainees never do
    language: str = SOURCE_LANGUAGE  # the language of this file's words (01-x.es.md: "es")
    translations: dict[str, Lesson] = field(default_factory=dict)  # language -> translation (sources only)
    id_line: int = 1  # where the id is written (or 1), for the translation checks
    questions_line: int = 1

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)

    @property
    def is_translation(self) -> bool:
        return self.language != SOURCE_LANGUAGE

    @property
    def has_check(self) -> bool:
        return bool(self.questions)

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", self.body))


def lesson_id_from_filename(path: Path) -> str:
    """01-open-questions.md and its translation 01-open-questions.es.md: "open-questions"."""
    return NUMBER_PREFIX.sub("", split_language(Path(path))[0])


def load_lesson(
    path: Path, module_id: str, program: Program | None, shown: str | None = None
) -> tuple[Lesson | None, list[Finding]]:
    """Load one lesson file; None when it cannot be used at all."""
    shown = shown or display_path(path)
    tf, findings = read_text_file(path, shown)
    if tf is None:
        return None, findings
    fm = split_front_matter(tf.text)
    if fm is None:
        return None, [
            Finding(
                shown,
                1,
                1,
                ERROR,
                "L001",
                _("the lesson has no front matter"),
                _("start the file with a line '---', the title and questions, then another '---'"),
            )
        ]
    out: list[Finding] = []
    try:
        located = load_located(fm.yaml_text, line_offset=fm.yaml_first_line - 1)
    except YAMLProblem as p:
        return None, [Finding(shown, p.line, p.column, ERROR, p.code, p.message, p.hint)]
    if not isinstance(located.data, dict):
        return None, [
            Finding(
                shown, 2, 1, ERROR, "L002", _("the front matter must be keys and values, like 'title: Open questions'")
            )
        ]
    for kp, line, col in located.duplicates:
        out.append(
            Finding(
                shown,
                line,
                col,
                ERROR,
                "L014",
                _("the key {key!r} is given twice").format(key=kp[-1]),
                _("remove one of them"),
            )
        )
    try:
        meta = _FrontMatter.model_validate(located.data)
    except ValidationError as exc:
        for err in exc.errors():
            out.append(_pydantic_finding(err, located, shown))
        return None, out

    lesson_id = meta.id or lesson_id_from_filename(path)
    if not KEBAB.match(lesson_id):
        line, col = located.where(("id",)) if meta.id else (1, 1)
        out.append(
            Finding(
                shown,
                line,
                col,
                ERROR,
                "L003",
                _("lesson id {id!r} must be kebab-case, like 'open-questions'").format(id=lesson_id),
            )
        )
    if meta.module is not None and meta.module != module_id:
        line, col = located.where(("module",))
        out.append(
            Finding(
                shown,
                line,
                col,
                ERROR,
                "L005",
                _("module {module!r} does not match the folder {folder!r}").format(
                    module=meta.module, folder=module_id
                ),
                _("move the file or correct the module"),
            )
        )
    if program is not None and program.module(module_id) is None:
        guess = closest(module_id, program.module_ids)
        out.append(
            Finding(
                shown,
                1,
                1,
                ERROR,
                "L004",
                _("unknown module {module!r}: the folder name must be a module id from program.yaml").format(
                    module=module_id
                ),
                _("did you mean {name}?").format(name=guess) if guess else _("add the module to program.yaml"),
            )
        )

    questions = []
    for i, q in enumerate(meta.questions):
        question, q_findings = _question(i, q, located, shown)
        out.extend(q_findings)
        if question is not None:
            questions.append(question)

    if not any(f.is_error for f in out):
        from .assessment_thresholds import DEFAULT_PASS_MARK
        from .quiz_surface import give_away_findings

        mark = getattr(program, "knowledge_check_pass_mark", None) or DEFAULT_PASS_MARK
        out.extend(give_away_findings(questions, located, shown, mark))
    limits = _check_limits(fm.body, fm.body_first_line, shown)
    out.extend(limits)
    if not limits:  # the other body checks are linear too, but need not read a body already refused
        out.extend(_check_body(fm.body, fm.body_first_line, shown))
    for name, line0, col in unknown_placeholders(tf.text):
        out.append(
            Finding(
                shown,
                line0 + 1,
                col,
                ERROR,
                "L009",
                _("unknown placeholder {{{{{name}}}}}").format(name=name),
                _("see the placeholders table in docs/lesson-format.md"),
            )
        )
    lesson = Lesson(
        id=lesson_id,
        module_id=module_id,
        title=meta.title.strip(),
        summary=meta.summary.strip(),
        minutes=meta.minutes,
        body=fm.body,
        body_first_line=fm.body_first_line,
        questions=questions,
        path=path,
        shown=shown,
        content_hash=hashlib.sha256(tf.data).hexdigest(),
        findings=out,
        status=meta.status,
        language=language_of(path),
        id_line=located.where(("id",))[0] if meta.id else 1,
        questions_line=located.where(("questions",), key=True)[0] if meta.questions else 1,
    )
    return lesson, out


def _pydantic_finding(err: dict, located, shown: str) -> Finding:
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc) or "front matter"
    if err["type"] == "extra_forbidden":
        line, col = located.where(loc, key=True)
        known = list(
            (
                _QuestionIn
                if "questions" in loc[:-1] and len(loc) == 3
                else _OptionIn
                if "options" in loc
                else _FrontMatter
            ).model_fields
        )
        guess = closest(str(loc[-1]), known)
        return Finding(
            shown,
            line,
            col,
            ERROR,
            "L006",
            _("unknown key {key!r}").format(key=loc[-1]),
            _("did you mean {name}?").format(name=guess) if guess else "",
        )
    if err["type"] == "missing":
        line, col = located.where(loc[:-1])
        return Finding(
            shown,
            line,
            col,
            ERROR,
            "L007",
            _("missing key {key!r}").format(key=loc[-1]),
            _("add '{key}:' here").format(key=loc[-1]),
        )
    line, col = located.where(loc)
    return Finding(shown, line, col, ERROR, "L008", f"{where}: {err['msg']}")


def _question(i: int, q: _QuestionIn, located, shown: str) -> tuple[Question | None, list[Finding]]:
    line, col = located.where(("questions", i))
    out: list[Finding] = []

    def err(message: str, hint: str = "") -> tuple[None, list[Finding]]:
        out.append(
            Finding(
                shown, line, col, ERROR, "L010", _("question {n}: {message}").format(n=i + 1, message=message), hint
            )
        )
        return None, out

    kind = q.type
    if q.answer is not None or kind == "true_false":
        if q.options:
            return err(_("a true/false question has an 'answer', not 'options'"), _("remove 'options' or 'answer'"))
        if q.answer is None:
            return err(_("a true/false question needs 'answer: true' or 'answer: false'"))
        # The words are marked for translation; the quiz shows them with _() (records keep indexes).
        options = (Option(N_("True"), q.answer is True, ""), Option(N_("False"), q.answer is False, ""))
        kind = "true_false"
    else:
        if not q.options or len(q.options) < 2:
            return err(_("needs at least two options (or 'answer: true/false')"))
        correct = sum(o.correct for o in q.options)
        if correct == 0:
            return err(_("no option is marked 'correct: true'"))
        if kind == "single" and correct != 1:
            return err(
                _("a single-answer question needs exactly one correct option, not {correct}").format(correct=correct),
                _("use 'type: multiple' for several answers"),
            )
        kind = kind or ("multiple" if correct > 1 else "single")
        options = tuple(Option(o.text.strip(), o.correct, o.why.strip()) for o in q.options)
    if not q.explanation.strip() and not all(o.why for o in options):
        out.append(
            Finding(
                shown,
                line,
                col,
                WARNING,
                "L011",
                _("question {n}: not every answer is explained").format(n=i + 1),
                _("give each option a 'why', or the question an 'explanation'"),
            )
        )
    return Question(i, kind, q.prompt.strip(), options, q.explanation.strip(), line), out


# Limits on a lesson body (L021). Python-Markdown's inline patterns are quadratic in the number
# of `[` and `![` (10,000 `[` took 22 s), deep nesting recurses (a list 600 deep raised
# RecursionError) and very long documents keep Qt's layout busy for minutes. Real lessons stay
# far below these: the longest bundled lesson has about 150 lines and 20 links.
MAX_BODY_CHARS = 100_000  # the longest bundled lesson has 10,500
MAX_BODY_LINES = 5_000
MAX_BRACKETS = 1_000  # `[`: links, images, and brackets in the text
MAX_IMAGES = 200  # `![`
MAX_TAGS = 2_000  # `<`: raw HTML tags (and less-than signs)
MAX_BACKSLASHES = 1_000  # `\\`: Python-Markdown took 15 s over 100,000 of them
MAX_PIPES = 3_000  # `|`: table cells (Qt takes about 3 s to lay out a table of 5,000 rows)
MAX_RUN = 10_000  # characters in a row without a space (Qt's line breaking is quadratic in them)
MAX_RAW_TABLE_NESTING = 2  # raw HTML tables inside raw HTML tables: Qt's layout is exponential (20 deep: 84 s)
MAX_RAW_NESTING = 32  # raw HTML lists, quotes and tables inside each other
_RAW_TAG = re.compile(r"<(/?)(table|ul|ol|blockquote)\b", re.I)
MAX_NESTING = 16  # quotes in lists in quotes...: each `>`, list marker and two spaces of indent counts
# The run of quote and list markers that opens a line: "> > - 1. text" is nested four deep.
_NESTING = re.compile(r"^([ \t]*)((?:(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)*)")
_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
LIMIT_CODE = "L021"


def body_limit_problems(body: str) -> list[tuple[int, str, str]]:
    """What makes a lesson body too big or too deeply nested to show: (line within the body, message, hint).

    Linear in the body's length; the lesson reader refuses a body with any of these.
    """
    out: list[tuple[int, str, str]] = []
    if len(body) > MAX_BODY_CHARS:
        out.append(
            (
                1,
                _("the lesson is {n:,} characters long (at most {limit:,})").format(n=len(body), limit=MAX_BODY_CHARS),
                _("split it"),
            )
        )
        body = body[: MAX_BODY_CHARS + 1]
    counts = {"[": 0, "![": 0, "<": 0, "|": 0, "\\": 0}
    limits = {
        "[": (MAX_BRACKETS, N_("[ (links and brackets)")),
        "![": (MAX_IMAGES, N_("![ (images)")),
        "<": (MAX_TAGS, N_("<")),
        "|": (MAX_PIPES, N_("| (table cells)")),
        "\\": (MAX_BACKSLASHES, N_("\\ (backslashes)")),
    }
    raw_depth = raw_tables = 0
    raw_reported = long_reported = False
    reported: set[str] = set()
    deepest = 0
    lines = body.split("\n")
    if len(lines) > MAX_BODY_LINES:
        out.append(
            (
                MAX_BODY_LINES + 1,
                _("the lesson has {n:,} lines (at most {limit:,})").format(n=len(lines), limit=MAX_BODY_LINES),
                _("split it"),
            )
        )
        lines = lines[: MAX_BODY_LINES + 1]
    for n, line in enumerate(lines, start=1):
        for token in counts:
            counts[token] += line.count(token)
            limit, what = limits[token]
            if counts[token] > limit and token not in reported:
                reported.add(token)
                out.append(
                    (
                        n,
                        _("more than {limit:,} {what} in one lesson").format(limit=limit, what=_(what)),
                        _("split the lesson, or use fewer"),
                    )
                )
        if not long_reported and len(line) > MAX_RUN and max(map(len, line.split()), default=0) > MAX_RUN:
            long_reported = True
            out.append(
                (
                    n,
                    _("more than {limit:,} characters in a row without a space").format(limit=MAX_RUN),
                    _("break the text up"),
                )
            )
        if "<" in line and not raw_reported:
            for tag in _RAW_TAG.finditer(line):
                step = -1 if tag.group(1) else 1
                raw_depth = max(0, raw_depth + step)
                if tag.group(2).lower() == "table":
                    raw_tables = max(0, raw_tables + step)
                if raw_tables > MAX_RAW_TABLE_NESTING or raw_depth > MAX_RAW_NESTING:
                    raw_reported = True
                    out.append((n, _("HTML tables or lists nested too deeply"), _("do not put tables inside tables")))
                    break
        m = _NESTING.match(line)
        depth = len(m.group(1).expandtabs(4)) // 2 + len(_MARKER.findall(m.group(2)))
        if depth > MAX_NESTING and deepest <= MAX_NESTING:
            out.append(
                (
                    n,
                    _("quotes and lists nested {depth} deep (at most {limit})").format(depth=depth, limit=MAX_NESTING),
                    _("use fewer '>', list markers or less indentation at the start of the line"),
                )
            )
        deepest = max(deepest, depth)
    return out


def _check_limits(body: str, first_line: int, shown: str) -> list[Finding]:
    return [
        Finding(
            shown,
            first_line + n - 1,
            1,
            ERROR,
            LIMIT_CODE,
            _("this lesson is too complex to show: {message}").format(message=message),
            hint,
        )
        for n, message, hint in body_limit_problems(body)
    ]


def _check_body(body: str, first_line: int, shown: str) -> list[Finding]:
    out: list[Finding] = []
    open_at: int | None = None
    for n, raw in enumerate(body.split("\n")):
        m = FENCE.match(raw.strip())
        if not m:
            continue
        kind = m.group(1).lower()
        if kind and open_at is None:
            if kind not in CALLOUTS:
                guess = closest(kind, CALLOUTS)
                out.append(
                    Finding(
                        shown,
                        first_line + n,
                        5,
                        ERROR,
                        "L012",
                        _("unknown call-out '::: {kind}'").format(kind=kind),
                        _("did you mean {name}?").format(name=guess)
                        if guess
                        else _("use try, avoid, remember, note or warning"),
                    )
                )
            open_at = first_line + n
        elif not kind and open_at is not None:
            open_at = None
        elif kind and open_at is not None:
            out.append(
                Finding(
                    shown,
                    open_at,
                    1,
                    ERROR,
                    "L013",
                    _("this call-out is not closed before the next one starts"),
                    _("end it with a line ':::'"),
                )
            )
            open_at = first_line + n
    if open_at is not None:
        out.append(
            Finding(shown, open_at, 1, ERROR, "L013", _("this call-out is never closed"), _("end it with a line ':::'"))
        )
    return out


def load_module_lessons(
    content_dir: Path, program: Program | None, shown_base: Path | None = None
) -> tuple[dict[str, list[Lesson]], list[Finding]]:
    """Every lesson under content/lessons, by module, in the program's or the files' order.

    Translations (01-x.es.md) are not lessons of their own: each is checked against its source and
    attached to it (``lesson.translations["es"]``)."""
    root = content_dir / "lessons"
    by_module: dict[str, list[Lesson]] = {}
    findings: list[Finding] = []
    if not root.is_dir():
        return by_module, findings
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        lessons: list[Lesson] = []
        seen: dict[str, str] = {}
        by_path: dict[Path, Lesson] = {}
        paths = sorted(folder.rglob("*.md"))
        for path in paths:
            if split_language(path)[1] is not None:
                continue
            shown = display_path(path, shown_base)
            lesson, fs = load_lesson(path, folder.name, program, shown)
            findings.extend(fs)
            if lesson is None:
                continue
            by_path[path] = lesson
            if lesson.id in seen:
                f = Finding(
                    shown,
                    1,
                    1,
                    ERROR,
                    "L015",
                    _("lesson id {id!r} is already used by {file}").format(id=lesson.id, file=seen[lesson.id]),
                    _("give each lesson its own id"),
                )
                findings.append(f)
                lesson.findings.append(f)
                continue
            seen[lesson.id] = shown
            lessons.append(lesson)
        for path in paths:
            if split_language(path)[1] is not None:
                findings.extend(_load_translation(path, folder.name, program, display_path(path, shown_base), by_path))
        by_module[folder.name] = _ordered(lessons, program, folder.name, findings, shown_base, content_dir)
    return by_module, findings


def _load_translation(
    path: Path, module_id: str, program: Program | None, shown: str, sources: dict[Path, Lesson] | None = None
) -> list[Finding]:
    """Load a lesson translation, check it against its source and attach it; its findings."""
    lang = language_of(path)
    source_path = path.with_name(split_language(path)[0] + ".md")
    source = (sources or {}).get(source_path)
    if source is None and source_path.is_file():
        source = load_lesson(source_path, module_id, program)[0]
    translated, out = load_lesson(path, module_id, program, shown)
    out = list(out)
    if source is None:
        extra = [no_source_finding(shown, path, lang, "lesson")] if not source_path.is_file() else []
    elif lang == SOURCE_LANGUAGE:
        extra = [finding(shown, 1, 1, "X312", source_language_message(path.name, lang))]
    elif translated is None:
        extra = []
    else:
        extra = compare_lessons(source, translated)
        if not extra and lang in source.translations:  # pragma: no cover - one file per name
            extra = [finding(shown, 1, 1, "X312", _("a second translation into '{language}'").format(language=lang))]
    out.extend(extra)
    if translated is not None:
        translated.findings.extend(extra)
        if source is not None and lang != SOURCE_LANGUAGE:
            source.translations[lang] = translated
    return out


def compare_lessons(source: Lesson, translated: Lesson) -> list[Finding]:
    """X302, X310, X311: what a lesson translation changes that records and scores depend on."""
    shown = translated.shown
    out: list[Finding] = []
    if translated.id != source.id:
        out.append(
            finding(
                shown,
                translated.id_line,
                1,
                "X302",
                _("the lesson id is '{id}'; its source {source} has '{source_id}'").format(
                    id=translated.id, source=source.shown, source_id=source.id
                ),
                _("use 'id: {id}' (or no id, and the source's file name with the language)").format(id=source.id),
            )
        )
    src_q, tr_q = source.questions, translated.questions
    if len(src_q) != len(tr_q):
        line = tr_q[len(src_q)].line if len(tr_q) > len(src_q) else translated.questions_line
        message = ngettext(
            "the knowledge check has {n} question; its source {source} has {count}",
            "the knowledge check has {n} questions; its source {source} has {count}",
            len(tr_q),
        ).format(n=len(tr_q), source=source.shown, count=len(src_q))
        out.append(finding(shown, line, 1, "X310", message))
    kinds = {"single": N_("one answer"), "multiple": N_("several answers"), "true_false": N_("true or false")}
    for sq, tq in zip(src_q, tr_q, strict=False):
        if sq.kind != tq.kind:
            message = _("question {n} is of the kind '{kind}'; in the source it is '{source_kind}'").format(
                n=tq.index + 1, kind=_(kinds[tq.kind]), source_kind=_(kinds[sq.kind])
            )
        elif len(sq.options) != len(tq.options):
            message = ngettext(
                "question {n} has {count} option; in the source it has {source_count}",
                "question {n} has {count} options; in the source it has {source_count}",
                len(tq.options),
            ).format(n=tq.index + 1, count=len(tq.options), source_count=len(sq.options))
        elif sq.correct_indexes != tq.correct_indexes:
            if sq.kind == "true_false":
                message = _("question {n} gives another true/false answer than the source").format(n=tq.index + 1)
            else:
                message = _("question {n} marks other options correct than the source").format(n=tq.index + 1)
        else:
            continue
        out.append(finding(shown, tq.line, 1, "X311", message))
    return out


def _ordered(
    lessons: list[Lesson], program: Program | None, module_id: str, findings: list[Finding], shown_base, content_dir
) -> list[Lesson]:
    module = program.module(module_id) if program else None
    if module is None or module.lessons is None:
        return lessons
    by_id = {l.id: l for l in lessons}
    ordered = []
    for lid in module.lessons:
        if lid in by_id:
            ordered.append(by_id.pop(lid))
        else:
            guess = closest(lid, by_id)
            findings.append(
                Finding(
                    display_path(content_dir / "program.yaml", shown_base),
                    1,
                    1,
                    ERROR,
                    "P008",
                    _("module {module!r} lists lesson {lesson!r}, which does not exist").format(
                        module=module_id, lesson=lid
                    ),
                    _("did you mean {name}?").format(name=guess) if guess else "",
                )
            )
    return ordered + list(by_id.values())


def check_lessons(content_dir: Path, program: Program | None, shown_base: Path | None = None) -> list[Finding]:
    """The findings for every lesson of a content folder (used by `peer-trainer check`)."""
    return load_module_lessons(content_dir, program, shown_base)[1]


def check_lesson_file(path: Path, program: Program | None, shown: str | None = None) -> list[Finding]:
    """One lesson file given by name: a source alone, a translation with its source."""
    path = Path(path)
    shown = shown or display_path(path)
    if split_language(path)[1] is not None:
        return _load_translation(path, path.parent.name, program, shown)
    return list(load_lesson(path, path.parent.name, program, shown)[1])
