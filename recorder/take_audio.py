"""Keeping the audio track on the capture clock.

Audio is written as a continuous run of samples. Each block carries the monotonic time of its first
sample; when the run and the clock disagree by more than jitter (a device that stopped and came back, or
a sound card whose crystal runs a little fast or slow), silence is inserted or samples are dropped so
audio stays in step with video for the whole take. Pure arithmetic: tested without devices.
"""
from __future__ import annotations

from collections import deque

import numpy as np


class AudioAligner:
    def __init__(self, samplerate: int, *, tolerance: float = 0.03, jump: float = 0.2,
                 window: int = 12) -> None:
        self.sr = samplerate
        self.n = 0                       # samples written so far
        self._tol = int(tolerance * samplerate)
        self._jump = int(jump * samplerate)
        self._window: deque[int] = deque(maxlen=window)
        self._first = True
        self.inserted = 0                # samples of silence added (gaps, slow clock)
        self.dropped = 0                 # samples dropped (fast clock, overlap)

    @property
    def position(self) -> float:
        return self.n / self.sr

    def _correction(self, offset: int) -> int:
        if self._first or abs(offset) > self._jump:
            self._window.clear()
            return offset
        self._window.append(offset)
        w = self._window
        if len(w) == w.maxlen and (all(o > 0 for o in w) or all(o < 0 for o in w)):
            smallest = min(w, key=abs)
            if abs(smallest) > self._tol:
                w.clear()
                return smallest
        return 0

    def place(self, t_rel: float, block: np.ndarray, stop_rel: float | None = None) -> np.ndarray:
        """Samples to append for a block whose first sample was captured ``t_rel`` s into the take."""
        if self._first and t_rel + block.size / self.sr <= 0:
            return block[:0]                     # captured before the take started
        offset = int(round(t_rel * self.sr)) - self.n
        fix = self._correction(offset)
        self._first = False
        if fix > 0:
            self.inserted += fix
            block = np.concatenate([np.zeros(fix, np.float32), block])
        elif fix < 0:
            cut = min(-fix, block.size)
            self.dropped += cut
            block = block[cut:]
        if stop_rel is not None:
            room = max(0, int(round(stop_rel * self.sr)) - self.n)
            block = block[:room]
        self.n += block.size
        return block

    def pad_to(self, t_rel: float) -> np.ndarray:
        """Silence that brings the track up to ``t_rel`` (for a microphone that stopped)."""
        missing = int(round(t_rel * self.sr)) - self.n
        if missing <= 0:
            return np.zeros(0, np.float32)
        self.n += missing
        self.inserted += missing
        return np.zeros(missing, np.float32)


def block_level(block: np.ndarray) -> tuple[float, float]:
    """(RMS in dBFS, peak 0..1) of a block of float samples."""
    if block.size == 0:
        return -120.0, 0.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    return 20 * float(np.log10(max(rms, 1e-6))), float(np.max(np.abs(block)))
