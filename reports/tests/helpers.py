"""Helpers for report tests: a measurement as the adviser leaves it after the conversation, and PDF text."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from baseline import services
from baseline.models import Criterion, KeyElement, Measurement
from baseline.tests.factories import filled_measurement
from partners.models import Participation, User
from reports.models import Report

COACH_ADVICE = "Concretiseer de STEM-ambities en communiceer ze intern en extern."
CURRICULUM_ADVICE = "Integreer het eindwerk in alle finaliteiten."
PRACTICE_5 = "STEM-projecten koppelen wiskunde en fysica aan reële situaties."
IMPROVEMENT_5 = "Leerlingen presenteren hun eindresultaat aan de betrokken ondernemingen."


def reviewed_measurement(
    participation: Participation, *, by: User, finalise: bool = True, meeting_date: dt.date | None = None
) -> Measurement:
    """Every criterion rated, who was present, advice overall and for Leerplan, then (by default) finalised."""
    measurement = filled_measurement(participation, by=by, levels={5: 3, 7: 1})
    curriculum = KeyElement.objects.get(framework=measurement.framework, number=2)
    criterion_5 = Criterion.objects.get(element=curriculum, number=5)
    measurement = services.measurement_save(
        measurement=measurement,
        by=by,
        version=measurement.version,
        data=services.MeasurementInput(
            assessments={criterion_5.pk: {"practice": PRACTICE_5, "improvement": IMPROVEMENT_5}},
            meeting={
                "meeting_date": meeting_date or dt.date(2026, 12, 1),
                "present_director": "An Peeters",
                "present_tac": "Bram Janssens",
                "present_adviser": "Chris Maes",
                "present_others": "Dina Claes (STEM-leerkracht)",
                "advice": COACH_ADVICE,
            },
            element_advice={curriculum.pk: CURRICULUM_ADVICE},
        ),
    )
    if finalise:
        measurement = services.measurement_submit(measurement=measurement, by=by)
        measurement = services.measurement_finalise(measurement=measurement, by=by)
    return measurement


def pdf_text(report: Report) -> str:
    """The report's text with whitespace (line and page breaks) folded into single spaces."""
    with report.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
