"""The demo (`seed_demo`) gives every role something to see in matching and the action plans."""

import io

import pytest
from django.core.management import call_command

from actionplans import selectors
from actionplans.models import ActionPlan, Attendance, LearningNetworkSession
from matching.models import Match
from partners.demo import DEMO_COMPANY_NAME, DEMO_SCHOOL_NAME
from partners.models import Edition, Participation

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def test_the_demo_school_has_its_mentor_and_a_draft_plan_the_smart_check_still_flags():
    output = seed()
    current = Edition.objects.get(slug="2026-2027")

    match = Match.objects.get(
        participation__edition=current, participation__school__name=DEMO_SCHOOL_NAME, status=Match.Status.ACTIVE
    )
    assert match.company.name == DEMO_COMPANY_NAME
    plan = ActionPlan.objects.get(participation=match.participation)
    assert plan.status == ActionPlan.Status.DRAFT
    check = selectors.plan_check(selectors.plan_with_details(plan_id=plan.pk))
    assert plan.goals.count() == 2 and check.hard_count >= 1  # something left to fix in the demo
    complete, flagged = check.goals
    assert not complete.has_hard_failure  # the first goal shows what a SMART goal looks like
    assert flagged.has_hard_failure
    assert "Action plans: 1 draft" in output


def test_the_previous_edition_has_submitted_plans_and_learning_networks_with_attendance():
    seed()
    previous = Edition.objects.get(slug="2025-2026")

    submitted = ActionPlan.objects.filter(participation__edition=previous, status=ActionPlan.Status.SUBMITTED)
    assert submitted.count() > 0
    assert not any(check.has_hard_failure for _plan, check in selectors.plans_with_checks(submitted))
    assert all(plan.signatures.count() == 2 for plan in submitted)
    # The story's later statuses (scored, finalist, awarded) are kept, not set back to "plan submitted".
    assert Participation.objects.filter(edition=previous, status=Participation.Status.AWARDED).exists()
    sessions = LearningNetworkSession.objects.filter(edition=previous)
    assert sessions.count() % 3 == 0 and sessions.count() > 0
    assert all(previous.networks_start_on <= s.date <= previous.networks_end_on for s in sessions)
    assert Attendance.objects.filter(session__edition=previous, present=True).exists()


def test_seeding_twice_adds_no_matches_plans_or_sessions():
    seed()
    counts = (Match.objects.count(), ActionPlan.objects.count(), LearningNetworkSession.objects.count())
    again = seed()
    assert (Match.objects.count(), ActionPlan.objects.count(), LearningNetworkSession.objects.count()) == counts
    assert "Active matches of the demo pairs: 0 created" in again
