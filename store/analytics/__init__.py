"""The dashboard's figures in one call (issue #8), for the page, `rolecall report` and benchmarks.

Each figure is a :class:`Table` (name, columns, rows); definitions are in the module that computes it:
leaderboard, adoption, engagement, scores; the SQL ground (the fact tables, what a take and a peer
score are) in facts. Filters, tables and the calculations on rows already read are the domain's
(scoring/analytics.py). No Qt.
"""
from __future__ import annotations

from dataclasses import dataclass

from scoring.analytics import Filters, Table
from store.analytics.adoption import adoption_by_team, adoption_by_term, adoption_cube, adoption_over_time
from store.analytics.engagement import engagement, events_over_time
from store.analytics.facts import ensure_facts, facts_version, takes_cte
from store.analytics.leaderboard import leaderboard, rep_rows, team_leaderboard
from store.analytics.scores import agreement_over_time, score_distribution
from store.db import Store

__all__ = ["Filters", "Table", "DashboardData", "GROUPS", "dashboard", "has_takes", "teams", "REPORTS",
           "leaderboard", "team_leaderboard", "adoption_by_term", "adoption_over_time",
           "adoption_by_team", "engagement", "events_over_time", "score_distribution",
           "agreement_over_time"]


GROUPS = ("leaderboard", "adoption", "engagement", "scores")   # one per tab of the page
CACHE_SIZE = 48


@dataclass
class DashboardData:
    """The figures of the groups asked for; the others are None."""
    filters: Filters
    takes: int                 # takes in the filters
    total_takes: int           # takes in the store (0: the page shows its empty state)
    leaderboard: Table | None = None
    teams: Table | None = None
    adoption: Table | None = None
    adoption_over_time: Table | None = None
    adoption_by_team: Table | None = None
    engagement: Table | None = None
    events_over_time: Table | None = None
    score_distribution: Table | None = None
    agreement_over_time: Table | None = None

    def has(self, group: str) -> bool:
        return getattr(self, {"leaderboard": "leaderboard", "adoption": "adoption",
                              "engagement": "engagement", "scores": "score_distribution"}[group]) is not None

    def tables(self) -> list[Table]:
        return [t for t in (self.leaderboard, self.teams, self.adoption, self.adoption_over_time,
                            self.adoption_by_team, self.engagement, self.events_over_time,
                            self.score_distribution, self.agreement_over_time) if t is not None]


def has_takes(store: Store) -> bool:
    return store.db.execute("SELECT 1 FROM recordings WHERE status = 'submitted' AND deleted = 0 "
                            "LIMIT 1").fetchone() is not None


def teams(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT team FROM people WHERE deleted = 0 AND "
                                           "team IS NOT NULL AND team != '' ORDER BY team")]


def _group(store: Store, f: Filters, viewer_id: str | None, group: str) -> dict:
    if group == "leaderboard":
        reps = rep_rows(store, f)
        return {"leaderboard": leaderboard(store, f, viewer_id, reps=reps),
                "teams": team_leaderboard(store, f, reps=reps)}
    if group == "adoption":
        cube = adoption_cube(store, f)
        return {"adoption": adoption_by_term(store, f, cube),
                "adoption_over_time": adoption_over_time(store, f, cube),
                "adoption_by_team": adoption_by_team(store, f, cube)}
    if group == "engagement":
        return {"engagement": engagement(store, f), "events_over_time": events_over_time(store, f)}
    if group == "scores":
        return {"score_distribution": score_distribution(store, f),
                "agreement_over_time": agreement_over_time(store, f)}
    raise ValueError(f"group must be one of {GROUPS}")


def _cached(store: Store, key: tuple, compute):
    """Results per connection, kept while the fact tables stay the same build (data unchanged)."""
    cache = getattr(store.db, "_analytics_results", None)
    version = facts_version(store)
    if cache is None or cache["version"] != version:
        cache = {"version": version, "results": {}}
        store.db._analytics_results = cache
    if key not in cache["results"]:
        value = compute()
        if facts_version(store) != version:     # the data changed while computing: do not keep it
            return value
        if len(cache["results"]) >= CACHE_SIZE:
            cache["results"].pop(next(iter(cache["results"])))
        cache["results"][key] = value
    return cache["results"][key]


def dashboard(store: Store, f: Filters = Filters(), viewer_id: str | None = None,
              groups: tuple[str, ...] = GROUPS) -> DashboardData:
    """The figures of ``groups`` (default: all) for these filters; the viewer decides who is hidden.
    Results are remembered per connection while the data is unchanged: going back to a filter, or
    asking for the other groups of the same filters, recomputes nothing."""
    ensure_facts(store, "takes")
    total = store.db.conn.execute("SELECT COUNT(*) FROM f_takes").fetchone()[0]
    cte, params = takes_cte(store, f)
    takes = _cached(store, ("takes", f), lambda: store.db.conn.execute(
        f"WITH {cte} SELECT COUNT(*) FROM ft", params).fetchone()[0])
    data = DashboardData(filters=f, takes=takes, total_takes=total)
    for group in groups:
        viewer = viewer_id if group == "leaderboard" else None
        for name, table in _cached(store, (group, f, viewer), lambda: _group(store, f, viewer, group)).items():
            setattr(data, name, table)
    return data


# `rolecall report NAME`: the figure and the columns it prints by default
REPORTS = {
    "leaderboard": lambda store, f: leaderboard(store, f),
    "teams": lambda store, f: team_leaderboard(store, f),
    "adoption": lambda store, f: adoption_by_term(store, f),
    "adoption-over-time": lambda store, f: adoption_over_time(store, f),
    "adoption-by-team": lambda store, f: adoption_by_team(store, f),
    "engagement": lambda store, f: engagement(store, f),
    "events": lambda store, f: events_over_time(store, f),
    "scores": lambda store, f: score_distribution(store, f),
    "agreement": lambda store, f: agreement_over_time(store, f),
}
