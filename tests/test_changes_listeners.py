"""Every kind of change the app emits has a listener that acts on it, and no listener waits for a kind
nobody emits.

Emit sites are read from the source of ui/ (every ``.notify(...)`` call must say literally what it
emits: ``Changes.of("a", "b")``, or ``Changes.from_report(...)`` for a sync, which may emit any kind a
synced table maps to). Listeners are what the running app registers with ``AppContext.on_change``
once the main window and every page are built. Then each emitted kind is driven through the real
signal and must reach a listener that is not the page that emitted it.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from store.changes import KINDS, TABLE_KINDS, Changes

UI = Path(__file__).resolve().parent.parent / "ui"


def emit_sites() -> list[tuple[str, str, frozenset[str]]]:
    """(file:line, emitting class, kinds) for every ``.notify(...)`` call under ui/."""
    sites, unreadable = [], []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for inner in ast.walk(node):
                    classes.setdefault(id(inner), node.name)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "notify" and node.args):
                continue
            where = f"{path.relative_to(UI.parent)}:{node.lineno}"
            kinds = _kinds_of(node.args[0])
            if kinds is None:
                unreadable.append(where)
            else:
                sites.append((where, classes.get(id(node), "<module>"), kinds))
    assert not unreadable, f"emit sites that do not say literally what they emit: {unreadable}"
    return sites


def _kinds_of(arg: ast.expr) -> frozenset[str] | None:
    if not (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)
            and isinstance(arg.func.value, ast.Name) and arg.func.value.id == "Changes"):
        return None
    if arg.func.attr == "of":
        kinds = set()
        for a in arg.args:
            if isinstance(a, ast.Constant) and isinstance(a.value, str):
                kinds.add(a.value)
            elif isinstance(a, ast.IfExp) and all(isinstance(b, ast.Constant) for b in (a.body, a.orelse)):
                kinds |= {a.body.value, a.orelse.value}       # Changes.of("x" if ... else "y")
            else:
                return None
        return frozenset(kinds)
    if arg.func.attr in ("from_report", "from_tables"):
        return frozenset(k for ks in TABLE_KINDS.values() for k in ks) | {"media"}
    return None


def build_everything(main_window):
    from ui.main_window import PAGES

    for spec in PAGES:
        main_window.page(spec.key)
    return main_window.context.listeners


def test_the_source_scan_finds_the_emit_sites_it_should():
    sites = emit_sites()
    by_class = defaultdict(set)
    for _where, cls, kinds in sites:
        by_class[cls] |= kinds
    # a few known ones: the scan is not vacuous
    assert "scores" in by_class["ReviewPage"] and "recordings" in by_class["RecordPage"]
    assert "station" in by_class["SettingsPage"] and "people" in by_class["SyncStatusWidget"]
    for _where, _cls, kinds in sites:
        assert kinds <= set(KINDS), kinds


def test_every_emitted_kind_has_a_listener_and_every_listener_an_emitter(main_window):
    listeners = build_everything(main_window)
    emitted = set().union(*(k for _w, _c, k in emit_sites()))
    listened = set().union(*(lst.kinds for lst in listeners))
    assert sorted(emitted - listened) == [], "emitted, but no page listens"
    assert sorted(listened - emitted) == [], "listened for, but nothing emits it"


def test_each_emit_site_reaches_someone_else_for_each_kind(main_window):
    listeners = build_everything(main_window)
    for where, cls, kinds in emit_sites():
        for kind in kinds:
            others = [lst for lst in listeners if kind in lst.kinds and lst.owner != cls]
            assert others, f"{where}: {cls} emits {kind!r} but only it listens (it is never told itself)"


def test_each_kind_travels_through_the_real_signal_to_its_listeners(main_window, qtbot):
    listeners = build_everything(main_window)
    context = main_window.context
    for kind in sorted(set().union(*(k for _w, _c, k in emit_sites()))):
        before = {id(lst): len(lst.calls) for lst in listeners}
        context.notify(Changes.of(kind))
        reached = [lst for lst in listeners if len(lst.calls) > before[id(lst)]]
        assert reached, f"{kind!r} reached no listener"
        assert all(kind in lst.kinds for lst in reached), "a listener was told of a kind it did not ask for"
        assert {lst.owner for lst in reached} == {lst.owner for lst in listeners if kind in lst.kinds}


def test_the_origin_of_a_change_is_not_told_of_it(context, qtbot):
    from PySide6.QtWidgets import QWidget

    me, other = QWidget(), QWidget()
    heard = []
    context.on_change({"scores"}, lambda c: heard.append(("me", c)), me)
    context.on_change({"scores", "kit"}, lambda c: heard.append(("other", c)), other)
    context.notify(Changes.of("scores"), origin=me)
    context.notify(Changes())                          # nothing changed: nobody is told
    assert heard == [("other", Changes.of("scores"))]
    import pytest

    with pytest.raises(ValueError, match="unknown kinds"):
        context.on_change({"score"}, print, me)
