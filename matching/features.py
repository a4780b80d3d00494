"""Load the engine's plain-data features from the database, in a constant number of queries.

Company features of an edition are cached in-process and rebuilt only when a mentor profile, a site or a match of
that edition changes (the cache key carries a stamp of those tables), so a ranking request does not rebuild them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from threading import Lock

import numpy as np
from django.db.models import Count, Max, Q

from baseline.models import Measurement
from baseline.selectors import scorecard_for, with_details
from partners.models import CompanySite, Edition, Participation, StudyArea

from .engine import CompanyFeatures, SchoolFeatures
from .models import Match, MentorProfile, Offer

ELEMENTS = 7
#: Resources: hours per month and staff reach the full score at these values.
FULL_HOURS_PER_MONTH = 16
FULL_STAFF = 4
#: Need: a weak key element the school chose as focus counts fully, another weak element half.
NON_FOCUS_NEED_WEIGHT = 0.5


@dataclass(frozen=True)
class EditionCompanies:
    features: CompanyFeatures
    profile_ids: np.ndarray  # (n,) MentorProfile ids, same rows as features
    area_slugs: tuple[str, ...]  # column order of features.study_areas


_cache: dict[int, tuple[tuple, EditionCompanies]] = {}
_lock = Lock()


def _stamp(edition: Edition) -> tuple:
    profiles = MentorProfile.objects.filter(edition=edition).aggregate(n=Count("id"), last=Max("updated_at"))
    matches = Match.objects.filter(participation__edition=edition).aggregate(n=Count("id"), last=Max("updated_at"))
    sites = CompanySite.objects.aggregate(n=Count("id"), last=Max("id"))
    return (profiles["n"], profiles["last"], matches["n"], matches["last"], sites["n"], sites["last"])


def study_area_slugs() -> tuple[str, ...]:
    return tuple(StudyArea.objects.order_by("id").values_list("slug", flat=True))


def company_features(*, edition: Edition) -> EditionCompanies:
    """The features of every company with a mentor profile in the edition (cached until something changes)."""
    stamp = _stamp(edition)
    with _lock:
        cached = _cache.get(edition.pk)
        if cached and cached[0] == stamp:
            return cached[1]
    built = _build_company_features(edition)
    with _lock:
        _cache[edition.pk] = (stamp, built)
    return built


def _build_company_features(edition: Edition) -> EditionCompanies:
    rows = list(
        MentorProfile.objects.filter(edition=edition)
        .order_by("company_id")
        .values_list("id", "company_id", "hours_per_month", "staff", "capacity", "multi_year", "offers")
    )
    n = len(rows)
    profile_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    company_ids = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
    row_of_profile = {int(pid): i for i, pid in enumerate(profile_ids)}
    hours = np.fromiter((r[2] for r in rows), dtype=np.float64, count=n)
    staff = np.fromiter((r[3] for r in rows), dtype=np.float64, count=n)
    capacity = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
    multi_year = np.fromiter((r[5] for r in rows), dtype=np.float64, count=n)
    offers = np.fromiter((len(set(r[6]) & set(Offer.values)) for r in rows), dtype=np.float64, count=n)

    expertise = np.zeros((n, ELEMENTS))
    through = MentorProfile.expertise_elements.through.objects.filter(mentorprofile__edition=edition)
    for profile_id, number in through.values_list("mentorprofile_id", "keyelement__number"):
        expertise[row_of_profile[profile_id], number - 1] = 1.0

    slugs = study_area_slugs()
    column = {area_id: i for i, area_id in enumerate(StudyArea.objects.order_by("id").values_list("id", flat=True))}
    areas = np.zeros((n, len(slugs)), dtype=bool)
    area_through = MentorProfile.study_areas.through.objects.filter(mentorprofile__edition=edition)
    for profile_id, area_id in area_through.values_list("mentorprofile_id", "studyarea_id"):
        areas[row_of_profile[profile_id], column[area_id]] = True

    taken = dict(
        Match.objects.filter(participation__edition=edition, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .values_list("company_id")
        .annotate(n=Count("id"))
        .values_list("company_id", "n")
    )
    if taken:
        capacity = capacity - np.array([taken.get(int(c), 0) for c in company_ids], dtype=np.int64)
    capacity = np.maximum(capacity, 0)

    sites = list(
        CompanySite.objects.filter(company_id__in=MentorProfile.objects.filter(edition=edition).values("company_id"))
        .exclude(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        .order_by("company_id", "id")
        .values_list("company_id", "latitude", "longitude")
    )
    site_company = np.fromiter((s[0] for s in sites), dtype=np.int64, count=len(sites))
    site_lat = np.radians(np.fromiter((s[1] for s in sites), dtype=np.float64, count=len(sites)))
    site_lon = np.radians(np.fromiter((s[2] for s in sites), dtype=np.float64, count=len(sites)))
    site_start = np.searchsorted(site_company, company_ids, side="left")
    site_end = np.searchsorted(site_company, company_ids, side="right")

    features = CompanyFeatures(
        ids=company_ids,
        expertise=expertise,
        study_areas=areas,
        resources=0.5 * np.minimum(hours / FULL_HOURS_PER_MONTH, 1) + 0.5 * np.minimum(staff / FULL_STAFF, 1),
        willingness=0.5 * multi_year + 0.5 * offers / len(Offer.values),
        capacity=capacity,
        site_lat=site_lat,
        site_lon=site_lon,
        site_start=site_start.astype(np.int64),
        site_count=(site_end - site_start).astype(np.int64),
    )
    return EditionCompanies(features=features, profile_ids=profile_ids, area_slugs=slugs)


def school_features(*, participation: Participation, area_slugs: tuple[str, ...]) -> SchoolFeatures:
    """A school's features: location, need vector from its baseline (None without one), study areas, past partners."""
    school = participation.school
    baseline = (
        with_details(Measurement.objects.all())
        .filter(
            participation=participation,
            kind=Measurement.Kind.BASELINE,
            status__in=[Measurement.Status.SUBMITTED, Measurement.Status.FINALISED],
        )
        .first()
    )
    need = None
    if baseline is not None:
        card = scorecard_for(baseline)
        focus = {e.number for e in baseline.focus_elements.all()}
        need = np.zeros(ELEMENTS)
        for element in card.elements:
            if element.percentage is not None:
                weight = 1.0 if element.element in focus else NON_FOCUS_NEED_WEIGHT
                need[element.element - 1] = weight * (1 - element.percentage / 100)
    offered = set(school.study_areas.values_list("slug", flat=True))
    previous = frozenset(
        Match.objects.filter(participation__school=school, status=Match.Status.ACTIVE, company__isnull=False)
        .exclude(participation=participation)
        .values_list("company_id", flat=True)
    )
    return SchoolFeatures(
        id=school.pk,
        lat=math.radians(school.latitude or 0.0),
        lon=math.radians(school.longitude or 0.0),
        need=need,
        target_areas=np.array([slug in offered for slug in area_slugs], dtype=bool),
        previous_partners=previous,
    )
