"""Who may do what with action plans and learning networks. Visibility itself is `ActionPlan.objects.visible_to(user)`
and `LearningNetworkSession.objects.visible_to(user)`: outside it views answer 404; inside it, a predicate here that
says no means 403.

Action plans:
- school members of the plan's school and company members of the plan's mentor company (the sides of the match)
  write the plan while it is a draft, sign for their own side, submit, and comment;
- advisers of the school's region and coordinators read and comment; coordinators also grant deadline extensions and
  reopen a submitted plan;
- jurors see nothing before submission, and read submitted plans of their edition (no comments);
- other schools, other companies and advisers of other regions see nothing.

Learning networks: coordinators and the advisers of a region plan its sessions and register attendance; school and
company members see the sessions of their region; the plan shows its attendance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from matching.models import Match
from partners.models import Role

from .models import ActionPlan, Comment, LearningNetworkSession, Signature

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from partners.models import Region, User

    AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def plan_sides(user: AnyUser, plan: ActionPlan) -> set[str]:
    """The sides of the plan the user belongs to: "school", "company", both or none."""
    if not _active(user):
        return set()
    sides = set()
    if plan.participation.school_id in user.school_ids:  # type: ignore[union-attr]
        sides.add(Signature.Side.SCHOOL.value)
    if plan.match.company_id in user.company_ids:  # type: ignore[union-attr]
        sides.add(Signature.Side.COMPANY.value)
    return sides


def _is_regional_adviser(user: AnyUser, plan: ActionPlan) -> bool:
    return plan.participation.school.region_id in user.adviser_region_ids  # type: ignore[union-attr]


def _is_juror_reader(user: AnyUser, plan: ActionPlan) -> bool:
    if plan.status != ActionPlan.Status.SUBMITTED:
        return False
    editions = {m.edition_id for m in user.active_memberships if m.role == Role.JUROR}  # type: ignore[union-attr]
    return bool(editions) and (None in editions or plan.participation.edition_id in editions)


def can_view_plan(user: AnyUser, plan: ActionPlan) -> bool:
    """The same rule as ActionPlan.objects.visible_to, for one loaded plan."""
    if not _active(user):
        return False
    return (
        user.is_coordinator  # type: ignore[union-attr]
        or bool(plan_sides(user, plan))
        or _is_regional_adviser(user, plan)
        or _is_juror_reader(user, plan)
    )


def can_edit_plan(user: AnyUser, plan: ActionPlan) -> bool:
    """Write goals, milestones, actions, contributions, the project and the team: the two sides, while a draft."""
    return not plan.is_locked and bool(plan_sides(user, plan))


def can_sign_plan(user: AnyUser, plan: ActionPlan, side: str) -> bool:
    """Sign the engagement declaration for `side`: a member of that side, while a draft (the service also requires
    the SMART check to pass)."""
    return not plan.is_locked and side in plan_sides(user, plan)


def can_withdraw_signature(user: AnyUser, plan: ActionPlan, side: str) -> bool:
    if plan.is_locked or not _active(user):
        return False
    return side in plan_sides(user, plan) or user.is_coordinator  # type: ignore[union-attr]


def can_submit_plan(user: AnyUser, plan: ActionPlan) -> bool:
    """Submit (the service checks signatures, SMART and the deadline): either side, while a draft."""
    return can_edit_plan(user, plan)


def can_comment_plan(user: AnyUser, plan: ActionPlan) -> bool:
    """School, company, the region's adviser and coordinators discuss inside the plan; jurors only read."""
    if not _active(user):
        return False
    return user.is_coordinator or bool(plan_sides(user, plan)) or _is_regional_adviser(user, plan)  # type: ignore[union-attr]


def can_remove_comment(user: AnyUser, comment: Comment) -> bool:
    if not _active(user):
        return False
    return comment.author_id == user.pk or user.is_coordinator  # type: ignore[union-attr]


def can_view_history(user: AnyUser, plan: ActionPlan) -> bool:
    """Who changed what: everyone who works on or guides the plan (not jurors)."""
    return can_comment_plan(user, plan)


def can_grant_extension(user: AnyUser, plan: ActionPlan) -> bool:
    return _active(user) and user.is_coordinator and not plan.is_locked  # type: ignore[union-attr]


def can_reopen_plan(user: AnyUser, plan: ActionPlan) -> bool:
    return _active(user) and user.is_coordinator and plan.is_locked  # type: ignore[union-attr]


def can_start_plan(user: AnyUser, match: Match) -> bool:
    """Open (create on first use) the plan of an active match: a member of its school or of its company."""
    if not _active(user) or match.status != Match.Status.ACTIVE or match.company_id is None:
        return False
    return match.participation.school_id in user.school_ids or match.company_id in user.company_ids  # type: ignore[union-attr]


def can_list_plans(user: AnyUser) -> bool:
    """A list of plans: the central team, advisers and jurors (members go straight to their own plan)."""
    if not _active(user):
        return False
    return user.is_coordinator or user.is_adviser or user.is_juror  # type: ignore[union-attr]


def navigation_for(user: User) -> list[dict[str, str]]:
    """Menu entries of the action plans: "Action plans" (the list) for coordinators, advisers and jurors; "Action plan"
    for school and company members, whose page leads to their own plan (or says what comes first). "Learning
    networks" for those who plan the sessions and register attendance (coordinators, the advisers of a region);
    members see their region's sessions on their plan."""
    items: list[dict[str, str]] = []
    if can_list_plans(user):
        items.append({"label": _("Action plans"), "url": reverse("actionplans:plan-list")})
    elif _active(user) and (user.school_ids or user.company_ids):
        items.append({"label": _("Action plan"), "url": reverse("actionplans:plan-list")})
    if can_list_sessions(user) and can_manage_some_sessions(user):
        items.append({"label": _("Learning networks"), "url": reverse("actionplans:network-sessions")})
    return items


# --------------------------------------------------------------------------- learning networks


def can_manage_sessions(user: AnyUser, region: Region) -> bool:
    """Plan, change and remove the sessions of a region."""
    if not _active(user):
        return False
    return user.is_coordinator or region.pk in user.adviser_region_ids  # type: ignore[union-attr]


def can_manage_some_sessions(user: AnyUser) -> bool:
    """Whether `can_manage_sessions` holds for at least one region: a coordinator, or an adviser of a region."""
    if not _active(user):
        return False
    return user.is_coordinator or bool(user.adviser_region_ids)  # type: ignore[union-attr]


def can_edit_session(user: AnyUser, session: LearningNetworkSession) -> bool:
    return can_manage_sessions(user, session.region)


def can_register_attendance(user: AnyUser, session: LearningNetworkSession) -> bool:
    return can_manage_sessions(user, session.region)


def can_list_sessions(user: AnyUser) -> bool:
    if not _active(user):
        return False
    return (
        user.is_coordinator  # type: ignore[union-attr]
        or user.is_adviser  # type: ignore[union-attr]
        or bool(user.school_ids)  # type: ignore[union-attr]
        or bool(user.company_ids)  # type: ignore[union-attr]
    )
