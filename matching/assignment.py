"""Global assignment (koppeling) of the schools of an edition to mentor companies.

Pure: numpy and scipy on plain arrays, nothing from Django. The method, the optimality certificate and the fairness
variant are described in docs/matching.md; in short:

* Objective, lexicographic: first as many schools as possible get a company, then the total score is maximal.
* Pinned pairs are kept as given and use capacity; the other schools are optimised over the remaining capacity.
* The optimiser is scipy's `linear_sum_assignment` on a pruned problem: each school keeps its `k` best allowed
  companies, each candidate company becomes min(capacity, number of schools listing it) columns ("slots").
* Certificate: the pruned optimum is optimal for the full problem when every school whose list is incomplete has
  at least one candidate company with spare capacity left. Schools for which that fails get a list twice as long,
  and the problem is solved again, until the certificate holds (at worst every list is complete).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

#: Schools per block when reading the (s, n) score matrix, so temporaries stay small (a block of 128 schools by
#: 18,000 companies is 18 MB).
ROW_BLOCK = 128


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    scores: np.ndarray  # (s, n) totals in [0, 1]; nan or -inf = pair not allowed (excluded, beyond distance, ...)
    capacity: np.ndarray  # (n,) int >= 0
    pinned: tuple[tuple[int, int], ...] = ()  # (school row, company row) pairs that must be kept


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[int, int], ...]  # (school row, company row), sorted by school row; pinned pairs included
    objective: float  # sum of the scores of all pairs (a pinned pair on a disallowed cell counts 0)
    unassigned: tuple[int, ...]  # school rows without a company
    # fairness=True: the bottleneck score, the lowest score among the optimised (not pinned) pairs; else None.
    threshold: float | None = None
    # Pinned pairs kept although their cell is disallowed or their company is pinned beyond its capacity.
    pinned_conflicts: tuple[tuple[int, int], ...] = ()
    solves: int = 0  # linear_sum_assignment calls it took (diagnostics)


@dataclass(eq=False)
class _Free:
    """The part of the problem left to optimise once the pinned pairs are placed."""

    scores: np.ndarray  # the full (s, n) matrix; only `rows` are read
    rows: np.ndarray  # school rows without a pinned pair
    capacity: np.ndarray  # (n,) capacity left after the pinned pairs
    # Lowest and highest allowed score among `rows` (for the lexicographic weight), found by the first pass.
    lo: float = np.inf
    hi: float = -np.inf


def _allowed_block(free: _Free, rows: np.ndarray, floor: float | None) -> np.ndarray:
    """Scores of `rows` with every pair that may not be chosen set to -inf (a new array)."""
    block = np.asarray(free.scores[rows], dtype=np.float64)  # fancy indexing returns a new array: safe to edit
    bad = ~np.isfinite(block)
    if np.any(block[bad] > 0):
        raise ValueError("scores must be finite, nan or -inf")
    bad |= free.capacity <= 0
    if floor is not None:
        bad |= block < floor
    block[bad] = -np.inf
    return block


def _prepare(problem: AssignmentProblem) -> tuple[_Free, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    scores = np.asarray(problem.scores)
    if scores.ndim != 2:
        raise ValueError("scores must be a 2-d array (schools x companies)")
    s, n = scores.shape
    capacity = np.asarray(problem.capacity)
    if capacity.shape != (n,) or (n and (capacity.min() < 0 or np.any(capacity != np.floor(capacity)))):
        raise ValueError(f"capacity must be {n} integers >= 0")
    capacity = capacity.astype(np.int64)
    pinned = tuple((int(i), int(c)) for i, c in problem.pinned)
    pinned_schools = [i for i, _c in pinned]
    if len(set(pinned_schools)) != len(pinned_schools):
        raise ValueError("a school can be pinned to one company only")
    if any(not (0 <= i < s and 0 <= c < n) for i, c in pinned):
        raise ValueError("pinned pair outside the score matrix")
    pinned_count = np.bincount([c for _i, c in pinned], minlength=n).astype(np.int64)
    conflicts = tuple((i, c) for i, c in pinned if not np.isfinite(scores[i, c]) or pinned_count[c] > capacity[c])
    is_free = np.ones(s, dtype=bool)
    is_free[pinned_schools] = False
    free = _Free(scores=scores, rows=np.flatnonzero(is_free), capacity=np.maximum(capacity - pinned_count, 0))
    return free, pinned, conflicts


@dataclass(frozen=True, eq=False)
class _Candidates:
    school: np.ndarray  # position in free.rows, ascending
    company: np.ndarray  # company row; per school by score descending, then company row ascending
    score: np.ndarray
    complete: np.ndarray  # (len(free.rows),) bool: the school's list holds every allowed company


def _top_per_row(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's k largest values > -inf, ordered by row, value descending, column ascending.

    The k-th largest value of a strided sample of a row is a safe threshold (those k sample values are in the row),
    so only the values at or above it -- a few hundred per row -- are sorted: much cheaper than np.argpartition on
    the whole block, and ties at the k-th place go to the lowest company row, not to partition order.
    """
    n = block.shape[1]
    stride = max(1, n // max(16 * k, 2048))
    if stride > 1:
        sample = block[:, ::stride]
        threshold = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
        keep = block >= threshold[:, None]
        keep &= block > -np.inf
    else:
        keep = block > -np.inf
    row, column = np.nonzero(keep)
    order = np.lexsort((column, -block[row, column], row))
    row, column = row[order], column[order]
    first = np.searchsorted(row, row, side="left")
    within = np.arange(row.size) - first
    chosen = within < k
    return row[chosen], column[chosen]


def _candidates(free: _Free, positions: np.ndarray, k: np.ndarray, floor: float | None) -> _Candidates:
    """The k[i] best allowed companies of each school at `positions` (of free.rows), by (score descending,
    company row ascending). `complete` is filled in for those positions only."""
    schools, companies, values = [], [], []
    complete = np.zeros(free.rows.size, dtype=bool)
    for kk in np.unique(k[positions]):
        group = positions[k[positions] == kk]
        for start in range(0, group.size, ROW_BLOCK):
            pos = group[start : start + ROW_BLOCK]
            block = _allowed_block(free, free.rows[pos], floor)
            if floor is None:
                free.lo = min(free.lo, float(np.min(block, where=block > -np.inf, initial=np.inf)))
                free.hi = max(free.hi, float(block.max(initial=-np.inf)))
            complete[pos] = np.count_nonzero(block > -np.inf, axis=1) <= kk
            row, column = _top_per_row(block, int(kk))
            schools.append(pos[row])
            companies.append(column)
            values.append(block[row, column])
    empty = np.empty(0, dtype=np.intp)
    return _ordered(
        np.concatenate([empty, *schools]),
        np.concatenate([empty, *companies]),
        np.concatenate([np.empty(0), *values]),
        complete,
    )


def _ordered(school: np.ndarray, company: np.ndarray, score: np.ndarray, complete: np.ndarray) -> _Candidates:
    order = np.argsort(school, kind="stable")  # keeps each school's own order
    return _Candidates(school[order], company[order], score[order], complete)


def _widened(free: _Free, cand: _Candidates, failing: np.ndarray, k: np.ndarray, floor: float | None) -> _Candidates:
    """`cand` with the lists of the failing schools replaced by their longer lists."""
    fresh = _candidates(free, np.flatnonzero(failing), k, floor)
    kept = ~failing[cand.school]
    return _ordered(
        np.concatenate([cand.school[kept], fresh.school]),
        np.concatenate([cand.company[kept], fresh.company]),
        np.concatenate([cand.score[kept], fresh.score]),
        np.where(failing, fresh.complete, cand.complete),
    )


def _solve_pruned(free: _Free, cand: _Candidates) -> tuple[np.ndarray, np.ndarray]:
    """The (count, total)-optimal assignment on the candidate pairs: positions in free.rows and company rows."""
    if cand.company.size == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty
    used = np.unique(cand.company)
    listers = np.bincount(cand.company, minlength=free.capacity.size)[used]
    slots = np.minimum(free.capacity[used], listers)
    first_slot = np.cumsum(slots) - slots
    of_candidate = np.searchsorted(used, cand.company)
    reps = slots[of_candidate]
    cells = int(reps.sum())
    school = np.repeat(cand.school, reps)
    column = np.repeat(first_slot[of_candidate], reps) + (np.arange(cells) - np.repeat(np.cumsum(reps) - reps, reps))
    # Lexicographic objective as one sum: every allowed cell is worth `bonus` more than any score difference
    # over all schools, so one more assigned school always outweighs any gain in total score. Filler cells are 0.
    bonus = free.rows.size * (free.hi - free.lo) + 1.0
    weight = np.repeat(cand.score - free.lo + bonus, reps)
    n_rows = free.rows.size
    matrix = np.zeros((n_rows, max(int(slots.sum()), n_rows)))
    matrix[school, column] = weight
    row_ind, col_ind = linear_sum_assignment(matrix, maximize=True)
    real = matrix[row_ind, col_ind] > 0
    slot_company = np.repeat(used, slots)
    return row_ind[real], slot_company[col_ind[real]]


def _certified(free: _Free, cand: _Candidates, company: np.ndarray) -> np.ndarray:
    """Per school: does the certificate hold? (list complete, or a candidate company has spare capacity)."""
    used = np.bincount(company, minlength=free.capacity.size)
    spare = used < free.capacity
    has_spare = np.bincount(cand.school, weights=spare[cand.company], minlength=free.rows.size) > 0
    return cand.complete | has_spare


def _solve(free: _Free, k0: int, floor: float | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Optimal pairs (school rows, company rows) of the free schools, with pairs below `floor` disallowed."""
    n = free.scores.shape[1]
    k = np.full(free.rows.size, min(k0, max(n, 1)), dtype=np.int64)
    cand = _candidates(free, np.arange(free.rows.size), k, floor)
    solves = 0
    while True:
        position, company = _solve_pruned(free, cand)
        solves += 1
        failing = ~_certified(free, cand, company)
        if not failing.any():
            order = np.argsort(position, kind="stable")
            return free.rows[position[order]], company[order], solves
        # Every failing school has an incomplete list, so k < n for it and the loop ends (at worst at k = n).
        k[failing] = np.minimum(2 * k[failing], n)
        cand = _widened(free, cand, failing, k, floor)


def _distinct_scores(free: _Free, low: float, high: float) -> np.ndarray:
    """Sorted distinct allowed scores in [low, high] among the free schools."""
    found = []
    for start in range(0, free.rows.size, ROW_BLOCK):
        block = _allowed_block(free, free.rows[start : start + ROW_BLOCK], low)
        found.append(np.unique(block[(block > -np.inf) & (block <= high)]))
    return np.unique(np.concatenate(found)) if found else np.empty(0)


def _best_scores(free: _Free) -> np.ndarray:
    best = []
    for start in range(0, free.rows.size, ROW_BLOCK):
        best.append(_allowed_block(free, free.rows[start : start + ROW_BLOCK], None).max(axis=1, initial=-np.inf))
    return np.concatenate(best) if best else np.empty(0)


def assign(problem: AssignmentProblem, *, candidates_per_school: int = 40, fairness: bool = False) -> Assignment:
    """An optimal assignment: the most schools matched, then the highest total score (see the module docstring).

    fairness=True first maximises the lowest score among the optimised pairs (with the same number of schools
    matched), then the total among assignments that reach that bottleneck.
    """
    if candidates_per_school < 1:
        raise ValueError("candidates_per_school must be >= 1")
    free, pinned, conflicts = _prepare(problem)
    schools, companies, solves = _solve(free, candidates_per_school, None)
    threshold = None
    if fairness and schools.size:
        scores = free.scores
        count = schools.size
        low = float(np.min(scores[schools, companies]))
        # When every school is matched, nobody can do better than their own best company: an upper bound.
        high = float(_best_scores(free).min()) if count == free.rows.size else free.hi
        levels = _distinct_scores(free, low, high)
        # Binary search for the highest level at which `count` schools can still be matched. Invariant: the
        # solution in hand is the (count, total)-optimal one with every pair >= levels[lo]; levels above hi fail.
        # At lo = 0 that is the unconstrained optimum itself: all its pairs are >= low = levels[0].
        lo, hi = 0, levels.size - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            trial_schools, trial_companies, trial_solves = _solve(free, candidates_per_school, float(levels[mid]))
            solves += trial_solves
            if trial_schools.size == count:
                lo, schools, companies = mid, trial_schools, trial_companies
            else:
                hi = mid - 1
        threshold = float(np.min(scores[schools, companies]))
    pairs = sorted([*pinned, *zip(schools.tolist(), companies.tolist(), strict=True)])
    assigned = {i for i, _c in pairs}
    values = [float(problem.scores[i, c]) for i, c in pairs]
    return Assignment(
        pairs=tuple(pairs),
        objective=math.fsum(v for v in values if math.isfinite(v)),
        unassigned=tuple(i for i in range(np.shape(problem.scores)[0]) if i not in assigned),
        threshold=threshold,
        pinned_conflicts=conflicts,
        solves=solves,
    )
