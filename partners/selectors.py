"""Named reads the views and the API call; each loads what its page shows in a constant number of queries."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, QuerySet

from .models import Company, CompanyActivity, CompanySite, Edition, Membership, Participation, Role, School, User


def school_list_for(*, user: User) -> QuerySet[School]:
    return (
        School.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            "study_areas",
            Prefetch("participations", queryset=Participation.objects.select_related("edition")),
        )
    )


def school_detail_for(*, user: User, school_id: int) -> School:
    """Raises School.DoesNotExist when the school is outside the user's scope (the view answers 404)."""
    return (
        School.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            "study_areas",
            Prefetch("participations", queryset=Participation.objects.select_related("edition")),
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        )
        .get(pk=school_id)
    )


def company_list_for(*, user: User) -> QuerySet[Company]:
    return Company.objects.visible_to(user).prefetch_related(
        Prefetch("sites", queryset=CompanySite.objects.order_by("-is_main", "id")),
        Prefetch(
            "activities",
            queryset=CompanyActivity.objects.select_related("division").prefetch_related("division__study_areas"),
        ),
    )


def company_detail_for(*, user: User, company_id: int) -> Company:
    return (
        company_list_for(user=user)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))
        .get(pk=company_id)
    )


def edition_status_counts(*, edition: Edition, schools: QuerySet[School] | None = None) -> list[tuple[str, int]]:
    """Participations per status in the order the statuses happen, zeros included (for the dashboard chart)."""
    participations = Participation.objects.filter(edition=edition)
    if schools is not None:
        participations = participations.filter(school__in=schools)
    counts = Counter(dict(participations.values_list("status").annotate(n=Count("id")).values_list("status", "n")))
    return [(status.label, counts.get(status.value, 0)) for status in Participation.Status]


def edition_region_counts(*, edition: Edition) -> list[tuple[str, int]]:
    rows = (
        Participation.objects.filter(edition=edition)
        .values("school__region__name")
        .annotate(n=Count("id"))
        .order_by("school__region__name")
    )
    return [(r["school__region__name"], r["n"]) for r in rows]


def user_list_for(*, user: User) -> QuerySet[User]:
    if not user.is_coordinator:
        return User.objects.none()
    return User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("region", "school", "company", "edition"))
    ).order_by("last_name", "first_name", "email")


def participations_for_school_member(*, user: User, edition: Edition | None) -> list[Participation]:
    if edition is None:
        return []
    return list(
        Participation.objects.filter(
            edition=edition,
            school__memberships__user=user,
            school__memberships__role=Role.SCHOOL,
        ).select_related("school", "school__region")
    )
