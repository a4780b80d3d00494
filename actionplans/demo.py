"""Demo action plans and learning networks on top of the matching demo (which makes the demo pairs' matches active).

- The demo school (GO! Koninklijk Atheneum Antwerpen, mentor BASF Antwerpen) has a draft plan in the current edition,
  written by its demo users through the services: one goal that passes the SMART check, one the check still flags,
  and the company's contribution. Nothing is signed yet, so the demo can be finished by hand.
- Every pair of the previous edition that got past the plan deadline (status plan submitted, scored, finalist or
  awarded) has a submitted plan: one goal, both signatures, submitted before the deadline.
- Learning networks: the three sessions of every region with demo schools in the previous edition, with attendance,
  and the three planned sessions of the demo adviser's region in the current edition.

Idempotent: a school that has a plan, or a region that has sessions in the edition, is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from matching.models import Match
from partners.demo import (
    ADVISER_REGION_SLUG,
    COMPANY_EMAIL,
    COORDINATOR_EMAIL,
    CURRENT_EDITION_YEAR,
    DEMO_SCHOOL_NAME,
    PREVIOUS_EDITION_YEAR,
    SCHOOL_EMAIL,
)
from partners.models import Edition, Participation, Region, User

from . import selectors, services
from .models import ActionPlan, LearningNetworkSession, Signature

#: Statuses of a previous-edition school that submitted its plan.
_SUBMITTED = (
    Participation.Status.PLAN_SUBMITTED,
    Participation.Status.SCORED,
    Participation.Status.FINALIST,
    Participation.Status.AWARDED,
)


@dataclass
class PlanReport:
    plans: int = 0
    submitted: int = 0
    sessions: int = 0


def _edition(year: int) -> Edition | None:
    return Edition.objects.filter(slug=f"{year}-{year + 1}").first()


def _goal(plan: ActionPlan, *, title: str, start: dt.date, end: dt.date, complete: bool) -> dict[str, object]:
    """A goal as school and company would write it; `complete=False` leaves what the SMART check then flags."""
    elements = [e.pk for e in selectors.linkable_elements(plan=plan)][:2]
    return {
        "title": title,
        "elements": elements,
        "grades": ["2"],
        "tracks": ["transition", "double"],
        "programme": "Technologische wetenschappen",
        "subjects": "Chemie, fysica, wiskunde",
        "indicator": "Leerlingen die het geïntegreerde STEM-project volgen",
        "unit": "leerlingen",
        "baseline_value": Decimal(0),
        "target_value": Decimal(60) if complete else None,
        "fit": "Past in de focus op leerplan en onderwijsmethode uit de nulmeting.",
        "owner_school": "STEM-coördinator",
        "owner_company": "Opleidingsverantwoordelijke" if complete else "",
        "company_hours": 40,
        "company_staff": 2,
        "material": "Labomateriaal voor waterzuivering",
        "start": start,
        "end": end,
    }


def _demo_school_plan(edition: Edition, report: PlanReport) -> None:
    match = (
        Match.objects.filter(
            participation__edition=edition,
            participation__school__name=DEMO_SCHOOL_NAME,
            status=Match.Status.ACTIVE,
        )
        .select_related("participation__edition", "company")
        .first()
    )
    if match is None or ActionPlan.objects.filter(participation=match.participation).exists():
        return
    school_user = User.objects.get(email=SCHOOL_EMAIL)
    company_user = User.objects.get(email=COMPANY_EMAIL)
    plan = services.plan_get_or_create(match=match, by=school_user)
    start = edition.networks_end_on
    end = edition.ends_on - dt.timedelta(days=14)
    water = services.goal_add(
        plan=plan,
        by=school_user,
        data=_goal(plan, title="Geïntegreerd STEM-project waterzuivering", start=start, end=end, complete=True),
    )
    services.milestone_add(
        goal=water, by=school_user, data={"date": start + dt.timedelta(days=30), "description": "Lessenreeks klaar"}
    )
    services.action_add(
        goal=water,
        by=school_user,
        data={"title": "Bedrijfsbezoek aan de waterzuivering", "owner": "BASF", "due": start + dt.timedelta(days=20)},
    )
    teachers = services.goal_add(
        plan=plan,
        by=company_user,
        data=_goal(plan, title="Leerkrachten lopen stage in het labo", start=start, end=end, complete=False)
        | {"indicator": "Leerkrachten met een stage in het bedrijf", "unit": "leerkrachten"},
    )
    services.milestone_add(
        goal=teachers, by=company_user, data={"date": end + dt.timedelta(days=7), "description": "Evaluatie"}
    )
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        by=company_user,
        version=plan.version,
        data={
            "contribution_curriculum": "Cases uit de productie als context voor de lessen chemie.",
            "contribution_hours": 40,
            "contribution_staff": 2,
            "project_theme": "Water",
            "project_challenge": "Hoe zuiveren we het water van de haven?",
        },
    )
    report.plans += 1


def _submitted_plans(edition: Edition, report: PlanReport) -> None:
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    matches = (
        Match.objects.filter(
            participation__edition=edition, participation__status__in=_SUBMITTED, status=Match.Status.ACTIVE
        )
        .filter(participation__action_plan__isnull=True)
        .select_related("participation__school", "participation__edition", "company")
        .order_by("participation__school__name")
    )
    for match in matches:
        status = match.participation.status  # submitting would set a lower one; the demo keeps the story's
        plan = services.plan_get_or_create(match=match, by=coordinator)
        start = edition.networks_end_on
        goal = services.goal_add(
            plan=plan,
            by=coordinator,
            data=_goal(plan, title="Geïntegreerd STEM-project", start=start, end=edition.jury_opens_on, complete=True),
        )
        services.milestone_add(
            goal=goal, by=coordinator, data={"date": start + dt.timedelta(days=14), "description": "Start in de klas"}
        )
        plan.refresh_from_db()
        for side, name in ((Signature.Side.SCHOOL, "Directie"), (Signature.Side.COMPANY, match.company.name)):
            Signature.objects.create(plan=plan, side=side, name=name, role="Demo")
        services.plan_submit(plan=plan, by=coordinator, today=edition.plan_deadline - dt.timedelta(days=7))
        Participation.objects.filter(pk=match.participation_id).update(status=status)
        report.submitted += 1


def _sessions(edition: Edition, *, regions: set[str], attendance: bool, report: PlanReport) -> None:
    """The three sessions of each region, spread over the learning-network window; all present if `attendance`."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    window = (edition.networks_end_on - edition.networks_start_on).days
    kinds = list(LearningNetworkSession.Kind.values)
    for region in Region.objects.filter(slug__in=regions).order_by("slug"):
        if LearningNetworkSession.objects.filter(edition=edition, region=region).exists():
            continue
        participations = list(Participation.objects.filter(edition=edition, school__region=region))
        companies = {
            m.company
            for m in Match.objects.filter(participation__in=participations, status=Match.Status.ACTIVE).select_related(
                "company"
            )
        }
        for i, kind in enumerate(kinds):
            session = services.session_create(
                edition=edition,
                region=region,
                kind=kind,
                date=edition.networks_start_on + dt.timedelta(days=(i * window) // len(kinds) + 3),
                by=coordinator,
                place="Voka-kantoor",
            )
            report.sessions += 1
            if attendance:
                for participation in participations:
                    services.attendance_set(session=session, by=coordinator, present=True, participation=participation)
                for company in sorted(companies, key=lambda c: c.pk):
                    services.attendance_set(session=session, by=coordinator, present=True, company=company)


@transaction.atomic
def build_demo_plans() -> PlanReport:
    report = PlanReport()
    current, previous = _edition(CURRENT_EDITION_YEAR), _edition(PREVIOUS_EDITION_YEAR)
    if previous is not None:
        _submitted_plans(previous, report)
        regions = set(
            Participation.objects.filter(edition=previous)
            .exclude(school__name__endswith=" (demo)")
            .values_list("school__region__slug", flat=True)
        )
        _sessions(previous, regions=regions, attendance=True, report=report)
    if current is not None:
        _demo_school_plan(current, report)
        _sessions(current, regions={ADVISER_REGION_SLUG}, attendance=False, report=report)
    return report
