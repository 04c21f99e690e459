"""Issue 18 items 5 and 8: lessons and scenarios in several languages.

A translation (x.es.md beside x.md) is attached to its source, never loaded as a lesson or scenario of
its own; the checker holds it to its source's structure (X301-X312, each at its line in the translation);
a reader in that language gets it, anyone else the source, marked as such.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scenario_helpers import CONTENT as FIXTURE_CONTENT
from scenario_helpers import GIVE_AWAY

from app.modules.content import load_content
from app.modules.lessons import load_module_lessons
from app.modules.scenario import load_scenarios
from app.modules.scenario.loader import check_paths, scenario_files
from app.modules.translations import CODES, in_language, is_untranslated, split_language

REPO = Path(__file__).resolve().parent.parent

SCENARIO = """---
id: base
title: Base
module: confidentiality
competencies: [confidentiality]
variables: {trust: 0}
pass: {confidentiality: 1}
---

## start

Hello.

- [Go](#end) {confidentiality: +1}
  > Fine.
- [Wait](#middle) {trust: +1}
  > Okay.

## middle

::: if trust > 0
You waited.
:::

- [Go on](#end) {confidentiality: +1} if trust > 0
  > Good.
- [Leave](#end)
  > Hm.

## end {ending: success}

Done.
"""

SPANISH = """---
id: base
title: Base (en español)
module: confidentiality
competencies: [confidentiality]
variables: {trust: 0}
pass: {confidentiality: 1}
---

## start

Hola.

- [Adelante](#end) {confidentiality: +1}
  > Bien.
- [Espera](#middle) {trust: +1}
  > Vale.

## middle

::: if trust > 0
Has esperado.
:::

- [Sigue](#end) {confidentiality: +1} if trust > 0
  > Bien.
- [Vete](#end)
  > Mmm.

## end {ending: success}

Hecho.
"""

LESSON = """---
title: Open questions
questions:
  - prompt: Which is an open question?
    options:
      - text: Did you have a bad day?
        why: It can be answered with yes or no.
      - text: What's been going on?
        correct: true
        why: It invites a story.
      - text: Why are you sad?
        why: A why question can sound like blame.
  - prompt: Asking about suicide puts the idea in someone's head.
    answer: false
    explanation: Asking directly does not plant the idea.
---

Jordan pushes the tray away.
"""

LESSON_ES = """---
title: Preguntas abiertas
questions:
  - prompt: ¿Cuál es una pregunta abierta?
    options:
      - text: ¿Has tenido un mal día?
        why: Se puede responder con sí o no.
      - text: ¿Qué ha estado pasando?
        correct: true
        why: Invita a contar la historia.
      - text: ¿Por qué estás triste?
        why: Un «por qué» puede sonar a reproche.
  - prompt: Preguntar por el suicidio mete la idea en la cabeza.
    answer: false
    explanation: Preguntar directamente no siembra la idea.
---

Jordan aparta la bandeja.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    shutil.copy(FIXTURE_CONTENT / "program.yaml", root / "program.yaml")
    (root / "lessons" / "confidentiality").mkdir(parents=True)
    (root / "scenarios").mkdir()
    (root / "lessons" / "confidentiality" / "01-open-questions.md").write_text(LESSON, encoding="utf-8")
    (root / "scenarios" / "base.md").write_text(SCENARIO, encoding="utf-8")
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def findings_of(root: Path, name: str) -> list[tuple[str, int]]:
    found = load_content(root, shown_base=root).findings
    return [(f.code, f.line) for f in found if f.path.endswith(name) and f.code not in GIVE_AWAY]


def scenario_es(root: Path, text: str) -> list[tuple[str, int]]:
    write(root / "scenarios" / "base.es.md", text)
    return findings_of(root, "base.es.md")


def lesson_es(root: Path, text: str) -> list[tuple[str, int]]:
    write(root / "lessons" / "confidentiality" / "01-open-questions.es.md", text)
    return findings_of(root, "01-open-questions.es.md")


# --- the layout -----------------------------------------------------------------------------


def test_language_before_the_extension():
    assert split_language(Path("01-open-questions.es.md")) == ("01-open-questions", "es")
    assert split_language(Path("x.pt-BR.yaml")) == ("x", "pt-BR")
    assert split_language(Path("01-open-questions.md")) == ("01-open-questions", None)
    assert split_language(Path("notes.v2.md")) == ("notes.v2", None)  # not a language tag


def test_translations_are_not_loaded_as_lessons_or_scenarios(content: Path):
    write(content / "lessons" / "confidentiality" / "01-open-questions.es.md", LESSON_ES)
    write(content / "scenarios" / "base.es.md", SPANISH)
    loaded = load_content(content)
    assert [l.id for l in loaded.lessons["confidentiality"]] == ["open-questions"]
    assert [s.id for s in loaded.scenarios] == ["base"]
    assert [f for f in loaded.findings if f.code not in GIVE_AWAY] == []  # no duplicate ids (L015, S108)
    assert scenario_files(content / "scenarios") == [content / "scenarios" / "base.md"]
    lesson = loaded.lessons["confidentiality"][0]
    assert set(lesson.translations) == {"es"} and lesson.translations["es"].title == "Preguntas abiertas"
    assert set(loaded.scenarios[0].translations) == {"es"}
    assert len(loaded.translations()) == 2


def test_a_reader_gets_their_language_or_the_source_marked_as_such(content: Path):
    write(content / "lessons" / "confidentiality" / "01-open-questions.es.md", LESSON_ES)
    write(content / "scenarios" / "base.es.md", SPANISH)
    loaded = load_content(content)
    es = loaded.lesson("confidentiality", "open-questions", "es")
    assert es.title == "Preguntas abiertas" and es.language == "es" and not is_untranslated(es, "es")
    assert es.id == "open-questions" and [q.correct_indexes for q in es.questions] == [
        frozenset({1}),
        frozenset({1}),
    ]
    fr = loaded.lesson("confidentiality", "open-questions", "fr")
    assert fr.title == "Open questions" and is_untranslated(fr, "fr") and loaded.is_untranslated(fr, "fr")
    assert [l.title for l in loaded.module_lessons("confidentiality", "es")] == ["Preguntas abiertas"]
    assert loaded.module_content("confidentiality").lessons == ["open-questions"]  # the same ids
    sc = loaded.scenario("base", "es")
    assert sc.title == "Base (en español)" and sc.id == "base" and not is_untranslated(sc, "es")
    assert [s.title for s in loaded.module_scenarios("confidentiality", "es")] == ["Base (en español)"]
    assert loaded.scenario("base", "en").title == "Base" and not is_untranslated(loaded.scenario("base"), "en")


def test_a_broken_translation_is_not_shown(content: Path):
    write(content / "scenarios" / "base.es.md", SPANISH.replace("(#middle) {trust: +1}", "(#middle) {trust: +2}"))
    loaded = load_content(content)
    assert loaded.scenario("base", "es").language == "en"
    assert in_language(loaded.scenarios[0], "es") is loaded.scenarios[0]


# --- the checker ----------------------------------------------------------------------------


def test_identical_structure_is_clean(content: Path):
    assert scenario_es(content, SPANISH) == []
    assert lesson_es(content, LESSON_ES) == []


def test_a_dropped_choice_is_an_error_at_its_line(content: Path):
    text = SPANISH.replace("- [Adelante](#end) {confidentiality: +1}\n  > Bien.\n", "")
    assert scenario_es(content, text) == [("X306", line_of(text, "[Espera]"))]  # where it would stand
    text = SPANISH.replace("- [Espera](#middle) {trust: +1}\n  > Vale.\n", "")
    found = scenario_es(content, text)
    assert ("X306", line_of(text, "[Adelante]")) in found  # after the last choice; S202: middle is unreachable
    text = SPANISH.replace("- [Sigue](#end) {confidentiality: +1} if trust > 0\n  > Bien.\n", "")
    assert scenario_es(content, text) == [("X306", line_of(text, "[Vete]"))]


def test_an_added_choice_is_an_error_at_its_line(content: Path):
    text = SPANISH.replace("- [Vete](#end)\n", "- [Vete](#end)\n  > Mmm.\n- [Corre](#end) {trust: +1}\n")
    assert scenario_es(content, text) == [("X306", line_of(text, "[Corre]"))]


def test_a_changed_effect_target_or_condition_is_an_error_at_its_line(content: Path):
    text = SPANISH.replace("(#middle) {trust: +1}", "(#middle) {trust: +2}")
    assert scenario_es(content, text) == [("X308", line_of(text, "{trust: +2}"))]
    text = SPANISH.replace("[Vete](#end)", "[Vete](#start)")
    assert scenario_es(content, text) == [("X307", line_of(text, "[Vete]"))]
    text = SPANISH.replace("} if trust > 0", "} if trust > 1")
    assert scenario_es(content, text) == [("X309", line_of(text, "if trust > 1"))]
    text = SPANISH.replace("::: if trust > 0", "::: if trust >= 0")
    assert [c for c, _ in scenario_es(content, text)] == ["X309"]


def test_changed_nodes_endings_and_header_are_errors(content: Path):
    text = SPANISH.replace("## end {ending: success}", "## end {ending: neutral}")
    assert scenario_es(content, text) == [("X305", line_of(text, "## end"))]
    text = SPANISH.replace("pass: {confidentiality: 1}", "pass: {confidentiality: 0}")
    assert [c for c, _ in scenario_es(content, text)] == ["X303"]
    text = SPANISH.replace("id: base", "id: base-es")
    assert scenario_es(content, text) == [("X302", 2)]
    text = SPANISH + "\n## extra {ending: failure}\n\nOtra.\n"
    assert ("X304", line_of(text, "## extra")) in scenario_es(content, text)


def test_an_orphan_translation_is_an_error(content: Path):
    write(content / "scenarios" / "missing.es.md", SPANISH)
    write(content / "lessons" / "confidentiality" / "02-nothing.es.md", LESSON_ES)
    loaded = load_content(content, shown_base=content)
    assert ("X301", 1) in [(f.code, f.line) for f in loaded.findings if f.path.endswith("missing.es.md")]
    assert ("X301", 1) in [(f.code, f.line) for f in loaded.findings if f.path.endswith("02-nothing.es.md")]
    assert [s.id for s in loaded.scenarios] == ["base"]


def test_lesson_questions_must_match(content: Path):
    extra = LESSON_ES.replace(
        "---\n\nJordan",
        "  - prompt: ¿Otra?\n    answer: true\n    explanation: Sí.\n---\n\nJordan",
    )
    assert lesson_es(content, extra) == [("X310", line_of(extra, "¿Otra?"))]
    moved = LESSON_ES.replace(
        "      - text: ¿Qué ha estado pasando?\n        correct: true\n",
        "      - text: ¿Qué ha estado pasando?\n",
    ).replace("      - text: ¿Por qué estás triste?\n", "      - text: ¿Por qué estás triste?\n        correct: true\n")
    assert lesson_es(content, moved) == [("X311", line_of(moved, "¿Cuál es"))]
    flipped = LESSON_ES.replace("answer: false", "answer: true")
    assert lesson_es(content, flipped) == [("X311", line_of(flipped, "Preguntar por el suicidio"))]
    why = "      - text: ¿Por qué estás triste?\n        why: Un «por qué» puede sonar a reproche.\n"
    dropped = LESSON_ES.replace(why, "")
    assert lesson_es(content, dropped) == [("X311", line_of(dropped, "¿Cuál es"))]
    renamed = "---\nid: other\n" + LESSON_ES[4:]
    assert lesson_es(content, renamed) == [("X302", 2)]


def test_check_paths_checks_a_translation_given_by_name(content: Path):
    path = write(content / "scenarios" / "base.es.md", SPANISH.replace("[Vete](#end)", "[Vete](#start)"))
    assert [f.code for f in check_paths([path]) if f.code not in GIVE_AWAY] == ["X307"]
    lesson = write(content / "lessons" / "confidentiality" / "01-open-questions.es.md", LESSON_ES)
    assert [f.code for f in check_paths([lesson]) if f.code not in GIVE_AWAY] == []
    assert [f.code for f in check_paths([content]) if f.code not in GIVE_AWAY] == ["X307"]
    scenarios, findings = load_scenarios(content / "scenarios")
    assert [s.id for s in scenarios] == ["base"] and "X307" in [f.code for f in findings]


def test_every_code_is_documented():
    docs = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8") + (
        REPO / "docs" / "lesson-format.md"
    ).read_text(encoding="utf-8")
    for code in CODES:
        assert code in docs, code


def test_the_records_use_the_source_ids(content: Path):
    write(content / "lessons" / "confidentiality" / "01-open-questions.es.md", LESSON_ES)
    by_module, _findings = load_module_lessons(content, None)
    lesson = by_module["confidentiality"][0]
    assert lesson.translations["es"].id == lesson.id and lesson.translations["es"].content_hash != lesson.content_hash


# --- the worked example: the introduction module in Spanish ---------------------------------

SHIPPED = REPO / "content"


def test_the_spanish_introduction_checks_clean_and_is_attached():
    from app.modules.scenario import check_content_folder

    findings = check_content_folder(SHIPPED, REPO)
    assert [f.format() for f in findings if ".es." in f.path] == []
    loaded = load_content(SHIPPED)
    lessons = loaded.lessons["introduction"]
    assert len(lessons) == 3 and all(set(l.translations) == {"es"} for l in lessons)
    assert all(not l.translations["es"].findings for l in lessons)
    intro = [s for s in loaded.scenarios if s.module == "introduction"]
    assert len(intro) == 3 and all(set(s.translations) == {"es"} for s in intro)
    assert all(not s.translations["es"].findings for s in intro)
    assert len(loaded.module_content("introduction").lessons) == 3  # the same lessons count, whatever the language


def test_dropping_a_choice_from_the_spanish_example_is_reported_at_its_line(tmp_path):
    shutil.copytree(SHIPPED, tmp_path / "content")
    path = tmp_path / "content" / "scenarios" / "introduction" / "the-last-thursday.es.md"
    text = path.read_text(encoding="utf-8")
    dropped = (
        "- [«Sí, ha ido bien.»](#next-steps)\n  > Bastante cálido, pero te acaba de contar algo de lo que está "
        "orgulloso, y ha pasado sin que nadie lo note.\n"
    )
    assert dropped in text
    text = text.replace(dropped, "")
    path.write_text(text, encoding="utf-8")
    found = [f for f in check_paths([path]) if f.code not in GIVE_AWAY]
    assert [(f.code, f.line) for f in found] == [("X306", line_of(text, "[«¿Ves? Ya te dije"))]
    assert "drops the source's choice leading to (#next-steps)" in found[0].message


def test_analyse_reads_the_sources_only():
    from app.modules.assessment_analysis import analyse_paths

    report = analyse_paths([str(SHIPPED / "lessons" / "introduction"), str(SHIPPED / "scenarios" / "introduction")])
    assert not report.problems
    assert len(report.results) == 6 and not any(".es." in r.path for r in report.results)
