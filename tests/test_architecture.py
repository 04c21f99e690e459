"""The rules of the house, checked by the tools that own them: import-linter's contracts in
pyproject.toml (the floors: window and commands, service, domain, paths and core) and ruff.

A contract that nothing could break would prove nothing, so one test also plants a forbidden
import (the way the old ast walk could not see: importlib, and `from app import ui`) in a copy of
the package and expects the contracts to catch it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    done = _run([str(BIN / "lint-imports"), "--no-cache"], REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contracts_catch_a_domain_module_reaching_up(tmp_path):
    shutil.copytree(REPO / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    planted = tmp_path / "app" / "modules" / "planted.py"
    planted.write_text("from app import cli  # the command line, from the domain\nimport PySide6.QtWidgets\n")
    run_linter = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = _run([sys.executable, "-c", run_linter, "--no-cache"], tmp_path)
    assert done.returncode != 0
    assert "app.modules.planted -> app.cli" in done.stdout
    assert "app.modules.planted -> PySide6" in done.stdout


def test_a_dynamic_import_cannot_slip_past_the_contracts(tmp_path):
    """import-linter reads import statements only, so ruff bans importlib.import_module outside cli.py."""
    planted = tmp_path / "app" / "modules" / "sneaky.py"
    planted.parent.mkdir(parents=True)
    planted.write_text('import importlib\n\nwidgets = importlib.import_module("PySide6.QtWidgets")\n')
    config = ["--config", str(REPO / "pyproject.toml")]
    done = _run([str(BIN / "ruff"), "check", *config, "--select", "TID251", str(planted)], tmp_path)
    assert done.returncode != 0 and "TID251" in done.stdout


def test_ruff_finds_nothing():
    done = _run([str(BIN / "ruff"), "check", "app", "tests", "bench", "scripts", "packaging"], REPO)
    assert done.returncode == 0, done.stdout + done.stderr
