"""A headless station driver for the end-to-end test (tests/test_e2e_stations.py), for the steps the
`rolecall` command line does not have: what a person does on the Review, Coach and Certify pages.

    python tests/e2e_station.py --data-dir D review-list --viewer NAME [--exercise SLUG]
    python tests/e2e_station.py --data-dir D fetch-take TAKE_ID
    python tests/e2e_station.py --data-dir D score TAKE_ID --scorer NAME --score SLUG=N[@SECONDS] ...
                                               [--comment AT=TEXT ...] [--overall TEXT]
    python tests/e2e_station.py --data-dir D coach [--exercise SLUG]
    python tests/e2e_station.py --data-dir D readiness --rep NAME --program SLUG
    python tests/e2e_station.py --data-dir D sign-off --certifier NAME --pin-file F --rep NAME
                                               --program SLUG [--decision certified] [--reason SLUG=TEXT ...]
    python tests/e2e_station.py --data-dir D state
    python tests/e2e_station.py --data-dir D media

Each command opens the station as the app does (store.station.open_station), calls the same store
services the pages call (ReviewQueries, ScoreRepo, ensure_media, CertificationRepo) and prints JSON on
stdout. No domain rule lives here: a refusal from a service is printed on stderr with exit status 1.
Only the names a person would pick (criterion slugs, people's names) are turned into ids.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.certification import CertificationError, CertificationRepo  # noqa: E402
from store.hashing import sha256_file  # noqa: E402
from store.kit import KitRepo  # noqa: E402
from store.people import PeopleError, PeopleRepo  # noqa: E402
from store.pins import PinError  # noqa: E402
from store.review_queries import ReviewFilter, ReviewQueries  # noqa: E402
from store.scores import CriterionScore, ScorecardDraft, ScoreRepo, ScoringError, TimedComment  # noqa: E402
from recorder.probe import probe  # noqa: E402
from store.station import open_station  # noqa: E402
from store.sync import SyncError, ensure_media  # noqa: E402
from store.sync.media import has_local_media, local_media_path  # noqa: E402
from store.sync.tables import synced_tables  # noqa: E402


class Refused(Exception):
    """What a page would show the person as an error."""


def person(store, name: str):
    try:
        return PeopleRepo(store).find(name)
    except PeopleError as exc:
        raise Refused(str(exc)) from exc


def exercise_id(store, slug: str | None) -> str | None:
    if slug is None:
        return None
    found = KitRepo(store).exercise(slug)
    if found is None:
        raise Refused(f"There is no exercise '{slug}'.")
    return found["id"]


# -- the Review page -------------------------------------------------------------------------------
def review_list(store, args) -> list[dict]:
    """The takes the Review page lists for this viewer (never their own)."""
    viewer = person(store, args.viewer)
    rows = ReviewQueries(store).review_list(ReviewFilter(viewer_id=viewer.id,
                                                         exercise_id=exercise_id(store, args.exercise)))
    return [row._asdict() for row in rows]


def fetch_take(store, args) -> dict:
    """What the player does when a take is opened: the local file, fetched from the hub if missing."""
    try:
        path = ensure_media(store, args.take)
    except SyncError as exc:
        raise Refused(str(exc)) from exc
    return {"path": str(path), "sha256": sha256_file(path), "size": path.stat().st_size}


def parse_score(text: str) -> tuple[str, int, float | None]:
    """'slug=4' or 'slug=4@12.5' (score 4, evidence at 12.5 s)."""
    slug, _, rest = text.partition("=")
    value, _, at = rest.partition("@")
    try:
        return slug.strip(), int(value), float(at) if at else None
    except ValueError:
        raise Refused(f"'{text}' is not SLUG=SCORE[@SECONDS].") from None


def score(store, args) -> dict:
    """Submit a scorecard as the Review page's Submit does (ScoreRepo checks every rule)."""
    detail = ReviewQueries(store).take(args.take)
    if detail is None:
        raise Refused(f"There is no take {args.take} at this station.")
    by_slug = {c["slug"]: c["id"] for c in detail.criteria}
    scores = []
    for slug, value, at in map(parse_score, args.score):
        if slug not in by_slug:
            raise Refused(f"'{slug}' is not a criterion of this take's rubric ({', '.join(by_slug)}).")
        scores.append(CriterionScore(by_slug[slug], value, at))
    comments = []
    for text in args.comment:
        at, _, said = text.partition("=")
        comments.append(TimedComment(said, float(at)))
    scorer = person(store, args.scorer)
    try:
        card = ScoreRepo(store).submit(ScorecardDraft(args.take, scorer.id, scores, comments, args.overall))
    except ScoringError as exc:
        raise Refused(str(exc)) from exc
    return {"id": card.id, "version": card.version, "scorer": card.scorer_name,
            "scores": {cid: s.score for cid, s in card.scores.items()}}


# -- the Coach page --------------------------------------------------------------------------------
def coach(store, args) -> dict:
    """The coach's queue (aggregates per take), agreement per criterion and each scorer's bias."""
    queries = ReviewQueries(store)
    ex = exercise_id(store, args.exercise)
    slugs = dict(store.db.execute("SELECT id, slug FROM criteria").fetchall())
    queue = []
    for row in queries.coach_queue(ex):
        agg = row.aggregate
        queue.append({
            "recording_id": row.recording_id, "rep": row.rep, "exercise": row.exercise,
            "scorers": agg.scorers, "total": agg.total, "flags": list(agg.flags),
            "criteria": {slugs.get(cid, cid): {"n": c.n, "mean": c.mean, "spread": c.spread,
                                               "low": c.low, "high": c.high}
                         for cid, c in agg.criteria.items()}})
    agreement = [{**a, "criterion": slugs.get(a["criterion_id"], a["criterion_id"])}
                 for a in queries.agreement(ex)]
    bias = [{"scorer": name, **vars(b)} for b, name in queries.bias(ex)]
    return {"queue": queue, "agreement": agreement, "bias": bias}


# -- the Certify page ------------------------------------------------------------------------------
def readiness(store, args) -> dict:
    repo = CertificationRepo(store)
    rep = person(store, args.rep)
    try:
        result = repo.readiness(rep.id, args.program)
    except CertificationError as exc:
        raise Refused(str(exc)) from exc
    return {"status": result.status, "met": result.met, "total": result.total,
            "scorecards": result.scorecard_count, "evidence": list(result.evidence),
            "missing": result.missing_text()}


def sign_off(store, args) -> dict:
    """The Certify page's sign-off: the certifier confirms with their PIN; the repo checks the rest."""
    repo = CertificationRepo(store)
    certifier, rep = person(store, args.certifier), person(store, args.rep)
    lines = Path(args.pin_file).read_text(encoding="utf-8").splitlines()
    reasons = {}
    criteria = {c.slug: c.id for c in repo.criteria(repo.rule(args.program))} if args.reason else {}
    for text in args.reason:
        slug, _, why = text.partition("=")
        reasons[criteria.get(slug, slug)] = why
    try:
        made = repo.decide(certifier_id=certifier.id, pin=lines[0] if lines else "", rep_id=rep.id,
                           program_key=args.program, decision=args.decision, reasons=reasons)
    except (PinError, CertificationError) as exc:
        raise Refused(str(exc)) from exc
    return {"id": made.id, "rep": made.rep, "certifier": made.certifier, "decision": made.decision,
            "valid_until": made.valid_until, "evidence": list(made.evidence), "station_id": made.station_id}


# -- for the test: what every station must agree on -------------------------------------------------
def state(store, _args) -> dict:
    """Every synced table's rows by id (the logical state all stations share after a full sync)."""
    conn = store.db.conn
    out = {}
    for table in sorted(synced_tables(conn)):
        cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        names = [d[0] for d in cur.description]
        out[table] = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
    return out


def media(store, _args) -> dict:
    """Every take whose video is on this station (where sync says it lives): its path and sha256."""
    cur = store.db.execute("SELECT * FROM recordings WHERE deleted = 0")
    names = [d[0] for d in cur.description]
    out = {}
    for found in cur.fetchall():
        row = dict(zip(names, found))
        if has_local_media(store, row):
            path = local_media_path(store, row)
            out[row["id"]] = {"path": str(path), "sha256": sha256_file(path)}
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", required=True, type=Path)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("review-list")
    c.add_argument("--viewer", required=True)
    c.add_argument("--exercise")
    c = sub.add_parser("fetch-take")
    c.add_argument("take")
    c = sub.add_parser("score")
    c.add_argument("take")
    c.add_argument("--scorer", required=True)
    c.add_argument("--score", action="append", default=[], metavar="SLUG=N[@SECONDS]")
    c.add_argument("--comment", action="append", default=[], metavar="SECONDS=TEXT")
    c.add_argument("--overall", default="")
    c = sub.add_parser("coach")
    c.add_argument("--exercise")
    c = sub.add_parser("readiness")
    c.add_argument("--rep", required=True)
    c.add_argument("--program", required=True)
    c = sub.add_parser("sign-off")
    c.add_argument("--certifier", required=True)
    c.add_argument("--pin-file", required=True)
    c.add_argument("--rep", required=True)
    c.add_argument("--program", required=True)
    c.add_argument("--decision", default="certified")
    c.add_argument("--reason", action="append", default=[], metavar="SLUG=TEXT")
    sub.add_parser("state")
    sub.add_parser("media")
    return p


COMMANDS = {"review-list": review_list, "fetch-take": fetch_take, "score": score, "coach": coach,
            "readiness": readiness, "sign-off": sign_off, "state": state, "media": media}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    store = open_station(args.data_dir, probe=probe)
    try:
        result = COMMANDS[args.command](store, args)
    except Refused as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    json.dump(result, sys.stdout, sort_keys=True, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
