"""Qt lives only in ui/ and main.py: recorder/, scoring/, store/ and cli/ never import it."""
from __future__ import annotations

import ast

import pytest

from conftest import REPO

QT_FREE = ("recorder", "scoring", "store", "cli")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("package", QT_FREE)
def test_no_qt_outside_ui(package):
    offenders = []
    for path in sorted((REPO / package).rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui"):
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == []


def test_modules_stay_small():
    sources = [p for folder in (*QT_FREE, "ui", "benchmarks", "tests") for p in (REPO / folder).rglob("*.py")]
    big = [f"{p.relative_to(REPO)}: {n} lines" for p in [*sources, REPO / "main.py"]
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert big == []
