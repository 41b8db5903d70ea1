"""Takes in the store: row before capture, finish, retake, submit (+ transcription job), discard, and
recovery of a take whose recording process was killed with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from recorder.probe import probe
from store.recordings import RecordingError, RecordingRepo

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data"


@dataclass
class FakeResult:  # the shape of recorder.take.TakeResult, for store-only tests
    started_at: str = "2026-11-23T10:00:00.000Z"
    ended_at: str = "2026-11-23T10:01:00.000Z"
    duration: float = 60.0
    sha256: str = "ab" * 32
    size: int = 1234
    has_video: bool = True
    has_audio: bool = True
    dropped_frames: int = 2
    gaps: list = field(default_factory=lambda: [{"source": "camera", "reason": "frozen", "start": 3.0,
                                                  "end": 5.5, "noticed": 4.6}])


def people_and_exercise(store):
    from store.people import PeopleRepo
    from store.kit import KitRepo
    people = PeopleRepo(store)
    rep = people.add("Dana Rep", "rep")
    buyer = people.add("Bo Buyer", "rep")
    exercise = KitRepo(store).exercises()[0]
    return rep, buyer, exercise


def test_row_exists_before_capture_and_is_finished_after(store):
    rep, buyer, ex = people_and_exercise(store)
    repo = RecordingRepo(store)
    rec = repo.begin(rep.id, ex["id"], buyer.id)
    assert rec.status == "recording" and rec.partner_id == buyer.id and rec.station_id == store.station_id
    assert repo.absolute(rec.media_path).parent.is_dir()
    done = repo.finish(rec.id, FakeResult())
    assert done.status == "take" and done.duration_s == 60.0 and done.dropped_frames == 2
    assert done.gaps[0]["reason"] == "frozen" and done.media_sha256 == "ab" * 32


def test_retake_keeps_earlier_takes_until_one_is_submitted(store):
    rep, _, ex = people_and_exercise(store)
    repo = RecordingRepo(store)
    first = repo.finish(repo.begin(rep.id, ex["id"]).id, FakeResult())
    second = repo.finish(repo.begin(rep.id, ex["id"]).id, FakeResult(duration=42.0))
    assert {t.id for t in repo.open_takes(rep.id, ex["id"])} == {first.id, second.id}
    submitted = repo.submit(second.id)
    assert submitted.status == "submitted" and submitted.submitted_at
    assert repo.get(first.id).status == "discarded"        # the row stays; only its status changes
    job = store.db.execute("SELECT status FROM transcription_jobs WHERE recording_id=?",
                           [second.id]).fetchone()
    assert job == ("queued",)
    assert repo.open_takes(rep.id, ex["id"]) == []
    with pytest.raises(RecordingError):
        repo.submit(second.id)
    with pytest.raises(RecordingError):
        repo.discard(second.id)


def test_submit_and_job_are_one_transaction(store):
    rep, _, ex = people_and_exercise(store)
    repo = RecordingRepo(store)
    take = repo.finish(repo.begin(rep.id, ex["id"]).id, FakeResult())
    store.db.execute("CREATE TRIGGER no_jobs BEFORE INSERT ON transcription_jobs "
                     "BEGIN SELECT RAISE(ABORT, 'queue unavailable'); END")
    with pytest.raises(Exception, match="queue unavailable"):
        repo.submit(take.id)
    assert repo.get(take.id).status == "take"               # rolled back with the failed queue insert


def test_discard(store):
    rep, _, ex = people_and_exercise(store)
    repo = RecordingRepo(store)
    take = repo.finish(repo.begin(rep.id, ex["id"]).id, FakeResult())
    assert repo.discard(take.id).status == "discarded"


def test_a_take_being_recorded_is_not_recovered_while_its_lock_is_held(store):
    rep, _, ex = people_and_exercise(store)
    live = RecordingRepo(store).begin(rep.id, ex["id"])
    assert RecordingRepo(store).recover_interrupted() == []
    assert RecordingRepo(store).get(live.id).status == "recording"


CHILD = """
import sys, threading, os
from store.station import open_station
from store.recordings import RecordingRepo
from store.people import PeopleRepo
from store.kit import KitRepo
from recorder.camera import CameraSource
from recorder.microphone import MicrophoneSource
from recorder.take import TakeRecorder
data_dir, status, cam, mic = sys.argv[1:5]
store = open_station(data_dir)
rep = PeopleRepo(store).add('Kim Killed', 'rep')
repo = RecordingRepo(store)
row = repo.begin(rep.id, KitRepo(store).exercises()[0]['id'])
rec = TakeRecorder(repo.absolute(row.media_path), CameraSource(cam, loop=True), MicrophoneSource(mic, loop=True))
rec.start()
tick = threading.Event()
while True:
    with open(status + '.tmp', 'w') as f:
        f.write(f'{row.id} {rec.elapsed:.3f}')
    os.replace(status + '.tmp', status)
    tick.wait(0.05)
"""


def test_kill_9_then_next_start_marks_the_take_recovered(tmp_path):
    from store.station import open_station
    data_dir, status = tmp_path / "station", tmp_path / "status"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(status),
                             str(DATA / "rec_camera_320x240_30fps.mp4"),
                             str(DATA / "speech" / "rec_teachback.wav")],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stderr=subprocess.PIPE)
    elapsed, rid, pause = 0.0, None, threading.Event()
    try:
        while elapsed < 3.5:
            assert proc.poll() is None, proc.stderr.read().decode()
            pause.wait(0.02)
            if status.exists() and status.read_text().strip():
                rid, value = status.read_text().split()
                elapsed = float(value)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    store = open_station(data_dir, probe=probe)   # the next start recovers it (main.py injects the probe)
    try:
        repo = RecordingRepo(store)
        rec = repo.get(rid)
        assert rec.status == "recovered"
        assert repo.recover_interrupted() == []   # once only
        path = repo.absolute(rec.media_path)
        info = probe(path)
        assert rec.duration_s == pytest.approx(info.duration, abs=0.01)
        assert rec.duration_s >= elapsed - 2.0 and rec.has_video and rec.has_audio
        assert rec.media_size == path.stat().st_size and len(rec.media_sha256) == 64
        assert not Path(str(path) + ".lock").exists()
        assert rec in repo.open_takes(rec.rep_id, rec.exercise_id)   # kept: it can still be submitted
    finally:
        store.close()


def test_takes_of_other_stations_are_never_recovered_here(store):
    rep, _, ex = people_and_exercise(store)
    repo = RecordingRepo(store)
    rec = repo.begin(rep.id, ex["id"])
    repo._release(rec)                                   # as if its process died...
    with store.transaction() as db:                      # ...but the row belongs to another station
        db.execute("UPDATE recordings SET station_id='another-station' WHERE id=?", [rec.id])
    assert RecordingRepo(store).recover_interrupted() == []
    assert repo.get(rec.id).status == "recording"
