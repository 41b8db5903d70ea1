"""`rolecall demo-data`: deterministic for a seed, plausible content, the extension hook."""
import random

import pytest
from click.testing import CliRunner

from cli import cli
import demo
from store.review_queries import ReviewFilter, ReviewQueries
from store.station import open_station

TABLES = ("people", "recordings", "transcripts", "segments", "term_hits", "scorecards", "scores", "comments",
          "exemplars", "events")


def _dump(store):
    out = {}
    for table in TABLES:
        out[table] = store.db.execute(f"SELECT * FROM {table} WHERE created_at < '2026-11-20' "
                                      "ORDER BY id").fetchall()
    return out


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    stores = [open_station(tmp_path / name) for name in ("a", "b", "c")]
    try:
        summaries = [demo.generate(s, recordings=40, seed=seed) for s, seed in zip(stores, (5, 5, 6))]
        a, b, c = (_dump(s) for s in stores)
        assert a == b                                     # ids, times, clocks, scores: all equal
        assert a["scores"] != c["scores"]
        assert summaries[0].counts == summaries[1].counts
        assert len(a["recordings"]) == 40 and len(a["transcripts"]) == 40
        assert (stores[0].data_dir / summaries[0].media_path).stat().st_size > 10_000
    finally:
        for s in stores:
            s.close()


def test_plausible_event(store):
    summary = demo.generate(store, recordings=150, seed=2)
    db = store.db
    assert db.execute("SELECT count(*) FROM recordings WHERE status='submitted'").fetchone()[0] == 150
    cards = db.execute("SELECT count(*) FROM scorecards").fetchone()[0]
    assert 3 * 150 <= cards <= 9 * 150                   # several scorecards per take
    assert db.execute("SELECT count(*) FROM scorecards WHERE version = 2 AND supersedes IS NOT NULL").fetchone()[0] \
        == summary.counts["revisions"] > 0
    assert db.execute("SELECT count(*) FROM scorecards s JOIN recordings r ON r.id = s.recording_id "
                      "WHERE s.scorer_id = r.rep_id").fetchone()[0] == 0      # nobody scores themself
    assert db.execute("SELECT count(*) FROM term_hits").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM exemplars").fetchone()[0] == summary.counts["exemplars"] > 0
    assert db.execute("SELECT count(*) FROM events WHERE kind='transcript_view'").fetchone()[0] > 0
    # term hits sit on the words of the transcript, and evidence lies inside the take
    hit = db.execute("SELECT h.start_s, h.text, s.words FROM term_hits h JOIN segments s ON s.transcript_id = "
                     "h.transcript_id AND s.start_s <= h.start_s AND s.end_s >= h.end_s LIMIT 1").fetchone()
    assert hit is not None and hit[1].split()[0] in hit[2]
    assert db.execute("SELECT count(*) FROM scores sc JOIN scorecards c ON c.id = sc.scorecard_id JOIN recordings r "
                      "ON r.id = c.recording_id WHERE sc.evidence_s > r.duration_s").fetchone()[0] == 0
    # realistic disagreement: peers neither always agree nor score at random
    q = ReviewQueries(store)
    # the queue's fast "current version" pick agrees with the current_scorecards view (revisions included)
    view = db.execute("SELECT cs.recording_id, sc.criterion_id, cs.scorer_id, sc.score FROM current_scorecards cs "
                      "JOIN scores sc ON sc.scorecard_id = cs.id").fetchall()
    assert sorted(q.current_scores()) == sorted(view) and len(view) < db.execute(
        "SELECT count(*) FROM scores").fetchone()[0]
    alphas = [a["alpha"] for a in q.agreement() if a["alpha"] is not None]
    assert alphas and all(0.1 < a < 0.95 for a in alphas)
    assert max(alphas) - min(alphas) > 0.1               # some criteria are harder to judge than others
    biases = [b.bias for b, _ in q.bias() if b.n >= 10]
    assert min(biases) < -0.4 and max(biases) > 0.4           # some harsh, some lenient scorers
    assert q.review_list(ReviewFilter(status="needs"))          # some takes still need scores
    with pytest.raises(demo.DemoError, match="already"):
        demo.generate(store, recordings=5, seed=2)


def test_extra_generators_hook(store, monkeypatch):
    seen = []

    def signoffs(st, rng, summary):
        assert isinstance(rng, random.Random)
        seen.append((len(summary.takes), len(summary.reps), rng.random()))
        summary.extra["signoffs"] = 0

    monkeypatch.setattr(demo, "EXTRA_GENERATORS", [signoffs])
    summary = demo.generate(store, recordings=10, seed=9)
    assert seen[0][:2] == (10, len(summary.reps)) and "0 signoffs" in summary.lines()[0]
    rng_value = seen[0][2]
    assert rng_value == random.Random(f"9:{signoffs.__module__}.{signoffs.__qualname__}").random()


def test_cli(data_dir):
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "demo-data", "--recordings", "12",
                                      "--seed", "4"], catch_exceptions=False)
    assert result.exit_code == 0 and "12 recordings" in result.output
    again = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "demo-data", "--recordings", "12"])
    assert again.exit_code != 0 and "already holds demo data" in again.output


def test_refuses_a_station_with_real_takes(store):
    from demo.takes import add_take
    from store.people import PeopleRepo
    rep = PeopleRepo(store).add("Real Rep", "rep", "North")
    add_take(store, rep.id, "cold-call")
    with pytest.raises(demo.DemoError, match="real takes"):
        demo.generate(store, recordings=5, seed=1)
    assert store.db.execute("SELECT count(*) FROM recordings").fetchone()[0] == 1
