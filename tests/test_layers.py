"""The house stays as drawn (../shared/CONVENTIONS.md, "The house"; issue #27): imports point one way.

    main.py, cli/, ui/  ->  recorder/, store/, scoring/      (only main.py and cli/ import demo/)
    recorder/           ->  store/, scoring/
    store/              ->  scoring/
    demo/               ->  store/, scoring/
    scoring/            ->  nothing of ours

Qt (PySide6, shiboken6) only in ui/ and main.py, no two files import each other, not even round a
loop or through a function-level import, and modules stay small. Every import counts: module level, inside functions, under
``if TYPE_CHECKING``. The checker is run on a planted tree first, so a checker that sees nothing fails.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("main", "cli", "ui", "recorder", "store", "scoring", "demo")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
ALLOWED = {   # which of our top-level parts each part may import (itself always)
    "main": {"cli", "ui", "recorder", "store", "scoring", "demo"},
    "cli": {"recorder", "store", "scoring", "demo"},
    "ui": {"recorder", "store", "scoring"},
    "recorder": {"store", "scoring"},
    "store": {"scoring"},
    "demo": {"store", "scoring"},
    "scoring": set(),
}
QT_ALLOWED = {"ui", "main"}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of our parts under ``root``."""
    found = {}
    for part in OURS:
        if part == "main":
            if (root / "main.py").exists():
                found["main"] = root / "main.py"
            continue
        for path in sorted((root / part).rglob("*.py")) if (root / part).is_dir() else []:
            dotted = ".".join(path.relative_to(root).with_suffix("").parts)
            found[dotted.removesuffix(".__init__")] = path
    return found


def imported_names(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the file imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return out


def wrong_way(root: Path) -> list[str]:
    """Every import that breaks the house, as 'file:line: what'."""
    problems = []
    for module, path in modules(root).items():
        part = module.split(".")[0]
        seen = set()
        for line, name in imported_names(path, module):
            top = name.split(".")[0]
            where = f"{path.relative_to(root)}:{line}"
            if top in QT and part not in QT_ALLOWED and (where, top) not in seen:
                problems.append(f"{where}: {part}/ imports {top} (Qt only in ui/ and main.py)")
            elif top in OURS and top != part and top not in ALLOWED[part] and (where, top) not in seen:
                problems.append(f"{where}: {part}/ imports {top} ({part} may import "
                                f"{', '.join(sorted(ALLOWED[part])) or 'nothing of ours'})")
            seen.add((where, top))
    return problems


def import_loops(root: Path) -> list[list[str]]:
    """Groups of files that import each other (strongly connected, more than one file)."""
    found = modules(root)
    graph: dict[str, set[str]] = {}
    for module, path in found.items():
        targets = set()
        for _line, name in imported_names(path, module):
            while name and name not in found:
                name = name.rpartition(".")[0]
            # a package's __init__ is where its names are gathered, not a file that holds logic
            if name and name != module and found[name].name != "__init__.py":
                targets.add(name)
        graph[module] = targets
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(v: str) -> None:          # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return loops


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for part in OURS[1:]:
        (root / part).mkdir(exist_ok=True)
        (root / part / "__init__.py").touch()
    return root


def test_the_checker_finds_each_kind_of_wrong_import(tmp_path):
    root = _plant(tmp_path, {
        "scoring/rules.py": "def f():\n    from store.db import Store\n",        # function-level
        "store/media.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import recorder.probe\n",
        "recorder/take.py": "from ui.widgets import x\n",
        "store/demo_user.py": "from demo import generate\n",
        "store/widget.py": "from PySide6.QtCore import QObject\n",
        "store/sync/apply.py": "from ...scoring import kit\nfrom ..db import Store\n",  # relative, allowed
        "ui/page.py": "import demo.media\n",
        "cli/demo.py": "from demo import generate\n",                          # allowed
        "demo/__init__.py": "from store.db import Store\n",                       # allowed
    })
    problems = "\n".join(wrong_way(root))
    for expected in ("scoring/rules.py:2: scoring/ imports store", "store/media.py:3: store/ imports recorder",
                     "recorder/take.py:1: recorder/ imports ui", "store/demo_user.py:1: store/ imports demo",
                     "store/widget.py:1: store/ imports PySide6", "ui/page.py:1: ui/ imports demo"):
        assert expected in problems
    assert "apply.py" not in problems and "cli/demo.py" not in problems and "demo/__init__" not in problems


def test_the_checker_finds_files_that_import_each_other(tmp_path):
    root = _plant(tmp_path, {
        "store/a.py": "from store.b import x\n",
        "store/b.py": "def f():\n    from store import a\n",
        "store/c.py": "from store.a import y\n",              # uses the loop, is not part of it
        "scoring/p.py": "from scoring.q import x\n",
        "scoring/q.py": "from scoring.r import x\n",
        "scoring/r.py": "from scoring.p import x\n",
    })
    assert sorted(import_loops(root)) == [["scoring.p", "scoring.q", "scoring.r"], ["store.a", "store.b"]]


def test_imports_point_one_way():
    assert modules(ROOT)["store.db"].exists()        # the checker sees the real tree
    problems = wrong_way(ROOT)
    assert not problems, "imports that run the wrong way:\n" + "\n".join(problems)


def test_no_two_files_import_each_other():
    loops = import_loops(ROOT)
    assert not loops, "files that import each other: " + "; ".join(" <-> ".join(g) for g in loops)


def test_modules_stay_small():
    sources = [p for folder in (*OURS[1:], "benchmarks", "tests") for p in (ROOT / folder).rglob("*.py")]
    big = [f"{p.relative_to(ROOT)}: {n} lines" for p in [*sources, ROOT / "main.py"]
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert big == []
