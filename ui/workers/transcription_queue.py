"""The station's background transcription queue: one job at a time, off the main thread.

``TranscriptionQueue`` owns a worker QObject on its own QThread.  The worker runs the Qt-free
``TranscriptionJobRunner`` (model in a killable child process, segments stored as they arrive) and
re-emits its callbacks as signals.  The main thread only reads the job table (quick queries), polls
it every ``poll_ms`` for jobs the Record page queued, and is kicked when the app reports new recordings (``AppContext.on_change``).

Cancel of the running job kills the child process from the main thread (instant); a queued job is
just marked cancelled.  Retry puts a failed or cancelled job back in the queue; its unfinished
transcript is resumed.  On start, jobs a crash left 'transcribing' are queued again.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from recorder.transcription.process import TranscriptionProcess
from recorder.transcription.transcriber import TranscribeSettings
from recorder.transcription.jobs import TranscriptionJobRunner
from store.db import Store
from store.transcripts import TranscriptRepo


class _Worker(QObject):
    started = Signal(str)
    progress = Signal(str, float)
    segment = Signal(str, object)
    finished = Signal(str, str, str)  # recording id, status, error ('' if none)
    idle = Signal()

    def __init__(self, runner: TranscriptionJobRunner):
        super().__init__()
        self.runner = runner
        self.stopping = False

    @Slot()
    def drain(self) -> None:
        """Run queued jobs until none is left (or the queue is shutting down)."""
        repo = self.runner.repo
        while not self.stopping:
            rid = repo.next_queued()
            if rid is None or not repo.claim(rid):
                if rid is None:
                    break
                continue
            self.started.emit(rid)
            outcome = self.runner._run_claimed(rid, on_progress=self.progress.emit,
                                               on_segment=self.segment.emit)
            self.finished.emit(rid, outcome.status, outcome.error or "")
        self.idle.emit()


class TranscriptionQueue(QObject):
    job_started = Signal(str)
    progress = Signal(str, float)        # recording id, 0..1 of the audio duration
    segment = Signal(str, object)        # recording id, recorder.transcription.results.Segment
    job_finished = Signal(str, str, str)  # recording id, done|failed|cancelled, error
    jobs_changed = Signal()
    idle = Signal()
    _drain = Signal()

    def __init__(self, store: Store, settings: TranscribeSettings | None = None, poll_ms: int = 2000,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.repo = TranscriptRepo(store)
        self.process = TranscriptionProcess(settings or TranscribeSettings())
        self.runner = TranscriptionJobRunner(self.repo, self.process)
        self.busy = False
        self.current: str | None = None
        self.last_progress: dict[str, float] = {}
        self._thread = QThread()
        self._thread.setObjectName("transcription-queue")
        self._worker = _Worker(self.runner)
        self._worker.moveToThread(self._thread)
        self._drain.connect(self._worker.drain)
        self._worker.started.connect(self._on_started)
        self._worker.progress.connect(self._on_progress)
        self._worker.segment.connect(self.segment)
        self._worker.finished.connect(self._on_finished)
        self._worker.idle.connect(self._on_idle)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.kick)
        self._started = False
        app = QCoreApplication.instance()
        if app is not None:  # never leave a running QThread behind at exit
            app.aboutToQuit.connect(self.shutdown)

    # -- control (main thread) -------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.runner.recover():
            self.jobs_changed.emit()
        self._timer.start()
        self.kick()

    def kick(self) -> None:
        """Start the worker if it is idle and something is queued."""
        if not self._started or self.busy or self._worker.stopping:
            return
        if self.repo.next_queued() is not None:
            if not self._thread.isRunning():  # started on first work, so an idle window costs nothing
                self._thread.start()
            self.busy = True
            self._drain.emit()

    def enqueue(self, recording_id: str) -> None:
        self.repo.enqueue(recording_id)
        self.jobs_changed.emit()
        self.kick()

    def cancel(self, recording_id: str) -> None:
        if recording_id == self.current:
            self.runner.cancel()  # kills the child; the worker marks the job cancelled
        elif self.repo.mark_cancelled(recording_id):
            self.jobs_changed.emit()

    def retry(self, recording_id: str) -> bool:
        ok = self.repo.retry(recording_id)
        if ok:
            self.jobs_changed.emit()
            self.kick()
        return ok

    def jobs(self) -> list[dict]:
        return self.repo.jobs()

    def apply_settings(self, settings: TranscribeSettings) -> None:
        """Use another model / thread count from the next job on (the child is restarted)."""
        self.process.settings = settings
        if self.current is None:
            self.process.close()  # idle: the next run starts a child with the new settings
        else:
            self._restart_after_job = True

    def shutdown(self) -> None:
        """Stop: kill a running job (it resumes on next start), stop the thread and the child."""
        if not self._started and not self._thread.isRunning():
            return
        self._timer.stop()
        self._worker.stopping = True
        if self.current is not None:
            self.runner.cancel()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
        if self.current is not None:  # the job was interrupted by quitting, not by the user
            self.repo.retry(self.current)
        self.process.close()
        self._started = False

    # -- worker signals ----------------------------------------------------------------------------
    def _on_started(self, rid: str) -> None:
        self.current = rid
        self.last_progress[rid] = 0.0
        self.job_started.emit(rid)
        self.jobs_changed.emit()

    def _on_progress(self, rid: str, p: float) -> None:
        self.last_progress[rid] = p
        self.progress.emit(rid, p)

    def _on_finished(self, rid: str, status: str, error: str) -> None:
        self.current = None
        if getattr(self, "_restart_after_job", False) and not self.busy:
            self._restart_after_job = False
            self.process.close()
        self.job_finished.emit(rid, status, error)
        self.jobs_changed.emit()

    def _on_idle(self) -> None:
        self.busy = False
        if getattr(self, "_restart_after_job", False):
            self._restart_after_job = False
            self.process.close()
        self.idle.emit()
        self.kick()  # something may have been queued while the worker finished
