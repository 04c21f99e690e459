"""The scenario domain imports no Qt and never evaluates trainer text (docs/architecture.md: the imports)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "app" / "modules" / "scenario").glob("*.py")) + [ROOT / "app" / "cli_scenario.py"]


def _imports(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append(node.module or "")
    return out


def test_no_qt_and_no_ui_imports():
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = [m for m in _imports(tree) if m.startswith(("PySide6", "PyQt", "app.ui", "ui.")) or m == "ui"]
        assert not bad, f"{path.name} imports {bad}"


def test_no_eval_exec_or_ast_on_trainer_text():
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not calls & {"eval", "exec", "compile"}, path.name
        assert "ast" not in _imports(tree), path.name


def test_docs_list_every_finding_code():
    from app.modules.scenario import CODES

    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert all(f"| {code} |" in doc for code in CODES)
