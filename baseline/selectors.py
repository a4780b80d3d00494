"""Named reads of measurements, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from partners.models import Edition
from stempact.charts import RadarChart, radar_chart

from . import scoring
from .models import CriterionAssessment, EditionBaselineSettings, ElementAdvice, KeyElement, Measurement
from .services import edition_settings

if TYPE_CHECKING:
    from partners.models import User


def with_details(measurements: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """Everything the pages, the API, the report and the matching read of a measurement, in a constant number of
    queries: school, edition settings, assessments with their criterion and evidence, advice, focus elements."""
    return measurements.select_related(
        "participation__school__region",
        "participation__edition__baseline_settings",
        "framework",
        "based_on",
    ).prefetch_related(
        Prefetch(
            "assessments",
            queryset=CriterionAssessment.objects.select_related("criterion__element").prefetch_related("evidence"),
        ),
        Prefetch("element_advice", queryset=ElementAdvice.objects.select_related("element")),
        "focus_elements",
    )


def measurements_for(*, user: User) -> QuerySet[Measurement]:
    return with_details(Measurement.objects.visible_to(user))


def measurement_detail_for(*, user: User, measurement_id: int) -> Measurement:
    """Raises Measurement.DoesNotExist outside the user's scope (views answer 404)."""
    return measurements_for(user=user).get(pk=measurement_id)


def ratings_of(measurement: Measurement) -> list[scoring.Rating]:
    """Plain ratings for the scoring module (assessments must be prefetched with their criterion's element)."""
    return [
        scoring.Rating(criterion=a.criterion.number, element=a.criterion.element.number, level=a.level)
        for a in measurement.assessments.all()
    ]


def thresholds_of(measurement: Measurement) -> scoring.Thresholds:
    """The edition's thresholds; no query when the settings came with select_related (measurements_for does)."""
    edition = measurement.participation.edition
    try:
        return edition.baseline_settings.thresholds
    except EditionBaselineSettings.DoesNotExist:
        return edition_settings(edition=edition).thresholds


def scorecard_for(measurement: Measurement) -> scoring.ScoreCard:
    thresholds = thresholds_of(measurement)
    elements = sorted({a.criterion.element.number for a in measurement.assessments.all()})
    return scoring.score(ratings_of(measurement), thresholds, elements)


@dataclass(frozen=True)
class ElementSection:
    """One key element of a measurement as the form, result page and report show it."""

    element: KeyElement
    assessments: list[CriterionAssessment]
    advice: str
    score: scoring.ElementScore | None
    is_focus: bool


def element_sections(measurement: Measurement, card: scoring.ScoreCard | None = None) -> list[ElementSection]:
    card = card or scorecard_for(measurement)
    by_element: dict[int, list[CriterionAssessment]] = {}
    elements: dict[int, KeyElement] = {}
    for assessment in measurement.assessments.all():
        element = assessment.criterion.element
        elements[element.number] = element
        by_element.setdefault(element.number, []).append(assessment)
    advice = {a.element_id: a.text for a in measurement.element_advice.all()}
    focus = {e.id for e in measurement.focus_elements.all()}
    return [
        ElementSection(
            element=elements[number],
            assessments=sorted(by_element[number], key=lambda a: a.criterion.number),
            advice=advice.get(elements[number].id, ""),
            score=card.element(number),
            is_focus=elements[number].id in focus,
        )
        for number in sorted(elements)
    ]


def edition_element_averages(*, edition: Edition, minimum: int = 5) -> list[tuple[KeyElement, float]] | None:
    """Average element percentage over the edition's submitted or finalised baselines.

    None when fewer than `minimum` schools submitted, so no single school can be singled out.
    """
    measurements = list(
        Measurement.objects.filter(
            participation__edition=edition,
            kind=Measurement.Kind.BASELINE,
            status__in=[Measurement.Status.SUBMITTED, Measurement.Status.FINALISED],
        )
        .select_related("participation__edition")
        .prefetch_related(
            Prefetch("assessments", queryset=CriterionAssessment.objects.select_related("criterion__element"))
        )
    )
    if len(measurements) < minimum:
        return None
    thresholds = edition_settings(edition=edition).thresholds
    totals: dict[int, list[float]] = {}
    elements: dict[int, KeyElement] = {}
    for measurement in measurements:
        for assessment in measurement.assessments.all():
            elements[assessment.criterion.element.number] = assessment.criterion.element
        for element_score in scoring.score(ratings_of(measurement), thresholds).elements:
            if element_score.percentage is not None:
                totals.setdefault(element_score.element, []).append(element_score.percentage)
    return [(elements[n], round(sum(v) / len(v), 1)) for n, v in sorted(totals.items())]


def comparison_for(*, user: User, measurement_id: int) -> tuple[Measurement, Measurement | None]:
    """The (baseline, end measurement) pair that a measurement belongs to, both prefetched like measurement_detail_for.

    Given a baseline, the end measurement is None while it has not been started. Raises Measurement.DoesNotExist
    outside the user's scope, and for an end measurement that is not based on a baseline (nothing to compare).
    """
    measurement = measurement_detail_for(user=user, measurement_id=measurement_id)
    if measurement.kind == Measurement.Kind.END:
        if measurement.based_on_id is None:
            raise Measurement.DoesNotExist("this end measurement has no baseline")
        return measurement_detail_for(user=user, measurement_id=measurement.based_on_id), measurement
    end = measurements_for(user=user).filter(based_on=measurement, kind=Measurement.Kind.END).first()
    return measurement, end


def submitted_baseline_count(*, edition: Edition) -> int:
    """How many schools of the edition submitted (or finalised) their baseline: the basis of the averages."""
    return Measurement.objects.filter(
        participation__edition=edition,
        kind=Measurement.Kind.BASELINE,
        status__in=[Measurement.Status.SUBMITTED, Measurement.Status.FINALISED],
    ).count()


def element_radar(
    title: str, elements: list[KeyElement], series: list[tuple[str, list[float | None]]]
) -> RadarChart | None:
    """A radar chart with one axis per key element (pages and PDFs); None when fewer than three are measured."""
    if len(elements) < 3:
        return None
    return radar_chart(title, [element.short_label for element in elements], series)


def measurements_by_participation(*, participation_ids: list[int]) -> dict[int, dict[str, Measurement]]:
    """Per participation, its measurements by kind, annotated with `answered` and `measured` (for progress bars)."""
    rows = Measurement.objects.filter(participation_id__in=participation_ids).annotate(
        answered=Count("assessments", filter=Q(assessments__level__isnull=False)),
        measured=Count("assessments"),
    )
    found: dict[int, dict[str, Measurement]] = {}
    for measurement in rows:
        found.setdefault(measurement.participation_id, {})[measurement.kind] = measurement
    return found
