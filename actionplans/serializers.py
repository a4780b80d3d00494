"""Serializers of the action plan API (verbeteractieplan): plans, goals with milestones and actions, the integrated
STEM project, signatures, the SMART check and the learning networks.

Output serializers read plans loaded by `selectors.plan_detail_for` (everything prefetched: no query per goal); the
SMART check, the attendance and the linkable key elements of a plan come in through the serializer context (see
`plan_context`), computed once per response. Input serializers only validate types (a date, a count that is not
negative, a known choice) so a bad value is named by its field; every write then goes through `actionplans.services`,
which validates the rest and writes.

The names of the serializers are prefixed (Plan..., Smart...) because the schema's component names are global, and
an enum-valued field (status, kind, side) appears in one component only, so drf-spectacular names its enum without
a collision warning: an item type uses one serializer for reading and writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Edition, Region

from . import selectors, services, smart
from .models import (
    Action,
    ActionPlan,
    Attendance,
    CoolStep,
    Goal,
    Grade,
    LearningNetworkSession,
    Milestone,
    Signature,
    TeamMember,
    Track,
)
from .permissions import can_edit_plan, can_sign_plan, can_submit_plan

if TYPE_CHECKING:
    from partners.models import User

#: The sides of the engagement declaration, with the same (value, label) pairs as the matching API's `side`, so the
#: schema shares one SideEnum.
SIDE_CHOICES = [(side, side) for side in Signature.Side.values]

VERSION_HELP = "The plan's version now: send it with your next change."


def plan_context(request: Any, plan: ActionPlan) -> dict[str, Any]:
    """What the plan and goal serializers need besides the plan itself, computed once (a constant number of
    queries): the SMART check, the learning-network attendance and the key elements a goal may link to."""
    return {
        "request": request,
        "check": selectors.plan_check(plan),
        "attendance": selectors.plan_attendance(plan=plan),
        "linkable": selectors.linkable_elements(plan=plan),
    }


def _check_of(serializer: serializers.Serializer, goal: Goal) -> smart.GoalCheck:
    check: smart.PlanCheck = serializer.context.get("check") or selectors.plan_check(goal.plan)
    found = check.goal(goal.pk)
    assert found is not None, "the check is computed on the plan the goal came from"
    return found


class VersionedWrite(serializers.Serializer):
    """A write names the plan version it started from. Required for a change (PATCH, a partial serializer), where
    drf would otherwise skip the missing field; not compared when adding (adding overwrites nothing)."""

    version = serializers.IntegerField(
        min_value=1,
        write_only=True,
        required=False,
        help_text=(
            "The plan version you loaded. Required when changing; when someone else changed the same field since, "
            "nothing is written and the answer is 409. Not compared when adding (adding overwrites nothing)."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.partial and "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return super().validate(attrs)


def values_for(validated: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The validated values a service takes (without `version`)."""
    return {name: validated[name] for name in names if name in validated}


# --- References -----------------------------------------------------------------------------------------------------


class PlanSchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="Criterion number of the framework (1-21).")
    name = serializers.CharField(source="label")


class PlanElementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="Key element number of the framework (1-7).")
    name = serializers.CharField(source="label")


class LinkableElementSerializer(PlanElementSerializer):
    criteria = PlanCriterionSerializer(many=True, source="criteria.all")


class StemProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- SMART check ----------------------------------------------------------------------------------------------------


class SmartFindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule, e.g. m_no_target (see actionplans/smart.py).")
    severity = serializers.ChoiceField(
        choices=[(s.value, s.value) for s in smart.Severity],
        help_text="hard: blocks signing and submitting; soft: a warning that stays visible.",
    )
    field = serializers.CharField(help_text="The goal field the finding is about (empty for the plan).")
    item = serializers.IntegerField(allow_null=True, help_text="The milestone or action id, for per-item findings.")
    hint = serializers.CharField(help_text="What to do, in the caller's language.")


class SmartLetterSerializer(serializers.Serializer):
    letter = serializers.ChoiceField(choices=[(letter, letter) for letter in smart.LETTERS])
    label = serializers.CharField(help_text="Specifiek, Meetbaar, ... in the caller's language.")
    status = serializers.ChoiceField(
        choices=[(s.value, s.value) for s in smart.Status], help_text="The worst finding of the letter."
    )
    findings = SmartFindingSerializer(many=True)


class GoalSmartSerializer(serializers.Serializer):
    has_hard_failure = serializers.BooleanField()
    hard_count = serializers.IntegerField()
    soft_count = serializers.IntegerField()
    letters = SmartLetterSerializer(many=True, help_text="S, M, A, R and T, in that order.")


def goal_smart_data(check: smart.GoalCheck) -> dict[str, Any]:
    return {
        "has_hard_failure": check.has_hard_failure,
        "hard_count": len(check.hard),
        "soft_count": len(check.soft),
        "letters": [
            {"letter": r.letter, "label": r.label, "status": r.status.value, "findings": list(r.findings)}
            for r in check.letters
        ],
    }


class PlanSmartSerializer(serializers.Serializer):
    """The SMART summary of a plan: may it be signed and submitted as far as the check goes?"""

    has_hard_failure = serializers.BooleanField(help_text="True: signing and submitting are refused.")
    hard_count = serializers.IntegerField()
    soft_count = serializers.IntegerField()
    findings = SmartFindingSerializer(many=True, help_text="Findings about the plan as a whole (no goals yet).")


def plan_smart_data(check: smart.PlanCheck) -> dict[str, Any]:
    return {
        "has_hard_failure": check.has_hard_failure,
        "hard_count": check.hard_count,
        "soft_count": check.soft_count,
        "findings": list(check.findings),
    }


class SmartGoalResultSerializer(GoalSmartSerializer):
    goal = serializers.IntegerField()
    title = serializers.CharField()


class PlanCheckSerializer(PlanSmartSerializer):
    plan = serializers.IntegerField()
    version = serializers.IntegerField()
    goals = SmartGoalResultSerializer(many=True)


def plan_check_data(plan: ActionPlan, check: smart.PlanCheck) -> dict[str, Any]:
    titles = {goal.pk: goal.title for goal in plan.goals.all()}
    return {
        "plan": plan.pk,
        "version": plan.version,
        **plan_smart_data(check),
        "goals": [
            {"goal": result.goal_id, "title": titles.get(result.goal_id, ""), **goal_smart_data(result)}
            for result in check.goals
        ],
    }


# --- Goals, milestones, actions -------------------------------------------------------------------------------------


class MilestoneSerializer(VersionedWrite, serializers.ModelSerializer):
    """Mijlpaal: a dated step of a goal."""

    plan_version = serializers.IntegerField(source="goal.plan.version", read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Milestone
        fields = ["id", "goal", "date", "description", "plan_version", "version"]
        read_only_fields = ["id", "goal"]


class ActionSerializer(VersionedWrite, serializers.ModelSerializer):
    """An action towards a goal, with an owner, a due date and a status."""

    plan_version = serializers.IntegerField(source="goal.plan.version", read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Action
        fields = ["id", "goal", "title", "owner", "due", "status", "plan_version", "version"]
        read_only_fields = ["id", "goal"]


class GoalSerializer(serializers.ModelSerializer):
    """A SMART goal with its links, milestones, actions and its SMART result per letter."""

    elements = PlanElementSerializer(many=True, help_text="Linked key elements (of the school's focus).")
    criteria = PlanCriterionSerializer(many=True, help_text="Linked criteria.")
    grades = serializers.ListField(child=serializers.ChoiceField(choices=Grade.choices))
    tracks = serializers.ListField(child=serializers.ChoiceField(choices=Track.choices))
    milestones = MilestoneSerializer(many=True)
    actions = ActionSerializer(many=True)
    smart = serializers.SerializerMethodField()
    plan_version = serializers.IntegerField(source="plan.version", help_text=VERSION_HELP)

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            *services.GOAL_FIELDS,
            "elements",
            "criteria",
            "milestones",
            "actions",
            "smart",
            "plan_version",
        ]
        read_only_fields = fields

    @extend_schema_field(GoalSmartSerializer)
    def get_smart(self, goal: Goal) -> dict[str, Any]:
        return GoalSmartSerializer(goal_smart_data(_check_of(self, goal))).data


class GoalWriteSerializer(VersionedWrite, serializers.ModelSerializer):
    """The fields of a goal to add or change (only the keys sent are changed). A goal that is not SMART yet is saved;
    the SMART check in the answer says what is missing."""

    grades = serializers.ListField(
        child=serializers.ChoiceField(choices=Grade.choices), required=False, help_text="Graad: 1, 2, 3 or 7."
    )
    tracks = serializers.ListField(child=serializers.ChoiceField(choices=Track.choices), required=False)
    elements = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of key elements (see the plan's linkable_elements).",
    )
    criteria = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of criteria of those key elements (see the plan's linkable_elements).",
    )

    class Meta:
        model = Goal
        fields = ["version", *services.GOAL_FIELDS, "elements", "criteria"]


GOAL_WRITE_FIELDS = (*services.GOAL_FIELDS, "elements", "criteria")


# --- The integrated STEM project ------------------------------------------------------------------------------------


class TeamMemberSerializer(VersionedWrite, serializers.ModelSerializer):
    """A member of the Teacher Design Team (company experts included)."""

    plan_version = serializers.IntegerField(source="plan.version", read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = TeamMember
        fields = ["id", "name", "kind", "expertise", "plan_version", "version"]
        read_only_fields = ["id"]


class CoolStepSerializer(VersionedWrite, serializers.ModelSerializer):
    """One step of the COOL voor iSTEM method; the step itself is fixed, its status and notes change."""

    label = serializers.CharField(source="get_step_display", read_only=True)
    plan_version = serializers.IntegerField(source="plan.version", read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = CoolStep
        fields = ["id", "step", "label", "position", "status", "notes", "plan_version", "version"]
        read_only_fields = ["id", "step", "position"]


# --- Signatures -----------------------------------------------------------------------------------------------------


class SignatureSerializer(serializers.ModelSerializer):
    """One side's signature under the engagement declaration (engagementsverklaring)."""

    side = serializers.ChoiceField(
        choices=SIDE_CHOICES,
        required=False,
        help_text="When signing: the side you sign for; absent: the only side you belong to.",
    )
    version = serializers.IntegerField(
        min_value=1,
        write_only=True,
        help_text="The plan version you read: when the plan changed since, nothing is signed (409).",
    )

    class Meta:
        model = Signature
        fields = ["side", "name", "role", "signed_at", "version"]
        read_only_fields = ["signed_at"]
        extra_kwargs = {"role": {"help_text": "The signer's function, e.g. Directeur."}}


class SignatureWithdrawSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=SIDE_CHOICES,
        required=False,
        help_text="The side whose signature to withdraw; absent: the only side you belong to.",
    )
    version = serializers.IntegerField(min_value=1, help_text="The plan version you read.")


class PlanVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The plan version you read.")


# --- Plans ----------------------------------------------------------------------------------------------------------


class PlanAllowedSerializer(serializers.Serializer):
    """What the caller may do with the plan now (the same predicates the endpoints check)."""

    edit = serializers.BooleanField(help_text="Goals, milestones, actions, contributions, the project.")
    sign_as_school = serializers.BooleanField()
    sign_as_company = serializers.BooleanField()
    submit = serializers.BooleanField()


class PlanSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # Plain strings: the kind's enum belongs to the session component (one component per enum).
    kind = serializers.CharField(help_text="method, inspiration or exchange.")
    kind_label = serializers.CharField(source="get_kind_display", help_text="Methodiek, Inspireren, ...")
    date = serializers.DateField()
    place = serializers.CharField()
    region = serializers.SlugField(source="region.slug")


class PlanAttendanceSerializer(serializers.Serializer):
    """A learning-network session and who came; null: nothing registered."""

    session = PlanSessionSerializer()
    school_present = serializers.BooleanField(allow_null=True)
    company_present = serializers.BooleanField(allow_null=True)


class PlanSummarySerializer(serializers.Serializer):
    """A plan in a list (no goals: see the plan itself)."""

    id = serializers.IntegerField()
    edition = serializers.SlugField(source="participation.edition.slug")
    school = PlanSchoolSerializer(source="participation.school")
    region = serializers.SlugField(source="participation.school.region.slug")
    company = PlanCompanySerializer(source="match.company")
    match = serializers.IntegerField(source="match_id")
    # A plain string here: the enum is the plan's own (one component per enum keeps the schema's names clean).
    status = serializers.CharField(help_text="draft or submitted.")
    version = serializers.IntegerField()
    deadline = serializers.DateField(help_text="The edition's plan deadline, or a later granted extension.")
    submission_open = serializers.BooleanField(help_text="Today is on or before the deadline.")
    submitted_at = serializers.DateTimeField(allow_null=True)
    goal_count = serializers.IntegerField()
    signature_count = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    """Verbeteractieplan: the whole plan with its goals, what the mentor company puts in, the integrated STEM project
    (COOL), the signatures, the learning-network attendance and the SMART summary."""

    edition = serializers.SlugField(source="participation.edition.slug")
    school = PlanSchoolSerializer(source="participation.school")
    region = serializers.SlugField(source="participation.school.region.slug")
    company = PlanCompanySerializer(source="match.company")
    deadline = serializers.DateField(help_text="The edition's plan deadline, or a later granted extension.")
    submission_open = serializers.BooleanField(help_text="Today is on or before the deadline.")
    version = serializers.IntegerField(help_text="Send it back with every change (optimistic concurrency).")
    stem_projects = StemProjectRefSerializer(many=True, help_text="Other STEM projects from the catalogue.")
    team_members = TeamMemberSerializer(many=True, help_text="The Teacher Design Team of the integrated STEM project.")
    cool_steps = CoolStepSerializer(many=True, help_text="The six COOL steps, in order.")
    goals = GoalSerializer(many=True)
    signatures = SignatureSerializer(many=True)
    smart = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()
    linkable_elements = serializers.SerializerMethodField()
    allowed = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "edition",
            "school",
            "region",
            "company",
            "match",
            "status",
            "version",
            "deadline",
            "submission_open",
            "extension_until",
            "submitted_at",
            *services.PLAN_FIELDS,
            "stem_projects",
            "team_members",
            "cool_steps",
            "goals",
            "signatures",
            "smart",
            "attendance",
            "linkable_elements",
            "allowed",
            "updated_at",
        ]
        read_only_fields = fields

    @property
    def user(self) -> User:
        return self.context["request"].user

    @extend_schema_field(PlanSmartSerializer)
    def get_smart(self, plan: ActionPlan) -> dict[str, Any]:
        return PlanSmartSerializer(plan_smart_data(self.context["check"])).data

    @extend_schema_field(PlanAttendanceSerializer(many=True))
    def get_attendance(self, plan: ActionPlan) -> list[dict[str, Any]]:
        return PlanAttendanceSerializer(self.context["attendance"], many=True).data

    @extend_schema_field(LinkableElementSerializer(many=True))
    def get_linkable_elements(self, plan: ActionPlan) -> list[dict[str, Any]]:
        return LinkableElementSerializer(self.context["linkable"], many=True).data

    @extend_schema_field(PlanAllowedSerializer)
    def get_allowed(self, plan: ActionPlan) -> dict[str, bool]:
        return {
            "edit": can_edit_plan(self.user, plan),
            "sign_as_school": can_sign_plan(self.user, plan, Signature.Side.SCHOOL),
            "sign_as_company": can_sign_plan(self.user, plan, Signature.Side.COMPANY),
            "submit": can_submit_plan(self.user, plan),
        }


class PlanStartSerializer(serializers.Serializer):
    match = serializers.IntegerField(help_text="Id of an active match (koppeling) of your school or company.")


class PlanWriteSerializer(VersionedWrite, serializers.ModelSerializer):
    """The plan's own fields to change: contributions, higher education, other STEM projects, iSTEM coaching, the
    integrated project's theme and challenge, transferability. Only the keys sent are changed."""

    stem_projects = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of active catalogue STEM projects."
    )

    class Meta:
        model = ActionPlan
        fields = ["version", *services.PLAN_FIELDS, "stem_projects"]


PLAN_WRITE_FIELDS = (*services.PLAN_FIELDS, "stem_projects")


# --- Conflicts ------------------------------------------------------------------------------------------------------


class PlanChangeSerializer(serializers.Serializer):
    """One change someone else made after the caller's version (from the plan's history)."""

    target = serializers.CharField(help_text="plan, goal, milestone, action, team_member or cool_step.")
    id = serializers.IntegerField(allow_null=True, required=False)
    label = serializers.CharField(required=False, help_text="The item as it was named before the change.")
    field = serializers.CharField(help_text='The field, or "added"/"removed" for a whole item.')
    field_label = serializers.CharField(help_text="The field's name in the caller's language.")
    old = serializers.JSONField()
    new = serializers.JSONField()
    version = serializers.IntegerField(help_text="The version this change produced.")
    goal = serializers.IntegerField(required=False, help_text="The goal the item belongs to.")
    by = serializers.CharField(help_text="Who changed it.")
    at = serializers.DateTimeField()


class PlanConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="Reload the plan at this version.")
    changes = PlanChangeSerializer(many=True)


def conflict_data(stale: services.StalePlan) -> dict[str, Any]:
    """The body of a 409: the message, the version to reload and who changed what."""
    changes = [
        {**change, "field_label": selectors.field_label(change.get("target", ""), change.get("field", ""))}
        for change in stale.changes
    ]
    return {
        "detail": stale.messages[0],
        "current_version": stale.current_version,
        "changes": PlanChangeSerializer(changes, many=True).data,
    }


# --- Learning networks ----------------------------------------------------------------------------------------------


class LearningNetworkSessionSerializer(serializers.ModelSerializer):
    """Lerend netwerk: one of the three regional sessions of an edition (Methodiek, Inspireren,
    Ervaringsuitwisseling)."""

    edition = serializers.SlugRelatedField(slug_field="slug", queryset=Edition.objects.all())
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = LearningNetworkSession
        fields = ["id", "edition", "region", "kind", "kind_label", "date", "place", "notes"]
        read_only_fields = ["id"]


class AttendanceSerializer(serializers.ModelSerializer):
    """Who came to a session: a school (its participation in the edition) or a company, present or not."""

    school = PlanSchoolSerializer(source="participation.school", allow_null=True, read_only=True)
    company = PlanCompanySerializer(allow_null=True, read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "participation", "school", "company", "present", "recorded_at"]
        read_only_fields = fields


class AttendanceSetSerializer(serializers.Serializer):
    participation = serializers.IntegerField(
        required=False, help_text="The school's participation id in the session's edition (or give company)."
    )
    company = serializers.IntegerField(
        required=False, help_text="The id of a mentor company of the session's edition (or give participation)."
    )
    present = serializers.BooleanField(default=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("participation" in attrs) == ("company" in attrs):
            raise serializers.ValidationError(_("Give either a school (participation) or a company."))
        return attrs
