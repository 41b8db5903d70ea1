"""The background queue and its panel (pytest-qt) with the real model in a child process:
progress as a share of the audio, cancel, crash -> failed and retryable, retry resumes, and the
main thread keeps running while a job runs."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from recorder.transcription.audio_decode import decode_audio

SPEECH = Path(__file__).parent / "data" / "speech"
JOB_TIMEOUT_MS = 180_000  # a generous ceiling against a hang; tests wait for signals, not for time


@pytest.fixture
def queue(store, qapp):
    from ui.workers.transcription_queue import TranscriptionQueue

    q = TranscriptionQueue(store, poll_ms=200)
    q.start()
    yield q
    q.shutdown()


@pytest.fixture
def panel(queue, qtbot):
    from ui.widgets.transcription_panel import TranscriptionPanel

    p = TranscriptionPanel(queue)
    qtbot.addWidget(p)
    p.resize(1000, 400)
    p.show()
    return p


def add_recording(store, media: Path) -> str:
    with store.transaction() as db:
        f = store.record_fields()
        db["recordings"].insert(dict(f, status="submitted", media_path=str(media)))
    return f["id"]


def test_job_runs_with_progress_and_the_main_thread_keeps_running(store, queue, panel, qtbot, long_take):
    rid = add_recording(store, long_take)
    progress: list[float] = []
    queue.progress.connect(lambda r, p: progress.append(p))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as done:
        queue.enqueue(rid)
    timer.stop()
    assert done.args == [rid, "done", ""]
    assert len(progress) >= 3 and progress == sorted(progress) and progress[-1] == 1.0
    segs = queue.repo.segments(queue.repo.latest_transcript(rid)["id"])
    duration = decode_audio(long_take).duration
    # a share of the audio duration: the end of each stored segment over the take's length
    assert progress[:-1] == pytest.approx([min(0.99, s["end"] / duration) for s in segs], abs=1e-3)
    assert len(ticks) >= 5  # the event loop ran while the model worked
    qtbot.waitUntil(lambda: panel.status_text(rid) == "Done")
    assert panel.progress_bar(rid).value() == 100
    panel.select(rid)
    assert "deal clinic" in panel.view.browser.toPlainText().lower()


def test_cancel_button_then_retry_resumes(store, queue, panel, qtbot, long_take):
    rid = add_recording(store, long_take)
    panel.refresh()

    def cancel_on_first_progress(r, _p):
        if r == rid and panel.cancel_button.isEnabled():
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)

    queue.job_started.connect(lambda r: (panel.refresh(), panel.select(r)))
    queue.progress.connect(cancel_on_first_progress)
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as cancelled:
        queue.enqueue(rid)
    queue.progress.disconnect(cancel_on_first_progress)
    assert cancelled.args[:2] == [rid, "cancelled"]
    qtbot.waitUntil(lambda: panel.status_text(rid) == "Cancelled")
    panel.select(rid)
    assert not panel.cancel_button.isEnabled() and panel.retry_button.isEnabled()
    kept = queue.repo.incomplete_transcript(rid)
    assert kept and 0 < kept["resume_at"] < 40
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert finished.args[:2] == [rid, "done"]
    t = queue.repo.latest_transcript(rid)
    assert t["id"] == kept["id"] and "new messaging" in t["text"].lower()


def test_child_crash_marks_failed_and_the_app_survives(store, queue, panel, qtbot):
    from recorder.transcription.process import TranscriptionProcess

    class AbortingProcess(TranscriptionProcess):
        """The real child process, told to os.abort() after its first segment."""

        def run(self, *args, **kwargs):
            return super().run(*args, crash_after_segments=1, **kwargs)

    queue.process.close()
    queue.process = queue.runner.process = AbortingProcess()
    rid = add_recording(store, SPEECH / "tr_teachback_us.wav")
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as failed:
        queue.enqueue(rid)
    assert failed.args[0] == rid and failed.args[1] == "failed" and "died" in failed.args[2]
    job = queue.repo.job(rid)
    assert job["status"] == "failed" and not job["error"].startswith("permanent")
    qtbot.waitUntil(lambda: panel.status_text(rid) == "Failed")
    panel.select(rid)
    assert panel.retry_button.isEnabled()
    assert "died" in panel.table.item(panel.rows[rid], 4).text()
    assert queue.repo.incomplete_transcript(rid)["next_idx"] == 1  # the segment before the crash is kept


def test_jobs_queued_by_another_page_are_picked_up_by_polling(store, queue, qtbot):
    from store.transcripts import TranscriptRepo

    rid = add_recording(store, SPEECH / "tr_champion_gb.wav")
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as done:
        TranscriptRepo(store).enqueue(rid)  # as the Record page does: a row in transcription_jobs
    assert done.args[:2] == [rid, "done"]


def test_shutdown_mid_job_requeues_it(store, qapp, qtbot, long_take):
    from ui.workers.transcription_queue import TranscriptionQueue

    q = TranscriptionQueue(store, poll_ms=200)
    rid = add_recording(store, long_take)
    q.start()
    with qtbot.waitSignal(q.progress, timeout=JOB_TIMEOUT_MS):
        q.enqueue(rid)
    q.shutdown()
    assert q.repo.job(rid)["status"] == "queued"  # quitting is not cancelling: it resumes next start
    assert q.process.pid is None
