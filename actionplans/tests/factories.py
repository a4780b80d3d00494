"""Helpers that build action plans for tests, through the services as the school and company would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from actionplans import services
from actionplans.models import ActionPlan, Goal
from baseline.models import Criterion, KeyElement
from baseline.tests.factories import filled_measurement
from matching.models import Match
from partners.models import Company, Participation, School, User
from partners.tests import factories as f

#: The world's edition runs 2026-09-01 .. 2027-08-31 with the plan deadline on 2027-04-30.
BEFORE_DEADLINE = dt.date(2027, 4, 20)


def active_match(school: School, company: Company, edition) -> Match:
    """An active match (both sides accepted) of a school's participation with a mentor company."""
    participation = Participation.objects.get(edition=edition, school=school)
    return Match.objects.create(participation=participation, company=company, status=Match.Status.ACTIVE)


def element(number: int) -> KeyElement:
    return KeyElement.objects.filter(number=number).order_by("-framework_id").first()  # type: ignore[return-value]


def criterion(number: int) -> Criterion:
    return Criterion.objects.filter(number=number).order_by("-element__framework_id").first()  # type: ignore[return-value]


def with_focus(plan: ActionPlan, *numbers: int) -> ActionPlan:
    """Give the plan's school a baseline with these focus key elements."""
    filled_measurement(plan.participation, focus=numbers)
    return plan


def smart_goal_data(**overrides: Any) -> dict[str, Any]:
    """Goal fields that pass every SMART rule, hard and soft (elements/criteria of focus element 2, Leerplan)."""
    data: dict[str, Any] = {
        "title": "Meer leerlingen kiezen STEM in de tweede graad",
        "grades": ["2"],
        "tracks": ["transition"],
        "programme": "STEM-wetenschappen",
        "subjects": "wiskunde, fysica, chemie",
        "indicator": "leerlingen die het geïntegreerde project doorlopen",
        "unit": "leerlingen",
        "baseline_value": Decimal("0"),
        "target_value": Decimal("48"),
        "fit": "Interdisciplinair project met een echte uitdaging van het bedrijf.",
        "owner_school": "An Peeters (TAC)",
        "owner_company": "Jan Janssens (HR)",
        "company_hours": 40,
        "company_staff": 2,
        "material": "Sensorkits",
        "budget": Decimal("500"),
        "start": dt.date(2027, 1, 15),
        "end": dt.date(2027, 6, 15),
        "elements": [element(2).pk],
        "criteria": [criterion(5).pk],
    }
    return data | overrides


def smart_goal(plan: ActionPlan, by: User, **overrides: Any) -> Goal:
    """A goal that passes the SMART check: SMART fields, one milestone and one action inside its period."""
    goal = services.goal_add(plan=plan, by=by, data=smart_goal_data(**overrides))
    services.milestone_add(
        goal=goal, by=by, data={"date": dt.date(2027, 3, 1), "description": "Script van het project klaar"}
    )
    services.action_add(
        goal=goal,
        by=by,
        data={"title": "Bedrijfsbezoek met de leerkrachten", "owner": "Jan Janssens", "due": dt.date(2027, 2, 1)},
    )
    goal.refresh_from_db()
    return goal


def fresh(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.get(pk=plan.pk)


def signed_plan(plan: ActionPlan, school_user: User, company_user: User) -> ActionPlan:
    """Both sides sign (the plan must pass the SMART check)."""
    services.plan_sign(plan=plan, side="school", name="Karin Wouters", role="Directeur", by=school_user)
    services.plan_sign(plan=plan, side="company", name="Jan Janssens", role="HR-manager", by=company_user)
    return fresh(plan)


def submitted_plan(plan: ActionPlan, school_user: User, company_user: User) -> ActionPlan:
    """A plan with a SMART goal, signed by both sides and submitted before the deadline."""
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    signed_plan(plan, school_user, company_user)
    return services.plan_submit(plan=fresh(plan), by=school_user, today=BEFORE_DEADLINE)


def other_plan(world) -> ActionPlan:
    """A plan of the other school (same region) with the other company: data that must not leak."""
    match = active_match(world.other_school, world.other_company, world.edition)
    return services.plan_get_or_create(match=match, by=f.coordinator())
