"""`peer-trainer check | play | graph | convert`: exit statuses, lines and JSON of docs/scenario-format.md."""

from __future__ import annotations

import json
import shutil

import pytest
from scenario_helpers import BASE, CONTENT, without_give_aways

from app.cli_scenario import main


@pytest.fixture
def content(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    return dst


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_folder(capsys, content):
    code, out, _ = run(capsys, "check", content, "--format", "json")
    assert code == 0 and without_give_aways(json.loads(out)) == []


def test_check_reports_every_broken_file_and_exit_1(capsys, content):
    (content / "scenarios" / "a.md").write_text(BASE.replace("(#end)", "(#ned)"), encoding="utf-8")
    (content / "scenarios" / "b.md").write_bytes(b"\xff\xfe")
    code, out, _ = run(capsys, "check", content)
    assert code == 1
    lines = [l for l in out.splitlines() if not l.startswith("    hint:")]
    assert lines[0].endswith("a.md:13:8: S112 the choice points to #ned, which does not exist")
    assert lines[1].endswith("a.md:16:1: S202 no path from the start (#start) reaches #end")
    assert "b.md:1:1: F003" in lines[2]
    assert "    hint: did you mean #end?" in out


def test_check_json(capsys, content):
    (content / "scenarios" / "a.md").write_text(BASE.replace("  > Fine.\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "check", content, "--format", "json")
    data = without_give_aways(json.loads(out))
    assert code == 0
    assert data == [
        {
            "path": data[0]["path"],
            "line": 13,
            "column": 1,
            "severity": "warning",
            "code": "S203",
            "message": data[0]["message"],
        }
    ]
    assert data[0]["path"].endswith("a.md")


def test_check_duplicate_ids_across_files(capsys, content):
    for name in ("a.md", "b.md"):
        (content / "scenarios" / name).write_text(BASE, encoding="utf-8")
    code, out, _ = run(capsys, "check", content)
    assert code == 1 and out.count("S108") == 2
    code, out, _ = run(capsys, "check", content / "scenarios" / "a.md")  # a single file sees its neighbours
    assert code == 1 and out.count("S108") == 1 and "b.md" in out


def test_check_single_file_without_program_warns(capsys, tmp_path):
    f = tmp_path / "alone.md"
    f.write_text(BASE, encoding="utf-8")
    code, out, _ = run(capsys, "check", f)
    assert code == 0 and "S206" in out


def test_check_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "check", tmp_path / "missing")
    assert code == 2 and "no such file" in err


def test_play_choose_json(capsys, content):
    code, out, _ = run(capsys, "play", content / "scenarios" / "secret.md", "--choose", "2,1,1,9", "--json")
    assert code == 0
    assert json.loads(out) == {
        "scenario": "the-secret-in-the-group-chat",
        "ending": "told",
        "outcome": "success",
        "passed": True,
        "scores": {"confidentiality": 2, "active_listening": 2},
        "variables": {"trust": 2, "told_adult": True},
        "path": ["opening", "limits", "disclosure", "told"],
    }


def test_play_exit_codes(capsys, content, tmp_path):
    secret = content / "scenarios" / "secret.md"
    code, out, err = run(capsys, "play", secret, "--choose", "2,1")
    assert code == 3 and "ran out" in err
    code, out, err = run(capsys, "play", secret, "--choose", "2,2", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "neutral"
    code, out, err = run(capsys, "play", secret, "--choose", "2,3")
    assert code == 2 and "1. Go on, I'm listening." in err and "2. Actually" in err
    broken = tmp_path / "broken.md"
    broken.write_text(BASE.replace("(#end)", "(#x)"), encoding="utf-8")
    code, out, err = run(capsys, "play", broken, "--choose", "1")
    assert code == 1 and "S112" in err
    code, out, err = run(capsys, "play", secret)  # no --choose, stdin is not a terminal
    assert code == 3
    code, out, err = run(capsys, "play", secret, "--choose", "x")
    assert code == 2


def test_play_terminal_output(capsys, content):
    code, out, _ = run(capsys, "play", content / "scenarios" / "secret.md", "--choose", "1,2")
    assert code == 0
    assert "  1. I promise, whatever it is." in out
    assert "Feedback: Promising total secrecy" in out
    # Said as a person would: no ending ids, no variable ids, no negative scores.
    assert "It did not end well this time." in out and "Not passed. A role-play that does not end well" in out
    assert "kept-quiet" not in out and "confidentiality:" not in out
    assert "Confidentiality: 0 points (pass mark 2)" in out and ": -" not in out


def test_graph_dot_and_mermaid(capsys, content):
    code, out, _ = run(capsys, "graph", content / "scenarios" / "secret.md")
    assert code == 0 and out.startswith('digraph "the-secret-in-the-group-chat"')
    assert '"told" [label="told (success)", fillcolor="#c8e6c9"' in out
    assert '"opening" -> "limits"' in out
    code, out, _ = run(capsys, "graph", content / "scenarios" / "secret.md", "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR") and "classDef failure" in out


def test_convert_both_ways(capsys, content, tmp_path):
    secret = content / "scenarios" / "secret.md"
    out_yaml = tmp_path / "s.yaml"
    assert run(capsys, "convert", secret, "--to", "yaml", "-o", out_yaml)[0] == 0
    code, md, _ = run(capsys, "convert", out_yaml, "--to", "md")
    code2, md2, _ = run(capsys, "convert", secret, "--to", "md")
    assert code == code2 == 0 and md == md2
    code, _, err = run(capsys, "convert", tmp_path / "nope.md", "--to", "md")
    assert code == 2


def test_check_content_folder_api_and_lessons_are_not_scenarios(capsys, content):
    from app.modules.scenario import check_content_folder

    assert without_give_aways(check_content_folder(content)) == []
    lessons = content / "lessons" / "intro"
    lessons.mkdir(parents=True)
    (lessons / "01-hello.md").write_text("no front matter here\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", lessons / "01-hello.md")
    assert "S101" not in out  # the lessons checker reports it, with its own codes
    code, _, err = run(capsys, "check", content / "program.yaml")
    assert code == 0


def spanish_secret(content, name: str = "secret.es.md") -> None:
    """A Spanish translation beside secret.md: the same nodes, choices and effects, other words."""
    source = (content / "scenarios" / "secret.md").read_text(encoding="utf-8")
    words = {
        "The secret in the group chat": "El secreto del chat del grupo",
        "I promise, whatever it is.": "Te lo prometo, sea lo que sea.",
        "Promising total secrecy before you know": "Prometer secreto total antes de saber",
    }
    for english, spanish in words.items():
        source = source.replace(english, spanish)
    (content / "scenarios" / name).write_text(source, encoding="utf-8")


def test_play_plays_the_translation_into_the_language_chosen(capsys, content):
    spanish_secret(content)
    secret = content / "scenarios" / "secret.md"
    code, out, err = run(capsys, "play", secret, "--language", "es", "--choose", "1,2")
    assert code == 0 and err == ""
    assert out.startswith("El secreto del chat del grupo") and "  1. Te lo prometo, sea lo que sea." in out
    assert "Feedback: Prometer secreto total" in out
    code, out, err = run(capsys, "play", secret, "--language", "es", "--choose", "2,1,1", "--json")
    assert code == 0 and json.loads(out)["scenario"] == "the-secret-in-the-group-chat"  # the source's ids
    code, out, err = run(capsys, "play", secret, "--choose", "1,2")  # the program's language: English here
    assert code == 0 and err == "" and out.startswith("The secret in the group chat")


def test_play_says_when_there_is_no_translation_and_plays_the_original(capsys, content):
    spanish_secret(content)
    secret = content / "scenarios" / "secret.md"
    code, out, err = run(capsys, "play", secret, "--language", "fr", "--choose", "1,2")
    assert code == 0
    assert err.startswith("There is no translation of this role-play into Français (")
    assert err.endswith("secret.fr.md), so it is played in English.\n") and err.count("\n") == 1
    assert out.startswith("The secret in the group chat") and "  1. I promise, whatever it is." in out
    code, out, err = run(capsys, "play", secret, "--language", "fr", "--choose", "2,2", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "neutral"  # stdout stays the JSON alone
    with pytest.raises(SystemExit) as stop:  # argparse's usage error (peer-trainer's main returns it)
        run(capsys, "play", secret, "--language", "x_y")
    assert stop.value.code == 2 and "not a language code" in capsys.readouterr().err


def test_play_says_so_in_the_language_chosen(capsys, content):
    from app import cli

    secret = content / "scenarios" / "secret.md"
    assert cli.main(["play", str(secret), "--language", "es", "--choose", "1,2"]) == 0
    out, err = capsys.readouterr()
    assert "no tiene traducción" in err and "secret.es.md" in err
    assert out.startswith("The secret in the group chat")


def test_play_plays_a_translation_named_on_the_command_line(capsys, content):
    spanish_secret(content)
    translation = content / "scenarios" / "secret.es.md"
    for language in ([], ["--language", "fr"], ["--language", "en"]):
        code, out, err = run(capsys, "play", translation, *language, "--choose", "1,2")
        assert code == 0 and err == ""
        assert out.startswith("El secreto del chat del grupo")


def test_play_falls_back_to_the_original_when_the_translation_cannot_be_played(capsys, content):
    spanish_secret(content)
    broken = content / "scenarios" / "secret.es.md"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("- [Actually, should we find a teacher first?](#too-soon) if trust < 1\n", ""), "utf-8"
    )
    code, out, err = run(capsys, "play", content / "scenarios" / "secret.md", "--language", "es", "--choose", "1,2")
    assert code == 0
    assert err.startswith("The translation of this role-play into Español (") and "secret.es.md) has errors" in err
    assert "peer-trainer check" in err and out.startswith("The secret in the group chat")
    broken.write_text(text.replace("feedback: immediate\n", "feedback: immediate\nstatus: draft\n"), "utf-8")
    code, out, err = run(capsys, "play", content / "scenarios" / "secret.md", "--language", "es", "--choose", "1,2")
    assert code == 0 and "is a draft" in err and out.startswith("The secret in the group chat")
