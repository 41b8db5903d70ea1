"""Score distributions per criterion and scorer agreement over time (issue #8). No Qt.

* Distribution: how many current peer scores of 1..5 each criterion got on the filtered takes.
* Agreement over time: Krippendorff's alpha (ordinal), the measure of issue #5 (scoring/agreement.py:
  units are (take, criterion) pairs, values the peers' scores), per week or day of the take. The
  coincidence matrix is summed in SQL from per-unit counts of each score (f_unit.n1..n5, summed per
  take once in f_take_pairs), so no per-score Python loop runs;
  alpha then follows the same formulas as scoring/agreement.py (tests check both give the same value).
"""
from __future__ import annotations

from scoring.analytics import Filters, Table, alpha_from_coincidences, rounded
from store.analytics.facts import coincidence_sums, ensure_facts, rows, take_bucket, takes_cte
from store.db import Store

DISTRIBUTION_COLUMNS = ["rubric", "criterion", "n", "mean", "s1", "s2", "s3", "s4", "s5"]
AGREEMENT_COLUMNS = ["bucket", "alpha", "units", "values"]


def score_distribution(store: Store, f: Filters = Filters()) -> Table:
    ensure_facts(store, "scores")
    cte, params = takes_cte(store, f)
    data = {r["criterion_id"]: r for r in rows(store, f"""
        WITH {cte}
        SELECT u.criterion_id, SUM(u.n1) AS s1, SUM(u.n2) AS s2, SUM(u.n3) AS s3, SUM(u.n4) AS s4,
               SUM(u.n5) AS s5, SUM(u.m) AS n
        FROM ft JOIN f_unit u ON u.tk = ft.tk GROUP BY u.criterion_id""", params)}
    crits = rows(store, """
        SELECT c.id, c.slug, c.title AS criterion, r.title AS rubric
        FROM criteria c JOIN rubrics r ON r.id = c.rubric_id ORDER BY r.title, c.position""")
    out = []
    for c in crits:
        hist = data.get(c["id"])
        if not hist:
            continue
        counts = {f"s{v}": hist[f"s{v}"] for v in range(1, 6)}
        out.append({"criterion_id": c["id"], "rubric": c["rubric"], "criterion": c["criterion"],
                    "slug": c["slug"], "n": hist["n"],
                    "mean": rounded(sum(v * counts[f"s{v}"] for v in range(1, 6)) / hist["n"]),
                    **counts})
    return Table("score_distribution", DISTRIBUTION_COLUMNS + ["slug", "criterion_id"], out)


def agreement_over_time(store: Store, f: Filters = Filters()) -> Table:
    """Alpha per bucket over the (take, criterion) units with at least two peer scores."""
    ensure_facts(store, "pairs")
    cte, params = takes_cte(store, f)
    data = rows(store, f"""
        WITH {cte}
        SELECT {take_bucket(f)} AS bucket, SUM(p.units) AS units, {coincidence_sums("p.", weighted=False)}
        FROM ft JOIN f_take_pairs p ON p.tk = ft.tk GROUP BY 1 ORDER BY 1""", params)
    out = []
    for r in data:
        o = {(c, k): r[f"o{min(c, k)}{max(c, k)}"] for c in range(1, 6) for k in range(1, 6)
             if r[f"o{min(c, k)}{max(c, k)}"]}
        alpha, n = alpha_from_coincidences(o)
        out.append({"bucket": r["bucket"], "alpha": rounded(alpha), "units": r["units"],
                    "values": int(round(n))})
    return Table("agreement_over_time", AGREEMENT_COLUMNS, out)
