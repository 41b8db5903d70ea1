"""Jobs against a real station store with the real model in a child process (issue #4):
segments stored as they arrive, term hits linked to the kit's terms, search, crash -> failed and
retryable, retry resumes the stored transcript, interrupted jobs re-queued on start."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from recorder.transcription.audio_decode import decode_audio
from recorder.transcription.process import TranscriptionProcess
from recorder.transcription.jobs import TranscriptionJobRunner
from store.clock import kit_id
from store.transcripts import TranscriptRepo, read_station_terms

SPEECH = Path(__file__).parent / "data" / "speech"


@pytest.fixture(scope="module")
def process():
    p = TranscriptionProcess()
    yield p
    p.close()


@pytest.fixture
def repo(store):
    return TranscriptRepo(store)


def add_recording(store, media: Path | str, duration: float | None = None) -> str:
    with store.transaction() as db:
        f = store.record_fields()
        db["recordings"].insert(dict(f, status="submitted", media_path=str(media), duration_s=duration))
    return f["id"]


def test_job_stores_segments_terms_metrics_and_is_searchable(store, repo, process):
    rid = add_recording(store, SPEECH / "tr_teachback_us.wav")
    repo.enqueue(rid)
    seen = []
    outcome = TranscriptionJobRunner(repo, process).run_next(on_progress=lambda r, p: seen.append(p))
    assert outcome.status == "done" and outcome.recording_id == rid
    job = repo.job(rid)
    assert job["status"] == "done" and job["progress"] == 1.0 and job["attempts"] == 1
    assert seen[-1] == 1.0 and all(0 <= p <= 1 for p in seen)
    t = repo.latest_transcript(rid)
    assert t["complete"] == 1 and "socratic question" in t["text"].lower()
    assert t["metrics"]["word_count"] > 15 and t["metrics"]["wpm"] > 100
    hits = repo.term_hits(t["id"])
    by_term = {h["term_id"] for h in hits}
    for slug in ("teach-back", "discovery-call", "socratic-question", "reframe", "economic-buyer"):
        assert kit_id("term", slug) in by_term, slug
    assert all(h["term"] for h in hits)  # joined to the terms table
    found = repo.search("economic buyer")
    assert found and found[0]["recording_id"] == rid and found[0]["start"] >= 0
    assert repo.search("reframing")  # porter stemming: reframe ~ reframing
    assert repo.search("zebra") == []
    assert TranscriptionJobRunner(repo, process).run_next() is None  # queue empty


def test_crash_mid_job_keeps_segments_then_retry_resumes(store, repo, process, long_take):
    rid = add_recording(store, long_take)
    repo.enqueue(rid)
    runner = TranscriptionJobRunner(repo, process)

    def kill_after_first(_rid, _seg):
        os.kill(process.pid, signal.SIGKILL)

    out = runner.run_next(on_segment=kill_after_first)
    assert out.status == "failed" and out.retryable
    job = repo.job(rid)
    assert job["status"] == "failed" and "died" in job["error"] and 0 < job["progress"] < 1
    partial = repo.incomplete_transcript(rid)
    assert partial and partial["next_idx"] >= 1 and partial["resume_at"] > 0
    kept = repo.segments(partial["id"])
    assert kept and kept[0]["text"]

    assert repo.retry(rid) and repo.job(rid)["status"] == "queued"
    again = runner.run_next()
    assert again.status == "done" and again.resumed_at == pytest.approx(partial["resume_at"])
    t = repo.latest_transcript(rid)
    segs = repo.segments(t["id"])
    assert t["id"] == partial["id"] and segs[:len(kept)] == kept  # the same transcript, continued
    assert [s["index"] for s in segs] == list(range(len(segs)))
    assert all(a["end"] <= b["start"] + 0.05 for a, b in zip(segs, segs[1:]))
    text = t["text"].lower()
    assert "deal clinic" in text and "discovery call" in text and "new messaging" in text
    assert repo.job(rid)["attempts"] == 2


def test_cancel_from_another_thread_marks_cancelled(store, repo, process, long_take):
    rid = add_recording(store, long_take)
    repo.enqueue(rid)
    runner = TranscriptionJobRunner(repo, process)
    out = runner.run_next(on_segment=lambda _r, _s: runner.cancel())
    assert out.status == "cancelled" and repo.job(rid)["status"] == "cancelled"
    assert repo.retry(rid)


def test_interrupted_jobs_are_requeued_on_start(store, repo):
    rid = add_recording(store, SPEECH / "tr_silence.wav")
    repo.enqueue(rid)
    assert repo.claim(rid) and repo.job(rid)["status"] == "transcribing"
    # the app dies here; on the next start:
    assert TranscriptionJobRunner(repo, TranscriptionProcess()).recover() == 1
    assert repo.job(rid)["status"] == "queued" and repo.next_queued() == rid


def test_missing_and_undecodable_media_fail_permanently(store, repo, process, tmp_path):
    gone = add_recording(store, tmp_path / "gone.mp4")
    junk_path = tmp_path / "junk.mp4"
    junk_path.write_bytes(b"\x00" * 1000)
    junk = add_recording(store, junk_path)
    for rid in (gone, junk):
        repo.enqueue(rid)
    runner = TranscriptionJobRunner(repo, process)
    outs = {o.recording_id: o for o in (runner.run_next(), runner.run_next())}
    assert not outs[gone].retryable and "missing" in repo.job(gone)["error"]
    assert not outs[junk].retryable and repo.job(junk)["error"].startswith("permanent:")
    assert "junk.mp4" in repo.job(junk)["error"]


def test_enqueue_does_not_disturb_a_running_job(store, repo):
    rid = add_recording(store, SPEECH / "tr_silence.wav")
    repo.enqueue(rid)
    repo.claim(rid)
    repo.enqueue(rid)
    assert repo.job(rid)["status"] == "transcribing"


def test_station_terms_read_only(store, data_dir):
    terms = read_station_terms(data_dir)
    assert terms and any(t.term == "reframe" and "reframing" in t.aliases for t in terms)
    assert read_station_terms(data_dir / "nowhere") is None


def test_the_exercise_rubric_terms_come_first_in_the_vocabulary(store, repo):
    ex = store.db.execute("SELECT id, rubric_id FROM exercises WHERE rubric_id IS NOT NULL LIMIT 1").fetchone()
    with store.transaction() as db:
        f = store.record_fields()
        db["recordings"].insert(dict(f, status="submitted", exercise_id=ex[0]))
    wanted = repo.exercise_term_ids(f["id"])
    assert wanted  # the default kit's rubrics name their terms
    vocab = repo.vocabulary_for(f["id"])
    assert [t.term_id for t in vocab[:len(wanted)]] == wanted
    assert {t.term_id for t in vocab} == {t.term_id for t in repo.vocabulary()}
    assert repo.exercise_term_ids(add_recording(store, "x.mp4")) == []
