"""Named reads of reports, and the data a baseline report is made from (each in a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baseline import scoring
from baseline.models import KeyElement, Measurement
from baseline.scale import LABEL_LEVEL_NAMES
from baseline.selectors import ElementSection, element_radar, element_sections, scorecard_for, with_details
from stempact.charts import RadarChart

from .models import Report

if TYPE_CHECKING:
    from partners.models import School, User


def reports_for(*, user: User) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related("measurement__participation__school", "requested_by")


def report_detail_for(*, user: User, report_id: int) -> Report:
    """Raises Report.DoesNotExist outside the user's scope (views answer 404)."""
    return reports_for(user=user).get(pk=report_id)


def _measurement_for_report(measurement_id: int) -> Measurement:
    """Everything the report shows, without a user scope: the task runs for the person who asked, already checked."""
    return with_details(Measurement.objects.all()).get(pk=measurement_id)


@dataclass(frozen=True)
class BaselineReportData:
    """What the Verslag nulmeting (or eindmeting) shows."""

    measurement: Measurement
    school: School
    is_end: bool
    date: dt.date
    sections: list[ElementSection]
    card: scoring.ScoreCard
    chart: RadarChart | None

    @property
    def level_label(self) -> str:
        return str(LABEL_LEVEL_NAMES.get(self.card.level, self.card.level))

    @property
    def focus_elements(self) -> list[KeyElement]:
        return [section.element for section in self.sections if section.is_focus]

    @property
    def is_final(self) -> bool:
        return self.measurement.status == Measurement.Status.FINALISED


def report_date(measurement: Measurement) -> dt.date:
    """The date on the report: the conversation, else the day it was finalised, else today."""
    if measurement.meeting_date:
        return measurement.meeting_date
    if measurement.finalised_at:
        return timezone.localdate(measurement.finalised_at)
    return timezone.localdate()


def baseline_report_data(*, measurement_id: int) -> BaselineReportData:
    """Raises Measurement.DoesNotExist when the measurement is gone. Call inside the report's language."""
    measurement = _measurement_for_report(measurement_id)
    card = scorecard_for(measurement)
    sections = element_sections(measurement, card)
    series: list[tuple[str, list[float | None]]] = []
    is_end = measurement.kind == Measurement.Kind.END
    if is_end and measurement.based_on_id:
        # An eindmeting shows its growth: the baseline's percentages as the first polygon (first colour).
        before = scorecard_for(_measurement_for_report(measurement.based_on_id))
        series.append(
            (
                str(Measurement.Kind.BASELINE.label),
                [_percentage(before.element(s.element.number)) for s in sections],
            )
        )
    series.append((str(measurement.get_kind_display()), [_percentage(s.score) for s in sections]))
    chart = element_radar(str(_("Score per key element (%)")), [s.element for s in sections], series)
    return BaselineReportData(
        measurement=measurement,
        school=measurement.participation.school,
        is_end=is_end,
        date=report_date(measurement),
        sections=sections,
        card=card,
        chart=chart,
    )


def _percentage(element_score: scoring.ElementScore | None) -> float | None:
    return element_score.percentage if element_score else None
