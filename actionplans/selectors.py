"""Named reads of action plans and learning networks, each in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet

from baseline.models import Criterion, EditionBaselineSettings, Framework, KeyElement, Measurement
from matching.models import Match

from . import smart
from .models import (
    Action,
    ActionPlan,
    Attendance,
    Comment,
    CoolStep,
    Goal,
    LearningNetworkSession,
    Milestone,
    PlanEvent,
    Signature,
    TeamMember,
)

if TYPE_CHECKING:
    from partners.models import Edition, User

#: The model behind each `target` of a history change, to name its fields.
TARGET_MODELS = {
    "plan": ActionPlan,
    "goal": Goal,
    "milestone": Milestone,
    "action": Action,
    "team_member": TeamMember,
    "cool_step": CoolStep,
    "signature": Signature,
}


def _goals_with_items() -> Prefetch:
    """A plan's goals in order with what the page and the SMART check read: links, milestones and actions."""
    goals = Goal.objects.order_by("order", "id").prefetch_related(
        "elements",
        Prefetch("criteria", queryset=Criterion.objects.select_related("element")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("date", "id")),
        Prefetch("actions", queryset=Action.objects.order_by("due", "id")),
    )
    return Prefetch("goals", queryset=goals)


def _with_parties(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    return plans.select_related("participation__school__region", "participation__edition", "match__company")


def with_page_details(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """What the plan page (goals, milestones, actions and their SMART check, the status line) reads of a plan, in 7
    queries however many goals, milestones and actions: school, edition, company, goals with their links, milestones
    and actions, and the signatures. Not the comments, the history, the team or the contributions: the page does not
    show them, and a long history would make every page view slower."""
    return _with_parties(plans).prefetch_related(
        _goals_with_items(), Prefetch("signatures", queryset=Signature.objects.select_related("user"))
    )


def with_details(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """Everything the API, the PDF and the pages around the goals read of a plan, in a constant number of queries (12
    however many goals, milestones and actions): school, edition, company, goals with their links, milestones and
    actions, team, COOL steps, other STEM projects, signatures, comments and history."""
    return (
        with_page_details(plans)
        .select_related("submitted_by", "extension_granted_by")
        .prefetch_related(
            Prefetch("team_members", queryset=TeamMember.objects.order_by("kind", "name", "id")),
            Prefetch("cool_steps", queryset=CoolStep.objects.order_by("position")),
            "stem_projects",
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at", "id")),
            Prefetch("events", queryset=PlanEvent.objects.select_related("by").order_by("-at", "-id")),
        )
    )


def plans_for(*, user: User, edition: Edition | None = None) -> QuerySet[ActionPlan]:
    """The plans a user may see (list pages), with school, company and the numbers of goals and signatures, in one
    query; newest edition first, then by school name."""
    plans = ActionPlan.objects.visible_to(user)
    if edition is not None:
        plans = plans.filter(participation__edition=edition)
    # The counts make it a grouped query, which drops the model's default ordering: say it (newest edition first,
    # then the school), with the pk last so a paginated list is stable.
    return (
        _with_parties(plans)
        .annotate(goal_count=Count("goals", distinct=True), signature_count=Count("signatures", distinct=True))
        .order_by("-participation__edition__starts_on", "participation__school__name", "pk")
    )


def plan_detail_for(*, user: User, plan_id: int) -> ActionPlan:
    """A plan with all its details (with_details); raises ActionPlan.DoesNotExist outside the user's scope (views
    answer 404)."""
    return with_details(ActionPlan.objects.visible_to(user)).get(pk=plan_id)


def plan_page_for(*, user: User, plan_id: int) -> ActionPlan:
    """A plan with what the plan page reads (with_page_details); raises ActionPlan.DoesNotExist outside the user's
    scope (views answer 404)."""
    return with_page_details(ActionPlan.objects.visible_to(user)).get(pk=plan_id)


def plan_for_match(*, user: User, match: Match) -> ActionPlan | None:
    """The plan written within a match, with details, if it exists and the user may see it."""
    return with_details(ActionPlan.objects.visible_to(user)).filter(match=match).first()


def plan_with_details(*, plan_id: int) -> ActionPlan:
    """A plan with details regardless of the user (services and tasks; views use plan_detail_for)."""
    return with_details(ActionPlan.objects.all()).get(pk=plan_id)


# --------------------------------------------------------------------------- SMART check


def focus_by_participation(participation_ids: Iterable[int]) -> dict[int, smart.Focus]:
    """The focus agreed in each school's baseline measurement (key elements and their criteria), by participation,
    in one query however many participations. A participation without agreed focus elements is left out: while
    none are agreed, any key element fits (see linkable_elements)."""
    ids = list(participation_ids)
    if not ids:
        return {}
    through = Measurement.focus_elements.through
    rows = through.objects.filter(
        measurement__participation_id__in=ids, measurement__kind=Measurement.Kind.BASELINE
    ).values_list("measurement__participation_id", "keyelement_id", "keyelement__criteria__id")
    elements: dict[int, set[int]] = {}
    criteria: dict[int, set[int]] = {}
    for participation_id, element_id, criterion_id in rows:
        elements.setdefault(participation_id, set()).add(element_id)
        if criterion_id is not None:
            criteria.setdefault(participation_id, set()).add(criterion_id)
    return {pid: smart.Focus(frozenset(found), frozenset(criteria.get(pid, set()))) for pid, found in elements.items()}


def plan_focus(plan: ActionPlan) -> smart.Focus | None:
    """The focus of the plan's school (one query, once per loaded plan; plans_with_checks reads it for many plans
    at once)."""
    if not hasattr(plan, "_smart_focus"):
        plan._smart_focus = focus_by_participation([plan.participation_id]).get(plan.participation_id)  # type: ignore[attr-defined]
    return plan._smart_focus  # type: ignore[attr-defined]


def goal_input(goal: Goal, focus: smart.Focus | None = None) -> smart.GoalInput:
    """The plain data the SMART check takes (no query when the goal came through with_details)."""
    return smart.GoalInput(
        id=goal.pk,
        title=goal.title,
        grades=tuple(goal.grades),
        tracks=tuple(goal.tracks),
        programme=goal.programme,
        subjects=goal.subjects,
        indicator=goal.indicator,
        unit=goal.unit,
        baseline_value=goal.baseline_value,
        target_value=goal.target_value,
        fit=goal.fit,
        owner_school=goal.owner_school,
        owner_company=goal.owner_company,
        company_hours=goal.company_hours,
        company_staff=goal.company_staff,
        material=goal.material,
        budget=goal.budget,
        start=goal.start,
        end=goal.end,
        elements=tuple(e.pk for e in goal.elements.all()),
        criteria=tuple(c.pk for c in goal.criteria.all()),
        milestones=tuple(
            smart.MilestoneInput(date=m.date, description=m.description, id=m.pk) for m in goal.milestones.all()
        ),
        actions=tuple(smart.ActionInput(title=a.title, owner=a.owner, due=a.due, id=a.pk) for a in goal.actions.all()),
        focus=focus,
    )


def edition_period(edition: Edition) -> smart.Period:
    return smart.Period(start=edition.starts_on, end=edition.ends_on)


def plan_check(plan: ActionPlan) -> smart.PlanCheck:
    """The SMART check of a plan loaded with with_details or with_page_details (one query for the school's focus,
    unless plans_with_checks read it already)."""
    focus = plan_focus(plan)
    return smart.check_plan([goal_input(goal, focus) for goal in plan.goals.all()], edition_period(plan.edition))


@dataclass(frozen=True)
class GoalWithCheck:
    goal: Goal
    check: smart.GoalCheck


def goals_with_checks(plan: ActionPlan, check: smart.PlanCheck | None = None) -> list[GoalWithCheck]:
    """Each goal beside its SMART result, for the plan page (plan loaded with with_details or with_page_details).
    Pass the plan's `check` when the caller has it already: the check then runs once per goal, not twice."""
    if check is None:
        check = plan_check(plan)
    return [GoalWithCheck(goal, result) for goal, result in zip(plan.goals.all(), check.goals, strict=True)]


def plans_with_checks(plans: QuerySet[ActionPlan]) -> list[tuple[ActionPlan, smart.PlanCheck]]:
    """Each plan with its SMART check, in a constant number of queries however many plans and goals."""
    loaded = list(plans.select_related("participation__edition").prefetch_related(_goals_with_items()))
    focus = focus_by_participation(plan.participation_id for plan in loaded)
    for plan in loaded:
        plan._smart_focus = focus.get(plan.participation_id)  # type: ignore[attr-defined]
    return [(plan, plan_check(plan)) for plan in loaded]


@dataclass
class MemberPlanRow:
    """A school or company member's view of one active match: its plan (if started) and its SMART check."""

    match: Match
    plan: ActionPlan | None = None
    check: smart.PlanCheck | None = None


def member_plan_rows(*, user: User, edition: Edition | None) -> list[MemberPlanRow]:
    """The active matches of the user's schools and companies in the edition, with their plans and SMART checks, in
    a constant number of queries however many schools, companies and plans (the plan list and the dashboard)."""
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
    plans = ActionPlan.objects.filter(participation_id__in=[m.participation_id for m in matches])
    by_participation = {plan.participation_id: (plan, check) for plan, check in plans_with_checks(plans)}
    rows = []
    for match in matches:
        row = MemberPlanRow(match)
        found = by_participation.get(match.participation_id)
        if found and found[0].match_id == match.pk:
            row.plan, row.check = found
        rows.append(row)
    return rows


@dataclass(frozen=True)
class GoalResources:
    """What the goals of a plan ask of the mentor company together (goals without a figure count as nothing)."""

    hours: int
    staff: int
    goals: int


def goal_resources(plan: ActionPlan) -> GoalResources:
    """The company hours and staff of the plan's goals added up (from the prefetched goals)."""
    goals = list(plan.goals.all())
    return GoalResources(
        hours=sum(goal.company_hours or 0 for goal in goals),
        staff=sum(goal.company_staff or 0 for goal in goals),
        goals=len(goals),
    )


def last_event(plan: ActionPlan) -> PlanEvent | None:
    """The plan's latest recorded event (who last changed, signed or submitted it, and when): one query."""
    return PlanEvent.objects.filter(plan=plan).select_related("by").order_by("-at", "-id").first()


# --------------------------------------------------------------------------- linking goals to the baseline


def linkable_elements(*, plan: ActionPlan) -> list[KeyElement]:
    """The key elements (with their criteria prefetched) a goal may link to: the focus elements agreed in the
    school's baseline measurement; while none are agreed, every key element of the framework the school is measured
    on (the edition's, else the newest)."""
    measurement = (
        Measurement.objects.filter(participation_id=plan.participation_id, kind=Measurement.Kind.BASELINE)
        .prefetch_related(Prefetch("focus_elements", queryset=KeyElement.objects.prefetch_related("criteria")))
        .first()
    )
    if measurement is not None:
        focus = sorted(measurement.focus_elements.all(), key=lambda e: e.number)
        if focus:
            return focus
        framework_id: int | None = measurement.framework_id
    else:
        config = EditionBaselineSettings.objects.filter(edition_id=plan.participation.edition_id).first()
        framework_id = (
            config.framework_id if config else Framework.objects.order_by("-id").values_list("id", flat=True).first()
        )
    return list(KeyElement.objects.filter(framework_id=framework_id).order_by("number").prefetch_related("criteria"))


# --------------------------------------------------------------------------- history


def field_label(target: str, field: str) -> str:
    """A readable name for the field a history change is about (the model's verbose name)."""
    model = TARGET_MODELS.get(target)
    if model is None:
        return field
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # "added"/"removed", and fields that no longer exist, stay as recorded
        return field


# --------------------------------------------------------------------------- learning networks


def sessions_for(*, user: User, edition: Edition | None = None) -> QuerySet[LearningNetworkSession]:
    sessions = LearningNetworkSession.objects.visible_to(user).select_related("region", "edition")
    if edition is not None:
        sessions = sessions.filter(edition=edition)
    return sessions


def session_detail_for(*, user: User, session_id: int) -> LearningNetworkSession:
    """A session with its attendance (school and company names); Raises DoesNotExist outside the user's scope."""
    return (
        sessions_for(user=user)
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("participation__school", "company"))
        )
        .get(pk=session_id)
    )


@dataclass(frozen=True)
class AttendanceRow:
    """One learning-network session as the plan shows it: was the school there, was the mentor company there.
    None means nothing was registered."""

    session: LearningNetworkSession
    school_present: bool | None
    company_present: bool | None


def plan_attendance(*, plan: ActionPlan) -> list[AttendanceRow]:
    """The edition's sessions in the school's region, plus any other session the school or company attended, with
    what was registered for the two sides (two queries)."""
    company_id = plan.match.company_id
    participation_id = plan.participation_id
    sessions = (
        LearningNetworkSession.objects.filter(edition_id=plan.participation.edition_id)
        .filter(
            Q(region_id=plan.participation.school.region_id)
            | Q(attendances__participation_id=participation_id)
            | Q(attendances__company_id=company_id)
        )
        .distinct()
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(Q(participation_id=participation_id) | Q(company_id=company_id)),
                to_attr="plan_attendances",
            )
        )
        .order_by("date", "id")
    )
    rows = []
    for session in sessions:
        school = next((a.present for a in session.plan_attendances if a.participation_id == participation_id), None)
        company = next((a.present for a in session.plan_attendances if a.company_id == company_id), None)
        rows.append(AttendanceRow(session, school, company))
    return rows


def attendance_count(rows: list[AttendanceRow]) -> tuple[int, int]:
    """(sessions the school attended, sessions the company attended): what the jury looks at."""
    return sum(r.school_present is True for r in rows), sum(r.company_present is True for r in rows)
