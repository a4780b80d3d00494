"""Plan pages: the list of plans, the plan page with its goals, milestones and actions (edited in place with htmx,
the SMART check re-rendered on every save), starting a plan, and the plan's history.

Access: a plan outside the user's scope answers 404 (fetched through `ActionPlan.objects.visible_to`); a write the
user may not make on a plan they can see answers 403 (actionplans/permissions.py).

Editing in place: every editable piece of the page lives in a *slot*, an element with a stable id that holds either
the piece as it reads or its form. A form posts with htmx and replaces its slot with the answer: the saved piece, or
the form again with the errors (400), with what someone else changed meanwhile (409, a stale save: nothing typed is
lost and the form carries the new version), or with the reason it is locked (403). static/js/measurement.js lets htmx
swap those 4xx answers inside `[data-swap-errors]`. A save also sends, out of band, the goal's SMART check and the
plan's status line. Without JavaScript the same URLs answer with the whole plan page, the form open in its slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baseline.models import Criterion, KeyElement
from matching.models import Match
from matching.permissions import matches_visible_to
from partners.models import Edition, StemProject

from . import permissions, selectors, services, smart
from .forms_plan import ActionForm, GoalForm, MilestoneForm, RemoveForm, VersionedForm, goal_initial
from .models import (
    Action,
    ActionPlan,
    CoolStep,
    Goal,
    Grade,
    Milestone,
    Signature,
    TeamMember,
    Track,
)

if TYPE_CHECKING:
    from partners.models import User

HISTORY_PAGE_SIZE = 50

#: The other sections of a plan (built in urls_submit.py), linked from the plan page when their URL exists.
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("actionplans:plan-contributions", gettext_lazy("Mentor company's contribution")),
    ("actionplans:plan-project", gettext_lazy("Integrated STEM project (COOL)")),
    ("actionplans:plan-submit", gettext_lazy("Sign and submit")),
    ("actionplans:plan-comments", gettext_lazy("Comments")),
)

#: How the history and a stale save name the kind of item a change is about.
TARGET_LABELS: dict[str, Any] = {
    "plan": gettext_lazy("Action plan"),
    "goal": gettext_lazy("Goal"),
    "milestone": gettext_lazy("Milestone"),
    "action": gettext_lazy("Action"),
    "team_member": gettext_lazy("Teacher Design Team member"),
    "cool_step": gettext_lazy("COOL step"),
    "signature": gettext_lazy("Signature"),
}

#: Fields whose history values are choice values, shown with their label.
CHOICE_LABELS: dict[tuple[str, str], Any] = {
    ("goal", "grades"): Grade,
    ("goal", "tracks"): Track,
    ("action", "status"): Action.Status,
    ("cool_step", "status"): CoolStep.Status,
    ("team_member", "kind"): TeamMember.Kind,
    ("signature", "side"): Signature.Side,
}
DATE_FIELDS = {"start", "end", "date", "due", "extension_until"}
DECIMAL_FIELDS = {"baseline_value", "target_value", "budget"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _plan_url(plan: ActionPlan | int, anchor: str = "") -> str:
    """The plan page (of a plan, or of a plan id), at `anchor` if given."""
    url = reverse("actionplans:plan-detail", args=[plan]) if isinstance(plan, int) else plan.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


# --------------------------------------------------------------------------- small selectors


def _goals_for_check() -> Prefetch:
    """The goals with what the SMART check reads (links, milestones, actions), for many plans at once."""
    return Prefetch(
        "goals",
        queryset=Goal.objects.order_by("order", "id").prefetch_related(
            "elements",
            "criteria",
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id")),
            Prefetch("actions", queryset=Action.objects.order_by("due", "id")),
        ),
    )


def plans_with_checks(plans: QuerySet[ActionPlan]) -> list[tuple[ActionPlan, smart.PlanCheck]]:
    """Each plan with its SMART check, in a constant number of queries however many plans and goals."""
    loaded = plans.prefetch_related(_goals_for_check())
    return [(plan, selectors.plan_check(plan)) for plan in loaded]


def _plan_detail(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan with everything the page shows (constant queries), or 404 outside the user's scope."""
    try:
        return selectors.plan_page_for(user=_user(request), plan_id=pk)
    except ActionPlan.DoesNotExist:
        raise Http404 from None


def _plain_plan(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan without its goals, for writes and the history; 404 outside the user's scope."""
    return get_object_or_404(
        ActionPlan.objects.visible_to(_user(request)).select_related(
            "participation__school__region", "participation__edition", "match__company"
        ),
        pk=pk,
    )


# --------------------------------------------------------------------------- describing changes


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change, readable: which item, which field, before and after, by whom and when."""

    subject: str
    field: str
    old: str
    new: str
    by: str = ""
    at: dt.datetime | None = None


class ChangeDescriber:
    """Turns the `changes` of history events and stale saves into rows people can read (at most 3 queries, only
    when changes name key elements, criteria or STEM projects)."""

    def __init__(self, changes: Iterable[dict[str, Any]]) -> None:
        wanted: dict[str, set[int]] = {"elements": set(), "criteria": set(), "stem_projects": set()}
        for change in changes:
            name = change.get("field")
            if name in wanted:
                for value in (change.get("old"), change.get("new")):
                    wanted[name].update(v for v in value or [] if isinstance(v, int))
        self.names: dict[str, dict[int, str]] = {
            "elements": {e.pk: str(e) for e in KeyElement.objects.filter(pk__in=wanted["elements"])}
            if wanted["elements"]
            else {},
            "criteria": {c.pk: str(c) for c in Criterion.objects.filter(pk__in=wanted["criteria"])}
            if wanted["criteria"]
            else {},
            "stem_projects": {p.pk: str(p) for p in StemProject.objects.filter(pk__in=wanted["stem_projects"])}
            if wanted["stem_projects"]
            else {},
        }

    def rows(self, changes: Iterable[dict[str, Any]]) -> list[ChangeRow]:
        return [self.row(change) for change in changes]

    def row(self, change: dict[str, Any]) -> ChangeRow:
        target = change.get("target", "")
        name = change.get("field", "")
        at = change.get("at")
        return ChangeRow(
            subject=self.subject(change),
            field=self.field(target, name),
            old=self.value(target, name, change.get("old")),
            new=self.value(target, name, change.get("new")),
            by=change.get("by", ""),
            at=dt.datetime.fromisoformat(at) if isinstance(at, str) else None,
        )

    @staticmethod
    def subject(change: dict[str, Any]) -> str:
        target = change.get("target", "")
        kind = str(TARGET_LABELS.get(target, target))
        if target == "signature" and change.get("side") in Signature.Side.values:
            return f"{kind} ({Signature.Side(change['side']).label})"
        label = change.get("label") or ""
        if target == "plan":
            return kind
        return f"{kind} “{label}”" if label else kind

    @staticmethod
    def field(target: str, name: str) -> str:
        if name == "added":
            return _("added")
        if name == "removed":
            return _("removed")
        label = str(selectors.field_label(target, name))
        return label[:1].upper() + label[1:]

    def value(self, target: str, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if name in self.names and isinstance(value, list):
            return ", ".join(self.names[name].get(v, "?") for v in value)
        choices = CHOICE_LABELS.get((target, name))
        if choices is not None:
            labels = dict(choices.choices)
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(labels.get(v, v)) for v in values)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if name in DATE_FIELDS and isinstance(value, str):
            try:
                return date_format(dt.date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        if name in DECIMAL_FIELDS and isinstance(value, str):
            try:
                number = Decimal(value)
            except InvalidOperation:
                return value
            return number_format(number, 0 if number == number.to_integral_value() else 2)
        return str(value)


@dataclass(frozen=True)
class Conflict:
    """A refused stale save or removal: the service's message, what the others changed, and the version the form
    now carries."""

    message: str
    rows: list[ChangeRow]
    version: int
    gone: bool = False  # the item itself was removed: saving again cannot help


def _conflict(stale: services.StalePlan, *, gone: bool = False) -> Conflict:
    rows = ChangeDescriber(stale.changes).rows(stale.changes)
    return Conflict(" ".join(stale.messages), rows, stale.current_version, gone)


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


@dataclass(frozen=True)
class SectionLink:
    label: str
    url: str
    name: str


def _section_links(plan: ActionPlan) -> list[SectionLink]:
    """The plan's other sections whose pages exist (they are built beside this module)."""
    links = []
    for name, label in SECTIONS:
        url = _url_or_empty(name, plan.pk)
        if url:
            links.append(SectionLink(str(label), url, name.split(":")[1]))
    return links


def _url_or_empty(name: str, pk: int) -> str:
    """The URL of a page built beside this module, or "" while it does not exist."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _deadline(plan: ActionPlan) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "date": plan.deadline,
        "days_left": (plan.deadline - today).days,
        "extended": plan.deadline != plan.edition.plan_deadline,
    }


def _base_context(request: HttpRequest, plan: ActionPlan) -> dict[str, Any]:
    """What every piece of the plan page needs: the plan, whether this person edits it, the check summary."""
    return {
        "plan": plan,
        "can_edit": permissions.can_edit_plan(_user(request), plan),
        "version": plan.version,
        "plan_check": selectors.plan_check(plan),
        "signature_count": len(plan.signatures.all()),
    }


# --------------------------------------------------------------------------- the list


@dataclass
class MemberRow:
    """A school or company member's view of one active match: its plan (if started) and its SMART check."""

    match: Match
    plan: ActionPlan | None = None
    check: smart.PlanCheck | None = None


def member_plan_rows(user: User, edition: Edition | None) -> list[MemberRow]:
    """The active matches of the user's schools and companies in the edition, with their plans (3 queries + goals)."""
    if edition is None or not (user.school_ids or user.company_ids):
        return []
    matches = list(
        Match.objects.filter(status=Match.Status.ACTIVE, participation__edition=edition, company__isnull=False)
        .filter(Q(participation__school_id__in=user.school_ids) | Q(company_id__in=user.company_ids))
        .select_related("participation__school", "participation__edition", "company")
        .order_by("participation__school__name")
    )
    if not matches:
        return []
    rows = [MemberRow(m) for m in matches]
    plans = ActionPlan.objects.filter(participation_id__in=[m.participation_id for m in matches]).select_related(
        "participation__edition"
    )
    by_participation = {plan.participation_id: (plan, check) for plan, check in plans_with_checks(plans)}
    for row in rows:
        found = by_participation.get(row.match.participation_id)
        if found and found[0].match_id == row.match.pk:
            row.plan, row.check = found
    return rows


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Coordinators, advisers (their region) and jurors (submitted plans): the edition's plans in a table.
    School and company members: their plan, a button to start it within an active match, or what comes first."""
    user = _user(request)
    lists = permissions.can_list_plans(user)
    member = bool(user.school_ids or user.company_ids)
    if not lists and not member:
        raise PermissionDenied
    editions = list(Edition.objects.order_by("-starts_on"))
    chosen = request.GET.get("editie")
    edition = next((e for e in editions if e.slug == chosen), None) or Edition.objects.current()

    member_rows = member_plan_rows(user, edition) if member else []
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
        context["rows"] = plans_with_checks(plans)
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
    user = _user(request)
    match = get_object_or_404(
        matches_visible_to(user).select_related("participation__school", "participation__edition", "company"),
        pk=match_id,
    )
    if not permissions.can_start_plan(user, match):
        raise PermissionDenied
    try:
        plan = services.plan_get_or_create(match=match, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("actionplans:plan-list")
    return redirect(_plan_url(plan))


# --------------------------------------------------------------------------- the plan page


def _plan_page(
    request: HttpRequest,
    pk: int,
    *,
    open_slot: Callable[[ActionPlan, list[GoalCard], dict[str, Any]], None] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; `open_slot` puts an open form into its place (the page without JavaScript)."""
    plan = _plan_detail(request, pk)
    user = _user(request)
    context = _base_context(request, plan)
    cards = _cards(plan, context["plan_check"])
    if open_slot is not None:
        open_slot(plan, cards, context)
    attendance = selectors.plan_attendance(plan=plan)
    school_sessions, company_sessions = selectors.attendance_count(attendance)
    context |= {
        "cards": cards,
        "deadline": _deadline(plan),
        "sections": _section_links(plan),
        "attendance": attendance,
        "school_sessions": school_sessions,
        "company_sessions": company_sessions,
        "can_view_history": permissions.can_view_history(user, plan),
        "can_comment": permissions.can_comment_plan(user, plan),
        "comments_url": _url_or_empty("actionplans:plan-comments", plan.pk),
        "pdf_available": bool(_url_or_empty("reports:action-plan-report-request", plan.pk)),
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
    plan = _plain_plan(request, pk)
    if not permissions.can_view_history(_user(request), plan):
        raise PermissionDenied
    page = Paginator(plan.events.select_related("by").order_by("-at", "-id"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    describe = ChangeDescriber(change for event in events for change in event.changes)
    return render(
        request,
        "actionplans/plan_history.html",
        {
            "plan": plan,
            "page": page,
            "items": [(event, describe.rows(event.changes)) for event in events],
        },
    )


# --------------------------------------------------------------------------- answering a write


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError into the form: beside the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, error.messages)


def _is_locked_error(error: ValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(e.code == "locked" for e in error.error_list)


def _locked_message() -> str:
    return _("This action plan is submitted and locked. Nothing was saved.")


def _fragment(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"actionplans/{template}", context, status=status)


def _refuse_write(request: HttpRequest, plan: ActionPlan) -> None:
    """403 for a person who may not write this plan. (A side of a plan that was submitted meanwhile gets its form
    back with the reason; the callers handle that before calling this.)"""
    if not permissions.can_edit_plan(_user(request), plan):
        raise PermissionDenied


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
    user = _user(request)
    if not (plan.is_locked and permissions.plan_sides(user, plan)):
        raise PermissionDenied
    slot.form.is_valid()
    slot.form.add_error(None, _locked_message())
    return _answer_form(request, plan, slot, template=template, place=place, status=403, extra=extra)


def _oob_context(request: HttpRequest, pk: int, goal_id: int | None) -> tuple[ActionPlan, dict[str, Any]]:
    """The plan as it is now, for the answer to a save: base context plus the card of the goal written to."""
    plan = _plan_detail(request, pk)
    context = _base_context(request, plan)
    if goal_id is not None:
        context["card"] = next((c for c in _cards(plan, context["plan_check"]) if c.goal.pk == goal_id), None)
    return plan, context


# --------------------------------------------------------------------------- goals


def _linkable(plan: ActionPlan) -> list[KeyElement]:
    return selectors.linkable_elements(plan=plan)


def _period(plan: ActionPlan) -> tuple[dt.date, dt.date]:
    """The edition's school year: a goal's dates lie inside it (the SMART check flags them otherwise)."""
    return plan.edition.starts_on, plan.edition.ends_on


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
    plan = _plain_plan(request, pk)
    user = _user(request)
    if request.method == "GET":
        _refuse_write(request, plan)
        if request.GET.get("annuleren"):
            return (
                _fragment(request, "_goal_new.html", {"plan": plan, "can_edit": True})
                if request.htmx
                else redirect(_plan_url(plan))
            )
        form = GoalForm(version=plan.version, key="goal-new", elements=_linkable(plan), period=_period(plan))
        slot = _goal_new_slot(plan, form)
        return _answer_form(request, plan, slot, template="_goal_form.html", place=_place_goal_new, status=200)

    form = GoalForm(request.POST, version=plan.version, key="goal-new", elements=_linkable(plan), period=_period(plan))
    slot = _goal_new_slot(plan, form)
    answer = {"template": "_goal_form.html", "place": _place_goal_new}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    try:
        goal = services.goal_add(plan=plan, by=user, data=form.to_input())
    except ValidationError as error:
        if _is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        _add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        messages.success(request, _("Goal added. The SMART check below shows what is still missing."))
        return redirect(_plan_url(plan, f"goal-{goal.pk}"))
    _plan, context = _oob_context(request, pk, goal.pk)
    return _fragment(request, "_goal_added.html", context)


def _goal_in_plan(plan: ActionPlan, goal_id: int) -> Goal | None:
    return Goal.objects.filter(pk=goal_id, plan=plan).first()


def _stub_goal(plan: ActionPlan, goal_id: int) -> Goal:
    """A goal that is no longer there: the service then says who removed it (StalePlan) instead of a 404."""
    goal = Goal(pk=goal_id, title="")
    goal.plan = plan
    return goal


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    user = _user(request)
    if request.method == "GET":
        plan = _plan_detail(request, pk)
        _refuse_write(request, plan)
        card = _card(plan, goal_id)
        if request.GET.get("annuleren"):
            if not request.htmx:
                return redirect(_plan_url(plan, f"goal-{goal_id}"))
            return _fragment(request, "_goal_main.html", {**_base_context(request, plan), "card": card})
        form = GoalForm(
            initial=goal_initial(card.goal),
            version=plan.version,
            key=f"goal-{goal_id}",
            elements=_linkable(plan),
            period=_period(plan),
        )
        slot = _goal_slot(plan, goal_id, form, check=card.check)
        return _answer_form(request, plan, slot, template="_goal_form.html", place=_place_goal(goal_id), status=200)

    plan = _plain_plan(request, pk)
    elements = _linkable(plan)
    form = GoalForm(request.POST, version=plan.version, key=f"goal-{goal_id}", elements=elements, period=_period(plan))
    slot = _goal_slot(plan, goal_id, form)
    answer = {"template": "_goal_form.html", "place": _place_goal(goal_id)}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    goal = _goal_in_plan(plan, goal_id) or _stub_goal(plan, goal_id)
    try:
        services.goal_update(goal=goal, by=user, version=form.cleaned_data["version"], data=form.to_input())
    except services.StalePlan as stale:
        data = request.POST.copy()
        data["version"] = str(stale.current_version)
        again = GoalForm(
            data, version=stale.current_version, key=f"goal-{goal_id}", elements=elements, period=_period(plan)
        )
        again.is_valid()
        gone = not Goal.objects.filter(pk=goal_id, plan=plan).exists()
        slot = _goal_slot(plan, goal_id, again, conflict=_conflict(stale, gone=gone))
        return _answer_form(request, plan, slot, status=409, **answer)
    except ValidationError as error:
        if _is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        _add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        messages.success(request, _("Goal saved."))
        return redirect(_plan_url(plan, f"goal-{goal_id}"))
    _plan, context = _oob_context(request, pk, goal_id)
    return _fragment(request, "_goal_saved.html", context)


@login_required
@require_POST
def goal_remove(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    plan = _plain_plan(request, pk)
    user = _user(request)
    if not permissions.can_edit_plan(user, plan):
        raise PermissionDenied
    form = RemoveForm(request.POST, version=plan.version, key=f"goal-{goal_id}-remove")
    if not form.is_valid():
        return HttpResponse(_("The page was out of date. Reload it and try again."), status=400)
    goal = _goal_in_plan(plan, goal_id) or _stub_goal(plan, goal_id)
    try:
        services.goal_remove(goal=goal, by=user, version=form.cleaned_data["version"])
    except services.StalePlan as stale:
        return _removal_refused(request, pk, goal_id, _conflict(stale))
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    if not request.htmx:
        messages.success(request, _("Goal removed."))
        return redirect(_plan_url(plan))
    _plan, context = _oob_context(request, pk, None)
    return _fragment(request, "_goal_removed.html", context)


def _removal_refused(
    request: HttpRequest,
    pk: int,
    goal_id: int | None,
    conflict: Conflict,
    kind: ItemKind | None = None,
    item_id: int | None = None,
) -> HttpResponse:
    """A removal refused because someone changed the item meanwhile, or removed it already (409): the goal card or
    the item as it is now, with who changed what. Without JavaScript: the plan page with the message."""
    if not request.htmx:
        messages.error(request, conflict.message)
        return redirect(_plan_url(pk))
    _plan, context = _oob_context(request, pk, goal_id)
    context["conflict"] = conflict
    card: GoalCard | None = context.get("card")
    if card is None:
        return _fragment(request, "_goal_gone.html", context, status=409)
    if kind is None:
        card.conflict = conflict
        return _fragment(request, "_goal.html", context, status=409)
    row = next((r for r in kind.rows(card) if r.item.pk == item_id), None)
    if row is None:
        return _fragment(request, "_goal_gone.html", context, status=409)
    row.conflict = conflict
    context["row"] = row
    return _fragment(request, f"_{kind.name}.html", context, status=409)


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
    plan = _plain_plan(request, pk)
    user = _user(request)
    goal = _goal_in_plan(plan, goal_id)
    template = f"_{kind.name}_new.html"
    answer = {"template": template, "place": _place_new_item(kind, goal_id), "extra": {"goal_id": goal_id}}
    if request.method == "GET":
        _refuse_write(request, plan)
        if goal is None:
            raise Http404
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
        if _is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        _add_errors(form, error)
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
    user = _user(request)
    template = f"_{kind.name}.html"
    if request.method == "GET":
        plan = _plan_detail(request, pk)
        _refuse_write(request, plan)
        item = _item_in_plan(kind, plan, item_id)
        if item is None:
            raise Http404
        card = _card(plan, item.goal_id)
        row = _row(kind.rows(card), item_id)
        context = {**_base_context(request, plan), "card": card, "row": row}
        if request.GET.get("annuleren"):
            if not request.htmx:
                return redirect(_plan_url(plan, f"{kind.name}-{item_id}"))
            return _fragment(request, template, context)
        initial = {name: getattr(item, name) for name in kind.form.base_fields if name != "version"}
        row.slot = _item_slot(
            kind, plan, item_id, kind.form(initial=initial, version=plan.version, key=f"{kind.name}-{item_id}")
        )
        if request.htmx:
            return _fragment(request, template, context)
        return _plan_page(
            request, pk, open_slot=lambda _p, cards, ctx: _place_item(kind, item_id)(cards, ctx, row.slot)
        )

    plan = _plain_plan(request, pk)
    item = _item_in_plan(kind, plan, item_id)
    form = kind.form(request.POST, version=plan.version, key=f"{kind.name}-{item_id}")
    slot = _item_slot(kind, plan, item_id, form)
    row = ItemRow(item or _stub_item(kind, plan, item_id), (), slot)
    answer = {"template": template, "place": _place_item(kind, item_id), "extra": {"row": row}}
    if not permissions.can_edit_plan(user, plan):
        return _refused_form(request, plan, slot, **answer)
    if not form.is_valid():
        return _answer_form(request, plan, slot, status=400, **answer)
    try:
        saved = kind.update(item or row.item, user, form.cleaned_data["version"], form.to_input())
    except services.StalePlan as stale:
        data = request.POST.copy()
        data["version"] = str(stale.current_version)
        again = kind.form(data, version=stale.current_version, key=f"{kind.name}-{item_id}")
        again.is_valid()
        gone = _item_in_plan(kind, plan, item_id) is None
        row.slot = _item_slot(kind, plan, item_id, again, conflict=_conflict(stale, gone=gone))
        return _answer_form(request, plan, row.slot, status=409, **answer)
    except ValidationError as error:
        if _is_locked_error(error):
            return _refused_form(request, plan, slot, **answer)
        _add_errors(form, error)
        return _answer_form(request, plan, slot, status=400, **answer)
    if not request.htmx:
        messages.success(request, _("Saved."))
        return redirect(_plan_url(plan, f"goal-{saved.goal_id}"))
    _plan, context = _oob_context(request, pk, saved.goal_id)
    context["row"] = _row(kind.rows(context["card"]), item_id)
    return _fragment(request, f"_{kind.name}_saved.html", context)


def _item_remove(request: HttpRequest, pk: int, item_id: int, kind: ItemKind) -> HttpResponse:
    plan = _plain_plan(request, pk)
    user = _user(request)
    if not permissions.can_edit_plan(user, plan):
        raise PermissionDenied
    form = RemoveForm(request.POST, version=plan.version, key=f"{kind.name}-{item_id}-remove")
    if not form.is_valid():
        return HttpResponse(_("The page was out of date. Reload it and try again."), status=400)
    item = _item_in_plan(kind, plan, item_id)
    goal_id = item.goal_id if item else None
    try:
        kind.remove(item or _stub_item(kind, plan, item_id), user, form.cleaned_data["version"])
    except services.StalePlan as stale:
        return _removal_refused(request, pk, goal_id, _conflict(stale), kind, item_id)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    if not request.htmx:
        messages.success(request, _("Removed."))
        return redirect(_plan_url(plan, f"goal-{goal_id}" if goal_id else ""))
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
