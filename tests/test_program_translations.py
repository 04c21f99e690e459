"""Issue 18 item 5: the program file in several languages (program.es.yaml beside program.yaml).

A translation has the same ids and structure as program.yaml (X312-X317 at its line otherwise); a
clean one is attached to the source and gives module titles and competency names in its language;
records keep ids, and the shipped translations (es, fr, ar) check clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from waiting import settled

from app.modules.content import load_content
from app.modules.content_overview import content_files
from app.modules.program import load_program
from app.modules.program_translations import is_program_translation, translation_files
from app.modules.scenario.loader import check_paths

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "content"

SOURCE = """title: Training
knowledge_check_pass_mark: 80
competencies:
  listening:
    name: Listening
    description: Listening well.
    behaviours:
      - Faces the person
      - Asks open questions
  care:
    name: Care
    behaviours:
      - Checks in
modules:
  - id: intro
    title: Welcome
    summary: The start.
    competencies: [care]
    requires:
      lessons: all
      scenarios: none
  - id: listen
    title: Listening
    summary: Open questions.
    competencies: [listening, care]
    requires:
      scenarios: 2
      sign_offs: [listening]
certificate:
  title: Certificate of completion
  requires:
    modules: all
    sign_offs: [listening]
"""

SPANISH = """title: Formación
knowledge_check_pass_mark: 80
competencies:
  listening:
    name: Escucha
    description: Escuchar bien.
    behaviours:
      - Mira a la persona
      - Hace preguntas abiertas
  care:
    name: Cuidado
    behaviours:
      - Pregunta cómo está
modules:
  - id: intro
    title: Bienvenida
    summary: El comienzo.
    competencies: [care]
    requires:
      lessons: all
      scenarios: none
  - id: listen
    title: Escuchar
    summary: Preguntas abiertas.
    competencies: [listening, care]
    requires:
      scenarios: 2
      sign_offs: [listening]
certificate:
  title: Certificado de finalización
  requires:
    modules: all
    sign_offs: [listening]
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "program.yaml").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_clean_translation_is_attached_and_gives_the_words_in_its_language(folder: Path):
    (folder / "program.es.yaml").write_text(SPANISH, encoding="utf-8")
    program, findings = load_program(folder)
    assert findings == []
    assert set(program.translations) == {"es"} and program.translations["es"].language == "es"
    assert program.language == "en"
    assert program.module_title("listen", "es") == "Escuchar"
    assert program.competency_name("listening", "es") == "Escucha"
    es = program.in_language("es")
    assert es.title == "Formación" and es.certificate.title == "Certificado de finalización"
    assert es.competencies["care"].behaviours == ["Pregunta cómo está"]
    # The source where there is no translation, or no language asked for; the id for unknown ids.
    assert program.in_language("fr") is program and program.in_language(None) is program
    assert program.module_title("listen", "fr") == "Listening" and program.module_title("listen") == "Listening"
    assert program.competency_name("listening") == "Listening"
    assert program.module_title("nowhere", "es") == "nowhere"
    # Same structure: anything that reads requirements gets the same answer from either.
    assert es.module_ids == program.module_ids
    assert es.module("listen").requires == program.module("listen").requires


def test_a_dropped_module_is_reported_at_its_line_and_the_translation_is_not_used(folder: Path):
    text = SPANISH.replace(
        "  - id: intro\n    title: Bienvenida\n    summary: El comienzo.\n    competencies: [care]\n"
        "    requires:\n      lessons: all\n      scenarios: none\n",
        "",
    )
    (folder / "program.es.yaml").write_text(text, encoding="utf-8")
    program, findings = load_program(folder)
    assert codes(findings) == [("X313", line_of(text, "modules:"))]
    assert "'intro'" in findings[0].message and findings[0].path.endswith("program.es.yaml")
    assert program.translations == {} and program.module_title("listen", "es") == "Listening"


def test_an_added_renamed_or_moved_module_is_reported_at_its_id(folder: Path):
    renamed = SPANISH.replace("- id: listen", "- id: escuchar")
    (folder / "program.es.yaml").write_text(renamed, encoding="utf-8")
    assert codes(load_program(folder)[1]) == [("X313", line_of(renamed, "id: escuchar"))]

    added = SPANISH.replace("certificate:", "  - id: extra\n    title: Extra\ncertificate:")
    (folder / "program.es.yaml").write_text(added, encoding="utf-8")
    assert codes(load_program(folder)[1]) == [("X313", line_of(added, "id: extra"))]

    first, second = SPANISH.split("  - id: listen")
    head, intro = first.split("  - id: intro")
    second, tail = second.split("certificate:")
    moved = head + "  - id: listen" + second + "  - id: intro" + intro + "certificate:" + tail
    (folder / "program.es.yaml").write_text(moved, encoding="utf-8")
    found = load_program(folder)[1]
    assert codes(found) == [("X313", line_of(moved, "id: listen"))] and "another place" in found[0].message


def test_competencies_dropped_added_or_with_other_behaviours(folder: Path):
    renamed = SPANISH.replace("  care:\n", "  cuidado:\n")
    (folder / "program.es.yaml").write_text(renamed, encoding="utf-8")
    found = codes(load_program(folder)[1])
    # The missing id at 'competencies:', the new one at its key (and the modules naming 'care' are fine:
    # they still name the source's id, which the translation no longer has: P007 at their line).
    assert ("X314", line_of(renamed, "competencies:")) in found
    assert ("X314", line_of(renamed, "cuidado:")) in found

    fewer = SPANISH.replace("      - Hace preguntas abiertas\n", "")
    (folder / "program.es.yaml").write_text(fewer, encoding="utf-8")
    assert codes(load_program(folder)[1]) == [("X317", line_of(fewer, "behaviours:"))]


def test_a_changed_requirement_or_module_competency_is_reported(folder: Path):
    lines = SPANISH.splitlines()
    second_requires = [i for i, line in enumerate(lines, 1) if line == "    requires:"][1]
    certificate_requires = lines.index("  requires:") + 1
    cases = [
        (SPANISH.replace("      scenarios: 2\n", "      scenarios: 1\n"), "X315", second_requires),
        (
            SPANISH.replace("competencies: [listening, care]", "competencies: [listening]"),
            "X315",
            line_of(SPANISH, "competencies: [listening, care]"),
        ),
        (
            SPANISH.replace("knowledge_check_pass_mark: 80", "knowledge_check_pass_mark: 70"),
            "X316",
            line_of(SPANISH, "knowledge_check_pass_mark"),
        ),
        (
            SPANISH.replace("    modules: all\n    sign_offs: [listening]\n", "    modules: all\n    sign_offs: []\n"),
            "X316",
            certificate_requires,
        ),
    ]
    for text, code, line in cases:
        (folder / "program.es.yaml").write_text(text, encoding="utf-8")
        program, found = load_program(folder)
        assert codes(found) == [(code, line)], (code, codes(found))
        assert program.translations == {}


def test_lessons_and_scenarios_order_and_a_missing_requires_are_structure(folder: Path):
    summary = "    summary: Preguntas abiertas.\n"
    text = SPANISH.replace(summary, summary + "    lessons: [a, b]\n")
    (folder / "program.es.yaml").write_text(text, encoding="utf-8")
    assert codes(load_program(folder)[1]) == [("X315", line_of(text, "lessons: [a, b]"))]
    text = SPANISH.replace("    requires:\n      scenarios: 2\n      sign_offs: [listening]\n", "")
    (folder / "program.es.yaml").write_text(text, encoding="utf-8")
    assert [f.code for f in load_program(folder)[1]] == ["X315"]


def test_a_broken_translation_is_reported_and_not_used(folder: Path):
    (folder / "program.fr.yaml").write_text(SPANISH.replace("    summary: El comienzo.", "    resumen: x"), "utf-8")
    program, findings = load_program(folder)
    assert [f.code for f in findings] == ["P003"] and findings[0].path.endswith("program.fr.yaml")
    assert program.translations == {}
    (folder / "program.fr.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    program, findings = load_program(folder)
    assert [f.code for f in findings] == ["Y001"] and program is not None and program.translations == {}


def test_a_translation_into_the_source_language(folder: Path):
    (folder / "program.en.yaml").write_text(SOURCE, encoding="utf-8")
    program, findings = load_program(folder)
    assert [f.code for f in findings] == ["X312"] and program.translations == {}


def test_translation_files_and_names(folder: Path):
    for name in ("program.es.yaml", "program.pt-BR.yaml", "program.backup.yaml", "programme.es.yaml"):
        (folder / name).write_text(SPANISH, encoding="utf-8")
    assert [p.name for p in translation_files(folder)] == ["program.es.yaml", "program.pt-BR.yaml"]
    assert is_program_translation(Path("program.ar.yaml")) and not is_program_translation(Path("program.yaml"))
    assert not is_program_translation(Path("program.es.md"))


def test_check_by_name_and_by_folder_reports_the_translation(folder: Path):
    text = SPANISH.replace("      scenarios: 2\n", "      scenarios: 1\n")
    (folder / "program.es.yaml").write_text(text, encoding="utf-8")
    assert [f.code for f in check_paths([folder / "program.es.yaml"])] == ["X315"]
    assert [f.code for f in check_paths([folder / "program.yaml"])] == ["X315"]
    assert [f.code for f in check_paths([folder])] == ["X315"]


def test_the_content_workspace_lists_each_program_translation_after_the_source(folder: Path):
    (folder / "program.es.yaml").write_text(SPANISH, encoding="utf-8")
    (folder / "program.fr.yaml").write_text(SPANISH.replace("- id: listen", "- id: ecouter"), encoding="utf-8")
    content = load_content(folder)
    files = [f for f in content_files(content) if f.kind == "program"]
    assert [Path(f.shown).name for f in files] == ["program.yaml", "program.es.yaml", "program.fr.yaml"]
    assert files[1].title == "Formación [es]" and files[1].state == "ok"
    assert files[2].title == "program.fr.yaml" and files[2].state == "errors"


# --- the shipped translations -----------------------------------------------------------------


def test_the_shipped_program_translations_check_clean_and_are_attached():
    program, findings = load_program(SHIPPED)
    assert findings == []
    assert set(program.translations) >= {"es", "fr", "ar"}
    for lang, translated in program.translations.items():
        assert translated.module_ids == program.module_ids, lang
        for m in program.modules:
            t = translated.module(m.id)
            assert t.title and t.summary and t.summary != m.summary, (lang, m.id)  # "Inclusion" is French too
        assert [m.title for m in translated.modules] != [m.title for m in program.modules], lang
        for cid, c in program.competencies.items():
            t = translated.competencies[cid]
            assert t.name and t.description and t.description != c.description, (lang, cid)
            assert len(t.behaviours) == len(c.behaviours)
            assert all(b and b not in c.behaviours for b in t.behaviours), (lang, cid)
        assert translated.title != program.title and translated.certificate.title != program.certificate.title
    assert program.module_title("introduction", "es") == "Bienvenida a la ayuda entre iguales"


# --- where people read them -------------------------------------------------------------------


def reading_in(monkeypatch, language: str) -> None:
    """The signed-in person reads in ``language`` (as if chosen under Display)."""
    from app.ui.common.language import apply_language

    apply_language(language)


def test_a_spanish_trainee_sees_module_titles_in_spanish(qtbot, tmp_path, monkeypatch):
    from one_trainee import signed_in_trainee

    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in(monkeypatch, "es")
    home = win._page("trainee")
    home.refresh()
    assert home.readiness.modules[0].title == "Bienvenida a la ayuda entre iguales"
    assert home.readiness.modules[0].module_id == "introduction"
    assert home.modules.item(0).text().startswith("1. Bienvenida a la ayuda entre iguales")
    assert win.ctx.reader_program.language == "es" and win.ctx.program.language == "en"
    win.ctx.shutdown()


def test_a_reader_in_a_language_without_a_translation_sees_program_yaml(qtbot, tmp_path, monkeypatch):
    from one_trainee import signed_in_trainee

    win = signed_in_trainee(qtbot, tmp_path / "data")
    reading_in(monkeypatch, "pt")
    home = win._page("trainee")
    home.refresh()
    assert home.readiness.modules[0].title == "Welcome to peer helping"
    win.ctx.shutdown()


def test_a_trainer_ticks_spanish_behaviours_and_the_sign_off_stores_program_yaml_words(
    qtbot, locations, db, monkeypatch
):
    from app.modules.records import profile_store, progress_store, school_setup
    from app.ui.common.context import AppContext
    from app.ui.staff.sign_off_page import SignOffPage

    reading_in(monkeypatch, "es")
    ctx = AppContext(locations)
    ctx.db = db
    ctx.load_content()
    coord = school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High")
    trainer = profile_store.create_profile(db, "Mr Okafor", "trainer", secret="password123", actor_id=coord.id)
    amara = profile_store.create_profile(db, "Amara Okafor", "trainee", group="9B", actor_id=coord.id)
    ctx.sign_in(trainer)
    page = SignOffPage(ctx, ask_reason=lambda *_: ("", False))
    qtbot.addWidget(page)
    page.refresh()
    page.select_trainee(amara.id)
    page.competency.setCurrentIndex(page.competency.findData("active_listening"))
    assert page.competency.currentText().startswith("Escucha activa")
    source = ctx.program.competencies["active_listening"].behaviours
    spanish = ctx.program.translations["es"].competencies["active_listening"].behaviours
    labels = [page.checklist.itemAtPosition(r, 0).widget().text() for r in range(len(source))]
    assert labels == spanish
    page.set_marks([True] * len(source))
    page.record()
    settled(qtbot)  # written off the UI thread
    [rec] = progress_store.sign_offs(db, amara.id)
    assert rec.competency_id == "active_listening" and rec.behaviours == dict.fromkeys(source, True)
    row = page.history.topLevelItem(0)
    assert row.text(1) == "Escucha activa" and spanish[0] in row.toolTip(2)
    assert ctx.program.behaviour_text("active_listening", source[1], "es") == spanish[1]
    assert ctx.program.behaviour_text("active_listening", "not a behaviour", "es") == "not a behaviour"


def test_certificates_and_the_report_are_in_the_schools_language(db, locations, tmp_path, qapp):
    from cohort_helpers import make_ready, school, trainee
    from records_helpers import coordinator_of

    from app.modules import certificate_batch as batch
    from app.modules.records import certificate_store

    content = load_content(locations.content_dir)
    coordinator, trainer = school(db)
    amara = trainee(db, "Amara Okafor", "9B", coordinator)
    make_ready(db, content, amara, trainer)
    settings = {"school.name": "Riverside High", "school.language": "fr"}
    result = batch.issue(db, locations, content, settings, [amara], tmp_path / "out", coordinator_of(db))
    [issued] = result.issued
    payload = certificate_store.by_number(db, issued.number).payload
    titles = [t for t, _d in payload["modules"]]
    assert titles[0] == "Bienvenue chez les pairs aidants" and payload["title"] == "Certificat de réussite"
    assert "Écoute active" in [c for c, _d, _by in payload["observed"]]
    # Another language asked for explicitly; records keep the ids either way.
    result = batch.issue(db, locations, content, settings, [amara], tmp_path / "ar", coordinator_of(db), language="es")
    payload = certificate_store.by_number(db, result.issued[0].number).payload
    assert payload["modules"][0][0] == "Bienvenida a la ayuda entre iguales"


def test_the_report_and_the_dashboard_rows_in_a_language(db, locations, qapp):
    from cohort_helpers import make_ready, school, trainee

    from app.modules.records import profile_store
    from app.service import Training

    content = load_content(locations.content_dir)
    coordinator, trainer = school(db)
    amara = trainee(db, "Amara Okafor", "9B", coordinator)
    make_ready(db, content, amara, trainer)
    training = Training(db, content, profile_store.get_profile(db, coordinator), locations)
    report = training.reports.build(language="ar")
    text = repr(report)
    assert "مرحبًا بك في مساعدة الأقران" in text and "Welcome to peer helping" not in text
    [row] = training.progress.summaries(training.progress.roster(), "es")
    assert row.readiness.modules[0].title == "Bienvenida a la ayuda entre iguales"
    [row] = training.progress.summaries(training.progress.roster())
    assert row.readiness.modules[0].title == "Welcome to peer helping"
    assert training.evaluation.competencies("fr")["empathy"] == "Empathie"
