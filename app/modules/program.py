"""content/program.yaml: the competencies, the modules in order, and what completion needs.

The file is validated with pydantic; every problem becomes a Finding at the line where it is,
using the positions kept by located_yaml.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from app.core.i18n import SOURCE_LANGUAGE, _

from .findings import ERROR, Finding, display_path
from .located_yaml import YAMLProblem, load_located
from .textfile import read_text_file

PROGRAM_FILE = "program.yaml"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_PASS_MARK = 80  # percent, when neither program.yaml nor the school's settings say


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Competency(_Strict):
    id: str = ""
    name: str
    description: str = ""
    behaviours: list[str] = Field(default_factory=list)


Count = int | Literal["all", "none"]


class ModuleRequirements(_Strict):
    """What completes a module. `all`/`none` or a number of items."""

    lessons: Count = "all"  # lessons read to the end
    knowledge_checks: Count = "all"  # knowledge checks passed
    scenarios: Count = "all"  # scenarios passed
    sign_offs: list[str] = Field(default_factory=list)  # competencies a trainer must sign off


class Module(_Strict):
    id: str
    title: str
    summary: str = ""
    competencies: list[str] = Field(default_factory=list)
    lessons: list[str] | None = None  # order of lesson ids; None: the lesson files' own order
    scenarios: list[str] | None = None  # order of scenario ids; None: scenarios naming this module
    requires: ModuleRequirements = Field(default_factory=ModuleRequirements)

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not KEBAB.match(v):
            raise ValueError(f"module id {v!r} must be kebab-case, like 'active-listening'")
        return v


class CertificateRequirements(_Strict):
    modules: list[str] | Literal["all"] = "all"
    sign_offs: list[str] = Field(default_factory=list)


class Certificate(_Strict):
    title: str = "Certificate of completion"
    requires: CertificateRequirements = Field(default_factory=CertificateRequirements)


class Program(_Strict):
    title: str
    description: str = ""
    knowledge_check_pass_mark: int | None = Field(default=None, ge=1, le=100)
    competencies: dict[str, Competency]
    modules: list[Module]
    certificate: Certificate = Field(default_factory=Certificate)
    # Translations (program.es.yaml beside program.yaml): same structure, other words. Attached to the
    # source by load_program when they check clean; a translation's own language is in `_language`.
    _translations: dict[str, Program] = PrivateAttr(default_factory=dict)
    _language: str = PrivateAttr(default=SOURCE_LANGUAGE)

    @property
    def language(self) -> str:
        return self._language

    @property
    def translations(self) -> dict[str, Program]:
        """language -> the program in that language (only on the source; only translations that check clean)."""
        return self._translations

    def in_language(self, language: str | None) -> Program:
        """This program in `language` where a translation exists, else this program (the source).

        A translation has the source's structure (the checker holds it to that: X313-X317), so it
        answers every question about modules, requirements and competencies as the source does; only
        its words differ. Records keep ids, and sign-offs keep the source's behaviour wording: use a
        translation for what a person reads, the source for what is stored."""
        if not language or language == self._language:
            return self
        return self._translations.get(language, self)

    def module_title(self, module_id: str, language: str | None = None) -> str:
        """The module's title in `language` where translated (the source's otherwise); the id if unknown."""
        m = self.in_language(language).module(module_id) or self.module(module_id)
        return m.title if m else module_id

    def behaviour_text(self, cid: str, behaviour: str, language: str | None = None) -> str:
        """A behaviour as stored in a sign-off (program.yaml's words) in `language`: the translation's
        behaviour at the same place, where there is one; else as stored."""
        source = self.competencies.get(cid)
        shown = self.in_language(language).competencies.get(cid)
        if source is None or shown is None or behaviour not in source.behaviours:
            return behaviour
        i = source.behaviours.index(behaviour)
        return shown.behaviours[i] if i < len(shown.behaviours) else behaviour

    def module(self, module_id: str) -> Module | None:
        for m in self.modules:
            if m.id == module_id:
                return m
        return None

    @property
    def module_ids(self) -> list[str]:
        return [m.id for m in self.modules]

    def competency_name(self, cid: str, language: str | None = None) -> str:
        """The competency's name (in `language` where translated); a readable form of the id if unknown."""
        c = self.in_language(language).competencies.get(cid) or self.competencies.get(cid)
        return c.name if c else cid.replace("_", " ").capitalize()


def find_program_file(start: Path) -> Path | None:
    """The nearest program.yaml in `start` (a file's folder or a folder) or above it."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        candidate = folder / PROGRAM_FILE
        if candidate.is_file():
            return candidate
    return None


def closest(name: str, known) -> str | None:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def load_program(content_dir: Path, shown_base: Path | None = None) -> tuple[Program | None, list[Finding]]:
    """Load and validate `content_dir/program.yaml`, and its translations beside it (program.es.yaml):
    each is checked against it (X312-X317) and attached when it checks clean."""
    path = content_dir / PROGRAM_FILE
    shown = display_path(path, shown_base)
    if not path.is_file():
        return None, [
            Finding(
                shown,
                1,
                1,
                ERROR,
                "P001",
                _("program.yaml is missing"),
                _("a content folder needs a program.yaml; see docs/lesson-format.md"),
            )
        ]
    program, _located, findings = _parse_program(path, shown)
    if program is not None:
        from .program_translations import load_translations

        findings.extend(load_translations(content_dir, program, shown_base))
    return program, findings


def _parse_program(path: Path, shown: str) -> tuple[Program | None, object, list[Finding]]:
    """One program file (the source or a translation): the program, where its values are, its findings."""
    tf, findings = read_text_file(path, shown)
    if tf is None:
        return None, None, list(findings)
    try:
        located = load_located(tf.text)
    except YAMLProblem as p:
        return None, None, [Finding(shown, p.line, p.column, ERROR, p.code, p.message, p.hint)]
    data = located.data
    if not isinstance(data, dict):
        return (
            None,
            located,
            [
                Finding(
                    shown,
                    1,
                    1,
                    ERROR,
                    "P002",
                    _("program.yaml must be a mapping of keys such as title, competencies and modules"),
                )
            ],
        )
    # Competency ids are the mapping keys; copy them into the objects for convenience.
    comps = data.get("competencies")
    if isinstance(comps, dict):
        for cid, c in comps.items():
            if isinstance(c, dict) and "id" not in c:
                c["id"] = cid
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line, col = located.where(loc)
            where = ".".join(str(p) for p in loc) or "program"
            msg = err["msg"]
            hint = ""
            if err["type"] == "extra_forbidden" and loc:
                line, col = located.where(loc, key=True)
                parent_known = _known_keys_for(loc)
                guess = closest(str(loc[-1]), parent_known) if parent_known else None
                msg = _("unknown key {key}").format(key=repr(loc[-1]))
                hint = _("did you mean {guess}?").format(guess=guess) if guess else ""
            out.append(
                Finding(shown, line, col, ERROR, "P003", _("{where}: {problem}").format(where=where, problem=msg), hint)
            )
        return None, located, out
    return program, located, _cross_check(program, located, shown)


def _known_keys_for(loc: tuple) -> list[str]:
    names = [p for p in loc[:-1] if isinstance(p, str)]
    model: type[BaseModel] = Program
    fields = {"competencies": Competency, "modules": Module, "requires": None, "certificate": Certificate}
    for n in names:
        if n == "requires":
            model = ModuleRequirements if model is Module else CertificateRequirements
        elif n in fields and fields[n] is not None:
            model = fields[n]
    return list(model.model_fields)


def _cross_check(program: Program, located, shown: str) -> list[Finding]:
    out: list[Finding] = []
    for cid in program.competencies:
        if not SNAKE.match(cid):
            line, col = located.where(("competencies", cid), key=True)
            out.append(
                Finding(
                    shown,
                    line,
                    col,
                    ERROR,
                    "P004",
                    _("competency id {id} must be snake_case, like 'active_listening'").format(id=repr(cid)),
                )
            )
    seen: set[str] = set()
    for i, m in enumerate(program.modules):
        if m.id in seen:
            line, col = located.where(("modules", i, "id"))
            out.append(
                Finding(shown, line, col, ERROR, "P005", _("module id {id} is used twice").format(id=repr(m.id)))
            )
        seen.add(m.id)
        for j, cid in enumerate(m.competencies):
            out.extend(_unknown_competency(program, located, shown, ("modules", i, "competencies", j), cid))
        for j, cid in enumerate(m.requires.sign_offs):
            out.extend(_unknown_competency(program, located, shown, ("modules", i, "requires", "sign_offs", j), cid))
    for j, cid in enumerate(program.certificate.requires.sign_offs):
        out.extend(_unknown_competency(program, located, shown, ("certificate", "requires", "sign_offs", j), cid))
    mods = program.certificate.requires.modules
    if isinstance(mods, list):
        for j, mid in enumerate(mods):
            if mid not in seen:
                line, col = located.where(("certificate", "requires", "modules", j))
                guess = closest(mid, seen)
                out.append(
                    Finding(
                        shown,
                        line,
                        col,
                        ERROR,
                        "P006",
                        _("unknown module {id}").format(id=repr(mid)),
                        _("did you mean {guess}?").format(guess=guess) if guess else "",
                    )
                )
    return out


def _unknown_competency(program: Program, located, shown: str, loc: tuple, cid: str) -> list[Finding]:
    if cid in program.competencies:
        return []
    line, col = located.where(loc)
    guess = closest(cid, program.competencies)
    return [
        Finding(
            shown,
            line,
            col,
            ERROR,
            "P007",
            _("unknown competency {id}").format(id=repr(cid)),
            _("did you mean {guess}?").format(guess=guess) if guess else "",
        )
    ]
