"""Template tags that put the action plan's calls to action on the dashboard (stempact/views.py stays unaware of
action plans; its template loads these tags instead).

The dashboard reads the member's plans once (`member_plan_rows`, a constant number of queries however many schools
and companies the person belongs to) and picks each school's and company's rows from them with the filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.db.models import Count, Q

from .. import selectors
from ..models import ActionPlan
from ..selectors import MemberPlanRow

if TYPE_CHECKING:
    from partners.models import Company, Edition, Participation, User

register = template.Library()


@register.simple_tag
def member_plan_rows(user: User, edition: Edition | None) -> list[MemberPlanRow]:
    """The active matches of the user's schools and companies in the edition, with their plans (if started)."""
    return selectors.member_plan_rows(user=user, edition=edition)


@register.filter
def for_participation(rows: list[MemberPlanRow], participation: Participation) -> list[MemberPlanRow]:
    """The active match of a school's participation with its plan: none before the match."""
    return [row for row in rows if row.match.participation_id == participation.pk]


@register.filter
def for_company(rows: list[MemberPlanRow], company: Company) -> list[MemberPlanRow]:
    """The company's active matches with their plans."""
    return [row for row in rows if row.match.company_id == company.pk]


@register.simple_tag
def plan_counts_for_adviser(user: User, edition: Edition | None) -> dict[str, int]:
    """How many plans the schools of the adviser's regions have started and submitted in the edition (1 query)."""
    if edition is None or not user.adviser_region_ids:
        return {"started": 0, "submitted": 0}
    return ActionPlan.objects.filter(
        participation__edition=edition, participation__school__region_id__in=user.adviser_region_ids
    ).aggregate(started=Count("id"), submitted=Count("id", filter=Q(status=ActionPlan.Status.SUBMITTED)))
