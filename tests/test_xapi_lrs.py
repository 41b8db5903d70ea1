"""Pushing to a real LRS: Ralph on 127.0.0.1 (tests/ralph_lrs.py), demo data through `rolecall lrs`, read
back through its xAPI API; the LRS killed with SIGKILL mid-push; an LRS that refuses a statement, a wrong
key, an LRS that is not there."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli_helpers import run_cli
from ralph_lrs import SECRET, RalphLrs, free_port, ralph_fixture
from store.clock import parse_iso
from store.people import PeopleRepo
from store.xapi import export, queue
from store.xapi.client import LrsClient, LrsUnreachable
from store.xapi.config import LrsConfig, PushState
from store.xapi.push import Pusher
from store.xapi.statements import Identity
from xapi_support import demo_station

ralph = pytest.fixture(scope="module")(ralph_fixture)
LRS_FIELDS = ("stored", "authority", "version")


@pytest.fixture(autouse=True)
def secret_in_a_file(monkeypatch):
    monkeypatch.setenv("ROLECALL_SECRET_STORE", "file")      # never the developer's own keyring


def set_lrs(store, endpoint, user, secret=SECRET, *extra):
    return run_cli(store, "lrs", "set", endpoint, "--key", user, "--secret", secret, *extra)


def exported(store):
    return {s["id"]: s for s in export.statements(store, LrsConfig.load(store).identity)}


def test_demo_data_pushed_is_what_the_lrs_returns(ralph, tmp_path):
    store = demo_station(tmp_path / "station", recordings=60, seed=2)
    user = ralph.take_user()
    result = set_lrs(store, f"http://127.0.0.1:{ralph.port}", user, SECRET, "--home-page",
                     "https://learning.example.com/rolecall")
    assert result.exit_code == 0, result.output
    assert "answers and accepts the key" in result.output and "Queued" in result.output
    assert LrsConfig.load(store).url == ralph.endpoint                         # /xAPI/ added to a bare host
    expected = exported(store)
    pushed = run_cli(store, "lrs", "push")
    assert pushed.exit_code == 0, pushed.output
    assert f"Sent {len(expected):,} statement(s)" in pushed.output and "0 waiting" in pushed.output
    back = {s["id"]: s for s in ralph.statements(user)}
    assert back.keys() == expected.keys()
    for sid, statement in expected.items():
        assert {k: v for k, v in back[sid].items() if k not in LRS_FIELDS} == statement
    assert back[next(iter(back))]["authority"]["mbox"] == f"mailto:{user}@lrs.example.com"
    # everything again (a station that lost its queue): the LRS keeps one of each
    again = run_cli(store, "lrs", "push", "--resend-all")
    assert again.exit_code == 0, again.output
    assert f"{len(expected):,} statement(s) queued again" in again.output
    assert len(ralph.statements(user)) == len(expected) == ralph.stored_lines(user)
    status = run_cli(store, "lrs", "status")
    assert "Waiting: 0" in status.output and f"Sent: {len(expected):,}" in status.output
    store.close()


class KillAfter:
    """The real client; after ``n`` answered batches, SIGKILL the LRS. ``lose_answer``: kill it right
    after it stored the batch and report no answer, as when a crash cuts the connection."""

    def __init__(self, client: LrsClient, lrs: RalphLrs, n: int, lose_answer: bool):
        self.client, self.lrs, self.n, self.lose = client, lrs, n, lose_answer
        self.endpoint = client.endpoint
        self.batches = 0

    def post_statements(self, statements):
        if self.batches == self.n and not self.lose:
            self.lrs.kill()
        reply = self.client.post_statements(statements)
        self.batches += 1
        if self.batches == self.n and self.lose:
            self.lrs.kill()
            raise LrsUnreachable("the connection was cut")
        return reply

    def get_statements(self, **query):
        return self.client.get_statements(**query)


@pytest.mark.parametrize("lose_answer", [False, True], ids=["killed-between-batches", "killed-after-storing"])
def test_lrs_killed_mid_push_loses_and_duplicates_nothing(tmp_path, lose_answer):
    lrs = RalphLrs(tmp_path / "lrs", users=1).start()
    try:
        store = demo_station(tmp_path / "station", recordings=40, seed=6)
        user = lrs.take_user()
        config = LrsConfig(url=lrs.endpoint, key=user, batch_size=25)
        config.save(store)
        queue.enable(store)
        expected = exported(store)
        client = LrsClient(lrs.endpoint, user, SECRET)
        report = Pusher(store, KillAfter(client, lrs, 3, lose_answer), config).run()
        assert report.stopped and "cannot be reached" in report.stopped
        assert report.sent == (50 if lose_answer else 75)               # the lost answer is not counted
        assert report.remaining == len(expected) - report.sent
        assert lrs.stored_lines(user) == 75                              # what the LRS really stored
        lrs.start()                                                      # it comes back, same port and files
        final = Pusher(store, LrsClient(lrs.endpoint, user, SECRET), config).run()
        assert final.ok and final.remaining == 0
        back = [s["id"] for s in lrs.statements(user)]
        assert sorted(back) == sorted(expected)                          # nothing lost
        assert len(back) == len(set(back)) == lrs.stored_lines(user)     # nothing stored twice
        store.close()
    finally:
        lrs.stop()


def test_a_statement_the_lrs_cannot_store_is_held_and_the_rest_go_on(ralph, tmp_path):
    """Ralph refuses an actor whose email domain is reserved (.test); the statements about that rep
    are held with Ralph's message, every other one is delivered."""
    store = demo_station(tmp_path / "station", recordings=30, seed=8, emails=0)
    rep = store.db.execute("SELECT r.rep_id FROM recordings r GROUP BY r.rep_id ORDER BY count(*) LIMIT 1").fetchone()[0]
    PeopleRepo(store).set_email(rep, "ana@acme.test")
    user = ralph.take_user()
    assert set_lrs(store, ralph.endpoint, user).exit_code == 0
    expected = exported(store)
    bad = {sid for sid, s in expected.items() if s["actor"].get("mbox") == "mailto:ana@acme.test"}
    assert bad
    result = run_cli(store, "lrs", "push")
    assert result.exit_code == 0, result.output
    assert f"{len(bad):,} held" in result.output
    assert {s["id"] for s in ralph.statements(user)} == expected.keys() - bad
    status = run_cli(store, "lrs", "status")
    assert f"Held: {len(bad):,}" in status.output and "mailto:ana@acme.test" in status.output
    retried = run_cli(store, "lrs", "push", "--retry-held")              # still refused: held again
    assert f"{len(bad):,} held statement(s) queued again" in retried.output
    assert queue.counts(store, "own").held == len(bad)
    store.close()


class FussyLrs(BaseHTTPRequestHandler):
    """An LRS that answers 400 with a message for the statements in ``refuse`` and stores the rest."""
    refuse: set[str] = set()
    stored: list[str] = []
    auth: str = ""

    def log_message(self, *args):
        pass

    def _reply(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._reply(200, {"statements": [], "more": ""})

    def do_POST(self):
        type(self).auth = self.headers.get("Authorization", "")
        assert self.headers["X-Experience-API-Version"] == "1.0.3"
        statements = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        refused = [s["id"] for s in statements if s["id"] in self.refuse]
        if refused:
            self._reply(400, {"message": f"Statement {refused[0]}: verb display must not be empty"})
            return
        type(self).stored += [s["id"] for s in statements]
        self._reply(200, [s["id"] for s in statements])


def test_an_lrs_that_rejects_one_statement_with_400_holds_that_one(tmp_path):
    store = demo_station(tmp_path / "station", recordings=30, seed=9)
    config = LrsConfig(url="", key="rolecall", batch_size=50)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FussyLrs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config.url = f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
        config.save(store)
        queue.enable(store)
        ids = list(exported(store))
        FussyLrs.refuse, FussyLrs.stored = {ids[7]}, []
        report = Pusher(store, LrsClient(config.url, "rolecall", "pw"), config).run()
        assert report.ok and report.sent == len(ids) - 1
        assert report.held == [f"{ids[7]}: the LRS refused it (HTTP 400: Statement {ids[7]}: verb display must "
                               "not be empty)"]
        assert sorted(FussyLrs.stored) == sorted(set(ids) - {ids[7]})
        assert FussyLrs.auth == "Basic cm9sZWNhbGw6cHc="                   # rolecall:pw
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def test_a_wrong_key_stops_with_one_message_and_drops_nothing(ralph, tmp_path):
    store = demo_station(tmp_path / "station", recordings=10, seed=1)
    user = ralph.take_user()
    result = set_lrs(store, ralph.endpoint, user, "not-the-secret")
    assert result.exit_code == 1 and "refused the key" in result.output
    waiting = queue.counts(store, "own").queued
    pushed = run_cli(store, "lrs", "push")
    assert pushed.exit_code == 1
    assert pushed.output.count("refused the key") == 1 and f"{waiting:,} waiting" in pushed.output
    assert queue.counts(store, "own").queued == waiting and ralph.stored_lines(user) == 0
    assert not PushState.load(store).due()                               # no automatic retries with it
    assert "Stopped: the LRS refused the key" in run_cli(store, "lrs", "status").output
    assert set_lrs(store, ralph.endpoint, user).exit_code == 0           # the right secret
    assert PushState.load(store).due()
    assert run_cli(store, "lrs", "push").exit_code == 0
    assert ralph.stored_lines(user) == waiting
    store.close()


def test_an_unreachable_lrs_keeps_everything_queued_and_backs_off(tmp_path):
    store = demo_station(tmp_path / "station", recordings=10, seed=1)
    port = free_port()
    result = set_lrs(store, f"http://127.0.0.1:{port}/xAPI/", "rolecall-1")
    assert result.exit_code == 0 and "cannot be reached now" in result.output
    waiting = queue.counts(store, "own").queued
    times = []
    for attempt in (1, 2, 3):
        before = datetime.now(timezone.utc)
        pushed = run_cli(store, "lrs", "push")
        assert pushed.exit_code == 1 and "cannot be reached" in pushed.output
        state = PushState.load(store)
        assert state.failures == attempt and not state.due()
        times.append(parse_iso(state.next_attempt_at) - before)
    assert [round(t / timedelta(minutes=1)) for t in times] == [1, 2, 4]
    assert queue.counts(store, "own").queued == waiting
    assert "next automatic try after" in run_cli(store, "lrs", "status").output
    sync_status = run_cli(store, "sync", "status").output
    assert f"{waiting:,} statement(s) waiting" in sync_status and "LRS problem: the LRS at" in sync_status
    lrs = RalphLrs(tmp_path / "lrs", users=1, port=port).start()         # the LRS is back
    try:
        assert run_cli(store, "lrs", "push").exit_code == 0
        assert lrs.stored_lines("rolecall-1") == waiting
        assert PushState.load(store).failures == 0
    finally:
        lrs.stop()
        store.close()


def test_export_and_push_use_the_same_identity_settings(tmp_path):
    store = demo_station(tmp_path / "station", recordings=10, seed=1)
    assert run_cli(store, "lrs", "set", "https://lrs.example.com/data/xAPI/statements", "--key", "k", "--secret",
                   "s", "--pseudonymise", "--no-check").exit_code == 0
    config = LrsConfig.load(store)
    assert config.url == "https://lrs.example.com/data/xAPI/" and config.identity == Identity(
        "https://rolecall.invalid", True)
    out = tmp_path / "x.json"
    assert run_cli(store, "export", "xapi", "--out", str(out)).exit_code == 0
    assert all("name" not in s["actor"] for s in json.loads(out.read_text()))
    store.close()
