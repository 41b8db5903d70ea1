"""Review and coaching at scale (#5): `demo-data --recordings N`, then time what a reviewer and a coach wait for.

* Review list filters: the query (store.review_queries) AND the list widget's refresh (query + Qt model).
* Coach queue: loading it once (off the main thread in the app), then sorting by each column and
  filtering, which happen in memory in the table model.
* Opening a take: ReviewPage.open_take = take + transcript + term hits + rubric + the reviewer's current
  scorecard, player source, transcript rendered, scorecard form built.

Medians over repeated runs; targets from the issue. Qt runs offscreen.

    .venv/bin/python benchmarks/bench_review.py                     # 10,000 recordings in a temp dir
    .venv/bin/python benchmarks/bench_review.py --recordings 2000
    .venv/bin/python benchmarks/bench_review.py --data-dir /tmp/demo  # reuse a store made by demo-data
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.review_queries import ReviewFilter, ReviewQueries  # noqa: E402
from store.station import open_station  # noqa: E402


def median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recordings", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=None, help="an existing demo store (skips generation)")
    args = ap.parse_args()

    rows: list[tuple[str, float, float | None]] = []       # what, ms, target ms
    tmp = None
    if args.data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-review-")
        data_dir = Path(tmp.name)
    else:
        data_dir = args.data_dir
    if not (data_dir / "rolecall.db").exists():
        # exactly the command a person runs (so the other areas' demo generators run too)
        cmd = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "demo-data",
               "--recordings", str(args.recordings), "--seed", str(args.seed)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        print(f"rolecall demo-data --recordings {args.recordings} --seed {args.seed}: "
              f"{time.perf_counter() - t0:.1f} s wall\n  " + out.strip().replace("\n", "\n  "))
    store = open_station(data_dir)
    db = store.db
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("recordings", "scorecards", "scores")}
    print(f"store: {counts['recordings']:,} recordings, {counts['scorecards']:,} scorecards, {counts['scores']:,} scores")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from ui.context import AppContext
    from ui.settings import Settings
    settings = Settings(QSettings(str(data_dir / "bench-settings.ini"), QSettings.Format.IniFormat))
    context = AppContext(store, settings)
    me = context.people.get(db.execute("SELECT id FROM people WHERE role='rep' ORDER BY id LIMIT 1").fetchone()[0])
    context.set_person(me)
    q = ReviewQueries(store)
    exercise = db.execute("SELECT id FROM exercises ORDER BY position LIMIT 1").fetchone()[0]
    team = db.execute("SELECT team FROM people WHERE role='rep' AND team != ? ORDER BY team LIMIT 1",
                      [me.team]).fetchone()[0]
    rep = db.execute("SELECT id FROM people WHERE role='rep' AND id != ? ORDER BY name LIMIT 1", [me.id]).fetchone()[0]

    # -- Review list ------------------------------------------------------------------------------
    filters = {
        "all takes (default: not yet scored by me)": ReviewFilter(viewer_id=me.id, not_scored_by_me=True),
        "all takes, any status": ReviewFilter(viewer_id=me.id),
        "exercise": ReviewFilter(viewer_id=me.id, exercise_id=exercise, not_scored_by_me=True),
        "team": ReviewFilter(viewer_id=me.id, team=team, not_scored_by_me=True),
        "rep": ReviewFilter(viewer_id=me.id, rep_id=rep),
        "status: needs more scores": ReviewFilter(viewer_id=me.id, status="needs"),
        "status: enough scores": ReviewFilter(viewer_id=me.id, status="scored"),
        "exercise + team + needs + not mine": ReviewFilter(viewer_id=me.id, exercise_id=exercise, team=team,
                                                            status="needs", not_scored_by_me=True),
    }
    for name, f in filters.items():
        n = len(q.review_list(f))
        rows.append((f"Review list query: {name} ({n:,} rows)", median_ms(lambda f=f: q.review_list(f)), 100))

    from ui.pages.review_page import ReviewPage
    t0 = time.perf_counter()
    page = ReviewPage(context)
    page.resize(1400, 860)
    page.show()
    app.processEvents()
    rows.append(("Review page built (first list shown)", (time.perf_counter() - t0) * 1000, None))
    lst = page.list

    def ui_filter(index_combo, value):
        combo = getattr(lst, index_combo)
        combo.setCurrentIndex(combo.findData(value))
        app.processEvents()
        combo.setCurrentIndex(0)
        app.processEvents()
    rows.append(("Review list widget: exercise filter on + off (2 refreshes)",
                 median_ms(lambda: ui_filter("exercise", exercise)), 200))
    rows.append(("Review list widget: status 'needs' on + off (2 refreshes)",
                 median_ms(lambda: ui_filter("status", "needs")), 200))

    # -- Opening a take ------------------------------------------------------------------------------
    take_ids = [r.recording_id for r in q.review_list(ReviewFilter(viewer_id=me.id))]
    rng = random.Random(1)
    sample = rng.sample(take_ids, min(20, len(take_ids)))
    rows.append(("Open a take: query (take, transcript, hits, rubric)",
                 median_ms(lambda: q.take(rng.choice(sample)), 20), 300))

    def open_take():
        page.open_take(rng.choice(sample))
        app.processEvents()
    rows.append(("Open a take: Review page (query + player + transcript + scorecard)", median_ms(open_take, 20), 300))
    page.shutdown()

    # -- Coach queue -----------------------------------------------------------------------------------
    t0 = time.perf_counter()
    queue_rows = q.coach_queue()
    rows.append((f"Coach queue: load + aggregate all ({len(queue_rows):,} takes, worker thread in the app)",
                 (time.perf_counter() - t0) * 1000, None))
    rows.append(("Coach queue: load + aggregate one exercise",
                 median_ms(lambda: q.coach_queue(exercise), 3), None))
    from PySide6.QtCore import Qt
    from ui.widgets.coach_queue import CoachQueueModel
    model = CoachQueueModel()
    model.set_rows(queue_rows)
    sort_times = []
    for col, header in enumerate(model.HEADERS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            sort_times.append((header, median_ms(lambda: model.sort(col, order), 5)))
    worst = max(sort_times, key=lambda x: x[1])
    rows.append((f"Coach queue sort, median over {len(model.HEADERS)} columns x 2 orders",
                 statistics.median(t for _h, t in sort_times), 100))
    rows.append((f"Coach queue sort, slowest column ({worst[0]})", worst[1], 100))

    rubric = db.execute("SELECT rubric_id FROM exercises WHERE id = ?", [exercise]).fetchone()[0]
    model.set_filter(exercise_id=exercise)
    model.set_criteria(context.kit.criteria(rubric))
    first = len(model.HEADERS)
    crit_times = [median_ms(lambda c=c, o=o: model.sort(c, o), 5)
                  for c in range(first, model.columnCount())
                  for o in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)]
    rows.append((f"Coach queue sort by a criterion's mean, one exercise ({len(model.rows):,} takes), slowest",
                 max(crit_times), 100))
    model.set_criteria([])
    model.set_filter(exercise_id=None)

    def filt():
        model.set_filter(exercise_id=exercise, team=None, flagged=True)
        model.set_filter(exercise_id=None, team=None, flagged=False)
    rows.append(("Coach queue filter: exercise + flagged on, then off (2 re-filters + sorts)", median_ms(filt), 100))
    rows.append(("Agreement (alpha) per exercise x criterion, all exercises", median_ms(lambda: q.agreement(), 3), None))
    rows.append(("Scorer bias, all exercises", median_ms(lambda: q.bias(), 3), None))

    width = max(len(r[0]) for r in rows)
    print()
    print(f"| {'What'.ljust(width)} | median ms | target | ok |")
    print(f"|{'-' * (width + 2)}|----------:|-------:|----|")
    for what, ms, target in rows:
        ok = "" if target is None else ("yes" if ms <= target else "NO")
        print(f"| {what.ljust(width)} | {ms:9.1f} | {'' if target is None else f'<= {target}':>6} | {ok:2} |")
    store.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
