"""The Record page's recording lifecycle, apart from its layout: the capture worker on its own thread, the
3-2-1 countdown and the take's states

    idle -> countdown -> starting -> recording -> stopping -> idle      (countdown -> idle: cancelled)

The page asks (``start``, ``cancel_countdown``, ``stop``, ``start_preview``) and shows what this reports
through signals. The store writes for a take happen here: ``begin`` on the worker's thread once the devices
are open (so a device error stores nothing), ``finish`` when the worker reports the take.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QMetaObject, QObject, Qt, QTimer, Signal

from store.recordings import RecordingRepo
from ui.workers.record_worker import RecordWorker, start_worker_thread


@dataclass(frozen=True)
class TakeRequest:
    rep: str
    exercise: str
    partner: str | None
    limit: float           # seconds; the worker stops the take there


class RecordController(QObject):
    state_changed = Signal(str)         # idle | countdown | starting | recording | stopping
    countdown = Signal(str)             # the preview's overlay: "3", "2", "1", then ""
    tick = Signal()                     # every 200 ms while a take runs (elapsed time)
    finished = Signal(object, object)   # the stored Recording row, the worker's TakeResult
    failed = Signal(str)                # the take could not start: a clear message
    warning = Signal(str)               # a device or the disk complained during a take
    preview_problem = Signal(str)       # the preview could not open the microphone (said on every start)
    _start_take = Signal(str, str, float)
    _stop_take = Signal()
    _start_preview = Signal(str, str)
    _stop_preview = Signal()

    def __init__(self, repo: RecordingRepo, services, devices: Callable[[], tuple[str, str]], parent=None):
        """``devices() -> (camera, microphone)``: the specs chosen on the page, read when a take begins."""
        super().__init__(parent)
        self.repo = repo
        self.devices = devices
        self.countdown_seconds = 3
        self.state = "idle"
        self.recording_id = ""
        self.clock = QElapsedTimer()
        self._count = 0
        self._pending: TakeRequest | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self.tick)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)

        self.worker = RecordWorker(self._begin_take, self._abandon_take,
                                   camera_factory=services.camera_factory,
                                   microphone_factory=services.microphone_factory)
        self.thread = start_worker_thread(self.worker)
        self._start_take.connect(self.worker.start_take)
        self._stop_take.connect(self.worker.stop_take)
        self._start_preview.connect(self.worker.start_preview)
        self._stop_preview.connect(self.worker.stop_preview)
        self.worker.warning.connect(self._on_warning)
        self.worker.recording.connect(self._on_recording)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def elapsed_s(self) -> float:
        """Seconds into the running take, 0 when none runs."""
        return self.clock.elapsed() / 1000.0 if self.state in ("recording", "stopping") else 0.0

    # --- preview -------------------------------------------------------------------------------------
    def start_preview(self, camera: str, microphone: str) -> None:
        self._start_preview.emit(camera, microphone)

    def stop_preview(self) -> None:
        self._stop_preview.emit()

    # --- a take --------------------------------------------------------------------------------------
    def start(self, request: TakeRequest) -> None:
        """The countdown, then the take (at once when ``countdown_seconds`` is 0)."""
        if self.state != "idle":
            return
        self._pending = request
        self._count = self.countdown_seconds
        self._set_state("countdown")
        if self._count <= 0:
            self._begin_recording()
            return
        self.countdown.emit(str(self._count))
        self._countdown.start()

    def cancel_countdown(self) -> None:
        if self.state == "countdown":
            self._countdown.stop()
            self.countdown.emit("")
            self._set_state("idle")

    def stop(self) -> None:
        if self.state == "recording":
            self._set_state("stopping")
            self._stop_take.emit()

    def _count_down(self) -> None:
        self._count -= 1
        if self._count > 0:
            self.countdown.emit(str(self._count))
            return
        self._countdown.stop()
        self.countdown.emit("")
        self._begin_recording()

    def _begin_recording(self) -> None:
        self._set_state("starting")
        camera, microphone = self.devices()
        self._start_take.emit(camera, microphone, self._pending.limit)

    def _begin_take(self, has_video: bool, has_audio: bool):      # on the worker's thread
        p = self._pending
        rec = self.repo.begin(p.rep, p.exercise, p.partner, has_video=has_video, has_audio=has_audio)
        return rec.id, self.repo.absolute(rec.media_path)

    def _abandon_take(self, rec_id: str) -> None:                  # on the worker's thread
        self.repo.abandon(rec_id)

    # --- what the worker reports ---------------------------------------------------------------------
    def _on_warning(self, text: str) -> None:
        (self.preview_problem if self.state == "idle" else self.warning).emit(text)

    def _on_recording(self, rec_id: str, path: str) -> None:  # noqa: ARG002
        self.recording_id = rec_id
        self.clock.start()
        self._tick.start()
        self._set_state("recording")

    def _on_finished(self, rec_id: str, result) -> None:
        self._tick.stop()
        rec = self.repo.finish(rec_id, result)
        self._set_state("idle")
        self.finished.emit(rec, result)

    def _on_failed(self, message: str) -> None:
        self._tick.stop()
        self._set_state("idle")
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Stop a running take (it is kept) and the worker thread. Called when the app quits."""
        if self.thread is None:
            return
        QMetaObject.invokeMethod(self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        QCoreApplication.sendPostedEvents(self)   # store the take the worker just finished
        self.thread.quit()
        self.thread.wait(5000)
        self.thread = None
