"""The action plan API: who may read and write what (all nine roles), stale writes (409, nothing written), bad input
(400 naming the field), a full flow from the first goal to a locked submitted plan, constant queries, the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from actionplans import services
from actionplans.models import (
    Action,
    ActionPlan,
    Attendance,
    CoolStep,
    Goal,
    LearningNetworkSession,
    Milestone,
    PlanEvent,
    Signature,
    TeamMember,
)
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
from partners.models import Participation, StemProject
from partners.tests import factories as f
from partners.tests.roles import ROLES, World, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

# Anonymous callers are refused (403: the session authenticator sends no challenge); outside the scope: 404.
HIDDEN = dict.fromkeys(ROLES, 404) | {"anonymous": 403}
#: A draft plan: its two sides write it, the region's adviser and the coordinators read it, nobody else sees it.
READ_DRAFT = HIDDEN | {"own_school": 200, "company": 200, "adviser": 200, "coordinator": 200}
#: A submitted plan: jurors read it too.
READ_SUBMITTED = READ_DRAFT | {"juror": 200, "juror_with_conflict": 200}


def writers(code: int) -> dict[str, int]:
    """Only the school and the mentor company write; the adviser and the coordinator see the plan but may not."""
    return HIDDEN | {"own_school": code, "company": code, "adviser": 403, "coordinator": 403}


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def post(client: Client, path: str, body: dict | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def patch(client: Client, path: str, body: dict) -> Any:
    return client.patch(path, body, content_type="application/json")


def delete(client: Client, path: str, **params: Any) -> Any:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.delete(f"{path}?{query}" if query else path)


def version(plan: ActionPlan) -> int:
    return fresh(plan).version


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """Goal data as a client sends it: dates as ISO text, decimals as text."""
    return {
        key: value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, Decimal) else value
        for key, value in data.items()
    }


@pytest.fixture
def focused(plan: ActionPlan) -> ActionPlan:
    """The plan of a school whose baseline agreed on focus elements 1 and 2."""
    return with_focus(plan, 1, 2)


@pytest.fixture
def before_deadline(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Today is shortly before the edition's plan deadline (time is the outside world)."""
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: BEFORE_DEADLINE if value is None else real(value)
    )
    return BEFORE_DEADLINE


@pytest.fixture
def smart_plan(focused: ActionPlan, school_user) -> ActionPlan:
    """A plan with one goal that passes the SMART check (so it can be signed)."""
    smart_goal(focused, school_user)
    return fresh(focused)


@pytest.fixture
def session(world: World) -> LearningNetworkSession:
    return services.session_create(
        edition=world.edition,
        region=world.school.region,
        kind="method",
        date=dt.date(2027, 1, 20),
        place="Voka Antwerpen-Waasland",
        by=world.users["adviser"],
    )


def participation_of(world: World, school=None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


# --- Plans: list, detail, start, change -----------------------------------------------------------------------------


def test_plan_list_role_matrix(world, plan):
    check_role_matrix(
        world, lambda client: client.get(url("plan-list")), dict.fromkeys(ROLES, 200) | {"anonymous": 403}
    )


def listed(user) -> list[int]:
    response = client_for(user).get(url("plan-list"))
    assert response.status_code == 200
    return sorted(item["id"] for item in response.json()["results"])


def test_plan_list_shows_each_role_exactly_its_plans_and_jurors_only_submitted_ones(
    world, plan, school_user, company_user, before_deadline
):
    others = other_plan(world)
    users = world.users
    assert listed(users["own_school"]) == [plan.pk]
    assert listed(users["company"]) == [plan.pk]
    assert listed(users["other_school"]) == [others.pk]
    assert listed(f.company_member(world.other_company)) == [others.pk]
    assert listed(users["adviser"]) == sorted([plan.pk, others.pk])
    assert listed(users["adviser_other_region"]) == []
    assert listed(users["coordinator"]) == sorted([plan.pk, others.pk])
    assert listed(users["juror"]) == []  # nothing before submission

    submitted_plan(plan, school_user, company_user)
    assert listed(users["juror"]) == [plan.pk]
    assert listed(users["juror_with_conflict"]) == [plan.pk]


def test_plan_list_summarises_each_plan_and_filters_by_status(
    world, smart_plan, school_user, company_user, before_deadline
):
    others = other_plan(world)
    signed_plan(smart_plan, school_user, company_user)
    client = client_for(world.users["coordinator"])
    results = client.get(url("plan-list"), {"status": "draft", "edition": world.edition.slug}).json()["results"]
    assert [row["id"] for row in results] == [smart_plan.pk, others.pk]  # by school name
    assert results[0] == {
        "id": smart_plan.pk,
        "edition": world.edition.slug,
        "school": {"id": world.school.pk, "name": "GO! Koninklijk Atheneum Antwerpen"},
        "region": "antwerpen-waasland",
        "company": {"id": world.company.pk, "name": "BASF Antwerpen"},
        "match": smart_plan.match_id,
        "status": "draft",
        "version": version(smart_plan),
        "deadline": "2027-04-30",
        "submission_open": True,
        "submitted_at": None,
        "goal_count": 1,
        "signature_count": 2,
    }
    assert client.get(url("plan-list"), {"status": "submitted"}).json()["results"] == []
    assert client.get(url("plan-list"), {"edition": "2030-2031"}).json()["results"] == []


def test_plan_detail_role_matrix_of_a_draft(world, plan):
    other_plan(world)
    check_role_matrix(world, lambda client: client.get(url("plan-detail", plan.pk)), READ_DRAFT)


def test_plan_detail_role_matrix_of_a_submitted_plan(world, plan, school_user, company_user, before_deadline):
    submitted = submitted_plan(plan, school_user, company_user)
    check_role_matrix(world, lambda client: client.get(url("plan-detail", submitted.pk)), READ_SUBMITTED)


def test_the_plan_payload_holds_goals_contributions_the_cool_project_signatures_and_the_smart_summary(
    world, smart_plan, school_user, company_user, session
):
    services.plan_update(
        plan=smart_plan,
        by=company_user,
        version=version(smart_plan),
        data={"contribution_hours": 40, "contribution_curriculum": "Cases uit de productie", "project_theme": "Water"},
    )
    services.team_member_add(plan=smart_plan, by=school_user, data={"name": "Els Claes", "kind": "company_expert"})
    services.attendance_set(
        session=session, by=world.users["adviser"], present=True, participation=participation_of(world)
    )
    services.plan_sign(plan=smart_plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)

    data = client_for(company_user).get(url("plan-detail", smart_plan.pk)).json()

    assert (data["status"], data["version"], data["deadline"]) == ("draft", version(smart_plan), "2027-04-30")
    assert (data["school"]["name"], data["company"]["name"]) == ("GO! Koninklijk Atheneum Antwerpen", "BASF Antwerpen")
    assert (data["contribution_hours"], data["contribution_curriculum"]) == (40, "Cases uit de productie")
    assert data["project_theme"] == "Water"
    assert [(m["name"], m["kind"]) for m in data["team_members"]] == [("Els Claes", "company_expert")]
    assert [s["label"] for s in data["cool_steps"]] == [
        "Contextanalyse",
        "Themaselectie",
        "Brainstorm",
        "Rapportering",
        "Ontwikkeling",
        "Uittesten in de klas",
    ]
    [goal] = data["goals"]
    assert goal["title"] == "Meer leerlingen kiezen STEM in de tweede graad"
    assert (goal["target_value"], goal["start"], goal["grades"]) == ("48.00", "2027-01-15", ["2"])
    assert [e["number"] for e in goal["elements"]] == [2]
    assert [c["number"] for c in goal["criteria"]] == [5]
    assert [m["description"] for m in goal["milestones"]] == ["Script van het project klaar"]
    assert [(a["title"], a["status"]) for a in goal["actions"]] == [("Bedrijfsbezoek met de leerkrachten", "todo")]
    assert goal["smart"]["has_hard_failure"] is False
    assert [(letter["letter"], letter["status"]) for letter in goal["smart"]["letters"]] == [
        ("S", "pass"),
        ("M", "pass"),
        ("A", "pass"),
        ("R", "pass"),
        ("T", "pass"),
    ]
    assert data["smart"] == {"has_hard_failure": False, "hard_count": 0, "soft_count": 0, "findings": []}
    # Only the school signed so far.
    assert [(s["side"], s["name"], s["role"]) for s in data["signatures"]] == [("school", "Karin Wouters", "Directeur")]
    assert [(a["session"]["kind_label"], a["school_present"], a["company_present"]) for a in data["attendance"]] == [
        ("Methodiek", True, None)
    ]
    assert [e["number"] for e in data["linkable_elements"]] == [1, 2]
    assert data["allowed"] == {"edit": True, "sign_as_school": False, "sign_as_company": True, "submit": True}


def test_a_juror_reads_a_submitted_plan_and_may_change_nothing(world, plan, school_user, company_user, before_deadline):
    submitted = submitted_plan(plan, school_user, company_user)
    juror = client_for(world.users["juror"])
    data = juror.get(url("plan-detail", submitted.pk)).json()
    assert (data["status"], len(data["goals"])) == ("submitted", 1)
    assert data["allowed"] == {"edit": False, "sign_as_school": False, "sign_as_company": False, "submit": False}
    goal_id = data["goals"][0]["id"]
    assert patch(juror, url("goal-detail", goal_id), {"version": data["version"], "title": "Ander"}).status_code == 403
    assert (
        patch(juror, url("plan-detail", plan.pk), {"version": data["version"], "project_theme": "X"}).status_code == 403
    )
    assert Goal.objects.get(pk=goal_id).title == "Meer leerlingen kiezen STEM in de tweede graad"


def test_opening_the_plan_of_a_match_role_matrix(world, match):
    check_role_matrix(
        world,
        lambda client: post(client, url("plan-list"), {"match": match.pk}),
        HIDDEN | {"own_school": 201, "company": 200, "adviser": 403, "coordinator": 403},
    )
    assert ActionPlan.objects.filter(match=match).count() == 1


def test_changing_the_plans_contributions_and_stem_projects(world, plan, company_user):
    lego = StemProject.objects.get(name="FIRST LEGO League")
    response = patch(
        client_for(company_user),
        url("plan-detail", plan.pk),
        {
            "version": version(plan),
            "contribution_staff": 3,
            "higher_ed_partner": "KU Leuven",
            "istem_coaching": True,
            "stem_projects": [lego.pk],
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["contribution_staff"], data["higher_ed_partner"], data["istem_coaching"]) == (3, "KU Leuven", True)
    assert data["stem_projects"] == [{"id": lego.pk, "name": "FIRST LEGO League"}]
    assert data["version"] == 2


# --- Goals ----------------------------------------------------------------------------------------------------------


def test_goal_create_role_matrix(world, focused):
    check_role_matrix(
        world,
        lambda client: post(client, url("plan-goals", focused.pk), {"title": "Meer meisjes in STEM"}),
        writers(201),
    )
    assert sorted(Goal.objects.values_list("title", flat=True)) == ["Meer meisjes in STEM"] * 2


def test_goal_read_role_matrix(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    check_role_matrix(world, lambda client: client.get(url("goal-detail", goal.pk)), READ_DRAFT)


def test_goal_update_role_matrix(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    units = iter(f"eenheid {n}" for n in range(len(ROLES)))
    check_role_matrix(
        world,
        lambda client: patch(client, url("goal-detail", goal.pk), {"version": version(focused), "unit": next(units)}),
        writers(200),
    )
    goal.refresh_from_db()
    assert goal.unit == "eenheid 3"  # the company's, the last role that may write


def test_goal_delete_role_matrix(world, focused, school_user):
    def remove(client: Client) -> Any:
        goal = services.goal_add(plan=focused, by=school_user, data={"title": "Weg"})
        return delete(client, url("goal-detail", goal.pk), version=version(focused))

    check_role_matrix(world, remove, writers(200))
    assert Goal.objects.count() == len(ROLES) - 2


def test_adding_a_goal_answers_it_with_its_smart_check_in_dutch(world, focused, school_user):
    response = post(
        client_for(school_user),
        url("plan-goals", focused.pk),
        {"title": "Meer meisjes in STEM", "grades": ["2"], "elements": [element(2).pk]},
    )
    assert response.status_code == 201
    goal = response.json()
    assert (goal["title"], goal["grades"], goal["plan_version"]) == ("Meer meisjes in STEM", ["2"], version(focused))
    measurable = goal["smart"]["letters"][1]
    assert (measurable["label"], measurable["status"]) == ("Meetbaar", "hard")
    assert [(x["field"], x["severity"], x["hint"]) for x in measurable["findings"]] == [
        ("indicator", "hard", "Meetbaar: geef een indicator (wat je telt)"),
        ("unit", "hard", "Meetbaar: geef de eenheid van de indicator"),
        ("target_value", "hard", "Meetbaar: geef een streefwaarde"),
        ("baseline_value", "soft", "Meetbaar: geef de beginwaarde (ook 0 is een waarde)"),
    ]
    assert goal["smart"]["has_hard_failure"] is True


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"title": ["Dit veld is vereist."]}),
        ({"title": ""}, {"title": ["Dit veld mag niet leeg zijn."]}),
        (
            {"title": "Doel", "company_hours": -3},
            {"company_hours": ["Zorg ervoor dat deze waarde groter is dan of gelijk is aan 0."]},
        ),
        ({"title": "Doel", "start": "31-02-2027"}, "start"),
        ({"title": "Doel", "grades": ["4"]}, "grades"),
        ({"title": "Doel", "elements": "element(5)"}, {"elements": ["Kies uit de lijst."]}),
        ({"title": "Doel", "criteria": "criterion(13)"}, {"criteria": ["Kies uit de lijst."]}),
    ],
)
def test_adding_a_bad_goal_answers_400_naming_the_field_and_writes_nothing(world, focused, school_user, body, errors):
    # Key element 5 and criterion 13 are outside the school's focus (1 and 2).
    ids = {"element(5)": [element(5).pk], "criterion(13)": [criterion(13).pk]}
    body = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    response = post(client_for(school_user), url("plan-goals", focused.pk), body)
    assert response.status_code == 400
    if isinstance(errors, dict):
        assert response.json() == errors
    else:
        assert list(response.json()) == [errors]
    assert not Goal.objects.exists()
    assert version(focused) == 1


def test_changing_a_goal_needs_the_version_and_good_values(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    client = client_for(school_user)
    no_version = patch(client, url("goal-detail", goal.pk), {"unit": "leerlingen"})
    assert (no_version.status_code, no_version.json()) == (400, {"version": ["Dit veld is vereist."]})
    bad = patch(
        client, url("goal-detail", goal.pk), {"version": version(focused), "target_value": "-1", "end": "morgen"}
    )
    assert bad.status_code == 400
    assert sorted(bad.json()) == ["end", "target_value"]
    goal.refresh_from_db()
    assert (goal.unit, goal.target_value, goal.end) == ("", None, None)
    assert version(focused) == 2


# --- Stale writes ---------------------------------------------------------------------------------------------------


def test_a_stale_goal_change_answers_409_with_who_changed_what_and_writes_nothing(
    world, focused, school_user, company_user
):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel", "target_value": Decimal("40")})
    loaded = version(focused)
    services.goal_update(goal=goal, by=company_user, version=loaded, data={"target_value": Decimal("60")})
    events = PlanEvent.objects.count()

    response = patch(
        client_for(school_user),
        url("goal-detail", goal.pk),
        {"version": loaded, "target_value": "50", "unit": "leerlingen"},
    )

    assert response.status_code == 409
    data = response.json()
    assert data["detail"] == (
        "Iemand anders heeft dit deel van het actieplan gewijzigd nadat je het opende. Er werd niets opgeslagen: "
        "bekijk de wijziging en sla daarna opnieuw op."
    )
    assert data["current_version"] == loaded + 1
    [change] = data["changes"]
    assert (change["target"], change["id"], change["field"], change["field_label"]) == (
        "goal",
        goal.pk,
        "target_value",
        "streefwaarde",
    )
    assert (change["old"], change["new"], change["by"]) == ("40.00", "60.00", str(company_user))
    goal.refresh_from_db()
    assert (goal.target_value, goal.unit) == (Decimal("60"), "")
    assert (version(focused), PlanEvent.objects.count()) == (loaded + 1, events)


def test_removing_a_goal_someone_changed_meanwhile_answers_409_and_keeps_it(world, focused, school_user, company_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    loaded = version(focused)
    services.action_add(goal=goal, by=company_user, data={"title": "Bedrijfsbezoek"})
    response = delete(client_for(school_user), url("goal-detail", goal.pk), version=loaded)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Iemand anders heeft dit onderdeel gewijzigd nadat je het actieplan opende. Er werd niets verwijderd."
    )
    assert [(c["target"], c["field"], c["new"]) for c in response.json()["changes"]] == [
        ("action", "added", "Bedrijfsbezoek")
    ]
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_two_people_changing_different_goals_never_block_each_other(world, focused, school_user, company_user):
    first = services.goal_add(plan=focused, by=school_user, data={"title": "Eerste"})
    second = services.goal_add(plan=focused, by=school_user, data={"title": "Tweede"})
    loaded = version(focused)
    school, company = client_for(school_user), client_for(company_user)
    assert patch(company, url("goal-detail", first.pk), {"version": loaded, "unit": "leerkrachten"}).status_code == 200
    response = patch(school, url("goal-detail", second.pk), {"version": loaded, "unit": "leerlingen"})
    assert (response.status_code, response.json()["plan_version"]) == (200, loaded + 2)


# --- Milestones, actions, the team, COOL steps ----------------------------------------------------------------------


def test_action_create_role_matrix(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    check_role_matrix(
        world,
        lambda client: post(client, url("goal-actions", goal.pk), {"title": "Bedrijfsbezoek", "owner": "Jan"}),
        writers(201),
    )
    assert list(Action.objects.values_list("title", flat=True)) == ["Bedrijfsbezoek"] * 2


def test_action_update_role_matrix(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    item = services.action_add(goal=goal, by=school_user, data={"title": "Bedrijfsbezoek"})
    owners = iter(f"eigenaar {n}" for n in range(len(ROLES)))
    check_role_matrix(
        world,
        lambda client: patch(
            client, url("action-detail", item.pk), {"version": version(focused), "owner": next(owners)}
        ),
        writers(200),
    )
    item.refresh_from_db()
    assert item.owner == "eigenaar 3"


def test_milestones_and_actions_are_added_changed_and_removed(world, focused, school_user, company_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    school = client_for(school_user)
    added = post(school, url("goal-milestones", goal.pk), {"date": "2027-03-01", "description": "Script klaar"})
    assert added.status_code == 201
    milestone = added.json()
    assert (milestone["goal"], milestone["date"], milestone["plan_version"]) == (goal.pk, "2027-03-01", 3)
    moved = patch(school, url("milestone-detail", milestone["id"]), {"version": 3, "date": "2027-03-08"})
    assert (moved.status_code, moved.json()["date"]) == (200, "2027-03-08")

    action = post(client_for(company_user), url("goal-actions", goal.pk), {"title": "Bezoek", "due": "2027-02-01"})
    assert action.status_code == 201
    done = patch(school, url("action-detail", action.json()["id"]), {"version": 5, "status": "done"})
    assert (done.status_code, done.json()["status"]) == (200, "done")
    assert [a["status"] for a in school.get(url("goal-actions", goal.pk)).json()] == ["done"]

    removed = delete(school, url("milestone-detail", milestone["id"]), version=6)
    assert removed.status_code == 200
    assert (removed.json()["goals"][0]["milestones"], removed.json()["version"]) == ([], 7)
    assert not Milestone.objects.exists()
    gone = delete(school, url("action-detail", action.json()["id"]), version=7)
    assert (gone.status_code, gone.json()["goals"][0]["actions"]) == (200, [])


def test_a_bad_milestone_date_is_named(world, focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    response = post(client_for(school_user), url("goal-milestones", goal.pk), {"description": "Script klaar"})
    assert (response.status_code, list(response.json())) == (400, ["date"])
    assert not Milestone.objects.exists()


def test_the_teacher_design_team_and_the_cool_steps_through_the_api(world, plan, school_user, company_user):
    school = client_for(school_user)
    added = post(school, url("plan-team-members", plan.pk), {"name": "Els Claes", "kind": "company_expert"})
    assert added.status_code == 201
    member = added.json()
    renamed = patch(school, url("team-member-detail", member["id"]), {"version": 2, "expertise": "Procestechniek"})
    assert (renamed.status_code, renamed.json()["expertise"]) == (200, "Procestechniek")

    step = CoolStep.objects.get(plan=plan, step="brainstorm")
    response = patch(
        client_for(company_user), url("cool-step-detail", step.pk), {"version": 3, "status": "done", "notes": "Ok"}
    )
    assert (response.status_code, response.json()["status"], response.json()["label"]) == (200, "done", "Brainstorm")
    adviser = patch(client_for(world.users["adviser"]), url("cool-step-detail", step.pk), {"version": 4, "notes": "X"})
    assert adviser.status_code == 403

    assert delete(school, url("team-member-detail", member["id"]), version=4).status_code == 200
    assert not TeamMember.objects.exists()


# --- Signatures and submission --------------------------------------------------------------------------------------

SIGNER = {"name": "Karin Wouters", "role": "Directeur"}


def test_signing_role_matrix(world, smart_plan):
    check_role_matrix(
        world,
        lambda client: post(client, url("plan-signatures", smart_plan.pk), SIGNER | {"version": version(smart_plan)}),
        writers(201),
    )
    assert sorted(Signature.objects.values_list("side", "name")) == [
        ("company", "Karin Wouters"),
        ("school", "Karin Wouters"),
    ]


def test_signing_for_the_other_side_is_refused(world, smart_plan, school_user):
    response = post(
        client_for(school_user),
        url("plan-signatures", smart_plan.pk),
        SIGNER | {"side": "company", "version": version(smart_plan)},
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_signing_while_the_smart_check_fails_hard_is_refused_with_the_reason(world, focused, school_user):
    smart_goal(focused, school_user, target_value=None)
    response = post(client_for(school_user), url("plan-signatures", focused.pk), SIGNER | {"version": version(focused)})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Los eerst de knelpunten van de SMART-controle op voor je ondertekent. Er is nog 1 knelpunt."
        ]
    }
    assert not Signature.objects.exists()


def test_signing_needs_a_name_and_a_function(world, smart_plan, school_user):
    response = post(
        client_for(school_user), url("plan-signatures", smart_plan.pk), {"name": " ", "version": version(smart_plan)}
    )
    assert response.status_code == 400
    assert sorted(response.json()) == ["name", "role"]
    assert not Signature.objects.exists()


def test_signing_a_text_that_changed_since_answers_409_and_signs_nothing(world, smart_plan, school_user, company_user):
    loaded = version(smart_plan)
    goal = smart_plan.goals.get()
    services.goal_update(goal=goal, by=company_user, version=loaded, data={"unit": "leerlingen van de tweede graad"})
    response = post(client_for(school_user), url("plan-signatures", smart_plan.pk), SIGNER | {"version": loaded})
    assert response.status_code == 409
    data = response.json()
    assert (
        data["detail"]
        == "Het actieplan werd gewijzigd nadat je het opende. Er gebeurde niets: lees eerst de wijzigingen."
    )
    assert data["current_version"] == loaded + 1
    assert [(c["field"], c["new"], c["by"]) for c in data["changes"]] == [
        ("unit", "leerlingen van de tweede graad", str(company_user))
    ]
    assert not Signature.objects.exists()


def test_withdrawing_or_submitting_a_text_that_changed_since_answers_409_and_does_nothing(
    world, smart_plan, school_user, company_user, before_deadline
):
    signed = signed_plan(smart_plan, school_user, company_user)
    loaded = signed.version
    services.team_member_add(plan=signed, by=company_user, data={"name": "Els Peeters"})  # withdraws both signatures
    signed = signed_plan(fresh(smart_plan), school_user, company_user)
    client = client_for(school_user)

    withdraw = delete(client, url("plan-signatures", signed.pk), side="school", version=loaded)
    submit = post(client, url("plan-submit", signed.pk), {"version": loaded})

    for response in (withdraw, submit):
        assert response.status_code == 409
        data = response.json()
        assert data["current_version"] == loaded + 1
        assert [(c["target"], c["field"], c["new"], c["by"]) for c in data["changes"]] == [
            ("team_member", "added", "Els Peeters", str(company_user))
        ]
    current = fresh(smart_plan)
    assert (current.status, current.signatures.count()) == (ActionPlan.Status.DRAFT, 2)


def test_withdrawing_a_signature_role_matrix(world, smart_plan, school_user, company_user):
    def withdraw(client: Client) -> Any:
        if not Signature.objects.filter(side="school").exists():
            services.plan_sign(plan=smart_plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
        return delete(client, url("plan-signatures", smart_plan.pk), side="school", version=version(smart_plan))

    # The company may not withdraw the school's signature; a coordinator may withdraw either.
    check_role_matrix(world, withdraw, writers(200) | {"company": 403, "coordinator": 200})


def test_a_coordinator_names_the_side_to_withdraw(world, smart_plan, school_user, company_user):
    signed_plan(smart_plan, school_user, company_user)
    coordinator = client_for(world.users["coordinator"])
    unnamed = delete(coordinator, url("plan-signatures", smart_plan.pk), version=version(smart_plan))
    assert (unnamed.status_code, unnamed.json()) == (400, {"side": ["Kies de partij: school of bedrijf."]})
    response = delete(coordinator, url("plan-signatures", smart_plan.pk), side="company", version=version(smart_plan))
    assert [s["side"] for s in response.json()["signatures"]] == ["school"]


def test_submit_role_matrix(world, smart_plan, school_user, company_user, before_deadline):
    def submit(client: Client) -> Any:
        plan = fresh(smart_plan)
        if plan.is_locked:
            services.plan_reopen(plan=plan, by=world.users["coordinator"], reason="Nog eens")
        if Signature.objects.filter(plan=plan).count() != 2:
            signed_plan(plan, school_user, company_user)
        return post(client, url("plan-submit", plan.pk), {"version": version(plan)})

    check_role_matrix(world, submit, writers(200))


def test_submitting_needs_both_signatures_and_the_deadline(world, smart_plan, school_user, company_user, monkeypatch):
    client = client_for(company_user)
    services.plan_sign(plan=smart_plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    unsigned = post(client, url("plan-submit", smart_plan.pk), {"version": version(smart_plan)})
    assert unsigned.json() == {
        "non_field_errors": [
            "De school en het mentorbedrijf moeten eerst allebei de engagementsverklaring ondertekenen."
        ]
    }
    services.plan_sign(plan=smart_plan, side="company", name="Jan Janssens", role="HR-manager", by=company_user)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: dt.date(2027, 5, 2))
    late = post(client, url("plan-submit", smart_plan.pk), {"version": version(smart_plan)})
    assert late.status_code == 400
    assert late.json() == {
        "non_field_errors": ["De deadline (30-4-2027) is voorbij. Een coördinator kan uitstel geven."]
    }
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT


# --- The SMART check ------------------------------------------------------------------------------------------------


def test_check_role_matrix(world, smart_plan):
    check_role_matrix(world, lambda client: client.get(url("plan-check", smart_plan.pk)), READ_DRAFT)


def test_the_check_lists_per_goal_and_letter_what_is_missing(world, focused, school_user):
    ok = smart_goal(focused, school_user)
    open_ = services.goal_add(
        plan=focused, by=school_user, data=smart_goal_data(title="Open doel", start=None, end=None)
    )
    data = client_for(world.users["adviser"]).get(url("plan-check", focused.pk)).json()
    assert (data["has_hard_failure"], data["hard_count"], data["version"]) == (True, 3, version(focused))
    assert [(g["goal"], g["title"], g["has_hard_failure"]) for g in data["goals"]] == [
        (ok.pk, ok.title, False),
        (open_.pk, "Open doel", True),
    ]
    time_bound = data["goals"][1]["letters"][4]
    assert (time_bound["letter"], time_bound["label"], time_bound["status"]) == ("T", "Tijdsgebonden", "hard")
    assert [x["hint"] for x in time_bound["findings"] if x["severity"] == "hard"] == [
        "Tijdsgebonden: geef een startdatum",
        "Tijdsgebonden: geef een einddatum",
        "Tijdsgebonden: plan minstens één mijlpaal of actie met een datum",
    ]


# --- A full flow ----------------------------------------------------------------------------------------------------


def test_full_flow_goals_fixed_signed_by_both_submitted_then_locked(world, match, before_deadline):
    school = client_for(world.users["own_school"])
    company = client_for(world.users["company"])
    opened = post(school, url("plan-list"), {"match": match.pk})
    assert opened.status_code == 201
    plan_id = opened.json()["id"]
    with_focus(ActionPlan.objects.get(pk=plan_id), 1, 2)

    # The school starts a goal; the company adds a second, complete one.
    first = post(
        school,
        url("plan-goals", plan_id),
        {"title": "Meer meisjes in STEM", "grades": ["2"], "elements": [element(2).pk]},
    ).json()
    assert first["smart"]["has_hard_failure"] is True
    second = post(company, url("plan-goals", plan_id), as_json(smart_goal_data(title="Bedrijfsbezoeken"))).json()
    assert second["smart"]["has_hard_failure"] is True  # no step plan with dates yet
    late = post(
        company, url("goal-milestones", second["id"]), {"date": "2027-08-01", "description": "Toonmoment"}
    ).json()

    check = school.get(url("plan-check", plan_id)).json()
    assert check["has_hard_failure"] is True
    hints = [x["hint"] for goal in check["goals"] for letter in goal["letters"] for x in letter["findings"]]
    assert "Meetbaar: geef een streefwaarde" in hints
    assert "Tijdsgebonden: mijlpaal na de einddatum: Toonmoment (1 augustus 2027)" in hints
    assert "Tijdsgebonden: plan minstens één mijlpaal of actie met een datum" in hints
    refused = post(school, url("plan-signatures", plan_id), SIGNER | {"version": check["version"]})
    assert refused.status_code == 400

    # Fix what the check flags: a dated action for the first goal, its missing fields, the late milestone.
    dated = post(school, url("goal-actions", first["id"]), {"title": "Infoavond", "owner": "An", "due": "2027-03-01"})
    assert dated.status_code == 201
    fixed = patch(
        school,
        url("goal-detail", first["id"]),
        {
            "version": check["version"],
            "indicator": "meisjes in de STEM-richtingen",
            "unit": "leerlingen",
            "baseline_value": "12",
            "target_value": "20",
            "start": "2027-01-15",
            "end": "2027-06-15",
        },
    ).json()
    assert fixed["smart"]["has_hard_failure"] is False
    moved = patch(
        company, url("milestone-detail", late["id"]), {"version": fixed["plan_version"], "date": "2027-06-01"}
    )
    assert moved.status_code == 200
    check = company.get(url("plan-check", plan_id)).json()
    assert (check["has_hard_failure"], check["hard_count"]) == (False, 0)

    # Both sides sign, the company submits.
    signed = post(school, url("plan-signatures", plan_id), SIGNER | {"version": check["version"]})
    assert signed.status_code == 201
    both = post(
        company, url("plan-signatures", plan_id), {"name": "Jan Janssens", "role": "HR", "version": check["version"]}
    )
    assert [s["side"] for s in both.json()["signatures"]] == ["company", "school"]
    submitted = post(company, url("plan-submit", plan_id), {"version": check["version"]})
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["allowed"]["edit"]) == ("submitted", False)

    # The plan is locked: changes are refused and say why; the jury reads it.
    locked = {"detail": "Dit actieplan is ingediend en vergrendeld."}
    version_now = submitted.json()["version"]
    change = patch(school, url("goal-detail", first["id"]), {"version": version_now, "title": "Ander"})
    assert (change.status_code, change.json()) == (403, locked)
    added = post(company, url("plan-goals", plan_id), {"title": "Nog een doel"})
    assert (added.status_code, added.json()) == (403, locked)
    withdraw = delete(school, url("plan-signatures", plan_id), version=version_now)
    assert (withdraw.status_code, withdraw.json()) == (403, locked)
    assert Goal.objects.filter(plan_id=plan_id).count() == 2
    assert Signature.objects.filter(plan_id=plan_id).count() == 2
    assert client_for(world.users["juror"]).get(url("plan-detail", plan_id)).json()["status"] == "submitted"


# --- Learning networks ----------------------------------------------------------------------------------------------


def test_session_list_role_matrix(world, match, session):
    check_role_matrix(
        world,
        lambda client: client.get(url("learning-network-session-list")),
        dict.fromkeys(ROLES, 200) | {"anonymous": 403, "juror": 403, "juror_with_conflict": 403},
    )


def test_each_role_lists_the_sessions_of_its_region(world, match, session):
    limburg = services.session_create(
        edition=world.edition, region=f.region("limburg"), kind="method", date=dt.date(2027, 1, 21), by=None
    )

    def ids(role: str) -> list[int]:
        data = client_for(world.users[role]).get(url("learning-network-session-list")).json()["results"]
        return [row["id"] for row in data]

    assert ids("own_school") == ids("company") == ids("adviser") == [session.pk]
    assert ids("adviser_other_region") == [limburg.pk]
    assert ids("coordinator") == [session.pk, limburg.pk]


def test_planning_a_session_role_matrix(world):
    body = {"edition": world.edition.slug, "region": "antwerpen-waasland", "kind": "inspiration", "date": "2027-02-24"}
    check_role_matrix(
        world,
        lambda client: post(client, url("learning-network-session-list"), body),
        dict.fromkeys(ROLES, 403) | {"adviser": 201, "coordinator": 201},
    )
    assert LearningNetworkSession.objects.count() == 2


def test_a_session_outside_the_learning_networks_is_refused_naming_the_date(world):
    # Inside the school year, but after the learning networks (15 January – 31 March).
    body = {"edition": world.edition.slug, "region": "antwerpen-waasland", "kind": "method", "date": "2027-04-15"}
    response = post(client_for(world.users["adviser"]), url("learning-network-session-list"), body)
    assert (response.status_code, response.json()) == (
        400,
        {"date": ["Kies een datum binnen de lerende netwerken van deze editie (15 januari 2027 – 31 maart 2027)."]},
    )
    assert not LearningNetworkSession.objects.exists()


def test_attendance_list_role_matrix(world, match, session):
    check_role_matrix(
        world,
        lambda client: client.get(url("learning-network-session-attendance", session.pk)),
        HIDDEN | {"other_school": 403, "own_school": 403, "company": 403, "adviser": 200, "coordinator": 200},
    )


def test_attendance_registration_role_matrix(world, match, session):
    body = {"participation": participation_of(world).pk, "present": True}
    check_role_matrix(
        world,
        lambda client: post(client, url("learning-network-session-attendance", session.pk), body),
        HIDDEN | {"other_school": 403, "own_school": 403, "company": 403, "adviser": 200, "coordinator": 200},
    )
    assert list(Attendance.objects.values_list("participation", "present")) == [(participation_of(world).pk, True)]


def test_attendance_is_registered_listed_and_shown_in_the_plan(world, plan, session):
    adviser = client_for(world.users["adviser"])
    attendance = url("learning-network-session-attendance", session.pk)
    school = post(adviser, attendance, {"participation": participation_of(world).pk})
    assert school.status_code == 200
    assert (school.json()["school"]["name"], school.json()["present"]) == ("GO! Koninklijk Atheneum Antwerpen", True)
    company = post(adviser, attendance, {"company": world.company.pk, "present": False})
    assert (company.json()["company"]["name"], company.json()["school"]) == ("BASF Antwerpen", None)
    assert [(row["participation"], row["present"]) for row in adviser.get(attendance).json()] == [
        (participation_of(world).pk, True),
        (None, False),
    ]
    [row] = client_for(world.users["own_school"]).get(url("plan-detail", plan.pk)).json()["attendance"]
    assert (row["session"]["id"], row["school_present"], row["company_present"]) == (session.pk, True, False)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"non_field_errors": ["Geef ofwel een school (deelname), ofwel een bedrijf."]}),
        (
            {"participation": 1, "company": 1},
            {"non_field_errors": ["Geef ofwel een school (deelname), ofwel een bedrijf."]},
        ),
        ({"participation": 999999}, {"participation": ["Onbekende schooldeelname."]}),
        ({"company": 999999}, {"company": ["Onbekend bedrijf."]}),
        (
            {"participation": "other edition"},
            {"participation": ["Deze school neemt niet deel aan de editie van deze sessie."]},
        ),
        (
            {"company": "no mentor"},
            {"company": ["Dit bedrijf is in de editie van deze sessie geen mentorbedrijf van een school."]},
        ),
    ],
)
def test_registering_attendance_names_what_is_wrong_and_writes_nothing(world, match, session, body, errors):
    earlier = f.ParticipationFactory(edition=f.EditionFactory(year=2025), school=world.school)
    values = {"other edition": earlier.pk, "no mentor": world.other_company.pk}
    body = {key: values.get(value, value) for key, value in body.items()}
    response = post(client_for(world.users["adviser"]), url("learning-network-session-attendance", session.pk), body)
    assert (response.status_code, response.json()) == (400, errors)
    assert not Attendance.objects.exists()


# --- Queries --------------------------------------------------------------------------------------------------------


def queries(client: Client, path: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response.json(), len(captured)


def test_plan_list_queries_do_not_grow_with_the_number_of_plans(world, plan):
    client = client_for(world.users["coordinator"])
    one, for_one = queries(client, url("plan-list"))
    other_plan(world)
    services.plan_get_or_create(match=active_match(world.far_school, world.company, world.edition), by=None)
    three, for_three = queries(client, url("plan-list"))
    assert (len(one["results"]), len(three["results"])) == (1, 3)
    assert for_three == for_one


def test_plan_detail_queries_do_not_grow_with_goals_milestones_and_actions(world, focused, school_user, session):
    client = client_for(world.users["adviser"])
    smart_goal(focused, school_user)
    one, for_one = queries(client, url("plan-detail", focused.pk))
    smart_goal(focused, school_user, title="Tweede")
    smart_goal(focused, school_user, title="Derde")
    services.team_member_add(plan=focused, by=school_user, data={"name": "Els Claes"})
    three, for_three = queries(client, url("plan-detail", focused.pk))
    assert (len(one["goals"]), len(three["goals"])) == (1, 3)
    assert for_three == for_one


def test_session_and_attendance_lists_do_not_grow_in_queries(world, plan, session):
    client = client_for(world.users["adviser"])
    adviser = world.users["adviser"]
    services.attendance_set(session=session, by=adviser, present=True, participation=participation_of(world))
    sessions_one, for_one = queries(client, url("learning-network-session-list"))
    rows_one, rows_for_one = queries(client, url("learning-network-session-attendance", session.pk))
    for kind, day in (("inspiration", 24), ("exchange", 25)):
        services.session_create(
            edition=world.edition, region=world.school.region, kind=kind, date=dt.date(2027, 2, day), by=adviser
        )
    services.attendance_set(session=session, by=adviser, present=True, company=world.company)
    other = participation_of(world, world.other_school)
    services.attendance_set(session=session, by=adviser, present=False, participation=other)
    sessions_three, for_three = queries(client, url("learning-network-session-list"))
    rows_three, rows_for_three = queries(client, url("learning-network-session-attendance", session.pk))
    assert (len(sessions_one["results"]), len(sessions_three["results"]), len(rows_one), len(rows_three)) == (
        1,
        3,
        1,
        3,
    )
    assert (for_three, rows_for_three) == (for_one, rows_for_one)


# --- Schema ---------------------------------------------------------------------------------------------------------


def test_schema_lists_the_action_plan_endpoints(client):
    paths = client.get(reverse("api-schema") + "?format=json").json()["paths"]
    expected = {
        "/api/v1/plans/": {"get", "post"},
        "/api/v1/plans/{id}/": {"get", "patch"},
        "/api/v1/plans/{id}/check/": {"get"},
        "/api/v1/plans/{id}/goals/": {"get", "post"},
        "/api/v1/plans/{id}/team-members/": {"get", "post"},
        "/api/v1/plans/{id}/signatures/": {"get", "post", "delete"},
        "/api/v1/plans/{id}/submit/": {"post"},
        "/api/v1/goals/{id}/": {"get", "patch", "delete"},
        "/api/v1/goals/{id}/milestones/": {"get", "post"},
        "/api/v1/goals/{id}/actions/": {"get", "post"},
        "/api/v1/milestones/{id}/": {"get", "patch", "delete"},
        "/api/v1/actions/{id}/": {"get", "patch", "delete"},
        "/api/v1/team-members/{id}/": {"get", "patch", "delete"},
        "/api/v1/cool-steps/{id}/": {"get", "patch"},
        "/api/v1/learning-network-sessions/": {"get", "post"},
        "/api/v1/learning-network-sessions/{id}/": {"get"},
        "/api/v1/learning-network-sessions/{id}/attendance/": {"get", "post"},
    }
    assert {path: set(paths.get(path, {})) - {"parameters"} for path in expected} == expected
    goal_patch = paths["/api/v1/goals/{id}/"]["patch"]
    assert set(goal_patch["responses"]) == {"200", "400", "403", "404", "409"}
    removal_params = {p["name"] for p in paths["/api/v1/goals/{id}/"]["delete"]["parameters"]}
    assert removal_params == {"id", "version"}
    nested = {p["name"] for p in paths["/api/v1/plans/{id}/goals/"]["get"]["parameters"]}
    assert nested == {"id"}  # a plain list: no pagination or filters of the plan list


def test_schema_names_the_enums_of_the_action_plan_api_without_collisions(client):
    schemas = client.get(reverse("api-schema") + "?format=json").json()["components"]["schemas"]
    # A collision would give a hashed name (StatusA1bEnum) instead of these.
    assert {
        "PlanStatusEnum",
        "ActionStatusEnum",
        "CoolStepStatusEnum",
        "SmartLetterStatusEnum",
        "TeamMemberKindEnum",
        "LearningNetworkSessionKindEnum",
        "SideEnum",
        "GradesEnum",
        "TracksEnum",
    } <= set(schemas)
    assert schemas["SideEnum"]["enum"] == ["school", "company"]


def test_schema_of_the_action_plan_endpoints_generates_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    # Only ours (our file is named in each warning about our views): another app's half-done endpoint must not fail
    # this test (`manage.py spectacular --fail-on-warn` checks the whole API).
    ours = ("actionplans", "Plan", "Goal", "Milestone", "Action", "TeamMember", "CoolStep", "Session", "Attendance")
    problems = [m for m in (*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache) if any(w in m for w in ours)]
    GENERATOR_STATS.reset()
    assert problems == []
