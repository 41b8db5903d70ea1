"""demo-data adds sign-off decisions through the EXTRA_GENERATORS hook, deterministically."""
import json

import demo
from demo.signoffs import generate_signoffs, register
from store.station import open_station


def _decisions(path, monkeypatch):
    monkeypatch.setattr(demo, "EXTRA_GENERATORS", [])
    register()
    store = open_station(path)
    try:
        summary = demo.generate(store, recordings=150, seed=3)
        rows = store.db.execute(
            "SELECT p.name, s.decision, s.decided_at, s.valid_until, s.scores, c.role FROM signoffs s "
            "JOIN people p ON p.id = s.rep_id JOIN people c ON c.id = s.certifier_id ORDER BY s.decided_at").fetchall()
        return summary, rows
    finally:
        store.close()


def test_demo_signoffs(tmp_path, monkeypatch):
    summary, rows = _decisions(tmp_path / "a", monkeypatch)
    assert demo.EXTRA_GENERATORS == [generate_signoffs]
    assert rows and summary.extra["signoffs"] == len(rows)
    assert {r[5] for r in rows} == {"certifier"}
    certified = [r for r in rows if r[1] == "certified"]
    assert certified and all(r[3] for r in certified)
    assert all(all(json.loads(r[4])["requirements"].values()) for r in certified)   # rests on met requirements
    assert summary.event_start <= min(r[2] for r in rows) and max(r[2] for r in rows) <= summary.event_end
    _, again = _decisions(tmp_path / "b", monkeypatch)
    assert [r[:4] for r in again] == [r[:4] for r in rows]
