"""Scorecards (one transaction, revisions, own take refused), the review list, the coach queue, notes and
exemplars, against a real SQLite store."""
import sqlite3

import pytest

from demo.takes import add_take
from store.kit import KitRepo
from store.people import PeopleRepo
from store.review_queries import ReviewFilter, ReviewQueries
from store.scores import CriterionScore, ScorecardDraft, ScoreRepo, ScoringError, TimedComment

SEGMENTS = [(0.0, 4.0, "Hello I am calling about your logistics costs"),
            (4.5, 9.0, "What would change if the delays went away"),
            (9.5, 14.0, "We already have a vendor for that")]


@pytest.fixture
def world(store):
    people = PeopleRepo(store)
    ann = people.add("Ann Rep", "rep", "North")
    bob = people.add("Bob Peer", "rep", "North")
    cy = people.add("Cy Peer", "rep", "South")
    coach = people.add("Coach Dee", "coach", "North")
    take = add_take(store, ann.id, "cold-call", duration_s=20.0, segments=SEGMENTS,
                    hits=[("socratic-question", 4.5, 9.0)])
    criteria = KitRepo(store).criteria(KitRepo(store).exercise("cold-call")["rubric_id"])
    return dict(store=store, ann=ann, bob=bob, cy=cy, coach=coach, take=take, criteria=criteria,
                scores=ScoreRepo(store), queries=ReviewQueries(store))


def draft(w, scorer, values, evidence=3.0, **kw):
    return ScorecardDraft(w["take"], scorer.id, [CriterionScore(c["id"], v, evidence, f"c{i}")
                                                   for i, (c, v) in enumerate(zip(w["criteria"], values))], **kw)


def test_submit_writes_everything_in_one_scorecard(world):
    w = world
    card = w["scores"].submit(draft(w, w["bob"], [4, 3, 5], comments=[TimedComment("Nice question", 5.0)],
                                    overall_comment="  Good call  "))
    assert card.version == 1 and card.supersedes is None and card.overall_comment == "Good call"
    assert {c: s.score for c, s in card.scores.items()} == dict(zip([c["id"] for c in w["criteria"]], [4, 3, 5]))
    assert all(s.evidence_s == 3.0 for s in card.scores.values())
    assert card.comments == [TimedComment("Nice question", 5.0)]
    db = w["store"].db
    assert db.execute("SELECT count(*) FROM scores WHERE scorecard_id=?", [card.id]).fetchone()[0] == 3


def test_a_failing_submit_leaves_nothing(world, monkeypatch):
    w = world
    before = [w["store"].db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("scorecards", "scores", "comments")]
    bad = draft(w, w["bob"], [4, 3, 5], comments=[TimedComment("x", 1.0)])
    real_insert_count = {"n": 0}
    original = w["store"].record_fields

    def failing():     # the 4th row (the last score) fails mid-transaction
        real_insert_count["n"] += 1
        if real_insert_count["n"] == 4:
            raise sqlite3.OperationalError("disk I/O error")
        return original()
    monkeypatch.setattr(w["store"], "record_fields", failing)
    with pytest.raises(sqlite3.OperationalError):
        w["scores"].submit(bad)
    after = [w["store"].db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("scorecards", "scores", "comments")]
    assert after == before


def test_rules_are_enforced_in_the_service(world):
    w = world
    with pytest.raises(ScoringError, match="own take"):
        w["scores"].submit(draft(w, w["ann"], [4, 4, 4]))
    with pytest.raises(ScoringError, match="missing"):
        w["scores"].submit(draft(w, w["bob"], [4, 4]))
    with pytest.raises(ScoringError, match="1 to 5"):
        w["scores"].submit(draft(w, w["bob"], [4, 6, 4]))
    with pytest.raises(ScoringError, match="outside the take"):
        w["scores"].submit(draft(w, w["bob"], [4, 4, 4], evidence=99.0))
    assert w["store"].db.execute("SELECT count(*) FROM scorecards").fetchone()[0] == 0


def test_revision_keeps_history(world):
    w = world
    first = w["scores"].submit(draft(w, w["bob"], [2, 2, 2], overall_comment="first"))
    second = w["scores"].submit(draft(w, w["bob"], [4, 2, 2], overall_comment="second"))
    assert (second.version, second.supersedes) == (2, first.id)
    history = w["scores"].history(w["take"], w["bob"].id)
    assert [c.version for c in history] == [1, 2] and history[0].overall_comment == "first"
    assert w["scores"].current(w["take"], w["bob"].id).id == second.id
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        with w["store"].transaction() as db:
            db.execute("UPDATE scorecards SET overall_comment='x' WHERE id=?", [first.id])
    # the queue counts only the current version
    row = w["queries"].coach_queue()[0]
    first_crit = w["criteria"][0]["id"]
    assert row.aggregate.scorers == 1 and row.aggregate.criteria[first_crit].mean == 4.0


def test_review_list_filters(world):
    w = world
    s, q = w["store"], w["queries"]
    bob_take = add_take(s, w["bob"].id, "teach-back-reframing", segments=SEGMENTS)
    # ann never sees her own take; bob's take is listed for her
    assert [r.recording_id for r in q.review_list(ReviewFilter(viewer_id=w["ann"].id))] == [bob_take]
    cy_list = q.review_list(ReviewFilter(viewer_id=w["cy"].id))
    assert {r.recording_id for r in cy_list} == {w["take"], bob_take}
    assert [r.recording_id for r in q.review_list(ReviewFilter(viewer_id=w["cy"].id,
            exercise_id=KitRepo(s).exercise("cold-call")["id"]))] == [w["take"]]
    assert [r.rep for r in q.review_list(ReviewFilter(viewer_id=w["cy"].id, rep_id=w["bob"].id))] == ["Bob Peer"]
    assert q.review_list(ReviewFilter(viewer_id=w["cy"].id, team="South")) == []
    w["scores"].submit(draft(w, w["cy"], [3, 3, 3]))
    mine = q.review_list(ReviewFilter(viewer_id=w["cy"].id))
    assert {r.recording_id: (r.scorers, r.scored_by_me) for r in mine} == {w["take"]: (1, True), bob_take: (0, False)}
    assert [r.recording_id for r in q.review_list(ReviewFilter(viewer_id=w["cy"].id, not_scored_by_me=True))] \
        == [bob_take]
    assert [r.recording_id for r in q.review_list(ReviewFilter(viewer_id=w["cy"].id, status="unscored"))] == [bob_take]
    needs = {r.recording_id for r in q.review_list(ReviewFilter(viewer_id=w["cy"].id, status="needs"))}
    assert needs == {w["take"], bob_take}                      # both under 3 scorers
    scored = q.review_list(ReviewFilter(viewer_id=w["cy"].id, status="scored", min_scorers=1))
    assert [r.recording_id for r in scored] == [w["take"]]


def test_coach_queue_aggregates_by_hand(world):
    w = world
    w["scores"].submit(draft(w, w["bob"], [4, 2, 5]))
    w["scores"].submit(draft(w, w["cy"], [2, 4, 5]))
    row = w["queries"].coach_queue(min_scorers=3)[0]
    ids = [c["id"] for c in w["criteria"]]          # cold call: weights 2, 2, 1
    agg = row.aggregate
    assert agg.scorers == 2 and agg.too_few
    assert [agg.criteria[i].mean for i in ids] == [3.0, 3.0, 5.0]
    assert agg.criteria[ids[0]].spread == pytest.approx(1.0) and agg.disagree
    assert agg.total == pytest.approx((2 * 3 + 2 * 3 + 1 * 5) / 5)
    assert (row.rep, row.notes, row.exemplar) == ("Ann Rep", 0, False)


def test_agreement_and_bias_from_the_store(world):
    w = world
    w["scores"].submit(draft(w, w["bob"], [4, 2, 5]))
    w["scores"].submit(draft(w, w["cy"], [2, 4, 5]))
    rows = w["queries"].agreement()
    assert len(rows) == 3 and all(r["takes"] == 1 for r in rows)
    bias = {name: b.bias for b, name in w["queries"].bias()}
    # per criterion bob-cy: +2, -2, 0 -> bob's mean diff 0, cy's 0
    assert bias == {"Bob Peer": pytest.approx(0.0), "Cy Peer": pytest.approx(0.0)}


def test_coach_notes_and_exemplars(world):
    w = world
    with pytest.raises(ScoringError, match="coach"):
        w["scores"].add_coach_note(w["take"], w["bob"].id, "nice")
    w["scores"].add_coach_note(w["take"], w["coach"].id, "Use in deal clinic", at_s=4.5)
    assert [(n["text"], n["at_s"], n["author"]) for n in w["scores"].coach_notes(w["take"])] == \
        [("Use in deal clinic", 4.5, "Coach Dee")]
    with pytest.raises(ScoringError, match="why"):
        w["scores"].promote_exemplar(w["take"], w["coach"].id, "  ")
    with pytest.raises(ScoringError, match="coach"):
        w["scores"].promote_exemplar(w["take"], w["bob"].id, "great")
    xid = w["scores"].promote_exemplar(w["take"], w["coach"].id, "Textbook reframe")
    with pytest.raises(ScoringError, match="already"):
        w["scores"].promote_exemplar(w["take"], w["coach"].id, "again")
    ex_id = KitRepo(w["store"]).exercise("cold-call")["id"]
    got = w["scores"].exemplars(ex_id)
    assert [(x["recording_id"], x["reason"], x["rep"], x["promoted_by"]) for x in got] == \
        [(w["take"], "Textbook reframe", "Ann Rep", "Coach Dee")]
    row = w["queries"].coach_queue()[0]
    assert row.notes == 1 and row.exemplar
    w["scores"].retire_exemplar(xid, w["coach"].id)
    assert w["scores"].exemplars(ex_id) == []


def test_take_detail(world):
    d = world["queries"].take(world["take"])
    assert d.rep == "Ann Rep" and d.exercise == "Role-play: cold call" and len(d.criteria) == 3
    assert [s["text"] for s in d.segments] == [t for _a, _b, t in SEGMENTS]
    assert d.segments[1]["words"][0]["start"] == 4.5
    assert [(h["term"], h["start"]) for h in d.hits] == [("Socratic question", 4.5)]
    assert world["queries"].media_file(d.media_path).is_file()


def test_concurrent_revisions_get_distinct_versions(world):
    import threading
    w = world
    errors = []

    def submit(values):
        try:
            w["scores"].submit(draft(w, w["bob"], values))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=submit, args=([v, v, v],)) for v in (2, 3, 4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = w["scores"].history(w["take"], w["bob"].id)
    assert sorted(c.version for c in history) == [1, 2, 3, 4]
    by_version = {c.version: c for c in history}
    assert all(by_version[v].supersedes == by_version[v - 1].id for v in (2, 3, 4))


def test_unknown_status_is_refused(world):
    with pytest.raises(ValueError, match="status"):
        world["queries"].review_list(ReviewFilter(status="bogus"))


def test_cached_counts_follow_new_and_removed_scorecards(world):
    w = world
    q = w["queries"]
    assert q.review_list(ReviewFilter())[0].scorers == 0
    card = w["scores"].submit(draft(w, w["bob"], [3, 3, 3]))
    w["scores"].submit(draft(w, w["cy"], [4, 4, 4]))
    assert q.review_list(ReviewFilter())[0].scorers == 2
    assert len(q.current_scores()) == 6
    with w["store"].transaction() as db:          # the OLDER card removed (e.g. a delete arriving by sync):
        db.execute("DELETE FROM scores WHERE scorecard_id=?", [card.id])      # max(rowid) stays the same
        db.execute("DELETE FROM scorecards WHERE id=?", [card.id])
    assert q.review_list(ReviewFilter())[0].scorers == 1
    assert sorted(s for *_x, s in q.current_scores()) == [4, 4, 4]
