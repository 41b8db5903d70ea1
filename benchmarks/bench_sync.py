"""Sync benchmark (issue #7). Prints a Markdown table.

1. No-op sync: a station with N takes (default 10,000, each with a small media file) already in sync
   with a folder hub; time a full `Syncer.run()` (push + pull) that has nothing to do, on the station
   that recorded them and on a second station that received them (goal <= 1 s). Also the status
   query the toolbar runs ("N changes to send").
2. Batch checks (#12): decoding a batch of 5,000 take records with every check and the station
   signature, the share of it spent on the record checks, and encoding it signed vs unsigned.
3. Media push: M files of S MB pushed to a folder hub (`FolderHub.put_media`: hash while copying,
   fsync, atomic publish) vs a plain `shutil.copyfile` of the same files, in the same run, alternating
   (goal >= 0.8x the plain copy's throughput). A plain copy + fsync is shown too.

    .venv/bin/python benchmarks/bench_sync.py [--takes 10000] [--media-files 24] [--media-mb 8]
    .venv/bin/python benchmarks/bench_sync.py --checks-only      # only part 2 (seconds)
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.clock import new_id, now_iso  # noqa: E402
from store.station import open_station  # noqa: E402
from store.sync import Syncer, TeamKey, open_hub, status  # noqa: E402
from store.sync.folder_hub import FolderHub  # noqa: E402
from store.sync.plan import MediaUpload, PushPlan  # noqa: E402

KEY = TeamKey.from_text("benchmark team key")


def make_takes(store, n: int) -> None:
    """n finished takes with a 1 kB media file each, inserted directly (as demo data would)."""
    rep = None
    with store.transaction() as db:
        f = store.record_fields()
        db["people"].insert({**f, "updated_at": f["created_at"], "name": "Bench Rep", "role": "rep"})
        rep = f["id"]
        day = now_iso()[:10]
        (store.data_dir / "media" / day).mkdir(parents=True, exist_ok=True)
        rows = []
        for i in range(n):
            rid = new_id()
            data = os.urandom(1024)
            rel = f"media/{day}/{rid}.mp4"
            (store.data_dir / rel).write_bytes(data)
            now = now_iso()
            rows.append((rid, now, store.station_id, store.tick(), now, rep, "take", now, now, 30.0, rel,
                         hashlib.sha256(data).hexdigest(), len(data)))
        db.conn.executemany(
            "INSERT INTO recordings (id, created_at, station_id, clock, updated_at, rep_id, status, "
            "started_at, ended_at, duration_s, media_path, media_sha256, media_size) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_noop(n: int, tmp: Path) -> list[tuple[str, str, str]]:
    hub_dir = tmp / "hub"
    hub_dir.mkdir(parents=True)
    a = open_station(tmp / "a")
    t = time.perf_counter()
    make_takes(a, n)
    made = time.perf_counter() - t
    t = time.perf_counter()
    first = Syncer(a, open_hub(str(hub_dir)), KEY).run()
    initial_push = time.perf_counter() - t
    batches = len(open_hub(str(hub_dir)).list("batches/"))
    b = open_station(tmp / "b")
    t = time.perf_counter()
    got = Syncer(b, open_hub(str(hub_dir)), KEY).run()
    initial_pull = time.perf_counter() - t
    Syncer(a, open_hub(str(hub_dir)), KEY).run()         # a receives b's kit versions
    assert first.sent_records >= n and got.received_records >= n, (first.lines(), got.lines())
    noop_a = timed(lambda: _assert_noop(Syncer(a, open_hub(str(hub_dir)), KEY).run()))
    noop_b = timed(lambda: _assert_noop(Syncer(b, open_hub(str(hub_dir)), KEY).run()))
    noop_b_media = None
    # a coach machine with "fetch all media": first fetch, then time the no-op
    Syncer(b, open_hub(str(hub_dir)), KEY, fetch_all_media=True).run()
    noop_b_media = timed(lambda: _assert_noop(Syncer(b, open_hub(str(hub_dir)), KEY,
                                                     fetch_all_media=True).run()))
    st = timed(lambda: status(a), repeat=20)
    a.close(), b.close()
    return [
        (f"Insert {n:,} takes (+1 kB media each)", f"{made:.2f} s", "setup"),
        (f"First push of {n:,} takes + media ({batches} batches on hub)", f"{initial_push:.2f} s", "—"),
        (f"First pull of {n:,} takes on a second station", f"{initial_pull:.2f} s", "—"),
        ("No-op sync, recording station (push + pull, nothing to do)", f"{noop_a * 1000:.0f} ms", "<= 1 s"),
        ("No-op sync, receiving station", f"{noop_b * 1000:.0f} ms", "<= 1 s"),
        ("No-op sync, receiving station with 'fetch all media' (checks 10k files)",
         f"{noop_b_media * 1000:.0f} ms", "<= 1 s"),
        ("Toolbar status query (changes to send)", f"{st * 1000:.1f} ms", "—"),
    ]


def bench_demo(n: int, tmp: Path) -> list[tuple[str, str, str]]:
    """The same with a whole event from `rolecall demo-data` (takes, transcripts, scorecards ...)."""
    import subprocess  # noqa: PLC0415

    repo = Path(__file__).resolve().parent.parent
    hub_dir = tmp / "hub"
    hub_dir.mkdir(parents=True)
    subprocess.run([sys.executable, str(repo / "main.py"), "--data-dir", str(tmp / "a"), "demo-data",
                    "--recordings", str(n), "--seed", "7"], check=True, capture_output=True)
    a = open_station(tmp / "a")
    t = time.perf_counter()
    first = Syncer(a, open_hub(str(hub_dir)), KEY).run()
    push_s = time.perf_counter() - t
    b = open_station(tmp / "b")
    t = time.perf_counter()
    got = Syncer(b, open_hub(str(hub_dir)), KEY).run()
    pull_s = time.perf_counter() - t
    Syncer(a, open_hub(str(hub_dir)), KEY).run()
    noop_a = timed(lambda: _assert_noop(Syncer(a, open_hub(str(hub_dir)), KEY).run()))
    noop_b = timed(lambda: _assert_noop(Syncer(b, open_hub(str(hub_dir)), KEY).run()))
    a.close(), b.close()
    return [
        (f"demo-data event ({n:,} takes): first push, {first.sent_records:,} records in "
         f"{first.sent_batches} batches", f"{push_s:.1f} s", "—"),
        (f"demo-data event: first pull on a second station ({got.received_records:,} records)",
         f"{pull_s:.1f} s", "—"),
        ("demo-data event: no-op sync, recording station", f"{noop_a * 1000:.0f} ms", "<= 1 s"),
        ("demo-data event: no-op sync, receiving station", f"{noop_b * 1000:.0f} ms", "<= 1 s"),
    ]


def _assert_noop(report) -> None:
    assert report.sent_records == 0 and report.received_records == 0 and report.ok, report.lines()


def bench_media(files: int, mb: int, tmp: Path, rounds: int = 3) -> list[tuple[str, str, str]]:
    src = tmp / "src"
    src.mkdir()
    items = []
    for i in range(files):
        data = os.urandom(mb * 1_000_000)
        path = src / f"take{i}.mp4"
        path.write_bytes(data)
        items.append((path, hashlib.sha256(data).hexdigest(), len(data)))
    total = files * mb * 1_000_000

    def plain(fsync: bool):
        dest = Path(tempfile.mkdtemp(dir=tmp))
        t = time.perf_counter()
        for path, _sha, _size in items:
            target = dest / path.name
            shutil.copyfile(path, target)
            if fsync:
                fd = os.open(target, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
        elapsed = time.perf_counter() - t
        shutil.rmtree(dest)
        return elapsed

    def push(fsync: bool):
        """Through the engine's own upload step (two at a time, then flush) on a fresh folder hub."""
        dest = Path(tempfile.mkdtemp(dir=tmp))
        plan = PushPlan(uploads=[MediaUpload(sha, str(path), size) for path, sha, size in items])
        syncer = Syncer(None, FolderHub(dest, fsync=fsync), KEY)
        t = time.perf_counter()
        syncer._upload(plan)
        elapsed = time.perf_counter() - t
        assert syncer.report.sent_media == len(items)
        shutil.rmtree(dest)
        return elapsed

    def hash_only():
        t = time.perf_counter()
        for path, _sha, _size in items:
            with open(path, "rb") as fh:
                hashlib.file_digest(fh, "sha256")
        return time.perf_counter() - t

    copy_t, copy_sync_t, push_t, push_sync_t, hash_t = [], [], [], [], []
    plain(False)                                    # warm the page cache the same way for all
    for _ in range(rounds):
        copy_t.append(plain(False))
        push_t.append(push(False))
        copy_sync_t.append(plain(True))
        push_sync_t.append(push(True))
        hash_t.append(hash_only())
    c, cs, p, ps, h = (statistics.median(x) for x in (copy_t, copy_sync_t, push_t, push_sync_t, hash_t))
    mbps = lambda s: f"{total / s / 1e6:.0f} MB/s"  # noqa: E731
    return [
        (f"Plain file copy (shutil.copyfile, one after another), {files} x {mb} MB", mbps(c), "baseline"),
        ("Media push to folder hub, no fsync (sha256 of the mapped file, kernel copy, temp + atomic link)", mbps(p),
         f"**{c / p:.2f}x** of plain copy (goal >= 0.8x)"),
        ("sha256 of the same files alone, one core (the floor of any verified copy)", mbps(h),
         f"{c / h:.2f}x of plain copy"),
        ("Plain file copy + fsync of each file", mbps(cs), "durable baseline"),
        ("Media push to folder hub as sync runs it (+ fsync before any batch is published)", mbps(ps),
         f"**{cs / ps:.2f}x** of copy + fsync; {c / ps:.2f}x of plain copy"),
    ]


def bench_checks(records: int = 5000) -> list[tuple[str, str, str]]:
    """What the #12 checks cost on the receiving side, in the same run (best of 7)."""
    import json  # noqa: PLC0415

    from store.sync import batch as batchfmt, validate  # noqa: PLC0415
    from store.sync.station_keys import StationSigner, verify  # noqa: PLC0415

    station, now = new_id(), now_iso()
    recs = []
    for i in range(records):
        rid = new_id()
        row = {"id": rid, "created_at": now, "station_id": station, "clock": i + 1, "updated_at": now, "deleted": 0,
               "rep_id": new_id(), "exercise_id": new_id(), "partner_id": None, "status": "submitted",
               "source": "station", "started_at": now, "ended_at": now, "submitted_at": now, "duration_s": 93.5,
               "media_path": f"media/{now[:10]}/{rid}.mp4", "media_sha256": hashlib.sha256(rid.encode()).hexdigest(),
               "media_size": 31_000_000, "has_video": 1, "has_audio": 1, "dropped_frames": 0, "gaps": "[]"}
        recs.append(batchfmt.Record("recordings", rid, i + 1, station, "upsert", row))
    signer = StationSigner(os.urandom(32).hex())
    batch = batchfmt.Batch(station, 1, recs)
    data = batchfmt.encode(batch, KEY, signer)
    raw = json.loads(batchfmt.read_header(data)[1])["records"]

    def best(fn) -> float:
        return min(timed(fn, repeat=1) for _ in range(7))

    decode = best(lambda: batchfmt.decode(data, KEY))
    checks = best(lambda: [validate.check_record(r, station) for r in raw])
    encode = best(lambda: batchfmt.encode(batch, KEY, signer))
    header = batchfmt.read_header(data)[0]
    message = json.dumps(header, sort_keys=True).encode()
    sig = signer.sign(message)
    sign = best(lambda: [signer.sign(message) for _ in range(100)]) / 100
    check = best(lambda: [verify(signer.public_hex, message, sig) for _ in range(100)]) / 100
    return [
        (f"Decode a batch of {records:,} take records (all checks + station signature)", f"{decode * 1e3:.0f} ms",
         f"{decode / records * 1e6:.0f} µs a record"),
        ("… of which the record checks (validate.py)", f"{checks * 1e3:.0f} ms", f"{checks / decode:.0%} of decoding"),
        ("Encode the same batch (signed)", f"{encode * 1e3:.0f} ms", "sender side"),
        ("Ed25519: sign / verify one batch header", f"{sign * 1e6:.0f} / {check * 1e6:.0f} µs",
         f"{(sign + check) / decode:.2%} of decoding the batch"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=10_000)
    parser.add_argument("--media-files", type=int, default=24)
    parser.add_argument("--media-mb", type=int, default=8)
    parser.add_argument("--demo", action="store_true",
                        help="also sync a whole demo-data event (takes, transcripts, scorecards ...)")
    parser.add_argument("--checks-only", action="store_true", help="only the batch checks (#12)")
    args = parser.parse_args()
    rows = bench_checks()
    if not args.checks_only:
        with tempfile.TemporaryDirectory() as tmp:
            rows += bench_noop(args.takes, Path(tmp) / "noop")
        if args.demo:
            with tempfile.TemporaryDirectory() as tmp:
                rows += bench_demo(args.takes, Path(tmp))
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            rows += bench_media(args.media_files, args.media_mb, Path(tmp))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring\n")
    print("| Measure | Result | Goal / note |")
    print("|---|---|---|")
    for name, value, goal in rows:
        print(f"| {name} | {value} | {goal} |")


if __name__ == "__main__":
    main()
