"""The rule of the house: app/modules never imports the UI or Qt widgets."""

from __future__ import annotations

import ast
from pathlib import Path

MODULES = Path(__file__).resolve().parent.parent / "app" / "modules"
FORBIDDEN = ("app.ui", "PySide6.QtWidgets")


def _imports(tree: ast.AST, package: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            yield mod
            for alias in node.names:
                yield f"{mod}.{alias.name}"


def test_domain_never_imports_ui_or_widgets():
    offenders = []
    files = sorted(MODULES.rglob("*.py"))
    assert len(files) > 10, "the walk should see the whole domain package"
    for path in files:
        rel = path.relative_to(MODULES.parent.parent).with_suffix("")
        package = ".".join(rel.parts[:-1])
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for name in _imports(tree, package):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(MODULES)}: {name}")
    assert offenders == []


def test_the_walk_catches_a_forbidden_import(tmp_path):
    tree = ast.parse("from PySide6 import QtWidgets\nfrom ..ui import main_window\n")
    names = list(_imports(tree, "app.modules"))
    assert "PySide6.QtWidgets" in names
    assert any(n.startswith("app.ui") for n in names)
