"""`rolecall transcribe` and `rolecall transcribe-queue`, run as real processes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEECH = REPO / "tests" / "data" / "speech"


def rolecall(*args, data_dir: Path, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=REPO, check=check, timeout=600)


def test_json_one_object_per_file_with_the_documented_fields(tmp_path):
    data_dir = tmp_path / "station"
    r = rolecall("transcribe", "--format", "json", "--threads", "2",
                 str(SPEECH / "tr_outreach_f3.wav"), str(SPEECH / "tr_silence.wav"), data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    first, silent = (json.loads(x) for x in lines)
    assert set(first) == {"file", "duration", "text", "segments", "terms", "metrics"}
    assert first["file"].endswith("tr_outreach_f3.wav") and first["duration"] == pytest.approx(6.72, abs=0.01)
    assert set(first["segments"][0]) == {"start", "end", "text", "words"}
    assert set(first["segments"][0]["words"][0]) == {"start", "end", "word", "probability"}
    assert {t["term"] for t in first["terms"]} >= {"email outreach", "call to action", "champion"}
    assert all(set(t) == {"term", "start", "end", "text"} for t in first["terms"])
    assert first["metrics"]["word_count"] >= 15
    assert silent["text"] == "" and silent["segments"] == [] and silent["terms"] == []
    assert not data_dir.exists() or not any(data_dir.iterdir())  # no store written


def test_srt_with_a_vocabulary_file(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("# ours\nchampion | internal advocate\ndeal clinic\n")
    r = rolecall("transcribe", "--format", "srt", "--vocabulary", str(vocab), str(SPEECH / "tr_champion_gb.wav"),
                 data_dir=tmp_path / "s")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("1\n00:00:00,000 --> 00:00:0")
    first_cue = r.stdout.split("\n\n")[0].lower()
    assert "champion" in first_cue and "deal clinic" in first_cue and "new messaging" in r.stdout  # opening kept


def test_unreadable_input_exits_non_zero_with_a_clear_message(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    r = rolecall("transcribe", str(tmp_path / "missing.wav"), str(bad), str(SPEECH / "tr_roleplay_m7.wav"),
                 data_dir=tmp_path / "s")
    assert r.returncode == 1
    assert "missing.wav: no such file" in r.stderr and "notes.mp4" in r.stderr
    assert "economic buyer" in r.stdout.lower()  # the readable file was still transcribed
    r = rolecall("transcribe", "--model", str(tmp_path), str(SPEECH / "tr_roleplay_m7.wav"), data_dir=tmp_path / "s")
    assert r.returncode != 0 and "missing config.json, model.bin" in r.stderr
    r = rolecall("transcribe", "--vocabulary", str(tmp_path / "none.txt"), str(SPEECH / "tr_roleplay_m7.wav"),
                 data_dir=tmp_path / "s")
    assert r.returncode != 0 and "cannot read vocabulary" in r.stderr


def test_transcribe_queue_processes_station_jobs(tmp_path):
    from store.station import open_station
    from store.transcripts import TranscriptRepo

    data_dir = tmp_path / "station"
    store = open_station(data_dir)
    try:
        with store.transaction() as db:
            f = store.record_fields()
            db["recordings"].insert(dict(f, status="submitted", media_path=str(SPEECH / "tr_clinic_us.wav")))
        TranscriptRepo(store).enqueue(f["id"])
    finally:
        store.close()
    r = rolecall("transcribe-queue", data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    assert f"{f['id']}: done" in r.stdout and "1 transcribed, 0 failed" in r.stdout
    store = open_station(data_dir)
    try:
        t = TranscriptRepo(store).latest_transcript(f["id"], complete_only=True)
        assert t and "deal clinic" in t["text"].lower()
    finally:
        store.close()


def test_transcript_search_finds_stored_segments(tmp_path):
    from store.station import open_station
    from store.transcripts import TranscriptRepo

    data_dir = tmp_path / "station"
    store = open_station(data_dir)
    try:
        with store.transaction() as db:
            f = store.record_fields()
            db["recordings"].insert(dict(f, status="submitted"))
        repo = TranscriptRepo(store)
        tid = repo.begin_transcript(f["id"], "m", "en", 80.0)
        repo.add_segment(tid, {"start": 65.0, "end": 68.0, "text": "Then we reframed the objection."}, 0)
    finally:
        store.close()
    r = rolecall("transcript-search", "reframe", data_dir=data_dir)
    assert r.returncode == 0 and r.stdout.strip() == f"{f['id']}  1:05  Then we [reframed] the objection."
    assert rolecall("transcript-search", '"objection then"', data_dir=data_dir).returncode == 1
