"""The pure SMART check: per goal and per letter pass, soft warning or hard failure, with a concrete Dutch hint.
No database."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from actionplans.smart import (
    HINTS,
    LETTERS,
    ActionInput,
    Focus,
    GoalInput,
    MilestoneInput,
    Period,
    Severity,
    Status,
    check_goal,
    check_plan,
)

EDITION = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def smart_goal(**overrides) -> GoalInput:
    """A goal that passes every rule, hard and soft."""
    goal = GoalInput(
        id=1,
        title="Meer meisjes kiezen STEM",
        grades=("2",),
        tracks=("transition",),
        programme="STEM-wetenschappen",
        subjects="wiskunde, fysica",
        indicator="leerlingen die het project doorlopen",
        unit="leerlingen",
        baseline_value=Decimal("0"),
        target_value=Decimal("40"),
        fit="Interdisciplinair project met een uitdaging van het bedrijf.",
        owner_school="An Peeters (TAC)",
        owner_company="Jan Janssens",
        company_hours=40,
        company_staff=2,
        material="Sensorkits",
        budget=Decimal("500"),
        start=dt.date(2027, 1, 15),
        end=dt.date(2027, 6, 15),
        elements=(2,),
        criteria=(5,),
        milestones=(MilestoneInput(dt.date(2027, 3, 1), "Script klaar", id=11),),
        actions=(ActionInput("Bedrijfsbezoek", "Jan", dt.date(2027, 2, 1), id=21),),
    )
    return replace(goal, **overrides)


def codes(goal: GoalInput) -> list[tuple[str, str, str]]:
    return [(f.letter, f.severity.value, f.code) for f in check_goal(goal, EDITION).findings]


# --------------------------------------------------------------------------- examples


def test_a_smart_goal_passes_every_letter():
    result = check_goal(smart_goal(), EDITION)
    assert [(r.letter, r.status) for r in result.letters] == [(letter, Status.PASS) for letter in LETTERS]
    assert not result.has_hard_failure


def test_letters_carry_their_dutch_names():
    assert [r.label for r in check_goal(smart_goal(), EDITION).letters] == [
        "Specifiek",
        "Meetbaar",
        "Acceptabel",
        "Realistisch",
        "Tijdsgebonden",
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"grades": ()}, ("S", "hard", "s_no_grade")),
        ({"tracks": (), "programme": "", "subjects": " "}, ("S", "soft", "s_no_programme")),
        ({"indicator": ""}, ("M", "hard", "m_no_indicator")),
        ({"unit": "  "}, ("M", "hard", "m_no_unit")),
        ({"target_value": None}, ("M", "hard", "m_no_target")),
        ({"target_value": Decimal("0")}, ("M", "hard", "m_target_is_baseline")),
        ({"baseline_value": None}, ("M", "soft", "m_no_baseline")),
        ({"elements": (), "criteria": ()}, ("A", "hard", "a_no_link")),
        ({"fit": ""}, ("A", "soft", "a_no_fit")),
        ({"budget": Decimal("-1")}, ("R", "hard", "r_negative")),
        ({"owner_school": ""}, ("R", "soft", "r_no_owner_school")),
        ({"owner_company": ""}, ("R", "soft", "r_no_owner_company")),
        (
            {"company_hours": None, "company_staff": 0, "material": "", "budget": None},
            ("R", "soft", "r_no_resources"),
        ),
        ({"start": None}, ("T", "hard", "t_no_start")),
        ({"end": None}, ("T", "hard", "t_no_end")),
        ({"start": dt.date(2026, 8, 20)}, ("T", "hard", "t_starts_before_edition")),
        (
            {"end": dt.date(2027, 9, 30), "milestones": (MilestoneInput(dt.date(2027, 3, 1), "Script", 11),)},
            ("T", "hard", "t_ends_after_edition"),
        ),
        ({"milestones": ()}, ("T", "soft", "t_no_milestones")),
        ({"focus": Focus(frozenset({1, 3}), frozenset({5}))}, ("A", "soft", "a_outside_focus")),
        ({"focus": Focus(frozenset({2}), frozenset({4}))}, ("A", "soft", "a_outside_focus")),
    ],
)
def test_each_rule_flags_exactly_its_own_problem(overrides, expected):
    assert codes(smart_goal(**overrides)) == [expected]


def test_a_negative_count_is_a_hard_failure_of_measurable():
    assert codes(smart_goal(baseline_value=Decimal("-5"))) == [("M", "hard", "m_negative")]


def test_an_end_before_the_start_is_a_hard_failure_and_names_the_end_date():
    result = check_goal(smart_goal(start=dt.date(2027, 5, 1), end=dt.date(2027, 4, 1), milestones=()), EDITION)
    [end_before_start] = [f for f in result.hard]
    assert (end_before_start.code, end_before_start.field) == ("t_end_before_start", "end")
    assert end_before_start.hint == "Tijdsgebonden: de einddatum ligt voor de startdatum"


def test_a_milestone_after_the_end_date_fails_time_bound_with_a_concrete_hint():
    late = MilestoneInput(dt.date(2027, 7, 1), "Toonmoment voor de ouders", id=12)
    result = check_goal(smart_goal(milestones=(late,)), EDITION)
    assert result.letter("T").status == Status.HARD
    [finding] = result.letter("T").findings
    assert (finding.code, finding.field, finding.item) == ("t_milestone_after_end", "milestones", 12)
    assert finding.hint == "Tijdsgebonden: mijlpaal na de einddatum: Toonmoment voor de ouders (1 juli 2027)"


def test_a_missing_target_value_gives_the_dutch_hint_from_the_issue():
    [finding] = check_goal(smart_goal(target_value=None), EDITION).findings
    assert finding.hint == "Meetbaar: geef een streefwaarde"
    assert finding.field == "target_value"


def test_hints_follow_the_active_language():
    [finding] = check_goal(smart_goal(target_value=None), EDITION).findings
    with translation.override("en"):
        assert finding.hint == "Measurable: give a target value"


def test_actions_without_owner_or_due_date_and_late_actions_are_soft_warnings_that_name_the_action():
    actions = (
        ActionInput("Workshop sensoren", owner="", due=dt.date(2027, 3, 1), id=31),
        ActionInput("Evaluatie", owner="An", due=None, id=32),
        ActionInput("Nabespreking", owner="An", due=dt.date(2027, 7, 1), id=33),
    )
    result = check_goal(smart_goal(actions=actions), EDITION)
    assert not result.has_hard_failure
    assert [(f.code, f.item, f.hint) for f in result.soft] == [
        ("r_action_no_owner", 31, "Realistisch: actie ‘Workshop sensoren’ heeft geen verantwoordelijke"),
        ("t_action_no_due", 32, "Tijdsgebonden: actie ‘Evaluatie’ heeft geen deadline"),
        ("t_action_after_end", 33, "Tijdsgebonden: de deadline van actie ‘Nabespreking’ ligt na de einddatum"),
    ]


def test_soft_warnings_leave_the_letter_soft_and_do_not_block():
    result = check_goal(smart_goal(owner_company="", actions=()), EDITION)
    assert result.letter("R").status == Status.SOFT
    assert [f.code for f in result.soft] == ["r_no_owner_company", "r_no_actions"]
    assert not check_plan([smart_goal(owner_company="")], EDITION).has_hard_failure


def test_an_empty_goal_fails_every_letter_but_realistic_and_names_every_field():
    result = check_goal(GoalInput(id=7, title="Nog in te vullen"), EDITION)
    assert [(r.letter, r.status) for r in result.letters] == [
        ("S", Status.HARD),
        ("M", Status.HARD),
        ("A", Status.HARD),
        ("R", Status.SOFT),
        ("T", Status.HARD),
    ]
    assert {f.field for f in result.hard} == {
        "grades",
        "indicator",
        "unit",
        "target_value",
        "elements",
        "start",
        "end",
        "milestones",
    }


def test_a_goal_without_any_dated_step_fails_time_bound_hard_with_the_dutch_hint():
    """DESIGN.md: Tijdsgebonden is a step plan with dates. Neither a milestone nor an action with a date: hard."""
    result = check_goal(smart_goal(milestones=(), actions=(ActionInput("Evaluatie", "An", None, id=31),)), EDITION)
    assert result.letter("T").status == Status.HARD
    [no_step] = [f for f in result.letter("T").findings if f.is_hard]
    assert (no_step.code, no_step.field) == ("t_no_dated_step", "milestones")
    assert no_step.hint == "Tijdsgebonden: plan minstens één mijlpaal of actie met een datum"


def test_actions_with_dates_without_milestones_stay_a_soft_tip():
    result = check_goal(smart_goal(milestones=()), EDITION)
    assert result.letter("T").status == Status.SOFT
    assert [f.hint for f in result.soft] == ["Tijdsgebonden: voeg mijlpalen met een datum toe (stappenplan)"]


def test_a_link_outside_the_focus_is_a_soft_tip_naming_the_focus_and_none_while_no_focus_is_agreed():
    outside = smart_goal(elements=(2, 6), criteria=(5,), focus=Focus(frozenset({1, 2}), frozenset({4, 5})))
    [finding] = check_goal(outside, EDITION).findings
    assert (finding.letter, finding.severity, finding.field) == ("A", Severity.SOFT, "elements")
    assert finding.hint == "Acceptabel: het doel is gekoppeld aan een sleutelelement of criterium buiten jullie focus"
    assert not check_goal(outside, EDITION).has_hard_failure
    inside = replace(outside, elements=(2,))
    assert check_goal(inside, EDITION).findings == ()
    assert check_goal(replace(outside, focus=None), EDITION).findings == ()  # no focus agreed: anything fits


def test_dates_in_hints_read_as_on_the_page():
    [finding] = check_goal(smart_goal(start=dt.date(2026, 8, 20)), EDITION).findings
    assert finding.hint == "Tijdsgebonden: het doel start voor het begin van de editie (1 september 2026)"


def test_a_plan_without_goals_cannot_pass():
    check = check_plan([], EDITION)
    assert check.has_hard_failure
    assert [f.hint for f in check.findings] == ["Voeg minstens één doel toe"]


def test_the_plan_counts_hard_and_soft_points_over_its_goals():
    check = check_plan([smart_goal(), smart_goal(id=2, unit="", fit=""), smart_goal(id=3, owner_school="")], EDITION)
    assert (check.has_hard_failure, check.hard_count, check.soft_count) == (True, 1, 2)
    assert check.goal(2).has_hard_failure  # type: ignore[union-attr]
    assert not check.goal(3).has_hard_failure  # type: ignore[union-attr]


# --------------------------------------------------------------------------- properties

days = st.integers(min_value=0, max_value=(EDITION.end - EDITION.start).days)
counts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
text = st.text(max_size=20)


@st.composite
def hard_valid_goals(draw: st.DrawFn) -> GoalInput:
    """Goals built to satisfy every hard rule; anything a soft rule looks at is drawn freely."""
    first, second = sorted(draw(st.lists(days, min_size=2, max_size=2)))
    start, end = EDITION.start + dt.timedelta(days=first), EDITION.start + dt.timedelta(days=second)
    baseline = draw(st.one_of(st.none(), counts))
    target = draw(counts.filter(lambda t: t != baseline))
    inside = st.integers(min_value=0, max_value=(end - start).days).map(lambda d: start + dt.timedelta(days=d))
    milestones = draw(st.lists(st.builds(MilestoneInput, inside, text), max_size=4))
    actions = draw(
        st.lists(
            st.builds(
                ActionInput, text, text, st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
            ),
            max_size=4,
        )
    )
    if not milestones and not any(action.due for action in actions):
        milestones = [MilestoneInput(draw(inside), draw(text))]  # a step plan with at least one date
    elements = draw(st.lists(st.integers(1, 7), max_size=3, unique=True))
    criteria = draw(st.lists(st.integers(1, 21), min_size=0 if elements else 1, max_size=3, unique=True))
    return GoalInput(
        id=draw(st.integers(1, 10_000)),
        title=draw(text),
        grades=tuple(draw(st.lists(st.sampled_from(["1", "2", "3", "7"]), min_size=1, max_size=3, unique=True))),
        tracks=tuple(draw(st.lists(st.sampled_from(["a_stream", "transition"]), max_size=2, unique=True))),
        programme=draw(text),
        subjects=draw(text),
        indicator=draw(text.filter(lambda t: t.strip())),
        unit=draw(text.filter(lambda t: t.strip())),
        baseline_value=baseline,
        target_value=target,
        fit=draw(text),
        owner_school=draw(text),
        owner_company=draw(text),
        company_hours=draw(st.one_of(st.none(), st.integers(0, 500))),
        company_staff=draw(st.one_of(st.none(), st.integers(0, 20))),
        material=draw(text),
        budget=draw(st.one_of(st.none(), counts)),
        start=start,
        end=end,
        elements=tuple(elements),
        criteria=tuple(criteria),
        milestones=tuple(milestones),
        actions=tuple(actions),
    )


def optional(strategy):
    return st.one_of(st.none(), strategy)


any_goals = st.builds(
    GoalInput,
    id=optional(st.integers(1, 100)),
    title=text,
    grades=st.lists(st.sampled_from(["1", "2", "3"]), max_size=2).map(tuple),
    indicator=text,
    unit=text,
    baseline_value=optional(st.decimals(-100, 100, places=1)),
    target_value=optional(st.decimals(-100, 100, places=1)),
    company_hours=optional(st.integers(-5, 50)),
    budget=optional(st.decimals(-100, 100, places=1)),
    start=optional(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
    end=optional(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
    elements=st.lists(st.integers(1, 7), max_size=2).map(tuple),
    milestones=st.lists(
        st.builds(MilestoneInput, optional(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))), text), max_size=3
    ).map(tuple),
    actions=st.lists(st.builds(ActionInput, text, text, optional(st.dates())), max_size=3).map(tuple),
)


@given(hard_valid_goals())
def test_a_goal_built_to_satisfy_all_hard_rules_never_fails_hard(goal):
    result = check_goal(goal, EDITION)
    assert not result.has_hard_failure, [f.code for f in result.hard]
    assert not check_plan([goal], EDITION).has_hard_failure


@given(hard_valid_goals(), st.data())
def test_moving_any_milestone_outside_the_goals_period_always_fails_time_bound(goal, data):
    assume(goal.milestones)
    index = data.draw(st.integers(0, len(goal.milestones) - 1))
    assert goal.start is not None and goal.end is not None
    outside = data.draw(
        st.one_of(
            st.integers(1, 400).map(lambda d: goal.start - dt.timedelta(days=d)),
            st.integers(1, 400).map(lambda d: goal.end + dt.timedelta(days=d)),
        )
    )
    milestones = list(goal.milestones)
    milestones[index] = replace(milestones[index], date=outside, id=999_999)
    result = check_goal(replace(goal, milestones=tuple(milestones)), EDITION)
    assert result.letter("T").status == Status.HARD
    moved = [f for f in result.letter("T").findings if f.item == 999_999]
    assert [f.code for f in moved] == ["t_milestone_before_start" if outside < goal.start else "t_milestone_after_end"]
    assert all(letter.status != Status.HARD for letter in result.letters if letter.letter != "T")


@given(hard_valid_goals())
def test_without_any_dated_milestone_or_action_a_goal_always_fails_time_bound(goal):
    undated = tuple(replace(action, due=None) for action in goal.actions)
    result = check_goal(replace(goal, milestones=(), actions=undated), EDITION)
    assert result.letter("T").status == Status.HARD
    assert [f.code for f in result.hard] == ["t_no_dated_step"]


@given(hard_valid_goals(), st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
def test_one_dated_action_is_enough_to_pass_time_bound_without_milestones(goal, due):
    actions = (*goal.actions, ActionInput("Stap", "An", due, id=999_998))
    result = check_goal(replace(goal, milestones=(), actions=actions), EDITION)
    assert result.letter("T").status != Status.HARD


@given(hard_valid_goals())
def test_setting_the_target_to_the_baseline_always_fails_measurable(goal):
    result = check_goal(replace(goal, baseline_value=goal.target_value), EDITION)
    assert [f.code for f in result.hard] == ["m_target_is_baseline"]


@given(any_goals)
def test_results_are_deterministic_and_every_finding_has_a_hint(goal):
    first, second = check_goal(goal, EDITION), check_goal(goal, EDITION)
    assert first == second
    assert [r.letter for r in first.letters] == list(LETTERS)
    for letter in first.letters:
        assert letter.status == (
            Status.HARD
            if any(f.severity == Severity.HARD for f in letter.findings)
            else Status.SOFT
            if letter.findings
            else Status.PASS
        )
        for finding in letter.findings:
            assert finding.letter == letter.letter
            assert finding.code in HINTS
            assert finding.field
            assert finding.hint.startswith(letter.label + ":")


@given(st.lists(any_goals, max_size=4))
def test_a_plan_fails_hard_exactly_when_it_has_no_goals_or_a_goal_fails_hard(goals):
    check = check_plan(goals, EDITION)
    assert check.has_hard_failure == (not goals or any(check_goal(g, EDITION).has_hard_failure for g in goals))
