"""The command line explains itself: every command and every argument has help text, and
`peer-trainer check` with no path checks the content the program uses."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from app import cli
from app.paths import bundled_content


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_and_argument_has_help():
    parser = cli.build_parser()
    commands = _subparsers(parser)
    sub_action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helped = {c.dest for c in sub_action._choices_actions if c.help}
    assert set(commands) <= helped, f"commands without help: {sorted(set(commands) - helped)}"
    missing = []
    for name, sub in commands.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help:
                missing.append(f"{name} {action.dest}")
    assert not missing, f"arguments without help: {missing}"


def test_check_without_a_path_checks_the_content_in_use(tmp_path, capsys, monkeypatch):
    content = tmp_path / "school-content"
    shutil.copytree(bundled_content(), content)
    monkeypatch.chdir(tmp_path)  # no "content" folder here
    assert cli.main(["--content", str(content), "check", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.strip().startswith("[")
    # A broken lesson in that folder is found: the check really looked there.
    lesson = next(Path(content, "lessons").rglob("*.md"))
    lesson.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert cli.main(["--content", str(content), "check"]) == 1


def test_check_without_a_path_uses_the_bundled_content(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEER_TRAINER_CONTENT", raising=False)
    assert cli.main(["check"]) == 0
    assert "no such file" not in capsys.readouterr().err
