"""Helpers that build measurements for tests (through the services, as a user would)."""

from __future__ import annotations

from collections.abc import Mapping

from baseline import services
from baseline.models import Criterion, Measurement
from partners.models import Participation, User
from partners.tests import factories as f


def started_measurement(participation: Participation, by: User | None = None) -> Measurement:
    return services.measurement_start(participation=participation, by=by or f.coordinator())


def filled_measurement(
    participation: Participation,
    *,
    by: User | None = None,
    level: int = 2,
    levels: Mapping[int, int | None] | None = None,
    submit: bool = False,
    finalise: bool = False,
    focus: tuple[int, ...] = (1, 2),
) -> Measurement:
    """A measurement with every measured criterion rated (`levels` by criterion number overrides `level`)."""
    by = by or f.coordinator()
    measurement = started_measurement(participation, by)
    criteria = {c.pk: c.number for c in Criterion.objects.filter(pk__in=measurement.assessments.values("criterion"))}
    levels = levels or {}
    data = services.MeasurementInput(
        assessments={
            pk: {
                "level": levels.get(number, level),
                "practice": f"Toepassing {number}",
                "improvement": f"Werkpunt {number}",
            }
            for pk, number in criteria.items()
        },
        focus_element_ids=list(measurement.framework.elements.filter(number__in=focus).values_list("id", flat=True)),
    )
    measurement = services.measurement_save(measurement=measurement, by=by, version=measurement.version, data=data)
    if submit or finalise:
        measurement = services.measurement_submit(measurement=measurement, by=by)
    if finalise:
        measurement = services.measurement_finalise(measurement=measurement, by=by)
    return measurement
