"""Pages of an action plan around its goals: the jury-relevant contributions, the integrated STEM project (COOL),
the comments, and the engagement declaration with signing, submission, deadline extension and reopening.

Access: a plan outside the user's scope answers 404 (fetched through `ActionPlan.objects.visible_to`); an action the
user may not take on a plan they can see answers 403 (the predicates in actionplans/permissions.py). The services do
the writing and check the state (locked, stale, deadline, SMART); these views show what they refuse next to the
field it is about and keep what the person typed. Signing, withdrawing a signature and submitting send the version of
the page the person read: when the plan changed since, the page answers 409 with who changed what; a missing or
garbled version answers 400 (never "the current one").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners.models import Role

from . import permissions, selectors, services
from .changes import ChangeRow, describe_changes
from .forms_submit import (
    CONTRIBUTION_FIELDS,
    PROJECT_FIELDS,
    CommentForm,
    ContributionsForm,
    CoolStepForm,
    ExtensionForm,
    PlanPartForm,
    PlanVersionForm,
    ProjectForm,
    ReopenForm,
    SignForm,
    TeamMemberForm,
)
from .models import ActionPlan, Comment, CoolStep, Signature, TeamMember
from .views_common import (
    add_errors,
    error_text,
    plain_plan_or_404,
    plan_detail_or_404,
    plan_frame,
    request_user,
)

if TYPE_CHECKING:
    from partners.models import User

#: The sides of the engagement declaration as they appear in URLs (Dutch) and in the data.
SIDE_SLUGS: dict[str, str] = {"school": Signature.Side.SCHOOL, "bedrijf": Signature.Side.COMPANY}
SLUG_OF_SIDE: dict[str, str] = {side: slug for slug, side in SIDE_SLUGS.items()}


# --------------------------------------------------------------------------- helpers


def _plan_values(plan: ActionPlan, names: Iterable[str]) -> dict[str, Any]:
    return {name: list(plan.stem_projects.all()) if name == "stem_projects" else getattr(plan, name) for name in names}


@dataclass
class Refused:
    """A save the services refused: the form to show again (with what was typed) and the stale changes, if any."""

    form: PlanPartForm
    conflict: list[ChangeRow] | None
    status: int
    message: str = ""


def _save_part(
    plan: ActionPlan,
    form: PlanPartForm,
    *,
    target: str,
    pk: int,
    current: Mapping[str, Any],
    save: Callable[[int, dict[str, Any]], object],
) -> Refused | list[str]:
    """Send the fields this person changed to `save(version, data)`; the changed field names, or what was refused.

    A stale save comes back with the current values plus this person's changes and the version they have now seen.
    """
    version = form.cleaned_data["version"]
    touched = form.touched(plan, target=target, pk=pk, current=current)
    if not touched:
        return []
    try:
        save(version, form.service_data(touched))
    except services.StalePlan as stale:
        again = type(form)(form.rebased_data(current, touched, stale.current_version), **_form_kwargs(form, plan))
        again.is_valid()
        return Refused(again, describe_changes(stale.changes), 409, error_text(stale))
    except ValidationError as error:
        add_errors(form, error)
        return Refused(form, None, 400)
    return touched


def _form_kwargs(form: PlanPartForm, plan: ActionPlan) -> dict[str, Any]:
    """The keyword arguments to build `form` again (its item and prefix)."""
    if isinstance(form, ContributionsForm | ProjectForm):
        return {"plan": plan}
    if isinstance(form, TeamMemberForm):
        return {"version": plan.version, "member": form.member}
    if isinstance(form, CoolStepForm):
        return {"version": plan.version, "step": form.step}
    raise TypeError(type(form))


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --------------------------------------------------------------------------- contributions


def _contributions_page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    form: ContributionsForm | None = None,
    conflict: list[ChangeRow] | None = None,
    conflict_message: str = "",
    status: int = 200,
) -> HttpResponse:
    context = plan_frame(request, plan, "contributions")
    if context["can_edit"]:
        form = form or ContributionsForm(plan=plan)
    context |= {
        "form": form,
        "conflict": conflict,
        "conflict_message": conflict_message,
        "readonly_groups": _readonly_groups(plan),
        "goal_resources": selectors.goal_resources(plan),
    }
    return render(request, "actionplans/plan_contributions.html", context, status=status)


def _readonly_groups(plan: ActionPlan) -> list[dict[str, Any]]:
    """The contributions as label/value pairs, for those who read the plan."""
    form = ContributionsForm(plan=plan)
    groups = []
    for group in form.groups():
        rows = []
        for bound in group["fields"]:
            name = bound.name
            if name == "stem_projects":
                shown: Any = [str(p) for p in plan.stem_projects.all()]
            elif name == "istem_coaching":
                shown = _("Yes") if plan.istem_coaching else _("No")
            else:
                shown = getattr(plan, name)
            empty = shown is None or shown == "" or shown == []
            rows.append({"label": bound.label, "value": shown, "is_list": name == "stem_projects", "empty": empty})
        groups.append({"key": group["key"], "title": group["title"], "rows": rows})
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def plan_contributions(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor company's contribution, higher education, other STEM projects, iSTEM coaching, transferability."""
    plan = plan_detail_or_404(request, pk)
    if request.method == "GET":
        return _contributions_page(request, plan)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    form = ContributionsForm(request.POST, plan=plan)
    if not form.is_valid():
        return _contributions_page(request, plan, form=form, status=400)
    outcome = _save_part(
        plan,
        form,
        target="plan",
        pk=plan.pk,
        current=_plan_values(plan, CONTRIBUTION_FIELDS),
        save=lambda version, data: services.plan_update(plan=plan, by=user, version=version, data=data),
    )
    if isinstance(outcome, Refused):
        return _contributions_page(
            request,
            plan,
            form=outcome.form,  # type: ignore[arg-type]
            conflict=outcome.conflict,
            conflict_message=outcome.message,
            status=outcome.status,
        )
    if outcome:
        messages.success(request, _("The contributions are saved."))
    else:
        messages.info(request, _("Nothing to save: nothing was changed."))
    return redirect("actionplans:plan-contributions", pk=plan.pk)


# --------------------------------------------------------------------------- integrated STEM project (COOL)


@dataclass
class StepRow:
    step: CoolStep
    form: CoolStepForm | None


@dataclass
class MemberRow:
    member: TeamMember
    form: TeamMemberForm | None


def _project_page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    project_form: ProjectForm | None = None,
    add_form: TeamMemberForm | None = None,
    member_form: TeamMemberForm | None = None,
    step_form: CoolStepForm | None = None,
    conflict: list[ChangeRow] | None = None,
    conflict_message: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The project page; the given bound forms (refused saves) replace the fresh ones of their item. A stale
    conflict shows inside the refused form (with "Save anyway"), or at the top when no form is involved."""
    context = plan_frame(request, plan, "project")
    can_edit = context["can_edit"]
    version = plan.version
    members = [
        MemberRow(
            member,
            (member_form if member_form is not None and member_form.member.pk == member.pk else None)
            or (TeamMemberForm(version=version, member=member) if can_edit else None),
        )
        for member in plan.team_members.all()
    ]
    steps = [
        StepRow(
            step,
            (step_form if step_form is not None and step_form.step.pk == step.pk else None)
            or (CoolStepForm(version=version, step=step) if can_edit else None),
        )
        for step in plan.cool_steps.all()
    ]
    context |= {
        "project_form": (project_form or ProjectForm(plan=plan)) if can_edit else None,
        "add_form": (add_form or TeamMemberForm(version=version)) if can_edit else None,
        "members": members,
        "school_members": [row for row in members if row.member.kind != TeamMember.Kind.COMPANY_EXPERT],
        "company_members": [row for row in members if row.member.kind == TeamMember.Kind.COMPANY_EXPERT],
        "steps": steps,
        "steps_done": sum(1 for row in steps if row.step.status == CoolStep.Status.DONE),
        "conflict": conflict,
        "conflict_for": _conflict_place(project_form, member_form, step_form) if conflict is not None else "",
        "conflict_message": conflict_message,
        "error": error,
        "open_member": member_form.member.pk if member_form is not None else None,
        "open_step": step_form.step.pk if step_form is not None else None,
    }
    return render(request, "actionplans/plan_project.html", context, status=status)


def _conflict_place(
    project_form: ProjectForm | None, member_form: TeamMemberForm | None, step_form: CoolStepForm | None
) -> str:
    if project_form is not None:
        return "project"
    if member_form is not None:
        return f"member-{member_form.member.pk}"
    if step_form is not None:
        return f"step-{step_form.step.pk}"
    return "top"


def _project_url(plan: ActionPlan, anchor: str = "") -> str:
    url = reverse("actionplans:plan-project", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _saved(request: HttpRequest, touched: list[str], text: str) -> None:
    if touched:
        messages.success(request, text)
    else:
        messages.info(request, _("Nothing to save: nothing was changed."))


@login_required
@require_http_methods(["GET", "POST"])
def plan_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The integrated STEM project following COOL voor iSTEM: theme and central challenge (POST), the Teacher Design
    Team and the six steps (their own POST endpoints)."""
    plan = plan_detail_or_404(request, pk)
    if request.method == "GET":
        return _project_page(request, plan)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    form = ProjectForm(request.POST, plan=plan)
    if not form.is_valid():
        return _project_page(request, plan, project_form=form, status=400)
    outcome = _save_part(
        plan,
        form,
        target="plan",
        pk=plan.pk,
        current=_plan_values(plan, PROJECT_FIELDS),
        save=lambda version, data: services.plan_update(plan=plan, by=user, version=version, data=data),
    )
    if isinstance(outcome, Refused):
        return _project_page(
            request,
            plan,
            project_form=outcome.form,  # type: ignore[arg-type]
            conflict=outcome.conflict,
            conflict_message=outcome.message,
            status=outcome.status,
        )
    _saved(request, outcome, _("The theme and the central challenge are saved."))
    return redirect(_project_url(plan, "project-theme"))


@login_required
@require_POST
def plan_team_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    form = TeamMemberForm(request.POST, version=plan.version)
    if form.is_valid():
        try:
            member = services.team_member_add(plan=plan, by=user, data=form.service_data(form.field_names))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s joined the Teacher Design Team.") % {"name": member.name})
            return redirect(_project_url(plan, "team"))
    return _project_page(request, plan, add_form=form, status=400)


def _member_of(plan: ActionPlan, member_id: int) -> TeamMember | None:
    return next((m for m in plan.team_members.all() if m.pk == member_id), None)


@login_required
@require_POST
def plan_team_edit(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    member = _member_of(plan, member_id)
    if member is None:
        return _member_gone(request, plan, member_id)
    form = TeamMemberForm(request.POST, version=plan.version, member=member)
    if not form.is_valid():
        return _project_page(request, plan, member_form=form, status=400)
    outcome = _save_part(
        plan,
        form,
        target="team_member",
        pk=member.pk,
        current={name: getattr(member, name) for name in form.field_names},
        save=lambda version, data: services.team_member_update(member=member, by=user, version=version, data=data),
    )
    if isinstance(outcome, Refused):
        return _project_page(
            request,
            plan,
            member_form=outcome.form,  # type: ignore[arg-type]
            conflict=outcome.conflict,
            conflict_message=outcome.message,
            status=outcome.status,
        )
    _saved(request, outcome, _("The team member is saved."))
    return redirect(_project_url(plan, "team"))


def _removed(plan: ActionPlan, target: str, pk: int) -> list[dict[str, Any]]:
    """The history's record of who removed an item of the plan, and when (from the prefetched history)."""
    return [
        {**change, "by": str(event.by or ""), "at": event.at.isoformat()}
        for event in plan.events.all()
        for change in event.changes
        if (change.get("target"), change.get("id"), change.get("field")) == (target, pk, "removed")
    ]


def _member_gone(request: HttpRequest, plan: ActionPlan, member_id: int) -> HttpResponse:
    """Someone removed the member meanwhile: say who, and keep what was typed in the form to add a member."""
    removed = _removed(plan, "team_member", member_id)
    if not removed:
        raise Http404
    typed = TeamMemberForm(request.POST, version=plan.version, member=TeamMember(pk=member_id, plan=plan))
    typed.is_valid()
    initial = {name: typed.cleaned_data.get(name, "") for name in typed.field_names}
    add_form = TeamMemberForm(initial=initial, version=plan.version)
    return _project_page(
        request,
        plan,
        add_form=add_form,
        conflict=describe_changes(removed),
        conflict_message=_(
            "Someone else removed this team member in the meantime. Nothing was saved: what you typed is in the "
            "form to add a member."
        ),
        status=409,
    )


@login_required
@require_POST
def plan_team_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    member = _member_of(plan, member_id)
    if member is None:
        if not _removed(plan, "team_member", member_id):
            raise Http404
        messages.info(request, _("This member was already removed from the team."))
        return redirect(_project_url(plan, "team"))
    version_form = PlanVersionForm(request.POST)
    if not version_form.is_valid():
        return _project_page(request, plan, error=_("The page was out of date. Reload it and try again."), status=400)
    try:
        services.team_member_remove(member=member, by=user, version=version_form.cleaned_data["version"])
    except services.StalePlan as stale:
        return _project_page(
            request, plan, conflict=describe_changes(stale.changes), conflict_message=error_text(stale), status=409
        )
    except ValidationError as error:
        return _project_page(request, plan, error=error_text(error), status=400)
    messages.success(request, _("%(name)s is no longer in the Teacher Design Team.") % {"name": member.name})
    return redirect(_project_url(plan, "team"))


@login_required
@require_POST
def plan_cool_step(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_edit_plan(user, plan))
    step = next((s for s in plan.cool_steps.all() if s.pk == step_id), None)
    if step is None:
        raise Http404
    form = CoolStepForm(request.POST, version=plan.version, step=step)
    if not form.is_valid():
        return _project_page(request, plan, step_form=form, status=400)
    outcome = _save_part(
        plan,
        form,
        target="cool_step",
        pk=step.pk,
        current={name: getattr(step, name) for name in form.field_names},
        save=lambda version, data: services.cool_step_update(step=step, by=user, version=version, data=data),
    )
    if isinstance(outcome, Refused):
        return _project_page(
            request,
            plan,
            step_form=outcome.form,  # type: ignore[arg-type]
            conflict=outcome.conflict,
            conflict_message=outcome.message,
            status=outcome.status,
        )
    _saved(request, outcome, _("Step “%(step)s” is saved.") % {"step": step.get_step_display()})
    return redirect(_project_url(plan, f"step-{step.pk}"))


# --------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class CommentRow:
    comment: Comment
    author: str
    author_role: str
    can_remove: bool


def _author_role(user: User | None, plan: ActionPlan) -> str:
    """Who wrote a comment, seen from this plan (from the author's prefetched memberships)."""
    if user is None:
        return ""
    memberships = list(user.memberships.all())
    if any(m.role == Role.SCHOOL and m.school_id == plan.participation.school_id for m in memberships):
        return _("School")
    if any(m.role == Role.COMPANY and m.company_id == plan.match.company_id for m in memberships):
        return _("Mentor company")
    if user.is_superuser or any(m.role == Role.COORDINATOR for m in memberships):
        return _("Coordinator")
    if any(m.role == Role.ADVISER for m in memberships):
        return _("Voka adviser")
    return ""


def comment_rows(*, user: User, plan: ActionPlan) -> list[CommentRow]:
    """The plan's comments, oldest first (newest last), with author, role and whether this user may remove it
    (two queries however many comments)."""
    comments = (
        Comment.objects.filter(plan=plan)
        .select_related("author")
        .prefetch_related("author__memberships")
        .order_by("created_at", "id")
    )
    return [
        CommentRow(
            comment,
            str(comment.author) if comment.author else _("(removed user)"),
            _author_role(comment.author, plan),
            permissions.can_remove_comment(user, comment),
        )
        for comment in comments
    ]


def _comments_response(
    request: HttpRequest, plan: ActionPlan, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    """The comments as an htmx fragment (the list with the form, swapped in place), or as a page."""
    context = plan_frame(request, plan, "comments")
    context |= {"comments": comment_rows(user=request_user(request), plan=plan), "comment_form": form or CommentForm()}
    if request.htmx:
        # htmx swaps only 2xx answers; a refused comment comes back in place with its error.
        return render(request, "actionplans/_comments.html", context)
    return render(request, "actionplans/plan_comments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """School, company, the region's adviser and coordinators discuss inside the plan. GET lists, POST adds."""
    plan = plain_plan_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_comment_plan(user, plan))
    if request.method == "GET":
        return _comments_response(request, plan)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(plan=plan, by=user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                return _comments_response(request, plan)
            messages.success(request, _("Your comment is added."))
            return redirect(reverse("actionplans:plan-comments", args=[plan.pk]) + "#comments")
    return _comments_response(request, plan, form=form, status=400)


@login_required
@require_POST
def plan_comment_remove(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    plan = plain_plan_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_comment_plan(user, plan))
    comment = get_object_or_404(Comment.objects.filter(plan=plan), pk=comment_id)
    _refuse_unless(permissions.can_remove_comment(user, comment))
    services.comment_remove(comment=comment, by=user)
    if request.htmx:
        return _comments_response(request, plan)
    messages.success(request, _("The comment is removed."))
    return redirect(reverse("actionplans:plan-comments", args=[plan.pk]) + "#comments")


# --------------------------------------------------------------------------- engagement declaration and submission


@dataclass
class SideRow:
    """One side of the engagement declaration: its signature, or the form to sign when this user may."""

    side: str
    slug: str
    label: str
    party: str
    signature: Signature | None
    form: SignForm | None
    can_withdraw: bool
    #: This user signs for this side, but not before the SMART check finds no blocking problems.
    waits_for_smart: bool = False


@dataclass(frozen=True)
class BlockingGoal:
    goal: Any
    findings: tuple[Any, ...]
    url: str


def _side_rows(
    request: HttpRequest, plan: ActionPlan, bound: Mapping[str, SignForm], *, smart_blocks: bool
) -> list[SideRow]:
    """The two sides. While the SMART check has blocking problems no sign form is offered (signing would be
    refused); a form this person already filled in and sent comes back with the reason, keeping what they typed."""
    user = request_user(request)
    signed = {s.side: s for s in plan.signatures.all()}
    parties = {Signature.Side.SCHOOL: plan.participation.school.name, Signature.Side.COMPANY: plan.match.company.name}
    rows = []
    for side, label in Signature.Side.choices:
        signature = signed.get(side)
        form = None
        waits = False
        if signature is None and permissions.can_sign_plan(user, plan, side):
            form = bound.get(side)
            if form is None and smart_blocks:
                waits = True
            elif form is None:
                form = SignForm(side=side, initial={"name": user.get_full_name(), "version": plan.version})
        rows.append(
            SideRow(
                side=side,
                slug=SLUG_OF_SIDE[side],
                label=str(label),
                party=parties[side],
                signature=signature,
                form=form,
                can_withdraw=signature is not None and permissions.can_withdraw_signature(user, plan, side),
                waits_for_smart=waits,
            )
        )
    return rows


def _submit_page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    sign_forms: Mapping[str, SignForm] | None = None,
    extension_form: ExtensionForm | None = None,
    reopen_form: ReopenForm | None = None,
    error: str = "",
    conflict: list[ChangeRow] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The engagement declaration: what is still missing, the text, the signatures, submit; for coordinators the
    extension and reopening. `conflict`: what others changed after this person opened the page (a refused act)."""
    user = request_user(request)
    context = plan_frame(request, plan, "submit")
    base = context["plan_url"]
    check = selectors.plan_check(plan)
    blocking = [
        BlockingGoal(row.goal, row.check.hard, f"{base}#goal-{row.goal.pk}")
        for row in selectors.goals_with_checks(plan, check)
        if row.check.has_hard_failure
    ]
    sides = _side_rows(request, plan, sign_forms or {}, smart_blocks=check.has_hard_failure)
    unsigned = [row for row in sides if row.signature is None]
    is_open = plan.submission_open()
    context |= {
        "check": check,
        "plan_findings": [f for f in check.findings if f.is_hard],
        "blocking": blocking,
        "sides": sides,
        "unsigned": unsigned,
        "deadline": plan.deadline,
        "edition_deadline": plan.edition.plan_deadline,
        "has_extension": plan.deadline != plan.edition.plan_deadline,
        "submission_open": is_open,
        "ready": is_open and not unsigned and not check.has_hard_failure,
        "can_submit": permissions.can_submit_plan(user, plan),
        "can_grant_extension": permissions.can_grant_extension(user, plan),
        "can_reopen": permissions.can_reopen_plan(user, plan),
        "error": error,
        "conflict": conflict,
        "version_form": PlanVersionForm(initial={"version": plan.version}, auto_id=False),
    }
    if context["can_grant_extension"]:
        context["extension_form"] = extension_form or ExtensionForm(initial={"until": plan.extension_until})
    if context["can_reopen"]:
        context["reopen_form"] = reopen_form or ReopenForm(needs_extension=not is_open)
    return render(request, "actionplans/plan_submit.html", context, status=status)


def _submit_url(plan: ActionPlan) -> str:
    return reverse("actionplans:plan-submit", args=[plan.pk])


def _page_version(request: HttpRequest, plan: ActionPlan) -> int | HttpResponse:
    """The plan version the page showed (a hidden field of the form); a missing or garbled one answers 400 with
    the page as it is now, never skipping the check whether the plan changed since."""
    form = PlanVersionForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["version"]
    return _submit_page(request, plan, error=_("The page was out of date. Reload it and try again."), status=400)


def _stale_page(request: HttpRequest, plan: ActionPlan, stale: services.StalePlan, **kwargs: Any) -> HttpResponse:
    """A refused act on a text that changed after this person read it: the page as it is now, with who changed
    what (409)."""
    fresh = plan_detail_or_404(request, plan.pk)
    return _submit_page(
        request, fresh, error=error_text(stale), conflict=describe_changes(stale.changes), status=409, **kwargs
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the engagement declaration page. POST: submit the plan (both signed, SMART passes, before the deadline
    or within a coordinator's extension, the version the person read); it is then locked."""
    plan = plan_detail_or_404(request, pk)
    if request.method == "GET":
        return _submit_page(request, plan)
    user = request_user(request)
    _refuse_unless(permissions.can_submit_plan(user, plan))
    version = _page_version(request, plan)
    if isinstance(version, HttpResponse):
        return version
    try:
        services.plan_submit(plan=plan, by=user, version=version)
    except services.StalePlan as stale:
        return _stale_page(request, plan, stale)
    except ValidationError as error:
        return _submit_page(request, plan, error=error_text(error), status=400)
    messages.success(
        request,
        _("The action plan is submitted. It is now locked; the jury reads it from here. A coordinator can reopen it."),
    )
    return redirect(_submit_url(plan))


def _side_or_404(slug: str) -> str:
    side = SIDE_SLUGS.get(slug)
    if side is None:
        raise Http404
    return side


@login_required
@require_POST
def plan_sign(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    """Sign the engagement declaration for one side: a member of that side types their name and function, on the
    version of the text they read."""
    side = _side_or_404(side)
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_sign_plan(user, plan, side))
    form = SignForm(request.POST, side=side)
    if form.is_valid():
        try:
            signature = services.plan_sign(
                plan=plan,
                side=side,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                by=user,
                version=form.cleaned_data["version"],
            )
        except services.StalePlan as stale:
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(stale.current_version)
            typed = SignForm(data, side=side)
            typed.is_valid()
            return _stale_page(request, plan, stale, sign_forms={side: typed})
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s signed the engagement declaration for %(party)s.")
                % {
                    "name": signature.name,
                    "party": plan.participation.school.name
                    if side == Signature.Side.SCHOOL
                    else plan.match.company.name,
                },
            )
            return redirect(_submit_url(plan))
    return _submit_page(request, plan, sign_forms={side: form}, status=400)


@login_required
@require_POST
def plan_signature_withdraw(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    """Withdraw one side's signature while the plan is a draft (a member of that side, or a coordinator), on the
    version of the text they read."""
    side = _side_or_404(side)
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_withdraw_signature(user, plan, side))
    version = _page_version(request, plan)
    if isinstance(version, HttpResponse):
        return version
    try:
        services.signature_withdraw(plan=plan, side=side, by=user, version=version)
    except services.StalePlan as stale:
        return _stale_page(request, plan, stale)
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # a version the plan never had
            return _submit_page(request, plan, error=error_text(error), status=400)
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The signature is withdrawn."))
    return redirect(_submit_url(plan))


@login_required
@require_POST
def plan_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator lets the plan be submitted after the deadline, until a date (today or later), for a reason;
    an empty date removes the extension. Logged."""
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_grant_extension(user, plan))
    form = ExtensionForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        try:
            services.plan_extension_grant(plan=plan, by=user, until=until, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            if until is None:
                messages.success(request, _("The extension is removed: the deadline of the edition applies again."))
            else:
                messages.success(
                    request,
                    _("Extension granted: the plan can be submitted until %(date)s.")
                    % {"date": date_format(until, "j F Y")},
                )
            return redirect(_submit_url(plan))
    return _submit_page(request, plan, extension_form=form, status=400)


@login_required
@require_POST
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator unlocks a submitted plan for corrections, with a reason kept in the history. When the
    deadline has passed, also with a new last day to submit (an extension, granted and logged in the same act)."""
    plan = plan_detail_or_404(request, pk)
    user = request_user(request)
    _refuse_unless(permissions.can_reopen_plan(user, plan))
    form = ReopenForm(request.POST, needs_extension=not plan.submission_open())
    if form.is_valid():
        try:
            services.plan_reopen(
                plan=plan,
                by=user,
                reason=form.cleaned_data["reason"],
                extension_until=form.cleaned_data.get("extension_until"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The action plan is reopened. The jury no longer sees it until it is submitted again; school "
                    "and company can change it and must submit it again."
                ),
            )
            return redirect(_submit_url(plan))
    return _submit_page(request, plan, reopen_form=form, status=400)
