"""Soak benchmark (#11): the real app, the Record page's live preview for 10 minutes, 5 takes; does it live?

Starts the app (benchmarks/soak_app.py: main.py's code path plus a driver) as a child process under a
virtual X display (Xvfb, the station's real xcb platform) or Qt's offscreen platform, with the test video
as the camera (looped, real time) and the speech clips joined into one WAV as the microphone (looped).
Samples the child's RSS, threads and open files every few seconds and prints a table: RSS at start, end
and peak, growth in MB and MB a minute, takes recorded, preview frames and the exit status.

    .venv/bin/python benchmarks/bench_soak.py                      # 10 minutes, 5 takes, Xvfb
    .venv/bin/python benchmarks/bench_soak.py --minutes 2 --platform offscreen
    .venv/bin/python benchmarks/bench_soak.py --python /tmp/v612/bin/python   # another interpreter/binding
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
CAMERA = DATA / "rec_camera_320x240_30fps.mp4"


def joined_speech(path: Path) -> Path:
    """Every speech clip in tests/data/speech, 1 s of silence between them: ~the microphone's voice."""
    import numpy as np

    from recorder.transcription.audio_decode import decode_audio
    clips = sorted((DATA / "speech").glob("*.wav"))
    gap = np.zeros(16000, dtype=np.float32)
    pcm = np.concatenate([p for c in clips for p in (decode_audio(c).samples, gap)])
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((np.clip(pcm, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def start_xvfb() -> tuple[subprocess.Popen, str]:
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    if not display:
        raise SystemExit("Xvfb did not start (install the xvfb package, or use --platform offscreen)")
    return proc, f":{display}"


def proc_facts(pid: int) -> dict | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    kb = lambda k: int(fields[k].split()[0])  # noqa: E731
    return {"rss_mb": kb("VmRSS") / 1024, "hwm_mb": kb("VmHWM") / 1024, "threads": int(fields["Threads"]),
            "fds": fds}


def exit_text(code: int | None) -> str:
    if code is None:
        return "still running (killed by the benchmark)"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def recorded_takes(data_dir: Path) -> list[tuple]:
    db = data_dir / "rolecall.db"
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT status, duration_s, media_path FROM recordings ORDER BY started_at").fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="how long the preview runs (default 10)")
    ap.add_argument("--takes", type=int, default=5)
    ap.add_argument("--take-seconds", type=float, default=30.0)
    ap.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    ap.add_argument("--platform", choices=("xvfb", "offscreen"), default="xvfb")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the app (another venv's)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (data, logs)")
    args = ap.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="rolecall-soak-"))
    data_dir, config = scratch / "station", scratch / "config"
    config.mkdir()
    mic = joined_speech(scratch / "microphone.wav")
    env = dict(os.environ, XDG_CONFIG_HOME=str(config), PYTHONUNBUFFERED="1", PYTHONFAULTHANDLER="1")
    xvfb = None
    if args.platform == "xvfb":
        xvfb, env["DISPLAY"] = start_xvfb()
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    cmd = [args.python, str(ROOT / "benchmarks" / "soak_app.py"), "--data-dir", str(data_dir),
           "--camera", str(CAMERA), "--microphone", str(mic), "--minutes", str(args.minutes),
           "--takes", str(args.takes), "--take-seconds", str(args.take_seconds)]
    stderr_path = scratch / "app.stderr"
    events: list[dict] = []
    samples: list[dict] = []
    t0 = time.monotonic()
    with open(stderr_path, "wb") as err:
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True)

        def read_events():
            for line in child.stdout:
                try:
                    events.append({**json.loads(line), "wall": time.monotonic() - t0})
                except ValueError:
                    pass
        reader = threading.Thread(target=read_events, daemon=True)
        reader.start()
        deadline = t0 + args.minutes * 60 + 180     # preview time + start-up, last take, shutdown
        print(f"soak: app pid {child.pid}, {args.minutes:g} min, {args.takes} takes, platform {args.platform}, "
              f"scratch {scratch}", flush=True)
        next_print = 60.0
        while child.poll() is None and time.monotonic() < deadline:
            facts = proc_facts(child.pid)
            if facts:
                status = next((e for e in reversed(events) if e["event"] == "status"), {})
                samples.append({"t": time.monotonic() - t0, **facts, "frames": status.get("frames", 0),
                                "levels": status.get("levels", 0), "takes": status.get("takes", 0),
                                "state": status.get("state", "")})
                if samples[-1]["t"] >= next_print:
                    next_print += 60
                    s = samples[-1]
                    print(f"  {s['t'] / 60:5.1f} min  RSS {s['rss_mb']:7.1f} MB  threads {s['threads']:3d}  "
                          f"fds {s['fds']:3d}  frames {s['frames']:6d}  takes {s['takes']}", flush=True)
            time.sleep(args.sample)
        if child.poll() is None:
            child.kill()
            child.wait()
            code = None
        else:
            code = child.returncode
        reader.join(timeout=5)
    wall = time.monotonic() - t0
    if xvfb is not None:
        xvfb.terminate()
        xvfb.wait()
    (scratch / "samples.json").write_text(json.dumps({"samples": samples, "events": events}))
    report(args, events, samples, code, wall, recorded_takes(data_dir), stderr_path)
    if not args.keep and code == 0:
        import shutil
        shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(0 if code == 0 else 1)


def report(args, events, samples, code, wall, takes, stderr_path) -> None:
    ready = next((e for e in events if e["event"] == "ready"), None)
    closing = next((e for e in events if e["event"] == "closing"), None)
    # Like for like: start and end are samples between takes (preview only). Start: the first such
    # sample a minute after the first frame (start-up allocations done), or the first one in a shorter
    # run; end: the last one before the driver closed the window.
    running = [s for s in samples if not closing or s["t"] <= closing["wall"]]
    preview = [s for s in running if s["frames"] > 0]
    idle = [s for s in preview if s["state"] == "idle"] or preview
    warm = [s for s in idle if s["t"] >= preview[0]["t"] + 60] if preview else []
    first = (warm or idle or running or [None])[0]
    last = idle[-1] if idle else (running[-1] if running else None)
    peak = max((s["hwm_mb"] for s in samples), default=0.0)
    taking = [s for s in running if s["state"] not in ("", "idle")]
    # growth while only the preview runs: consecutive idle samples with no take finished between them
    # (separates the 25 fps paint and signal paths from what a take leaves behind)
    pairs = [(a, b) for a, b in zip(running, running[1:]) if a["frames"] and a["state"] == b["state"] == "idle"
             and a["takes"] == b["takes"] and a["t"] >= first["t"]] if first else []
    idle_growth = sum(b["rss_mb"] - a["rss_mb"] for a, b in pairs)
    idle_min = sum(b["t"] - a["t"] for a, b in pairs) / 60
    span_min = (last["t"] - first["t"]) / 60 if first and last and last is not first else 0.0
    growth = last["rss_mb"] - first["rss_mb"] if first and last else 0.0
    finished = [e for e in events if e["event"] == "take"]
    frames = closing["frames"] if closing else max((s["frames"] for s in samples), default=0)
    preview_s = (closing["t"] if closing else (last["t"] if last else 0.0))
    rows = [
        ("app", f"{args.python} benchmarks/soak_app.py ({args.platform})"),
        ("elapsed (app process, wall)", f"{wall / 60:.1f} min"),
        ("preview on the Record page", f"{preview_s / 60:.1f} min" if ready else "never started"),
        ("RSS when the first frame was shown", f"{preview[0]['rss_mb']:.1f} MB at {preview[0]['t'] / 60:.1f} min"
         if preview else "-"),
        ("RSS start (preview only, after 1 min)", f"{first['rss_mb']:.1f} MB at {first['t'] / 60:.1f} min"
         if first else "-"),
        ("RSS end (preview only, last)", f"{last['rss_mb']:.1f} MB at {last['t'] / 60:.1f} min" if last else "-"),
        ("RSS during takes (max)", f"{max(s['rss_mb'] for s in taking):.1f} MB" if taking else "-"),
        ("RSS peak (VmHWM)", f"{peak:.1f} MB"),
        ("growth start -> end", f"{growth:+.1f} MB over {span_min:.1f} min = {growth / span_min:+.2f} MB/min"
         if span_min else "-"),
        ("growth while only the preview ran", f"{idle_growth:+.1f} MB over {idle_min:.1f} min = "
         f"{idle_growth / idle_min:+.2f} MB/min" if idle_min else "-"),
        ("threads start / end", f"{first['threads']} / {last['threads']}" if first and last else "-"),
        ("open files start / end", f"{first['fds']} / {last['fds']}" if first and last else "-"),
        ("preview frames shown (mean fps)", f"{frames} ({frames / preview_s:.1f}/s)" if preview_s else "-"),
        ("level meter updates", f"{closing['levels'] if closing else max((s['levels'] for s in samples), default=0)}"),
        ("takes recorded (app / database)", f"{len(finished)} of {args.takes} / "
         f"{len(takes)}: " + ", ".join(f"{d or 0:.1f} s {s}" for s, d, _p in takes)),
        ("exit status", exit_text(code)),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k.ljust(width)} | {v} |")
    lines = stderr_path.read_text(errors="replace").strip().splitlines() if stderr_path.exists() else []
    fatal = [line for line in lines if line.startswith(("Fatal Python error", "Traceback"))]
    if fatal:
        print("\napp stderr: " + " | ".join(fatal[:3]))
    if code != 0:
        print(f"app stderr, last lines ({stderr_path}):")
        print("\n".join("  " + line[:200] for line in lines[-8:]))


if __name__ == "__main__":
    main()
