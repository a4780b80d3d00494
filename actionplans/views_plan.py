"""Plan pages: the list of plans, the plan page with its goals, milestones and actions (edited in place with htmx,
the SMART check re-rendered on every save), starting a plan, and the plan's history.

Access: a plan outside the user's scope answers 404 (fetched through `ActionPlan.objects.visible_to`); a write the
user may not make on a plan they can see answers 403 (actionplans/permissions.py).

Editing in place: every editable piece of the page lives in a *slot*, an element with a stable id that holds either
the piece as it reads or its form. A form posts with htmx and replaces its slot with the answer: the saved piece, or
the form again with the errors (400), with what someone else changed meanwhile (409, a stale save: nothing typed is
lost and the form carries the new version), or with the reason it is locked (403). A remove button that is refused
answers its goal card or item with the reason in the same way. static/js/stempact.js lets htmx swap those 4xx
answers inside `[data-swap-errors]`. A save also sends, out of band, the goal's SMART check and the plan's status
line. Without JavaScript the same URLs answer with the whole plan page, the form open in its slot.

A form sends the services only the fields the person changed since the version their page showed
(forms_base.ChangedFieldsForm): saving a goal never undoes what a colleague changed in another field meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baseline.models import Criterion, KeyElement
from matching.models import Match
from matching.permissions import matches_visible_to
from partners.models import Edition

from . import permissions, selectors, services, smart
from .changes import ChangeDescriber, ChangeRow, describe_changes
from .forms_plan import (
    ActionForm,
    GoalForm,
    MilestoneForm,
    RemoveForm,
    VersionedForm,
    goal_initial,
    item_initial,
)
from .models import Action, ActionPlan, Goal, Milestone
from .views_common import (
    add_errors,
    error_text,
    is_locked_error,
    plain_plan_or_404,
    plan_frame,
    plan_page_or_404,
    request_user,
)

if TYPE_CHECKING:
    from partners.models import User

HISTORY_PAGE_SIZE = 50


def _plan_url(plan: ActionPlan | int, anchor: str = "") -> str:
    """The plan page (of a plan, or of a plan id), at `anchor` if given."""
    url = reverse("actionplans:plan-detail", args=[plan]) if isinstance(plan, int) else plan.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


# --------------------------------------------------------------------------- refusals


@dataclass(frozen=True)
class Conflict:
    """A refused save or removal: the reason, what the others changed (a stale write), and the version the form
    now carries."""

    message: str
    rows: list[ChangeRow]
    version: int
    gone: bool = False  # the item itself was removed: saving again cannot help


def _conflict(stale: services.StalePlan, *, gone: bool = False) -> Conflict:
    return Conflict(" ".join(stale.messages), describe_changes(stale.changes), stale.current_version, gone)


def _locked_message() -> str:
    return _("This action plan is submitted and locked. Nothing was saved.")


def _locked_removal_message() -> str:
    return _("This action plan is submitted and locked. Nothing was removed.")


def _out_of_date_message() -> str:
    return _("The page was out of date. Reload it and try again.")


# --------------------------------------------------------------------------- the page's pieces


@dataclass
class FormSlot:
    """An open form in its slot: the element `slot_id` that holds it, where it posts, how to cancel it."""

    form: VersionedForm
    slot_id: str
    action: str
    cancel: str
    conflict: Conflict | None = None
    check: smart.GoalCheck | None = None
    is_new: bool = False

    @property
    def fieldsets(self) -> list[Any]:
        assert isinstance(self.form, GoalForm)
        return self.form.fieldsets(self.check)


@dataclass
class ItemRow:
    """A milestone or action with the SMART findings about it (and its form when open)."""

    item: Milestone | Action
    findings: tuple[smart.Finding, ...]
    slot: FormSlot | None = None
    conflict: Conflict | None = None


@dataclass
class GoalCard:
    """A goal as the plan page shows it: the goal, its SMART check, its milestones and actions, open forms."""

    goal: Goal
    check: smart.GoalCheck
    milestones: list[ItemRow]
    actions: list[ItemRow]
    slot: FormSlot | None = None
    milestone_new: FormSlot | None = None
    action_new: FormSlot | None = None
    conflict: Conflict | None = None


def _item_findings(check: smart.GoalCheck, name: str, item_id: int) -> tuple[smart.Finding, ...]:
    return tuple(f for f in check.findings if f.field == name and f.item == item_id)


def _cards(plan: ActionPlan, plan_check: smart.PlanCheck | None = None) -> list[GoalCard]:
    """The goal cards of a plan loaded with with_page_details (no further queries); `plan_check` is the plan's SMART
    check when the caller has it already."""
    cards = []
    for row in selectors.goals_with_checks(plan, plan_check):
        goal, check = row.goal, row.check
        cards.append(
            GoalCard(
                goal=goal,
                check=check,
                milestones=[ItemRow(m, _item_findings(check, "milestones", m.pk)) for m in goal.milestones.all()],
                actions=[ItemRow(a, _item_findings(check, "actions", a.pk)) for a in goal.actions.all()],
            )
        )
    return cards


def _card(plan: ActionPlan, goal_id: int) -> GoalCard:
    card = next((c for c in _cards(plan) if c.goal.pk == goal_id), None)
    if card is None:
        raise Http404
    return card


def _row(rows: list[ItemRow], item_id: int) -> ItemRow:
    row = next((r for r in rows if r.item.pk == item_id), None)
    if row is None:
        raise Http404
    return row


def _deadline(plan: ActionPlan) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "date": plan.deadline,
        "days_left": (plan.deadline - today).days,
        "extended": plan.deadline != plan.edition.plan_deadline,
    }


def _base_context(request: HttpRequest, plan: ActionPlan) -> dict[str, Any]:
    """What every piece of the plan page needs: the plan, whether this person edits it, the check summary and the
    status line (signatures, who changed the plan last)."""
    return {
        "plan": plan,
        "can_edit": permissions.can_edit_plan(request_user(request), plan),
        "version": plan.version,
        "plan_check": selectors.plan_check(plan),
        "signature_count": len(plan.signatures.all()),
        "last_event": selectors.last_event(plan),
    }


# --------------------------------------------------------------------------- the list


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Coordinators, advisers (their region) and jurors (submitted plans): the edition's plans in a table.
    School and company members: their plan, a button to start it within an active match, or what comes first."""
    user = request_user(request)
    lists = permissions.can_list_plans(user)
    member = bool(user.school_ids or user.company_ids)
    if not lists and not member:
        raise PermissionDenied
    editions = list(Edition.objects.order_by("-starts_on"))
    chosen = request.GET.get("editie")
    edition = next((e for e in editions if e.slug == chosen), None) or Edition.objects.current()

    member_rows = selectors.member_plan_rows(user=user, edition=edition) if member else []
    if not lists and len(member_rows) == 1 and member_rows[0].plan is not None:
        return redirect(_plan_url(member_rows[0].plan))

    context: dict[str, Any] = {
        "edition": edition,
        "editions": editions,
        "lists": lists,
        "member": member,
        "member_rows": member_rows,
    }
    if lists and edition is not None:
        plans = selectors.plans_for(user=user, edition=edition).order_by("participation__school__name")
        context["rows"] = selectors.plans_with_checks(plans)
        if user.is_coordinator or user.adviser_region_ids:
            context["without_plan"] = _matches_without_plan(user, edition)
    if member and not member_rows:
        context["proposed"] = (
            Match.objects.filter(status=Match.Status.PROPOSED, participation__edition=edition)
            .filter(Q(participation__school_id__in=user.school_ids) | Q(company_id__in=user.company_ids))
            .exists()
            if edition
            else False
        )
    return render(request, "actionplans/plan_list.html", context)


def _matches_without_plan(user: User, edition: Edition) -> list[Match]:
    """Active matches in the adviser's region (all for coordinators) whose plan has not been started (1 query)."""
    matches = matches_visible_to(user).filter(
        status=Match.Status.ACTIVE,
        participation__edition=edition,
        company__isnull=False,
        participation__action_plan__isnull=True,
    )
    return list(matches.select_related("participation__school", "company").order_by("participation__school__name"))


@login_required
@require_POST
def plan_start(request: HttpRequest, match_id: int) -> HttpResponse:
    """Open the plan of an active match, creating it (with its COOL steps) on first use."""
    user = request_user(request)
    match = get_object_or_404(
        matches_visible_to(user).select_related("participation__school", "participation__edition", "company"),
        pk=match_id,
    )
    if not permissions.can_start_plan(user, match):
        raise PermissionDenied
    try:
        plan = services.plan_get_or_create(match=match, by=user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("actionplans:plan-list")
    return redirect(_plan_url(plan))


# --------------------------------------------------------------------------- the plan page


def _plan_page(
    request: HttpRequest,
    pk: int,
    *,
    open_slot: Callable[[ActionPlan, list[GoalCard], dict[str, Any]], None] | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    """The plan page; `open_slot` puts an open form into its place (the page without JavaScript); `error` says
    above the goals why a write was refused."""
    plan = plan_page_or_404(request, pk)
    context = plan_frame(request, plan, "goals") | _base_context(request, plan)
    cards = _cards(plan, context["plan_check"])
    if open_slot is not None:
        open_slot(plan, cards, context)
    attendance = selectors.plan_attendance(plan=plan)
    school_sessions, company_sessions = selectors.attendance_count(attendance)
    context |= {
        "cards": cards,
        "deadline": _deadline(plan),
        "attendance": attendance,
        "school_sessions": school_sessions,
        "company_sessions": company_sessions,
        "error": error,
    }
    return render(request, "actionplans/plan_detail.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk)


@login_required
@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what in the plan, newest first (not for jurors)."""
    plan = plain_plan_or_404(request, pk)
    if not permissions.can_view_history(request_user(request), plan):
        raise PermissionDenied
    page = Paginator(plan.events.select_related("by").order_by("-at", "-id"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    describe = ChangeDescriber(change for event in events for change in event.changes)
    context = plan_frame(request, plan, "history")
    context |= {"page": page, "items": [(event, describe.rows(event.changes)) for event in events]}
    return render(request, "actionplans/plan_history.html", context)


# --------------------------------------------------------------------------- answering a write


def _fragment(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"actionplans/{template}", context, status=status)


def _refused_opening(
    request: HttpRequest, plan: ActionPlan, piece: Callable[[str], HttpResponse]
) -> HttpResponse | None:
    """Opening (or cancelling) a form of the plan: None when this person may write it. A side of a plan that was
    submitted meanwhile gets `piece(reason)`, the piece as it reads with the reason (403; without JavaScript the plan
    page with the reason); anyone else a 403."""
    user = request_user(request)
    if permissions.can_edit_plan(user, plan):
        return None
    if not (plan.is_locked and permissions.plan_sides(user, plan)):
        raise PermissionDenied
    reason = _("The action plan is submitted and locked: nobody can change it any more. A coordinator can reopen it.")
    if not request.htmx:
        return _plan_page(request, plan.pk, status=403, error=reason)
    return piece(reason)


def _answer_form(
    request: HttpRequest,
    plan: ActionPlan,
    slot: FormSlot,
    *,
    template: str,
    place: Callable[[list[GoalCard], dict[str, Any], FormSlot], None],
    status: int,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """An open form: the fragment for htmx, else the plan page with the form in its place."""
    if request.htmx:
        context = {"plan": plan, "slot": slot, "can_edit": True, "version": plan.version, **(extra or {})}
        return _fragment(request, template, context, status)
    return _plan_page(request, plan.pk, open_slot=lambda _p, cards, ctx: place(cards, ctx, slot), status=status)


def _refused_form(
    request: HttpRequest,
    plan: ActionPlan,
    slot: FormSlot,
    *,
    template: str,
    place: Callable[[list[GoalCard], dict[str, Any], FormSlot], None],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A side of the plan saving after it was submitted: the form back with the reason (403); others: 403."""
    user = request_user(request)
    if not (plan.is_locked and permissions.plan_sides(user, plan)):
        raise PermissionDenied
    slot.form.is_valid()
    slot.form.add_error(None, _locked_message())
    return _answer_form(request, plan, slot, template=template, place=place, status=403, extra=extra)


def _oob_context(request: HttpRequest, pk: int, goal_id: int | None) -> tuple[ActionPlan, dict[str, Any]]:
    """The plan as it is now, for the answer to a save: base context plus the card of the goal written to."""
    plan = plan_page_or_404(request, pk)
    context = _base_context(request, plan)
    if goal_id is not None:
        context["card"] = next((c for c in _cards(plan, context["plan_check"]) if c.goal.pk == goal_id), None)
    return plan, context


# --------------------------------------------------------------------------- removing


def _removal_refused(
    request: HttpRequest,
    pk: int,
    goal_id: int | None,
    conflict: Conflict,
    kind: ItemKind | None = None,
    item_id: int | None = None,
    *,
    status: int = 409,
) -> HttpResponse:
    """A refused removal: someone changed or removed the item meanwhile (409), the plan was submitted meanwhile
    (403), or the request named no valid version (400). With htmx: the goal card or the item as it is now, with the
    reason (and who changed what) in it. Without: the plan page with the reason."""
    if not request.htmx:
        if status == 409:
            messages.error(request, conflict.message)
            return redirect(_plan_url(pk))
        return _plan_page(request, pk, status=status, error=conflict.message)
    _plan, context = _oob_context(request, pk, goal_id)
    context["conflict"] = conflict
    card: GoalCard | None = context.get("card")
    if card is None:
        return _fragment(request, "_goal_gone.html", context, status=status)
    if kind is None:
        card.conflict = conflict
        return _fragment(request, "_goal.html", context, status=status)
    row = next((r for r in kind.rows(card) if r.item.pk == item_id), None)
    if row is None:
        return _fragment(request, "_goal_gone.html", context, status=status)
    row.conflict = conflict
    context["row"] = row
    return _fragment(request, f"_{kind.name}.html", context, status=status)


def _remove(
    request: HttpRequest,
    pk: int,
    *,
    key: str,
    target: Callable[[ActionPlan], tuple[int | None, Callable[[int], object]]],
    kind: ItemKind | None = None,
    item_id: int | None = None,
) -> tuple[HttpResponse | None, int | None]:
    """Check and carry out a removal. `target(plan)` gives the goal the item belongs to and the call that removes
    it with a version. Answers (the refusal or None when it went through, the goal). Only the sides of the plan
    remove; a side whose plan was submitted meanwhile gets the goal or item back with the reason, others a 403."""
    plan = plain_plan_or_404(request, pk)
    user = request_user(request)
    goal_id, remove = target(plan)

    def refused(message: str, status: int) -> HttpResponse:
        conflict = Conflict(message, [], plan.version)
        return _removal_refused(request, pk, goal_id, conflict, kind, item_id, status=status)

    if not permissions.can_edit_plan(user, plan):
        if plan.is_locked and permissions.plan_sides(user, plan):
            return refused(_locked_removal_message(), 403), goal_id
        raise PermissionDenied
    form = RemoveForm(request.POST, version=plan.version, key=key)
    if not form.is_valid():
        return refused(_out_of_date_message(), 400), goal_id
    try:
        remove(form.cleaned_data["version"])
    except services.StalePlan as stale:
        return _removal_refused(request, pk, goal_id, _conflict(stale), kind, item_id), goal_id
    except ValidationError as error:
        if is_locked_error(error):
            return refused(_locked_removal_message(), 403), goal_id
        return refused(error_text(error), 400), goal_id
    return None, goal_id


# --------------------------------------------------------------------------- goals


def _linkable(plan: ActionPlan) -> list[KeyElement]:
    return selectors.linkable_elements(plan=plan)


def _period(plan: ActionPlan) -> tuple[dt.date, dt.date]:
    """The edition's school year: a goal's dates lie inside it (the SMART check flags them otherwise)."""
    return plan.edition.starts_on, plan.edition.ends_on


def _goal_form(
    plan: ActionPlan, key: str, goal: Goal | None, *, version: int, data: Any = None, initial: Any = None
) -> GoalForm:
    """The form of a new goal or of `goal` (loaded with its links, which stay choosable outside the focus)."""
    return GoalForm(
        data,
        initial=initial,
        version=version,
        key=key,
        elements=_linkable(plan),
        period=_period(plan),
        linked_elements=list(goal.elements.all()) if goal else (),
        linked_criteria=list(goal.criteria.all()) if goal else (),
    )


def _goal_new_slot(plan: ActionPlan, form: GoalForm, conflict: Conflict | None = None) -> FormSlot:
    url = reverse("actionplans:goal-add", args=[plan.pk])
    return FormSlot(form, "goal-new", url, f"{url}?annuleren=1", conflict, is_new=True)


def _goal_slot(plan: ActionPlan, goal_id: int, form: GoalForm, **kwargs: Any) -> FormSlot:
    url = reverse("actionplans:goal-edit", args=[plan.pk, goal_id])
    return FormSlot(form, f"goal-{goal_id}-main", url, f"{url}?annuleren=1", **kwargs)


def _place_goal_new(cards: list[GoalCard], context: dict[str, Any], slot: FormSlot) -> None:
    context["goal_new"] = slot


def _place_goal(goal_id: int) -> Callable[[list[GoalCard], dict[str, Any], FormSlot], None]:
    def place(cards: list[GoalCard], context: dict[str, Any], slot: FormSlot) -> None:
        for card in cards:
            if card.goal.pk == goal_id:
                card.slot = slot

    return place


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plain_plan_or_404(request, pk)
    user = request_user(request)
    if request.method == "GET":
        refused = _refused_opening(
            request,
            plan,
            lambda reason: _fragment(request, "_goal_new.html", {"plan": plan, "refusal": reason}, status=403),
        )
        if refused is not None:
            return refused
        if request.GET.get("annuleren"):
            return (
                _fragment(request, "_goal_new.html", {"plan": plan, "can_edit": True})
                if request.htmx
                else redirect(_plan_url(plan))
            )
        form = _goal_form(plan, "goal-new", None, version=plan.version)
        slot = _goal_new_slot(plan, form)
        return _answer_form(request, plan, slot, template="_goal_form.html", place=_place_goal_new, status=200)

    form = _goal_form(plan, "goal-new", None, version=plan.version, data=request.POST)
    slot = _goal_new_slot(plan, form)
    answer = {"template": "_goal_form.html", "place": _place_goal_new}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    try:
        goal = services.goal_add(plan=plan, by=user, data=form.to_input())
    except ValidationError as error:
        if is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        messages.success(request, _("Goal added. The SMART check below shows what is still missing."))
        return redirect(_plan_url(plan, f"goal-{goal.pk}"))
    _plan, context = _oob_context(request, pk, goal.pk)
    return _fragment(request, "_goal_added.html", context)


def _goal_in_plan(plan: ActionPlan, goal_id: int) -> Goal | None:
    """The goal with its links (what its form shows and compares), if it is (still) in the plan."""
    links = ("elements", Prefetch("criteria", queryset=Criterion.objects.select_related("element")))
    return Goal.objects.filter(pk=goal_id, plan=plan).prefetch_related(*links).first()


def _stub_goal(plan: ActionPlan, goal_id: int) -> Goal:
    """A goal that is no longer there: the service then says who removed it (StalePlan) instead of a 404."""
    goal = Goal(pk=goal_id, title="")
    goal.plan = plan
    return goal


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    user = request_user(request)
    key = f"goal-{goal_id}"
    if request.method == "GET":
        plan = plan_page_or_404(request, pk)
        card = _card(plan, goal_id)
        refused = _refused_opening(
            request,
            plan,
            lambda reason: _fragment(
                request, "_goal_main.html", {**_base_context(request, plan), "card": card, "refusal": reason}, 403
            ),
        )
        if refused is not None:
            return refused
        if request.GET.get("annuleren"):
            if not request.htmx:
                return redirect(_plan_url(plan, f"goal-{goal_id}"))
            return _fragment(request, "_goal_main.html", {**_base_context(request, plan), "card": card})
        form = _goal_form(plan, key, card.goal, version=plan.version, initial=goal_initial(card.goal))
        slot = _goal_slot(plan, goal_id, form, check=card.check)
        return _answer_form(request, plan, slot, template="_goal_form.html", place=_place_goal(goal_id), status=200)

    plan = plain_plan_or_404(request, pk)
    goal = _goal_in_plan(plan, goal_id)
    form = _goal_form(plan, key, goal, version=plan.version, data=request.POST)
    slot = _goal_slot(plan, goal_id, form)
    answer = {"template": "_goal_form.html", "place": _place_goal(goal_id)}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    version = form.cleaned_data["version"]
    current = goal_initial(goal) if goal is not None else None
    touched = (
        form.touched(plan, target="goal", pk=goal_id, current=current)
        if current is not None
        else list(form.field_names)  # removed meanwhile: the service says by whom
    )
    try:
        if touched:
            services.goal_update(
                goal=goal or _stub_goal(plan, goal_id), by=user, version=version, data=form.service_data(touched)
            )
    except services.StalePlan as stale:
        gone = current is None or not Goal.objects.filter(pk=goal_id, plan=plan).exists()
        if gone or current is None:
            data = request.POST.copy()
            data["version"] = str(stale.current_version)
        else:
            data = form.rebased_data(current, touched, stale.current_version)
        again = _goal_form(plan, key, goal, version=stale.current_version, data=data)
        again.is_valid()
        slot = _goal_slot(plan, goal_id, again, conflict=_conflict(stale, gone=gone))
        return _answer_form(request, plan, slot, status=409, **answer)
    except ValidationError as error:
        if is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        if touched:
            messages.success(request, _("Goal saved."))
        else:
            messages.info(request, _("Nothing to save: nothing was changed."))
        return redirect(_plan_url(plan, f"goal-{goal_id}"))
    _plan, context = _oob_context(request, pk, goal_id)
    return _fragment(request, "_goal_saved.html", context)


@login_required
@require_POST
def goal_remove(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    user = request_user(request)

    def target(plan: ActionPlan) -> tuple[int | None, Callable[[int], object]]:
        goal = _goal_in_plan(plan, goal_id) or _stub_goal(plan, goal_id)
        return goal_id, lambda version: services.goal_remove(goal=goal, by=user, version=version)

    refused, _goal_id = _remove(request, pk, key=f"goal-{goal_id}-remove", target=target)
    if refused is not None:
        return refused
    if not request.htmx:
        messages.success(request, _("Goal removed."))
        return redirect(_plan_url(pk))
    _plan, context = _oob_context(request, pk, None)
    return _fragment(request, "_goal_removed.html", context)


# --------------------------------------------------------------------------- milestones and actions


@dataclass(frozen=True)
class ItemKind:
    """What differs between milestones and actions on the page."""

    name: str  # "milestone" or "action"
    model: type[Milestone] | type[Action]
    form: type[MilestoneForm] | type[ActionForm]
    add: Callable[..., Any]
    update: Callable[..., Any]
    remove: Callable[..., Any]

    def rows(self, card: GoalCard) -> list[ItemRow]:
        return card.milestones if self.name == "milestone" else card.actions


MILESTONE = ItemKind(
    "milestone",
    Milestone,
    MilestoneForm,
    lambda goal, by, data: services.milestone_add(goal=goal, by=by, data=data),
    lambda item, by, version, data: services.milestone_update(milestone=item, by=by, version=version, data=data),
    lambda item, by, version: services.milestone_remove(milestone=item, by=by, version=version),
)
ACTION = ItemKind(
    "action",
    Action,
    ActionForm,
    lambda goal, by, data: services.action_add(goal=goal, by=by, data=data),
    lambda item, by, version, data: services.action_update(action=item, by=by, version=version, data=data),
    lambda item, by, version: services.action_remove(action=item, by=by, version=version),
)


def _new_item_slot(kind: ItemKind, plan: ActionPlan, goal_id: int, form: VersionedForm, **kwargs: Any) -> FormSlot:
    url = reverse(f"actionplans:{kind.name}-add", args=[plan.pk, goal_id])
    return FormSlot(form, f"goal-{goal_id}-{kind.name}-new", url, f"{url}?annuleren=1", is_new=True, **kwargs)


def _item_slot(kind: ItemKind, plan: ActionPlan, item_id: int, form: VersionedForm, **kwargs: Any) -> FormSlot:
    url = reverse(f"actionplans:{kind.name}-edit", args=[plan.pk, item_id])
    return FormSlot(form, f"{kind.name}-{item_id}", url, f"{url}?annuleren=1", **kwargs)


def _place_new_item(kind: ItemKind, goal_id: int) -> Callable[[list[GoalCard], dict[str, Any], FormSlot], None]:
    def place(cards: list[GoalCard], context: dict[str, Any], slot: FormSlot) -> None:
        for card in cards:
            if card.goal.pk == goal_id:
                setattr(card, f"{kind.name}_new", slot)

    return place


def _place_item(kind: ItemKind, item_id: int) -> Callable[[list[GoalCard], dict[str, Any], FormSlot], None]:
    def place(cards: list[GoalCard], context: dict[str, Any], slot: FormSlot) -> None:
        for card in cards:
            for row in kind.rows(card):
                if row.item.pk == item_id:
                    row.slot = slot

    return place


def _item_add(request: HttpRequest, pk: int, goal_id: int, kind: ItemKind) -> HttpResponse:
    plan = plain_plan_or_404(request, pk)
    user = request_user(request)
    goal = _goal_in_plan(plan, goal_id)
    template = f"_{kind.name}_new.html"
    answer = {"template": template, "place": _place_new_item(kind, goal_id), "extra": {"goal_id": goal_id}}
    if request.method == "GET":
        if goal is None:
            raise Http404
        refused = _refused_opening(
            request,
            plan,
            lambda reason: _fragment(request, template, {"plan": plan, "goal_id": goal_id, "refusal": reason}, 403),
        )
        if refused is not None:
            return refused
        if request.GET.get("annuleren"):
            if not request.htmx:
                return redirect(_plan_url(plan, f"goal-{goal_id}"))
            return _fragment(request, template, {"plan": plan, "can_edit": True, "goal_id": goal_id})
        form = kind.form(version=plan.version, key=f"goal-{goal_id}-{kind.name}-new")
        return _answer_form(request, plan, _new_item_slot(kind, plan, goal_id, form), status=200, **answer)

    form = kind.form(request.POST, version=plan.version, key=f"goal-{goal_id}-{kind.name}-new")
    slot = _new_item_slot(kind, plan, goal_id, form)
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    try:
        item = kind.add(goal or _stub_goal(plan, goal_id), user, form.to_input())
    except services.StalePlan as stale:  # the goal was removed meanwhile
        slot.conflict = _conflict(stale, gone=True)
        return _answer_form(request, plan, slot, status=409, **answer)
    except ValidationError as error:
        if is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        messages.success(request, _("Saved."))
        return redirect(_plan_url(plan, f"goal-{goal_id}"))
    _plan, context = _oob_context(request, pk, goal_id)
    context |= {"row": _row(kind.rows(context["card"]), item.pk), "goal_id": goal_id}
    return _fragment(request, f"_{kind.name}_added.html", context)


def _item_in_plan(kind: ItemKind, plan: ActionPlan, item_id: int) -> Any:
    return kind.model._default_manager.filter(pk=item_id, goal__plan=plan).select_related("goal").first()


def _stub_item(kind: ItemKind, plan: ActionPlan, item_id: int) -> Any:
    item = kind.model(pk=item_id)
    item.goal = _stub_goal(plan, 0)
    return item


def _item_edit(request: HttpRequest, pk: int, item_id: int, kind: ItemKind) -> HttpResponse:
    user = request_user(request)
    template = f"_{kind.name}.html"
    key = f"{kind.name}-{item_id}"
    if request.method == "GET":
        plan = plan_page_or_404(request, pk)
        item = _item_in_plan(kind, plan, item_id)
        if item is None:
            raise Http404
        card = _card(plan, item.goal_id)
        row = _row(kind.rows(card), item_id)
        context = {**_base_context(request, plan), "card": card, "row": row}

        def locked(reason: str) -> HttpResponse:
            row.conflict = Conflict(reason, [], plan.version)
            return _fragment(request, template, context, status=403)

        refused = _refused_opening(request, plan, locked)
        if refused is not None:
            return refused
        if request.GET.get("annuleren"):
            if not request.htmx:
                return redirect(_plan_url(plan, f"{kind.name}-{item_id}"))
            return _fragment(request, template, context)
        form = kind.form(initial=item_initial(kind.form, item), version=plan.version, key=key)
        row.slot = _item_slot(kind, plan, item_id, form)
        if request.htmx:
            return _fragment(request, template, context)
        return _plan_page(
            request, pk, open_slot=lambda _p, cards, ctx: _place_item(kind, item_id)(cards, ctx, row.slot)
        )

    plan = plain_plan_or_404(request, pk)
    item = _item_in_plan(kind, plan, item_id)
    form = kind.form(request.POST, version=plan.version, key=key)
    slot = _item_slot(kind, plan, item_id, form)
    row = ItemRow(item or _stub_item(kind, plan, item_id), (), slot)
    answer = {"template": template, "place": _place_item(kind, item_id), "extra": {"row": row}}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    version = form.cleaned_data["version"]
    current = item_initial(kind.form, item) if item is not None else None
    touched = (
        form.touched(plan, target=kind.name, pk=item_id, current=current)
        if current is not None
        else list(form.field_names)  # removed meanwhile: the service says by whom
    )
    try:
        if touched:
            kind.update(item or row.item, user, version, form.service_data(touched))
    except services.StalePlan as stale:
        gone = current is None or _item_in_plan(kind, plan, item_id) is None
        if gone or current is None:
            data = request.POST.copy()
            data["version"] = str(stale.current_version)
        else:
            data = form.rebased_data(current, touched, stale.current_version)
        again = kind.form(data, version=stale.current_version, key=key)
        again.is_valid()
        row.slot = _item_slot(kind, plan, item_id, again, conflict=_conflict(stale, gone=gone))
        return _answer_form(request, plan, row.slot, status=409, **answer)
    except ValidationError as error:
        if is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    goal_id = item.goal_id if item is not None else None
    if not request.htmx:
        if touched:
            messages.success(request, _("Saved."))
        else:
            messages.info(request, _("Nothing to save: nothing was changed."))
        return redirect(_plan_url(plan, f"goal-{goal_id}"))
    _plan, context = _oob_context(request, pk, goal_id)
    context["row"] = _row(kind.rows(context["card"]), item_id)
    return _fragment(request, f"_{kind.name}_saved.html", context)


def _item_remove(request: HttpRequest, pk: int, item_id: int, kind: ItemKind) -> HttpResponse:
    user = request_user(request)

    def target(plan: ActionPlan) -> tuple[int | None, Callable[[int], object]]:
        item = _item_in_plan(kind, plan, item_id)
        removed = item or _stub_item(kind, plan, item_id)
        return (item.goal_id if item else None), lambda version: kind.remove(removed, user, version)

    refused, goal_id = _remove(
        request, pk, key=f"{kind.name}-{item_id}-remove", target=target, kind=kind, item_id=item_id
    )
    if refused is not None:
        return refused
    if not request.htmx:
        messages.success(request, _("Removed."))
        return redirect(_plan_url(pk, f"goal-{goal_id}" if goal_id else ""))
    _plan, context = _oob_context(request, pk, goal_id)
    return _fragment(request, "_smart_oob.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    return _item_add(request, pk, goal_id, MILESTONE)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _item_edit(request, pk, item_id, MILESTONE)


@login_required
@require_POST
def milestone_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _item_remove(request, pk, item_id, MILESTONE)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    return _item_add(request, pk, goal_id, ACTION)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _item_edit(request, pk, item_id, ACTION)


@login_required
@require_POST
def action_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    return _item_remove(request, pk, item_id, ACTION)
