"""Celery tasks of the reports app: take ids, load, call one service, return."""

from __future__ import annotations

from celery import Task, shared_task

from .models import Report
from .services import TRANSIENT_ERRORS, report_render

MAX_RETRIES = 3


@shared_task(
    bind=True,
    name="reports.render_report",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=MAX_RETRIES,
    # One PDF takes well under a second; the limits only stop a runaway render (soft first, so it is recorded).
    soft_time_limit=120,
    time_limit=150,
)
def render_report(self: Task, *, report_id: int) -> None:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:  # deleted (with its measurement) before the worker got to it
        return
    # A worker retries a transient error later, so the report waits (pending) meanwhile. An eager run (the embedded
    # default, no broker) cannot wait for a retry: the error propagates to the caller, so the report fails at once.
    will_retry = not self.request.is_eager and self.request.retries < MAX_RETRIES
    report_render(report=report, retry_transient=will_retry)
