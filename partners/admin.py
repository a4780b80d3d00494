"""Admin for the rare screens: editions, regions, reference data, users and memberships."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Company,
    CompanyActivity,
    CompanySite,
    Edition,
    Membership,
    NaceDivision,
    Participation,
    Postcode,
    Region,
    School,
    StemProject,
    StudyArea,
    User,
)
from .permissions import is_coordinator


class CoordinatorPermissions:
    """Coordinators manage the partners data in the admin through their role, without per-model permissions.

    Mixed into ModelAdmins and inlines alike (their has_*_permission signatures differ in `obj`, hence *args).
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_coordinator(request.user) or super().has_view_permission(request, *args)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_coordinator(request.user) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_coordinator(request.user) or super().has_change_permission(request, *args)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_coordinator(request.user) or super().has_delete_permission(request, *args)  # type: ignore[misc]


class CoordinatorAdmin(CoordinatorPermissions, admin.ModelAdmin):
    pass


class MembershipInline(CoordinatorPermissions, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["region", "school", "company", "edition"]
    exclude = ["invited_by"]


@admin.register(User)
class UserAdmin(CoordinatorAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        # Coordinators manage people through roles; only a superuser hands out superuser or staff rights.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "is_staff", "groups"]
        return readonly


@admin.register(Edition)
class EditionAdmin(CoordinatorAdmin):
    list_display = ["name", "slug", "starts_on", "plan_deadline", "finale_on"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Region)
class RegionAdmin(CoordinatorAdmin):
    list_display = ["name", "slug", "email"]
    search_fields = ["name"]


@admin.register(StudyArea)
class StudyAreaAdmin(CoordinatorAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]


@admin.register(NaceDivision)
class NaceDivisionAdmin(CoordinatorAdmin):
    list_display = ["code", "description"]
    filter_horizontal = ["study_areas"]
    search_fields = ["code", "description"]


@admin.register(Postcode)
class PostcodeAdmin(CoordinatorAdmin):
    list_display = ["code", "municipality", "province", "latitude", "longitude"]
    search_fields = ["code", "municipality"]
    list_filter = ["province"]


@admin.register(StemProject)
class StemProjectAdmin(CoordinatorAdmin):
    list_display = ["name", "is_active", "url"]
    list_filter = ["is_active"]


class ParticipationInline(CoordinatorPermissions, admin.TabularInline):
    model = Participation
    extra = 0


@admin.register(School)
class SchoolAdmin(CoordinatorAdmin):
    list_display = ["name", "municipality", "region", "network", "pupils"]
    list_filter = ["region", "network"]
    search_fields = ["name", "municipality", "postcode"]
    filter_horizontal = ["study_areas"]
    inlines = [ParticipationInline]


class CompanySiteInline(CoordinatorPermissions, admin.TabularInline):
    model = CompanySite
    extra = 0


class CompanyActivityInline(CoordinatorPermissions, admin.TabularInline):
    model = CompanyActivity
    extra = 0
    readonly_fields = ["division"]


@admin.register(Company)
class CompanyAdmin(CoordinatorAdmin):
    list_display = ["name", "enterprise_number", "employees"]
    search_fields = ["name", "enterprise_number"]
    inlines = [CompanySiteInline, CompanyActivityInline]


@admin.register(Participation)
class ParticipationAdmin(CoordinatorAdmin):
    list_display = ["school", "edition", "status", "registered_at"]
    list_filter = ["edition", "status"]
    search_fields = ["school__name"]
    autocomplete_fields = ["school"]


@admin.register(Membership)
class MembershipAdmin(CoordinatorAdmin):
    list_display = ["user", "role", "region", "school", "company", "edition"]
    list_filter = ["role", "region"]
    search_fields = ["user__email", "school__name", "company__name"]
    autocomplete_fields = ["user", "region", "school", "company", "edition"]
