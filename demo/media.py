"""The one small media file every demo take points at (H.264 + AAC MP4 written with PyAV, once)."""
from __future__ import annotations

import atexit
import math
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

DEMO_MEDIA = "media/demo/demo-take.mp4"     # relative to the data dir, like every media_path
DEMO_SECONDS = 60


def ensure_demo_media(data_dir: Path, seconds: int = DEMO_SECONDS) -> str:
    """Write the shared demo clip if it is not there yet; returns its media_path (relative)."""
    path = Path(data_dir) / DEMO_MEDIA
    if path.is_file() and path.stat().st_size > 0:
        return DEMO_MEDIA
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.mp4")
    cached = _CACHE.get(seconds)
    if cached is not None and cached.is_file():      # encoded once per process, copied after that
        shutil.copyfile(cached, tmp)
    else:
        _write_clip(tmp, seconds)
        cache_dir = Path(tempfile.mkdtemp(prefix="rolecall-demo-"))
        atexit.register(shutil.rmtree, cache_dir, True)
        _CACHE[seconds] = cache_dir / "demo-take.mp4"
        shutil.copyfile(tmp, _CACHE[seconds])
    tmp.replace(path)
    return DEMO_MEDIA


_CACHE: dict[int, Path] = {}


def _write_clip(path: Path, seconds: int, width: int = 160, height: int = 120, fps: int = 10) -> None:
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "35"}
        rate = 16000
        audio = out.add_stream("aac", rate=rate)
        audio.layout = "mono"
        yy, xx = np.mgrid[0:height, 0:width]
        for i in range(seconds * fps):
            t = i / fps
            img = np.empty((height, width, 3), dtype=np.uint8)
            shade = int(40 + 20 * math.sin(t / 3))
            img[..., 0] = shade
            img[..., 1] = (60 + xx // 4) % 256
            img[..., 2] = (90 + yy // 3) % 256
            # a bar that sweeps across once per 10 s so seeking is visible
            x = int((t % 10) / 10 * width)
            img[:, max(0, x - 3):x + 3, :] = 230
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        samples_per_frame = 1024
        total = seconds * rate
        pts = 0
        while pts < total:
            n = min(samples_per_frame, total - pts)
            t = (np.arange(pts, pts + n) / rate).astype(np.float32)
            tone = 0.15 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
            frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1).astype(np.float32), format="fltp",
                                               layout="mono")
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            for packet in audio.encode(frame):
                out.mux(packet)
            pts += n
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
