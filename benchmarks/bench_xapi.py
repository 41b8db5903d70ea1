"""xAPI figures (issue #25): statements per second pushed to a local Ralph LRS, and the time to export
every statement of 10,000 / 30,000 (/ 100,000 with --sizes) takes.

    .venv/bin/python benchmarks/bench_xapi.py [--push-takes 1000] [--batch 100,500] [--sizes 10000,30000]

Demo data comes from demo.generate (with the demo sign-offs), seed 3. The push goes through
store.xapi.push.Pusher to Ralph (ralph-malph[lrs], file-system backend, tests/ralph_lrs.py) on
127.0.0.1, a fresh LRS user per run; the export is a whole `rolecall export xapi --format jsonl` process (time and peak memory).
Prints a table. Ralph's file-system backend reads its whole statements file on every POST (its
duplicate check), so its rate falls as the file grows: the first and last tenth are shown.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
os.environ["ROLECALL_SECRET_STORE"] = "file"


def demo_store(path: Path, takes: int):
    import demo
    from demo import signoffs
    from store.station import open_station

    signoffs.register()
    store = open_station(path)
    began = time.perf_counter()
    demo.generate(store, recordings=takes, seed=3)
    return store, time.perf_counter() - began


def bench_push(takes: int, batches: list[int], work: Path) -> list[tuple]:
    from ralph_lrs import SECRET, RalphLrs
    from store.xapi import queue
    from store.xapi.client import LrsClient
    from store.xapi.config import LrsConfig
    from store.xapi.push import Pusher

    lrs = RalphLrs(work / "ralph", users=len(batches)).start()
    rows = []
    try:
        for batch in batches:
            store, _ = demo_store(work / f"push-{batch}", takes)
            user = lrs.take_user()
            config = LrsConfig(url=lrs.endpoint, key=user, batch_size=batch)
            config.save(store)
            total = queue.enable(store)
            marks: list[tuple[int, float]] = []
            began = time.perf_counter()
            report = Pusher(store, LrsClient(lrs.endpoint, user, SECRET), config,
                            progress=lambda done, _t: marks.append((done, time.perf_counter()))).run()
            seconds = time.perf_counter() - began
            assert report.ok and report.sent == total == lrs.stored_lines(user), report.summary(lrs.endpoint)
            tenth = max(1, len(marks) // 10)
            first = marks[tenth - 1][0] / (marks[tenth - 1][1] - began)
            last = (marks[-1][0] - marks[-tenth - 1][0]) / (marks[-1][1] - marks[-tenth - 1][1])
            rows.append((takes, batch, total, seconds, total / seconds, first, last))
            store.close()
    finally:
        lrs.stop()
    return rows


# runs main.py and, at exit, prints the process's own peak memory (VmHWM: per address space, so not the
# benchmark's, which a forked child's ru_maxrss would report)
CHILD = ("import atexit, runpy, sys; atexit.register(lambda: sys.stderr.write(next(l for l in "
         "open('/proc/self/status') if l.startswith('VmHWM')))); main = sys.argv[1]; sys.argv = sys.argv[1:]; "
         "runpy.run_path(main, run_name='__main__')")


def bench_export(sizes: list[int], work: Path) -> list[tuple]:
    """Demo data in this process; the export as a whole `rolecall export xapi` process (its time and
    peak memory, as a person running it would see them)."""
    rows = []
    for takes in sizes:
        store, made = demo_store(work / f"export-{takes}", takes)
        data_dir = store.data_dir
        store.close()
        out = work / f"export-{takes}.jsonl"
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(REPO / "main.py"), "--data-dir", str(data_dir),
                               "export", "xapi", "--format", "jsonl", "--out", str(out)], capture_output=True, text=True)
        seconds = time.perf_counter() - began
        assert done.returncode == 0, done.stderr
        peak = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0])     # kB, of the export process alone
        written = sum(1 for _ in open(out, "rb"))
        rows.append((takes, made, written, seconds, written / seconds, out.stat().st_size / 1e6, peak / 1024))
        out.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--push-takes", type=int, default=1000)
    parser.add_argument("--batch", default="100,500")
    parser.add_argument("--sizes", default="10000,30000")
    parser.add_argument("--skip-push", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-xapi-") as tmp:
        work = Path(tmp)
        if not args.skip_push:
            print("| push | takes | batch | statements | seconds | statements/s | first tenth /s | last tenth /s |")
            print("|---|---|---|---|---|---|---|---|")
            for takes, batch, total, seconds, rate, first, last in bench_push(
                    args.push_takes, [int(b) for b in args.batch.split(",")], work):
                print(f"| Ralph fs, 127.0.0.1 | {takes:,} | {batch} | {total:,} | {seconds:.1f} | {rate:,.0f} | "
                      f"{first:,.0f} | {last:,.0f} |", flush=True)
            print()
        print("| export | takes | demo-data s | statements | seconds (whole process) | statements/s | MB (jsonl) | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|")
        for takes, made, written, seconds, rate, mb, rss in bench_export([int(s) for s in args.sizes.split(",")], work):
            print(f"| export xapi | {takes:,} | {made:.0f} | {written:,} | {seconds:.1f} | {rate:,.0f} | {mb:,.0f} | "
                  f"{rss:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
