"""Who sees and does what with an action plan, for each of the nine roles, before and after submission.

The pages and API come later; they fetch through ActionPlan.objects.visible_to (outside it: 404) and ask these
predicates (inside it but not allowed: 403). A second plan (other school, other company) is there to leak."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actionplans import permissions, services
from actionplans.models import ActionPlan
from actionplans.tests.factories import other_plan, submitted_plan
from partners.models import Role
from partners.tests import factories as f
from partners.tests.roles import ROLES

pytestmark = pytest.mark.django_db

#: role -> (sees the plan, edits it, comments, signs for the school, signs for the company)
DRAFT = {
    "anonymous": (False, False, False, False, False),
    "other_school": (False, False, False, False, False),
    "own_school": (True, True, True, True, False),
    "company": (True, True, True, False, True),
    "adviser_other_region": (False, False, False, False, False),
    "adviser": (True, False, True, False, False),
    "juror": (False, False, False, False, False),
    "juror_with_conflict": (False, False, False, False, False),
    "coordinator": (True, False, True, False, False),
}
SUBMITTED = {
    "anonymous": (False, False, False, False, False),
    "other_school": (False, False, False, False, False),
    "own_school": (True, False, True, False, False),
    "company": (True, False, True, False, False),
    "adviser_other_region": (False, False, False, False, False),
    "adviser": (True, False, True, False, False),
    "juror": (True, False, False, False, False),
    "juror_with_conflict": (True, False, False, False, False),
    "coordinator": (True, False, True, False, False),
}


def user_of(world, role):
    return world.users[role] or AnonymousUser()


def access(user, plan: ActionPlan) -> tuple[bool, ...]:
    visible = ActionPlan.objects.visible_to(user).filter(pk=plan.pk).exists()
    assert visible == permissions.can_view_plan(user, plan), "the queryset and the predicate must agree"
    return (
        visible,
        permissions.can_edit_plan(user, plan),
        permissions.can_comment_plan(user, plan),
        permissions.can_sign_plan(user, plan, "school"),
        permissions.can_sign_plan(user, plan, "company"),
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_of_a_draft_plan(world, plan, role):
    other_plan(world)
    assert access(user_of(world, role), plan) == DRAFT[role]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_of_a_submitted_plan(world, plan, school_user, company_user, role):
    other_plan(world)
    submitted = submitted_plan(plan, school_user, company_user)
    assert access(user_of(world, role), submitted) == SUBMITTED[role]


def test_a_company_only_sees_the_plans_of_its_own_matches(world, plan):
    others = other_plan(world)
    assert list(ActionPlan.objects.visible_to(world.users["company"])) == [plan]
    assert list(ActionPlan.objects.visible_to(f.company_member(world.other_company))) == [others]
    assert not permissions.can_view_plan(world.users["company"], others)


def test_the_regional_adviser_sees_every_plan_of_the_region_and_the_coordinator_all(world, plan):
    others = other_plan(world)
    assert set(ActionPlan.objects.visible_to(world.users["adviser"])) == {plan, others}
    assert list(ActionPlan.objects.visible_to(world.users["adviser_other_region"])) == []
    assert set(ActionPlan.objects.visible_to(world.users["coordinator"])) == {plan, others}


def test_a_juror_reads_only_submitted_plans_of_their_own_edition(world, plan, school_user, company_user):
    draft = other_plan(world)
    submitted = submitted_plan(plan, school_user, company_user)
    juror_elsewhere = f.juror(f.EditionFactory(year=2030))
    assert list(ActionPlan.objects.visible_to(world.users["juror"])) == [submitted]
    assert not permissions.can_view_plan(world.users["juror"], draft)
    assert list(ActionPlan.objects.visible_to(juror_elsewhere)) == []
    assert not permissions.can_view_plan(juror_elsewhere, submitted)
    assert not permissions.can_view_history(world.users["juror"], submitted)


def test_only_a_coordinator_grants_extensions_and_reopens(world, plan, school_user, company_user):
    grants = {role: permissions.can_grant_extension(user_of(world, role), plan) for role in ROLES}
    assert [role for role, allowed in grants.items() if allowed] == ["coordinator"]
    submitted = submitted_plan(plan, school_user, company_user)
    reopens = {role: permissions.can_reopen_plan(user_of(world, role), submitted) for role in ROLES}
    assert [role for role, allowed in reopens.items() if allowed] == ["coordinator"]


def test_the_members_of_an_active_match_start_its_plan(world, match):
    starts = {role: permissions.can_start_plan(user_of(world, role), match) for role in ROLES}
    assert [role for role, allowed in starts.items() if allowed] == ["own_school", "company"]
    match.status = match.Status.PROPOSED
    assert not permissions.can_start_plan(world.users["own_school"], match)


def test_a_comment_is_removed_by_its_author_or_a_coordinator(world, plan):
    comment = services.comment_add(plan=plan, by=world.users["adviser"], text="Denk aan de evaluatie.")
    removers = {role: permissions.can_remove_comment(user_of(world, role), comment) for role in ROLES}
    assert [role for role, allowed in removers.items() if allowed] == ["adviser", "coordinator"]


def test_someone_in_both_the_school_and_the_company_belongs_to_both_sides(world, plan):
    both = world.users["own_school"]
    f.membership(both, Role.COMPANY, company=world.company)
    both = type(both).objects.get(pk=both.pk)  # memberships are cached per user object
    assert permissions.plan_sides(both, plan) == {"school", "company"}
