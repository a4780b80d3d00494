"""Demo mentor profiles: every company of the demo (and, with --scale large, the generated ones) offers mentoring in
the current edition, with capacity, resources and expertise drawn from a seeded generator."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from baseline.models import KeyElement
from partners.demo import CURRENT_EDITION_YEAR, PAIRS, PREVIOUS_EDITION_YEAR
from partners.models import Company, CompanyActivity, Edition, NaceDivision, Participation

from .models import Match, MentorProfile, Offer

SEED = 20262027
BATCH = 2_000


@transaction.atomic
def build_demo_profiles(*, edition: Edition | None = None) -> int:
    """Create a mentor profile for each company without one in the edition; returns how many were created."""
    edition = edition or Edition.objects.current()
    if edition is None:
        return 0
    have = set(MentorProfile.objects.filter(edition=edition).values_list("company_id", flat=True))
    companies = list(Company.objects.exclude(pk__in=have).order_by("pk").values_list("pk", "employees"))
    if not companies:
        return 0
    rng = random.Random(SEED)
    elements = list(KeyElement.objects.order_by("-framework_id", "number").values_list("pk", flat=True)[:7])
    division_areas: dict[str, list[int]] = defaultdict(list)
    for code, area in NaceDivision.study_areas.through.objects.values_list("nacedivision__code", "studyarea_id"):
        division_areas[code].append(area)
    company_areas: dict[int, set[int]] = defaultdict(set)
    activities = CompanyActivity.objects.filter(company_id__in=[c for c, _ in companies]).values_list(
        "company_id", "nace_code"
    )
    for company_id, code in activities:
        company_areas[company_id].update(division_areas.get(code[:2], ()))

    profiles = []
    for company_id, employees in companies:
        big = (employees or 0) >= 250
        profiles.append(
            MentorProfile(
                company_id=company_id,
                edition=edition,
                offers=sorted(rng.sample(Offer.values, rng.randint(2, 5))),
                hours_per_month=rng.choice((4, 8, 8, 12, 16, 24)) * (2 if big else 1),
                staff=rng.randint(1, 6 if big else 3),
                capacity=rng.choice((1, 1, 2, 3)) + (1 if big else 0),
                multi_year=rng.random() < 0.6,
            )
        )
    MentorProfile.objects.bulk_create(profiles, batch_size=BATCH)
    created = MentorProfile.objects.filter(edition=edition, company_id__in=[c for c, _ in companies]).values_list(
        "pk", "company_id"
    )
    element_rows, area_rows = [], []
    element_through = MentorProfile.expertise_elements.through
    area_through = MentorProfile.study_areas.through
    for profile_id, company_id in created:
        for element_id in rng.sample(elements, rng.randint(2, 4)):
            element_rows.append(element_through(mentorprofile_id=profile_id, keyelement_id=element_id))
        for area_id in sorted(company_areas.get(company_id, ())):
            area_rows.append(area_through(mentorprofile_id=profile_id, studyarea_id=area_id))
    element_through.objects.bulk_create(element_rows, batch_size=BATCH)
    area_through.objects.bulk_create(area_rows, batch_size=BATCH)
    return len(profiles)


#: Participation statuses at which the demo story says the school has its mentor company.
_MATCHED_STATUSES = ("matched", "plan_submitted", "scored", "finalist", "awarded")


@transaction.atomic
def build_demo_matches() -> int:
    """Active matches for the demo pairs the story says are matched (both editions); returns how many were created.

    The pairs come from partners.demo.PAIRS (the source's schools and their partner companies). Idempotent: a school
    with an active match in the edition is left alone.
    """
    editions = {
        "current": Edition.objects.filter(slug=f"{CURRENT_EDITION_YEAR}-{CURRENT_EDITION_YEAR + 1}").first(),
        "previous": Edition.objects.filter(slug=f"{PREVIOUS_EDITION_YEAR}-{PREVIOUS_EDITION_YEAR + 1}").first(),
    }
    created = 0
    for pair in PAIRS:
        if pair.company is None:
            continue
        company = Company.objects.filter(enterprise_number=pair.company.enterprise_number).first()
        for which, status in (("current", pair.current_status), ("previous", pair.previous_status)):
            edition = editions[which]
            if edition is None or company is None or status not in _MATCHED_STATUSES:
                continue
            participation = Participation.objects.filter(edition=edition, school__name=pair.school.name).first()
            if participation is None or participation.matches.filter(status=Match.Status.ACTIVE).exists():
                continue
            accepted = timezone.make_aware(dt.datetime.combine(edition.baseline_closes_on, dt.time(10)))
            Match.objects.create(
                participation=participation,
                company=company,
                status=Match.Status.ACTIVE,
                school_accepted_at=accepted,
                company_accepted_at=accepted,
                note=f"{accepted:%Y-%m-%d %H:%M} demo: {company.name} – partnerbedrijf volgens het programma",
            )
            created += 1
    return created
