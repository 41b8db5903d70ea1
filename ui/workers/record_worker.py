"""Runs a recorder take (or a camera-only preview) off the main thread and reports through signals.

The engine's callbacks arrive on capture threads; they only keep the newest frame and emit a signal at
most ``preview_fps`` times a second, so the preview can never slow the recording down.
"""
from __future__ import annotations

import queue
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from recorder.camera import CameraSource
from recorder.errors import NothingToRecordError, RecorderError
from recorder.microphone import MicrophoneSource
from recorder.take import TakeRecorder, TakeResult
from recorder.take_audio import block_level

PREVIEW_WIDTH = 640


def frame_to_qimage(img: np.ndarray, width: int = PREVIEW_WIDTH) -> QImage:
    """BGR frame -> RGB QImage no wider than ``width`` (a deep copy: safe to hand to the GUI thread)."""
    import cv2  # noqa: PLC0415

    h, w = img.shape[:2]
    if w > width:
        img = cv2.resize(img, (width, max(2, int(h * width / w))), interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888).copy()


class _Throttle:
    def __init__(self, per_second: float):
        self.period = 1.0 / per_second
        self.last = 0.0
        self.lock = threading.Lock()

    def ready(self) -> bool:
        now = time.monotonic()
        with self.lock:  # 0.8: a 30 fps camera under a 25/s cap still shows every frame (jitter)
            if now - self.last < self.period * 0.8:
                return False
            self.last = now
            return True


class RecordWorker(QObject):
    """Lives on its own QThread. ``start_take`` / ``stop_take`` are slots; results come back as signals."""

    preview = Signal(QImage)
    level = Signal(float, float)
    warning = Signal(str)
    recording = Signal(str, str)  # the take started: recording id, file path
    finished = Signal(str, object)  # recording id, TakeResult (stopped, time limit, disk full)
    failed = Signal(str)          # could not start: a clear message
    preview_stopped = Signal()
    camera_problem = Signal(str)  # the preview camera could not be opened

    def __init__(self, begin_take, abandon_take, camera_factory=CameraSource,
                 microphone_factory=MicrophoneSource, preview_fps: float = 25.0):
        """``begin_take(has_video, has_audio) -> (recording id, path)`` creates the store row (called on
        this worker's thread, after the devices opened); ``abandon_take(id)`` undoes it."""
        super().__init__()
        self.begin_take = begin_take
        self.abandon_take = abandon_take
        self._rec_id = ""
        self._camera_factory = camera_factory
        self._microphone_factory = microphone_factory
        self._preview_fps = preview_fps
        self._throttle = _Throttle(preview_fps)
        self._take: TakeRecorder | None = None
        self._preview_cam: CameraSource | None = None
        self._preview_mic: tuple[MicrophoneSource, threading.Event] | None = None
        self._result_sent = threading.Lock()

    def _on_frame(self, img, t) -> None:  # noqa: ARG002 - capture thread
        if self._throttle.ready():
            self.preview.emit(frame_to_qimage(img))

    # --- camera preview and microphone level before a take -----------------------------------------
    @Slot(str, str)
    def start_preview(self, camera_spec: str, mic_spec: str = "") -> None:
        """Show the camera and the microphone's level so the rep can check both before recording."""
        self.stop_preview()
        self._throttle = _Throttle(self._preview_fps)
        if camera_spec and camera_spec.strip().lower() != "none":
            cam = self._camera_factory(camera_spec, loop=True)
            try:
                cam.start(self._on_frame)
                self._preview_cam = cam
            except RecorderError as err:
                self.camera_problem.emit(str(err))
        if mic_spec and mic_spec.strip().lower() != "none":
            mic = self._microphone_factory(mic_spec, loop=True)
            try:
                mic.start()
            except RecorderError as err:
                self.warning.emit(str(err))
                return
            stop = threading.Event()
            self._preview_mic = (mic, stop)
            threading.Thread(target=self._meter, args=(mic, stop), name="mic-meter", daemon=True).start()

    def _meter(self, mic: MicrophoneSource, stop: threading.Event) -> None:
        throttle = _Throttle(20)
        while not stop.is_set():
            try:
                _t, block = mic.blocks.get(timeout=0.1)
            except queue.Empty:
                continue
            if throttle.ready():
                self.level.emit(*block_level(block))

    @Slot()
    def stop_preview(self) -> None:
        cam, self._preview_cam = self._preview_cam, None
        mic, self._preview_mic = self._preview_mic, None
        if cam is not None:
            cam.stop()
        if mic is not None:
            mic[1].set()
            mic[0].stop()
        if cam is not None or mic is not None:
            self.preview_stopped.emit()

    # --- a take --------------------------------------------------------------------------------------
    @Slot(str, str, float)
    def start_take(self, camera_spec: str, mic_spec: str, max_seconds: float) -> None:
        """Open the devices, then create the store row (``begin_take``), then record. Nothing is stored
        when a device cannot be opened."""
        self.stop_preview()           # one owner of the camera at a time
        self._throttle = _Throttle(self._preview_fps)
        cam = mic = None
        try:
            if camera_spec.strip().lower() not in ("", "none"):
                cam = self._camera_factory(camera_spec, loop=True)
            if mic_spec.strip().lower() not in ("", "none"):
                mic = self._microphone_factory(mic_spec, loop=True)
            if cam is None and mic is None:
                raise NothingToRecordError()
            for source in (cam, mic):
                if source is not None:
                    source.open()
        except RecorderError as err:
            for source in (cam, mic):
                if source is not None:
                    source.stop()
            self.failed.emit(str(err))
            return
        try:
            rec_id, path = self.begin_take(cam is not None, mic is not None)
        except Exception as err:  # noqa: BLE001 - the store said no: say so, record nothing
            for source in (cam, mic):
                if source is not None:
                    source.stop()
            self.failed.emit(f"The take could not be stored: {err}")
            return
        take = TakeRecorder(path, cam, mic, max_seconds=max_seconds or None,
                            on_preview=self._on_frame,
                            on_level=lambda db, peak: self.level.emit(db, peak),
                            on_warning=self.warning.emit, on_finished=self._emit_finished)
        try:
            take.start()
        except Exception as err:  # noqa: BLE001
            self.abandon_take(rec_id)
            self.failed.emit(str(err) if isinstance(err, RecorderError) else f"Recording could not start: {err}")
            return
        self._rec_id = rec_id
        self._take = take
        self.recording.emit(rec_id, str(path))

    @Slot()
    def stop_take(self) -> None:
        take = self._take
        if take is not None:
            self._emit_finished(take.stop())

    def _emit_finished(self, result: TakeResult) -> None:
        with self._result_sent:
            if self._take is None:
                return
            self._take = None
        self.finished.emit(self._rec_id, result)

    @Slot()
    def shutdown(self) -> None:
        self.stop_take()
        self.stop_preview()


def start_worker_thread(worker: RecordWorker, parent=None) -> QThread:
    thread = QThread(parent)
    thread.setObjectName("record-worker")
    worker.moveToThread(thread)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread
