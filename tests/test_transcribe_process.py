"""The killable child process: cancel, SIGKILL and abort mid-job, and it keeps serving after."""
from __future__ import annotations

import os
import signal
import wave
from pathlib import Path

import numpy as np
import pytest

from recorder.transcription.audio_decode import decode_audio
from recorder.transcription.process import (TranscriptionCancelled, TranscriptionCrashed,
                                         TranscriptionFailed, TranscriptionProcess)

SPEECH = Path(__file__).parent / "data" / "speech"
CLIPS = ["tr_teachback_us", "tr_champion_gb", "tr_outreach_f3", "tr_roleplay_m7", "tr_clinic_us"]


@pytest.fixture(scope="module")
def long_take(tmp_path_factory) -> Path:
    """All speech clips joined with 1.5 s gaps (about 40 s): several segments."""
    gap = np.zeros(24000, dtype=np.float32)
    parts = []
    for c in CLIPS:
        parts += [decode_audio(SPEECH / f"{c}.wav").samples, gap]
    pcm = (np.concatenate(parts) * 32767).astype(np.int16)
    path = tmp_path_factory.mktemp("take") / "long_take.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    return path


@pytest.fixture(scope="module")
def proc():
    p = TranscriptionProcess()
    yield p
    p.close()


@pytest.fixture(scope="module")
def full(proc, long_take):
    return proc.run(long_take, ["reframe", "champion"])


def test_child_streams_all_segments(full, proc):
    assert len(full.segments) >= 3
    assert "champion" in full.text.lower()
    assert [s.index for s in full.segments] == list(range(len(full.segments)))
    assert proc.pid is not None and proc.pid != os.getpid()


def test_cancel_mid_job_then_next_job_runs(proc, long_take, full):
    got = []

    def on_segment(seg):
        got.append(seg)
        proc.cancel()  # the UI's Cancel button, pressed while the job streams

    old_pid = proc.pid
    with pytest.raises(TranscriptionCancelled) as e:
        proc.run(long_take, on_segment=on_segment)
    assert e.value.retryable
    assert len(got) == 1 < len(full.segments)   # nothing is delivered after Cancel, sent or not
    assert old_pid is not None and not _alive(old_pid)
    again = proc.run(SPEECH / "tr_champion_gb.wav")  # a fresh child serves the next job
    assert "deal clinic" in again.text.lower()


def test_sigkill_of_the_child_mid_job_is_a_retryable_failure(proc, long_take, full):
    got = []

    def on_segment(seg):
        got.append(seg)
        if len(got) == 1:
            os.kill(proc.pid, signal.SIGKILL)

    with pytest.raises(TranscriptionCrashed, match="died .exit code -9, SIGKILL") as e:
        # the child hangs after its first segment, so the kill lands mid-job however busy the machine
        proc.run(long_take, on_segment=on_segment, stall_after_segments=1)
    assert e.value.retryable and e.value.kind == "crash"
    assert len(got) == 1 < len(full.segments)  # what arrived before the kill was delivered
    retry = proc.run(long_take, ["reframe", "champion"])
    assert [s.text for s in retry.segments] == [s.text for s in full.segments]


def test_abort_inside_the_child_leaves_the_parent_running(proc, long_take):
    with pytest.raises(TranscriptionCrashed) as e:
        proc.run(long_take, crash_after_segments=1)
    assert "exit code -6, SIGABRT" in str(e.value)
    assert proc.run(SPEECH / "tr_roleplay_m7.wav").segments


def test_undecodable_file_is_a_permanent_failure(proc, tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 2048)
    with pytest.raises(TranscriptionFailed) as e:
        proc.run(bad)
    assert not e.value.retryable and e.value.kind == "decode" and "bad.mp4" in str(e.value)
    assert proc.run(SPEECH / "tr_silence.wav").segments == []  # the child kept serving


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie still answers kill(0); it is dead for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
