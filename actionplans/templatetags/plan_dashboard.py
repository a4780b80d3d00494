"""Template tags that put the action plan's calls to action on the dashboard (stempact/views.py stays unaware of
action plans; its template loads these tags instead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.db.models import Count, Q

from ..models import ActionPlan
from ..views_plan import MemberRow, member_plan_rows

if TYPE_CHECKING:
    from partners.models import Company, Edition, Participation, User

register = template.Library()


@register.simple_tag
def plan_rows_for_school(participation: Participation, user: User) -> list[MemberRow]:
    """The active match of a school's participation with its plan (if started): none before the match."""
    rows = member_plan_rows(user, participation.edition)
    return [row for row in rows if row.match.participation_id == participation.pk]


@register.simple_tag
def plan_rows_for_company(company: Company, user: User, edition: Edition | None) -> list[MemberRow]:
    """The company's active matches in the edition with their plans (if started)."""
    rows = member_plan_rows(user, edition)
    return [row for row in rows if row.match.company_id == company.pk]


@register.simple_tag
def plan_counts_for_adviser(user: User, edition: Edition | None) -> dict[str, int]:
    """How many plans the schools of the adviser's regions have started and submitted in the edition (1 query)."""
    if edition is None or not user.adviser_region_ids:
        return {"started": 0, "submitted": 0}
    return ActionPlan.objects.filter(
        participation__edition=edition, participation__school__region_id__in=user.adviser_region_ids
    ).aggregate(started=Count("id"), submitted=Count("id", filter=Q(status=ActionPlan.Status.SUBMITTED)))
