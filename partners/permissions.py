"""Who may see or change what, for the partners app: plain predicates used by views, the API and templates.

Scope rules (DESIGN.md roles):
- coordinator: everything.
- adviser: schools of their region(s); all companies (mentors are picked across regional borders), read only.
- school member: their own school(s).
- company member: their own company.
- juror: no school or company data here (later: the action plans assigned to them).
Objects outside a user's scope are answered with 404 by views (fetch through `visible_to`), never 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Company, School, User

    AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_coordinator(user: AnyUser) -> bool:
    return _active(user) and user.is_coordinator  # type: ignore[union-attr]


def can_view_school(user: AnyUser, school: School) -> bool:
    if not _active(user):
        return False
    return (
        user.is_coordinator  # type: ignore[union-attr]
        or school.region_id in user.adviser_region_ids  # type: ignore[union-attr]
        or school.pk in user.school_ids  # type: ignore[union-attr]
    )


def can_edit_school(user: AnyUser, school: School) -> bool:
    return can_view_school(user, school)


def can_view_company(user: AnyUser, company: Company) -> bool:
    if not _active(user):
        return False
    return user.is_coordinator or user.is_adviser or company.pk in user.company_ids  # type: ignore[union-attr]


def can_edit_company(user: AnyUser, company: Company) -> bool:
    if not _active(user):
        return False
    return user.is_coordinator or company.pk in user.company_ids  # type: ignore[union-attr]


def can_list_schools(user: AnyUser) -> bool:
    return _active(user) and (user.is_coordinator or user.is_adviser)  # type: ignore[union-attr]


def can_list_companies(user: AnyUser) -> bool:
    return _active(user) and (user.is_coordinator or user.is_adviser)  # type: ignore[union-attr]


def can_manage_organisations(user: AnyUser) -> bool:
    """Import organisations, manage editions and regions."""
    return is_coordinator(user)


def can_invite_users(user: AnyUser) -> bool:
    return is_coordinator(user)


def navigation_for(user: User) -> list[dict[str, str]]:
    """The menu a user sees: only what their roles may use."""
    items = [{"label": _("Dashboard"), "url": reverse("dashboard")}]
    if can_list_schools(user):
        items.append({"label": _("Schools"), "url": reverse("partners:school-list")})
    else:
        items.extend(
            {"label": m.school.name, "url": m.school.get_absolute_url()}
            for m in user.active_memberships
            if m.school_id and m.school
        )
    if can_list_companies(user):
        items.append({"label": _("Companies"), "url": reverse("partners:company-list")})
    else:
        items.extend(
            {"label": m.company.name, "url": m.company.get_absolute_url()}
            for m in user.active_memberships
            if m.company_id and m.company
        )
    if can_manage_organisations(user):
        items.append({"label": _("Import"), "url": reverse("partners:import")})
    if can_invite_users(user):
        items.append({"label": _("Users"), "url": reverse("partners:user-list")})
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index")})
    return items
