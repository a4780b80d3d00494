"""Template tags that show a company's mentor profile on pages of other apps (the company page, the dashboard).

partners may not import matching; its templates load these tags instead.
"""

from __future__ import annotations

from typing import Any

from django import template

from partners.models import Company, Edition

from ..models import MentorProfile
from ..profiles import profile_summary

register = template.Library()


@register.inclusion_tag("matching/_company_profile.html", takes_context=True)
def mentor_profile_card(context: dict[str, Any], company: Company) -> dict[str, object]:
    """The company's mentor profile in the current edition, with a link to edit (or fill in) or view it."""
    return {"summary": profile_summary(user=context["user"], company=company)}


@register.simple_tag
def mentor_profile_of(company: Company, edition: Edition | None) -> MentorProfile | None:
    """The company's profile in the edition, or None (also without an edition)."""
    if edition is None:
        return None
    return MentorProfile.objects.filter(company=company, edition=edition).first()
