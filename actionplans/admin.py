"""Admin for the rare fixes a coordinator makes by hand; plans are written through the plan pages (services.py),
which keep the version and the history. The history itself is read only here."""

from django.contrib import admin
from django.http import HttpRequest

from partners.admin import CoordinatorAdmin, CoordinatorPermissions

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
    PlanReminder,
    PlanReminderDelivery,
    Signature,
    TeamMember,
)


class ReadOnly:
    """Records kept as they happened (history, sent reminders): nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, *args: object) -> bool:
        return False


class GoalInline(CoordinatorPermissions, admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["order", "title", "start", "end", "target_value"]
    show_change_link = True


class TeamMemberInline(CoordinatorPermissions, admin.TabularInline):
    model = TeamMember
    extra = 0


class CoolStepInline(CoordinatorPermissions, admin.TabularInline):
    model = CoolStep
    extra = 0
    fields = ["step", "status", "notes"]
    readonly_fields = ["step"]


class SignatureInline(CoordinatorPermissions, admin.TabularInline):
    model = Signature
    extra = 0
    readonly_fields = ["user", "signed_at"]


class CommentInline(CoordinatorPermissions, admin.TabularInline):
    model = Comment
    extra = 0
    readonly_fields = ["author", "created_at"]


class PlanEventInline(ReadOnly, CoordinatorPermissions, admin.TabularInline):
    model = PlanEvent
    extra = 0
    fields = ["at", "action", "by", "changes", "note"]
    readonly_fields = fields


@admin.register(ActionPlan)
class ActionPlanAdmin(CoordinatorAdmin):
    list_display = ["participation", "match", "status", "version", "extension_until", "submitted_at"]
    list_filter = ["status", "participation__edition"]
    search_fields = ["participation__school__name", "match__company__name"]
    raw_id_fields = ["participation", "match"]
    readonly_fields = ["version", "submitted_at", "submitted_by", "extension_granted_by", "extension_granted_at"]
    filter_horizontal = ["stem_projects"]
    inlines = [GoalInline, TeamMemberInline, CoolStepInline, SignatureInline, CommentInline, PlanEventInline]


class MilestoneInline(CoordinatorPermissions, admin.TabularInline):
    model = Milestone
    extra = 0


class ActionInline(CoordinatorPermissions, admin.TabularInline):
    model = Action
    extra = 0


@admin.register(Goal)
class GoalAdmin(CoordinatorAdmin):
    list_display = ["title", "plan", "start", "end"]
    search_fields = ["title", "plan__participation__school__name"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["elements", "criteria"]
    inlines = [MilestoneInline, ActionInline]


class AttendanceInline(CoordinatorPermissions, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["participation", "company"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(LearningNetworkSession)
class LearningNetworkSessionAdmin(CoordinatorAdmin):
    list_display = ["kind", "region", "edition", "date", "place"]
    list_filter = ["edition", "region", "kind"]
    readonly_fields = ["created_by"]
    inlines = [AttendanceInline]


class PlanReminderDeliveryInline(ReadOnly, CoordinatorPermissions, admin.TabularInline):
    """Per person: whether the reminder reached them (a refused address is logged, not retried)."""

    model = PlanReminderDelivery
    extra = 0
    fields = ["email", "user", "status", "error", "at"]
    readonly_fields = fields


@admin.register(PlanReminder)
class PlanReminderAdmin(ReadOnly, CoordinatorAdmin):
    """The deadline reminders that went out (actionplans/tasks.py): read only, since a row is what keeps a school
    from being reminded twice."""

    list_display = ["participation", "kind", "deadline", "sent_at", "completed_at"]
    list_filter = ["kind", "participation__edition"]
    search_fields = ["participation__school__name"]
    list_select_related = ["participation__school", "participation__edition"]
    fields = ["participation", "kind", "deadline", "recipients", "sent_at", "completed_at"]
    readonly_fields = fields
    inlines = [PlanReminderDeliveryInline]
