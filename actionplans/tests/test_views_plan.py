"""The plan pages as each role notices them: the list, starting a plan, the plan page with its goals, milestones and
actions edited in place (SMART check on every save, stale saves refused without losing what was typed), the history,
the menu entry and the dashboard's calls to action."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import Action, ActionPlan, Goal, Milestone
from actionplans.tests.factories import (
    BEFORE_DEADLINE,
    active_match,
    criterion,
    element,
    fresh,
    other_plan,
    signed_plan,
    smart_goal,
    smart_goal_data,
    submitted_plan,
    with_focus,
)
from actionplans.tests.html import form_values
from partners.tests import factories as f
from partners.tests.roles import check_role_matrix, client_for

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(name: str, *args: Any) -> str:
    return reverse(f"actionplans:{name}", args=args)


def form_data(data: dict[str, Any], version: int) -> dict[str, Any]:
    """What the browser sends for goal fields: lists stay lists, dates ISO, numbers as text, None as empty."""
    posted: dict[str, Any] = {"version": str(version)}
    for name, value in data.items():
        if value is None:
            posted[name] = ""
        elif isinstance(value, list):
            posted[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            posted[name] = value.isoformat()
        else:
            posted[name] = str(value)
    return posted


def text(response) -> str:
    """The visible text of a response, whitespace collapsed (tags removed, entities such as &#x27; read back)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def submitted_plan_now(plan: ActionPlan, school_user, company_user) -> ActionPlan:
    """Both sides sign the plan as it is and it is submitted (its goals pass the SMART check)."""
    signed_plan(plan, school_user, company_user)
    return services.plan_submit(plan=fresh(plan), by=company_user, today=BEFORE_DEADLINE)


@pytest.fixture
def focused(plan):
    """The plan of the world's school, whose baseline agreed on key elements 1 and 2 as focus."""
    return with_focus(plan, 1, 2)


# --------------------------------------------------------------------------- the list


def test_plan_list_role_matrix(world, plan):
    check_role_matrix(
        world,
        lambda client: client.get(url("plan-list")),
        {
            "anonymous": 302,
            "other_school": 200,  # what comes first: no match yet
            "own_school": 302,  # straight to the own plan
            "company": 302,
            "adviser_other_region": 200,
            "adviser": 200,
            "juror": 200,
            "juror_with_conflict": 200,
            "coordinator": 200,
        },
    )


def test_school_and_company_members_go_straight_to_their_plan(world, plan, school_user, company_user):
    other_plan(world)
    for user in (school_user, company_user):
        response = client_for(user).get(url("plan-list"))
        assert response.status_code == 302
        assert response["Location"] == url("plan-detail", plan.pk)


def test_adviser_sees_the_plans_of_their_region_with_goals_signatures_and_smart_summary(world, focused, school_user):
    smart_goal(focused, school_user)
    services.goal_add(plan=focused, by=school_user, data={"title": "Nog vaag doel"})
    far = active_match(world.far_school, world.other_company, world.edition)
    services.plan_get_or_create(match=far, by=f.coordinator())

    response = client_for(world.users["adviser"]).get(url("plan-list"))

    rows = response.context["rows"]
    assert [plan.participation.school for plan, _check in rows] == [world.school]
    plan, check = rows[0]
    assert (plan.goal_count, plan.signature_count, check.hard_count) == (2, 0, 8)
    page = text(response)
    assert "GO! Koninklijk Atheneum Antwerpen" in page
    assert "BASF Antwerpen" in page
    assert "8 knelpunten" in page
    assert "30 april 2027" in page
    assert "Katholiek Secundair Onderwijs Mol" not in page


def test_adviser_of_another_region_and_jurors_see_no_draft_plans(world, plan):
    for role in ("adviser_other_region", "juror", "juror_with_conflict"):
        response = client_for(world.users[role]).get(url("plan-list"))
        assert response.context["rows"] == []
    assert "Er werd in deze editie nog geen actieplan ingediend." in text(
        client_for(world.users["juror"]).get(url("plan-list"))
    )


def test_jurors_see_submitted_plans_only(world, plan, school_user, company_user):
    submitted_plan(plan, school_user, company_user)
    other_plan(world)  # a draft of the other school
    response = client_for(world.users["juror"]).get(url("plan-list"))
    assert [p for p, _check in response.context["rows"]] == [plan]


def test_the_coordinator_sees_every_plan_and_the_active_matches_without_one(world, plan):
    active_match(world.other_school, world.other_company, world.edition)
    response = client_for(world.users["coordinator"]).get(url("plan-list"))
    assert [p for p, _check in response.context["rows"]] == [plan]
    assert [m.participation.school for m in response.context["without_plan"]] == [world.other_school]
    assert "Technicum Antwerpen – Umicore" in text(response)


def test_a_school_without_an_active_match_is_told_what_comes_first(world):
    response = client_for(world.users["own_school"]).get(url("plan-list"))
    page = text(response)
    assert "Eerst komt de nulmeting met je Voka-adviseur" in page
    assert "Start het actieplan" not in page


def test_a_school_with_an_active_match_and_no_plan_can_start_it(world, match, school_user):
    response = client_for(school_user).get(url("plan-list"))
    assert [row.match for row in response.context["member_rows"]] == [match]
    assert "Start het actieplan" in text(response)

    started = client_for(school_user).post(url("plan-start", match.pk))

    plan = ActionPlan.objects.get()
    assert (plan.match, started["Location"]) == (match, url("plan-detail", plan.pk))


def test_starting_a_plan_role_matrix(world, match):
    check_role_matrix(
        world,
        lambda client: client.post(url("plan-start", match.pk)),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 302,
            "company": 302,
            "adviser_other_region": 404,
            "adviser": 403,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 403,
        },
    )
    assert ActionPlan.objects.count() == 1


def test_the_plan_list_reads_many_plans_in_a_constant_number_of_queries(world, plan, school_user):
    coordinator = client_for(world.users["coordinator"])
    coordinator.get(url("plan-list"))  # warm the session
    smart_goal(with_focus(plan, 1, 2), school_user)
    with CaptureQueriesContext(connection) as one:
        coordinator.get(url("plan-list"))
    for school, company in ((world.other_school, world.other_company), (world.far_school, world.company)):
        more = services.plan_get_or_create(match=active_match(school, company, world.edition), by=None)
        smart_goal(with_focus(more, 1, 2), school_user)
        services.goal_add(plan=more, by=school_user, data={"title": "Tweede doel"})
    with CaptureQueriesContext(connection) as three:
        response = coordinator.get(url("plan-list"))
    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


# --------------------------------------------------------------------------- the plan page


def test_plan_page_role_matrix_while_a_draft(world, plan):
    other_plan(world)
    check_role_matrix(
        world,
        lambda client: client.get(url("plan-detail", plan.pk)),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 200,
            "company": 200,
            "adviser_other_region": 404,
            "adviser": 200,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 200,
        },
    )


def test_a_company_sees_only_the_plans_of_its_own_matches(world, plan, company_user):
    theirs = other_plan(world)
    client = client_for(company_user)
    assert client.get(url("plan-detail", theirs.pk)).status_code == 404
    assert client.get(url("plan-history", theirs.pk)).status_code == 404
    assert client.get(url("plan-detail", plan.pk)).status_code == 200


def test_the_plan_page_shows_goals_with_smart_verdict_per_letter_milestones_actions_and_header(
    world, focused, school_user
):
    goal = smart_goal(focused, school_user)
    services.goal_add(plan=focused, by=school_user, data={"title": "Meer meisjes in STEM", "grades": ["1"]})

    response = client_for(school_user).get(url("plan-detail", focused.pk))

    page = text(response)
    assert "GO! Koninklijk Atheneum Antwerpen" in page and "BASF Antwerpen" in page
    assert "STEMpact 2026-2027" in page
    assert "Concept" in page
    assert "Deadline: 30 april 2027" in page
    assert "Versie" not in page  # the status line says who changed the plan last instead
    assert re.search(
        rf"Laatst gewijzigd door {re.escape(str(school_user))} op \d{{1,2}} \w+ 2\d{{3}} \d{{1,2}}:\d\d", page
    )
    assert "Script van het project klaar" in page  # the milestone
    assert "Bedrijfsbezoek met de leerkrachten" in page and "Jan Janssens" in page  # the action and its owner
    cards = response.context["cards"]
    assert [c.goal.title for c in cards] == [goal.title, "Meer meisjes in STEM"]
    assert [r.status for r in cards[0].check.letters] == ["pass"] * 5
    assert [r.status for r in cards[1].check.letters] == ["soft", "hard", "hard", "soft", "hard"]
    assert "Meetbaar: geef een streefwaarde" in page
    assert "Acceptabel: koppel het doel aan een sleutelelement of criterium uit jullie focus" in page
    assert "Realistisch: plan minstens één actie" in page  # a soft hint stays visible
    assert "Doel bewerken" in page and "Een doel toevoegen" in page


def test_the_plan_page_shows_the_learning_network_attendance(world, plan):
    from actionplans.models import Attendance, LearningNetworkSession

    session = LearningNetworkSession.objects.create(
        edition=world.edition,
        region=world.school.region,
        kind=LearningNetworkSession.Kind.METHOD,
        date=dt.date(2027, 1, 20),
        place="Voka Antwerpen",
    )
    Attendance.objects.create(session=session, participation=plan.participation, present=True)
    response = client_for(world.users["adviser"]).get(url("plan-detail", plan.pk))
    page = text(response)
    assert "Methodiek" in page and "Voka Antwerpen" in page
    assert (response.context["school_sessions"], response.context["company_sessions"]) == (1, 0)


def test_advisers_and_coordinators_read_the_plan_without_edit_controls(world, focused, school_user):
    smart_goal(focused, school_user)
    for role in ("adviser", "coordinator"):
        page = text(client_for(world.users[role]).get(url("plan-detail", focused.pk)))
        assert "Je leest dit actieplan." in page
        assert "Doel bewerken" not in page and "Een doel toevoegen" not in page


def test_a_juror_reads_a_submitted_plan_without_edit_controls_nor_history(world, plan, school_user, company_user):
    submitted_plan(plan, school_user, company_user)
    juror = client_for(world.users["juror"])
    page = juror.get(url("plan-detail", plan.pk))
    assert page.status_code == 200
    assert "Ingediend" in text(page)
    assert "Doel bewerken" not in text(page)
    assert "Geschiedenis" not in text(page)
    assert juror.get(url("plan-history", plan.pk)).status_code == 403


def test_the_plan_page_uses_the_same_number_of_queries_for_one_and_ten_goals(world, focused, school_user):
    client = client_for(school_user)
    smart_goal(focused, school_user)
    client.get(url("plan-detail", focused.pk))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(url("plan-detail", focused.pk))
    for n in range(9):
        goal = smart_goal(focused, school_user, title=f"Doel {n}")
        for k in range(4):
            services.action_add(goal=goal, by=school_user, data={"title": f"Actie {k}", "owner": "An"})
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url("plan-detail", focused.pk))
    assert len(response.context["cards"]) == 10
    assert len(ten) == len(one)


# --------------------------------------------------------------------------- writing: who may


def _goal(plan: ActionPlan, by) -> Goal:
    return services.goal_add(plan=fresh(plan), by=by, data={"title": "Doel om te wijzigen"})


def _milestone(plan: ActionPlan, by) -> Milestone:
    goal = _goal(plan, by)
    return services.milestone_add(goal=goal, by=by, data={"date": "2027-03-01", "description": "Tussenstap"})


def _action(plan: ActionPlan, by) -> Action:
    goal = _goal(plan, by)
    return services.action_add(goal=goal, by=by, data={"title": "Bedrijfsbezoek"})


def write_requests(plan: ActionPlan, by) -> dict[str, Any]:
    """Each write of the plan page: a function of a client that makes a valid request (on fresh items)."""
    version = lambda: fresh(plan).version  # noqa: E731 -- read at request time

    return {
        "goal-add": lambda c: c.post(url("goal-add", plan.pk), {"title": "Nieuw doel", "version": version()}),
        "goal-edit": lambda c: c.post(
            url("goal-edit", plan.pk, _goal(plan, by).pk), {"title": "Gewijzigd", "version": version()}
        ),
        "goal-remove": lambda c: c.post(url("goal-remove", plan.pk, _goal(plan, by).pk), {"version": version()}),
        "milestone-add": lambda c: c.post(
            url("milestone-add", plan.pk, _goal(plan, by).pk),
            {"date": "2027-03-01", "description": "Stap", "version": version()},
        ),
        "milestone-edit": lambda c: c.post(
            url("milestone-edit", plan.pk, _milestone(plan, by).pk),
            {"date": "2027-03-02", "description": "Stap", "version": version()},
        ),
        "milestone-remove": lambda c: c.post(
            url("milestone-remove", plan.pk, _milestone(plan, by).pk), {"version": version()}
        ),
        "action-add": lambda c: c.post(
            url("action-add", plan.pk, _goal(plan, by).pk), {"title": "Actie", "status": "todo", "version": version()}
        ),
        "action-edit": lambda c: c.post(
            url("action-edit", plan.pk, _action(plan, by).pk),
            {"title": "Actie", "status": "done", "version": version()},
        ),
        "action-remove": lambda c: c.post(url("action-remove", plan.pk, _action(plan, by).pk), {"version": version()}),
    }


WRITES = [
    "goal-add",
    "goal-edit",
    "goal-remove",
    "milestone-add",
    "milestone-edit",
    "milestone-remove",
    "action-add",
    "action-edit",
    "action-remove",
]


@pytest.mark.parametrize("write", WRITES)
def test_writes_role_matrix_on_a_draft(world, plan, school_user, write):
    request = write_requests(plan, school_user)[write]
    check_role_matrix(
        world,
        request,
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 302,  # saved, back to the plan page
            "company": 302,
            "adviser_other_region": 404,
            "adviser": 403,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 403,
        },
    )


@pytest.mark.parametrize(
    "form", ["goal-add", "goal-edit", "milestone-add", "milestone-edit", "action-add", "action-edit"]
)
def test_opening_a_form_role_matrix(world, plan, school_user, form):
    goal = _goal(plan, school_user)
    milestone = services.milestone_add(goal=goal, by=school_user, data={"date": "2027-03-01", "description": "Stap"})
    action = services.action_add(goal=goal, by=school_user, data={"title": "Actie"})
    target = {
        "goal-add": url("goal-add", plan.pk),
        "goal-edit": url("goal-edit", plan.pk, goal.pk),
        "milestone-add": url("milestone-add", plan.pk, goal.pk),
        "milestone-edit": url("milestone-edit", plan.pk, milestone.pk),
        "action-add": url("action-add", plan.pk, goal.pk),
        "action-edit": url("action-edit", plan.pk, action.pk),
    }[form]
    check_role_matrix(
        world,
        lambda client: client.get(target, headers=HTMX),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 200,
            "company": 200,
            "adviser_other_region": 404,
            "adviser": 403,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 403,
        },
    )


@pytest.mark.parametrize("write", WRITES)
def test_a_submitted_plan_cannot_be_written_by_anyone(world, plan, school_user, company_user, write):
    submitted = submitted_plan(plan, school_user, company_user)
    goal = submitted.goals.get()
    milestone, action = goal.milestones.get(), goal.actions.get()
    version = submitted.version
    target = {
        "goal-add": (url("goal-add", plan.pk), {"title": "Nieuw"}),
        "goal-edit": (url("goal-edit", plan.pk, goal.pk), {"title": "Gewijzigd"}),
        "goal-remove": (url("goal-remove", plan.pk, goal.pk), {}),
        "milestone-add": (url("milestone-add", plan.pk, goal.pk), {"date": "2027-03-01", "description": "Stap"}),
        "milestone-edit": (url("milestone-edit", plan.pk, milestone.pk), {"date": "2027-03-02", "description": "S"}),
        "milestone-remove": (url("milestone-remove", plan.pk, milestone.pk), {}),
        "action-add": (url("action-add", plan.pk, goal.pk), {"title": "Actie", "status": "todo"}),
        "action-edit": (url("action-edit", plan.pk, action.pk), {"title": "Actie", "status": "done"}),
        "action-remove": (url("action-remove", plan.pk, action.pk), {}),
    }[write]
    check_role_matrix(
        world,
        lambda client: client.post(target[0], {**target[1], "version": version}),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 403,
            "company": 403,
            "adviser_other_region": 404,
            "adviser": 403,
            "juror": 403,
            "juror_with_conflict": 403,
            "coordinator": 403,
        },
    )
    assert fresh(plan).version == version
    assert (Goal.objects.count(), Milestone.objects.count(), Action.objects.count()) == (1, 1, 1)


def test_saving_a_goal_into_a_plan_submitted_meanwhile_keeps_the_form_and_says_why(focused, school_user, company_user):
    goal = smart_goal(focused, school_user)
    opened = fresh(focused).version
    signed_plan(focused, school_user, company_user)
    services.plan_submit(plan=fresh(focused), by=company_user, today=BEFORE_DEADLINE)
    plan = fresh(focused)
    assert plan.is_locked

    response = client_for(school_user).post(
        url("goal-edit", plan.pk, goal.pk), {"title": "Wat ik net typte", "version": opened}, headers=HTMX
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Dit actieplan is ingediend en vergrendeld. Er werd niets opgeslagen." in page
    assert 'value="Wat ik net typte"' in page
    assert Goal.objects.get(pk=goal.pk).title == goal.title


# --------------------------------------------------------------------------- writing: what happens


def test_adding_a_goal_with_htmx_answers_the_goal_with_its_smart_check_in_dutch(focused, school_user):
    data = smart_goal_data(target_value=None, grades=[], start=dt.date(2026, 8, 1))
    response = client_for(school_user).post(url("goal-add", focused.pk), form_data(data, focused.version), headers=HTMX)

    assert response.status_code == 200
    goal = Goal.objects.get()
    assert (goal.title, goal.target_value, goal.grades) == (data["title"], None, [])
    assert [e.pk for e in goal.elements.all()] == [element(2).pk]
    assert [c.pk for c in goal.criteria.all()] == [criterion(5).pk]
    page = text(response)
    assert f'id="goal-{goal.pk}"' in response.content.decode()
    assert "Specifiek: kies voor welke graad het doel is" in page
    assert "Meetbaar: geef een streefwaarde" in page
    assert "Tijdsgebonden: het doel start voor het begin van de editie (1 september 2026)" in page
    assert "Tijdsgebonden: plan minstens één mijlpaal of actie met een datum" in page
    # the plan's status line and the add button come along
    assert re.search(r'<div id="plan-status"[^>]*hx-swap-oob="true"', response.content.decode())
    assert "4 knelpunten blokkeren de ondertekening" in page
    assert 'id="goal-new"' in response.content.decode()


def test_saving_a_goal_rechecks_it_and_the_fixed_hints_disappear(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(target_value=None))
    client = client_for(school_user)
    before = client.get(url("plan-detail", focused.pk))
    assert "Meetbaar: geef een streefwaarde" in text(before)

    response = client.post(
        url("goal-edit", focused.pk, goal.pk),
        form_data(smart_goal_data(target_value=Decimal("48")), fresh(focused).version),
        headers=HTMX,
    )

    assert response.status_code == 200
    page = text(response)
    assert "Meetbaar: geef een streefwaarde" not in page
    assert (
        f'id="goal-{goal.pk}-smart" class="smart-check" aria-labelledby="goal-{goal.pk}-smart-title" hx-swap-oob'
        in (response.content.decode())
    )
    assert "van 0 naar 48" in page
    assert Goal.objects.get().target_value == Decimal("48")


def test_the_edit_form_names_the_smart_hints_next_to_the_fields(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Nog vaag"})
    response = client_for(school_user).get(url("goal-edit", focused.pk, goal.pk), headers=HTMX)
    html = response.content.decode()
    unit_field = html[html.index(f'id="id-goal-{goal.pk}-unit"') :]
    assert unit_field.index("Meetbaar: geef de eenheid van de indicator") < unit_field.index("</div>")
    assert f'value="{fresh(focused).version}"' in html
    assert "Binnen de editie: 1 september 2026 – 31 augustus 2027." in html


def test_badly_typed_input_is_named_next_to_the_fields_and_nothing_is_saved(focused, school_user):
    version = fresh(focused).version
    response = client_for(school_user).post(
        url("goal-add", focused.pk),
        {
            "title": "Meer meisjes in STEM",
            "target_value": "veel",
            "company_hours": "-3",
            "start": "31/02/2027",
            "grades": ["9"],
            "version": version,
        },
        headers=HTMX,
    )

    assert response.status_code == 400
    html = response.content.decode()
    errors = dict(re.findall(r'id="id-goal-new-([a-z_]+)_error" class="errorlist" role="alert">([^<]+)<', html))
    assert errors == {
        "grades": "Selecteer een geldige keuze. 9 is geen beschikbare keuze.",
        "target_value": "Voer een getal in.",
        "company_hours": "Zorg ervoor dat deze waarde minstens 0 is.",
        "start": "Voer een geldige datum in.",
    }
    assert 'value="Meer meisjes in STEM"' in html  # what was typed stays
    assert 'value="veel"' in html
    assert Goal.objects.count() == 0
    assert fresh(focused).version == version


def test_a_milestone_without_date_is_refused_in_the_form(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(school_user).post(
        url("milestone-add", focused.pk, goal.pk),
        {"date": "", "description": "Script klaar", "version": fresh(focused).version},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Datum * Dit veld is vereist." in text(response)
    assert 'value="Script klaar"' in response.content.decode()
    assert Milestone.objects.count() == 0


def test_a_stale_goal_save_keeps_what_was_typed_and_names_who_changed_what(focused, school_user, company_user):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(target_value=Decimal("40")))
    opened = fresh(focused).version
    services.goal_update(goal=goal, by=company_user, version=opened, data={"target_value": "60"})
    typed = smart_goal_data(title="Meer meisjes kiezen STEM", target_value=Decimal("50"))

    response = client_for(school_user).post(
        url("goal-edit", focused.pk, goal.pk), form_data(typed, opened), headers=HTMX
    )

    assert response.status_code == 409
    html, page = response.content.decode(), text(response)
    assert "Iemand anders heeft dit deel van het actieplan gewijzigd nadat je het opende." in page
    assert str(company_user) in page
    assert "Streefwaarde" in page and "40" in page and "60" in page
    assert 'value="Meer meisjes kiezen STEM"' in html and 'value="50"' in html
    assert f'name="version" value="{opened + 1}"' in html
    assert f"versie {opened + 1}" in page
    assert Goal.objects.get().title == smart_goal_data()["title"]
    assert Goal.objects.get().target_value == Decimal("60")

    again = client_for(school_user).post(
        url("goal-edit", focused.pk, goal.pk), form_data(typed, opened + 1), headers=HTMX
    )
    assert again.status_code == 200
    assert (Goal.objects.get().title, Goal.objects.get().target_value) == ("Meer meisjes kiezen STEM", Decimal("50"))


def test_a_stale_action_save_keeps_the_typed_values(focused, school_user, company_user):
    action = _action(focused, school_user)
    opened = fresh(focused).version
    services.action_update(action=action, by=company_user, version=opened, data={"owner": "Jan Janssens"})

    response = client_for(school_user).post(
        url("action-edit", focused.pk, action.pk),
        {"title": "Bedrijfsbezoek", "owner": "An Peeters", "status": "doing", "version": opened},
        headers=HTMX,
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="An Peeters"' in html
    assert str(company_user) in text(response)
    assert f'id="action-{action.pk}"' in html
    assert Action.objects.get().owner == "Jan Janssens"


def test_removing_a_goal_someone_else_changed_meanwhile_is_refused_with_their_change(
    focused, school_user, company_user
):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    opened = fresh(focused).version
    services.action_add(goal=goal, by=company_user, data={"title": "Bedrijfsbezoek"})

    response = client_for(school_user).post(url("goal-remove", focused.pk, goal.pk), {"version": opened}, headers=HTMX)

    assert response.status_code == 409
    page = text(response)
    assert "Er werd niets verwijderd." in page
    assert str(company_user) in page and "Bedrijfsbezoek" in page
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_removing_a_goal_with_htmx_leaves_nothing_in_its_place_and_updates_the_status(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(school_user).post(
        url("goal-remove", focused.pk, goal.pk), {"version": fresh(focused).version}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="goal-{goal.pk}"' not in html
    assert "Voeg minstens één doel toe" in text(response)
    assert not Goal.objects.exists()


def test_adding_a_milestone_appends_it_and_rechecks_the_goal(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(end=dt.date(2027, 6, 15)))
    response = client_for(school_user).post(
        url("milestone-add", focused.pk, goal.pk),
        {"date": "2027-07-01", "description": "Presentatie", "version": fresh(focused).version},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    milestone = Milestone.objects.get()
    assert f'hx-swap-oob="beforeend:#goal-{goal.pk}-milestones"' in html
    assert f'id="milestone-{milestone.pk}"' in html
    assert "Tijdsgebonden: mijlpaal na de einddatum: Presentatie (1 juli 2027)" in text(response)
    assert f'id="goal-{goal.pk}-milestone-new"' in html


def test_editing_an_action_answers_the_row_and_the_goals_check(focused, school_user):
    action = _action(focused, school_user)
    response = client_for(school_user).post(
        url("action-edit", focused.pk, action.pk),
        {
            "title": "Bedrijfsbezoek",
            "owner": "Jan",
            "due": "2027-02-01",
            "status": "done",
            "version": fresh(focused).version,
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    page = text(response)
    assert "Klaar" in page and "1 februari 2027" in page
    assert (Action.objects.get().status, Action.objects.get().owner) == ("done", "Jan")


def test_without_javascript_the_edit_link_opens_the_form_on_the_plan_page(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(school_user).get(url("goal-edit", focused.pk, goal.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Actieplan</h1>" in html
    assert f'id="id-goal-{goal.pk}-title"' in html and "Doel opslaan" in html

    saved = client_for(school_user).post(
        url("goal-edit", focused.pk, goal.pk), {"title": "Beter doel", "version": fresh(focused).version}
    )
    assert saved["Location"] == url("plan-detail", focused.pk) + f"#goal-{goal.pk}"


def test_cancelling_an_edit_gives_back_the_goal_as_it_reads(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(school_user).get(url("goal-edit", focused.pk, goal.pk) + "?annuleren=1", headers=HTMX)
    html = response.content.decode()
    assert html.strip().startswith(f'<div id="goal-{goal.pk}-main"')
    assert "Doel bewerken" in html


def test_saving_after_signing_withdraws_the_signatures_and_the_status_line_says_so(focused, school_user, company_user):
    goal = smart_goal(focused, school_user)
    signed = signed_plan(focused, school_user, company_user)
    assert "2 van 2 handtekeningen" in text(client_for(school_user).get(url("plan-detail", focused.pk)))
    response = client_for(school_user).post(
        url("goal-edit", focused.pk, goal.pk),
        form_data(smart_goal_data(target_value=Decimal("50")), signed.version),
        headers=HTMX,
    )
    assert "0 van 2 handtekeningen" in text(response)


# --------------------------------------------------------------------------- history


def test_history_role_matrix(world, plan):
    check_role_matrix(
        world,
        lambda client: client.get(url("plan-history", plan.pk)),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 200,
            "company": 200,
            "adviser_other_region": 404,
            "adviser": 200,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 200,
        },
    )


def test_the_history_shows_who_changed_which_field_from_what_to_what(focused, school_user, company_user):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(target_value=Decimal("40")))
    services.goal_update(
        goal=goal,
        by=company_user,
        version=fresh(focused).version,
        data={"target_value": "60", "start": "2027-02-01", "grades": ["2", "3"]},
    )

    response = client_for(school_user).get(url("plan-history", focused.pk))

    page = text(response)
    assert str(company_user) in page and str(school_user) in page
    first = response.context["items"][0][1]
    assert [(c.subject, c.field, c.old, c.new) for c in first] == [
        (f"Doel “{goal.title}”", "Streefwaarde", "40", "60"),
        (f"Doel “{goal.title}”", "Startdatum", "15 januari 2027", "1 februari 2027"),
        (f"Doel “{goal.title}”", "Graden", "Tweede graad", "Tweede graad, Derde graad"),
    ]
    assert "Toegevoegd" in page and "Aangemaakt" in page


# --------------------------------------------------------------------------- menu and dashboard


@pytest.mark.parametrize(
    ("role", "entry"),
    [
        ("own_school", "Actieplan"),
        ("company", "Actieplan"),
        ("adviser", "Actieplannen"),
        ("juror", "Actieplannen"),
        ("coordinator", "Actieplannen"),
    ],
)
def test_the_menu_leads_to_the_action_plans(world, role, entry):
    response = client_for(world.users[role]).get(reverse("dashboard"))
    items = {item["label"]: item["url"] for item in response.context["nav_items"]}
    assert items[entry] == url("plan-list")


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("other_school", False),
        ("own_school", False),
        ("company", False),
        ("adviser_other_region", True),
        ("adviser", True),
        ("juror", False),
        ("coordinator", True),
    ],
)
def test_the_menu_leads_those_who_plan_them_to_the_learning_networks(world, role, shown):
    response = client_for(world.users[role]).get(reverse("dashboard"))
    items = [(item["label"], item["url"]) for item in response.context["nav_items"]]
    assert (("Lerende netwerken", url("network-sessions")) in items) is shown
    if shown:  # right after the action plans
        labels = [label for label, _url in items]
        assert labels[labels.index("Actieplannen") + 1] == "Lerende netwerken"
        assert client_for(world.users[role]).get(url("network-sessions")).status_code == 200


def test_a_plan_knows_its_page(world, plan):
    assert plan.get_absolute_url() == url("plan-detail", plan.pk) == f"/actieplan/{plan.pk}/"
    response = client_for(world.users["own_school"]).post(url("plan-start", plan.match.pk))
    assert response.url == plan.get_absolute_url()


def test_the_school_dashboard_invites_to_write_the_plan_once_matched_then_to_continue_it(world, match, school_user):
    client = client_for(school_user)
    assert "Schrijf jullie actieplan" in text(client.get(reverse("dashboard")))
    plan = services.plan_get_or_create(match=match, by=school_user)
    page = text(client.get(reverse("dashboard")))
    assert "Actieplan verder invullen" in page and "Schrijf jullie actieplan" not in page
    assert "0 doelen" in page
    assert url("plan-detail", plan.pk) in client.get(reverse("dashboard")).content.decode()


def test_the_company_dashboard_shows_the_plan_instead_of_not_yet_coupled(world, plan, company_user):
    page = text(client_for(company_user).get(reverse("dashboard")))
    assert "Actieplan met GO! Koninklijk Atheneum Antwerpen" in page
    assert "Actieplan verder invullen" in page
    assert "Je bent nog niet gekoppeld aan een school" not in page


def test_the_dashboard_without_a_match_shows_no_plan_call_to_action(world):
    for role in ("own_school", "company"):
        page = text(client_for(world.users[role]).get(reverse("dashboard")))
        assert "Schrijf jullie actieplan" not in page and "Actieplan verder invullen" not in page


def test_the_adviser_dashboard_counts_the_plans_of_the_region(world, plan, school_user, company_user):
    submitted_plan(plan, school_user, company_user)
    far = active_match(world.far_school, world.other_company, world.edition)
    services.plan_get_or_create(match=far, by=None)
    page = text(client_for(world.users["adviser"]).get(reverse("dashboard")))
    assert "1 actieplan in jouw regio, 1 ingediend." in page


@pytest.mark.parametrize(
    "form", ["goal-add", "goal-edit", "milestone-add", "milestone-edit", "action-add", "action-edit"]
)
def test_every_form_opens_with_and_without_javascript_and_cancels_back(focused, school_user, form):
    goal = smart_goal(focused, school_user)
    milestone, action = goal.milestones.get(), goal.actions.get()
    target, slot, shown = {
        "goal-add": (url("goal-add", focused.pk), "goal-new", "Een doel toevoegen"),
        "goal-edit": (url("goal-edit", focused.pk, goal.pk), f"goal-{goal.pk}-main", "Doel bewerken"),
        "milestone-add": (url("milestone-add", focused.pk, goal.pk), f"goal-{goal.pk}-milestone-new", "Een mijlpaal"),
        "milestone-edit": (url("milestone-edit", focused.pk, milestone.pk), f"milestone-{milestone.pk}", "Script"),
        "action-add": (url("action-add", focused.pk, goal.pk), f"goal-{goal.pk}-action-new", "Een actie toevoegen"),
        "action-edit": (url("action-edit", focused.pk, action.pk), f"action-{action.pk}", "Bedrijfsbezoek"),
    }[form]
    client = client_for(school_user)

    fragment = client.get(target, headers=HTMX).content.decode()
    page = client.get(target)
    cancelled = client.get(f"{target}?annuleren=1", headers=HTMX).content.decode()

    assert fragment.count("<form") == 1 and f'hx-target="#{slot}"' in fragment
    assert "<h1>Actieplan</h1>" not in fragment
    assert page.status_code == 200
    assert "<h1>Actieplan</h1>" in page.content.decode() and f'hx-target="#{slot}"' in page.content.decode()
    assert f'id="{slot}"' in cancelled and shown in cancelled
    assert client.get(f"{target}?annuleren=1")["Location"].startswith(url("plan-detail", focused.pk))


def test_without_javascript_a_refused_value_shows_the_plan_page_with_the_form_and_its_error(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(school_user).post(
        url("milestone-add", focused.pk, goal.pk), {"date": "morgen", "description": "Stap", "version": 1}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Actieplan" in page and "Voer een geldige datum in." in page
    assert 'value="Stap"' in response.content.decode()


def test_writing_to_an_item_someone_removed_meanwhile_says_who_removed_it_and_keeps_the_typing(
    focused, school_user, company_user
):
    action = _action(focused, school_user)
    opened = fresh(focused).version
    services.goal_remove(goal=action.goal, by=company_user, version=opened)
    client = client_for(school_user)

    edit = client.post(
        url("action-edit", focused.pk, action.pk),
        {"title": "Bedrijfsbezoek", "owner": "An Peeters", "status": "todo", "version": opened},
        headers=HTMX,
    )
    add = client.post(
        url("milestone-add", focused.pk, action.goal_id),
        {"date": "2027-03-01", "description": "Script klaar", "version": opened},
        headers=HTMX,
    )

    for response, typed in ((edit, 'value="An Peeters"'), (add, 'value="Script klaar"')):
        assert response.status_code == 409
        assert "Dit onderdeel bestaat niet meer" in text(response)
        assert typed in response.content.decode()
        # the goal's removal is on record: both answers name who removed it
        assert str(company_user) in text(response)
    assert "Iemand anders heeft intussen het doel van dit onderdeel verwijderd. Er werd niets opgeslagen." in text(edit)
    assert "Iemand anders heeft dit onderdeel intussen verwijderd. Er werd niets opgeslagen." in text(add)
    assert not Milestone.objects.exists()


# --------------------------------------------------------------------------- two people at once: only what was changed


def test_an_old_page_saving_one_field_of_a_goal_does_not_undo_a_colleagues_change(focused, school_user, company_user):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(target_value=Decimal("40")))
    opened = fresh(focused).version
    company = client_for(company_user)
    shown = form_values(
        company.get(url("goal-edit", focused.pk, goal.pk), headers=HTMX).content.decode(),
        url("goal-edit", focused.pk, goal.pk),
    )
    services.goal_update(goal=goal, by=school_user, version=opened, data={"title": "Meisjes kiezen STEM"})

    # The company's page still shows the old title; it changes only the target value and saves.
    response = company.post(url("goal-edit", focused.pk, goal.pk), shown | {"target_value": "60"}, headers=HTMX)

    assert response.status_code == 200
    saved = Goal.objects.get()
    assert (saved.title, saved.target_value) == ("Meisjes kiezen STEM", Decimal("60"))


def test_saving_again_after_a_stale_save_keeps_the_other_persons_change_in_fields_not_touched(
    focused, school_user, company_user
):
    goal = services.goal_add(plan=focused, by=school_user, data=smart_goal_data(target_value=Decimal("40")))
    opened = fresh(focused).version
    company = client_for(company_user)
    edit = url("goal-edit", focused.pk, goal.pk)
    shown = form_values(company.get(edit, headers=HTMX).content.decode(), edit)
    # The school renames goal 1 and sets its target; the company, on the older version, changes only the target.
    services.goal_update(
        goal=goal, by=school_user, version=opened, data={"title": "Meisjes kiezen STEM", "target_value": "50"}
    )

    refused = company.post(edit, shown | {"target_value": "60"}, headers=HTMX)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'value="Meisjes kiezen STEM"' in html  # the current title, not the one the company's page showed
    assert 'value="60"' in html  # what the company typed
    assert Goal.objects.get().target_value == Decimal("50")

    again = company.post(edit, form_values(html, edit), headers=HTMX)  # "save again" as the form now reads

    assert again.status_code == 200
    saved = Goal.objects.get()
    assert (saved.title, saved.target_value) == ("Meisjes kiezen STEM", Decimal("60"))


def test_an_old_page_saving_one_field_of_an_action_keeps_the_other_fields(focused, school_user, company_user):
    action = services.action_add(
        goal=services.goal_add(plan=focused, by=school_user, data={"title": "Doel"}),
        by=school_user,
        data={"title": "Bedrijfsbezoek", "owner": "An", "due": dt.date(2027, 2, 1)},
    )
    company = client_for(company_user)
    edit = url("action-edit", focused.pk, action.pk)
    shown = form_values(company.get(edit, headers=HTMX).content.decode(), edit)
    services.action_update(action=action, by=school_user, version=fresh(focused).version, data={"owner": "Jan"})

    response = company.post(edit, shown | {"status": "done"}, headers=HTMX)

    assert response.status_code == 200
    saved = Action.objects.get()
    assert (saved.owner, saved.status, saved.due) == ("Jan", "done", dt.date(2027, 2, 1))


def test_a_save_with_a_missing_or_garbled_version_is_refused_and_saves_nothing(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    client = client_for(school_user)
    for version in ("", "abc", str(fresh(focused).version + 3)):
        response = client.post(
            url("goal-edit", focused.pk, goal.pk), {"title": "Ander", "version": version}, headers=HTMX
        )
        assert response.status_code == 400
        assert f'id="goal-{goal.pk}-main"' in response.content.decode()
    assert Goal.objects.get().title == "Doel"


# --------------------------------------------------------------------------- refused removals answer in place


@pytest.mark.parametrize("kind", ["goal", "milestone", "action"])
def test_removing_from_a_plan_submitted_meanwhile_answers_the_item_with_the_dutch_reason(
    focused, school_user, company_user, kind
):
    goal = smart_goal(focused, school_user)
    opened = fresh(focused).version
    submitted_plan_now(focused, school_user, company_user)
    item = {"goal": goal, "milestone": goal.milestones.get(), "action": goal.actions.get()}[kind]

    response = client_for(school_user).post(
        url(f"{kind}-remove", focused.pk, item.pk), {"version": opened}, headers=HTMX
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert f'id="{kind}-{item.pk}"' in html  # the card or row it replaces, not a bare error page
    assert "Dit actieplan is ingediend en vergrendeld. Er werd niets verwijderd." in text(response)
    assert "Forbidden" not in html and "<html" not in html
    assert "Verwijderen" not in text(response).replace("Er werd niets verwijderd", "")  # no controls on a locked plan
    assert (Goal.objects.count(), Milestone.objects.count(), Action.objects.count()) == (1, 1, 1)


@pytest.mark.parametrize("kind", ["goal", "milestone", "action"])
def test_a_remove_button_without_a_valid_version_answers_the_item_with_the_reason(focused, school_user, kind):
    goal = smart_goal(focused, school_user)
    item = {"goal": goal, "milestone": goal.milestones.get(), "action": goal.actions.get()}[kind]
    for version in ("", "x", str(fresh(focused).version + 1)):
        response = client_for(school_user).post(
            url(f"{kind}-remove", focused.pk, item.pk), {"version": version}, headers=HTMX
        )
        assert response.status_code == 400
        assert f'id="{kind}-{item.pk}"' in response.content.decode()
        assert "De pagina was niet meer actueel" in text(response) or "bestaat niet" in text(response)
    assert (Goal.objects.count(), Milestone.objects.count(), Action.objects.count()) == (1, 1, 1)


def test_without_javascript_a_refused_removal_shows_the_plan_page_with_the_reason(focused, school_user, company_user):
    goal = smart_goal(focused, school_user)
    opened = fresh(focused).version
    submitted_plan_now(focused, school_user, company_user)
    response = client_for(school_user).post(url("goal-remove", focused.pk, goal.pk), {"version": opened})
    assert response.status_code == 403
    assert "<h1>Actieplan</h1>" in response.content.decode()
    assert "Dit actieplan is ingediend en vergrendeld. Er werd niets verwijderd." in text(response)


def test_a_write_someone_may_not_make_answers_the_dutch_403_page_with_a_way_back(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = client_for(world.users["adviser"]).post(
        url("goal-remove", focused.pk, goal.pk), {"version": fresh(focused).version}
    )
    assert response.status_code == 403
    page = text(response)
    assert "Dit mag je niet doen" in page and "Er werd niets gewijzigd." in page
    assert "Forbidden" not in page
    assert f'href="{reverse("dashboard")}"' in response.content.decode()
    assert 'id="forbidden-back"' in response.content.decode()


# --------------------------------------------------------------------------- links outside the focus


def test_editing_a_goal_keeps_its_links_outside_the_focus_marked_and_the_check_gives_a_tip(plan, school_user):
    goal = smart_goal(plan, school_user, elements=[element(6).pk], criteria=[criterion(17).pk])
    with_focus(plan, 1, 2)  # agreed later: element 6 and criterion 17 lie outside it
    client = client_for(school_user)
    edit = url("goal-edit", plan.pk, goal.pk)
    form = client.get(edit, headers=HTMX).content.decode()
    assert f"{element(6)} (buiten de focus)" in form
    assert f"{criterion(17)} (buiten de focus)" in form

    saved = client.post(edit, form_values(form, edit) | {"title": "Nieuwe titel"}, headers=HTMX)

    assert saved.status_code == 200
    goal = Goal.objects.get()
    assert (goal.title, [e.pk for e in goal.elements.all()], [c.pk for c in goal.criteria.all()]) == (
        "Nieuwe titel",
        [element(6).pk],
        [criterion(17).pk],
    )
    assert "Acceptabel: het doel is gekoppeld aan een sleutelelement of criterium buiten jullie focus" in text(saved)


# --------------------------------------------------------------------------- the dashboard


def test_the_dashboard_reads_a_members_plans_in_a_constant_number_of_queries(world, plan, company_user, school_user):
    def plan_queries() -> int:
        client = client_for(company_user)
        client.get(reverse("dashboard"))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        return sum('"actionplans_' in query["sql"] for query in captured.captured_queries), text(response)

    smart_goal(with_focus(plan, 1, 2), school_user)
    one, _page = plan_queries()
    third = f.CompanyFactory(name="Agfa")
    for school, company in ((world.other_school, world.other_company), (world.far_school, third)):
        f.membership(company_user, "company", company=company)
        more = services.plan_get_or_create(match=active_match(school, company, world.edition), by=None)
        smart_goal(with_focus(more, 1, 2), school_user)
    three, page = plan_queries()

    assert "Actieplan met Technicum Antwerpen" in page and "Actieplan met Katholiek Secundair Onderwijs Mol" in page
    assert three == one


@pytest.mark.parametrize(
    "form", ["goal-add", "goal-edit", "milestone-add", "milestone-edit", "action-add", "action-edit"]
)
def test_opening_a_form_of_a_plan_submitted_meanwhile_answers_the_piece_with_the_reason(
    focused, school_user, company_user, form
):
    goal = smart_goal(focused, school_user)
    milestone, action = goal.milestones.get(), goal.actions.get()
    submitted_plan_now(focused, school_user, company_user)
    target, slot = {
        "goal-add": (url("goal-add", focused.pk), "goal-new"),
        "goal-edit": (url("goal-edit", focused.pk, goal.pk), f"goal-{goal.pk}-main"),
        "milestone-add": (url("milestone-add", focused.pk, goal.pk), f"goal-{goal.pk}-milestone-new"),
        "milestone-edit": (url("milestone-edit", focused.pk, milestone.pk), f"milestone-{milestone.pk}"),
        "action-add": (url("action-add", focused.pk, goal.pk), f"goal-{goal.pk}-action-new"),
        "action-edit": (url("action-edit", focused.pk, action.pk), f"action-{action.pk}"),
    }[form]

    response = client_for(school_user).get(target, headers=HTMX)

    assert response.status_code == 403
    html = response.content.decode()
    assert f'id="{slot}"' in html and "<html" not in html and "<form" not in html
    assert "Het actieplan is ingediend en vergrendeld: niemand kan het nog wijzigen." in text(response)
