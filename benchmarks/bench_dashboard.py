"""Dashboard figures at scale (issue #8): first render, filter change, `rolecall report`, app start.

    .venv/bin/python benchmarks/bench_dashboard.py [--recordings 10000] [--data-dir DIR] [--bulk]

The store comes from `rolecall demo-data --recordings N --seed 7` (issue #5, with the engagement
events of demo/events.py) when that command exists; with
--bulk, or when it does not, a comparable store is made here with bulk inserts (people in teams, N
submitted takes over six weeks, ~6 current scorecards per take plus revisions, transcripts with term
hits, engagement events, sign-offs). Prints a table; the targets are from the issue.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEAMS = ("North", "South", "East", "West", "Central", "Partners")


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def bulk_store(data_dir: Path, recordings: int, seed: int = 7) -> dict:
    """A comparable store made with executemany in one transaction (no per-row ORM calls)."""
    from store.clock import new_id
    from store.station import open_station

    rng = random.Random(seed)
    store = open_station(data_dir)
    station = store.station_id
    start = datetime(2026, 11, 2, 8, tzinfo=timezone.utc)
    exercises = [dict(r) for r in store.db.query("SELECT e.id, e.rubric_id FROM exercises e")]
    criteria = {}
    for ex in exercises:
        criteria[ex["id"]] = [r[0] for r in store.db.execute(
            "SELECT id FROM criteria WHERE rubric_id=? ORDER BY position", [ex["rubric_id"]])]
    terms = [r[0] for r in store.db.execute("SELECT id FROM terms")]
    program = store.db.execute("SELECT id FROM programs").fetchone()[0]
    clock = [0]

    def rec(**values):
        clock[0] += 1
        return {"id": new_id(), "created_at": _iso(start), "station_id": station, "clock": clock[0], **values}

    reps = [rec(name=f"Rep {i:03d}", role="rep", team=TEAMS[i % len(TEAMS)], hidden=int(i % 37 == 0),
                updated_at=_iso(start)) for i in range(120)]
    staff = [rec(name=f"Coach {i}", role="coach", team=None, hidden=0, updated_at=_iso(start)) for i in range(4)]
    certifier = rec(name="Certifier", role="certifier", team=None, hidden=0, updated_at=_iso(start))
    people = reps + staff + [certifier]
    takes, cards, scores, transcripts, hits, events, signoffs = [], [], [], [], [], [], []
    skill = {p["id"]: rng.uniform(2.2, 4.3) for p in reps}
    for n in range(recordings):
        rep = rng.choice(reps)
        ex = rng.choice(exercises)
        when = start + timedelta(minutes=rng.randrange(0, 42 * 24 * 60))
        status = "submitted" if rng.random() < 0.9 else rng.choice(("discarded", "take"))
        take = rec(rep_id=rep["id"], exercise_id=ex["id"], status=status, ended_at=_iso(when),
                   submitted_at=_iso(when) if status == "submitted" else None, updated_at=_iso(when))
        takes.append(take)
        if status != "submitted":
            continue
        level = skill[rep["id"]] + (when - start).days * 0.02
        scorers = rng.sample([p for p in people if p["id"] != rep["id"] and p["role"] != "certifier"], 6)
        for version_scorer, scorer in enumerate(scorers):
            versions = 2 if version_scorer == 0 and rng.random() < 0.6 else 1
            for version in range(1, versions + 1):
                card = rec(recording_id=take["id"], scorer_id=scorer["id"], version=version,
                           submitted_at=_iso(when + timedelta(hours=version)))
                cards.append(card)
                for cid in criteria[ex["id"]]:
                    value = min(5, max(1, round(rng.gauss(level, 0.8))))
                    scores.append(rec(scorecard_id=card["id"], criterion_id=cid, score=value))
        tr = rec(recording_id=take["id"], complete=1, text="")
        transcripts.append(tr)
        for term in terms:
            if rng.random() < min(0.9, 0.15 + level / 8):
                hits.append(rec(transcript_id=tr["id"], recording_id=take["id"], term_id=term,
                                start_s=1.0, end_s=2.0, text="x"))
        for kind, chance in (("transcript_view", 0.5), ("exemplar_view", 0.2), ("transcript_export", 0.05)):
            if rng.random() < chance:
                events.append(rec(kind=kind, person_id=rng.choice(reps)["id"], recording_id=take["id"],
                                  exercise_id=ex["id"], created_at=_iso(when + timedelta(days=1))))
    for rep in reps[::3]:
        signoffs.append(rec(rep_id=rep["id"], program_id=program, certifier_id=certifier["id"],
                            decision="certified", decided_at=_iso(start + timedelta(days=20)),
                            valid_until=_iso(start + timedelta(days=200))))
    with store.transaction() as db:
        for table, rows in (("people", people), ("recordings", takes), ("scorecards", cards),
                            ("scores", scores), ("transcripts", transcripts), ("term_hits", hits),
                            ("events", events), ("signoffs", signoffs)):
            if rows:
                db[table].insert_all(rows, batch_size=2000)
    counts = {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("recordings", "scorecards", "scores", "term_hits", "events")}
    store.close()
    return counts


def demo_data_available() -> bool:
    from cli import cli
    return "demo-data" in cli.commands


def make_store(data_dir: Path, recordings: int, bulk: bool) -> tuple[str, dict]:
    if not bulk and demo_data_available():
        subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), "demo-data",
                        "--recordings", str(recordings), "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
        from store.station import open_station
        store = open_station(data_dir)
        counts = {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("recordings", "scorecards", "scores", "term_hits", "events")}
        store.close()
        return "rolecall demo-data", counts
    return "bulk inserts (benchmarks/bench_dashboard.py)", bulk_store(data_dir, recordings)


def _wait(app, signal, page) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(60000, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)
    page.repaint()          # drawn, not just computed
    app.processEvents()


def _until_drawn_and_complete(app, page, step=None) -> tuple:
    """Seconds (wall, CPU) until the tab on screen is drawn, and until every tab is."""
    t0, c0 = time.perf_counter(), time.process_time()
    done = []
    page.completed.connect(lambda: done.append((time.perf_counter() - t0, time.process_time() - c0)))
    if step:
        step()
    _wait(app, page.rendered, page)
    drawn = (time.perf_counter() - t0, time.process_time() - c0)
    if not done:
        _wait(app, page.completed, page)
    page.completed.disconnect()
    return drawn, done[0]


def bench_page(data_dir: Path) -> dict:
    """First render (page built, figures computed on its thread, drawn) and filter changes."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from store.station import open_station
    from ui.context import AppContext
    from ui.pages.dashboard_page import DashboardPage
    from ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    store = open_station(data_dir)
    settings = Settings(QSettings(str(data_dir / "bench.ini"), QSettings.Format.IniFormat))
    context = AppContext(store, settings)
    results = {}
    t0, c0 = time.perf_counter(), time.process_time()
    page = DashboardPage(context)
    page.resize(1200, 800)
    page.show()
    drawn, complete = _until_drawn_and_complete(app, page)
    results["dashboard first render (tab on screen drawn)"] = (drawn[0] + 0, drawn[1])
    results["dashboard first render (all four tabs ready)"] = complete
    _ = t0, c0
    bar = page.filter_bar
    steps = [("team #1", lambda: bar.team_combo.setCurrentIndex(1)),
             ("team #2", lambda: bar.team_combo.setCurrentIndex(2)),
             ("team #3", lambda: bar.team_combo.setCurrentIndex(3)),
             ("+ exercise #1", lambda: bar.exercise_combo.setCurrentIndex(1)),
             ("+ exercise #2", lambda: bar.exercise_combo.setCurrentIndex(2)),
             ("all teams", lambda: bar.team_combo.setCurrentIndex(0)),
             ("other buckets", lambda: bar.bucket_combo.setCurrentIndex(1 - bar.bucket_combo.currentIndex())),
             ("all exercises", lambda: bar.exercise_combo.setCurrentIndex(0))]
    drawn_times, complete_times = [], []
    for index, (name, step) in enumerate(steps):   # every step is a filter state not seen before
        page.tabs.setCurrentIndex(index % page.tabs.count())
        app.processEvents()
        drawn, complete = _until_drawn_and_complete(app, page, step)
        tab = page.tabs.tabText(page.tabs.currentIndex())
        drawn_times.append((f"{name}, {tab} tab", *drawn))
        complete_times.append((f"{name}, {tab} tab", *complete))
    for label, times in (("tab on screen drawn", drawn_times), ("all tabs ready", complete_times)):
        worst = max(times, key=lambda c: c[1])
        middle = sorted(times, key=lambda c: c[1])[len(times) // 2]
        results[f"filter change, {label} (median of {len(times)} new filters)"] = middle[1:]
        results[f"filter change, {label} (worst: {worst[0]})"] = worst[1:]
    drawn, complete = _until_drawn_and_complete(app, page, lambda: bar.team_combo.setCurrentIndex(1))
    results["filter change back to earlier filters (all tabs ready, from the result cache)"] = complete
    page.close()
    store.close()
    return results


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_reports(data_dir: Path) -> dict:
    """Each report as a fresh process (interpreter start, imports, opening the store included)."""
    out = {}
    for name in ("leaderboard", "adoption", "engagement"):
        cmd = [sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), "report", name,
               "--format", "csv"]
        best = (float("inf"), 0.0)
        for _ in range(3):
            t0, c0 = time.perf_counter(), _child_cpu()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            best = min(best, (time.perf_counter() - t0, _child_cpu() - c0))
        out[f"rolecall report {name} (process, best of 3)"] = best
    return out


def bench_app_start(data_dir: Path) -> dict:
    """A fresh process: import, open the store, show the window on the Dashboard, until it is drawn."""
    script = (
        "import sys, time; t0 = time.perf_counter(); sys.path.insert(0, %r)\n"
        "from PySide6.QtCore import QSettings, QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from store.station import open_station\n"
        "from ui.context import AppContext\nfrom ui.main_window import MainWindow\n"
        "from ui.settings import Key, Settings\n"
        "app = QApplication([])\n"
        "settings = Settings(QSettings(%r, QSettings.Format.IniFormat)); settings.set(Key.LAST_PAGE, 4)\n"
        "window = MainWindow(AppContext(open_station(%r), settings)); window.show()\n"
        "page = window.pages['dashboard']\n"
        "def done():\n"
        "    window.repaint(); print(time.perf_counter() - t0); app.quit()\n"
        "page.rendered.connect(lambda: QTimer.singleShot(0, done)) if not page.has_rendered else "
        "QTimer.singleShot(0, done)\n"
        "app.exec()\n") % (str(REPO), str(data_dir / "start.ini"), str(data_dir))
    best = (float("inf"), 0.0)
    for _ in range(3):
        c0 = _child_cpu()
        proc = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        best = min(best, (float(proc.stdout.strip().splitlines()[-1]), _child_cpu() - c0))
    return {"app start to usable window, Dashboard drawn (process, best of 3)": best}


TARGETS = {"dashboard first render": 1.0, "filter change": 0.3, "rolecall report": 1.0, "app start": 2.0}



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recordings", type=int, default=10000)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse (or fill) this station")
    parser.add_argument("--bulk", action="store_true", help="make the store here even if demo-data exists")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="rolecall-bench-dash-"))
    if not (data_dir / "rolecall.db").exists():
        t0 = time.perf_counter()
        source, counts = make_store(data_dir, args.recordings, args.bulk)
        print(f"store: {source} in {time.perf_counter() - t0:.1f} s into {data_dir}: {json.dumps(counts)}")
    load = os.getloadavg()[0]
    results = {}
    results.update(bench_page(data_dir))
    results.update(bench_reports(data_dir))
    results.update(bench_app_start(data_dir))
    print(f"\nload average when it started: {load:.2f} on {os.cpu_count()} cores "
          f"(CPU s = user + system time of the process, all its threads)")
    print(f"\n| measure ({args.recordings} recordings) | wall s | CPU s | target | ok |")
    print("|---|---:|---:|---:|---|")
    for name, (seconds, cpu) in results.items():
        target = next(v for k, v in TARGETS.items() if name.startswith(k))
        print(f"| {name} | {seconds:.3f} | {cpu:.3f} | <= {target:g} | {'yes' if seconds <= target else 'NO'} |")


if __name__ == "__main__":
    main()
