"""What the plan pages of views_plan.py and views_submit.py share: fetching the plan for this user (404 outside
their scope), putting a service's refusal into a form, and what the header and tab bar of every plan page need."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from . import permissions, selectors
from .models import ActionPlan

if TYPE_CHECKING:
    from partners.models import User


def request_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def plan_page_or_404(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan with what the plan page reads (goals, milestones, actions, signatures), or 404 outside the scope."""
    try:
        return selectors.plan_page_for(user=request_user(request), plan_id=pk)
    except ActionPlan.DoesNotExist:
        raise Http404 from None


def plan_detail_or_404(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan with everything the pages around the goals read (constant queries), or 404 outside the scope."""
    try:
        return selectors.plan_detail_for(user=request_user(request), plan_id=pk)
    except ActionPlan.DoesNotExist:
        raise Http404 from None


def plain_plan_or_404(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan with what the permission predicates read (one query), for writes, comments and the history; 404
    outside the scope."""
    plans = ActionPlan.objects.visible_to(request_user(request)).select_related(
        "participation__school__region", "participation__edition", "match__company"
    )
    return get_object_or_404(plans, pk=pk)


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal into the form: beside the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, texts)
    else:
        form.add_error(None, error.messages)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def is_locked_error(error: ValidationError) -> bool:
    """The plan was submitted (locked) between loading it and writing."""
    return not hasattr(error, "error_dict") and any(e.code == "locked" for e in error.error_list)


def plan_frame(request: HttpRequest, plan: ActionPlan, section: str) -> dict[str, Any]:
    """What the header and the tab bar of every plan page need (templates/actionplans/_plan_tabs.html): the tab of
    this page (`section`: goals, contributions, project, submit, comments, history) and which tabs this user sees."""
    user = request_user(request)
    return {
        "plan": plan,
        "plan_url": plan.get_absolute_url(),
        "section": section,
        "can_edit": permissions.can_edit_plan(user, plan),
        "can_comment": permissions.can_comment_plan(user, plan),
        "can_view_history": permissions.can_view_history(user, plan),
        "can_list_plans": permissions.can_list_plans(user),
    }
