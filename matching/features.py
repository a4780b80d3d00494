"""Load the engine's plain-data features from the database, in a constant number of queries.

Company features of an edition are cached in-process and rebuilt only when a mentor profile, a site or a match of
that edition changes (the cache key carries a stamp of those tables, a site's coordinates included), so a ranking
request does not rebuild them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock

import numpy as np
from django.db.models import Count, Max, Q, Sum

from baseline import scoring
from baseline.models import CriterionAssessment, Measurement
from partners.models import CompanySite, Edition, Participation, School, StudyArea

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
    # The sums of the coordinates change when a site moves (a site has no updated_at of its own).
    sites = CompanySite.objects.aggregate(n=Count("id"), last=Max("id"), lat=Sum("latitude"), lon=Sum("longitude"))
    return (
        profiles["n"],
        profiles["last"],
        matches["n"],
        matches["last"],
        sites["n"],
        sites["last"],
        sites["lat"],
        sites["lon"],
    )


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
        # Not clipped at 0: an overbooked company (its capacity lowered below its matches) stays negative, so a
        # caller that gives some places back (the assignment re-assigns open proposals) counts them right.
        capacity = capacity - np.array([taken.get(int(c), 0) for c in company_ids], dtype=np.int64)

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


def schools_features(
    *, participations: Sequence[Participation], area_slugs: tuple[str, ...]
) -> dict[int, SchoolFeatures]:
    """Per participation id, the school's features, in a constant number of queries however many schools.

    A school's features: its location, the need vector from its finalised baseline (None without one -- a baseline
    the school submitted but the adviser has not finalised does not count yet: the need part is then neutral), the
    study areas it offers, and the companies it had an active match with in other editions.
    """
    if not participations:
        return {}
    ids = [p.pk for p in participations]
    school_ids = {p.school_id for p in participations}
    baselines = Measurement.objects.filter(
        participation_id__in=ids,
        kind=Measurement.Kind.BASELINE,
        status=Measurement.Status.FINALISED,
    )
    participation_of = dict(baselines.values_list("pk", "participation_id"))
    ratings: dict[int, list[scoring.Rating]] = defaultdict(list)
    assessments = CriterionAssessment.objects.filter(measurement__in=baselines).values_list(
        "measurement_id", "criterion__number", "criterion__element__number", "level"
    )
    for measurement_id, criterion, element, level in assessments:
        ratings[measurement_id].append(scoring.Rating(criterion=criterion, element=element, level=level))
    focus: dict[int, set[int]] = defaultdict(set)
    chosen = Measurement.focus_elements.through.objects.filter(measurement__in=baselines)
    for measurement_id, number in chosen.values_list("measurement_id", "keyelement__number"):
        focus[measurement_id].add(number)
    needs = {
        participation_id: _need(ratings[measurement_id], focus[measurement_id])
        for measurement_id, participation_id in participation_of.items()
    }
    offered: dict[int, set[str]] = defaultdict(set)
    through = School.study_areas.through.objects.filter(school_id__in=school_ids)
    for school_id, slug in through.values_list("school_id", "studyarea__slug"):
        offered[school_id].add(slug)
    partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    earlier = Match.objects.filter(
        participation__school_id__in=school_ids, status=Match.Status.ACTIVE, company__isnull=False
    ).values_list("participation__school_id", "participation_id", "company_id")
    for school_id, participation_id, company_id in earlier:
        partners[school_id].append((participation_id, company_id))
    return {
        p.pk: SchoolFeatures(
            id=p.school_id,
            lat=math.radians(p.school.latitude or 0.0),
            lon=math.radians(p.school.longitude or 0.0),
            need=needs.get(p.pk),
            target_areas=np.array([slug in offered[p.school_id] for slug in area_slugs], dtype=bool),
            previous_partners=frozenset(c for other, c in partners[p.school_id] if other != p.pk),
        )
        for p in participations
    }


def _need(ratings: list[scoring.Rating], focus: set[int]) -> np.ndarray:
    """How much each key element needs improving: 1 - its score, full weight for a focus element, else half.

    Element percentages do not depend on the level thresholds, so the default thresholds do.
    """
    need = np.zeros(ELEMENTS)
    for element in scoring.score(ratings, scoring.Thresholds()).elements:
        if element.percentage is not None:
            weight = 1.0 if element.element in focus else NON_FOCUS_NEED_WEIGHT
            need[element.element - 1] = weight * (1 - element.percentage / 100)
    return need


def school_features(*, participation: Participation, area_slugs: tuple[str, ...]) -> SchoolFeatures:
    """One school's features (see `schools_features`)."""
    return schools_features(participations=[participation], area_slugs=area_slugs)[participation.pk]
