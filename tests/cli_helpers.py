"""Small helpers shared by tests that drive the `rolecall` command line in process."""
from __future__ import annotations

from click.testing import CliRunner

from cli import cli


def run_cli(store, *args, **kw):
    """`rolecall --data-dir <store's dir> ARGS...`, exceptions propagating."""
    return CliRunner().invoke(cli, ["--data-dir", str(store.data_dir), *args], catch_exceptions=False, **kw)


def text_file(tmp_path, name, text) -> str:
    """Write ``text`` and a newline to tmp_path/name; return the path as a string."""
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)
