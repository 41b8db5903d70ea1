"""Make an import fail the way it fails on a machine that lacks a native library.

    with failing_import(monkeypatch, "PySide6.QtMultimedia", "libpulse.so.0: cannot open shared object file"):
        ...                                   # `import PySide6.QtMultimedia` raises that ImportError

``sitecustomize_failing(tmp_path, {...})`` writes a folder to put first on a child process's PYTHONPATH
with the same effect there (for the command line, run as a real process).
"""
from __future__ import annotations

import importlib.abc
import sys
from contextlib import contextmanager
from pathlib import Path


class FailingFinder(importlib.abc.MetaPathFinder):
    """Raises ``error(message)`` for each listed module (and its submodules), as the loader would."""

    def __init__(self, failures: dict[str, tuple[type[BaseException], str]]):
        self.failures = failures

    def find_spec(self, fullname, path=None, target=None):  # noqa: ARG002
        for name, (error, message) in self.failures.items():
            if fullname == name or fullname.startswith(name + "."):
                raise error(message)
        return None


@contextmanager
def failing_import(monkeypatch, name: str, message: str, error: type[BaseException] = ImportError):
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        monkeypatch.delitem(sys.modules, loaded)
    finder = FailingFinder({name: (error, message)})
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)


def sitecustomize_failing(folder: Path, failures: dict[str, tuple[str, str]]) -> Path:
    """A folder with a sitecustomize.py that makes ``failures`` ({module: (error class, message)}) fail."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        "import importlib.abc, sys\n"
        f"FAIL = {failures!r}\n"
        "class F(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, fullname, path=None, target=None):\n"
        "        for name, (kind, message) in FAIL.items():\n"
        "            if fullname == name or fullname.startswith(name + '.'):\n"
        "                raise {'ImportError': ImportError, 'OSError': OSError}[kind](message)\n"
        "sys.meta_path.insert(0, F())\n", encoding="utf-8")
    return folder
