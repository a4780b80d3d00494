"""Global assignment on plain arrays, checked against brute force on small instances. No database."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import linear_sum_assignment

from matching.assignment import Assignment, AssignmentProblem, assign


def assign_bruteforce(problem: AssignmentProblem, *, fairness: bool = False) -> Assignment:
    """Every assignment of the free schools, the best by the same lexicographic objective as `assign`:
    (schools matched, total) -- or with fairness (schools matched, lowest optimised score, total)."""
    scores = np.asarray(problem.scores, dtype=float)
    s, n = scores.shape
    pinned = dict(problem.pinned)
    left = np.asarray(problem.capacity).copy() - np.bincount(list(pinned.values()), minlength=n)
    free = [i for i in range(s) if i not in pinned]
    options = [[None, *(c for c in range(n) if np.isfinite(scores[i, c]) and left[c] > 0)] for i in free]
    best_key, best_choice = None, None
    for choice in itertools.product(*options):
        taken = [c for c in choice if c is not None]
        if any(taken.count(c) > left[c] for c in set(taken)):
            continue
        values = [scores[i, c] for i, c in zip(free, choice, strict=True) if c is not None]
        total = math.fsum(values)
        key = (len(values), min(values, default=math.inf), total) if fairness else (len(values), total)
        if best_key is None or key > best_key:
            best_key, best_choice = key, choice
    pairs = sorted([*pinned.items(), *((i, c) for i, c in zip(free, best_choice, strict=True) if c is not None)])
    return Assignment(
        pairs=tuple(pairs),
        objective=math.fsum(scores[i, c] for i, c in pairs if np.isfinite(scores[i, c])),
        unassigned=tuple(i for i in range(s) if i not in dict(pairs)),
        threshold=best_key[1] if fairness and best_key[0] else None,
    )


@st.composite
def problems(draw, *, with_pinned: bool = True) -> AssignmentProblem:
    s = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    # Few distinct values in half the cases: ties are where tie-breaking bugs hide.
    values = st.floats(0, 1) | st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])
    scores = draw(hnp.arrays(np.float64, (s, n), elements=values))
    scores[draw(hnp.arrays(np.bool_, (s, n)))] = draw(st.sampled_from([np.nan, -np.inf]))
    capacity = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 2)))
    pinned: list[tuple[int, int]] = []
    if with_pinned:
        for i in draw(st.lists(st.integers(0, s - 1), max_size=2, unique=True)):
            allowed = [
                c for c in range(n) if np.isfinite(scores[i, c]) and capacity[c] > sum(p[1] == c for p in pinned)
            ]
            if allowed:
                pinned.append((i, draw(st.sampled_from(allowed))))
    return AssignmentProblem(scores=scores, capacity=capacity, pinned=tuple(pinned))


def optimised_scores(problem: AssignmentProblem, result: Assignment) -> list[float]:
    return [float(problem.scores[i, c]) for i, c in result.pairs if (i, c) not in problem.pinned]


def assert_feasible(problem: AssignmentProblem, result: Assignment) -> None:
    schools = [i for i, _c in result.pairs]
    assert len(schools) == len(set(schools)), "a school got two companies"
    used = np.bincount([c for _i, c in result.pairs], minlength=len(problem.capacity))
    assert np.all(used <= problem.capacity), "a company is over capacity"
    assert set(problem.pinned) <= set(result.pairs), "a pinned pair was dropped"
    assert all(np.isfinite(problem.scores[i, c]) for i, c in result.pairs), "a disallowed pair appears"
    assert sorted([*schools, *result.unassigned]) == list(range(problem.scores.shape[0]))


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from([1, 2, 40]))
def test_assignment_is_feasible_and_as_good_as_brute_force(problem, k):
    result = assign(problem, candidates_per_school=k)

    assert_feasible(problem, result)
    best = assign_bruteforce(problem)
    assert len(result.pairs) == len(best.pairs)
    assert result.objective == pytest.approx(best.objective, abs=1e-9)
    assert result == assign(problem, candidates_per_school=k)  # deterministic


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from([1, 2, 40]))
def test_fair_assignment_maximises_the_lowest_score_then_the_total(problem, k):
    result = assign(problem, candidates_per_school=k, fairness=True)

    assert_feasible(problem, result)
    best = assign_bruteforce(problem, fairness=True)
    assert len(result.pairs) == len(best.pairs)
    assert min(optimised_scores(problem, result), default=None) == result.threshold == best.threshold
    assert result.objective == pytest.approx(best.objective, abs=1e-9)
    assert result == assign(problem, candidates_per_school=k, fairness=True)


def test_a_school_crowded_out_of_its_short_list_makes_the_list_longer():
    # With one candidate each, both schools list company 0; school 0 must move to company 1 (its second choice,
    # outside its list) so that school 1 gets a mentor at all.
    problem = AssignmentProblem(scores=np.array([[1.0, 0.999], [0.5, np.nan]]), capacity=np.array([1, 1]))

    result = assign(problem, candidates_per_school=1)

    assert result.pairs == ((0, 1), (1, 0))
    assert result.objective == pytest.approx(1.499)
    assert result.solves >= 2


def test_as_many_schools_as_possible_get_a_company_before_the_total_counts():
    problem = AssignmentProblem(scores=np.array([[0.9, 0.05], [0.8, -np.inf]]), capacity=np.array([1, 1]))

    result = assign(problem)

    assert result.pairs == ((0, 1), (1, 0))  # 0.9 for school 0 alone would be a higher total than 0.05 + 0.8
    assert result.objective == pytest.approx(0.85)


def test_fairness_lifts_the_weakest_pair_at_the_cost_of_the_total():
    problem = AssignmentProblem(scores=np.array([[1.0, 0.6], [0.9, 0.1]]), capacity=np.array([1, 1]))

    assert assign(problem).pairs == ((0, 1), (1, 0))  # 0.6 + 0.9 = 1.5 beats 1.0 + 0.1
    problem = AssignmentProblem(scores=np.array([[1.0, 0.2], [0.5, 0.05]]), capacity=np.array([1, 1]))
    plain, fair = assign(problem), assign(problem, fairness=True)
    assert plain.pairs == ((0, 0), (1, 1))  # total 1.05, but school 1 gets 0.05
    assert plain.threshold is None
    assert fair.pairs == ((0, 1), (1, 0))  # total 0.7, nobody below 0.2
    assert fair.threshold == 0.2


def test_pinned_pairs_use_capacity_and_are_kept_even_when_disallowed():
    scores = np.array([[0.9, 0.1], [0.8, 0.7], [np.nan, 0.2]])

    result = assign(AssignmentProblem(scores=scores, capacity=np.array([1, 2]), pinned=((2, 0),)))

    assert result.pairs == ((0, 1), (1, 1), (2, 0))
    assert result.pinned_conflicts == ((2, 0),)
    assert result.objective == pytest.approx(0.1 + 0.7)


def test_unmatched_schools_are_listed():
    problem = AssignmentProblem(scores=np.array([[0.5], [0.6], [np.nan]]), capacity=np.array([1]))

    result = assign(problem)

    assert result.pairs == ((1, 0),)
    assert result.unassigned == (0, 2)


def test_empty_problems():
    assert assign(AssignmentProblem(scores=np.zeros((0, 3)), capacity=np.ones(3, dtype=int))).pairs == ()
    nobody = assign(AssignmentProblem(scores=np.zeros((2, 0)), capacity=np.zeros(0, dtype=int)), fairness=True)
    assert nobody.pairs == ()
    assert nobody.unassigned == (0, 1)
    assert nobody.threshold is None


@pytest.mark.parametrize(
    "problem",
    [
        AssignmentProblem(scores=np.zeros(3), capacity=np.ones(3, dtype=int)),
        AssignmentProblem(scores=np.zeros((1, 2)), capacity=np.ones(3, dtype=int)),
        AssignmentProblem(scores=np.zeros((1, 2)), capacity=np.array([1, -1])),
        AssignmentProblem(scores=np.array([[np.inf, 0.0]]), capacity=np.array([1, 1])),
        AssignmentProblem(scores=np.zeros((1, 2)), capacity=np.array([1, 1]), pinned=((0, 0), (0, 1))),
        AssignmentProblem(scores=np.zeros((1, 2)), capacity=np.array([1, 1]), pinned=((1, 0),)),
    ],
)
def test_malformed_problems_are_refused(problem):
    with pytest.raises(ValueError):
        assign(problem)


def test_a_medium_instance_equals_the_dense_solve_of_the_capacity_expanded_matrix():
    rng = np.random.default_rng(11)
    popularity = rng.random(300)
    scores = np.clip(0.6 * popularity + 0.4 * rng.random((80, 300)) + rng.normal(0, 0.02, (80, 300)), 0, 1)
    capacity = rng.integers(1, 4, 300)

    result = assign(AssignmentProblem(scores=scores, capacity=capacity), candidates_per_school=3)

    expanded = scores[:, np.repeat(np.arange(300), capacity)]
    rows, columns = linear_sum_assignment(expanded, maximize=True)
    assert len(result.pairs) == 80
    assert result.objective == pytest.approx(expanded[rows, columns].sum(), abs=1e-9)
    assert result.solves > 1  # three candidates are not enough for everyone: the certificate widened some lists


def test_pinned_pairs_beyond_a_companys_capacity_are_kept_and_reported():
    scores = np.array([[0.5, 0.1], [0.5, 0.1], [0.9, 0.4]])

    result = assign(AssignmentProblem(scores=scores, capacity=np.array([1, 1]), pinned=((0, 0), (1, 0))))

    assert result.pairs == ((0, 0), (1, 0), (2, 1))  # company 0 has no room left for school 2
    assert result.pinned_conflicts == ((0, 0), (1, 0))


@pytest.mark.parametrize("seed", range(5))
def test_medium_instances_with_disallowed_pairs_and_too_little_capacity_equal_a_dense_solve(seed):
    rng = np.random.default_rng(seed)
    s, n = 60, 40
    scores = np.round(rng.random((s, n)), 2)  # rounded: many ties
    scores[rng.random((s, n)) < 0.5] = np.nan
    capacity = rng.integers(0, 3, n)  # about 40 places for 60 schools

    result = assign(AssignmentProblem(scores=scores, capacity=capacity), candidates_per_school=2)

    # Dense reference: every company slot a column, plus one "no company" column per school; a matched school is
    # worth more than any total difference, so the optimum matches the most schools, then maximises the total.
    expanded = scores[:, np.repeat(np.arange(n), capacity)]
    weights = np.where(np.isnan(expanded), -1e9, expanded + s + 1)
    rows, columns = linear_sum_assignment(np.hstack([weights, np.zeros((s, s))]), maximize=True)
    matched = columns < expanded.shape[1]
    assert len(result.pairs) == int(matched.sum())
    assert result.objective == pytest.approx(expanded[rows[matched], columns[matched]].sum(), abs=1e-9)
