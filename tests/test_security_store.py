"""Issue #12, station side: a zero-byte database is damaged, never a silent new station."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import cli
from store.db import CorruptDatabaseError, open_store
from store.station import open_station


def test_a_zero_byte_database_is_reported_and_left_alone(data_dir):
    path = data_dir / "rolecall.db"
    path.write_bytes(b"")
    with pytest.raises(CorruptDatabaseError) as caught:
        open_store(data_dir)
    assert "empty (0 bytes)" in str(caught.value) and "Move it aside" in str(caught.value)
    with pytest.raises(CorruptDatabaseError):
        open_station(data_dir)
    assert path.stat().st_size == 0 and sorted(p.name for p in data_dir.iterdir()) == ["rolecall.db"]


def test_the_command_line_says_how_to_keep_it_and_start_fresh(data_dir):
    (data_dir / "rolecall.db").write_bytes(b"")
    runner = CliRunner()
    refused = runner.invoke(cli, ["--data-dir", str(data_dir), "people", "list"])
    assert refused.exit_code == 1 and "empty (0 bytes)" in refused.output and "db move-aside" in refused.output
    moved = runner.invoke(cli, ["--data-dir", str(data_dir), "db", "move-aside"])
    assert moved.exit_code == 0
    kept = [p for p in data_dir.iterdir() if p.name.startswith("rolecall.db.damaged-")]
    assert len(kept) == 1 and kept[0].stat().st_size == 0
    assert runner.invoke(cli, ["--data-dir", str(data_dir), "people", "list"]).exit_code == 0
