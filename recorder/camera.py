"""Camera capture: OpenCV VideoCapture on a device index/path/name, or a file/URL paced at real time.

A capture thread reads frames, stamps each with a monotonic clock the moment it arrives and hands it to a
sink that must not block (the take puts it in a bounded queue). The thread also keeps the health facts a
watchdog needs: when the last frame arrived, when the picture last changed, and whether a read is stuck.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Callable

import numpy as np

from recorder.devices import DeviceSpec, camera_name_to_path, parse_spec
from recorder.errors import NoCameraBackendError, NoCameraError

FrameSink = Callable[[np.ndarray, float], None]
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # our own messages say what failed, clearly


def open_capture(spec: DeviceSpec):
    """Default capture factory: a cv2.VideoCapture for a classified spec."""
    try:
        import cv2  # noqa: PLC0415 - OpenCV is heavy; import only when a camera is really opened
    except ImportError as err:  # a missing module, or a library it links that the loader cannot find
        raise NoCameraBackendError(spec.text, str(err)) from err
    try:  # our NoCameraError says what failed; OpenCV's own warnings would only add noise
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    except AttributeError:
        pass
    if spec.kind == "index":
        return cv2.VideoCapture(int(spec.value))
    if spec.kind == "name":
        path = camera_name_to_path(str(spec.value))
        if path is None:
            raise NoCameraError(spec.text, "no camera with that name is connected")
        return cv2.VideoCapture(path)
    return cv2.VideoCapture(str(spec.value))


class CameraSource:
    """One camera (or a file standing in for one). ``open()`` then ``start(sink)`` then ``stop()``."""

    def __init__(self, spec: object, *, width: int = 1280, height: int = 720, fps: float = 30.0,
                 loop: bool = False, capture_factory: Callable[[DeviceSpec], object] = open_capture,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.spec = spec if isinstance(spec, DeviceSpec) else parse_spec(spec)
        self.requested = (width, height, fps)
        self.loop = loop
        self._factory = capture_factory
        self._clock = clock
        self._cap = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.width = self.height = 0
        self.fps = fps
        self.frames_read = 0
        self.read_failures = 0
        self.ended = False                # a file source reached its end (and does not loop)
        self.failed_reason = ""           # last failure, for messages
        self.last_frame_time: float | None = None    # monotonic time of the last delivered frame
        self.last_change_time: float | None = None   # ... of the last frame that differed from the one before
        self.read_started: float | None = None       # set while a read() call is in progress
        self._first: np.ndarray | None = None
        self._prev_sig: bytes | None = None

    @property
    def is_file(self) -> bool:
        return self.spec.is_file

    # --- opening -----------------------------------------------------------------------------------
    def open(self) -> None:
        """Open the device and read one frame to learn the real size. Raises NoCameraError.
        Opening an open camera does nothing (callers may check devices before a take starts)."""
        if self._cap is not None:
            return
        if self.spec.kind == "none":
            raise NoCameraError("none", "no camera was chosen")
        try:
            cap = self._factory(self.spec)
        except NoCameraError:
            raise
        except Exception as err:  # OpenCV raises cv2.error for some backends
            raise NoCameraError(self.spec.text, str(err)) from err
        if cap is None or not cap.isOpened():
            raise NoCameraError(self.spec.text, "the device or file could not be opened")
        if not self.is_file:
            import cv2  # noqa: PLC0415
            w, h, fps = self.requested
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, w)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, h)
            cap.set(cv2.CAP_PROP_FPS, fps)
        ok, img = cap.read()
        if not ok or img is None:
            cap.release()
            raise NoCameraError(self.spec.text, "it gave no picture")
        self._cap = cap
        self._first = img
        self.height, self.width = img.shape[:2]
        declared = _get(cap, 5)  # CAP_PROP_FPS; only a hint (cameras lie), used for pacing files
        if declared and 1.0 <= declared <= 240.0:
            self.fps = float(declared)

    # --- running -----------------------------------------------------------------------------------
    def start(self, sink: FrameSink) -> None:
        if self._cap is None:
            self.open()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="camera", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop capturing. A read that is stuck in the driver is abandoned (daemon thread)."""
        self._stop.set()
        t = self._thread
        if t is not None:
            t.join(timeout)
            if t.is_alive():
                return  # stuck in read(): do not release under its feet
        if self._cap is not None:
            try:
                self._cap.release()
            except Exception:  # noqa: BLE001 - releasing a dead device must not break stop()
                pass
            self._cap = None

    def _deliver(self, sink: FrameSink, img: np.ndarray, t: float) -> None:
        sig = img[:: max(1, img.shape[0] // 24), :: max(1, img.shape[1] // 32)].tobytes()
        if sig != self._prev_sig:
            self.last_change_time = t
            self._prev_sig = sig
        self.last_frame_time = t
        self.frames_read += 1
        sink(img, t)

    def _run(self, sink: FrameSink) -> None:
        cap = self._cap
        clock = self._clock
        period = 1.0 / self.fps if self.fps else 1.0 / 30
        base = clock()          # file pacing: monotonic time of media position 0
        media_pos = 0.0
        img = self._first
        self._first = None
        if img is not None:
            self._deliver(sink, img, clock())
        while not self._stop.is_set():
            self.read_started = clock()
            try:
                ok, img = cap.read()
            except Exception as err:  # noqa: BLE001 - a driver error is a failed read
                ok, img, self.failed_reason = False, None, str(err)
            self.read_started = None
            if self._stop.is_set():
                break
            if not ok or img is None:
                if self.is_file:
                    if self.loop and self.frames_read > 0:
                        cap.set(1, 0)  # CAP_PROP_POS_FRAMES
                        base += media_pos + period
                        media_pos = 0.0
                        continue
                    self.ended = True
                    self.failed_reason = self.failed_reason or "the video file ended"
                    return
                self.read_failures += 1
                self.failed_reason = self.failed_reason or "the camera stopped giving pictures"
                cap = self._reopen(cap)
                continue
            if self.is_file:  # pace at real time by the file's own timestamps
                pos = _get(cap, 0) / 1000.0  # CAP_PROP_POS_MSEC
                media_pos = pos if pos > 0 else media_pos + period
                delay = base + media_pos - clock()
                if delay > 0 and self._stop.wait(delay):
                    break
            self._deliver(sink, img, clock())

    def _reopen(self, cap):
        """After a failed read of a device: wait a little and try to open it again (unplug/replug)."""
        if self._stop.wait(0.5):
            return cap
        try:
            cap.release()
        except Exception:  # noqa: BLE001
            pass
        try:
            new = self._factory(self.spec)
            if new is not None and new.isOpened():
                self._cap = new
                self.failed_reason = ""
                return new
        except Exception as err:  # noqa: BLE001
            self.failed_reason = str(err)
        return cap


def _get(cap, prop: int) -> float:
    try:
        return float(cap.get(prop))
    except Exception:  # noqa: BLE001
        return 0.0
