"""The push's decisions on each answer an LRS can give (store/xapi/push.py), with a scripted LRS: a
batch split until the refused statement is alone, 409 as delivered, 413 split, 401/403/404/429 and an
LRS going down stopping the push with everything not delivered still queued."""
from __future__ import annotations

import pytest

from store.xapi import queue
from store.xapi.client import LrsUnreachable, Reply
from store.xapi.config import LrsConfig, PushState
from store.xapi.push import Pusher
from xapi_support import demo_station


class ScriptedLrs:
    """``answer(statements) -> status`` decides each POST; it records what it stored."""
    endpoint = "http://lrs.test/xAPI/"

    def __init__(self, answer, read_status: int = 200):
        self.answer, self.read_status = answer, read_status
        self.stored: list[str] = []
        self.posts = 0

    def post_statements(self, statements):
        self.posts += 1
        status = self.answer(statements)
        if isinstance(status, Exception):
            raise status
        if 200 <= status < 300:
            self.stored += [s["id"] for s in statements]
        return Reply(status, b'{"message": "scripted"}')

    def get_statements(self, **query):
        if self.read_status is None:
            raise LrsUnreachable("down")
        return Reply(self.read_status, b'{"statements": []}')


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("push") / "station"
    store = demo_station(path, recordings=8, seed=1)
    store.close()
    return path


@pytest.fixture
def station(template, tmp_path):
    import shutil

    from store.station import open_station

    shutil.copytree(template, tmp_path / "station")
    store = open_station(tmp_path / "station")
    config = LrsConfig(url=ScriptedLrs.endpoint, key="k", batch_size=16)
    config.save(store)
    queue.enable(store)
    yield store, config
    store.close()


def run(station, lrs):
    store, config = station
    return Pusher(store, lrs, config).run()


def ids_in_queue(store):
    return queue.counts(store, "own")


def test_a_refused_statement_is_isolated_and_held(station):
    store, _ = station
    total = queue.counts(store, "own").queued
    victim = {}

    def answer(statements):
        if "id" not in victim:
            victim["id"] = statements[5]["id"]
        return 400 if any(s["id"] == victim["id"] for s in statements) else 200

    lrs = ScriptedLrs(answer)
    report = run(station, lrs)
    assert report.ok and report.sent == total - 1 and len(report.held) == 1
    assert report.held[0].startswith(victim["id"]) and "HTTP 400: scripted" in report.held[0]
    assert victim["id"] not in lrs.stored and len(set(lrs.stored)) == total - 1
    assert queue.counts(store, "own").held == 1


@pytest.mark.parametrize("status", [409, 413, 422])
def test_409_for_one_is_delivered_413_and_422_hold_it(station, status):
    store, _ = station
    total = queue.counts(store, "own").queued
    first = {}

    def answer(statements):
        if "id" not in first:
            first["id"] = statements[0]["id"]
        return status if any(s["id"] == first["id"] for s in statements) else 200

    report = run(station, ScriptedLrs(answer))
    assert report.ok
    if status == 409:
        assert report.sent == total and report.duplicates == 1 and not report.held
    else:
        assert report.sent == total - 1 and len(report.held) == 1


@pytest.mark.parametrize("status,refused", [(401, True), (403, True), (404, False), (429, False), (503, False)])
def test_answers_that_stop_the_push_keep_the_queue(station, status, refused):
    store, _ = station
    total = queue.counts(store, "own").queued
    calls = {"n": 0}

    def answer(statements):
        calls["n"] += 1
        return 200 if calls["n"] == 1 else status            # the first batch goes through

    lrs = ScriptedLrs(answer, read_status=None if status == 503 else 200)
    report = run(station, lrs)
    assert report.stopped and report.refused is refused
    assert report.sent == 16 and report.remaining == total - 16 and not report.held
    assert queue.counts(store, "own").queued == total - 16
    state = PushState.load(store)
    assert state.failures == 1 and bool(state.blocked) is refused


def test_a_500_for_one_statement_is_held_while_the_lrs_still_reads(station):
    store, _ = station
    total = queue.counts(store, "own").queued
    bad = {}

    def answer(statements):
        if "id" not in bad:
            bad["id"] = statements[3]["id"]
        return 500 if any(s["id"] == bad["id"] for s in statements) else 200

    report = run(station, ScriptedLrs(answer, read_status=200))
    assert report.ok and report.sent == total - 1 and len(report.held) == 1


def test_an_lrs_that_dies_mid_push_stops_it_after_a_few_requests(station):
    store, _ = station
    total = queue.counts(store, "own").queued
    calls = {"n": 0}

    def answer(statements):
        calls["n"] += 1
        return 200 if calls["n"] <= 2 else 500

    lrs = ScriptedLrs(answer, read_status=None)               # the reads fail too: the server is down
    report = run(station, lrs)
    assert report.stopped and not report.held and report.sent == 32
    assert lrs.posts <= 2 + 1 + 4                              # halving down to one statement, then it stops
    assert queue.counts(store, "own").queued == total - 32


def test_cancel_stops_between_batches(station):
    store, config = station
    flags = iter([False, True])
    report = Pusher(store, ScriptedLrs(lambda s: 200), config, cancel=lambda: next(flags, True)).run()
    assert report.cancelled and report.sent == 16 and not report.stopped


def test_an_unreachable_lrs_stops_at_once(station):
    report = run(station, ScriptedLrs(lambda s: LrsUnreachable("Connection refused")))
    assert report.stopped == "the LRS at http://lrs.test/xAPI/ cannot be reached: Connection refused"
