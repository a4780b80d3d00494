"""REST API of the action plans (verbeteractieplannen) and the learning networks, mounted under /api/v1/.

Scoped per role exactly like the pages, and calling the same services:

- a plan is read through `selectors.plan_detail_for(user=, plan_id=)` (outside the caller's scope: 404); a goal,
  milestone, action, team member or COOL step through the plan it belongs to, so its scope is the plan's;
- writes need the predicates of `actionplans.permissions` (visible but not allowed: 403): the school's and the
  mentor company's members write, sign for their own side and submit while the plan is a draft; advisers of the
  region and coordinators read; jurors read submitted plans only; a submitted plan answers 403 "submitted and
  locked" to its writers;
- every write goes through `actionplans.services` and names the plan `version` it started from. A change or removal
  that would overwrite what someone else changed since is refused with 409 and the service's message, the current
  version and who changed what (nothing is written). Signing, withdrawing a signature and submitting act on the
  whole text, so they answer 409 as soon as the plan changed after the caller's version. Adding is never stale
  (adding overwrites nothing);
- bad input answers 400 keyed by field (`non_field_errors` for a refusal of the whole request, e.g. signing while the
  SMART check fails hard, or submitting after the deadline).

Learning networks: school and company members see the sessions of their region, advisers their regions', the
coordinators all (jurors: 403); coordinators and the region's advisers plan sessions and register attendance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from matching.permissions import matches_visible_to
from partners.models import Company, Participation

from . import selectors, services
from .models import (
    Action,
    ActionPlan,
    Attendance,
    CoolStep,
    Goal,
    LearningNetworkSession,
    Milestone,
    Signature,
    TeamMember,
)
from .permissions import (
    can_edit_plan,
    can_list_sessions,
    can_manage_sessions,
    can_register_attendance,
    can_sign_plan,
    can_start_plan,
    can_submit_plan,
    can_withdraw_signature,
    plan_sides,
)
from .serializers import (
    GOAL_WRITE_FIELDS,
    PLAN_WRITE_FIELDS,
    ActionSerializer,
    AttendanceSerializer,
    AttendanceSetSerializer,
    CoolStepSerializer,
    GoalSerializer,
    GoalWriteSerializer,
    LearningNetworkSessionSerializer,
    MilestoneSerializer,
    PlanCheckSerializer,
    PlanConflictSerializer,
    PlanSerializer,
    PlanStartSerializer,
    PlanSummarySerializer,
    PlanVersionSerializer,
    PlanWriteSerializer,
    SignatureSerializer,
    SignatureWithdrawSerializer,
    TeamMemberSerializer,
    conflict_data,
    plan_check_data,
    plan_context,
    values_for,
)

if TYPE_CHECKING:
    from partners.models import User

NOT_VISIBLE = OpenApiResponse(description="Not found, or outside the caller's scope.")
NOT_ALLOWED = OpenApiResponse(
    description="Visible, but the caller may not do this (now): e.g. not a side of the plan, or the plan is submitted."
)
INVALID = OpenApiResponse(
    description="Invalid input, keyed by field; a refusal of the whole request under non_field_errors."
)
STALE = OpenApiResponse(
    PlanConflictSerializer,
    description=(
        "Someone else changed what this write would overwrite after your version (or removed the item): nothing was "
        "written. The body says who changed what, and the version to reload."
    ),
)
STALE_TEXT = OpenApiResponse(
    PlanConflictSerializer,
    description="The plan changed after your version: nothing was done. Read the changes, then try again.",
)
#: The lists below a plan, goal or session are plain lists: no pagination, no filters of the top-level list.
NESTED: dict[str, Any] = {"pagination_class": None, "filter_backends": []}
#: Service refusals that are about one input field, by their code.
FIELD_OF_CODE = {"other_edition": "participation", "not_a_mentor": "company"}


class PlanConflict(APIException):
    """409 Conflict: a stale write; the body carries the message, the current version and the changes."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"

    def __init__(self, stale: services.StalePlan) -> None:
        super().__init__()
        # A dict detail is the response body as it is (the numbers stay numbers).
        self.detail = conflict_data(stale)  # type: ignore[assignment]


# --- Helpers --------------------------------------------------------------------------------------------------------


def _bad_request(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as a 400 keyed by field (non_field_errors for the request as a whole)."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(
            {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()
            }
        )
    field = FIELD_OF_CODE.get(getattr(exc, "code", None) or "", "non_field_errors")
    return serializers.ValidationError({field: exc.messages})


def _write[T](call: Callable[[], T]) -> T:
    """Call a service: a stale write becomes 409, a locked plan 403, any other refusal 400."""
    try:
        return call()
    except services.StalePlan as exc:
        raise PlanConflict(exc) from exc
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) == "locked":  # submitted between our check and the write
            raise PermissionDenied(exc.messages[0]) from exc
        raise _bad_request(exc) from exc


def _plan(user: User, plan_id: int) -> ActionPlan:
    """The plan with everything the payload shows, if the user may see it (else 404)."""
    try:
        return selectors.plan_detail_for(user=user, plan_id=plan_id)
    except ActionPlan.DoesNotExist:
        raise Http404 from None


#: How each item finds the plan it belongs to.
_PLAN_OF: dict[type[models.Model], str] = {
    Goal: "plan_id",
    Milestone: "goal__plan_id",
    Action: "goal__plan_id",
    TeamMember: "plan_id",
    CoolStep: "plan_id",
}


def _items(plan: ActionPlan, model: type[models.Model]) -> list[Any]:
    """The items of one kind of a plan loaded with details (no query)."""
    goals = list(plan.goals.all())
    if model is Goal:
        return goals
    if model is Milestone:
        return [milestone for goal in goals for milestone in goal.milestones.all()]
    if model is Action:
        return [item for goal in goals for item in goal.actions.all()]
    if model is TeamMember:
        return list(plan.team_members.all())
    return list(plan.cool_steps.all())


def _plan_and_item(user: User, model: type[models.Model], pk: int) -> tuple[ActionPlan, Any]:
    """An item of a plan the user may see, with that plan loaded (its scope is the plan's: else 404)."""
    plan_id = model._default_manager.filter(pk=pk).values_list(_PLAN_OF[model], flat=True).first()
    if plan_id is None:
        raise Http404
    plan = _plan(user, plan_id)
    item = next((item for item in _items(plan, model) if item.pk == pk), None)
    if item is None:  # removed in between
        raise Http404
    return plan, item


def _refusal(user: User, plan: ActionPlan) -> PermissionDenied:
    """403, saying so when the reason is that the plan is submitted (and the caller would otherwise write it)."""
    if plan.is_locked and plan_sides(user, plan):
        return PermissionDenied(_("This action plan is submitted and locked."))
    return PermissionDenied()


def _require_edit(user: User, plan: ActionPlan) -> None:
    if not can_edit_plan(user, plan):
        raise _refusal(user, plan)


def _plan_response(request: Request, plan_id: int, code: int = status.HTTP_200_OK) -> Response:
    plan = _plan(request.user, plan_id)  # type: ignore[arg-type]
    return Response(PlanSerializer(plan, context=plan_context(request, plan)).data, status=code)


def _item_response(
    request: Request,
    model: type[models.Model],
    pk: int,
    serializer: type[serializers.BaseSerializer],
    code: int = status.HTTP_200_OK,
) -> Response:
    """An item as it is now, read back through its plan (with the plan's version and, for a goal, its check)."""
    plan, item = _plan_and_item(request.user, model, pk)  # type: ignore[arg-type]
    context = {"request": request, "check": selectors.plan_check(plan)}
    return Response(serializer(item, context=context).data, status=code)


def _valid(serializer: serializers.BaseSerializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data  # type: ignore[return-value]


class UserMixin:
    request: Request

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]


# --- Plans ----------------------------------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="participation__edition__slug", label="Edition slug")
    status = django_filters.ChoiceFilter(choices=ActionPlan.Status.choices)

    class Meta:
        model = ActionPlan
        fields = ["edition", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="Action plans in the caller's scope",
        description=(
            "Coordinators all; advisers their region's schools; school members their school's plan; company members "
            "the plans of their own matches; jurors the submitted plans of their edition. Without goals: read one "
            "plan for those."
        ),
    ),
)
class PlanViewSet(UserMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Verbeteractieplannen: the joint SMART improvement action plans of a school and its mentor company."""

    serializer_class = PlanSummarySerializer
    filterset_class = PlanFilter
    queryset = ActionPlan.objects.none()  # for the schema; the real one is per user
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[ActionPlan]:
        return selectors.plans_for(user=self.user)  # ordered: newest edition first, then the school

    @extend_schema(
        summary="One action plan with goals, contributions, the COOL project, signatures and the SMART summary",
        responses={200: PlanSerializer, 404: NOT_VISIBLE},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return _plan_response(request, pk)

    @extend_schema(
        summary="Open the action plan of an active match",
        description=(
            "For a member of the match's school or company. The plan is created on first use (201, with the six "
            "COOL steps); when it exists it is returned (200). One plan per school per edition."
        ),
        request=PlanStartSerializer,
        responses={201: PlanSerializer, 200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    def create(self, request: Request) -> Response:
        data = _valid(PlanStartSerializer(data=request.data))
        match = get_object_or_404(
            matches_visible_to(self.user).select_related("participation", "company"), pk=data["match"]
        )
        if not can_start_plan(self.user, match):
            raise PermissionDenied
        existed = ActionPlan.objects.filter(participation_id=match.participation_id).exists()
        plan = _write(lambda: services.plan_get_or_create(match=match, by=self.user))
        return _plan_response(request, plan.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the plan's own fields",
        description=(
            "Contributions of the mentor company, higher education, other STEM projects, iSTEM coaching, the "
            "integrated project's theme and challenge, transferability. Only the keys sent are changed. A change "
            "withdraws the signatures given on the text before."
        ),
        request=PlanWriteSerializer,
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        _require_edit(self.user, plan)
        data = _valid(PlanWriteSerializer(data=request.data, partial=True))
        values = values_for(data, PLAN_WRITE_FIELDS)
        _write(lambda: services.plan_update(plan=plan, by=self.user, version=data["version"], data=values))
        return _plan_response(request, plan.pk)

    @extend_schema(
        summary="The SMART check of the plan, per goal and per letter",
        description=(
            "Per goal and per letter (S, M, A, R, T): pass, a soft warning or a hard failure, each finding with the "
            "field it is about and a concrete hint in the caller's language. A hard failure blocks signing and "
            "submitting."
        ),
        responses={200: PlanCheckSerializer, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"], **NESTED)
    def check(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        return Response(PlanCheckSerializer(plan_check_data(plan, selectors.plan_check(plan))).data)

    @extend_schema(
        methods=["GET"],
        summary="The goals of a plan",
        responses={200: GoalSerializer(many=True), 404: NOT_VISIBLE},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a goal",
        description=(
            "A title at least; a goal that is not SMART yet is saved and the answer's `smart` says what is missing. "
            "Bad values (a date that is no date, a negative count, a key element outside the school's focus) answer "
            "400 naming the field."
        ),
        request=GoalWriteSerializer,
        responses={201: GoalSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def goals(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        if request.method == "GET":
            context = {"request": request, "check": selectors.plan_check(plan)}
            return Response(GoalSerializer(plan.goals.all(), many=True, context=context).data)
        _require_edit(self.user, plan)
        data = _valid(GoalWriteSerializer(data=request.data))
        goal = _write(lambda: services.goal_add(plan=plan, by=self.user, data=values_for(data, GOAL_WRITE_FIELDS)))
        return _item_response(request, Goal, goal.pk, GoalSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The Teacher Design Team of the integrated STEM project",
        responses={200: TeamMemberSerializer(many=True), 404: NOT_VISIBLE},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a member to the Teacher Design Team",
        request=TeamMemberSerializer,
        responses={201: TeamMemberSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    @action(detail=True, methods=["get", "post"], url_path="team-members", url_name="team-members", **NESTED)
    def team_members(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        if request.method == "GET":
            return Response(TeamMemberSerializer(plan.team_members.all(), many=True).data)
        _require_edit(self.user, plan)
        data = values_for(_valid(TeamMemberSerializer(data=request.data)), services.TEAM_MEMBER_FIELDS)
        member = _write(lambda: services.team_member_add(plan=plan, by=self.user, data=data))
        return _item_response(request, TeamMember, member.pk, TeamMemberSerializer, status.HTTP_201_CREATED)

    def _side(self, plan: ActionPlan, wanted: str | None, allowed: Callable[[Any, ActionPlan, str], bool]) -> str:
        """The side the caller acts for: the one asked for if allowed, else the only one allowed."""
        if wanted:
            if not allowed(self.user, plan, wanted):
                raise _refusal(self.user, plan)
            return wanted
        sides = [side for side in Signature.Side.values if allowed(self.user, plan, side)]
        if not sides:
            raise _refusal(self.user, plan)
        if len(sides) > 1:
            raise serializers.ValidationError({"side": [_("Choose the side: school or company.")]})
        return sides[0]

    @extend_schema(
        methods=["GET"],
        summary="The signatures of the engagement declaration",
        responses={200: SignatureSerializer(many=True), 404: NOT_VISIBLE},
    )
    @extend_schema(
        methods=["POST"],
        summary="Sign the engagement declaration for your side",
        description=(
            "A named person of the school and of the mentor company each sign (name and function; the time is "
            "recorded). Refused (400) while the SMART check fails hard or when the side already signed; 409 when the "
            "plan changed after your version. Changing the plan later withdraws both signatures."
        ),
        request=SignatureSerializer,
        responses={201: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE_TEXT},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw a signature",
        description="A member of that side, or a coordinator (who names the side), while the plan is a draft.",
        parameters=[SignatureWithdrawSerializer],
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE_TEXT},
    )
    @action(detail=True, methods=["get", "post", "delete"], **NESTED)
    def signatures(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        if request.method == "GET":
            return Response(SignatureSerializer(plan.signatures.all(), many=True).data)
        if request.method == "POST":
            data = _valid(SignatureSerializer(data=request.data))
            side = self._side(plan, data.get("side"), can_sign_plan)
            _write(
                lambda: services.plan_sign(
                    plan=plan, side=side, name=data["name"], role=data["role"], by=self.user, version=data["version"]
                )
            )
            return _plan_response(request, plan.pk, status.HTTP_201_CREATED)
        query = _valid(SignatureWithdrawSerializer(data=request.query_params))
        side = self._side(plan, query.get("side"), can_withdraw_signature)
        _write(lambda: services.signature_withdraw(plan=plan, side=side, by=self.user, version=query["version"]))
        return _plan_response(request, plan.pk)

    @extend_schema(
        summary="Submit the plan",
        description=(
            "Both sides signed, no hard SMART failure, on or before the deadline (or a coordinator's extension); "
            "otherwise 400 says what is missing. The plan is then locked: changes answer 403."
        ),
        request=PlanVersionSerializer,
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE_TEXT},
    )
    @action(detail=True, methods=["post"], **NESTED)
    def submit(self, request: Request, pk: int) -> Response:
        plan = _plan(self.user, pk)
        if not can_submit_plan(self.user, plan):
            raise _refusal(self.user, plan)
        data = _valid(PlanVersionSerializer(data=request.data))
        _write(lambda: services.plan_submit(plan=plan, by=self.user, version=data["version"]))
        return _plan_response(request, plan.pk)


# --- Goals, milestones, actions, the team, COOL steps ---------------------------------------------------------------


class GoalViewSet(UserMixin, viewsets.GenericViewSet):
    """A SMART goal of a plan, with its milestones and actions."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()  # for the schema; goals are read through their plan
    lookup_value_converter = "int"

    @extend_schema(summary="One goal with its SMART result", responses={200: GoalSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return _item_response(request, Goal, pk, GoalSerializer)

    @extend_schema(
        summary="Change a goal",
        description="Only the keys sent are changed; `version` is required.",
        request=GoalWriteSerializer,
        responses={200: GoalSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        plan, goal = _plan_and_item(self.user, Goal, pk)
        _require_edit(self.user, plan)
        data = _valid(GoalWriteSerializer(data=request.data, partial=True))
        values = values_for(data, GOAL_WRITE_FIELDS)
        _write(lambda: services.goal_update(goal=goal, by=self.user, version=data["version"], data=values))
        return _item_response(request, Goal, goal.pk, GoalSerializer)

    @extend_schema(
        summary="Remove a goal with its milestones and actions",
        description="Refused (409) when someone changed the goal after your version. Answers the plan.",
        parameters=[PlanVersionSerializer],
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def destroy(self, request: Request, pk: int) -> Response:
        plan, goal = _plan_and_item(self.user, Goal, pk)
        _require_edit(self.user, plan)
        version = _valid(PlanVersionSerializer(data=request.query_params))["version"]
        _write(lambda: services.goal_remove(goal=goal, by=self.user, version=version))
        return _plan_response(request, plan.pk)

    @extend_schema(methods=["GET"], summary="The milestones of a goal", responses={200: MilestoneSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary="Add a milestone (a dated step) to a goal",
        description="A milestone outside the goal's period is saved; the SMART check flags it.",
        request=MilestoneSerializer,
        responses={201: MilestoneSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def milestones(self, request: Request, pk: int) -> Response:
        plan, goal = _plan_and_item(self.user, Goal, pk)
        if request.method == "GET":
            return Response(MilestoneSerializer(goal.milestones.all(), many=True).data)
        _require_edit(self.user, plan)
        data = values_for(_valid(MilestoneSerializer(data=request.data)), services.MILESTONE_FIELDS)
        milestone = _write(lambda: services.milestone_add(goal=goal, by=self.user, data=data))
        return _item_response(request, Milestone, milestone.pk, MilestoneSerializer, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="The actions of a goal", responses={200: ActionSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary="Add an action to a goal",
        request=ActionSerializer,
        responses={201: ActionSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    @action(detail=True, methods=["get", "post"], url_path="actions", url_name="actions", **NESTED)
    def goal_actions(self, request: Request, pk: int) -> Response:
        plan, goal = _plan_and_item(self.user, Goal, pk)
        if request.method == "GET":
            return Response(ActionSerializer(goal.actions.all(), many=True).data)
        _require_edit(self.user, plan)
        data = values_for(_valid(ActionSerializer(data=request.data)), services.ACTION_FIELDS)
        item = _write(lambda: services.action_add(goal=goal, by=self.user, data=data))
        return _item_response(request, Action, item.pk, ActionSerializer, status.HTTP_201_CREATED)


def _item_update(
    view: UserMixin,
    request: Request,
    pk: int,
    model: type[models.Model],
    serializer: type[serializers.ModelSerializer],
    fields: tuple[str, ...],
    update: Callable[..., Any],
) -> Response:
    """Change an item through its service: `update(item, version, data)`."""
    plan, item = _plan_and_item(view.user, model, pk)
    _require_edit(view.user, plan)
    data = _valid(serializer(data=request.data, partial=True))
    _write(lambda: update(item, data["version"], values_for(data, fields)))
    return _item_response(request, model, item.pk, serializer)


def _item_remove(
    view: UserMixin, request: Request, pk: int, model: type[models.Model], remove: Callable[[Any, int], Any]
) -> Response:
    """Remove an item through its service: `remove(item, version)`; answers the plan."""
    plan, item = _plan_and_item(view.user, model, pk)
    _require_edit(view.user, plan)
    version = _valid(PlanVersionSerializer(data=request.query_params))["version"]
    _write(lambda: remove(item, version))
    return _plan_response(request, plan.pk)


class MilestoneViewSet(UserMixin, viewsets.GenericViewSet):
    """Mijlpalen: the dated steps of a goal."""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="One milestone", responses={200: MilestoneSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return _item_response(request, Milestone, pk, MilestoneSerializer)

    @extend_schema(
        summary="Change a milestone",
        request=MilestoneSerializer,
        responses={200: MilestoneSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        return _item_update(
            self,
            request,
            pk,
            Milestone,
            MilestoneSerializer,
            services.MILESTONE_FIELDS,
            lambda item, version, data: services.milestone_update(
                milestone=item, by=self.user, version=version, data=data
            ),
        )

    @extend_schema(
        summary="Remove a milestone",
        parameters=[PlanVersionSerializer],
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def destroy(self, request: Request, pk: int) -> Response:
        return _item_remove(
            self,
            request,
            pk,
            Milestone,
            lambda item, version: services.milestone_remove(milestone=item, by=self.user, version=version),
        )


class ActionViewSet(UserMixin, viewsets.GenericViewSet):
    """The actions towards a goal."""

    serializer_class = ActionSerializer
    queryset = Action.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="One action", responses={200: ActionSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return _item_response(request, Action, pk, ActionSerializer)

    @extend_schema(
        summary="Change an action (e.g. its status)",
        request=ActionSerializer,
        responses={200: ActionSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        return _item_update(
            self,
            request,
            pk,
            Action,
            ActionSerializer,
            services.ACTION_FIELDS,
            lambda item, version, data: services.action_update(action=item, by=self.user, version=version, data=data),
        )

    @extend_schema(
        summary="Remove an action",
        parameters=[PlanVersionSerializer],
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def destroy(self, request: Request, pk: int) -> Response:
        return _item_remove(
            self,
            request,
            pk,
            Action,
            lambda item, version: services.action_remove(action=item, by=self.user, version=version),
        )


class TeamMemberViewSet(UserMixin, viewsets.GenericViewSet):
    """The Teacher Design Team of the plan's integrated STEM project."""

    serializer_class = TeamMemberSerializer
    queryset = TeamMember.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="One Teacher Design Team member", responses={200: TeamMemberSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return _item_response(request, TeamMember, pk, TeamMemberSerializer)

    @extend_schema(
        summary="Change a Teacher Design Team member",
        request=TeamMemberSerializer,
        responses={200: TeamMemberSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        return _item_update(
            self,
            request,
            pk,
            TeamMember,
            TeamMemberSerializer,
            services.TEAM_MEMBER_FIELDS,
            lambda item, version, data: services.team_member_update(
                member=item, by=self.user, version=version, data=data
            ),
        )

    @extend_schema(
        summary="Remove a Teacher Design Team member",
        parameters=[PlanVersionSerializer],
        responses={200: PlanSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def destroy(self, request: Request, pk: int) -> Response:
        return _item_remove(
            self,
            request,
            pk,
            TeamMember,
            lambda item, version: services.team_member_remove(member=item, by=self.user, version=version),
        )


class CoolStepViewSet(UserMixin, viewsets.GenericViewSet):
    """The six steps of COOL voor iSTEM for the plan's integrated STEM project (created with the plan)."""

    serializer_class = CoolStepSerializer
    queryset = CoolStep.objects.none()
    lookup_value_converter = "int"

    @extend_schema(summary="One COOL step", responses={200: CoolStepSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return _item_response(request, CoolStep, pk, CoolStepSerializer)

    @extend_schema(
        summary="Set the status and notes of a COOL step",
        request=CoolStepSerializer,
        responses={200: CoolStepSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE, 409: STALE},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        return _item_update(
            self,
            request,
            pk,
            CoolStep,
            CoolStepSerializer,
            services.COOL_STEP_FIELDS,
            lambda item, version, data: services.cool_step_update(step=item, by=self.user, version=version, data=data),
        )


# --- Learning networks ----------------------------------------------------------------------------------------------


class SessionFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="edition__slug", label="Edition slug")
    region = django_filters.CharFilter(field_name="region__slug", label="Region slug")
    kind = django_filters.ChoiceFilter(choices=LearningNetworkSession.Kind.choices)

    class Meta:
        model = LearningNetworkSession
        fields = ["edition", "region", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="Learning-network sessions in the caller's scope",
        description=(
            "Coordinators all; advisers their regions'; school and company members those of their region in the "
            "editions they take part in. Jurors: 403."
        ),
        responses={200: LearningNetworkSessionSerializer(many=True), 403: NOT_ALLOWED},
    ),
)
class LearningNetworkSessionViewSet(UserMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Lerende netwerken: the three regional sessions of an edition and who attended them."""

    serializer_class = LearningNetworkSessionSerializer
    filterset_class = SessionFilter
    queryset = LearningNetworkSession.objects.none()
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[LearningNetworkSession]:
        return selectors.sessions_for(user=self.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_list_sessions(self.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def _session(self, pk: int) -> LearningNetworkSession:
        try:
            return selectors.session_detail_for(user=self.user, session_id=pk)
        except LearningNetworkSession.DoesNotExist:
            raise Http404 from None

    @extend_schema(summary="One session", responses={200: LearningNetworkSessionSerializer, 404: NOT_VISIBLE})
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(LearningNetworkSessionSerializer(self._session(pk)).data)

    @extend_schema(
        summary="Plan a session of a region",
        description=(
            "For coordinators and the advisers of the region. The date lies within the edition's learning-network "
            "period (networks_start_on .. networks_end_on of the edition)."
        ),
        request=LearningNetworkSessionSerializer,
        responses={201: LearningNetworkSessionSerializer, 400: INVALID, 403: NOT_ALLOWED},
    )
    def create(self, request: Request) -> Response:
        data = _valid(LearningNetworkSessionSerializer(data=request.data))
        if not can_manage_sessions(self.user, data["region"]):
            raise PermissionDenied
        session = _write(
            lambda: services.session_create(
                edition=data["edition"],
                region=data["region"],
                kind=data["kind"],
                date=data["date"],
                by=self.user,
                place=data.get("place", ""),
                notes=data.get("notes", ""),
            )
        )
        return Response(
            LearningNetworkSessionSerializer(self._session(session.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        summary="Who attended a session",
        description="For coordinators and the advisers of the session's region.",
        responses={200: AttendanceSerializer(many=True), 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @extend_schema(
        methods=["POST"],
        summary="Register whether a school or a company attended",
        description=(
            "Give the school's participation or the company, and present (default true). Registering again "
            "overwrites. The school takes part in the session's edition; the company mentors a school in it."
        ),
        request=AttendanceSetSerializer,
        responses={200: AttendanceSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["get", "post"], **NESTED)
    def attendance(self, request: Request, pk: int) -> Response:
        session = self._session(pk)
        if not can_register_attendance(self.user, session):
            raise PermissionDenied
        if request.method == "GET":
            return Response(AttendanceSerializer(session.attendances.all(), many=True).data)
        data = _valid(AttendanceSetSerializer(data=request.data))
        participation = company = None
        if "participation" in data:
            participation = Participation.objects.filter(pk=data["participation"]).first()
            if participation is None:
                raise serializers.ValidationError({"participation": [_("Unknown school participation.")]})
        else:
            company = Company.objects.filter(pk=data["company"]).first()
            if company is None:
                raise serializers.ValidationError({"company": [_("Unknown company.")]})
        row = _write(
            lambda: services.attendance_set(
                session=session, by=self.user, present=data["present"], participation=participation, company=company
            )
        )
        fresh = Attendance.objects.select_related("participation__school", "company").get(pk=row.pk)
        return Response(AttendanceSerializer(fresh).data)
