"""What the action plan services do, as the school, the company, the adviser and the coordinator notice it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplans import selectors, services
from actionplans.models import ActionPlan, CoolStep, Goal, PlanEvent, Signature
from actionplans.tests.factories import (
    BEFORE_DEADLINE,
    active_match,
    criterion,
    element,
    fresh,
    signed_plan,
    smart_goal,
    submitted_plan,
    with_focus,
)
from matching.models import Match
from partners.models import Participation, StemProject

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def saved_changes(plan: ActionPlan) -> list[dict]:
    """Every field-level change in the history, oldest first, without the bookkeeping keys."""
    rows = []
    for event in plan.events.filter(action=PlanEvent.Action.SAVED).order_by("id"):
        rows += [{k: v for k, v in change.items() if k not in ("id", "goal", "version")} for change in event.changes]
    return rows


# --------------------------------------------------------------------------- the plan


def test_the_first_visit_creates_one_plan_with_the_six_cool_steps_and_logs_who(plan, match, school_user):
    assert (plan.participation, plan.match, plan.status, plan.version) == (match.participation, match, "draft", 1)
    assert [str(s) for s in plan.cool_steps.order_by("position")] == [
        "Contextanalyse",
        "Themaselectie",
        "Brainstorm",
        "Rapportering",
        "Ontwikkeling",
        "Uittesten in de klas",
    ]
    assert list(plan.events.values_list("action", "by")) == [("created", school_user.pk)]
    again = services.plan_get_or_create(match=match, by=school_user)
    assert again == plan
    assert ActionPlan.objects.count() == 1


def test_a_plan_is_only_written_within_an_active_match(world):
    participation = Participation.objects.get(edition=world.edition, school=world.school)
    proposed = Match.objects.create(participation=participation, company=world.company)
    with pytest.raises(ValidationError) as refused:
        services.plan_get_or_create(match=proposed, by=world.users["own_school"])
    assert messages(refused.value) == "Een actieplan schrijf je binnen een actieve koppeling."
    assert not ActionPlan.objects.exists()


def test_a_new_mentor_company_takes_over_the_existing_plan_and_the_history_says_so(world, plan, match):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.REJECTED)
    new_match = Match.objects.create(
        participation=match.participation, company=world.other_company, status=Match.Status.ACTIVE
    )
    moved = services.plan_get_or_create(match=new_match, by=world.users["adviser"])
    assert (moved.pk, moved.match, moved.version) == (plan.pk, new_match, plan.version + 1)
    event = moved.events.get(action=PlanEvent.Action.REMATCHED)
    assert event.changes == [
        {"target": "plan", "id": plan.pk, "field": "match", "old": "BASF Antwerpen", "new": "Umicore", "version": 2}
    ]


def new_mentor(world, match) -> Match:
    Match.objects.filter(pk=match.pk).update(status=Match.Status.REJECTED)
    return Match.objects.create(participation=match.participation, company=world.other_company, status="active")


def test_a_new_mentor_company_withdraws_both_signatures_and_a_page_read_before_is_stale(
    world, plan, match, school_user, company_user
):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    signed = signed_plan(plan, school_user, company_user)

    moved = services.plan_get_or_create(match=new_mentor(world, match), by=world.users["adviser"])

    assert moved.version == signed.version + 1
    assert not Signature.objects.exists()
    withdrawn = moved.events.get(action=PlanEvent.Action.SIGNATURES_WITHDRAWN)
    assert (withdrawn.by, withdrawn.note) == (
        world.users["adviser"],
        "Het mentorbedrijf is veranderd; school en bedrijf ondertekenen opnieuw.",
    )
    assert sorted(c["side"] for c in withdrawn.changes) == ["company", "school"]
    with pytest.raises(services.StalePlan) as refused:  # signing what was read before the change
        services.plan_sign(
            plan=moved, side="school", name="Karin", role="Directeur", by=school_user, version=signed.version
        )
    assert [(c["field"], c["new"]) for c in refused.value.changes] == [("match", "Umicore")]


def test_a_submitted_plan_does_not_move_to_a_new_mentor_company(world, plan, match, school_user, company_user):
    submitted = submitted_plan(plan, school_user, company_user)
    with pytest.raises(ValidationError) as refused:
        services.plan_get_or_create(match=new_mentor(world, match), by=world.users["adviser"])
    assert messages(refused.value).startswith("Het actieplan werd ingediend met het vorige mentorbedrijf.")
    current = fresh(plan)
    assert (current.match, current.version, current.signatures.count()) == (match, submitted.version, 2)


def test_plan_fields_and_catalogue_projects_are_saved_with_their_history(plan, company_user):
    lego = StemProject.objects.get(name="FIRST LEGO League")
    saved = services.plan_update(
        plan=plan,
        by=company_user,
        version=plan.version,
        data={
            "contribution_hours": 60,
            "contribution_curriculum": "Cases uit de productie in de lessen chemie",
            "istem_coaching": True,
            "stem_projects": [lego.pk],
        },
    )
    assert saved.version == 2
    assert (saved.contribution_hours, saved.istem_coaching) == (60, True)
    assert list(saved.stem_projects.all()) == [lego]
    event = saved.events.get(action=PlanEvent.Action.SAVED)
    assert event.by == company_user
    assert [(c["field"], c["old"], c["new"]) for c in event.changes] == [
        ("contribution_hours", None, 60),
        ("contribution_curriculum", "", "Cases uit de productie in de lessen chemie"),
        ("istem_coaching", False, True),
        ("stem_projects", [], [lego.pk]),
    ]


def test_an_inactive_catalogue_project_cannot_be_added(plan, company_user):
    retired = StemProject.objects.create(name="Oud project", is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.plan_update(plan=plan, by=company_user, version=1, data={"stem_projects": [retired.pk]})
    assert refused.value.message_dict == {"stem_projects": ["Kies uit de lijst."]}


# --------------------------------------------------------------------------- goals, history


def test_adding_and_changing_a_goal_records_field_level_old_and_new_values(plan, school_user, company_user):
    with_focus(plan, 1, 2)
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Meer meisjes in STEM", "grades": ["3", "2"]})
    assert goal.plan.version == 2
    assert goal.grades == ["2", "3"]  # kept in the order of the grades
    updated = services.goal_update(
        goal=goal,
        by=company_user,
        version=goal.plan.version,
        data={"target_value": "40", "end": "2027-06-15", "elements": [element(2).pk]},
    )
    assert (updated.target_value, updated.end) == (Decimal("40"), dt.date(2027, 6, 15))
    assert updated.plan.version == 3
    assert saved_changes(fresh(plan)) == [
        {
            "target": "goal",
            "label": "Meer meisjes in STEM",
            "field": "added",
            "old": None,
            "new": "Meer meisjes in STEM",
        },
        {"target": "goal", "label": "Meer meisjes in STEM", "field": "target_value", "old": None, "new": "40.00"},
        {"target": "goal", "label": "Meer meisjes in STEM", "field": "end", "old": None, "new": "2027-06-15"},
        {"target": "goal", "label": "Meer meisjes in STEM", "field": "elements", "old": [], "new": [element(2).pk]},
    ]
    assert list(fresh(plan).events.filter(action="saved").values_list("by", flat=True)) == [
        company_user.pk,
        school_user.pk,
    ]


def test_a_save_that_changes_nothing_keeps_the_version_and_the_history(plan, school_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel", "target_value": Decimal("40")})
    again = services.goal_update(goal=goal, by=school_user, version=2, data={"title": "Doel", "target_value": "40.00"})
    assert again.plan.version == 2
    assert fresh(plan).events.filter(action="saved").count() == 1


def test_the_history_keeps_milestones_actions_and_removals_readable(plan, school_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    milestone = services.milestone_add(goal=goal, by=school_user, data={"date": "2027-03-01", "description": "Script"})
    action = services.action_add(goal=goal, by=school_user, data={"title": "Bezoek", "owner": "Jan"})
    services.action_update(action=action, by=school_user, version=4, data={"status": "done"})
    services.milestone_remove(milestone=milestone, by=school_user, version=5)
    assert saved_changes(fresh(plan))[1:] == [
        {
            "target": "milestone",
            "label": "2027-03-01 Script",
            "field": "added",
            "old": None,
            "new": "2027-03-01 Script",
        },
        {"target": "action", "label": "Bezoek", "field": "added", "old": None, "new": "Bezoek"},
        {"target": "action", "label": "Bezoek", "field": "status", "old": "todo", "new": "done"},
        {
            "target": "milestone",
            "label": "2027-03-01 Script",
            "field": "removed",
            "old": "2027-03-01 Script",
            "new": None,
        },
    ]
    assert fresh(plan).version == 6


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(plan, school_user):
    with_focus(plan, 1, 2)
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    for data, field in (
        ({"company_hours": -3}, "company_hours"),
        ({"target_value": "-1"}, "target_value"),
        ({"start": "31-02-2027"}, "start"),
        ({"grades": ["4"]}, "grades"),
        ({"elements": [element(5).pk]}, "elements"),  # not one of the school's focus elements
        ({"elements": ["een"]}, "elements"),
        ({"criteria": [criterion(13).pk]}, "criteria"),
        ({"title": ""}, "title"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.goal_update(goal=goal, by=school_user, version=2, data=data)
        assert list(refused.value.message_dict) == [field]
    goal.refresh_from_db()
    assert (goal.title, goal.company_hours, goal.grades, list(goal.elements.all())) == ("Doel", None, [], [])
    assert fresh(plan).version == 2


def test_without_a_baseline_focus_a_goal_may_link_to_any_key_element(plan, school_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel", "elements": [element(7).pk]})
    assert list(goal.elements.values_list("number", flat=True)) == [7]
    assert [e.number for e in selectors.linkable_elements(plan=plan)] == [1, 2, 3, 4, 5, 6, 7]
    with_focus(plan, 1, 2)
    assert [e.number for e in selectors.linkable_elements(plan=plan)] == [1, 2]


# --------------------------------------------------------------------------- concurrency


def test_a_stale_save_that_would_overwrite_is_refused_names_the_other_change_and_saves_nothing(
    plan, school_user, company_user
):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel", "target_value": Decimal("40")})
    loaded = goal.plan.version
    services.goal_update(goal=goal, by=company_user, version=loaded, data={"target_value": Decimal("60")})

    with pytest.raises(ValidationError) as refused:
        services.goal_update(
            goal=goal, by=school_user, version=loaded, data={"target_value": Decimal("50"), "unit": "leerlingen"}
        )

    stale = refused.value
    assert isinstance(stale, services.StalePlan)
    assert messages(stale).startswith("Iemand anders heeft dit deel van het actieplan gewijzigd")
    assert stale.current_version == loaded + 1
    assert [(c["field"], c["old"], c["new"], c["by"]) for c in stale.changes] == [
        ("target_value", "40.00", "60.00", str(company_user))
    ]
    goal.refresh_from_db()
    assert (goal.target_value, goal.unit) == (Decimal("60"), "")
    assert fresh(plan).version == loaded + 1


def test_two_people_on_different_goals_never_block_each_other(plan, school_user, company_user):
    first = services.goal_add(plan=plan, by=school_user, data={"title": "Eerste doel"})
    second = services.goal_add(plan=plan, by=school_user, data={"title": "Tweede doel"})
    loaded = second.plan.version
    services.goal_update(goal=first, by=company_user, version=loaded, data={"unit": "leerkrachten"})
    services.goal_update(goal=second, by=school_user, version=loaded, data={"unit": "leerlingen"})
    assert sorted(Goal.objects.values_list("title", "unit")) == [
        ("Eerste doel", "leerkrachten"),
        ("Tweede doel", "leerlingen"),
    ]


def test_sending_the_value_that_is_already_stored_is_no_conflict(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    loaded = goal.plan.version
    services.goal_update(goal=goal, by=company_user, version=loaded, data={"unit": "leerlingen"})
    services.goal_update(goal=goal, by=school_user, version=loaded, data={"unit": "leerlingen", "indicator": "aantal"})
    goal.refresh_from_db()
    assert (goal.unit, goal.indicator) == ("leerlingen", "aantal")


def test_removing_a_goal_someone_changed_meanwhile_is_refused_and_keeps_it(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    loaded = goal.plan.version
    services.action_add(goal=goal, by=company_user, data={"title": "Bedrijfsbezoek"})
    with pytest.raises(services.StalePlan) as refused:
        services.goal_remove(goal=goal, by=school_user, version=loaded)
    assert messages(refused.value) == (
        "Iemand anders heeft dit onderdeel gewijzigd nadat je het actieplan opende. Er werd niets verwijderd."
    )
    assert Goal.objects.filter(pk=goal.pk).exists()
    services.goal_remove(goal=goal, by=school_user, version=fresh(plan).version)
    assert not Goal.objects.exists()


def test_changing_a_goal_someone_removed_meanwhile_is_refused(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    services.goal_remove(goal=goal, by=company_user, version=goal.plan.version)
    with pytest.raises(services.StalePlan) as refused:
        services.goal_update(goal=goal, by=school_user, version=2, data={"unit": "leerlingen"})
    assert messages(refused.value) == "Iemand anders heeft dit onderdeel intussen verwijderd. Er werd niets opgeslagen."


# --------------------------------------------------------------------------- signing, submitting, locking


def test_signing_is_refused_while_the_smart_check_fails_hard(plan, school_user):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user, target_value=None)
    with pytest.raises(ValidationError) as refused:
        services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    assert (
        messages(refused.value)
        == "Los eerst de knelpunten van de SMART-controle op voor je ondertekent. Er is nog 1 knelpunt."
    )
    assert not Signature.objects.exists()


def test_a_plan_without_goals_cannot_be_signed(plan, school_user):
    with pytest.raises(ValidationError):
        services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)


def test_each_side_signs_only_for_itself_with_name_and_function(plan, world, school_user, company_user):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    for user, side in ((company_user, "school"), (school_user, "company"), (world.users["coordinator"], "school")):
        with pytest.raises(PermissionDenied):
            services.plan_sign(plan=plan, side=side, name="Iemand", role="Functie", by=user)
    with pytest.raises(ValidationError) as refused:
        services.plan_sign(plan=plan, side="school", name=" ", role="", by=school_user)
    assert refused.value.message_dict == {
        "name": ["Geef de naam van wie ondertekent."],
        "role": ["Geef de functie van wie ondertekent."],
    }

    signature = services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    assert (signature.side, signature.name, signature.role, signature.user) == (
        "school",
        "Karin Wouters",
        "Directeur",
        school_user,
    )
    assert signature.signed_at is not None
    with pytest.raises(ValidationError) as twice:
        services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    assert messages(twice.value) == "Deze partij heeft al ondertekend."
    event = fresh(plan).events.get(action=PlanEvent.Action.SIGNED)
    assert (event.by, event.note) == (school_user, "Karin Wouters (Directeur)")


def test_changing_the_plan_after_signing_withdraws_the_signatures(plan, school_user, company_user):
    with_focus(plan, 1, 2)
    goal = smart_goal(plan, school_user)
    signed = signed_plan(plan, school_user, company_user)
    services.goal_update(goal=goal, by=company_user, version=signed.version, data={"target_value": Decimal("50")})
    assert not Signature.objects.exists()
    withdrawn = fresh(plan).events.get(action=PlanEvent.Action.SIGNATURES_WITHDRAWN)
    assert (withdrawn.by, withdrawn.note) == (
        company_user,
        "Het actieplan werd gewijzigd na de ondertekening; onderteken opnieuw.",
    )
    assert sorted(c["side"] for c in withdrawn.changes) == ["company", "school"]


def test_a_comment_does_not_withdraw_signatures(plan, world, school_user, company_user):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    signed_plan(plan, school_user, company_user)
    services.comment_add(plan=plan, by=world.users["adviser"], text="Mooi plan, denk aan de evaluatie.")
    assert Signature.objects.count() == 2


def test_submitting_needs_both_signatures(plan, school_user):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, by=school_user, today=BEFORE_DEADLINE)
    assert messages(refused.value) == (
        "De school en het mentorbedrijf moeten eerst allebei de engagementsverklaring ondertekenen."
    )
    assert fresh(plan).status == "draft"


def test_submitting_locks_the_plan_and_moves_the_participation(plan, school_user, company_user):
    submitted = submitted_plan(plan, school_user, company_user)
    assert (submitted.status, submitted.submitted_by, submitted.is_locked) == ("submitted", school_user, True)
    assert submitted.participation.status == Participation.Status.PLAN_SUBMITTED
    goal = Goal.objects.get()
    step = CoolStep.objects.filter(plan=plan).first()
    for write in (
        lambda: services.goal_update(goal=goal, by=school_user, version=submitted.version, data={"unit": "x"}),
        lambda: services.goal_add(plan=plan, by=school_user, data={"title": "Nog een doel"}),
        lambda: services.plan_update(
            plan=plan, by=company_user, version=submitted.version, data={"project_theme": "x"}
        ),
        lambda: services.cool_step_update(step=step, by=school_user, version=submitted.version, data={"notes": "x"}),
        lambda: services.plan_sign(plan=plan, side="school", name="X", role="Y", by=school_user),
        lambda: services.signature_withdraw(plan=plan, side="school", by=school_user),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert messages(refused.value) == "Dit actieplan is ingediend en vergrendeld."
    assert fresh(plan).version == submitted.version
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, by=school_user, today=BEFORE_DEADLINE)


def test_comments_stay_possible_after_submission(plan, world, school_user, company_user):
    submitted_plan(plan, school_user, company_user)
    comment = services.comment_add(plan=plan, by=world.users["adviser"], text="  Proficiat!  ")
    assert (comment.author, comment.text) == (world.users["adviser"], "Proficiat!")
    with pytest.raises(ValidationError):
        services.comment_add(plan=plan, by=school_user, text="   ")


def test_a_coordinator_reopens_a_submitted_plan_with_a_reason(plan, world, school_user, company_user):
    submitted_plan(plan, school_user, company_user)
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError):
        services.plan_reopen(plan=plan, by=coordinator, reason=" ")
    reopened = services.plan_reopen(plan=plan, by=coordinator, reason="Budget klopt niet")
    assert (reopened.status, reopened.participation.status) == ("draft", Participation.Status.MATCHED)
    event = reopened.events.get(action=PlanEvent.Action.REOPENED)
    assert (event.by, event.note) == (coordinator, "Budget klopt niet")


# --------------------------------------------------------------------------- deadline and extension


def ready_plan(plan, school_user, company_user) -> ActionPlan:
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    return signed_plan(plan, school_user, company_user)


def test_after_the_deadline_submission_is_refused(plan, school_user, company_user):
    ready_plan(plan, school_user, company_user)
    assert plan.edition.plan_deadline == dt.date(2027, 4, 30)
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, by=school_user, today=dt.date(2027, 5, 1))
    assert messages(refused.value) == "De deadline (30-4-2027) is voorbij. Een coördinator kan uitstel geven."
    assert fresh(plan).status == "draft"
    services.plan_submit(plan=plan, by=school_user, today=dt.date(2027, 4, 30))
    assert fresh(plan).status == "submitted"


def test_a_coordinators_extension_reopens_submission_until_its_end_and_is_logged(
    plan, world, school_user, company_user
):
    ready_plan(plan, school_user, company_user)
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError) as refused:
        services.plan_extension_grant(plan=plan, by=coordinator, until=dt.date(2027, 4, 30), reason="")
    assert refused.value.message_dict == {
        "reason": ["Geef een reden voor het uitstel."],
        "until": ["Het uitstel moet na de deadline (30 april 2027) eindigen."],
    }

    extended = services.plan_extension_grant(
        plan=plan, by=coordinator, until=dt.date(2027, 5, 10), reason="Directeur ziek"
    )
    assert (extended.extension_until, extended.extension_granted_by, extended.deadline) == (
        dt.date(2027, 5, 10),
        coordinator,
        dt.date(2027, 5, 10),
    )
    assert extended.extension_granted_at is not None
    event = extended.events.get(action=PlanEvent.Action.EXTENSION_GRANTED)
    assert (event.by, event.note, event.changes) == (
        coordinator,
        "Directeur ziek",
        [{"target": "plan", "field": "extension_until", "old": None, "new": "2027-05-10"}],
    )
    # The signatures are still there: an extension does not change the plan.
    assert Signature.objects.count() == 2

    with pytest.raises(ValidationError) as late:
        services.plan_submit(plan=plan, by=school_user, today=dt.date(2027, 5, 11))
    assert messages(late.value) == "Het uitstel liep af op 10-5-2027; indienen kan niet meer."
    services.plan_submit(plan=plan, by=company_user, today=dt.date(2027, 5, 10))
    assert fresh(plan).status == "submitted"


def test_an_extension_cannot_end_in_the_past(plan, world):
    with pytest.raises(ValidationError) as refused:
        services.plan_extension_grant(
            plan=plan,
            by=world.users["coordinator"],
            until=dt.date(2027, 5, 10),
            reason="Ziek",
            today=dt.date(2027, 5, 11),
        )
    assert refused.value.message_dict == {"until": ["Kies vandaag of een latere datum."]}
    assert fresh(plan).extension_until is None


def test_a_coordinator_removes_an_extension_and_the_history_keeps_it(plan, world):
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError):  # nothing to remove yet
        services.plan_extension_grant(plan=plan, by=coordinator, until=None, reason="Vergissing")
    services.plan_extension_grant(plan=plan, by=coordinator, until=dt.date(2027, 5, 10), reason="Ziek")

    cleared = services.plan_extension_grant(plan=plan, by=coordinator, until=None, reason="Vergissing")

    assert (cleared.extension_until, cleared.extension_granted_by, cleared.deadline) == (
        None,
        None,
        dt.date(2027, 4, 30),
    )
    latest = cleared.events.filter(action=PlanEvent.Action.EXTENSION_GRANTED).order_by("-id").first()
    assert (latest.note, latest.changes) == (
        "Vergissing",
        [{"target": "plan", "field": "extension_until", "old": "2027-05-10", "new": None}],
    )


def test_reopening_after_the_deadline_needs_a_new_date_and_grants_it_in_the_same_act(
    plan, world, school_user, company_user
):
    submitted_plan(plan, school_user, company_user)
    coordinator = world.users["coordinator"]
    after = dt.date(2027, 5, 20)
    with pytest.raises(ValidationError) as refused:
        services.plan_reopen(plan=plan, by=coordinator, reason="Budget klopt niet", today=after)
    assert refused.value.message_dict == {
        "extension_until": [
            "De deadline (30 april 2027) is voorbij: geef een nieuwe datum tot wanneer het actieplan opnieuw "
            "ingediend kan worden."
        ]
    }
    assert fresh(plan).status == "submitted"
    with pytest.raises(ValidationError):  # a new date in the past would leave it stuck as well
        services.plan_reopen(
            plan=plan, by=coordinator, reason="Budget", extension_until=dt.date(2027, 5, 10), today=after
        )

    reopened = services.plan_reopen(
        plan=plan, by=coordinator, reason="Budget klopt niet", extension_until=dt.date(2027, 6, 5), today=after
    )

    assert (reopened.status, reopened.deadline, reopened.extension_granted_by) == (
        "draft",
        dt.date(2027, 6, 5),
        coordinator,
    )
    assert reopened.submission_open(after)
    actions = list(reopened.events.order_by("id").values_list("action", "note"))[-2:]
    assert actions == [("reopened", "Budget klopt niet"), ("extension", "Budget klopt niet")]


def test_a_version_the_plan_never_had_is_refused_and_skips_no_check(plan, school_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    future = fresh(plan).version + 5
    for write in (
        lambda: services.goal_update(goal=goal, by=school_user, version=future, data={"title": "Ander"}),
        lambda: services.goal_remove(goal=goal, by=school_user, version=future),
        lambda: services.plan_update(plan=plan, by=school_user, version=0, data={"project_theme": "Water"}),
        lambda: services.signature_withdraw(plan=plan, side="school", by=school_user, version=future),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.message_dict == {
            "version": ["Deze versie van het actieplan bestaat niet. Laad de pagina opnieuw en probeer nog eens."]
        }
    assert Goal.objects.get().title == "Doel"


def test_a_link_made_before_the_focus_narrowed_the_choices_stays_when_the_goal_changes(plan, school_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel", "elements": [element(6).pk]})
    with_focus(plan, 1, 2)  # element 6 is no longer among the choices
    services.goal_update(
        goal=goal, by=school_user, version=fresh(plan).version, data={"elements": [element(6).pk, element(2).pk]}
    )
    assert sorted(e.number for e in Goal.objects.get().elements.all()) == [2, 6]
    with pytest.raises(ValidationError):  # a new link outside the focus is still refused
        services.goal_update(goal=goal, by=school_user, version=fresh(plan).version, data={"elements": [element(5).pk]})


def test_the_check_flags_a_link_outside_the_schools_focus_as_a_tip(plan, school_user):
    goal = smart_goal(plan, school_user, elements=[element(6).pk], criteria=[])
    with_focus(plan, 1, 2)
    check = selectors.plan_check(selectors.plan_with_details(plan_id=plan.pk))
    [finding] = check.goal(goal.pk).findings  # type: ignore[union-attr]
    assert (finding.code, finding.severity, finding.field) == ("a_outside_focus", "soft", "elements")


# --------------------------------------------------------------------------- the integrated STEM project


def test_team_members_and_cool_steps_are_kept_with_their_history(plan, school_user, company_user):
    member = services.team_member_add(
        plan=plan, by=school_user, data={"name": "Els Maes", "kind": "company_expert", "expertise": "procestechniek"}
    )
    step = plan.cool_steps.get(step=CoolStep.Step.CONTEXT_ANALYSIS)
    services.cool_step_update(
        step=step, by=company_user, version=member.plan.version, data={"status": "done", "notes": "Klaar in januari"}
    )
    services.team_member_remove(member=member, by=school_user, version=fresh(plan).version)
    step.refresh_from_db()
    assert (step.status, step.notes) == ("done", "Klaar in januari")
    assert [(c["target"], c["field"], c["new"]) for c in saved_changes(fresh(plan))] == [
        ("team_member", "added", "Els Maes"),
        ("cool_step", "status", "done"),
        ("cool_step", "notes", "Klaar in januari"),
        ("team_member", "removed", None),
    ]


def test_the_second_school_of_the_company_gets_its_own_plan(world, plan):
    second = active_match(world.other_school, world.company, world.edition)
    other = services.plan_get_or_create(match=second, by=world.users["company"])
    assert other != plan
    assert ActionPlan.objects.filter(match__company=world.company).count() == 2


def test_a_milestone_outside_the_goals_period_is_kept_and_flagged_by_the_check(plan, school_user):
    with_focus(plan, 1, 2)
    goal = smart_goal(plan, school_user)
    late = services.milestone_add(
        goal=goal, by=school_user, data={"description": "Toonmoment voor de ouders", "date": "2027-07-01"}
    )
    check = selectors.plan_check(selectors.plan_with_details(plan_id=plan.pk))
    [finding] = check.goal(goal.pk).hard  # type: ignore[union-attr]
    assert (finding.field, finding.item) == ("milestones", late.pk)
    assert finding.hint == "Tijdsgebonden: mijlpaal na de einddatum: Toonmoment voor de ouders (1 juli 2027)"


def test_the_stale_error_for_a_removed_item_names_who_removed_it(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    services.goal_remove(goal=goal, by=company_user, version=goal.plan.version)
    with pytest.raises(services.StalePlan) as refused:
        services.milestone_add(goal=goal, by=school_user, data={"date": "2027-03-01", "description": "Script"})
    assert [(c["field"], c["old"], c["by"]) for c in refused.value.changes] == [("removed", "Doel", str(company_user))]


def test_a_milestone_or_action_that_went_with_its_goal_names_who_removed_the_goal(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Meer meisjes in STEM"})
    milestone = services.milestone_add(goal=goal, by=school_user, data={"date": "2027-03-01", "description": "Start"})
    action = services.action_add(goal=goal, by=school_user, data={"title": "Rolmodellen uitnodigen"})
    opened = fresh(plan).version
    services.goal_remove(goal=goal, by=company_user, version=opened)

    for write in (
        lambda: services.action_update(action=action, by=school_user, version=opened, data={"status": "done"}),
        lambda: services.milestone_update(
            milestone=milestone, by=school_user, version=opened, data={"date": "2027-3-2"}
        ),
        lambda: services.action_remove(action=action, by=school_user, version=opened),
    ):
        with pytest.raises(services.StalePlan) as refused:
            write()
        assert messages(refused.value) == (
            "Iemand anders heeft intussen het doel van dit onderdeel verwijderd. Er werd niets opgeslagen."
        )
        assert [(c["target"], c["field"], c["old"], c["by"]) for c in refused.value.changes] == [
            ("goal", "removed", "Meer meisjes in STEM", str(company_user))
        ]
        assert refused.value.current_version == opened + 1


# --------------------------------------------------------------------------- acting on the version one read


def test_the_changes_since_a_version_say_who_changed_what(plan, school_user, company_user):
    goal = services.goal_add(plan=plan, by=school_user, data={"title": "Doel"})
    opened = fresh(plan).version
    services.goal_update(goal=goal, by=company_user, version=opened, data={"unit": "leerlingen"})
    services.plan_update(plan=plan, by=school_user, version=opened + 1, data={"project_theme": "Water"})
    changes = services.plan_changes_since(fresh(plan), opened)
    assert [(c["target"], c["field"], c["old"], c["new"], c["by"], c["version"]) for c in changes] == [
        ("goal", "unit", "", "leerlingen", str(company_user), opened + 1),
        ("plan", "project_theme", "", "Water", str(school_user), opened + 2),
    ]
    assert services.plan_changes_since(fresh(plan), opened + 2) == []


def test_signing_withdrawing_and_submitting_what_one_read_goes_through(plan, school_user, company_user):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    read = fresh(plan).version
    services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user, version=read)
    services.signature_withdraw(plan=plan, side="school", by=school_user, version=read)
    services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user, version=read)
    services.plan_sign(plan=plan, side="company", name="Jan Janssens", role="HR", by=company_user, version=read)
    submitted = services.plan_submit(plan=plan, by=school_user, today=BEFORE_DEADLINE, version=read)
    assert (submitted.status, submitted.version) == ("submitted", read + 1)


def test_signing_withdrawing_and_submitting_a_plan_that_changed_since_is_refused_and_does_nothing(
    plan, school_user, company_user
):
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    signed = signed_plan(plan, school_user, company_user)
    read = signed.version
    services.plan_update(plan=plan, by=company_user, version=read, data={"project_theme": "Water"})  # withdraws both
    services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    events = PlanEvent.objects.count()

    for act in (
        lambda: services.plan_sign(plan=plan, side="company", name="Jan", role="HR", by=company_user, version=read),
        lambda: services.signature_withdraw(plan=plan, side="school", by=school_user, version=read),
        lambda: services.plan_submit(plan=plan, by=school_user, today=BEFORE_DEADLINE, version=read),
    ):
        with pytest.raises(services.StalePlan) as refused:
            act()
        assert messages(refused.value) == (
            "Het actieplan werd gewijzigd nadat je het opende. Er gebeurde niets: lees eerst de wijzigingen."
        )
        assert refused.value.current_version == read + 1
        assert [(c["field"], c["new"], c["by"]) for c in refused.value.changes] == [
            ("project_theme", "Water", str(company_user))
        ]
    current = fresh(plan)
    assert (current.status, current.version, PlanEvent.objects.count()) == ("draft", read + 1, events)
    assert list(current.signatures.values_list("side", flat=True)) == ["school"]
