"""Named reads of measurements, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from partners.models import Edition

from . import scoring
from .models import CriterionAssessment, ElementAdvice, KeyElement, Measurement
from .services import edition_settings

if TYPE_CHECKING:
    from partners.models import User


def measurements_for(*, user: User) -> QuerySet[Measurement]:
    return (
        Measurement.objects.visible_to(user)
        .select_related("participation__school__region", "participation__edition", "framework", "based_on")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=CriterionAssessment.objects.select_related("criterion__element").prefetch_related("evidence"),
            ),
            Prefetch("element_advice", queryset=ElementAdvice.objects.select_related("element")),
            "focus_elements",
        )
    )


def measurement_detail_for(*, user: User, measurement_id: int) -> Measurement:
    """Raises Measurement.DoesNotExist outside the user's scope (views answer 404)."""
    return measurements_for(user=user).get(pk=measurement_id)


def ratings_of(measurement: Measurement) -> list[scoring.Rating]:
    """Plain ratings for the scoring module (assessments must be prefetched with their criterion's element)."""
    return [
        scoring.Rating(criterion=a.criterion.number, element=a.criterion.element.number, level=a.level)
        for a in measurement.assessments.all()
    ]


def scorecard_for(measurement: Measurement) -> scoring.ScoreCard:
    thresholds = edition_settings(edition=measurement.participation.edition).thresholds
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
