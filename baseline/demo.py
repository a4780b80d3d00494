"""Demo measurements on top of partners.demo: baselines for the schools past registration, end measurements for the
first edition, built through the services (so history, versions and statuses are real).

Levels are drawn per school from a seeded random generator, so every run gives the same picture. The texts of
every school follow the example "Verslag nulmeting" of the source document.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from partners.demo import ADVISER_EMAIL, COORDINATOR_EMAIL, generated_schools
from partners.models import Edition, Participation, User

from . import services
from .models import Criterion, CriterionAssessment, Measurement

#: From the source's example baseline report: (Toepassing, Werkpunt) per key element.
EXAMPLE_TEXTS: dict[int, tuple[str, str]] = {
    1: (
        "5-stappenplan van iSTEM; er wordt geëxploreerd met projectgebaseerd onderwijs.",
        "Maak gebruik van de begeleiding van iSTEM. Een betrokken STEM-leerkracht is van groot belang, maar maak je "
        "niet afhankelijk van één persoon.",
    ),
    2: (
        "STEM-onderwerpen zijn gerelateerd aan reële situaties en minstens 2 vakken; leerlingen presenteren hun "
        "eindresultaat aan de betrokken ondernemingen.",
        "Integreer het eindwerk voor alle finaliteiten, voor een betere afstemming tussen onderwijs en arbeidsmarkt.",
    ),
    3: (
        "Klassiek rapportensysteem; klasevaluaties en groepsgesprekken.",
        "Voeg persoonlijke feedback op projecten toe.",
    ),
    4: (
        "Er wordt beroep gedaan op verschillende opleidingspartners (bv. RTC, MTECH+).",
        "Professionaliseer het opleidingsbeleid; registreer opleidingen en deel kennis met alle betrokken "
        "leerkrachten.",
    ),
    5: (
        "Er is een visie en een missie; de STEM-strategie is in opmaak.",
        "Concretiseer de ambities op het vlak van STEM en communiceer ze duidelijk, intern en extern.",
    ),
    6: (
        "Structurele samenwerking voor een STEM-leerlijn; FIRST LEGO League; STEM-adviesraad en pedagogische "
        "praatcafés.",
        "Informeer de ouders beter over het aanbod; versterk de samenwerking met de hogescholen in de buurt.",
    ),
    7: (
        "Het lesmateriaal is up-to-date; er zijn materiaaldonaties van ondernemingen uit de buurt.",
        "Ga structurele partnerschappen aan met ondernemingen uit de buurt: materiaal heeft vaak een grote kostprijs.",
    ),
}
EXAMPLE_ADVICE = (
    "Jullie school heeft een sterke basis in de samenwerking met bedrijven. Werk het komende jaar vooral aan het "
    "leerplan en de professionalisering van de STEM-leerkrachten, samen met jullie mentorbedrijf, en laat je "
    "begeleiden door iSTEM bij een geïntegreerd STEM-project."
)
FOCUS = (1, 2, 4, 6)  # the key elements the first edition kept (Leerplan, Onderwijsmethode, Professionalisering, ...)


@dataclass
class MeasurementReport:
    created: int = 0
    existing: int = 0


def _levels(seed: str, criteria: list[Criterion], shift: int = 0) -> dict[int, int]:
    rng = random.Random(seed)
    return {c.pk: max(0, min(3, rng.choice((0, 1, 1, 1, 2, 2, 2, 3)) + shift)) for c in criteria}


def _fill(measurement: Measurement, *, by: User, adviser: User, levels: dict[int, int], meeting: dt.date) -> None:
    criteria = {a.criterion_id: a.criterion for a in measurement.assessments.select_related("criterion__element")}
    assessments = {}
    for pk, criterion in criteria.items():
        practice, improvement = EXAMPLE_TEXTS[criterion.element.number]
        assessments[pk] = {"level": levels[pk], "practice": practice, "improvement": improvement}
    focus = list(measurement.framework.elements.filter(number__in=FOCUS).values_list("id", flat=True))
    measurement = services.measurement_save(
        measurement=measurement,
        by=by,
        version=measurement.version,
        data=services.MeasurementInput(assessments=assessments),
    )
    measurement = services.measurement_submit(measurement=measurement, by=by)
    elements = {c.element.number: c.element_id for c in criteria.values()}
    measurement = services.measurement_save(
        measurement=measurement,
        by=adviser,
        version=measurement.version,
        data=services.MeasurementInput(
            meeting={
                "meeting_date": meeting,
                "present_director": "Directie van de school",
                "present_tac": "TAC van de school",
                "present_adviser": adviser.get_full_name(),
                "advice": EXAMPLE_ADVICE,
            },
            element_advice={elements[n]: EXAMPLE_TEXTS[n][1] for n in FOCUS if n in elements},
            focus_element_ids=focus,
        ),
    )
    services.measurement_finalise(measurement=measurement, by=adviser)


@transaction.atomic
def build_demo_measurements() -> MeasurementReport:
    """Finalised baselines for every demo participation past registration; end measurements for 2025-2026."""
    report = MeasurementReport()
    adviser = User.objects.get(email=ADVISER_EMAIL)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    participations = (
        Participation.objects.exclude(status=Participation.Status.REGISTERED)
        .select_related("school", "edition")
        .order_by("edition__starts_on", "school__name")
    )
    for participation in participations:
        if participation.school.name.endswith(" (demo)"):
            continue  # generated benchmark data
        if participation.measurements.filter(kind=Measurement.Kind.BASELINE).exists():
            report.existing += 1
            continue
        baseline = services.measurement_start(participation=participation, by=coordinator)
        criteria = [a.criterion for a in baseline.assessments.select_related("criterion")]
        seed = f"{participation.edition.slug}/{participation.school.name}"
        meeting = participation.edition.baseline_opens_on + dt.timedelta(days=len(participation.school.name) % 28)
        _fill(baseline, by=coordinator, adviser=adviser, levels=_levels(seed, criteria), meeting=meeting)
        report.created += 1
        if participation.edition.ends_on < dt.date.today():
            end = services.end_measurement_start(baseline=Measurement.objects.get(pk=baseline.pk), by=coordinator)
            end_meeting = participation.edition.jury_opens_on
            _fill(end, by=coordinator, adviser=adviser, levels=_levels(seed, criteria, shift=1), meeting=end_meeting)
            report.created += 1
    return report


#: With --scale large, this share of the generated schools has a finalised baseline; the rest is still measuring.
LARGE_BASELINE_SHARE = 0.7
LARGE_BATCH = 2_000


@transaction.atomic
def build_large_baselines(*, share: float = LARGE_BASELINE_SHARE, seed: int = 2026) -> int:
    """Finalised baselines, written in bulk, for a seeded share of the generated schools in the current edition.

    Only for benchmarks (matching an edition of 1,000 schools): no history events, no texts, levels only.
    Idempotent: a participation with a baseline is left alone. Returns how many were created.
    """
    edition = Edition.objects.current()
    if edition is None:
        return 0
    rng = random.Random(seed)
    candidates = list(
        Participation.objects.filter(edition=edition, school__in=generated_schools())
        .exclude(measurements__kind=Measurement.Kind.BASELINE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = [pk for pk in candidates if rng.random() < share]
    if not chosen:
        return 0
    config = services.edition_settings(edition=edition)
    criteria = list(config.criteria.order_by("number"))
    focus = list(config.framework.elements.filter(number__in=FOCUS).values_list("pk", flat=True))
    now = timezone.now()
    Measurement.objects.bulk_create(
        [
            Measurement(
                participation_id=pk,
                kind=Measurement.Kind.BASELINE,
                status=Measurement.Status.FINALISED,
                framework=config.framework,
                submitted_at=now,
                finalised_at=now,
            )
            for pk in chosen
        ],
        batch_size=LARGE_BATCH,
    )
    measurements = dict(
        Measurement.objects.filter(participation_id__in=chosen, kind=Measurement.Kind.BASELINE).values_list(
            "participation_id", "pk"
        )
    )
    levels = (0, 1, 1, 1, 2, 2, 2, 3)
    CriterionAssessment.objects.bulk_create(
        [
            CriterionAssessment(measurement_id=measurements[pk], criterion=criterion, level=rng.choice(levels))
            for pk in chosen
            for criterion in criteria
        ],
        batch_size=LARGE_BATCH,
    )
    through = Measurement.focus_elements.through
    through.objects.bulk_create(
        [through(measurement_id=measurements[pk], keyelement_id=element) for pk in chosen for element in focus],
        batch_size=LARGE_BATCH,
    )
    Participation.objects.filter(pk__in=chosen, status=Participation.Status.REGISTERED).update(
        status=Participation.Status.BASELINE
    )
    return len(chosen)
