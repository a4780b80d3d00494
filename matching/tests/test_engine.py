"""The scoring engine on plain arrays: each part, the totals, the ranking and its explanations. No database."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from matching.engine import (
    PARTS,
    PROXIMITY_SCALE_KM,
    CompanyFeatures,
    SchoolFeatures,
    Weights,
    explain,
    haversine_km,
    rank,
    score_all,
    score_one_loop,
)

ANTWERPEN = (51.2194, 4.4025)
GENT = (51.0543, 3.7174)
HASSELT = (50.9307, 5.3325)
BRUGGE = (51.2093, 3.2247)
ANTWERPEN_HAVEN = (51.2600, 4.4000)  # about 4.5 km north of the centre
AREAS = 4


def rad(point: tuple[float, float]) -> tuple[float, float]:
    return math.radians(point[0]), math.radians(point[1])


def companies(*specs: dict) -> CompanyFeatures:
    """Companies from readable specs: id, sites [(lat, lon) in degrees], expertise (7), areas {index}, ...."""
    sites = [site for spec in specs for site in spec.get("sites", [GENT])]
    counts = np.array([len(spec.get("sites", [GENT])) for spec in specs], dtype=np.int64)
    return CompanyFeatures(
        ids=np.array([spec["id"] for spec in specs], dtype=np.int64),
        expertise=np.array([spec.get("expertise", [0.0] * 7) for spec in specs], dtype=float).reshape(-1, 7),
        study_areas=np.array(
            [[a in spec.get("areas", set()) for a in range(AREAS)] for spec in specs], dtype=bool
        ).reshape(-1, AREAS),
        resources=np.array([spec.get("resources", 0.5) for spec in specs], dtype=float),
        willingness=np.array([spec.get("willingness", 0.5) for spec in specs], dtype=float),
        capacity=np.array([spec.get("capacity", 1) for spec in specs], dtype=np.int64),
        site_lat=np.radians(np.array([s[0] for s in sites], dtype=float)),
        site_lon=np.radians(np.array([s[1] for s in sites], dtype=float)),
        site_start=np.cumsum(counts) - counts,
        site_count=counts,
    )


def school(
    *,
    at: tuple[float, float] = ANTWERPEN,
    need: list[float] | None = None,
    areas: set[int] = frozenset({0}),
    previous: frozenset[int] = frozenset(),
) -> SchoolFeatures:
    lat, lon = rad(at)
    return SchoolFeatures(
        id=1,
        lat=lat,
        lon=lon,
        need=None if need is None else np.array(need, dtype=float),
        target_areas=np.array([a in areas for a in range(AREAS)], dtype=bool),
        previous_partners=previous,
    )


def part(scores, name: str) -> list[float]:
    return [float(v) for v in scores.parts[:, PARTS.index(name)]]


# Parts


def test_haversine_from_antwerpen_to_gent_is_about_51_km():
    distance = float(haversine_km(*rad(ANTWERPEN), *map(np.float64, rad(GENT))))

    assert abs(distance - 50.9) < 1.0


def test_distance_is_to_the_nearest_of_a_companys_sites():
    features = companies({"id": 7, "sites": [GENT, HASSELT, ANTWERPEN_HAVEN]}, {"id": 8, "sites": [BRUGGE]})

    scores = score_all(school(at=ANTWERPEN), features, Weights())

    expected = float(haversine_km(*rad(ANTWERPEN), *map(np.float64, rad(ANTWERPEN_HAVEN))))
    assert scores.distance_km[0] == pytest.approx(expected, abs=1e-9)
    assert 4 < scores.distance_km[0] < 5
    assert scores.distance_km[1] == pytest.approx(float(haversine_km(*rad(ANTWERPEN), *rad(BRUGGE))), abs=1e-9)


def test_proximity_decays_with_a_25_km_scale_and_is_zero_without_a_site():
    features = companies({"id": 1, "sites": [GENT]}, {"id": 2, "sites": []}, {"id": 3, "sites": [ANTWERPEN]})

    scores = score_all(school(at=ANTWERPEN), features, Weights())

    assert part(scores, "proximity")[0] == pytest.approx(math.exp(-scores.distance_km[0] / PROXIMITY_SCALE_KM))
    assert scores.distance_km[1] == math.inf
    assert part(scores, "proximity")[1] == 0.0
    assert part(scores, "proximity")[2] == pytest.approx(1.0)


def test_need_without_a_finalised_baseline_is_neutral_for_every_company():
    features = companies({"id": 1, "expertise": [1] * 7}, {"id": 2, "expertise": [0] * 7})

    scores = score_all(school(need=None), features, Weights())
    ranking = rank(school(need=None), features, Weights())

    assert part(scores, "need") == [0.5, 0.5]
    assert ranking.need_is_neutral is True
    assert rank(school(need=[0.5] * 7), features, Weights()).need_is_neutral is False


def test_need_fit_counts_the_elements_the_school_needs_most():
    features = companies(
        {"id": 1, "expertise": [1, 0, 0, 0, 0, 0, 0]},
        {"id": 2, "expertise": [0, 0, 1, 0, 0, 0, 0]},
        {"id": 3, "expertise": [1] * 7},
        {"id": 4, "expertise": [0, 1, 0, 0, 0, 0, 0]},
    )

    scores = score_all(school(need=[1.0, 0.0, 0.5, 0, 0, 0, 0]), features, Weights())

    assert part(scores, "need") == pytest.approx([1 / 1.5, 0.5 / 1.5, 1.0, 0.0])


def test_a_school_that_needs_nothing_gets_need_zero_everywhere():
    scores = score_all(school(need=[0.0] * 7), companies({"id": 1, "expertise": [1] * 7}), Weights())

    assert part(scores, "need") == [0.0]


def test_sector_is_the_share_of_the_target_study_areas_the_company_fits():
    features = companies({"id": 1, "areas": {1, 2}}, {"id": 2, "areas": {0, 1, 3}}, {"id": 3, "areas": set()})

    assert part(score_all(school(areas={0, 1}), features, Weights()), "sector") == [0.5, 1.0, 0.0]
    assert part(score_all(school(areas=set()), features, Weights()), "sector") == [0.0, 0.0, 0.0]


def test_resources_willingness_and_continuity_come_from_the_company_and_the_history():
    features = companies({"id": 10, "resources": 0.2, "willingness": 0.9}, {"id": 11, "resources": 1.0})

    scores = score_all(school(previous=frozenset({11, 99})), features, Weights())

    assert part(scores, "resources") == [0.2, 1.0]
    assert part(scores, "willingness") == [0.9, 0.5]
    assert part(scores, "continuity") == [0.0, 1.0]


def test_total_is_the_weighted_sum_of_the_parts_with_normalised_weights():
    features = companies({"id": 1, "expertise": [1, 0, 0, 0, 0, 0, 0], "areas": {0}, "sites": [ANTWERPEN]})
    weights = Weights(need=2, proximity=1, sector=1, resources=0, willingness=0, continuity=0)

    scores = score_all(school(need=[1, 0, 0, 0, 0, 0, 0]), features, weights)

    assert scores.total[0] == pytest.approx((2 * 1.0 + 1 * 1.0 + 1 * 1.0) / 4)


def test_weights_are_normalised_and_must_be_non_negative_and_not_all_zero():
    assert Weights().normalised().sum() == pytest.approx(1.0)
    assert list(Weights(need=1, proximity=1, sector=0, resources=0, willingness=0, continuity=2).normalised()) == [
        0.25,
        0.25,
        0.0,
        0.0,
        0.0,
        0.5,
    ]
    with pytest.raises(ValueError):
        Weights(need=-0.1).normalised()
    with pytest.raises(ValueError):
        Weights(0, 0, 0, 0, 0, 0).normalised()


def test_features_with_the_wrong_shapes_are_refused():
    features = companies({"id": 1})
    with pytest.raises(ValueError):
        score_all(SchoolFeatures(1, 0.9, 0.07, np.ones(6), np.ones(AREAS, dtype=bool)), features, Weights())
    with pytest.raises(ValueError):
        score_all(SchoolFeatures(1, 0.9, 0.07, None, np.ones(AREAS + 1, dtype=bool)), features, Weights())
    with pytest.raises(ValueError):
        CompanyFeatures(
            ids=np.array([1]),
            expertise=np.zeros((1, 7)),
            study_areas=np.zeros((1, 2), dtype=bool),
            resources=np.zeros(1),
            willingness=np.zeros(1),
            capacity=np.ones(1, dtype=np.int64),
            site_lat=np.zeros(1),
            site_lon=np.zeros(1),
            site_start=np.array([1]),
            site_count=np.array([1]),
        )


# Random features: every part in [0, 1], and the vectorised engine equals the loop


@st.composite
def random_case(draw):
    n = draw(st.integers(0, 25))
    areas = draw(st.integers(0, 5))
    unit = st.floats(0, 1)
    counts = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 3)))
    m = int(counts.sum())
    ids = draw(hnp.arrays(np.int64, n, elements=st.integers(1, 10_000), unique=True))
    features = CompanyFeatures(
        ids=ids,
        expertise=draw(hnp.arrays(np.float64, (n, 7), elements=unit)),
        study_areas=draw(hnp.arrays(np.bool_, (n, areas))),
        resources=draw(hnp.arrays(np.float64, n, elements=unit)),
        willingness=draw(hnp.arrays(np.float64, n, elements=unit)),
        capacity=draw(hnp.arrays(np.int64, n, elements=st.integers(0, 3))),
        site_lat=draw(hnp.arrays(np.float64, m, elements=st.floats(-1.5, 1.5))),
        site_lon=draw(hnp.arrays(np.float64, m, elements=st.floats(-3.1, 3.1))),
        site_start=np.cumsum(counts) - counts,
        site_count=counts,
    )
    the_school = SchoolFeatures(
        id=1,
        lat=draw(st.floats(-1.5, 1.5)),
        lon=draw(st.floats(-3.1, 3.1)),
        need=draw(st.none() | hnp.arrays(np.float64, 7, elements=unit)),
        target_areas=draw(hnp.arrays(np.bool_, areas)),
        previous_partners=frozenset(draw(st.lists(st.sampled_from(ids.tolist()), max_size=3)) if n else ()),
    )
    raw = draw(st.lists(st.floats(0, 10), min_size=6, max_size=6).filter(lambda w: sum(w) > 0))
    return the_school, features, Weights(*raw)


@settings(max_examples=100, deadline=None)
@given(random_case())
def test_every_part_and_total_lies_in_zero_one_and_the_vectorised_engine_equals_the_loop(case):
    the_school, features, weights = case

    scores = score_all(the_school, features, weights)

    assert scores.parts.shape == (len(features), 6)
    assert np.all((scores.parts >= 0) & (scores.parts <= 1))
    assert np.all((scores.total >= 0) & (scores.total <= 1))
    assert np.allclose(scores.total, score_one_loop(the_school, features, weights), rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(random_case(), st.integers(0, 6), st.sampled_from([None, 500.0, 3000.0]), st.data())
def test_ranking_is_the_sorted_top_of_the_allowed_companies(case, limit, max_distance, data):
    the_school, features, weights = case
    areas = features.study_areas.shape[1]
    study_area = data.draw(st.none() | st.integers(0, areas - 1)) if areas else None
    excluded = (
        frozenset(data.draw(st.lists(st.sampled_from(list(features.ids)), max_size=3)))
        if len(features)
        else frozenset()
    )

    ranking = rank(
        the_school,
        features,
        weights,
        limit=limit,
        max_distance_km=max_distance,
        study_area=study_area,
        excluded=excluded,
    )

    scores = score_all(the_school, features, weights)
    allowed = [
        r
        for r in range(len(features))
        if features.capacity[r] > 0
        and (max_distance is None or scores.distance_km[r] <= max_distance)
        and (study_area is None or features.study_areas[r, study_area])
        and int(features.ids[r]) not in excluded
    ]
    expected = sorted(allowed, key=lambda r: (-scores.total[r], features.ids[r]))[:limit]
    assert [row.company_id for row in ranking.rows] == [int(features.ids[r]) for r in expected]
    assert len(ranking.excluded) <= limit
    assert {company_id for company_id, _reason in ranking.excluded}.isdisjoint(r.company_id for r in ranking.rows)


# Ranking


def test_ranking_is_sorted_by_total_with_ties_broken_by_company_id_and_is_deterministic():
    same = {"expertise": [1] * 7, "areas": {0}, "sites": [ANTWERPEN]}
    features = companies({"id": 30, **same}, {"id": 10, **same}, {"id": 20, **same}, {"id": 5, "sites": [HASSELT]})

    first = rank(school(need=[0.5] * 7), features, Weights(), limit=3)
    again = rank(school(need=[0.5] * 7), features, Weights(), limit=3)

    assert [row.company_id for row in first.rows] == [10, 20, 30]
    assert first == again
    assert first.rows[0].parts == {
        "need": pytest.approx(1.0),
        "proximity": pytest.approx(1.0),
        "sector": 1.0,
        "resources": 0.5,
        "willingness": 0.5,
        "continuity": 0.0,
    }
    assert first.rows[0].distance_km == pytest.approx(0.0, abs=1e-6)


def test_ranking_of_many_companies_with_ties_equals_a_full_sort():
    rng = np.random.default_rng(3)
    n = 6000
    features = CompanyFeatures(
        ids=rng.permutation(n).astype(np.int64) + 1,
        expertise=np.zeros((n, 7)),
        study_areas=np.zeros((n, AREAS), dtype=bool),
        resources=rng.integers(0, 5, n) / 4,  # few distinct totals: many ties
        willingness=np.zeros(n),
        capacity=np.ones(n, dtype=np.int64),
        site_lat=np.zeros(0),
        site_lon=np.zeros(0),
        site_start=np.zeros(n, dtype=np.int64),
        site_count=np.zeros(n, dtype=np.int64),
    )

    ranking = rank(school(need=None), features, Weights(), limit=25)

    expected = sorted(range(n), key=lambda r: (-features.resources[r], features.ids[r]))[:25]
    assert [row.company_id for row in ranking.rows] == [int(features.ids[r]) for r in expected]


def test_ranking_filters_and_says_why_strong_companies_are_absent():
    strong = {"expertise": [1] * 7, "areas": {0}, "sites": [ANTWERPEN], "resources": 1.0, "willingness": 1.0}
    features = companies(
        {"id": 1, **strong, "capacity": 0},
        {"id": 2, **strong},
        {"id": 3, **strong, "sites": [BRUGGE]},
        {"id": 4, **strong, "areas": {1}},
        {"id": 5, "areas": {0}, "sites": [ANTWERPEN_HAVEN]},
        {"id": 6, "areas": {0}, "sites": [ANTWERPEN_HAVEN], "capacity": 3},
        {"id": 7, "areas": {0}, "sites": [HASSELT]},
    )

    ranking = rank(
        school(need=[1] * 7, areas={0, 1}),
        features,
        Weights(),
        limit=3,
        max_distance_km=40,
        study_area=0,
        excluded=frozenset({2}),
    )

    assert [row.company_id for row in ranking.rows] == [5, 6]  # 7 (Hasselt) is beyond 40 km too
    assert ranking.excluded == (
        (1, "full_capacity"),
        (2, "excluded_pair"),
        (4, "other_study_area"),
    )


def test_exclusion_explanations_are_bounded_by_the_limit_and_name_the_first_reason():
    features = companies(*({"id": i, "capacity": 0, "sites": [BRUGGE]} for i in range(1, 30)))

    ranking = rank(school(), features, Weights(), limit=4, max_distance_km=10, excluded=frozenset({1}))

    assert ranking.rows == ()
    assert ranking.excluded == ((1, "excluded_pair"), (2, "full_capacity"), (3, "full_capacity"), (4, "full_capacity"))


def test_a_company_full_only_because_of_this_schools_own_proposal_stays_in_its_ranking():
    features = companies({"id": 1, "capacity": 0}, {"id": 2, "capacity": 0})

    ranking = rank(school(), features, Weights(), held=frozenset({1}))

    assert [row.company_id for row in ranking.rows] == [1]
    assert ranking.excluded == ((2, "full_capacity"),)


def test_ranking_with_limit_zero_or_larger_than_the_candidates():
    features = companies({"id": 1}, {"id": 2})

    assert rank(school(), features, Weights(), limit=0).rows == ()
    assert [row.company_id for row in rank(school(), features, Weights(), limit=10).rows] == [1, 2]
    with pytest.raises(ValueError):
        rank(school(), features, Weights(), limit=-1)


def test_explain_gives_distance_strongest_element_among_the_weakest_and_matching_areas():
    features = companies({"id": 9, "expertise": [0, 0.5, 1, 1, 0, 0, 0], "areas": {1, 3}, "sites": [GENT, BRUGGE]})
    need = [0.9, 0.8, 0.7, 0.1, 0, 0, 0]  # weakest three: elements 0, 1, 2

    explanation = explain(0, school(at=ANTWERPEN, need=need, areas={0, 1, 3}), features)

    assert explanation.company_id == 9
    assert explanation.distance_km == pytest.approx(float(haversine_km(*rad(ANTWERPEN), *rad(GENT))))
    assert explanation.element == 2  # strongest (1.0) among 0, 1, 2; element 3 is not among the weakest
    assert explanation.study_areas == (1, 3)


def test_explain_without_baseline_or_overlap_names_no_element():
    features = companies({"id": 9, "expertise": [0, 0, 0, 0, 0, 0, 1], "sites": []})

    assert explain(0, school(need=None), features).element is None
    assert explain(0, school(need=[1, 1, 1, 0, 0, 0, 0]), features).element is None
    assert explain(0, school(need=None), features).distance_km == math.inf
    assert explain(0, school(need=None), features).study_areas == ()


def test_sector_with_more_than_64_study_areas_equals_the_loop():
    rng = np.random.default_rng(5)
    n, areas = 40, 70  # beyond one 64-bit word: the engine falls back to a matrix product
    features = CompanyFeatures(
        ids=np.arange(1, n + 1, dtype=np.int64),
        expertise=rng.random((n, 7)),
        study_areas=rng.random((n, areas)) < 0.3,
        resources=rng.random(n),
        willingness=rng.random(n),
        capacity=np.ones(n, dtype=np.int64),
        site_lat=np.zeros(0),
        site_lon=np.zeros(0),
        site_start=np.zeros(n, dtype=np.int64),
        site_count=np.zeros(n, dtype=np.int64),
    )
    target = rng.random(areas) < 0.2
    the_school = SchoolFeatures(id=1, lat=0.9, lon=0.07, need=rng.random(7), target_areas=target)

    scores = score_all(the_school, features, Weights())

    expected = (features.study_areas & target).sum(axis=1) / target.sum()
    assert np.allclose(scores.parts[:, PARTS.index("sector")], expected)
    assert np.allclose(scores.total, score_one_loop(the_school, features, Weights()))
