"""Template filters of the plan page's goals."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import ngettext

from ..models import Goal

register = template.Library()


@register.filter
def resource_parts(goal: Goal) -> list[str]:
    """What the mentor company puts into a goal, each given part as a short text ("40 hours", "2 staff members",
    "€ 500", the material); an empty list when nothing is given."""
    parts = []
    if goal.company_hours is not None:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", goal.company_hours) % {"n": goal.company_hours})
    if goal.company_staff is not None:
        parts.append(
            ngettext("%(n)s staff member", "%(n)s staff members", goal.company_staff) % {"n": goal.company_staff}
        )
    if goal.budget is not None:
        parts.append(f"€ {floatformat(goal.budget, '-2')}")
    if goal.material.strip():
        parts.append(goal.material.strip())
    return parts
