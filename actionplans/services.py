"""Every write to action plans and learning networks.

Plans are written by two parties at once (school and mentor company), so every content write:
- locks the plan row, refuses when the plan is submitted (locked);
- names the `version` it started from (updates and removals; adding cannot overwrite anything); a version the plan
  never had (newer than its own) is refused as a garbled request. When the plan moved on since, the write is refused
  with `StalePlan` (a ValidationError carrying what the others changed) only if it would overwrite a value someone
  else changed after that version, or remove an item someone else changed: two people working on different goals
  never block each other, and nothing is saved when it is refused, so the caller can show the form again with what
  was typed;
- writes only the values that actually change, raises the version by one and records one PlanEvent with the
  field-level changes (old -> new), which is the plan's history;
- withdraws the signatures of the engagement declaration when the plan changes after someone signed: they signed
  another text (the history says so, and they sign again).
Typing errors (a date that is no date, a negative count) are refused with a ValidationError naming the field. What
makes a goal not SMART (a milestone after the end date, a target equal to the baseline) is saved and shown by the
SMART check, which blocks signing and submitting while a hard rule fails.

Views check permissions (permissions.py); these services check the state. Signing also checks that the person
belongs to the side they sign for, since that is what a signature means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.models import Match
from partners.models import Company, Edition, Participation, Region, StemProject

from . import permissions, selectors
from .models import (
    Action,
    ActionPlan,
    Attendance,
    Comment,
    CoolStep,
    Goal,
    Grade,
    LearningNetworkSession,
    Milestone,
    PlanEvent,
    Signature,
    TeamMember,
    Track,
)

if TYPE_CHECKING:
    from partners.models import User

PLAN_FIELDS = (
    "contribution_curriculum",
    "contribution_method",
    "contribution_professionalisation",
    "contribution_hours",
    "contribution_staff",
    "contribution_means",
    "higher_ed_partner",
    "higher_ed_teacher_training",
    "higher_ed_content",
    "higher_ed_infrastructure",
    "stem_projects_note",
    "istem_coaching",
    "istem_coaching_note",
    "project_theme",
    "project_challenge",
    "transfer_grades",
    "transfer_programmes",
    "transfer_schools",
)
#: plan_update also takes "stem_projects": a list of StemProject ids.
GOAL_FIELDS = (
    "order",
    "title",
    "grades",
    "tracks",
    "programme",
    "subjects",
    "indicator",
    "unit",
    "baseline_value",
    "target_value",
    "fit",
    "owner_school",
    "owner_company",
    "company_hours",
    "company_staff",
    "material",
    "budget",
    "start",
    "end",
)
#: goal_add/goal_update also take "elements" and "criteria": lists of KeyElement / Criterion ids.
MILESTONE_FIELDS = ("date", "description")
ACTION_FIELDS = ("title", "owner", "due", "status")
TEAM_MEMBER_FIELDS = ("name", "kind", "expertise")
COOL_STEP_FIELDS = ("status", "notes")
SESSION_FIELDS = ("kind", "date", "place", "notes")

TARGETS: dict[type[models.Model], str] = {
    ActionPlan: "plan",
    Goal: "goal",
    Milestone: "milestone",
    Action: "action",
    TeamMember: "team_member",
    CoolStep: "cool_step",
}

#: Participation statuses before the plan is submitted; a later status (scored, finalist) is never set back.
_BEFORE_SUBMITTED = (
    Participation.Status.REGISTERED,
    Participation.Status.BASELINE,
    Participation.Status.MATCHED,
)


class StalePlan(ValidationError):  # noqa: N818 -- reads as the situation the user is in
    """Someone else changed what this write would overwrite after the writer loaded the plan; nothing was saved.

    `changes` lists those changes of the others (with "by" and "at"), so the page can show them beside what the
    person typed; `current_version` is the version to reload.
    """

    def __init__(self, *, current_version: int, changes: list[dict[str, Any]], message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this part of the action plan after you opened it. Nothing was saved: "
                "look at their change, then save again."
            ),
            code="stale",
        )
        self.current_version = current_version
        self.changes = changes


# --------------------------------------------------------------------------- helpers


def _lock(plan: ActionPlan) -> ActionPlan:
    return (
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("participation__edition", "participation__school", "match")
        .get(pk=plan.pk)
    )


def _ensure_editable(plan: ActionPlan) -> None:
    if plan.is_locked:
        raise ValidationError(_("This action plan is submitted and locked."), code="locked")


def _locked_for_edit(plan: ActionPlan) -> ActionPlan:
    locked = _lock(plan)
    _ensure_editable(locked)
    return locked


def _jsonable(value: Any) -> Any:
    """How a value is stored in the history and compared: dates as ISO text, decimals with two decimals."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _key(change: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return change.get("target"), change.get("id"), change.get("field")


def plan_changes_since(plan: ActionPlan, version: int) -> list[dict[str, Any]]:
    """The changes saved in the plan after `version`, oldest first, each with who made it ("by") and when ("at", ISO
    text): what a person who loaded the plan at `version` has not seen. Each change records the version it produced.
    """
    rows: list[dict[str, Any]] = []
    actions = (PlanEvent.Action.SAVED, PlanEvent.Action.REMATCHED)
    for event in plan.events.filter(action__in=actions).select_related("by").order_by("id"):
        for change in event.changes:
            if change.get("version", 0) > version:
                rows.append({**change, "by": str(event.by) if event.by else "", "at": event.at.isoformat()})
    return rows


def _refuse_unknown_version(plan: ActionPlan, version: int) -> None:
    """A version the plan never had (newer than its own, or below 1) comes from a garbled request, not from a page
    the person read: refuse it rather than let it pass the conflict check."""
    if not 1 <= version <= plan.version:
        raise ValidationError(
            {"version": _("This version of the action plan does not exist. Reload the page and try again.")},
            code="unknown_version",
        )


def _refuse_overwrites(plan: ActionPlan, version: int, sends: Mapping[tuple[Any, Any, Any], Any]) -> None:
    """Refuse a write that sends a value for a field someone else changed after `version` and that differs from
    what is stored now. Sending what is already stored overwrites nothing (one's own earlier save, or two people
    typing the same)."""
    _refuse_unknown_version(plan, version)
    if plan.version == version:
        return
    changes = plan_changes_since(plan, version)
    stored = {_key(change): change["new"] for change in changes}  # oldest first: the newest wins
    overwritten = {key for key, value in sends.items() if key in stored and value != stored[key]}
    conflicts = [change for change in changes if _key(change) in overwritten]
    if conflicts:
        raise StalePlan(current_version=plan.version, changes=conflicts)


def _refuse_removing_changed(plan: ActionPlan, version: int, target: str, pk: int) -> None:
    """Refuse removing an item (a goal with its milestones and actions) that someone changed after `version`."""
    _refuse_unknown_version(plan, version)
    if plan.version == version:
        return
    changes = plan_changes_since(plan, version)
    conflicts = [
        change
        for change in changes
        if (change.get("target"), change.get("id")) == (target, pk) or (target == "goal" and change.get("goal") == pk)
    ]
    if conflicts:
        raise StalePlan(
            current_version=plan.version,
            changes=conflicts,
            message=_("Someone else changed this item after you opened the plan. Nothing was removed."),
        )


def _gone(plan: ActionPlan, target: str, pk: int | None) -> StalePlan:
    """The error for a write to an item that someone removed in the meantime, with who removed it: the item's own
    removal, or for a milestone or action that went with its goal, the removal of that goal."""
    history = plan_changes_since(plan, 0)
    removed = [change for change in history if _key(change) == (target, pk, "removed")]
    if removed or target not in ("milestone", "action"):
        return StalePlan(
            current_version=plan.version,
            changes=removed,
            message=_("Someone else removed this item in the meantime. Nothing was saved."),
        )
    # Every change of a milestone or action names its goal; the goal's removal took the item with it.
    goals = {change.get("goal") for change in history if (change.get("target"), change.get("id")) == (target, pk)}
    removed = [
        change
        for change in history
        if change.get("target") == "goal" and change.get("field") == "removed" and change.get("id") in goals - {None}
    ]
    return StalePlan(
        current_version=plan.version,
        changes=removed,
        message=_("Someone else removed the goal of this item in the meantime. Nothing was saved.")
        if removed
        else _("Someone else removed this item in the meantime. Nothing was saved."),
    )


def _refuse_if_changed(plan: ActionPlan, version: int | None) -> None:
    """Refuse to sign, withdraw or submit when the plan changed after `version` (None: do not check): these act on
    the whole text the person read. Call on the locked plan, so nothing changes between this check and the act."""
    if version is None:
        return
    _refuse_unknown_version(plan, version)
    if plan.version != version:
        raise StalePlan(
            current_version=plan.version,
            changes=plan_changes_since(plan, version),
            message=_("The action plan changed after you opened it. Nothing was done: read the changes first."),
        )


def _to_python(instance: models.Model, name: str, raw: Any) -> Any:
    field = instance._meta.get_field(name)
    try:
        return field.to_python(raw)  # type: ignore[union-attr]
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error


def _choice_list(name: str, values: Iterable[str], choices: type[models.TextChoices]) -> list[str]:
    """A list of choice values, unique and in the order of the choices."""
    given = {str(v) for v in values}
    unknown = given - set(choices.values)
    if unknown:
        raise ValidationError({name: _("Choose from the list.")})
    return [value for value in choices.values if value in given]


def _apply(
    instance: models.Model,
    values: Mapping[str, Any],
    allowed: tuple[str, ...],
    *,
    version: int,
    goal_id: int | None = None,
) -> list[dict[str, Any]]:
    """Set the given fields on `instance` (not saved) and return the changes; unknown field names are a bug.

    The changes name the item as it was before this write (its label), so the history stays readable after a
    rename or a removal. For a new item (no pk yet) the caller records "added" instead.
    """
    target = TARGETS[type(instance)]
    label = str(instance) if instance.pk else ""
    changes = []
    for name, raw in values.items():
        if name not in allowed:
            raise ValueError(f"unknown {target} field {name}")
        new = _to_python(instance, name, raw)
        old = getattr(instance, name)
        if _jsonable(old) != _jsonable(new):
            setattr(instance, name, new)
            change = {"target": target, "id": instance.pk, "label": label, "field": name}
            change |= {"old": _jsonable(old), "new": _jsonable(new), "version": version}
            if goal_id is not None:
                change["goal"] = goal_id
            changes.append(change)
    return changes


def _ids(name: str, values: Iterable[Any]) -> list[int]:
    """Sorted unique ids from a form or API list; anything that is no id is named as a bad choice."""
    try:
        return sorted({int(value) for value in values})
    except (TypeError, ValueError) as error:
        raise ValidationError({name: _("Choose from the list.")}) from error


def _sends(instance_target: str, pk: int | None, values: Mapping[str, Any], instance: models.Model) -> dict:
    """What a write sends, keyed like the history's changes, with values as the history stores them."""
    sent = {}
    for name, raw in values.items():
        if name in ("elements", "criteria", "stem_projects"):
            sent[(instance_target, pk, name)] = _ids(name, raw)
        elif name in ("grades", "tracks"):
            sent[(instance_target, pk, name)] = list(raw)
        else:
            try:
                sent[(instance_target, pk, name)] = _jsonable(_to_python(instance, name, raw))
            except ValidationError:
                sent[(instance_target, pk, name)] = raw
    return sent


def _clean(instance: models.Model, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _set_ids(
    instance: models.Model, name: str, ids: Iterable[Any], allowed: set[int], *, version: int, goal_id: int | None
) -> dict[str, Any] | None:
    """Set a many-to-many field to `ids`; the change, or None when nothing changed. Each id is within `allowed` or
    already linked: a link made before the choices narrowed (a focus agreed later, a retired catalogue entry) stays
    when the rest changes."""
    wanted = _ids(name, ids)
    manager = getattr(instance, name)
    current = sorted(manager.values_list("id", flat=True))
    if not set(wanted) <= allowed | set(current):
        raise ValidationError({name: _("Choose from the list.")})
    if wanted == current:
        return None
    manager.set(wanted)
    target = TARGETS[type(instance)]
    change = {"target": target, "id": instance.pk, "label": str(instance), "field": name}
    change |= {"old": current, "new": wanted, "version": version}
    if goal_id is not None:
        change["goal"] = goal_id
    return change


def _commit(plan: ActionPlan, by: User | None, changes: list[dict[str, Any]], plan_fields: Iterable[str] = ()) -> None:
    """Raise the version, record the changes, and withdraw signatures given on the text before."""
    if not changes:
        return
    plan.version += 1
    plan.save(update_fields=["version", "updated_at", *plan_fields])
    PlanEvent.objects.create(plan=plan, action=PlanEvent.Action.SAVED, by=by, changes=changes)
    _withdraw_signatures(plan, by, _("The plan changed after it was signed; sign again."))


def _withdraw_signatures(plan: ActionPlan, by: User | None, note: str) -> None:
    """Remove the signatures of the engagement declaration, if any, and record it with `note`."""
    signed = list(plan.signatures.all())
    if not signed:
        return
    plan.signatures.all().delete()
    PlanEvent.objects.create(
        plan=plan,
        action=PlanEvent.Action.SIGNATURES_WITHDRAWN,
        by=by,
        changes=[
            {"target": "signature", "field": "removed", "side": s.side, "old": f"{s.name} ({s.role})", "new": None}
            for s in signed
        ],
        note=note,
    )


def _linkable(plan: ActionPlan) -> tuple[set[int], set[int]]:
    """Ids of the key elements and criteria a goal of this plan may link to."""
    elements = selectors.linkable_elements(plan=plan)
    return {e.pk for e in elements}, {c.pk for e in elements for c in e.criteria.all()}


def _goal_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "grades" in values:
        values["grades"] = _choice_list("grades", values["grades"] or [], Grade)
    if "tracks" in values:
        values["tracks"] = _choice_list("tracks", values["tracks"] or [], Track)
    return values


# --------------------------------------------------------------------------- the plan


@transaction.atomic
def plan_get_or_create(*, match: Match, by: User | None) -> ActionPlan:
    """The plan of the school written within an active match; created on first use with the six COOL steps.

    There is one plan per school per edition. If the school's mentor company changed (a new active match), the
    existing draft moves to the new match: the version goes up, the signatures of the engagement declaration are
    withdrawn (another company signs now) and the history records both. A submitted plan is not moved: a
    coordinator reopens it first.
    """
    if match.status != Match.Status.ACTIVE or match.company_id is None:
        raise ValidationError(_("An action plan is written within an active match."), code="match_not_active")
    Participation.objects.select_for_update().filter(pk=match.participation_id).first()  # serialise creation
    existing = ActionPlan.objects.filter(participation_id=match.participation_id).first()
    if existing is not None:
        if existing.match_id != match.pk:
            _move_to_match(_lock(existing), match, by)
            existing.refresh_from_db()
        return existing
    plan = ActionPlan.objects.create(participation_id=match.participation_id, match=match)
    CoolStep.objects.bulk_create(
        CoolStep(plan=plan, step=step, position=position) for position, step in enumerate(CoolStep.Step.values, 1)
    )
    PlanEvent.objects.create(plan=plan, action=PlanEvent.Action.CREATED, by=by)
    return plan


def _move_to_match(locked: ActionPlan, match: Match, by: User | None) -> None:
    """Move a draft plan to the school's new active match (another mentor company)."""
    if locked.is_locked:
        raise ValidationError(
            _(
                "The action plan was submitted with the previous mentor company. A coordinator reopens it before "
                "it moves to the new mentor company."
            ),
            code="locked",
        )
    old = locked.match.company.name if locked.match.company else ""
    locked.match = match
    locked.version += 1
    locked.save(update_fields=["match", "version", "updated_at"])
    change = {"target": "plan", "id": locked.pk, "field": "match", "old": old, "new": match.company.name}
    PlanEvent.objects.create(
        plan=locked, action=PlanEvent.Action.REMATCHED, by=by, changes=[change | {"version": locked.version}]
    )
    _withdraw_signatures(locked, by, _("The mentor company changed; both sides sign again."))


@transaction.atomic
def plan_update(*, plan: ActionPlan, by: User | None, version: int, data: Mapping[str, Any]) -> ActionPlan:
    """Change the plan's own fields (contributions, higher education, STEM projects, iSTEM, project, transfer).

    Only the keys given are touched. `data["stem_projects"]` is a list of catalogue ids (active ones, or ones the
    plan already lists).
    """
    locked = _locked_for_edit(plan)
    values = dict(data)
    project_ids = values.pop("stem_projects", None)
    _refuse_overwrites(locked, version, _sends("plan", locked.pk, data, locked))
    new_version = locked.version + 1
    changes = _apply(locked, values, PLAN_FIELDS, version=new_version)
    _clean(locked, exclude=["participation", "match", "extension_granted_by", "submitted_by"])
    if project_ids is not None:
        allowed = set(StemProject.objects.filter(is_active=True).values_list("id", flat=True)) | set(
            locked.stem_projects.values_list("id", flat=True)
        )
        change = _set_ids(locked, "stem_projects", project_ids, allowed, version=new_version, goal_id=None)
        if change:
            changes.append(change)
    _commit(locked, by, changes, plan_fields=[c["field"] for c in changes if c["field"] in PLAN_FIELDS])
    return locked


@transaction.atomic
def plan_sign(*, plan: ActionPlan, side: str, name: str, role: str, by: User, version: int | None = None) -> Signature:
    """Sign the engagement declaration for one side (name and function of the signer, time recorded).

    Only a member of that side signs for it, once per side, and only when the SMART check has no hard failure.
    With `version` (the plan version the signer read), refused with StalePlan when the plan changed after it.
    """
    if side not in Signature.Side.values:
        raise ValueError(f"unknown side {side}")
    locked = _locked_for_edit(plan)
    _refuse_if_changed(locked, version)
    if side not in permissions.plan_sides(by, locked):
        raise PermissionDenied(
            _("Only a member of the school signs for the school.")
            if side == Signature.Side.SCHOOL
            else _("Only a member of the mentor company signs for the company.")
        )
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the name of the person who signs.")
    if not role.strip():
        errors["role"] = _("Give the function of the person who signs.")
    if errors:
        raise ValidationError(errors)
    if locked.signatures.filter(side=side).exists():
        raise ValidationError(_("This side has already signed."), code="already_signed")
    _refuse_hard_failures(locked, _("Fix what the SMART check flags before signing."))
    signature = Signature.objects.create(plan=locked, side=side, name=name.strip(), role=role.strip(), user=by)
    PlanEvent.objects.create(
        plan=locked,
        action=PlanEvent.Action.SIGNED,
        by=by,
        changes=[{"target": "signature", "field": "added", "side": side, "old": None, "new": signature.name}],
        note=f"{signature.name} ({signature.role})",
    )
    return signature


def _refuse_hard_failures(plan: ActionPlan, lead: str) -> None:
    check = selectors.plan_check(selectors.plan_with_details(plan_id=plan.pk))
    if check.has_hard_failure:
        count = check.hard_count
        still = ngettext("%(count)d point still fails.", "%(count)d points still fail.", count) % {"count": count}
        raise ValidationError(f"{lead} {still}", code="smart_failed")


@transaction.atomic
def signature_withdraw(*, plan: ActionPlan, side: str, by: User, version: int | None = None) -> ActionPlan:
    """Withdraw one side's signature while the plan is a draft (a member of that side, or a coordinator). With
    `version`, refused with StalePlan when the plan changed after it."""
    locked = _locked_for_edit(plan)
    _refuse_if_changed(locked, version)
    signature = locked.signatures.filter(side=side).first()
    if signature is None:
        raise ValidationError(_("This side has not signed."), code="not_signed")
    signature.delete()
    PlanEvent.objects.create(
        plan=locked,
        action=PlanEvent.Action.SIGNATURES_WITHDRAWN,
        by=by,
        changes=[{"target": "signature", "field": "removed", "side": side, "old": signature.name, "new": None}],
    )
    return locked


@transaction.atomic
def plan_submit(*, plan: ActionPlan, by: User, today: dt.date | None = None, version: int | None = None) -> ActionPlan:
    """Submit the plan: both sides signed, no hard SMART failure, by the deadline (or a granted extension).

    The plan is then locked and the school's participation moves to 'action plan submitted'. With `version` (the
    plan version the person read), refused with StalePlan when the plan changed after it.
    """
    locked = _lock(plan)
    if locked.is_locked:
        raise ValidationError(_("This action plan was already submitted."), code="already_submitted")
    _refuse_if_changed(locked, version)
    today = today or timezone.localdate()
    if not locked.submission_open(today):
        if locked.extension_until and locked.extension_until > locked.edition.plan_deadline:
            message = _("The extension ended on %(date)s; submitting is closed.")
        else:
            message = _("The deadline (%(date)s) has passed. A coordinator can grant an extension.")
        raise ValidationError(
            message % {"date": date_format(locked.deadline, "SHORT_DATE_FORMAT")}, code="deadline_passed"
        )
    signed = set(locked.signatures.values_list("side", flat=True))
    if signed != set(Signature.Side.values):
        raise ValidationError(
            _("Both the school and the mentor company sign the engagement declaration first."), code="not_signed"
        )
    _refuse_hard_failures(locked, _("Fix what the SMART check flags before submitting."))
    locked.status = ActionPlan.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])
    participation = locked.participation
    if participation.status in _BEFORE_SUBMITTED:
        participation.status = Participation.Status.PLAN_SUBMITTED
        participation.save(update_fields=["status"])
    PlanEvent.objects.create(plan=locked, action=PlanEvent.Action.SUBMITTED, by=by)
    return locked


@transaction.atomic
def plan_reopen(
    *,
    plan: ActionPlan,
    by: User,
    reason: str,
    extension_until: dt.date | None = None,
    today: dt.date | None = None,
) -> ActionPlan:
    """A coordinator unlocks a submitted plan for corrections; the reason is kept in the history.

    The jury no longer sees the plan until it is submitted again. When the deadline (or the extension) has passed,
    the plan could never be submitted again: the coordinator then gives `extension_until`, a new last day, granted
    in the same act and logged like any extension; without one the reopening is refused.
    """
    today = today or timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give a reason for reopening the plan.")
    locked = _lock(plan)
    if not locked.is_locked:
        raise ValidationError(_("Only a submitted action plan can be reopened."), code="not_submitted")
    needs_extension = not locked.submission_open(today)
    if needs_extension or extension_until is not None:
        if extension_until is None:
            errors["extension_until"] = _(
                "The deadline (%(date)s) has passed: give a new date until which the plan can be submitted again."
            ) % {"date": date_format(locked.deadline, "j F Y")}
        else:
            errors |= _extension_errors(locked, extension_until, today)
    if errors:
        raise ValidationError(errors)
    locked.status = ActionPlan.Status.DRAFT
    locked.submitted_at = None
    locked.submitted_by = None
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])
    participation = locked.participation
    if participation.status == Participation.Status.PLAN_SUBMITTED:
        participation.status = Participation.Status.MATCHED
        participation.save(update_fields=["status"])
    PlanEvent.objects.create(plan=locked, action=PlanEvent.Action.REOPENED, by=by, note=reason.strip())
    if extension_until is not None:
        _set_extension(locked, by, extension_until, reason)
    return locked


def _extension_errors(plan: ActionPlan, until: dt.date, today: dt.date) -> dict[str, str]:
    """What is wrong with `until` as the plan's new last day: it lies after the edition's deadline and not in the
    past."""
    deadline = plan.edition.plan_deadline
    if until <= deadline:
        return {
            "extension_until": _("An extension must end after the deadline (%(date)s).")
            % {"date": date_format(deadline, "j F Y")}
        }
    if until < today:
        return {"extension_until": _("Choose today or a later date.")}
    return {}


def _set_extension(locked: ActionPlan, by: User, until: dt.date | None, reason: str) -> None:
    """Set (or with None, remove) the plan's extension and log it with the reason."""
    old = locked.extension_until
    locked.extension_until = until
    locked.extension_granted_by = by if until else None
    locked.extension_granted_at = timezone.now() if until else None
    locked.save(update_fields=["extension_until", "extension_granted_by", "extension_granted_at", "updated_at"])
    PlanEvent.objects.create(
        plan=locked,
        action=PlanEvent.Action.EXTENSION_GRANTED,
        by=by,
        changes=[
            {
                "target": "plan",
                "field": "extension_until",
                "old": _jsonable(old),
                "new": until.isoformat() if until else None,
            }
        ],
        note=reason.strip(),
    )


@transaction.atomic
def plan_extension_grant(
    *, plan: ActionPlan, by: User, until: dt.date | None, reason: str, today: dt.date | None = None
) -> ActionPlan:
    """A coordinator lets a plan be submitted after the edition's deadline, until `until` (today or later); `until`
    None removes the extension again. Logged with the reason."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give a reason for the extension.")
    locked = _lock(plan)
    if until is not None:
        refused = _extension_errors(locked, until, today)
        if refused:
            errors["until"] = refused["extension_until"]
    elif locked.extension_until is None:
        errors["until"] = _("This plan has no extension to remove. Choose a date to grant one.")
    if errors:
        raise ValidationError(errors)
    if until != locked.extension_until:
        _set_extension(locked, by, until, reason)
    return locked


# --------------------------------------------------------------------------- goals


def _fresh(locked: ActionPlan, model: type[models.Model], pk: int | None, **scope: Any) -> Any:
    """The current row of an item of the locked plan, or StalePlan when someone removed it."""
    found = model._default_manager.filter(pk=pk, **scope).first()
    if found is None:
        raise _gone(locked, TARGETS[model], pk)
    return found


@transaction.atomic
def goal_add(*, plan: ActionPlan, by: User | None, data: Mapping[str, Any]) -> Goal:
    """Add a goal at the end of the plan. `data` holds GOAL_FIELDS (a title at least) and optionally
    "elements"/"criteria" id lists (from selectors.linkable_elements)."""
    locked = _locked_for_edit(plan)
    values = _goal_values(data)
    element_ids, criterion_ids = values.pop("elements", None), values.pop("criteria", None)
    new_version = locked.version + 1
    last = locked.goals.aggregate(last=Max("order"))["last"]
    goal = Goal(plan=locked, order=(last or 0) + 1)
    _apply(goal, values, GOAL_FIELDS, version=new_version)
    _clean(goal, exclude=["plan"])
    goal.save()
    changes = [{"target": "goal", "id": goal.pk, "label": goal.title, "field": "added", "old": None, "new": goal.title}]
    changes[0] |= {"version": new_version, "goal": goal.pk}
    changes += _set_links(locked, goal, element_ids, criterion_ids, version=new_version)
    _commit(locked, by, changes)
    goal.plan = locked
    return goal


def _set_links(
    plan: ActionPlan, goal: Goal, element_ids: Any, criterion_ids: Any, *, version: int
) -> list[dict[str, Any]]:
    if element_ids is None and criterion_ids is None:
        return []
    elements, criteria = _linkable(plan)
    changes = []
    for name, ids, allowed in (("elements", element_ids, elements), ("criteria", criterion_ids, criteria)):
        if ids is not None:
            change = _set_ids(goal, name, ids, allowed, version=version, goal_id=goal.pk)
            if change:
                changes.append(change)
    return changes


@transaction.atomic
def goal_update(*, goal: Goal, by: User | None, version: int, data: Mapping[str, Any]) -> Goal:
    """Change a goal's fields and links; only the keys given are touched."""
    locked = _locked_for_edit(goal.plan)
    current = _fresh(locked, Goal, goal.pk, plan=locked)
    values = _goal_values(data)
    _refuse_overwrites(locked, version, _sends("goal", current.pk, values, current))
    element_ids, criterion_ids = values.pop("elements", None), values.pop("criteria", None)
    new_version = locked.version + 1
    changes = _apply(current, values, GOAL_FIELDS, version=new_version, goal_id=current.pk)
    _clean(current, exclude=["plan"])
    if changes:
        current.save(update_fields=[c["field"] for c in changes] + ["updated_at"])
    changes += _set_links(locked, current, element_ids, criterion_ids, version=new_version)
    _commit(locked, by, changes)
    current.plan = locked
    return current


@transaction.atomic
def goal_remove(*, goal: Goal, by: User | None, version: int) -> ActionPlan:
    """Remove a goal with its milestones and actions; refused when someone changed it after `version`."""
    locked = _locked_for_edit(goal.plan)
    current = _fresh(locked, Goal, goal.pk, plan=locked)
    _refuse_removing_changed(locked, version, "goal", current.pk)
    change = {"target": "goal", "id": current.pk, "label": current.title, "field": "removed"}
    change |= {"old": current.title, "new": None, "version": locked.version + 1, "goal": current.pk}
    current.delete()
    _commit(locked, by, [change])
    return locked


# --------------------------------------------------------------------------- milestones, actions


def _item_add(
    goal: Goal,
    model: type[Milestone] | type[Action],
    data: Mapping[str, Any],
    allowed: tuple[str, ...],
    by: User | None,
) -> Any:
    locked = _locked_for_edit(goal.plan)
    current_goal = _fresh(locked, Goal, goal.pk, plan=locked)
    new_version = locked.version + 1
    item = model(goal=current_goal)
    _apply(item, data, allowed, version=new_version, goal_id=current_goal.pk)
    _clean(item, exclude=["goal"])
    item.save()
    target = TARGETS[model]
    change = {"target": target, "id": item.pk, "label": str(item), "field": "added", "old": None, "new": str(item)}
    change |= {"version": new_version, "goal": current_goal.pk}
    _commit(locked, by, [change])
    current_goal.plan = locked
    item.goal = current_goal
    return item


def _item_update(
    item: Milestone | Action, data: Mapping[str, Any], allowed: tuple[str, ...], by: User | None, version: int
) -> Any:
    model = type(item)
    locked = _locked_for_edit(item.goal.plan)
    current = _fresh(locked, model, item.pk, goal__plan=locked)
    target = TARGETS[model]
    _refuse_overwrites(locked, version, _sends(target, current.pk, data, current))
    changes = _apply(current, data, allowed, version=locked.version + 1, goal_id=current.goal_id)
    _clean(current, exclude=["goal"])
    if changes:
        current.save(update_fields=[c["field"] for c in changes])
    _commit(locked, by, changes)
    current.goal.plan = locked
    return current


def _item_remove(item: Milestone | Action | TeamMember, by: User | None, version: int, plan: ActionPlan) -> ActionPlan:
    model = type(item)
    locked = _locked_for_edit(plan)
    scope = {"plan": locked} if model is TeamMember else {"goal__plan": locked}
    current = _fresh(locked, model, item.pk, **scope)
    target = TARGETS[model]
    _refuse_removing_changed(locked, version, target, current.pk)
    change = {"target": target, "id": current.pk, "label": str(current), "field": "removed", "old": str(current)}
    change |= {"new": None, "version": locked.version + 1}
    if model is not TeamMember:
        change["goal"] = current.goal_id
    current.delete()
    _commit(locked, by, [change])
    return locked


@transaction.atomic
def milestone_add(*, goal: Goal, by: User | None, data: Mapping[str, Any]) -> Milestone:
    """Add a dated milestone (MILESTONE_FIELDS) to a goal."""
    return _item_add(goal, Milestone, data, MILESTONE_FIELDS, by)


@transaction.atomic
def milestone_update(*, milestone: Milestone, by: User | None, version: int, data: Mapping[str, Any]) -> Milestone:
    return _item_update(milestone, data, MILESTONE_FIELDS, by, version)


@transaction.atomic
def milestone_remove(*, milestone: Milestone, by: User | None, version: int) -> ActionPlan:
    return _item_remove(milestone, by, version, milestone.goal.plan)


@transaction.atomic
def action_add(*, goal: Goal, by: User | None, data: Mapping[str, Any]) -> Action:
    """Add an action (ACTION_FIELDS: a title at least) to a goal."""
    return _item_add(goal, Action, data, ACTION_FIELDS, by)


@transaction.atomic
def action_update(*, action: Action, by: User | None, version: int, data: Mapping[str, Any]) -> Action:
    return _item_update(action, data, ACTION_FIELDS, by, version)


@transaction.atomic
def action_remove(*, action: Action, by: User | None, version: int) -> ActionPlan:
    return _item_remove(action, by, version, action.goal.plan)


# --------------------------------------------------------------------------- integrated STEM project


@transaction.atomic
def team_member_add(*, plan: ActionPlan, by: User | None, data: Mapping[str, Any]) -> TeamMember:
    """Add a member of the Teacher Design Team (TEAM_MEMBER_FIELDS: a name at least)."""
    locked = _locked_for_edit(plan)
    new_version = locked.version + 1
    member = TeamMember(plan=locked)
    _apply(member, data, TEAM_MEMBER_FIELDS, version=new_version)
    _clean(member, exclude=["plan"])
    member.save()
    change = {"target": "team_member", "id": member.pk, "label": member.name, "field": "added", "old": None}
    change |= {"new": member.name, "version": new_version}
    _commit(locked, by, [change])
    member.plan = locked
    return member


@transaction.atomic
def team_member_update(*, member: TeamMember, by: User | None, version: int, data: Mapping[str, Any]) -> TeamMember:
    locked = _locked_for_edit(member.plan)
    current = _fresh(locked, TeamMember, member.pk, plan=locked)
    _refuse_overwrites(locked, version, _sends("team_member", current.pk, data, current))
    changes = _apply(current, data, TEAM_MEMBER_FIELDS, version=locked.version + 1)
    _clean(current, exclude=["plan"])
    if changes:
        current.save(update_fields=[c["field"] for c in changes])
    _commit(locked, by, changes)
    current.plan = locked
    return current


@transaction.atomic
def team_member_remove(*, member: TeamMember, by: User | None, version: int) -> ActionPlan:
    return _item_remove(member, by, version, member.plan)


@transaction.atomic
def cool_step_update(*, step: CoolStep, by: User | None, version: int, data: Mapping[str, Any]) -> CoolStep:
    """Set the status and notes of one COOL step of the integrated STEM project."""
    locked = _locked_for_edit(step.plan)
    current = _fresh(locked, CoolStep, step.pk, plan=locked)
    _refuse_overwrites(locked, version, _sends("cool_step", current.pk, data, current))
    changes = _apply(current, data, COOL_STEP_FIELDS, version=locked.version + 1)
    _clean(current, exclude=["plan"])
    if changes:
        current.save(update_fields=[c["field"] for c in changes])
    _commit(locked, by, changes)
    current.plan = locked
    return current


# --------------------------------------------------------------------------- comments


@transaction.atomic
def comment_add(*, plan: ActionPlan, by: User, text: str) -> Comment:
    """A remark in the plan's discussion (also after submission: it does not change the plan)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    return Comment.objects.create(plan=plan, author=by, text=text)


@transaction.atomic
def comment_remove(*, comment: Comment, by: User) -> None:
    comment.delete()


# --------------------------------------------------------------------------- learning networks


def _refuse_date_outside_networks(edition: Edition, date: dt.date) -> None:
    """A session lies within the edition's learning-network period (Edition.networks_start_on .. networks_end_on)."""
    start, end = edition.networks_start_on, edition.networks_end_on
    if not start <= date <= end:
        raise ValidationError(
            {
                "date": _("Choose a date within the learning networks of this edition (%(start)s – %(end)s).")
                % {"start": date_format(start, "j F Y"), "end": date_format(end, "j F Y")}
            }
        )


@transaction.atomic
def session_create(
    *,
    edition: Edition,
    region: Region,
    kind: str,
    date: dt.date,
    by: User | None,
    place: str = "",
    notes: str = "",
) -> LearningNetworkSession:
    """Plan a learning-network session of a region (Methodiek, Inspireren or Ervaringsuitwisseling), on a date within
    the edition's learning-network period."""
    session = LearningNetworkSession(
        edition=edition, region=region, kind=kind, date=date, place=place.strip(), notes=notes, created_by=by
    )
    session.full_clean(exclude=["created_by"])
    _refuse_date_outside_networks(edition, session.date)
    session.save()
    return session


@transaction.atomic
def session_update(
    *, session: LearningNetworkSession, by: User | None, data: Mapping[str, Any]
) -> LearningNetworkSession:
    """Change a session's kind, date, place or notes. A new date lies within the edition's learning-network period;
    a session keeps its date when the coordinator moved that period after it was planned (its place can change)."""
    planned_on = session.date
    for name, raw in data.items():
        if name not in SESSION_FIELDS:
            raise ValueError(f"unknown session field {name}")
        setattr(session, name, _to_python(session, name, raw))
    session.full_clean(exclude=["created_by"])
    if session.date != planned_on:
        _refuse_date_outside_networks(session.edition, session.date)
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: LearningNetworkSession, by: User | None) -> None:
    """Remove a session with its attendance."""
    session.delete()


@transaction.atomic
def attendance_set(
    *,
    session: LearningNetworkSession,
    by: User | None,
    present: bool,
    participation: Participation | None = None,
    company: Company | None = None,
) -> Attendance:
    """Register whether a school (its participation) or a company was at a session; registering again overwrites.

    The school takes part in the session's edition; the company is the active mentor of a school in that edition.
    """
    if (participation is None) == (company is None):
        raise ValueError("register either a school or a company")
    if participation is not None:
        if participation.edition_id != session.edition_id:
            raise ValidationError(_("This school does not take part in the session's edition."), code="other_edition")
        attendance, _created = Attendance.objects.update_or_create(
            session=session, participation=participation, defaults={"present": present, "recorded_by": by}
        )
        return attendance
    assert company is not None
    mentors = Match.objects.filter(
        company=company, status=Match.Status.ACTIVE, participation__edition=session.edition_id
    )
    if not mentors.exists():
        raise ValidationError(_("This company mentors no school in the session's edition."), code="not_a_mentor")
    attendance, _created = Attendance.objects.update_or_create(
        session=session, company=company, defaults={"present": present, "recorded_by": by}
    )
    return attendance
