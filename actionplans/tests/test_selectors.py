"""Reading a plan: everything the plan page shows in a constant number of queries, and its SMART check."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans import selectors, services
from actionplans.models import Action, ActionPlan, Goal, Milestone
from actionplans.tests.factories import active_match, element, fresh, other_plan, smart_goal, with_focus
from partners.tests import factories as f

pytestmark = pytest.mark.django_db


def grow(plan: ActionPlan, *, goals: int, actions_per_goal: int) -> None:
    """Goals with links, milestones and actions, written in bulk (the query count is what is tested here)."""
    created = Goal.objects.bulk_create(
        Goal(plan=plan, order=n, title=f"Doel {n}", grades=["2"], start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 1))
        for n in range(goals)
    )
    for goal in created:
        goal.elements.set([element(2)])
    Milestone.objects.bulk_create(
        Milestone(goal=goal, date=dt.date(2027, 3, 1), description="Tussentijdse stap") for goal in created
    )
    Action.objects.bulk_create(
        Action(goal=goal, title=f"Actie {n}", owner="Jan", due=dt.date(2027, 2, 1))
        for goal in created
        for n in range(actions_per_goal)
    )


def read_everything(user, plan_id: int) -> tuple[int, int, int]:
    """What the plan page reads: the plan, every goal with links, milestones, actions, the check and the rest."""
    plan = selectors.plan_detail_for(user=user, plan_id=plan_id)
    check = selectors.plan_check(plan)
    goals = selectors.goals_with_checks(plan)
    actions = 0
    for row in goals:
        _ = ([e.label for e in row.goal.elements.all()], [str(c) for c in row.goal.criteria.all()])
        _ = [str(m) for m in row.goal.milestones.all()]
        actions += len(row.goal.actions.all())
    _ = (
        plan.participation.school.region.name,
        plan.participation.edition.plan_deadline,
        plan.match.company.name,
        [str(s) for s in plan.cool_steps.all()],
        [m.name for m in plan.team_members.all()],
        [p.name for p in plan.stem_projects.all()],
        [(s.name, s.user) for s in plan.signatures.all()],
        [(c.text, c.author) for c in plan.comments.all()],
        [(e.action, e.by) for e in plan.events.all()],
    )
    return len(goals), actions, check.hard_count


def test_the_plan_page_reads_10_goals_and_50_actions_in_as_many_queries_as_1_goal(
    world, plan, school_user, django_assert_num_queries
):
    adviser = world.users["adviser"]
    adviser.active_memberships  # noqa: B018 -- loaded once per request, outside what is counted
    small = other_plan(world)
    grow(small, goals=1, actions_per_goal=1)
    grow(plan, goals=10, actions_per_goal=5)
    services.comment_add(plan=plan, by=adviser, text="Denk aan de evaluatie.")

    with django_assert_num_queries(13) as one:
        assert read_everything(adviser, small.pk)[:2] == (1, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        assert read_everything(adviser, plan.pk)[:2] == (10, 50)


def read_page(user, plan_id: int) -> tuple[int, int, int, int]:
    """What the plan page itself reads: the parties, every goal with links, milestones and actions, the check once
    (with the school's focus), and the number of signatures."""
    plan = selectors.plan_page_for(user=user, plan_id=plan_id)
    check = selectors.plan_check(plan)
    goals = selectors.goals_with_checks(plan, check)
    actions = 0
    for row in goals:
        _ = ([e.label for e in row.goal.elements.all()], [str(c) for c in row.goal.criteria.all()])
        _ = [str(m) for m in row.goal.milestones.all()]
        actions += len(row.goal.actions.all())
    _ = (plan.participation.school.region.name, plan.participation.edition.plan_deadline, plan.match.company.name)
    return len(goals), actions, check.hard_count, len(plan.signatures.all())


def test_the_plan_page_selector_reads_neither_comments_nor_the_history_and_stays_constant(
    world, plan, school_user, company_user, django_assert_num_queries
):
    adviser = world.users["adviser"]
    adviser.active_memberships  # noqa: B018 -- loaded once per request, outside what is counted
    small = other_plan(world)
    grow(small, goals=1, actions_per_goal=1)
    grow(plan, goals=10, actions_per_goal=5)
    goal = Goal.objects.filter(plan=plan).first()
    for number in range(5):  # history that the page does not need
        services.goal_update(
            goal=goal, by=school_user, version=fresh(plan).version, data={"unit": f"leerlingen {number}"}
        )
    services.comment_add(plan=plan, by=adviser, text="Denk aan de evaluatie.")

    with django_assert_num_queries(8) as one:
        assert read_page(adviser, small.pk)[:2] == (1, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        assert read_page(adviser, plan.pk)[:2] == (10, 50)
    read = " ".join(query["sql"] for query in one.captured_queries)
    assert "actionplans_comment" not in read and "actionplans_planevent" not in read


def test_the_plan_page_selector_keeps_the_scope(world, plan):
    for role in ("other_school", "adviser_other_region", "juror"):
        with pytest.raises(ActionPlan.DoesNotExist):
            selectors.plan_page_for(user=world.users[role], plan_id=plan.pk)
    assert selectors.plan_page_for(user=world.users["company"], plan_id=plan.pk) == plan


def test_the_check_of_a_loaded_plan_matches_its_goals(plan, school_user):
    with_focus(plan, 1, 2)
    good = smart_goal(plan, school_user)
    services.goal_add(plan=plan, by=school_user, data={"title": "Nog in te vullen"})
    loaded = selectors.plan_with_details(plan_id=plan.pk)
    rows = selectors.goals_with_checks(loaded)
    assert [(row.goal.title, row.check.has_hard_failure) for row in rows] == [
        (good.title, False),
        ("Nog in te vullen", True),
    ]
    assert [f.hint for f in rows[1].check.for_field("target_value")] == ["Meetbaar: geef een streefwaarde"]


def test_the_plan_list_counts_goals_and_signatures_without_a_query_per_plan(world, plan, django_assert_num_queries):
    coordinator = world.users["coordinator"]
    coordinator.active_memberships  # noqa: B018
    other_plan(world)
    grow(plan, goals=3, actions_per_goal=1)
    with django_assert_num_queries(1):
        rows = [
            (p.participation.school.name, p.match.company.name, p.goal_count)
            for p in selectors.plans_for(user=coordinator)
        ]
    assert sorted(rows) == [
        ("GO! Koninklijk Atheneum Antwerpen", "BASF Antwerpen", 3),
        ("Technicum Antwerpen", "Umicore", 0),
    ]


def test_the_plan_list_is_ordered_newest_edition_first_then_by_school(world):
    technicum = other_plan(world)  # created first, but sorts after "GO! ..."
    atheneum = services.plan_get_or_create(
        match=active_match(world.school, world.company, world.edition), by=world.users["own_school"]
    )
    later = f.EditionFactory(year=2027)
    f.ParticipationFactory(edition=later, school=world.far_school)
    next_year = services.plan_get_or_create(
        match=active_match(world.far_school, world.other_company, later), by=world.users["coordinator"]
    )
    plans = selectors.plans_for(user=world.users["coordinator"])
    assert list(plans) == [next_year, atheneum, technicum]
    assert plans.ordered


def test_history_fields_have_readable_dutch_names():
    assert selectors.field_label("goal", "target_value") == "streefwaarde"
    assert selectors.field_label("plan", "contribution_hours") == "uren die het bedrijf dit schooljaar inzet"
    assert selectors.field_label("goal", "added") == "added"


def test_plans_with_checks_flag_links_outside_each_schools_focus_in_a_constant_number_of_queries(
    world, plan, school_user
):
    smart_goal(plan, school_user, elements=[element(6).pk], criteria=[])
    with_focus(plan, 1, 2)
    with CaptureQueriesContext(connection) as one:
        [(_plan, check)] = selectors.plans_with_checks(ActionPlan.objects.filter(pk=plan.pk))
    assert [f.code for g in check.goals for f in g.soft] == ["a_outside_focus"]

    for school, company in ((world.other_school, world.other_company), (world.far_school, world.company)):
        more = services.plan_get_or_create(match=active_match(school, company, world.edition), by=None)
        smart_goal(more, school_user, elements=[element(6).pk], criteria=[])
        with_focus(more, 6)  # here element 6 is the focus
    with CaptureQueriesContext(connection) as three:
        rows = selectors.plans_with_checks(ActionPlan.objects.order_by("pk"))
    assert [[f.code for g in c.goals for f in g.soft] for _p, c in rows] == [["a_outside_focus"], [], []]
    assert len(three) == len(one)
