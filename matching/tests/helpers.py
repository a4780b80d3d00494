"""Mentor profiles for tests."""

from __future__ import annotations

from baseline.models import KeyElement
from matching.models import MentorProfile
from partners.models import Company, Edition, StudyArea


def profile(
    company: Company,
    edition: Edition,
    *,
    capacity: int = 1,
    elements: tuple[int, ...] = (1, 2),
    areas: tuple[str, ...] = ("chemie",),
    hours: int = 8,
    staff: int = 2,
    multi_year: bool = True,
) -> MentorProfile:
    created = MentorProfile.objects.create(
        company=company,
        edition=edition,
        capacity=capacity,
        hours_per_month=hours,
        staff=staff,
        multi_year=multi_year,
        offers=["content", "teaching"],
    )
    created.expertise_elements.set(KeyElement.objects.filter(number__in=elements))
    created.study_areas.set(StudyArea.objects.filter(slug__in=areas))
    return created
