"""Every write to reports: ask for one (reusing a current one), and make it (status and progress as it goes).

The pipeline is the same for every kind: a request service (`report_request` for a measurement,
`plan_report_request` for an action plan) stores a pending Report and queues reports.tasks.render_report after
commit; the task calls `report_render`, which runs the kind's renderer (RENDERERS), stores the file and marks the
report ready, or failed with a readable error. A later kind adds a renderer and, if it is about something else,
its own target field and request service.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actionplans.models import ActionPlan
from baseline.models import Measurement

from .models import STALLED_AFTER, Report
from .selectors import baseline_report_data, current_plan_stamp, plan_report_data

if TYPE_CHECKING:
    from partners.models import User

logger = logging.getLogger(__name__)

#: Reports are documents for the school file: always Dutch, whatever language the requester uses the site in.
REPORT_LANGUAGE = "nl"

#: Errors worth another attempt (database or network hiccups); anything else fails the report at once.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

#: The fixed Dutch titles of the source document's form (the report is always Dutch, see REPORT_LANGUAGE).
MEASUREMENT_REPORT_TITLES = {
    Measurement.Kind.BASELINE: "Verslag nulmeting",
    Measurement.Kind.END: "Verslag eindmeting",
}
#: The kinds of report about a measurement (report_request); the action plan report has plan_report_request.
MEASUREMENT_REPORT_KINDS = {Report.Kind.BASELINE}
#: The fixed Dutch title of the action plan report (the programme's name for the plan).
PLAN_REPORT_TITLE = "Verbeteractieplan"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    filename: str  # the download name
    params: dict[str, Any] = field(default_factory=dict)  # what it was made from, merged into Report.params


# --------------------------------------------------------------------------- asking for a report


@transaction.atomic
def report_request(*, kind: str, measurement: Measurement, by: User) -> Report:
    """Ask for a report about a measurement; the caller has checked that `by` may see the measurement.

    Returns the current report when there is one: a ready report made from the measurement as it is now (so the
    download is instant), or one that is still being made (so a double click does not make it twice). Otherwise a
    new pending report, queued after commit.
    """
    if kind not in MEASUREMENT_REPORT_KINDS:
        raise ValueError(f"not a kind of report about a measurement: {kind!r}")
    # The lock serialises two requests for the same measurement, so they agree on one report.
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    current = _current_report(kind=kind, measurement=locked)
    if current is not None:
        return current
    report = Report.objects.create(
        kind=kind,
        measurement=locked,
        requested_by=by,
        params={"measurement_version": locked.version, "language": REPORT_LANGUAGE},
    )
    transaction.on_commit(partial(_enqueue, report.pk))
    return report


def _current_report(*, kind: str, measurement: Measurement) -> Report | None:
    latest = (
        Report.objects.filter(
            kind=kind,
            measurement=measurement,
            params__measurement_version=measurement.version,
            status__in=[Report.Status.READY, Report.Status.PENDING, Report.Status.RUNNING],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        return None
    if latest.is_ready and latest.finished_at and measurement.updated_at <= latest.finished_at:
        return latest
    if latest.is_in_progress and timezone.now() - latest.created_at <= STALLED_AFTER:
        return latest
    return None


@transaction.atomic
def plan_report_request(*, plan: ActionPlan, by: User) -> Report:
    """Ask for the PDF of an action plan; the caller has checked that `by` may see the plan.

    As for a measurement: the current report is reused (a ready one made from the plan as it is now, or one still
    being made); otherwise a new pending report is queued after commit.
    """
    # The lock serialises two requests for the same plan, so they agree on one report.
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    stamp = current_plan_stamp(plan_id=locked.pk)
    latest = (
        Report.objects.filter(
            kind=Report.Kind.ACTION_PLAN,
            action_plan=locked,
            params__plan_stamp=stamp,
            status__in=[Report.Status.READY, Report.Status.PENDING, Report.Status.RUNNING],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    # A ready report stores the stamp of what it showed, so an equal stamp means nothing changed since.
    if latest is not None and (latest.is_ready or not latest.is_stalled):
        return latest
    report = Report.objects.create(
        kind=Report.Kind.ACTION_PLAN,
        action_plan=locked,
        requested_by=by,
        params={"plan_stamp": stamp, "plan_version": locked.version, "language": REPORT_LANGUAGE},
    )
    transaction.on_commit(partial(_enqueue, report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from .tasks import render_report  # the task module imports this one

    try:
        render_report.delay(report_id=report_id)
    except Exception:
        # Eager (embedded) run: the render ran right here and recorded its own failure on the report.
        # With a broker: it could not be reached; say so on the report rather than leave it pending.
        logger.exception("Report %s could not be made or queued", report_id)
        with translation.override(REPORT_LANGUAGE):
            error = _("The report could not be queued. Please try again later.")
        Report.objects.filter(pk=report_id, status=Report.Status.PENDING).update(
            status=Report.Status.FAILED, error=error, finished_at=timezone.now()
        )


# --------------------------------------------------------------------------- making a report


def report_render(*, report: Report, retry_transient: bool = False) -> Report:
    """Make the report's file: running with progress, then ready; failed (re-raised) on an error.

    Deliberately not one transaction: every progress step is committed at once, so the page that polls sees it.
    With `retry_transient` (the task has attempts left) a transient error puts the report back to pending instead
    of failed, so the page keeps waiting for the retry. A report that is already ready is left alone (a task
    delivered twice does nothing).
    """
    started = timezone.now()
    claimed = (
        Report.objects.filter(pk=report.pk)
        .exclude(status=Report.Status.READY)
        .update(status=Report.Status.RUNNING, progress=10, started_at=started, finished_at=None, error="")
    )
    if not claimed:
        report.refresh_from_db()
        return report
    report.status, report.progress, report.started_at, report.finished_at, report.error = (
        Report.Status.RUNNING,
        10,
        started,
        None,
        "",
    )
    try:
        rendered = RENDERERS[report.kind](report, partial(_set_progress, report))
        report.file.save(_storage_name(rendered.filename), ContentFile(rendered.content), save=False)
        report.filename = rendered.filename
        report.params = {**report.params, **rendered.params}
        report.status = Report.Status.READY
        report.progress = 100
        report.finished_at = timezone.now()
        report.save(update_fields=["file", "filename", "params", "status", "progress", "finished_at"])
    except Exception as exc:
        transient = retry_transient and isinstance(exc, TRANSIENT_ERRORS)
        report.status = Report.Status.PENDING if transient else Report.Status.FAILED
        report.error = _readable_error(exc, transient=transient)
        report.finished_at = None if transient else timezone.now()
        if transient:
            report.progress = 0
        still_there = Report.objects.filter(pk=report.pk).update(
            status=report.status, error=report.error, finished_at=report.finished_at, progress=report.progress
        )
        if not still_there:  # deleted meanwhile (with its measurement): nothing to tell, nothing to retry
            logger.info("Report %s was deleted while it was being made", report.pk)
            return report
        raise
    return report


def _set_progress(report: Report, value: int) -> None:
    report.progress = value
    Report.objects.filter(pk=report.pk).update(progress=value)


def _readable_error(exc: Exception, *, transient: bool) -> str:
    """Stored on the report and shown on its page; in the report's language, like the report itself."""
    with translation.override(REPORT_LANGUAGE):
        if transient:
            return _("A temporary problem interrupted making the report; it is tried again automatically.")
        if isinstance(exc, Measurement.DoesNotExist):
            return _("The measurement this report is about no longer exists.")
        if isinstance(exc, ActionPlan.DoesNotExist):
            return _("The action plan this report is about no longer exists.")
        if isinstance(exc, SoftTimeLimitExceeded):
            return _("Making the report took too long.")
        return _("The report could not be made (%(error)s).") % {"error": f"{type(exc).__name__}: {exc}"[:500]}


def download_filename(*parts: str) -> str:
    """A file name that every operating system accepts: "Verslag nulmeting - School - 2026-12-01.pdf"."""
    name = " - ".join(re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", part).strip() for part in parts if part)
    return re.sub(r"\s+", " ", name)[:200]


def _storage_name(filename: str) -> str:
    # Media in DEBUG is served without a permission check: a random part keeps stored reports unguessable.
    stem, _dot, extension = filename.rpartition(".")
    return f"{slugify(stem)[:80] or 'report'}-{secrets.token_hex(8)}.{extension or 'bin'}"


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint. No resources are fetched: the HTML is self-contained (inline CSS, SVG)."""
    from weasyprint import HTML  # heavy (Pango, fonts): only imported where PDFs are made
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


# --------------------------------------------------------------------------- renderers per kind


def render_baseline_report(report: Report, progress: Progress) -> RenderedReport:
    """Verslag nulmeting (or eindmeting) of one measurement, as PDF, in Dutch."""
    if report.measurement_id is None:
        raise ValueError("a baseline report needs a measurement")
    with translation.override(REPORT_LANGUAGE):
        data = baseline_report_data(measurement_id=report.measurement_id)
        progress(30)
        title = MEASUREMENT_REPORT_TITLES[Measurement.Kind(data.measurement.kind)]
        html = render_to_string("reports/baseline.html", {"data": data, "title": title, "report": report})
        progress(60)
        content = html_to_pdf(html)
        progress(90)
    return RenderedReport(
        content=content,
        filename=download_filename(title, data.school.name, data.date.isoformat()) + ".pdf",
        params={"measurement_version": data.measurement.version, "language": REPORT_LANGUAGE},
    )


def render_action_plan_report(report: Report, progress: Progress) -> RenderedReport:
    """Verbeteractieplan of a school and its mentor company, as PDF, in Dutch: goals with their SMART result,
    contributions, the COOL project, learning networks and the engagement declaration."""
    if report.action_plan_id is None:
        raise ValueError("an action plan report needs an action plan")
    with translation.override(REPORT_LANGUAGE):
        data = plan_report_data(plan_id=report.action_plan_id)
        progress(30)
        html = render_to_string("reports/actionplan.html", {"data": data, "title": PLAN_REPORT_TITLE, "report": report})
        progress(60)
        content = html_to_pdf(html)
        progress(90)
    return RenderedReport(
        content=content,
        filename=download_filename(PLAN_REPORT_TITLE, data.school.name, data.edition.name) + ".pdf",
        params={"plan_stamp": data.stamp, "plan_version": data.plan.version, "language": REPORT_LANGUAGE},
    )


RENDERERS: dict[str, Callable[[Report, Progress], RenderedReport]] = {
    Report.Kind.BASELINE: render_baseline_report,
    Report.Kind.ACTION_PLAN: render_action_plan_report,
}
