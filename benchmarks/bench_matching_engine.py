"""Benchmark of the matching engine and the global assignment on synthetic data (no Django, no database).

    .venv/bin/python benchmarks/bench_matching_engine.py            # everything, including the dense reference
    .venv/bin/python benchmarks/bench_matching_engine.py --no-dense # skip the slow, memory-hungry dense solve

Data (numpy, seeded): 18,000 companies with about 20,700 sites spread over Flanders, 22 study areas; 1,000 schools.
Assignment scores follow the issue's "everyone prefers big nearby companies" recipe:
0.6 * popularity[company] + 0.4 * exp(-distance / 25 km) + noise, clipped to [0, 1]; capacities 1-3.

Goals (issue 4): ranking one school under 2 ms (median); assignment under 3 s, optimal, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.assignment import AssignmentProblem, assign
from matching.engine import CompanyFeatures, SchoolFeatures, Weights, rank, score_all, score_one_loop

SEED = 4
LAT = (50.70, 51.45)  # Flanders, roughly
LON = (2.55, 5.90)
AREAS = 22


def companies(rng: np.random.Generator, n: int) -> CompanyFeatures:
    counts = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.01, 0.86, 0.09, 0.03, 0.01])
    m = int(counts.sum())
    return CompanyFeatures(
        ids=np.arange(1, n + 1, dtype=np.int64) * 7,
        expertise=(rng.random((n, 7)) < 0.4).astype(np.float64),
        study_areas=rng.random((n, AREAS)) < 0.12,
        resources=rng.random(n),
        willingness=rng.random(n),
        capacity=rng.integers(0, 4, n),
        site_lat=np.radians(rng.uniform(*LAT, m)),
        site_lon=np.radians(rng.uniform(*LON, m)),
        site_start=np.cumsum(counts) - counts,
        site_count=counts,
    )


def school(rng: np.random.Generator, i: int) -> SchoolFeatures:
    return SchoolFeatures(
        id=i,
        lat=float(np.radians(rng.uniform(*LAT))),
        lon=float(np.radians(rng.uniform(*LON))),
        need=rng.random(7) if i % 5 else None,
        target_areas=rng.random(AREAS) < 0.15,
        previous_partners=frozenset({7 * int(rng.integers(1, 1000))}),
    )


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_engine(rng: np.random.Generator, rows: list[tuple[str, str, str]]) -> None:
    start = time.perf_counter()
    features = companies(rng, 18_000)
    built = (time.perf_counter() - start) * 1000
    schools = [school(rng, i) for i in range(50)]
    weights = Weights()
    for s in schools[:5]:  # warm up
        rank(s, features, weights)
    cycle = iter(range(10**9))

    def one_rank():
        rank(schools[next(cycle) % 50], features, weights, limit=10)

    def one_filtered_rank():
        rank(
            schools[next(cycle) % 50],
            features,
            weights,
            limit=10,
            max_distance_km=40.0,
            study_area=3,
            excluded=frozenset({14, 21}),
        )

    def one_score_all():
        score_all(schools[next(cycle) % 50], features, weights)

    ranked = median_ms(one_rank, 1000)
    filtered = median_ms(one_filtered_rank, 1000)
    scored = median_ms(one_score_all, 1000)
    looped = median_ms(lambda: score_one_loop(schools[next(cycle) % 50], features, weights), 5)
    m = features.site_lat.size
    rows.append((f"features of 18,000 companies, {m:,} sites, A=22: build (once per edition)", f"{built:.0f} ms", "—"))
    rows.append(("score_all, one school (median of 1000)", f"{scored:.2f} ms", "—"))
    rows.append(("rank, one school, limit 10 (median of 1000)", f"{ranked:.2f} ms", "< 2 ms"))
    rows.append(
        ("rank with distance, study-area and exclusion filters (median of 1000)", f"{filtered:.2f} ms", "< 2 ms")
    )
    rows.append(("score_one_loop, one school (median of 5)", f"{looped:.0f} ms", "—"))
    rows.append(("ratio score_one_loop / score_all", f"{looped / scored:.0f}x", "—"))
    rows.append(("ratio score_one_loop / rank", f"{looped / ranked:.0f}x", "—"))


def assignment_problem(rng: np.random.Generator, s: int, n: int) -> AssignmentProblem:
    company_lat = np.radians(rng.uniform(*LAT, n))
    company_lon = np.radians(rng.uniform(*LON, n))
    school_lat = np.radians(rng.uniform(*LAT, s))
    school_lon = np.radians(rng.uniform(*LON, s))
    popularity = rng.beta(1.2, 5.0, n)  # a few big, well-known companies, many small ones
    scores = np.empty((s, n))
    for start in range(0, s, 100):
        lat, lon = school_lat[start : start + 100, None], school_lon[start : start + 100, None]
        a = (
            np.sin((company_lat - lat) / 2) ** 2
            + np.cos(lat) * np.cos(company_lat) * np.sin((company_lon - lon) / 2) ** 2
        )
        distance = 2 * 6371.0088 * np.arcsin(np.sqrt(a))
        noise = rng.normal(0, 0.02, distance.shape)
        scores[start : start + 100] = np.clip(0.6 * popularity + 0.4 * np.exp(-distance / 25) + noise, 0, 1)
    return AssignmentProblem(scores=scores, capacity=rng.integers(1, 4, n))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_assignment(rng: np.random.Generator, rows: list[tuple[str, str, str]], *, dense: bool) -> None:
    problem = assignment_problem(rng, 1_000, 18_000)
    rows.append(("assignment input: 1,000 x 18,000 scores (float64)", f"{problem.scores.nbytes / 1e6:.0f} MB", "—"))
    times, result = [], None
    for _ in range(3):
        start = time.perf_counter()
        result = assign(problem)
        times.append(time.perf_counter() - start)
    assert result is not None
    rows.append(("assign, k=40 (median of 3)", f"{statistics.median(times):.2f} s", "< 3 s"))
    rows.append(
        ("  schools matched; solves; objective", f"{len(result.pairs)}; {result.solves}; {result.objective:.6f}", "—")
    )
    tracemalloc.start()
    assign(problem)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("  peak memory allocated by assign (tracemalloc)", f"{peak / 1e6:.0f} MB", "< 500 MB"))
    rows.append(("  process peak RSS so far (input included)", f"{peak_rss_mb():.0f} MB", "< 500 MB"))
    start = time.perf_counter()
    narrow = assign(problem, candidates_per_school=5)
    rows.append(
        (
            "assign, k=5 (certificate widens lists)",
            f"{time.perf_counter() - start:.2f} s, {narrow.solves} solves, same objective: "
            f"{abs(narrow.objective - result.objective) < 1e-9}",
            "—",
        )
    )
    start = time.perf_counter()
    fair = assign(problem, fairness=True)
    rows.append(
        (
            "assign, fairness=True",
            f"{time.perf_counter() - start:.2f} s, {fair.solves} solves, bottleneck {fair.threshold:.4f} "
            f"(plain: {min(problem.scores[i, c] for i, c in result.pairs):.4f})",
            "—",
        )
    )
    if not dense:
        return
    start = time.perf_counter()
    expanded = problem.scores[:, np.repeat(np.arange(problem.capacity.size), problem.capacity)]
    school_rows, columns = linear_sum_assignment(expanded, maximize=True)
    elapsed = time.perf_counter() - start
    reference = float(expanded[school_rows, columns].sum())
    rows.append((f"dense reference: linear_sum_assignment on 1,000 x {expanded.shape[1]:,}", f"{elapsed:.2f} s", "—"))
    rows.append(("  ratio dense / pruned", f"{elapsed / statistics.median(times):.1f}x", "—"))
    rows.append(("  objective difference pruned - dense", f"{result.objective - reference:.2e}", "0 (optimal)"))
    rows.append(("  process peak RSS after the dense solve", f"{peak_rss_mb():.0f} MB", "—"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-dense", action="store_true", help="skip the dense reference solve")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    rows: list[tuple[str, str, str]] = []
    bench_engine(rng, rows)
    bench_assignment(rng, rows, dense=not args.no_dense)
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{value_width}}  goal")
    for measure, value, goal in rows:
        print(f"{measure:<{width}}  {value:<{value_width}}  {goal}")


if __name__ == "__main__":
    main()
