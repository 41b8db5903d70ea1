"""Encoder: H.264 (libx264) + AAC into a fragmented MP4 that is playable at every moment.

Frames are placed by the capture timestamps they carry (seconds since the take started), never by a
declared frame rate. Audio is placed by sample count (the take keeps that in step with the clock).
"""
from __future__ import annotations

import errno
from fractions import Fraction
from pathlib import Path

import numpy as np

from recorder.errors import DiskFullError, RecorderError

CONTAINER_OPTIONS = {
    "movflags": "frag_keyframe+empty_moov+default_base_moof",
    "flush_packets": "1",
    # Write what we have even if one stream stalls (a frozen camera must not hold audio in memory).
    "max_interleave_delta": "500000",
}
VIDEO_TIME_BASE = Fraction(1, 1000)
# x264 "veryfast": at 720p30 on a 2-core station "fast" used ~1.1 CPU s per second and fell behind
# (frames queued, ~0.8 s to finish after stop); "veryfast" uses ~0.7 and keeps up (benchmarks/bench_record.py).
DEFAULT_PRESET = "veryfast"


def _is_disk_full(err: BaseException) -> bool:
    return getattr(err, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class Encoder:
    """``open()``, then ``add_video`` / ``add_audio`` from ONE thread, then ``close()``."""

    def __init__(self, path: str | Path, *, video_size: tuple[int, int] | None = None,
                 fps: float = 30.0, samplerate: int | None = None, preset: str = DEFAULT_PRESET,
                 crf: int = 23, keyframe_seconds: float = 1.0, audio_bitrate: int = 96_000,
                 threads: int = 0) -> None:
        if video_size is None and samplerate is None:
            raise RecorderError("The encoder needs a video size, an audio sample rate, or both.")
        self.path = Path(path)
        self.video_size = video_size
        self.fps = fps
        self.samplerate = samplerate
        self.preset = preset
        self.crf = crf
        self.keyframe_seconds = keyframe_seconds
        self.audio_bitrate = audio_bitrate
        self.threads = threads
        self._out = self._v = self._a = None
        self._last_vpts = -1
        self._last_key_t = -1e9
        self._frame_ms = max(1, round(1000.0 / fps))
        self.video_frames = 0
        self.audio_samples = 0
        self.video_end = 0.0   # seconds: last frame's time + one frame

    def open(self) -> None:
        import av  # noqa: PLC0415

        options = dict(CONTAINER_OPTIONS)
        # frag_keyframe cuts a fragment at each video keyframe (~1 s); a fragment reaches the disk only
        # when the next one starts, so also cut every half second (and audio-only takes, which have no
        # keyframes to cut on): a crash then loses at most ~0.5 s plus what is inside the encoder.
        options["frag_duration"] = str(int(self.keyframe_seconds * 500_000))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._out = av.open(str(self.path), "w", format="mp4", options=options)
        except Exception as err:  # noqa: BLE001
            if _is_disk_full(err):
                raise DiskFullError(self.path) from err
            raise RecorderError(f"Cannot create the recording file {self.path}: {err}") from err
        if self.video_size is not None:
            w, h = self.video_size
            v = self._out.add_stream("libx264", rate=Fraction(round(self.fps * 1000), 1000), options={
                "preset": self.preset, "crf": str(self.crf),
                # short lookahead and no B-frames: packets leave the encoder quickly, so a crash
                # loses at most about a fragment (~1 s) plus a few frames
                "x264-params": f"keyint={int(self.fps * 2)}:min-keyint=1:bframes=0:rc-lookahead=10",
            })
            v.width, v.height, v.pix_fmt = w, h, "yuv420p"
            v.time_base = VIDEO_TIME_BASE
            v.codec_context.time_base = VIDEO_TIME_BASE
            if self.threads:
                v.codec_context.thread_count = self.threads
            self._v = v
        if self.samplerate is not None:
            a = self._out.add_stream("aac", rate=self.samplerate, layout="mono")
            a.bit_rate = self.audio_bitrate
            self._a = a

    @property
    def has_video(self) -> bool:
        return self._v is not None

    @property
    def has_audio(self) -> bool:
        return self._a is not None

    def add_video(self, img_bgr: np.ndarray, t: float) -> None:
        """Encode one BGR frame captured ``t`` seconds after the take started."""
        import av  # noqa: PLC0415
        import cv2  # noqa: PLC0415

        w, h = self.video_size
        if img_bgr.shape[1] != w or img_bgr.shape[0] != h:
            img_bgr = cv2.resize(img_bgr, (w, h), interpolation=cv2.INTER_AREA)
        pts = max(int(round(t * 1000)), self._last_vpts + 1)
        self._last_vpts = pts
        yuv = cv2.cvtColor(img_bgr, cv2.COLOR_BGR2YUV_I420)
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = pts
        frame.time_base = VIDEO_TIME_BASE
        if t - self._last_key_t >= self.keyframe_seconds * 0.98:  # a keyframe (and fragment) per ~1 s
            frame.pict_type = av.video.frame.PictureType.I
            self._last_key_t = t
        self._mux(self._v.encode(frame))
        self.video_frames += 1
        self.video_end = (pts + self._frame_ms) / 1000.0

    def add_audio(self, samples: np.ndarray) -> None:
        """Append float32 mono samples right after the previous ones."""
        import av  # noqa: PLC0415

        if samples.size == 0:
            return
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32).reshape(1, -1),
                                           format="flt", layout="mono")
        frame.sample_rate = self.samplerate
        frame.pts = self.audio_samples
        frame.time_base = Fraction(1, self.samplerate)
        self.audio_samples += samples.size
        self._mux(self._a.encode(frame))

    def _mux(self, packets) -> None:
        try:
            for p in packets:
                if p.stream is self._v and not p.duration:
                    p.duration = self._frame_ms
                self._out.mux(p)
        except Exception as err:  # noqa: BLE001
            if _is_disk_full(err):
                raise DiskFullError(self.path) from err
            raise

    def close(self, end_time: float | None = None) -> None:
        """Flush the encoders and finish the file; the last video frame lasts until ``end_time``
        (the stop moment) so both tracks end together. After a disk-full error, closes what it can."""
        if self._out is None:
            return
        out, self._out = self._out, None
        error: BaseException | None = None
        for stream in (self._v, self._a):
            if stream is None:
                continue
            try:
                packets = list(stream.encode(None))
                if stream is self._v and packets:
                    for p in packets:
                        p.duration = p.duration or self._frame_ms
                    last = packets[-1]
                    if end_time is not None and last.pts is not None:
                        last.duration = max(1, int(round(end_time * 1000)) - last.pts)
                        self.video_end = (last.pts + last.duration) / 1000.0
                for p in packets:
                    out.mux(p)
            except Exception as err:  # noqa: BLE001
                error = error or err
        try:
            out.close()
        except Exception as err:  # noqa: BLE001
            error = error or err
        if error is not None:
            if _is_disk_full(error):
                raise DiskFullError(self.path) from error
            raise RecorderError(f"Finishing {self.path} failed: {error}") from error

    def abandon(self) -> None:
        """Close without flushing (used after a disk-full error: nothing more can be written)."""
        out, self._out = self._out, None
        if out is not None:
            try:
                out.close()
            except Exception:  # noqa: BLE001
                pass
