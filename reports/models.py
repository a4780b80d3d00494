"""Reports: documents a user asks for and waits for (PDF now; CSV/XLSX exports and batch ZIPs later).

A `Report` is made by a Celery task (reports.tasks.render_report) and kept with its file, so downloading a report
that is ready is instant and the page that waits for it only polls the status and progress figure stored here.

Target of a report: each kind is about one thing, held in its own nullable foreign key rather than a generic
relation (plain foreign keys keep visibility a join, and deletions cascade): a measurement report about one
`measurement` (the nulmeting or eindmeting of a school), an action plan report about one `action_plan` (the
verbeteractieplan of a school and its mentor company). A check constraint keeps kind and target together.

Status moves only in reports.services: pending -> running -> ready, or -> failed (a transient error on an attempt
that will be retried goes back to pending).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, juror_edition_scope
from baseline.models import Measurement

if TYPE_CHECKING:
    from partners.models import User

#: A report still pending or running after this long is considered stalled (its worker died or it was never queued):
#: the page stops polling and offers to make it again, and a new request no longer waits for it. Longer than the
#: task's retries together (4 attempts x 150 s hard limit, plus backoff).
STALLED_AFTER = dt.timedelta(minutes=15)


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: User) -> ReportQuerySet:
        """Coordinators all; otherwise the reports a user asked for and those about a measurement or an action plan
        they may see, except that a juror sees of a plan only the reports of the plan as it is submitted now.

        Jurors see a plan only while it is submitted (ActionPlan.objects.visible_to), but a plan keeps its reports
        when a coordinator reopens it: a PDF asked for while it was a draft again (or of an earlier submission) shows
        what the jury must not read. So of a plan a juror judges, a report is theirs when it was asked for since the
        plan's current submission (plan_submit sets submitted_at, plan_reopen clears it; a report asked for later is
        made later, from the locked plan), or when they asked for it themselves. This holds for every plan in the
        juror's scope, also one they see through another role (an adviser on the jury): while it is submitted they see
        its earlier reports no more than any juror.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        plan_reports = Q(action_plan__in=ActionPlan.objects.visible_to(user))
        judged = juror_edition_scope(user)
        if judged is not None:
            plan_reports &= ~Q(action_plan__in=ActionPlan.objects.filter(judged)) | Q(
                created_at__gte=F("action_plan__submitted_at")
            )
        return self.filter(
            Q(requested_by=user) | Q(measurement__in=Measurement.objects.visible_to(user)) | plan_reports
        )


class Report(models.Model):
    """A document made in the background: its kind, what it is about, its status and progress, and its file."""

    class Kind(models.TextChoices):
        #: Verslag nulmeting (or, for an end measurement, Verslag eindmeting) of one measurement, as PDF.
        BASELINE = "baseline", _("Measurement report")
        #: The verbeteractieplan of a school and its mentor company, with the SMART check and the signatures, as PDF.
        ACTION_PLAN = "actionplan", _("Action plan report")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    #: The name the download gets, e.g. "Verslag nulmeting - GO! Atheneum Antwerpen - 2026-12-01.pdf".
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The target of a baseline report.
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("measurement"),
    )
    #: The target of an action plan report.
    action_plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("action plan"),
    )
    #: What the report was made from, to know whether a ready report is still current,
    #: e.g. {"measurement_version": 7, "language": "nl"} or {"plan_stamp": "3f2a…", "language": "nl"}.
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["measurement", "kind", "-created_at"], name="report_target_latest"),
            models.Index(fields=["action_plan", "kind", "-created_at"], name="report_plan_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                name="report_kind_has_its_target",
                condition=Q(kind="baseline", measurement__isnull=False, action_plan__isnull=True)
                | Q(kind="actionplan", action_plan__isnull=False, measurement__isnull=True),
            ),
            models.CheckConstraint(name="report_progress_percentage", condition=Q(progress__lte=100)),
            models.CheckConstraint(name="report_ready_has_file", condition=~Q(status="ready") | ~Q(file="")),
        ]

    def __str__(self) -> str:
        return self.filename or f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", kwargs={"pk": self.pk})

    @property
    def target(self) -> Measurement | ActionPlan | None:
        """What the report is about (the measurement or the action plan)."""
        return self.measurement or self.action_plan

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_stalled(self) -> bool:
        """Still pending or running long after it was asked for: nothing is working on it any more."""
        return self.is_in_progress and timezone.now() - self.created_at > STALLED_AFTER

    @property
    def should_poll(self) -> bool:
        return self.is_in_progress and not self.is_stalled
