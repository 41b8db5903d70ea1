"""One event, many stations (issue #14): four real station processes meet at one hub (a folder, then S3
over HTTP on moto's ThreadedMotoServer), each with its own data dir, driven through the `rolecall`
command line and, where it has no command, tests/e2e_station.py (the Review, Coach and Certify pages'
services, headless).

    A  rep station      Ana Lopez and Raj Patel record the certification pitch (record; import)
    B  peer station     Ben Okafor fetches Ana's take (ensure_media) and scores both takes; Bea Novak
                        scores both on B's real Review page (its player downloads Raj's take)
    D  peer station     Dee Park fetches every take (`sync fetch-media`) and scores both
    C  coach station    Cora Diaz sees the aggregates and agreement; Eve Martin (certifier, PIN set
                        there) signs Ana off and sends Raj back for rework; C downloads every video
    A  again            sees both decisions after its next sync

Then every station syncs twice more: all four hold the same people (ids and names), the same rows
in every synced table, nothing twice, and a sync with nothing new sends, receives and writes nothing.
Model-free: nothing is transcribed (the queued jobs just wait). Run time per hub:
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/test_e2e_stations.py -q --durations=6
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conftest import DATA, REPO
from test_sync_support import moto_server  # noqa: F401  (session fixture: S3 on 127.0.0.1)

MAIN = REPO / "main.py"
DRIVER = Path(__file__).with_name("e2e_station.py")
REVIEW_PAGE = Path(__file__).with_name("e2e_review_page.py")
EXERCISE, PROGRAM = "new-messaging-pitch", "new-messaging-certification"
CAMERA = DATA / "rec_camera_320x240_30fps.mp4"
MIC = DATA / "speech" / "rec_teachback.wav"
PIN = "482615"

PEOPLE = {  # station -> (name, role, team): each person is added at one station only
    "a": [("Ana Lopez", "rep", "North"), ("Raj Patel", "rep", "South")],
    "b": [("Ben Okafor", "rep", "South"), ("Bea Novak", "rep", "North")],
    "d": [("Dee Park", "rep", "East")],
    "c": [("Cora Diaz", "coach", None), ("Eve Martin", "certifier", None)],
}
# scorer -> rep -> (messaging-pillars, reframe-objection, call-to-action), each with its evidence second
SCORES = {
    "Ben Okafor": {"Ana Lopez": (5, 4, 4), "Raj Patel": (2, 3, 2)},
    "Bea Novak": {"Ana Lopez": (4, 4, 3), "Raj Patel": (3, 2, 2)},
    "Dee Park": {"Ana Lopez": (5, 3, 5), "Raj Patel": (1, 4, 5)},
}
CRITERIA = ("messaging-pillars", "reframe-objection", "call-to-action")


class Station:
    """One station: its own data dir, every command a fresh OS process."""

    def __init__(self, name: str, root: Path, env: dict):
        self.name, self.dir, self.env = name, root / f"station-{name}", env

    def _run(self, argv: list[str], ok: bool, env: dict | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run(argv, cwd=REPO, env={**self.env, **(env or {})}, capture_output=True, text=True)
        if ok and done.returncode != 0:
            raise AssertionError(f"station {self.name}: {' '.join(argv[1:])} exited {done.returncode}\n"
                                 f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}")
        return done

    def cli(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        if self.name == "c":          # this one is told its data dir the other way: ROLECALL_DATA_DIR
            return self._run([sys.executable, str(MAIN), *args], ok, {"ROLECALL_DATA_DIR": str(self.dir)})
        return self._run([sys.executable, str(MAIN), "--data-dir", str(self.dir), *args], ok)

    def drive(self, *args: str, ok: bool = True):
        done = self._run([sys.executable, str(DRIVER), "--data-dir", str(self.dir), *args], ok)
        return json.loads(done.stdout) if ok else done

    def review_on_page(self, scorer: str, takes: list[dict], tmp: Path) -> dict:
        """The station's real Review page (pytest-qt, offscreen) in a process of its own."""
        out = tmp / f"review-page-{self.name}.json"
        spec = {"data_dir": str(self.dir), "scorer": scorer, "out": str(out), "takes": takes}
        done = subprocess.run([sys.executable, "-m", "pytest", str(REVIEW_PAGE), "-q", "-x", "-p", "no:cacheprovider",
                               "--basetemp", str(tmp / f"review-page-{self.name}-tmp")],
                              cwd=REPO, env={**self.env, "E2E_REVIEW": json.dumps(spec)}, capture_output=True, text=True)
        assert done.returncode == 0, f"station {self.name}'s Review page:\n{done.stdout}\n{done.stderr}"
        return json.loads(out.read_text(encoding="utf-8"))

    def sync(self) -> dict:
        """`rolecall sync`, with the counts it prints."""
        out = self.cli("sync").stdout
        sent = re.search(r"Sent (\d+) change\(s\).* in (\d+) batch\(es\) and (\d+) media", out)
        got = re.search(r"Received (\d+) change\(s\).* in (\d+) batch\(es\)", out)
        assert sent and got, out
        return {"sent": int(sent[1]), "sent_batches": int(sent[2]), "sent_media": int(sent[3]),
                "received": int(got[1]), "received_batches": int(got[2]), "text": out}

    def media_hashes(self) -> set[str]:
        return {sha256(p) for p in (self.dir / "media").rglob("*") if p.is_file()} \
            if (self.dir / "media").exists() else set()


def together(stations: dict[str, Station], step) -> dict:
    """``step(station)`` on every station at the same time (separate processes); results by name."""
    with ThreadPoolExecutor(len(stations)) as pool:
        return dict(zip(stations, pool.map(step, stations.values())))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class FolderHub:
    kind = "folder"

    def __init__(self, tmp_path: Path):
        self.root = tmp_path / "hub"
        self.root.mkdir()
        self.location, self.endpoint = str(self.root), ""

    def listing(self) -> dict[str, int]:
        return {str(p.relative_to(self.root)): p.stat().st_size for p in self.root.rglob("*") if p.is_file()}


class S3Hub:
    kind = "s3"

    def __init__(self, endpoint: str):
        import boto3

        self.bucket, self.endpoint = f"kickoff-{uuid.uuid4().hex[:10]}", endpoint
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        self.client.create_bucket(Bucket=self.bucket)     # made by whoever runs the event, not Rolecall
        self.location = f"s3://{self.bucket}/event-2026"

    def listing(self) -> dict[str, int]:
        out = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            out.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
        return out


@pytest.fixture(params=["folder", "s3"])
def hub(request, tmp_path):
    if request.param == "s3":
        return S3Hub(request.getfixturevalue("moto_server"))
    return FolderHub(tmp_path)


@pytest.fixture
def stations(tmp_path, hub) -> dict[str, Station]:
    env = {k: v for k, v in os.environ.items() if k != "ROLECALL_DATA_DIR"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    made = {name: Station(name, tmp_path, env) for name in "abdc"}
    key_out = made["a"].cli("sync", "set-key", "--generate").stdout
    key_file = tmp_path / "team-key.txt"            # handed out on a USB stick
    key_file.write_text(re.search(r"New team key: (\S+)", key_out)[1] + "\n", encoding="utf-8")
    where = ["--endpoint-url", hub.endpoint] if hub.endpoint else []

    def set_up(name: str) -> None:           # the stations are set up at the same time, as at an event
        st = made[name]
        if name != "a":
            st.cli("sync", "set-key", "--from-file", str(key_file))
        st.cli("sync", "set-hub", hub.location, *where, *(["--fetch-all-media"] if name == "c" else []))
        for person, role, team in PEOPLE[name]:
            st.cli("people", "add", person, "--role", role, *(["--team", team] if team else []),
                   *(["--team-key-file", str(key_file)] if role == "certifier" else []))   # organiser's key

    together(made, lambda st: set_up(st.name))
    return made


# columns each station keeps for itself: where it stores a take's video (derived locally from the
# take's hash, never taken from a batch) and a certifier's PIN hash (station-local since #12)
STATION_COLUMNS = frozenset({"media_path", "pin_hash"})


def differences(x: dict, y: dict) -> list[str]:
    """Where two station states differ: table/id/column, both values (empty when they agree)."""
    out = []
    for table in sorted(set(x) | set(y)):
        rows_x, rows_y = x.get(table, {}), y.get(table, {})
        for rid in sorted(set(rows_x) | set(rows_y)):
            rx, ry = rows_x.get(rid), rows_y.get(rid)
            if rx is None or ry is None:
                out.append(f"{table}/{rid}: only on {'the second' if rx is None else 'the first'}")
                continue
            out += [f"{table}/{rid}/{k}: {rx.get(k)!r} != {ry.get(k)!r}"
                    for k in sorted((set(rx) | set(ry)) - STATION_COLUMNS) if rx.get(k) != ry.get(k)]
    return out


def criterion_weights() -> dict[str, float]:
    kit = yaml.safe_load((REPO / "assets" / "kit" / "default.yaml").read_text(encoding="utf-8"))
    rubric = next(r for r in kit["rubrics"] if r["id"] == "new-messaging")
    return {c["id"]: float(c.get("weight", 1)) for c in rubric["criteria"]}


def expected_alpha(units: list[list[int]]) -> float:
    """Ordinal Krippendorff's alpha from the krippendorff package (units x coders), not our own code."""
    import krippendorff

    return float(krippendorff.alpha(reliability_data=list(map(list, zip(*units))),
                                    level_of_measurement="ordinal"))


def record_takes(a: Station) -> dict[str, dict]:
    """Ana records the pitch (file camera, speech WAV as microphone); Raj's take is imported."""
    takes = {}
    out = a.cli("record", "--camera", str(CAMERA), "--mic", str(MIC), "--seconds", "3",
                "--rep", "Ana Lopez", "--exercise", EXERCISE).stdout
    assert out.rstrip().endswith("submitted"), out
    takes["Ana Lopez"] = {"id": re.search(r"^Recording (\S+)", out, re.M)[1],
                          "file": Path(re.search(r"^File (.+)$", out, re.M)[1])}
    out = a.cli("import", str(CAMERA), "--rep", "Raj Patel", "--exercise", EXERCISE).stdout
    takes["Raj Patel"] = {"id": re.search(r"^Recording (\S+)", out, re.M)[1],
                          "file": Path(re.search(r"^File (.+?) \(", out, re.M)[1])}
    for take in takes.values():
        take["sha256"] = sha256(take["file"])
    assert takes["Ana Lopez"]["sha256"] != takes["Raj Patel"]["sha256"]
    return takes


def score_as(st: Station, scorer: str, takes: dict) -> None:
    for rep, values in SCORES[scorer].items():
        marks = [f"{slug}={v}@{1.0 + i * 0.5}" for i, (slug, v) in enumerate(zip(CRITERIA, values))]
        card = st.drive("score", takes[rep]["id"], "--scorer", scorer, *sum([["--score", m] for m in marks], []),
                        "--comment", f"1.2=Pillars named, by {scorer.split()[0]}",
                        "--overall", f"{scorer} on {rep}")
        assert card["version"] == 1 and sorted(card["scores"].values()) == sorted(values)


def test_one_event_many_stations(stations, hub, tmp_path):
    a, b, d, c = (stations[n] for n in "abdc")

    # -- A records and submits, then syncs -------------------------------------------------------------
    takes = record_takes(a)
    first = a.sync()
    assert first["sent_media"] == 2 and first["sent"] > 0, first["text"]
    assert sum(1 for k in hub.listing() if "media" in k) == 2

    # -- B pulls, finds both takes in Ben's review list, fetches Ana's video through the player's path --
    assert b.sync()["received"] > 0
    listed = b.drive("review-list", "--viewer", "Ben Okafor", "--exercise", EXERCISE)
    assert {r["recording_id"]: r["rep"] for r in listed} == {t["id"]: rep for rep, t in takes.items()}
    assert all(r["scorers"] == 0 for r in listed)
    assert takes["Ana Lopez"]["sha256"] not in b.media_hashes()          # on demand: not there yet
    fetched = b.drive("fetch-take", takes["Ana Lopez"]["id"])
    assert fetched["sha256"] == sha256(fetched["path"]) == takes["Ana Lopez"]["sha256"]
    assert Path(fetched["path"]).is_relative_to(b.dir)
    assert takes["Raj Patel"]["sha256"] not in b.media_hashes()          # only the take that was opened
    refused = b.drive("score", takes["Ana Lopez"]["id"], "--scorer", "Ana Lopez",
                      *sum([["--score", f"{s}=5"] for s in CRITERIA], []), ok=False)
    assert refused.returncode == 1 and "your own take" in refused.stderr
    score_as(b, "Ben Okafor", takes)
    # Bea scores on B's Review page itself: Raj's take is not here, so its player downloads it from the hub
    on_page = b.review_on_page("Bea Novak", [{"id": t["id"], "scores": list(SCORES["Bea Novak"][rep])}
                                             for rep, t in takes.items()], tmp_path)
    assert [on_page[t["id"]]["downloaded"] for t in takes.values()] == [False, True]
    assert all(on_page[t["id"]]["sha256"] == t["sha256"] for t in takes.values())
    assert takes["Raj Patel"]["sha256"] in b.media_hashes()
    assert b.sync()["sent"] > 0

    # -- D pulls, downloads every video with `sync fetch-media`, scores both ------------------------------
    d.sync()
    out = d.cli("sync", "fetch-media").stdout
    assert "Fetched 2 media file(s)" in out, out
    assert {t["sha256"] for t in takes.values()} <= d.media_hashes()
    assert d.drive("fetch-take", takes["Raj Patel"]["id"])["sha256"] == takes["Raj Patel"]["sha256"]
    score_as(d, "Dee Park", takes)
    d.sync()

    # -- C (coach, fetch-all-media) pulls and sees the right aggregates and agreement ----------------------
    got = c.sync()
    assert got["received"] > 0
    assert {t["sha256"] for t in takes.values()} <= c.media_hashes()
    coach = c.drive("coach", "--exercise", EXERCISE)
    weights = criterion_weights()
    queue = {row["rep"]: row for row in coach["queue"]}
    assert set(queue) == set(takes)
    for rep, row in queue.items():
        assert row["recording_id"] == takes[rep]["id"] and row["scorers"] == 3
        means = {}
        for i, slug in enumerate(CRITERIA):
            given = [SCORES[s][rep][i] for s in SCORES]
            agg = row["criteria"][slug]
            means[slug] = statistics.mean(given)
            assert agg["n"] == 3 and (agg["low"], agg["high"]) == (min(given), max(given))
            assert agg["mean"] == pytest.approx(means[slug])
            assert agg["spread"] == pytest.approx(statistics.pstdev(given))
        total = sum(weights[s] * means[s] for s in CRITERIA) / sum(weights[s] for s in CRITERIA)
        assert row["total"] == pytest.approx(total)
    assert queue["Ana Lopez"]["flags"] == []
    # Raj: call-to-action 2, 2 and 5 spread 1.41 >= 1; messaging-pillars mean 2 < the required 4
    assert set(queue["Raj Patel"]["flags"]) == {"high disagreement", "below required"}
    for row in coach["agreement"]:
        i = CRITERIA.index(row["criterion"])
        units = [[SCORES[s][rep][i] for s in SCORES] for rep in takes]
        assert (row["takes"], row["scores"]) == (2, 6)
        assert row["alpha"] == pytest.approx(expected_alpha(units)), row
    assert sorted(r["criterion"] for r in coach["agreement"]) == sorted(CRITERIA)
    assert {r["scorer"] for r in coach["bias"]} == set(SCORES)
    report = json.loads(c.cli("report", "agreement", "--format", "json").stdout)
    pooled = [[SCORES[s][rep][i] for s in SCORES] for rep in takes for i in range(len(CRITERIA))]
    assert [(r["units"], r["values"]) for r in report] == [(6, 18)], report
    assert report[0]["alpha"] == pytest.approx(expected_alpha(pooled), abs=1e-3)

    # -- Eve (certifier) sets her PIN at C and decides; the store refuses what it must --------------------
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    c.cli("people", "set-pin", "Eve Martin", "--pin-file", str(pin_file),    # the station's first PIN:
          "--team-key-file", str(tmp_path / "team-key.txt"))                 # the organiser's key confirms
    assert c.drive("readiness", "--rep", "Ana Lopez", "--program", PROGRAM)["status"] == "ready"
    raj = c.drive("readiness", "--rep", "Raj Patel", "--program", PROGRAM)
    assert raj["status"] != "ready" and not raj["met"] and raj["scorecards"] == 3
    wrong = tmp_path / "wrong-pin.txt"
    wrong.write_text("731904\n", encoding="utf-8")
    sign = ["sign-off", "--certifier", "Eve Martin", "--program", PROGRAM]
    refused = c.drive(*sign, "--pin-file", str(wrong), "--rep", "Ana Lopez", ok=False)
    assert refused.returncode == 1 and "Wrong PIN" in refused.stderr
    refused = c.drive(*sign, "--pin-file", str(pin_file), "--rep", "Raj Patel", ok=False)
    assert refused.returncode == 1 and "Not every requirement is met" in refused.stderr
    made = c.drive(*sign, "--pin-file", str(pin_file), "--rep", "Ana Lopez")
    assert (made["decision"], made["certifier"], made["evidence"]) == \
        ("certified", "Eve Martin", [takes["Ana Lopez"]["id"]])
    c.drive(*sign, "--pin-file", str(pin_file), "--rep", "Raj Patel", "--decision", "needs_rework",
            "--reason", "messaging-pillars=State the three pillars as the team does.")
    assert c.sync()["sent"] > 0

    # -- A sees the decisions after its next sync ----------------------------------------------------------
    a.sync()
    certs = json.loads(a.cli("export", "certifications", "--format", "json").stdout)
    assert [(r["rep"], r["decision"], r["certifier"]) for r in certs] == \
        [("Ana Lopez", "certified", "Eve Martin"), ("Raj Patel", "needs_rework", "Eve Martin")]
    assert certs[0]["valid_until"] == made["valid_until"] and certs[0]["evidence_recordings"] == \
        [takes["Ana Lopez"]["id"]]
    seen_at_a = a.drive("readiness", "--rep", "Ana Lopez", "--program", PROGRAM)
    assert seen_at_a["status"] == "certified" and seen_at_a["evidence"] == [takes["Ana Lopez"]["id"]]
    rows = json.loads(a.cli("export", "scores", "--format", "json").stdout)
    assert sorted((r["scorer"], r["rep"], r["criterion"], r["score"]) for r in rows) == sorted(
        (s, rep, slug, v) for s, by_rep in SCORES.items() for rep, vals in by_rep.items()
        for slug, v in zip(CRITERIA, vals))

    # -- a second round: everyone converges, nothing twice ---------------------------------------------------
    for st in (b, d, c, a):
        st.sync()
    states = together(stations, lambda st: st.drive("state"))
    people = together(stations, lambda st: json.loads(st.cli("people", "list", "--format", "json").stdout))
    everyone = sorted((n, r, t) for group in PEOPLE.values() for n, r, t in group)
    for name in "abdc":
        assert sorted((p["name"], p["role"], p["team"]) for p in people[name]) == everyone
        assert people[name] == people["a"]                 # same ids everywhere
        assert differences(states[name], states["a"]) == [], f"station {name} differs from station a"
    for name, have in together(stations, lambda st: st.drive("media")).items():   # every video, right bytes
        assert {rid: m["sha256"] for rid, m in have.items()} == {t["id"]: t["sha256"] for t in takes.values()}, name
        assert all(Path(m["path"]).is_relative_to(stations[name].dir) for m in have.values())
    live = states["a"]
    assert len([r for r in live["recordings"].values() if not r["deleted"]]) == 2
    assert len(live["scorecards"]) == 6 and len(live["scores"]) == 18 and len(live["signoffs"]) == 2
    assert len({(r["name"]) for r in live["people"].values()}) == len(live["people"]) == len(everyone)
    for table in ("exercises", "rubrics", "criteria", "terms", "programs"):   # the kit, imported 4 times
        keys = [(r.get("rubric_id"), r["slug"]) for r in live[table].values()]
        assert len(keys) == len(set(keys)), table

    # -- a sync with nothing new is a no-op: nothing sent, received or written, on stations or hub -----------
    hub_before = hub.listing()
    assert len({k.split("/")[-2] for k in hub_before if "batches/" in k}) == 4     # one folder per station
    for again in together(stations, Station.sync).values():          # all four at once
        assert (again["sent"], again["sent_batches"], again["sent_media"], again["received"],
                again["received_batches"]) == (0, 0, 0, 0, 0), again["text"]
    for status in together(stations, lambda st: st.cli("sync", "status").stdout).values():
        assert "Nothing to send" in status
    assert hub.listing() == hub_before
    for name, after in together(stations, lambda st: st.drive("state")).items():
        assert differences(states[name], after) == [], f"station {name} changed"


def two_stations(tmp_path: Path, people: dict[str, list[tuple]]) -> tuple[Station, Station]:
    """Stations a and c at a folder hub, with a team key and the given people, not synced yet."""
    hub = FolderHub(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "ROLECALL_DATA_DIR"}
    key_file = tmp_path / "team-key.txt"
    key_file.write_text("a team key for two stations at one event\n", encoding="utf-8")
    made = Station("a", tmp_path, env), Station("c", tmp_path, env)
    for st in made:
        st.cli("sync", "set-key", "--from-file", str(key_file))
        st.cli("sync", "set-hub", hub.location)
        for name, role, team in people[st.name]:
            st.cli("people", "add", name, "--role", role, *(["--team", team] if team else []),
                   *(["--team-key-file", str(key_file)] if role == "certifier" else []))
    return made


def test_a_rep_registered_at_two_stations_is_one_person_after_sync(tmp_path):
    ana = ("Ana Lopez", "rep", "North")                   # she signs in at both stations
    a, c = two_stations(tmp_path, {"a": [ana], "c": [ana]})
    for st in (a, c, a):
        st.sync()
    for st in (a, c):
        names = [p["name"] for p in json.loads(st.cli("people", "list", "--format", "json").stdout)]
        assert names == ["Ana Lopez"], f"station {st.name}: {names}"
        st.cli("import", str(CAMERA), "--rep", "Ana Lopez", "--exercise", EXERCISE)


def test_a_rep_cannot_certify_herself_in_a_certifiers_name_from_her_own_station(tmp_path):
    """No certifier has a PIN yet at A: the team sync key confirms the first one (#12); Ana lacks it."""
    a, c = two_stations(tmp_path, {"a": [("Ana Lopez", "rep", "North"), ("Ben Okafor", "rep", "South"),
                                         ("Bea Novak", "rep", "North")],
                                   "c": [("Eve Martin", "certifier", None)]})
    team_key = tmp_path / "team-key.txt"                                    # the organiser's
    real, forged, guess = tmp_path / "eve-pin.txt", tmp_path / "ana-made-this-up.txt", tmp_path / "ana-guess.txt"
    for path, text in ((real, PIN), (forged, "111222"), (guess, "kickoff 2026 team key")):
        path.write_text(text + "\n", encoding="utf-8")
    c.cli("people", "set-pin", "Eve Martin", "--pin-file", str(real), "--team-key-file", str(team_key))
    c.sync()
    a.sync()                                                                # Eve (the person) reaches A
    take = re.search(r"^Recording (\S+)", a.cli("import", str(CAMERA), "--rep", "Ana Lopez",
                                                "--exercise", EXERCISE).stdout, re.M)[1]
    for peer in ("Ben Okafor", "Bea Novak"):                                # enough peer scores to be ready
        a.drive("score", take, "--scorer", peer, *sum([["--score", f"{s}=5"] for s in CRITERIA], []))
    # at her own station, Ana tries to give Eve a PIN of her choosing, or to make herself a certifier
    refused = a.cli("people", "set-pin", "Eve Martin", "--pin-file", str(forged), "--team-key-file", str(guess),
                    ok=False)
    assert refused.returncode == 1 and "not this station's team sync key" in refused.stderr
    promoted = a.cli("people", "set-role", "Ana Lopez", "certifier", "--team-key-file", str(guess), ok=False)
    assert promoted.returncode == 1 and "not this station's team sync key" in promoted.stderr
    signed = a.drive("sign-off", "--certifier", "Eve Martin", "--pin-file", str(forged), "--rep", "Ana Lopez",
                     "--program", PROGRAM, ok=False)
    assert signed.returncode == 1 and "no PIN on this station" in signed.stderr
    a.sync()
    c.sync()
    at_eves_station = json.loads(c.cli("export", "certifications", "--format", "json").stdout)
    assert [r for r in at_eves_station if r["rep"] == "Ana Lopez"] == []
    # the organiser, who has the key, sets Eve's first PIN at A (Eve chooses it): then Eve signs off there
    done = a.cli("people", "set-pin", "Eve Martin", "--pin-file", str(real), "--team-key-file", str(team_key))
    assert "confirmed with the team key" in done.stdout
    made = a.drive("sign-off", "--certifier", "Eve Martin", "--pin-file", str(real), "--rep", "Ana Lopez",
                   "--program", PROGRAM)
    assert (made["decision"], made["certifier"]) == ("certified", "Eve Martin")
    a.sync()
    c.sync()
    at_eves_station = json.loads(c.cli("export", "certifications", "--format", "json").stdout)
    assert [(r["rep"], r["decision"], r["certifier"]) for r in at_eves_station] == \
        [("Ana Lopez", "certified", "Eve Martin")]
