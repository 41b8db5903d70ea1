"""Score distributions per criterion and scorer agreement over time (issue #8). No Qt.

* Distribution: how many current peer scores of 1..5 each criterion got on the filtered takes.
* Agreement over time: Krippendorff's alpha (ordinal), the measure of issue #5 (scoring/agreement.py:
  units are (take, criterion) pairs, values the peers' scores), per week or day of the take. The
  coincidence matrix is summed in SQL from per-unit score counts, so no per-score Python loop runs;
  alpha then follows the same formulas as scoring/agreement.py (tests check both give the same value).
"""
from __future__ import annotations

from collections import defaultdict

from store.db import Store

from scoring.analytics_base import Filters, Table, bucket_sql, ensure_facts, rounded, rows, takes_cte

DISTRIBUTION_COLUMNS = ["rubric", "criterion", "n", "mean", "s1", "s2", "s3", "s4", "s5"]
AGREEMENT_COLUMNS = ["bucket", "alpha", "units", "values"]


def score_distribution(store: Store, f: Filters = Filters()) -> Table:
    ensure_facts(store)
    cte, params = takes_cte(store, f)
    data = rows(store, f"""
        WITH {cte}
        SELECT uv.criterion_id, uv.score, SUM(uv.n) AS n
        FROM ft JOIN f_uv uv ON uv.recording_id = ft.id GROUP BY uv.criterion_id, uv.score""", params)
    crits = {r["id"]: r for r in rows(store, """
        SELECT c.id, c.slug, c.title AS criterion, r.title AS rubric, r.slug AS rubric_slug
        FROM criteria c JOIN rubrics r ON r.id = c.rubric_id ORDER BY r.title, c.position""")}
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for r in data:
        counts[r["criterion_id"]][r["score"]] = r["n"]
    out = []
    for cid, c in crits.items():
        if cid not in counts:
            continue
        hist = counts[cid]
        n = sum(hist.values())
        out.append({"criterion_id": cid, "rubric": c["rubric"], "criterion": c["criterion"],
                    "slug": c["slug"], "n": n,
                    "mean": rounded(sum(s * k for s, k in hist.items()) / n),
                    **{f"s{s}": hist.get(s, 0) for s in range(1, 6)}})
    return Table("score_distribution", DISTRIBUTION_COLUMNS + ["slug", "criterion_id"], out)


def alpha_from_coincidences(o: dict[tuple[float, float], float]) -> tuple[float | None, float]:
    """Ordinal Krippendorff's alpha from a coincidence matrix (as in scoring/agreement.py)."""
    marginals: dict[float, float] = defaultdict(float)
    for (c, _k), v in o.items():
        marginals[c] += v
    n = sum(marginals.values())
    if n <= 1:
        return None, n
    categories = sorted(marginals)
    cum, running = {}, 0.0
    for c in categories:
        running += marginals[c]
        cum[c] = running

    def delta2(c, k):
        lo, hi = (c, k) if c <= k else (k, c)
        return (cum[hi] - cum[lo] + marginals[lo] - (marginals[lo] + marginals[hi]) / 2) ** 2
    d_o = sum(v * delta2(c, k) for (c, k), v in o.items()) / n
    d_e = sum(marginals[c] * marginals[k] * delta2(c, k) for c in categories for k in categories)
    d_e /= n * (n - 1)
    if d_e == 0:
        return None, n
    return 1 - d_o / d_e, n


def agreement_over_time(store: Store, f: Filters = Filters()) -> Table:
    """Alpha per bucket over the (take, criterion) units with at least two peer scores."""
    ensure_facts(store)
    cte, params = takes_cte(store, f)
    bucket = bucket_sql("ft.taken_at", f.bucket)
    data = rows(store, f"""
        WITH {cte},
        u AS (SELECT uv.recording_id, uv.criterion_id, uv.score, uv.n, {bucket} AS bucket,
                     SUM(uv.n) OVER (PARTITION BY uv.recording_id, uv.criterion_id) AS m
              FROM ft JOIN f_uv uv ON uv.recording_id = ft.id)
        SELECT a.bucket, a.score AS c, b.score AS k,
               SUM(CASE WHEN a.score = b.score THEN a.n * (a.n - 1) ELSE a.n * b.n END * 1.0 / (a.m - 1)) AS o
        FROM u a JOIN f_uv b ON b.recording_id = a.recording_id AND b.criterion_id = a.criterion_id
        WHERE a.m >= 2 GROUP BY a.bucket, a.score, b.score""", params)
    units = {r["bucket"]: r["units"] for r in rows(store, f"""
        WITH {cte}
        SELECT bucket, COUNT(*) AS units FROM (
            SELECT {bucket} AS bucket FROM ft JOIN f_tc tc ON tc.recording_id = ft.id WHERE tc.n >= 2)
        GROUP BY bucket""", params)}
    matrices: dict[str, dict] = defaultdict(dict)
    for r in data:
        if r["o"]:
            matrices[r["bucket"]][(r["c"], r["k"])] = r["o"]
    out = []
    for b in sorted(set(matrices) | set(units)):
        alpha, n = alpha_from_coincidences(matrices.get(b, {}))
        out.append({"bucket": b, "alpha": rounded(alpha), "units": units.get(b, 0), "values": int(round(n))})
    return Table("agreement_over_time", AGREEMENT_COLUMNS, out)
