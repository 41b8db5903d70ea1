"""Microphone capture: a sounddevice InputStream (by name or index) or an audio file played at real time.

The PortAudio callback only copies the block into a bounded queue with the monotonic time of its first
sample; everything else (levels, encoding) happens on the consumer's thread.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import Callable

import numpy as np

from recorder.devices import DeviceSpec, import_sounddevice, parse_spec
from recorder.errors import NoMicrophoneError

AudioBlock = tuple[float, np.ndarray]   # (monotonic time of the first sample, float32 mono samples)


class MicrophoneSource:
    """``open()`` then ``start()``; blocks appear in ``self.blocks``; ``stop()`` ends capture."""

    def __init__(self, spec: object, *, samplerate: int = 48000, blocksize: int = 1024,
                 loop: bool = False, queue_blocks: int = 2000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.spec = spec if isinstance(spec, DeviceSpec) else parse_spec(spec)
        self.samplerate = samplerate
        self.blocksize = blocksize
        self.loop = loop
        self.blocks: queue.Queue[AudioBlock] = queue.Queue(maxsize=queue_blocks)
        self._clock = clock
        self._stream = None
        self._samples: np.ndarray | None = None   # a file source's decoded samples
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.device_name = ""
        self.dropped_blocks = 0
        self.last_block_time: float | None = None
        self.ended = False
        self.status_flags = 0  # PortAudio overflow etc. seen in callbacks
        self.restarts = 0
        self._first_block = threading.Event()

    @property
    def is_file(self) -> bool:
        return self.spec.is_file

    def open(self) -> None:
        """Open the device (or decode the file). Opening an open microphone does nothing."""
        if self._stream is not None or self._samples is not None:
            return
        if self.spec.kind == "none":
            raise NoMicrophoneError("none", "no microphone was chosen")
        if self.is_file:
            from recorder.probe import decode_audio  # noqa: PLC0415
            try:
                self._samples = decode_audio(str(self.spec.value), self.samplerate)
            except Exception as err:  # noqa: BLE001 - any decode failure means "no microphone"
                raise NoMicrophoneError(self.spec.text, f"the audio file could not be read ({err})") from err
            if self._samples.size == 0:
                raise NoMicrophoneError(self.spec.text, "the audio file holds no sound")
            self.device_name = self.spec.text
            return
        sd = import_sounddevice()
        device = self._resolve_device(sd)
        try:
            info = sd.query_devices(device, "input")
            self.device_name = info["name"]
            sd.check_input_settings(device=device, channels=1, samplerate=self.samplerate, dtype="float32")
            self._stream = sd.InputStream(device=device, channels=1, samplerate=self.samplerate,
                                          blocksize=self.blocksize, dtype="float32",
                                          latency="high",  # ALSA's pulse plugin stalls at 'low'
                                          callback=self._callback)
        except Exception as err:  # noqa: BLE001 - PortAudioError / ValueError from sounddevice
            raise NoMicrophoneError(self.spec.text, str(err)) from err

    def _resolve_device(self, sd):
        if self.spec.kind == "index":
            return int(self.spec.value)
        name = str(self.spec.value)
        try:
            devices = sd.query_devices()
        except Exception as err:  # noqa: BLE001
            raise NoMicrophoneError(name, str(err)) from err
        inputs = [d for d in devices if d.get("max_input_channels", 0) > 0]
        if not inputs:
            raise NoMicrophoneError(name, "the computer reports no audio input devices")
        for d in inputs:            # exact name first, then a case-insensitive substring
            if d["name"] == name:
                return d["index"]
        for d in inputs:
            if name.lower() in d["name"].lower():
                return d["index"]
        raise NoMicrophoneError(name, "no input device has that name; available: "
                                + ", ".join(d["name"] for d in inputs))

    # --- the PortAudio callback: copy and queue, nothing else --------------------------------------
    def _callback(self, indata, frames, time_info, status) -> None:  # noqa: ARG002
        now = self._clock()
        try:  # how long ago the block's first sample reached the converter, by PortAudio's clock
            age = float(time_info.currentTime - time_info.inputBufferAdcTime)
        except Exception:  # noqa: BLE001
            age = 0.0
        t = now - (age if 0.0 < age < 1.0 else frames / self.samplerate)
        if status:
            self.status_flags += 1
        self.last_block_time = t
        self._first_block.set()
        try:
            self.blocks.put_nowait((t, indata[:, 0].copy()))
        except queue.Full:
            self.dropped_blocks += 1

    def start(self) -> None:
        if self._stream is None and self._samples is None:
            self.open()
        self._stop.clear()
        if self._stream is not None:
            try:
                self._stream.start()
            except Exception as err:  # noqa: BLE001
                raise NoMicrophoneError(self.spec.text, str(err)) from err
            # Some drivers (ALSA's pulse plugin among them) sometimes start a stream that delivers
            # nothing until it is reopened: check for the first block, and reopen once if needed.
            if not self._first_block.wait(0.6) and self.restart():
                self._first_block.wait(0.6)
        else:
            self._thread = threading.Thread(target=self._play_file, name="mic-file", daemon=True)
            self._thread.start()

    @property
    def active(self) -> bool:
        if not self.is_file:
            return self._stream is not None and bool(self._stream.active)
        return self._thread is not None and self._thread.is_alive()

    def _play_file(self) -> None:
        """Deliver the file's samples block by block at real time, like a sound card would."""
        samples, n, bs, sr = self._samples, len(self._samples), self.blocksize, self.samplerate
        start = self._clock()
        pos = 0
        delivered = 0
        while not self._stop.is_set():
            if pos >= n:
                if not self.loop:
                    self.ended = True
                    return
                pos = 0
            block = samples[pos:pos + bs]
            pos += len(block)
            delivered += len(block)
            delay = start + delivered / sr - self._clock()   # the block is "heard" once it is complete
            if delay > 0 and self._stop.wait(delay):
                return
            t = self._clock() - len(block) / sr
            self.last_block_time = t
            try:
                self.blocks.put_nowait((t, block.astype(np.float32, copy=False)))
            except queue.Full:
                self.dropped_blocks += 1

    def restart(self) -> bool:
        """Close and reopen a device stream that stopped delivering (unplug/replug, a stalled driver).
        Returns True when a new stream is running. File sources are not restarted."""
        if self.is_file or self._stop.is_set():
            return False
        old, self._stream = self._stream, None
        if old is not None:
            try:
                old.abort()
                old.close()
            except Exception:  # noqa: BLE001
                pass
        try:
            sd = import_sounddevice()
            self._stream = sd.InputStream(device=self._resolve_device(sd), channels=1,
                                          samplerate=self.samplerate, blocksize=self.blocksize,
                                          dtype="float32", latency="high", callback=self._callback)
            self._stream.start()
            self.restarts += 1
            return True
        except Exception:  # noqa: BLE001 - still gone: the watchdog tries again later
            self._stream = None
            return False

    def stop(self) -> None:
        self._stop.set()
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:  # noqa: BLE001 - a vanished device must not break stop()
                pass
            self._stream = None
        if self._thread is not None:
            self._thread.join(1.0)
