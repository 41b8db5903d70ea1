"""Adoption, engagement, score distribution and agreement against the hand-built store
(tests/test_analytics.py explains it take by take)."""
from __future__ import annotations

import pytest

from store import analytics
from scoring.analytics import Filters
from scoring.analytics import alpha_from_coincidences
from store import events
from test_analytics import COLD, TEACH, build_hand_store


@pytest.fixture
def hand(store):
    return build_hand_store(store)


def _terms(table, key="slug"):
    return {r[key]: r for r in table.rows}


def test_adoption_per_term(store, hand):
    t = _terms(analytics.adoption_by_term(store))
    assert t["reframe"]["transcribed_takes"] == 4           # T3's transcript is not complete
    assert (t["reframe"]["used_takes"], t["reframe"]["used_share"]) == (3, 0.75)
    assert t["socratic-question"]["used_share"] == 0.5
    assert t["call-to-action"]["used_share"] == 0.25 and t["discovery-call"]["used_share"] == 0.25
    assert t["teach-back"]["used_share"] == 0.0              # its only hit is in T3
    # peers' scores on the linked criteria: take means >= 4 / takes scored on them
    assert (t["reframe"]["scored_takes"], t["reframe"]["scored_high_takes"]) == (4, 2)
    assert (t["socratic-question"]["scored_takes"], t["socratic-question"]["scored_high_share"]) == (5, 0.6)
    assert (t["discovery-call"]["scored_takes"], t["discovery-call"]["scored_high_share"]) == (4, 0.5)
    assert (t["call-to-action"]["scored_takes"], t["call-to-action"]["scored_high_share"]) == (5, 0.6)
    assert (t["teach-back"]["scored_takes"], t["teach-back"]["scored_high_share"]) == (1, 1.0)
    assert t["champion"]["scored_high_share"] is None and t["champion"]["used_share"] == 0.0


def test_adoption_over_time_and_by_team(store, hand):
    weekly = {(r["bucket"], r["slug"]): r for r in analytics.adoption_over_time(store).rows}
    assert sorted({b for b, _ in weekly}) == ["2026-11-02", "2026-11-09"]     # Mondays
    assert weekly[("2026-11-02", "reframe")]["used_share"] == 0.5
    assert weekly[("2026-11-09", "reframe")]["used_share"] == 1.0
    assert weekly[("2026-11-09", "socratic-question")]["scored_high_share"] == 1.0   # T2 5, T3 4, T5 4
    daily = {r["bucket"] for r in analytics.adoption_over_time(store, Filters(bucket="day")).rows}
    assert daily == {"2026-11-02", "2026-11-03", "2026-11-10", "2026-11-11", "2026-11-12"}
    matrix = {(r["team"], r["slug"]): r for r in analytics.adoption_by_team(store).rows}
    assert matrix[("North", "reframe")]["used_share"] == pytest.approx(0.667)
    assert matrix[("South", "reframe")]["used_share"] == 1.0
    assert matrix[("South", "socratic-question")]["used_share"] == 0.0
    north = _terms(analytics.adoption_by_term(store, Filters(team="North")))
    assert north["reframe"]["used_share"] == pytest.approx(0.667)


def test_engagement_per_exercise(store, hand):
    e = {r["slug"]: r for r in analytics.engagement(store).rows}
    cold, teach = e["cold-call"], e["teach-back-reframing"]
    assert (cold["reps"], cold["reps_done"], cold["completion"]) == (4, 3, 0.75)
    assert (cold["submitted"], cold["retakes"], cold["retakes_per_submission"]) == (4, 2, 0.5)
    # first takes after 1 Nov 00:00: Ana 0.5 days (discarded take), Ben 2, Cy 11 (kept take)
    assert cold["median_days_to_first_take"] == 2.0 and cold["mean_days_to_first_take"] == 4.5
    assert (cold["transcript_views"], cold["exemplar_views"], cold["exports"]) == (2, 1, 0)
    assert (teach["completion"], teach["retakes_per_submission"], teach["exports"]) == (0.25, 0.0, 1)
    # no available_from in the kit: counted from the first take anyone made (Ana's, so 0 days)
    assert teach["available"] == "2026-11-11T09:00:00.000Z" and teach["median_days_to_first_take"] == 0.0
    assert e["email-outreach"]["completion"] == 0.0 and e["email-outreach"]["retakes_per_submission"] is None
    south = {r["slug"]: r for r in analytics.engagement(store, Filters(team="South")).rows}
    assert (south["cold-call"]["reps"], south["cold-call"]["reps_done"]) == (2, 1)
    assert (south["cold-call"]["transcript_views"], south["cold-call"]["exemplar_views"]) == (0, 1)
    only = analytics.engagement(store, Filters(exercise="cold-call")).rows
    assert [r["slug"] for r in only] == ["cold-call"]


def test_events_over_time(store, hand):
    weeks = {r["bucket"]: r for r in analytics.events_over_time(store).rows}
    assert weeks["2026-11-02"]["transcript_view"] == 2 and weeks["2026-11-02"]["exemplar_view"] == 0
    assert weeks["2026-11-09"]["exemplar_view"] == 1
    assert weeks["2026-11-09"]["transcript_export"] == 1 and weeks["2026-11-09"]["scores_export"] == 1
    late = analytics.events_over_time(store, Filters(date_from="2026-11-10")).rows
    assert sum(r["transcript_view"] for r in late) == 0


def test_log_event_fills_the_exercise_and_refuses_unknown_kinds(store, hand):
    event_id = events.log_event(store, events.TRANSCRIPT_VIEW, hand["kim"], recording_id=hand["t3"])
    row = store.db.execute("SELECT kind, exercise_id FROM events WHERE id=?", [event_id]).fetchone()
    assert row == ("transcript_view", TEACH)
    with pytest.raises(ValueError):
        events.log_event(store, "transcript_veiw")
    e = {r["slug"]: r for r in analytics.engagement(store).rows}
    assert e["teach-back-reframing"]["transcript_views"] == 1


def test_score_distribution(store, hand):
    dist = {r["slug"]: r for r in analytics.score_distribution(store, Filters(exercise=COLD)).rows}
    assert set(dist) == {"socratic-question", "reframe-objection", "call-to-action"}
    q = dist["socratic-question"]
    assert (q["n"], q["s1"], q["s2"], q["s3"], q["s4"], q["s5"]) == (7, 0, 1, 2, 2, 2)
    assert q["mean"] == pytest.approx(26 / 7, abs=1e-3)
    r = dist["reframe-objection"]
    assert (r["s3"], r["s4"], r["s5"], r["mean"]) == (4, 2, 1, pytest.approx(25 / 7, abs=1e-3))
    c = dist["call-to-action"]
    assert (c["s3"], c["s4"], c["s5"]) == (3, 2, 2)
    everything = analytics.score_distribution(store).rows
    assert sum(row["n"] for row in everything) == 21 + 3


def _units(*takes):
    return [values for take in takes for values in take]


def test_agreement_over_time_matches_scoring_agreement(store, hand):
    from scoring.agreement import krippendorff_alpha
    weeks = {r["bucket"]: r for r in analytics.agreement_over_time(store).rows}
    t1 = [[4, 2], [3, 3], [5, 3]]
    t4 = [[3, 3], [3, 3], [3, 3]]
    t2 = [[5, 5], [5, 4], [4, 5]]
    first = krippendorff_alpha(_units(t1, t4))
    assert weeks["2026-11-02"]["alpha"] == pytest.approx(first.alpha, abs=1e-3)
    assert weeks["2026-11-02"]["units"] == 6 and weeks["2026-11-02"]["values"] == 12
    second = krippendorff_alpha(_units(t2))
    assert weeks["2026-11-09"]["alpha"] == pytest.approx(second.alpha, abs=1e-3)
    assert weeks["2026-11-09"]["units"] == 3          # T3 and T5 have one scorer: not pairable


def test_alpha_by_hand():
    # units [1,1], [2,2]: perfect agreement; [1,2], [2,1]: systematic disagreement
    assert alpha_from_coincidences({(1, 1): 2, (2, 2): 2})[0] == pytest.approx(1.0)
    assert alpha_from_coincidences({(1, 2): 2, (2, 1): 2})[0] == pytest.approx(1 - 3 * 4 / 8)
    assert alpha_from_coincidences({(3, 3): 4})[0] is None       # no variation at all
    assert alpha_from_coincidences({})[0] is None


def test_empty_store_gives_empty_figures(store):
    data = analytics.dashboard(store)
    assert data.total_takes == 0 and data.takes == 0
    assert data.leaderboard.rows == [] and data.teams.rows == []
    assert data.score_distribution.rows == [] and data.agreement_over_time.rows == []
    assert all(r["used_share"] is None for r in data.adoption.rows)
    assert all(r["completion"] is None for r in data.engagement.rows)   # no reps at all


def test_dashboard_results_are_reused_until_the_data_changes(store, hand):
    from test_analytics import Builder, Q, R, C
    first = analytics.dashboard(store, Filters(team="South"), groups=("leaderboard",))
    assert first.adoption is None and first.score_distribution is None and first.has("leaderboard")
    full = analytics.dashboard(store, Filters(team="South"))
    assert full.leaderboard is first.leaderboard                   # computed once
    assert full.adoption is not None and full.agreement_over_time is not None
    assert analytics.dashboard(store, Filters(team="North")).leaderboard is not first.leaderboard
    Builder(store).card(hand["t5"], hand["kim"], {Q: 2, R: 2, C: 2})
    again = analytics.dashboard(store, Filters(team="South"))
    assert again.leaderboard is not first.leaderboard
    assert again.leaderboard.rows[0]["avg_score"] == pytest.approx(3.0)
