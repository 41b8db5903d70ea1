"""The one-folder station app (`make dist`): its size, how fast it starts, and whether transcription is as
fast frozen as in the virtual environment (#20).

    .venv/bin/python benchmarks/bench_dist.py [--app dist/rolecall/rolecall] [--runs 5]

Prints three tables:
  size       dist/rolecall in MB and its largest parts (goal: at most 600 MB)
  start      `--help` to exit, and no arguments to a mapped window on Xvfb (goal: at most 3 s), frozen
             and from the venv; "first" is the first run after the others were idle (the page cache may
             be warm from the build), "median" the median of the following runs
  transcribe the same 60-second speech file with `rolecall transcribe --format json`, frozen vs venv,
             runs alternated: the whole command (start, model load, transcription), and the file given
             twice minus once, i.e. the transcription alone; goal: ratio <= 1.05
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALSPEECH = ROOT / "tests" / "data" / "realspeech"


def du(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def size_table(folder: Path) -> None:
    internal = folder / "_internal"
    parts: dict[str, int] = {}
    for child in internal.iterdir():
        if child.name == "PySide6":      # split Qt: its libraries, plugins, the bindings
            for sub in (child / "Qt" / "lib", child / "Qt" / "plugins"):
                if sub.exists():
                    parts[f"PySide6/Qt/{sub.name}"] = du(sub)
            parts["PySide6 (bindings)"] = du(child) - sum(v for k, v in parts.items() if k.startswith("PySide6/"))
        elif child.is_file():
            parts["(shared libraries at the top)"] = parts.get("(shared libraries at the top)", 0) + du(child)
        else:
            parts[child.name] = du(child)
    total = du(folder)
    print(f"\nsize of {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}: "
          f"{total / 1e6:.0f} MB (goal <= 600 MB)")
    print(f"{'part':40} {'MB':>7}")
    for name, size in sorted(parts.items(), key=lambda kv: -kv[1])[:14]:
        print(f"{name:40} {size / 1e6:7.1f}")


def clean_env(home: Path, **extra: str) -> dict:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra}


def time_help(cmd: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*cmd, "--help"], env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - start)
    return out


def time_window(cmd: list[str], env: dict, runs: int, display: str) -> list[float]:
    """Seconds from spawning the app to its window being mapped on ``display`` (xwininfo polled)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env={**env, "DISPLAY": display}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            while True:
                tree = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                                      capture_output=True, text=True).stdout
                if '"Rolecall' in tree:
                    out.append(time.perf_counter() - start)
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited with {proc.returncode} before showing a window")
                if time.perf_counter() - start > 60:
                    raise RuntimeError("no window after 60 s")
                time.sleep(0.02)
        finally:
            proc.terminate()
            proc.wait(10)
    return out


def start_table(app: Path, runs: int) -> None:
    venv_cmd = [sys.executable, str(ROOT / "main.py")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = clean_env(home, QT_QPA_PLATFORM="offscreen", ROLECALL_DATA_DIR=str(home / "station"))
        for label, cmd in (("frozen", [str(app)]), ("venv", venv_cmd)):
            first, *rest = time_help(cmd, env, runs + 1)
            rows.append((f"--help ({label})", first, statistics.median(rest)))
        display = f":{os.getpid() % 300 + 600}"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if subprocess.run(["xwininfo", "-display", display, "-root"], capture_output=True).returncode == 0:
                    break
                time.sleep(0.05)
            wenv = clean_env(home, ROLECALL_DATA_DIR=str(home / "station"), XDG_RUNTIME_DIR=str(home))
            time_window([str(app)], wenv, 1, display)       # the station's first start seeds the kit
            for label, cmd in (("frozen", [str(app)]), ("venv", venv_cmd)):
                first, *rest = time_window(cmd, wenv, runs + 1, display)
                rows.append((f"window shown ({label})", first, statistics.median(rest)))
        finally:
            xvfb.terminate()
            xvfb.wait(10)
    print(f"\nstart (goal <= 3 s), {runs} runs after the first")
    print(f"{'what':28} {'first s':>8} {'median s':>9}")
    for name, first, median in rows:
        print(f"{name:28} {first:8.2f} {median:9.2f}")


def sixty_seconds(folder: Path) -> Path:
    """60 s of real speech: the shipped real-speech clips back to back, cut at 60 s (sox)."""
    clips = sorted(REALSPEECH.glob("*.flac"))
    out = folder / "speech-60s.wav"
    subprocess.run(["sox", *map(str, clips), "-r", "16000", "-c", "1", str(out), "trim", "0", "60"],
                   check=True, capture_output=True)
    return out


def run_timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """(wall s, CPU s of the process and its children, stdout). CPU time barely moves when other work
    shares the machine, wall time does: both are shown."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def transcribe_table(app: Path, runs: int) -> None:
    """The whole command with the file once and twice: twice minus once is the transcription alone (no
    start-up, no model load), the figure the ratio is about."""
    venv_cmd = [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        audio = sixty_seconds(home)
        env = clean_env(home, ROLECALL_DATA_DIR=str(home / "station"))
        wall: dict[tuple[str, int], list[float]] = {}
        cpu: dict[tuple[str, int], list[float]] = {}
        texts: dict[str, str] = {}
        for _ in range(runs):
            for copies in (1, 2):
                for label, cmd in (("frozen", [str(app)]), ("venv", venv_cmd)):
                    w, c, out = run_timed([*cmd, "transcribe", "--format", "json", *[str(audio)] * copies], env)
                    wall.setdefault((label, copies), []).append(w)
                    cpu.setdefault((label, copies), []).append(c)
                    texts[label] = json.loads(out.splitlines()[-1])["text"]
    print(f"\ntranscribe 60 s of speech (tiny.en, 2 threads), medians of {runs} alternated runs")
    print(f"{'build':8} {'1 file wall/CPU s':>18} {'2 files wall/CPU s':>19} {'transcription alone wall/CPU s':>31}")
    alone = {}
    for label in ("frozen", "venv"):
        m = {(k, n): statistics.median(v[(label, n)]) for k, v in (("wall", wall), ("cpu", cpu)) for n in (1, 2)}
        alone[label] = (m[("wall", 2)] - m[("wall", 1)], m[("cpu", 2)] - m[("cpu", 1)])
        alone[label + "1"] = (m[("wall", 1)], m[("cpu", 1)])
        print(f"{label:8} {m[('wall', 1)]:8.2f} / {m[('cpu', 1)]:6.2f} {m[('wall', 2)]:9.2f} / {m[('cpu', 2)]:6.2f} "
              f"{alone[label][0]:20.2f} / {alone[label][1]:6.2f}")
    print("ratio frozen/venv (goal <= 1.05): transcription alone wall "
          f"{alone['frozen'][0] / alone['venv'][0]:.3f}, CPU {alone['frozen'][1] / alone['venv'][1]:.3f}; "
          f"whole command wall {alone['frozen1'][0] / alone['venv1'][0]:.3f}, "
          f"CPU {alone['frozen1'][1] / alone['venv1'][1]:.3f}; same text: {texts['frozen'] == texts['venv']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "rolecall" / "rolecall")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = args.app.resolve()
    if not app.exists():
        sys.exit(f"bench_dist: {app} is not there; build it with `make dist` first")
    for tool in ("Xvfb", "xwininfo", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"bench_dist: {tool} is missing (scripts/system-deps.sh test installs it)")
    size_table(app.parent)
    start_table(app, args.runs)
    transcribe_table(app, max(3, args.runs // 2 + 1))
    print(f"\nload average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")


if __name__ == "__main__":
    main()
