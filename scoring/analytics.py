"""The dashboard's figures in one call (issue #8), for the page, `rolecall report` and benchmarks.

Each figure is a :class:`Table` (name, columns, rows); definitions are in the module that computes it:
analytics_leaderboard, analytics_adoption, analytics_engagement, analytics_scores; shared ground
(filters, the fact tables, what a take and a peer score are) in analytics_base. No Qt.
"""
from __future__ import annotations

from dataclasses import dataclass

from store.db import Store

from scoring.analytics_adoption import (adoption_by_team, adoption_by_term, adoption_cube,
                                       adoption_over_time)
from scoring.analytics_base import Filters, Table, ensure_facts
from scoring.analytics_engagement import engagement, events_over_time
from scoring.analytics_leaderboard import leaderboard, rep_rows, team_leaderboard
from scoring.analytics_scores import agreement_over_time, score_distribution

__all__ = ["Filters", "Table", "DashboardData", "dashboard", "has_takes", "teams", "REPORTS",
           "leaderboard", "team_leaderboard", "adoption_by_term", "adoption_over_time",
           "adoption_by_team", "engagement", "events_over_time", "score_distribution",
           "agreement_over_time"]


@dataclass
class DashboardData:
    filters: Filters
    takes: int                 # takes in the filters
    total_takes: int           # takes in the store (0: the page shows its empty state)
    leaderboard: Table
    teams: Table
    adoption: Table
    adoption_over_time: Table
    adoption_by_team: Table
    engagement: Table
    events_over_time: Table
    score_distribution: Table
    agreement_over_time: Table

    def tables(self) -> list[Table]:
        return [self.leaderboard, self.teams, self.adoption, self.adoption_over_time,
                self.adoption_by_team, self.engagement, self.events_over_time,
                self.score_distribution, self.agreement_over_time]


def has_takes(store: Store) -> bool:
    return store.db.execute("SELECT 1 FROM recordings WHERE status = 'submitted' AND deleted = 0 "
                            "LIMIT 1").fetchone() is not None


def teams(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT team FROM people WHERE deleted = 0 AND "
                                           "team IS NOT NULL AND team != '' ORDER BY team")]


def _count_takes(store: Store, f: Filters) -> int:
    from scoring.analytics_base import takes_cte
    cte, params = takes_cte(store, f)
    return store.db.conn.execute(f"WITH {cte} SELECT COUNT(*) FROM ft", params).fetchone()[0]


def dashboard(store: Store, f: Filters = Filters(), viewer_id: str | None = None) -> DashboardData:
    """Every figure of the page for these filters (the viewer decides who is hidden)."""
    ensure_facts(store)
    total = store.db.conn.execute("SELECT COUNT(*) FROM f_takes").fetchone()[0]
    reps = rep_rows(store, f)
    cube = adoption_cube(store, f)
    return DashboardData(
        filters=f, takes=_count_takes(store, f), total_takes=total,
        leaderboard=leaderboard(store, f, viewer_id, reps=reps), teams=team_leaderboard(store, f, reps=reps),
        adoption=adoption_by_term(store, f, cube), adoption_over_time=adoption_over_time(store, f, cube),
        adoption_by_team=adoption_by_team(store, f, cube), engagement=engagement(store, f),
        events_over_time=events_over_time(store, f), score_distribution=score_distribution(store, f),
        agreement_over_time=agreement_over_time(store, f))


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
