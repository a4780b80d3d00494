"""Reports in the admin: read-only, for coordinators to see what was made, for whom, and why one failed."""

from django.contrib import admin
from django.http import HttpRequest

from partners.permissions import is_coordinator

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = [
        "filename",
        "measurement__participation__school__name",
        "action_plan__participation__school__name",
        "requested_by__email",
    ]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "status",
        "progress",
        "file",
        "filename",
        "error",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "measurement",
        "action_plan",
        "params",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_coordinator(request.user) or super().has_view_permission(request, obj)

    # Reports are made by the pipeline (reports.services), never typed in; deleting an old one is fine.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_coordinator(request.user) or super().has_delete_permission(request, obj)
