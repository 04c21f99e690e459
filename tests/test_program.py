"""program.yaml: the bundled one loads; mistakes are findings at their line."""

from __future__ import annotations

from pathlib import Path

from app.modules.program import find_program_file, load_program

REPO = Path(__file__).resolve().parent.parent


def test_bundled_program_loads_cleanly():
    program, findings = load_program(REPO / "content")
    assert findings == []
    assert program.module_ids[:2] == ["introduction", "active-listening"]
    for cid in (
        "active_listening",
        "empathy",
        "confidentiality",
        "conflict_resolution",
        "warning_signs",
        "crisis_response",
        "boundaries",
    ):
        comp = program.competencies[cid]
        assert comp.id == cid and comp.description
        assert 3 <= len(comp.behaviours) <= 5


def test_minimal_program_of_the_spec_is_accepted(tmp_path):
    (tmp_path / "program.yaml").write_text(
        "title: Peer Helper Training\ncompetencies:\n  active_listening: "
        "{name: Active listening, description: Reflecting.}\n"
        "modules:\n  - id: active-listening\n    title: Active listening\n    competencies: [active_listening]\n"
    )
    program, findings = load_program(tmp_path)
    assert findings == [] and program.module("active-listening").requires.lessons == "all"


def test_unknown_key_and_competency_are_reported_with_hints(tmp_path):
    (tmp_path / "program.yaml").write_text(
        "title: T\ncompetencies:\n  active_listening: {name: A}\nmodules:\n"
        "  - id: m\n    title: M\n    competencies: [active_listenin]\n"
    )
    _p, findings = load_program(tmp_path)
    assert [(f.code, f.line) for f in findings] == [("P007", 7)]
    assert "active_listening" in findings[0].hint
    (tmp_path / "program.yaml").write_text("title: T\ncompetncies: {}\nmodules: []\n")
    _p, findings = load_program(tmp_path)
    f = next(f for f in findings if "competncies" in f.message)
    assert f.line == 2 and "competencies" in f.hint


def test_missing_program_is_a_finding(tmp_path):
    program, findings = load_program(tmp_path)
    assert program is None and findings[0].code == "P001"


def test_find_program_file_walks_up(tmp_path):
    (tmp_path / "program.yaml").write_text("title: T\ncompetencies: {}\nmodules: []\n")
    deep = tmp_path / "scenarios" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_program_file(deep / "x.md") == tmp_path / "program.yaml"
