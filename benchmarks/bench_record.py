"""Recording benchmark (#3): a 720p30 file camera paced at real time + a speech WAV microphone.

Prints a table: dropped frames, audio/video end drift, CPU seconds per recorded second, stop-to-playable
time, and the encoder's throughput against bare PyAV encoding the same frames (the ceiling).

    .venv/bin/python benchmarks/bench_record.py            # 60 s take
    .venv/bin/python benchmarks/bench_record.py --seconds 10
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recorder.camera import CameraSource  # noqa: E402
from recorder.encoder import DEFAULT_PRESET, Encoder  # noqa: E402
from recorder.microphone import MicrophoneSource  # noqa: E402
from recorder.probe import probe  # noqa: E402
from recorder.take import TakeRecorder  # noqa: E402

SPEECH = ROOT / "tests" / "data" / "speech" / "rec_teachback.wav"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_source(path: Path, seconds: int = 10) -> None:
    """720p30 test pattern with light temporal noise, like a webcam's sensor (a clean synthetic
    pattern would flatter the encoder)."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=1280x720:rate=30,noise=alls=6:allf=t,format=yuv420p",
                    "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
                    "-g", "30", str(path)], check=True)


def source_only(src: Path, seconds: float) -> float:
    """CPU per second of just reading + pacing the file camera (what a real camera would not cost)."""
    cam = CameraSource(src, loop=True)
    cam.open()
    c0, t0 = cpu(), time.monotonic()
    cam.start(lambda img, t: None)
    threading.Event().wait(seconds)
    cam.stop()
    return (cpu() - c0) / (time.monotonic() - t0)


def preview_callback():
    """What the Record page does with each frame: at most 25 a second, shrink to 640 wide and make a
    QImage (ui/workers/record_worker.py). Counts what it showed."""
    from ui.workers.record_worker import _Throttle, frame_to_qimage
    throttle, shown = _Throttle(25.0), []

    def on_preview(img, t):
        if throttle.ready():
            shown.append(frame_to_qimage(img).width())
    return on_preview, shown


def take(src: Path, seconds: float, out: Path, on_preview=None):
    rec = TakeRecorder(out, CameraSource(src, loop=True), MicrophoneSource(SPEECH, loop=True),
                       on_preview=on_preview)
    c0 = cpu()
    rec.start()
    threading.Event().wait(seconds)
    t_stop = time.monotonic()
    result = rec.stop()
    stop_call = time.monotonic() - t_stop
    cpu_used = cpu() - c0
    return result, cpu_used, stop_call


def frames_of(src: Path, n: int):
    import av
    frames = []
    with av.open(str(src)) as c:
        for f in c.decode(video=0):
            frames.append(f.to_ndarray(format="bgr24"))
            if len(frames) == n:
                break
    return frames


def bare_pyav_fps(frames, out: Path) -> float:
    """The ceiling: PyAV/x264 alone on the same frames, already in the encoder's pixel format, through
    the very stream and container our Encoder opens (same preset, x264 settings, time base, keyframes),
    with no conversion or bookkeeping of ours in the loop."""
    import av
    import cv2
    yuv = [cv2.cvtColor(img, cv2.COLOR_BGR2YUV_I420) for img in frames]   # prepared before timing
    enc = Encoder(out, video_size=(1280, 720), fps=30, samplerate=None)
    enc.open()
    stream, container = enc._v, enc._out
    t0 = time.perf_counter()
    for i, plane in enumerate(yuv):
        f = av.VideoFrame.from_ndarray(plane, format="yuv420p")
        f.pts, f.time_base = round(i * 1000 / 30), Fraction(1, 1000)
        if i % 30 == 0:
            f.pict_type = av.video.frame.PictureType.I
        for p in stream.encode(f):
            container.mux(p)
    for p in stream.encode(None):
        container.mux(p)
    container.close()
    return len(frames) / (time.perf_counter() - t0)


def our_encoder_fps(frames, out: Path) -> float:
    enc = Encoder(out, video_size=(1280, 720), fps=30, samplerate=None)
    enc.open()
    t0 = time.perf_counter()
    for i, img in enumerate(frames):
        enc.add_video(img, i / 30)
    enc.close(end_time=len(frames) / 30)
    return len(frames) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the recorded take")
    ap.add_argument("--preview", action="store_true",
                    help="also record a take with the Record page's preview conversion attached")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "src720p30.mp4"
        make_source(src)
        src_cpu = source_only(src, min(10.0, args.seconds))
        result, cpu_used, stop_call = take(src, args.seconds, tmp / "take.mp4")
        t = time.perf_counter()
        info = probe(result.path)
        probe_s = time.perf_counter() - t
        if args.preview:
            on_preview, shown = preview_callback()
            p_result, p_cpu, _ = take(src, args.seconds, tmp / "take_preview.mp4", on_preview)
        frames = frames_of(src, 150)
        ceiling = max(bare_pyav_fps(frames, tmp / "bare.mp4") for _ in range(2))
        ours = max(our_encoder_fps(frames, tmp / "ours.mp4") for _ in range(2))

    drift_ms = abs(info.video.end - info.audio.end) * 1000
    per_s = cpu_used / result.duration
    rows = [
        ("recorded", f"{result.duration:.2f} s, {result.video_frames} frames "
                     f"({result.video_frames / result.duration:.1f} fps), {result.size / 1e6:.1f} MB", ""),
        ("dropped frames", f"{result.dropped_frames}", "0"),
        ("A/V end drift", f"{drift_ms:.1f} ms", "<= 33 ms"),
        ("CPU s per recorded s", f"{per_s:.2f} (file camera decode alone: {src_cpu:.2f})", "<= 1"),
        ("stop-to-playable", f"{result.stop_to_playable * 1000:.0f} ms "
                             f"(stop() incl. sha256: {stop_call * 1000:.0f} ms; probe {probe_s * 1000:.0f} ms)",
         "<= 1 s"),
        ("encoder throughput, 720p (BGR in, fragmented MP4 out)",
         f"{ours:.0f} fps vs bare PyAV/x264 {ceiling:.0f} fps = {ours / ceiling:.2f} of the ceiling",
         ">= 30 fps"),
        ("gaps / stop reason", f"{len(result.gaps)} / {result.stop_reason}", "0 / stopped"),
    ]
    if args.preview:
        rows.append(("with live preview (640 px QImage, <= 25/s)",
                     f"{len(shown) / p_result.duration:.1f} preview fps, {p_result.dropped_frames} dropped, "
                     f"{p_cpu / p_result.duration:.2f} CPU s per recorded s", ">= 15 fps, 0 dropped"))
    print(f"Recording benchmark: 720p30 file camera paced at real time, {args.seconds:.0f} s, "
          f"libx264 preset {DEFAULT_PRESET} + AAC, fragmented MP4, {os.cpu_count()} cores")
    print()
    print("| measure | result | goal |")
    print("| --- | --- | --- |")
    for name, value, goal in rows:
        print(f"| {name} | {value} | {goal} |")


if __name__ == "__main__":
    main()
