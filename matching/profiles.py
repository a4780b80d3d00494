"""Mentor profiles: what a company offers as a mentor (peterbedrijf) in one edition.

Companies without a profile in an edition are not proposed in its matching. This module holds the profile page's
permissions, its reads and its one write; the CSV import (matching/imports.py) shares the reference lookups.

Who may do what:
- members of the company and coordinators view and edit the company's profile;
- advisers view it read-only (they pick mentor companies across regions and see every company), a save is refused;
- everyone else does not see the company at all (the page answers 404, as for the company itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from baseline.models import EditionBaselineSettings, Framework, KeyElement
from partners import permissions as partner_permissions
from partners.models import Company, CompanyActivity, Edition, StudyArea

from .models import MentorProfile, Offer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from partners.models import User

#: The most schools one company can mentor in an edition (the model's limit).
MAX_CAPACITY = 20
#: Hours and staff are stored as small positive integers.
MAX_SMALL_NUMBER = 32767


# --------------------------------------------------------------------------- permissions


def can_view_profile(user: User | AnonymousUser, company: Company) -> bool:
    """Coordinators, advisers and the company's members."""
    return partner_permissions.can_view_company(user, company)


def can_edit_profile(user: User | AnonymousUser, company: Company) -> bool:
    """Coordinators and the company's members; advisers only read."""
    return partner_permissions.can_edit_company(user, company)


# --------------------------------------------------------------------------- reads


def company_for_profile(*, user: User | AnonymousUser, company_id: int) -> Company:
    """The company with its NACE activities (for the study-area prefill). Raises Company.DoesNotExist outside scope."""
    return (
        Company.objects.visible_to(user)  # type: ignore[arg-type]
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=CompanyActivity.objects.select_related("division").prefetch_related("division__study_areas"),
            )
        )
        .get(pk=company_id)
    )


def profile_for(*, company: Company, edition: Edition) -> MentorProfile | None:
    """The company's profile in the edition with its key elements and study areas, or None."""
    return (
        MentorProfile.objects.filter(company=company, edition=edition)
        .select_related("edition")
        .prefetch_related(
            Prefetch("expertise_elements", queryset=KeyElement.objects.order_by("number")),
            Prefetch("study_areas", queryset=StudyArea.objects.order_by("name")),
        )
        .first()
    )


def framework_for(edition: Edition | None) -> Framework | None:
    """The framework the edition measures on; the newest one when the edition has no baseline settings yet."""
    if edition is not None:
        settings = EditionBaselineSettings.objects.filter(edition=edition).select_related("framework").first()
        if settings is not None:
            return settings.framework
    return Framework.objects.order_by("-id").first()


def key_elements_for(edition: Edition | None) -> QuerySet[KeyElement]:
    """The key elements a company can say it helps with: those of the edition's framework, by number."""
    framework = framework_for(edition)
    if framework is None:
        return KeyElement.objects.none()
    return KeyElement.objects.filter(framework=framework).order_by("number")


def offer_labels(offers: Iterable[str]) -> list[str]:
    """The labels of the offers, in the order of Offer (unknown values are skipped)."""
    chosen = set(offers)
    return [str(offer.label) for offer in Offer if offer.value in chosen]


def nace_study_area_ids(company_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per company, the study areas its NACE activities map to by default (one query for all companies)."""
    found: dict[int, set[int]] = defaultdict(set)
    pairs = CompanyActivity.objects.filter(
        company_id__in=list(company_ids), division__study_areas__isnull=False
    ).values_list("company_id", "division__study_areas")
    for company_id, area_id in pairs:
        found[company_id].add(area_id)
    return dict(found)


@dataclass(frozen=True)
class ProfileSummary:
    """A profile as the company page and the dashboard show it (None fields: no profile in this edition)."""

    company: Company
    edition: Edition | None
    profile: MentorProfile | None
    offers: list[str]
    can_edit: bool


def profile_summary(*, user: User | AnonymousUser, company: Company) -> ProfileSummary:
    """The company's profile in the current edition, with the offers' labels and whether the user may edit it."""
    edition = Edition.objects.current()
    profile = profile_for(company=company, edition=edition) if edition is not None else None
    return ProfileSummary(
        company=company,
        edition=edition,
        profile=profile,
        offers=offer_labels(profile.offers) if profile else [],
        can_edit=can_edit_profile(user, company),
    )


# --------------------------------------------------------------------------- writes


@transaction.atomic
def mentor_profile_save(
    *,
    company: Company,
    edition: Edition,
    offers: Iterable[str],
    expertise_elements: Iterable[KeyElement],
    study_areas: Iterable[StudyArea],
    hours_per_month: int,
    staff: int,
    capacity: int,
    multi_year: bool,
) -> tuple[MentorProfile, bool]:
    """Create or update the company's profile in the edition; returns the profile and whether it was created.

    Offers are stored in the order of Offer, so the same choice always reads the same.
    """
    profile, created = MentorProfile.objects.update_or_create(
        company=company,
        edition=edition,
        defaults={
            "offers": [offer.value for offer in Offer if offer.value in set(offers)],
            "hours_per_month": hours_per_month,
            "staff": staff,
            "capacity": capacity,
            "multi_year": multi_year,
        },
    )
    profile.expertise_elements.set(list(expertise_elements))
    profile.study_areas.set(list(study_areas))
    return profile, created
