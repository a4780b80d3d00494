"""Named reads of reports, and the data each kind of report is made from (each in a constant number of queries)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans import smart
from actionplans.models import ActionPlan, CoolStep, PlanEvent, Signature, TeamMember
from actionplans.selectors import (
    AttendanceRow,
    GoalWithCheck,
    attendance_count,
    plan_attendance,
    plan_check,
    plan_with_details,
)
from baseline import scoring
from baseline.models import KeyElement, Measurement
from baseline.scale import LABEL_LEVEL_NAMES
from baseline.selectors import ElementSection, element_radar, element_sections, scorecard_for, with_details
from stempact.charts import RadarChart

from .models import Report

if TYPE_CHECKING:
    from partners.models import Company, Edition, School, User


def reports_for(*, user: User) -> QuerySet[Report]:
    return Report.objects.visible_to(user).select_related(
        "measurement__participation__school",
        "action_plan__participation__school",
        "action_plan__participation__edition",
        "action_plan__match__company",
        "requested_by",
    )


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


# --------------------------------------------------------------------------- action plan report


@dataclass(frozen=True)
class SignatureLine:
    """One side under the engagement declaration: its signature, or None while that side has not signed."""

    side: str
    label: str
    signature: Signature | None


@dataclass(frozen=True)
class PlanReportData:
    """What the PDF of a verbeteractieplan shows: the plan with every goal beside its SMART result, the
    contributions, the project, learning-network attendance and the engagement declaration."""

    plan: ActionPlan
    goals: list[GoalWithCheck]
    check: smart.PlanCheck
    attendance: list[AttendanceRow]
    signatures: list[SignatureLine]
    #: The digest of what was shown (see plan_report_stamp): tells whether a ready report is still current.
    stamp: str
    date: dt.date

    @property
    def school(self) -> School:
        return self.plan.participation.school

    @property
    def company(self) -> Company | None:
        return self.plan.match.company

    @property
    def edition(self) -> Edition:
        return self.plan.participation.edition

    @property
    def is_submitted(self) -> bool:
        return self.plan.status == ActionPlan.Status.SUBMITTED

    @property
    def has_extension(self) -> bool:
        return self.plan.deadline != self.edition.plan_deadline

    @property
    def sessions_attended(self) -> tuple[int, int]:
        """(by the school, by the mentor company)."""
        return attendance_count(self.attendance)

    @property
    def team(self) -> list[TeamMember]:
        return list(self.plan.team_members.all())

    @property
    def cool_steps(self) -> list[CoolStep]:
        return list(self.plan.cool_steps.all())

    @property
    def stem_projects(self) -> list[str]:
        return sorted(project.name for project in self.plan.stem_projects.all())

    @property
    def is_fully_signed(self) -> bool:
        return all(line.signature is not None for line in self.signatures)


def plan_report_stamp(plan: ActionPlan, attendance: Sequence[AttendanceRow], last_event_id: int | None) -> str:
    """A digest of everything in the plan report that can change, to reuse a ready report only while it is current.

    Every write to a plan's content raises its version, and every signature, submission, reopening, extension and
    change of mentor company adds a PlanEvent, so version and latest event cover the plan; learning-network
    attendance is kept outside the plan and goes in as it is shown; the names and dates of the cover too.
    """
    edition = plan.participation.edition
    company = plan.match.company
    sessions = [
        (row.session.pk, row.session.kind, row.session.date, row.session.place, row.session.region_id)
        for row in attendance
    ]
    presence = [(row.school_present, row.company_present) for row in attendance]
    parts = [
        plan.version,
        plan.status,
        last_event_id,
        plan.participation.school.name,
        company.name if company else "",
        [edition.name, edition.starts_on, edition.ends_on, edition.plan_deadline],
        sessions,
        presence,
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def current_plan_stamp(*, plan_id: int) -> str:
    """The stamp of a plan as it is now (four queries), to compare with the stamp stored on a ready report."""
    plan = ActionPlan.objects.select_related("participation__school", "participation__edition", "match__company").get(
        pk=plan_id
    )
    last_event_id = PlanEvent.objects.filter(plan_id=plan_id).aggregate(last=Max("id"))["last"]
    return plan_report_stamp(plan, plan_attendance(plan=plan), last_event_id)


def plan_report_data(*, plan_id: int) -> PlanReportData:
    """Raises ActionPlan.DoesNotExist when the plan is gone. Without a user scope: the task runs for the person who
    asked, already checked. Call inside the report's language (the SMART hints are translated when read)."""
    plan = plan_with_details(plan_id=plan_id)
    check = plan_check(plan)
    goals = [GoalWithCheck(goal, result) for goal, result in zip(plan.goals.all(), check.goals, strict=True)]
    attendance = plan_attendance(plan=plan)
    by_side = {signature.side: signature for signature in plan.signatures.all()}
    signatures = [SignatureLine(side.value, str(side.label), by_side.get(side.value)) for side in Signature.Side]
    last_event_id = max((event.pk for event in plan.events.all()), default=None)
    return PlanReportData(
        plan=plan,
        goals=goals,
        check=check,
        attendance=attendance,
        signatures=signatures,
        stamp=plan_report_stamp(plan, attendance, last_event_id),
        date=timezone.localdate(),
    )
