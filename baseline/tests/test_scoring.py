"""The pure scoring module: element and overall scores, the indicative label level and growth. No database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baseline.framework_data import CRITERIA
from baseline.scale import MAX_LEVEL
from baseline.scoring import (
    COMPETENT,
    EXPERT,
    LABEL_LEVELS,
    NO_LABEL,
    PROFICIENT,
    Growth,
    Rating,
    ScoreCard,
    Thresholds,
    growth,
    indicative_level,
    score,
)

#: criterion number -> key element number, as in the STEM School Label framework (21 criteria, 7 elements).
ELEMENT_OF = {number: element for number, element, *_rest in CRITERIA}
DEFAULT = Thresholds()

levels = st.one_of(st.none(), st.integers(min_value=0, max_value=MAX_LEVEL))
percentages = st.floats(min_value=0, max_value=100, allow_nan=False)
thresholds = st.lists(percentages, min_size=3, max_size=3).map(sorted).map(lambda t: Thresholds(*t))


@st.composite
def ratings(draw: st.DrawFn, *, measured: bool | None = True) -> list[Rating]:
    """Ratings of distinct criteria of the framework; `measured=None` draws a mix of measured and unmeasured."""
    criteria = draw(st.lists(st.sampled_from(sorted(ELEMENT_OF)), unique=True, max_size=len(ELEMENT_OF)))
    return [
        Rating(
            criterion=number,
            element=ELEMENT_OF[number],
            level=draw(levels),
            measured=draw(st.booleans()) if measured is None else measured,
        )
        for number in criteria
    ]


def every_criterion(level: int | None) -> list[Rating]:
    return [Rating(number, element, level) for number, element in ELEMENT_OF.items()]


def level_rank(level: str) -> int:
    return LABEL_LEVELS.index(level)


# --------------------------------------------------------------------------- examples


def test_every_criterion_embedded_scores_two_thirds_and_is_proficient_with_default_thresholds():
    card = score(every_criterion(2), DEFAULT)
    assert (card.points, card.max_points, card.percentage, card.level) == (42, 63, 66.7, PROFICIENT)
    assert [(e.element, e.points, e.max_points, e.percentage) for e in card.elements] == [
        (1, 6, 9, 66.7),
        (2, 6, 9, 66.7),
        (3, 4, 6, 66.7),
        (4, 6, 9, 66.7),
        (5, 6, 9, 66.7),
        (6, 10, 15, 66.7),
        (7, 4, 6, 66.7),
    ]


def test_an_unrated_measurement_has_no_percentage_no_label_and_no_progress():
    card = score(every_criterion(None), DEFAULT)
    assert (card.points, card.max_points, card.percentage, card.level) == (0, 0, None, NO_LABEL)
    assert (card.answered, card.measured, card.progress) == (0, 21, 0.0)
    assert all(e.percentage is None for e in card.elements)


def test_progress_is_the_share_of_measured_criteria_with_a_level():
    rated = [Rating(1, 1, 3), Rating(2, 1, None), Rating(3, 1, None), Rating(4, 2, 0, measured=False)]
    card = score(rated, DEFAULT)
    assert (card.answered, card.measured, card.progress) == (1, 3, 33.3)
    assert card.element(1).percentage == 100.0  # type: ignore[union-attr]
    assert card.element(2) is None


def test_elements_without_measured_criteria_are_reported_when_asked_for_with_no_percentage():
    card = score([Rating(1, 1, 2)], DEFAULT, elements=[1, 2, 3])
    assert [(e.element, e.max_points, e.percentage) for e in card.elements] == [
        (1, 3, 66.7),
        (2, 0, None),
        (3, 0, None),
    ]


def test_a_rating_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside"):
        Rating(1, 1, MAX_LEVEL + 1)
    with pytest.raises(ValueError, match="outside"):
        Rating(1, 1, -1)


@pytest.mark.parametrize("values", [(60, 40, 80), (40, 80, 60), (40, 60, 101), (-1, 60, 80)])
def test_thresholds_must_rise_within_zero_and_hundred(values):
    with pytest.raises(ValueError, match="rise"):
        Thresholds(*values)


def test_indicative_level_reaches_a_level_exactly_at_its_threshold():
    assert [indicative_level(p, DEFAULT) for p in (39.9, 40, 59.9, 60, 79.9, 80, 100)] == [
        NO_LABEL,
        COMPETENT,
        COMPETENT,
        PROFICIENT,
        PROFICIENT,
        EXPERT,
        EXPERT,
    ]
    assert indicative_level(None, DEFAULT) == NO_LABEL


def test_growth_per_element_with_a_missing_side_has_no_delta():
    before = score([Rating(1, 1, 1), Rating(4, 2, 2)], DEFAULT)
    after = score([Rating(1, 1, 3), Rating(7, 3, 1)], DEFAULT)
    assert growth(before, after) == (Growth(1, 33.3, 100.0), Growth(2, 66.7, None), Growth(3, None, 33.3))
    assert [g.delta for g in growth(before, after)] == [66.7, None, None]


# --------------------------------------------------------------------------- properties


@given(st.data(), ratings(), thresholds)
def test_raising_the_level_of_a_rated_criterion_never_lowers_its_element_or_the_overall_score(data, rated, limits):
    raisable = [i for i, r in enumerate(rated) if r.level is not None and r.level < MAX_LEVEL]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    old = rated[i]
    new_level = data.draw(st.integers(min_value=old.level + 1, max_value=MAX_LEVEL))  # type: ignore[operator]
    raised = [*rated[:i], Rating(old.criterion, old.element, new_level), *rated[i + 1 :]]
    before, after = score(rated, limits), score(raised, limits)
    element_before, element_after = before.element(old.element), after.element(old.element)
    assert element_before is not None and element_after is not None
    assert element_after.points > element_before.points
    assert element_after.percentage >= element_before.percentage  # type: ignore[operator]
    assert after.percentage >= before.percentage  # type: ignore[operator]
    assert level_rank(after.level) >= level_rank(before.level)


@given(ratings(), ratings(measured=False), thresholds)
def test_unmeasured_criteria_never_count(measured, unmeasured, limits):
    measured_numbers = {r.criterion for r in measured}
    extra = [r for r in unmeasured if r.criterion not in measured_numbers]
    assert score([*measured, *extra], limits) == score(measured, limits)
    assert score(extra, limits) == ScoreCard(
        elements=(), points=0, max_points=0, answered=0, measured=0, level=NO_LABEL
    )


@given(ratings(measured=None), thresholds)
def test_percentages_stay_within_zero_and_hundred(rated, limits):
    card = score(rated, limits)
    for value in [card.percentage, card.progress, *(e.percentage for e in card.elements)]:
        assert value is None or 0 <= value <= 100


@given(ratings(), thresholds)
def test_unrated_criteria_count_in_neither_points_nor_maximum(rated, limits):
    card = score(rated, limits)
    rated_only = score([r for r in rated if r.level is not None], limits)
    assert (card.points, card.max_points, card.percentage, card.level) == (
        rated_only.points,
        rated_only.max_points,
        rated_only.percentage,
        rated_only.level,
    )
    assert card.max_points == MAX_LEVEL * card.answered
    assert card.measured == len(rated)
    for element in card.elements:
        assert element.max_points == MAX_LEVEL * element.answered
        assert element.points == sum(r.level or 0 for r in rated if r.element == element.element)


@given(percentages, percentages, thresholds)
def test_indicative_level_never_falls_as_the_percentage_rises(a, b, limits):
    low, high = sorted((a, b))
    assert level_rank(indicative_level(low, limits)) <= level_rank(indicative_level(high, limits))


@given(thresholds)
def test_each_level_starts_exactly_at_its_threshold(limits):
    for threshold, level in [(limits.competent, COMPETENT), (limits.proficient, PROFICIENT), (limits.expert, EXPERT)]:
        assert level_rank(indicative_level(threshold, limits)) >= level_rank(level)
        below = math.nextafter(threshold, -math.inf)
        if threshold > 0:
            assert level_rank(indicative_level(below, limits)) < level_rank(level)
    assert indicative_level(limits.expert, limits) == EXPERT


@given(percentages, percentages, percentages)
def test_thresholds_are_accepted_only_when_they_rise(a, b, c):
    if a <= b <= c:
        assert Thresholds(a, b, c) == Thresholds(competent=a, proficient=b, expert=c)
    else:
        with pytest.raises(ValueError, match="rise"):
            Thresholds(a, b, c)


@given(ratings(), ratings(), thresholds)
def test_growth_delta_is_after_minus_before_for_every_element_of_either_side(rated_before, rated_after, limits):
    before, after = score(rated_before, limits), score(rated_after, limits)
    rows = growth(before, after)
    assert [g.element for g in rows] == sorted({e.element for e in before.elements + after.elements})
    for row in rows:
        b, a = before.element(row.element), after.element(row.element)
        assert row.before == (b.percentage if b else None)
        assert row.after == (a.percentage if a else None)
        if row.before is None or row.after is None:
            assert row.delta is None
        else:
            assert row.delta == round(row.after - row.before, 1)


@given(st.data(), ratings(measured=None), thresholds)
def test_elements_come_in_framework_order_whatever_the_order_of_the_ratings(data, rated, limits):
    shuffled = data.draw(st.permutations(rated))
    card = score(shuffled, limits)
    assert card == score(rated, limits)
    numbers = [e.element for e in card.elements]
    assert numbers == sorted(set(numbers))
