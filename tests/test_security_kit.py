"""Issue #12, station side: a hostile kit YAML gives a short error naming its line, never a traceback,
a hang or a huge message, and imports nothing."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import cli
from scoring.kit import KitError, parse_kit

RUBRIC = """rubrics:
  - id: r
    title: R
    criteria:
      - id: c
        title: C
        scale: {1: a, 3: b, 5: c}
"""
PROGRAM = RUBRIC + "exercises:\n  - {id: e, kind: teach-back, title: E, rubric: r}\nprograms:\n  - {id: p, title: P, rubric: r, exercises: [e]%s}\n"


def _laughs(last: str) -> str:
    """Nine levels of ten aliases each: 10**9 values once expanded (the 100,000th is on line 5)."""
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(8):
        prev, name = chr(97 + i), chr(98 + i)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    return text + last


CASES = [
    ("alias bomb in a field", _laughs("title: *i\n"), 5, "expand the document to more than 100,000"),
    ("alias bomb in aliases", _laughs("vocabulary:\n  - {id: t, term: x, aliases: *i}\n"), 5, "more than 100,000"),
    ("deep lists", "vocabulary: " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested more than 50 levels"),
    ("deep mappings", "vocabulary:\n  - " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", 2, "nested more than 50"),
    ("list as an id", "vocabulary:\n  - id: [a, b]\n    term: x\n", 2, "expected non-empty text, got list"),
    ("mapping as an id", "vocabulary:\n  - id: {a: 1}\n    term: x\n", 2, "got mapping"),
    ("list as a key", "? [a, b]\n: 1\n", 1, "a key must be text or a number"),
    ("list as a scale point", RUBRIC.replace("5: c}", "5: c, [1]: d}"), 7, "a key must be text or a number"),
    ("5,000-digit number", RUBRIC.replace("    title: R\n", "    title: R\n    version: " + "9" * 5000 + "\n"), 4,
     "cannot read this value"),
    ("huge version", RUBRIC.replace("    title: R\n", "    title: R\n    version: 99999999999999999999999\n"), 4,
     "expected a whole number"),
    ("huge valid_days", PROGRAM % ", valid_days: 99999999999", 11, "valid_days: must be from 1 to 36,500"),
    ("no scorecards needed", PROGRAM % ", min_scorecards: 0", 11, "min_scorecards: must be from 1 to 100"),
    ("weight .inf", RUBRIC.replace("        title: C\n", "        title: C\n        weight: .inf\n"), 7,
     "expected a number (finite), got float inf"),
    ("weight .nan", RUBRIC.replace("        title: C\n", "        title: C\n        weight: .nan\n"), 7,
     "got float nan"),
    ("weight 1e12", RUBRIC.replace("        title: C\n", "        title: C\n        weight: 1.0e+12\n"), 7,
     "at most 1000"),
    ("13th month", RUBRIC + "exercises:\n  - {id: e, kind: teach-back, title: E, rubric: r, available_from: 2026-13-45}\n",
     9, "month must be in 1..12"),
    ("megabyte id", "vocabulary:\n  - id: " + "A" * 1_000_000 + "\n    term: x\n", 2, "is not a valid id"),
]


@pytest.mark.parametrize("name,text,line,says", CASES, ids=[c[0] for c in CASES])
def test_hostile_kits_are_refused_with_their_line(name, text, line, says):
    with pytest.raises(KitError) as caught:
        parse_kit(text, "hostile.yaml")
    message = str(caught.value)
    assert f"hostile.yaml, line {line}:" in message and says in message
    assert len(message) < 1000


def test_the_command_line_gives_no_traceback_and_imports_nothing(data_dir, tmp_path):
    runner = CliRunner()
    base = runner.invoke(cli, ["--data-dir", str(data_dir), "kit", "list", "--format", "json"]).output
    for name, text, line, says in CASES:
        path = tmp_path / "kit.yaml"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["--data-dir", str(data_dir), "import-kit", str(path)])
        assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit), name
        assert f"line {line}:" in result.output and "Nothing was imported" in result.output, name
    assert runner.invoke(cli, ["--data-dir", str(data_dir), "kit", "list", "--format", "json"]).output == base


def test_a_fifo_or_a_huge_file_is_refused_before_reading(tmp_path):
    import os

    from scoring.kit import read_kit_file

    fifo = tmp_path / "kit.yaml"
    os.mkfifo(fifo)                                   # reading it would block for ever
    with pytest.raises(KitError, match="not a regular file"):
        read_kit_file(fifo)
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(KitError, match="larger than 5 MB"):
        read_kit_file(big)


def test_a_vocabulary_file_for_transcribe_is_bounded_too(tmp_path):
    from scoring.terms import load_vocabulary_file

    bomb = tmp_path / "terms.yaml"
    bomb.write_text(_laughs("vocabulary: *i\n"), encoding="utf-8")
    with pytest.raises(ValueError, match="more than 100,000 values"):
        load_vocabulary_file(bomb)
    deep = tmp_path / "deep.yaml"
    deep.write_text("vocabulary: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="nested more than 50"):
        load_vocabulary_file(deep)
