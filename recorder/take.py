"""A take: camera + microphone -> one fragmented MP4, with watchdogs, a time limit and a plain result.

Threads: the camera's capture thread and the microphone's PortAudio callback (or file player) only
timestamp and queue. One encoder thread consumes both queues. A watchdog thread notices sources that go
quiet (within ``watchdog_seconds``), records gaps, and enforces the time limit.
"""
from __future__ import annotations

import queue
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from recorder.take_audio import AudioAligner, block_level
from recorder.camera import CameraSource
from recorder.encoder import DEFAULT_PRESET, Encoder
from recorder.errors import DiskFullError, NothingToRecordError, RecorderError
from recorder.microphone import MicrophoneSource
from store.hashing import sha256_file as file_sha256


@dataclass
class Gap:
    source: str            # 'camera' or 'microphone'
    reason: str            # 'stopped', 'frozen', 'blocked', 'no sound'
    start: float           # seconds into the take when the source last worked
    end: float | None = None   # seconds into the take when it worked again (None: until the end)
    noticed: float = 0.0       # seconds into the take when the watchdog noticed

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TakeResult:
    path: str
    started_at: str
    ended_at: str
    duration: float
    has_video: bool
    has_audio: bool
    dropped_frames: int
    gaps: list[Gap]
    sha256: str
    size: int
    stop_reason: str       # 'stopped', 'time_limit', 'disk_full', 'error'
    message: str = ""
    video_frames: int = 0
    width: int = 0
    height: int = 0
    stop_to_playable: float = 0.0   # seconds from the stop request to a closed, complete file


def _iso_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class TakeRecorder:
    """Record one take. ``start()`` raises RecorderError subclasses with clear messages;
    ``stop()`` returns a TakeResult (also given to ``on_finished`` when the take ends by itself)."""

    def __init__(self, path: str | Path, camera: CameraSource | None = None,
                 microphone: MicrophoneSource | None = None, *, max_seconds: float | None = None,
                 on_preview: Callable[[np.ndarray, float], None] | None = None,
                 on_level: Callable[[float, float], None] | None = None,
                 on_warning: Callable[[str], None] | None = None,
                 on_finished: Callable[[TakeResult], None] | None = None,
                 preset: str = DEFAULT_PRESET, video_queue_frames: int = 30, watchdog_seconds: float = 1.5,
                 encoder_factory: Callable[..., Encoder] = Encoder,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if camera is None and microphone is None:
            raise NothingToRecordError()
        self.path = Path(path)
        self.camera, self.microphone = camera, microphone
        self.max_seconds = max_seconds
        self.on_preview, self.on_level, self.on_warning = on_preview, on_level, on_warning
        self.on_finished = on_finished
        self.preset = preset
        self.watchdog_seconds = watchdog_seconds
        self._encoder_factory = encoder_factory
        self._clock = clock
        self._frames: queue.Queue = queue.Queue(maxsize=video_queue_frames)
        self.dropped_frames = 0
        self.gaps: list[Gap] = []
        self._open_gap: dict[str, Gap] = {}
        self._t0 = 0.0
        self._t_stop: float | None = None
        self._stop_requested = threading.Event()
        self._enc_done = threading.Event()
        self._finished = threading.Event()
        self._finish_lock = threading.Lock()
        self._result: TakeResult | None = None
        self._stop_reason = "stopped"
        self._message = ""
        self._encoder: Encoder | None = None
        self._enc_thread = self._dog_thread = None
        self._started_at = ""
        self._stop_called_at = 0.0
        self.running = False

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the devices and the file, then start capturing. Nothing is left running on error."""
        opened = []
        try:
            if self.camera is not None:
                self.camera.open()
                opened.append(self.camera)
            if self.microphone is not None:
                self.microphone.open()
                opened.append(self.microphone)
            cam, mic = self.camera, self.microphone
            self._encoder = self._encoder_factory(
                self.path, video_size=((cam.width // 2 * 2, cam.height // 2 * 2) if cam else None),
                fps=cam.fps if cam else 30.0, samplerate=mic.samplerate if mic else None,
                preset=self.preset)
            self._encoder.open()
        except BaseException:
            for src in opened:
                src.stop()
            raise
        self._aligner = AudioAligner(self.microphone.samplerate) if self.microphone else None
        if self.microphone is not None:
            try:
                self.microphone.start()   # first: a device may need a moment to deliver
            except BaseException:
                for src in opened:
                    src.stop()
                self._encoder.abandon()
                raise
        self._t0 = self._clock()
        self._started_at = _iso_now()
        self.running = True
        if self.camera is not None:
            self.camera.start(self._on_frame)
        self._enc_thread = threading.Thread(target=self._encode_loop, name="encoder", daemon=True)
        self._dog_thread = threading.Thread(target=self._watchdog, name="watchdog", daemon=True)
        self._enc_thread.start()
        self._dog_thread.start()

    @property
    def elapsed(self) -> float:
        if not self._t0:
            return 0.0
        end = self._t_stop if self._t_stop is not None else self._clock()
        return max(0.0, end - self._t0)

    def stop(self) -> TakeResult:
        """Stop (if still running) and return the result. Safe to call more than once."""
        return self._finish("stopped")

    def wait(self, timeout: float | None = None) -> TakeResult | None:
        """Wait for a take that ends by itself (time limit, disk full)."""
        self._finished.wait(timeout)
        return self._result

    # --- capture-side callbacks (must never block) -------------------------------------------------
    def _on_frame(self, img: np.ndarray, t: float) -> None:
        if self._t_stop is not None and t > self._t_stop:
            return
        try:
            self._frames.put_nowait((t, img))
        except queue.Full:
            self.dropped_frames += 1
        if self.on_preview is not None:
            try:
                self.on_preview(img, t - self._t0)
            except Exception:  # noqa: BLE001 - a broken preview must never stop a recording
                pass

    def _warn(self, text: str) -> None:
        if self.on_warning is not None:
            try:
                self.on_warning(text)
            except Exception:  # noqa: BLE001
                pass

    # --- the encoder thread ------------------------------------------------------------------------
    def _encode_loop(self) -> None:
        enc, mic = self._encoder, self.microphone
        last_level = 0.0
        try:
            while True:
                if mic is not None:
                    last_level = self._drain_audio(enc, mic, last_level)
                try:
                    t, img = self._frames.get(timeout=0.01)
                except queue.Empty:
                    if self._stop_requested.is_set() and self._audio_caught_up():
                        break
                    continue
                if self._t_stop is None or t <= self._t_stop:
                    enc.add_video(img, t - self._t0)
            self._close_encoder(enc)
        except DiskFullError as err:
            self._stop_reason, self._message = "disk_full", str(err)
            enc.abandon()
            self._warn(str(err))
            threading.Thread(target=self._finish, args=("disk_full",), daemon=True).start()
        except Exception as err:  # noqa: BLE001 - any encoder failure ends the take with a message
            self._stop_reason = "error"
            self._message = f"Recording failed: {err}. What was recorded up to now is kept in {self.path}."
            enc.abandon()
            self._warn(self._message)
            threading.Thread(target=self._finish, args=("error",), daemon=True).start()
        finally:
            self._enc_done_time = self._clock()
            self._enc_done.set()

    def _close_encoder(self, enc: Encoder) -> None:
        if self._aligner is not None and self._t_stop is not None:  # a mic that died: silence to the end
            enc.add_audio(self._aligner.pad_to(self._t_stop - self._t0))
        enc.close(end_time=None if self._t_stop is None else self._t_stop - self._t0)

    def _drain_audio(self, enc: Encoder, mic: MicrophoneSource, last_level: float) -> float:
        stop_rel = None if self._t_stop is None else self._t_stop - self._t0
        while True:
            try:
                t, block = mic.blocks.get_nowait()
            except queue.Empty:
                break
            samples = self._aligner.place(t - self._t0, block, stop_rel)
            enc.add_audio(samples)
            now = self._clock()
            if self.on_level is not None and now - last_level >= 0.05 and block.size:
                last_level = now
                try:
                    self.on_level(*block_level(block))
                except Exception:  # noqa: BLE001
                    pass
        # the microphone is in a gap: keep the audio track moving with silence so the file stays whole
        if "microphone" in self._open_gap and self._t_stop is None:
            enc.add_audio(self._aligner.pad_to(self._clock() - self._t0 - 0.25))
        return last_level

    def _audio_caught_up(self) -> bool:
        """After stop: wait (briefly) until the microphone delivered sound up to the stop moment."""
        if self.microphone is None or "microphone" in self._open_gap:
            return True
        if self._aligner.position >= self._t_stop - self._t0 - 0.002:
            return True
        return self._clock() - self._t_stop > 0.3 or not self.microphone.active

    # --- the watchdog ------------------------------------------------------------------------------
    def _watchdog(self) -> None:
        limit = self.watchdog_seconds
        self._mic_restarted = 0.0
        while not self._stop_requested.wait(0.1):
            now = self._clock()
            if self.camera is not None:
                cam = self.camera
                seen = cam.last_change_time or self._t0
                if now - seen > limit:
                    if cam.read_started is not None and now - cam.read_started > limit:
                        reason = "blocked"
                    elif cam.last_frame_time and now - cam.last_frame_time < limit:
                        reason = "frozen"
                    else:
                        reason = "stopped"
                    self._gap_opened("camera", reason, max(seen, self._t0))
                else:
                    self._gap_closed("camera", seen)
            if self.microphone is not None:
                heard = self.microphone.last_block_time or self._t0
                if now - heard > limit:
                    self._gap_opened("microphone", "no sound", max(heard, self._t0))
                    if now - self._mic_restarted > limit:   # try to get a stalled device back
                        self._mic_restarted = now
                        self.microphone.restart()
                else:
                    self._gap_closed("microphone", heard)
            if self.max_seconds is not None and now - self._t0 >= self.max_seconds:
                threading.Thread(target=self._finish, args=("time_limit",), daemon=True).start()
                return

    def _gap_opened(self, source: str, reason: str, since: float) -> None:
        if source in self._open_gap:
            return
        gap = Gap(source, reason, round(since - self._t0, 3),
                  noticed=round(self._clock() - self._t0, 3))
        self._open_gap[source] = gap
        self.gaps.append(gap)
        what = {"camera": "The camera", "microphone": "The microphone"}[source]
        self._warn(f"{what} stopped working ({reason}) at {gap.start:.1f} s; recording continues "
                   f"with what still works and the gap is noted.")

    def _gap_closed(self, source: str, since: float) -> None:
        gap = self._open_gap.pop(source, None)
        if gap is not None:
            gap.end = round(since - self._t0, 3)
            self._warn(f"The {source} works again ({gap.end:.1f} s).")

    # --- finishing ---------------------------------------------------------------------------------
    def _finish(self, reason: str) -> TakeResult:
        with self._finish_lock:
            if self._result is not None:
                return self._result
            if self._enc_thread is None:
                raise RecorderError("This take was never started, so there is nothing to stop.")
            if self._t_stop is None:
                self._t_stop = self._clock()
                self._stop_called_at = self._t_stop
                if self.max_seconds is not None and reason == "time_limit":
                    self._t_stop = min(self._t_stop, self._t0 + self.max_seconds)
            if self._stop_reason == "stopped":
                self._stop_reason = reason
            self._stop_requested.set()
            self._enc_done.wait()
            for src in (self.camera, self.microphone):
                if src is not None:
                    src.stop()
            self.running = False
            self._result = self._make_result()
            self._finished.set()
        if reason != "stopped" and self.on_finished is not None:
            self.on_finished(self._result)
        return self._result

    def _make_result(self) -> TakeResult:
        enc = self._encoder
        end_rel = self._t_stop - self._t0
        for gap in self.gaps:
            if gap.end is None:
                gap.end = round(end_rel, 3)
        exists = self.path.exists() and self.path.stat().st_size > 0
        if self._stop_reason == "time_limit" and not self._message:
            self._message = f"Time is up: the take stopped at its {self.max_seconds:.0f} s limit."
        cam = self.camera
        return TakeResult(
            path=str(self.path), started_at=self._started_at, ended_at=_iso_now(),
            duration=round(max(enc.video_end if enc.has_video else 0.0,
                               enc.audio_samples / enc.samplerate if enc.has_audio else 0.0), 3),
            has_video=enc.has_video and enc.video_frames > 0,
            has_audio=enc.has_audio and enc.audio_samples > 0,
            dropped_frames=self.dropped_frames, gaps=list(self.gaps),
            sha256=file_sha256(self.path) if exists else "",
            size=self.path.stat().st_size if exists else 0,
            stop_reason=self._stop_reason, message=self._message, video_frames=enc.video_frames,
            width=cam.width if cam else 0, height=cam.height if cam else 0,
            stop_to_playable=round(max(0.0, self._enc_done_time - self._stop_called_at), 3))
