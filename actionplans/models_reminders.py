"""The log of deadline reminders sent for action plans (imported at the end of actionplans/models.py).

Two reminders go out before a plan's deadline (the edition's, or a coordinator's extension): 14 and 3 days before,
to the school members and company members of each active match whose plan is not submitted (see
actionplans/reminders.py for who is due and actionplans/tasks.py for the daily task). One row per reminder sent keeps
a rerun of the task, a retry or a second beat from mailing anyone twice.

A reminder is about a school's participation rather than its plan: it also goes out while the plan has not been
started, and a school has at most one plan per edition (ActionPlan.participation is one-to-one).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Participation


class PlanReminder(models.Model):
    """One deadline reminder sent about a school's action plan: which one, for which deadline, to whom, when."""

    class Kind(models.TextChoices):
        #: The values are the keys of actionplans.reminders.REMINDER_DAYS.
        DAYS_14 = "14_days", _("14 days before the deadline")
        DAYS_3 = "3_days", _("3 days before the deadline")

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="plan_reminders", verbose_name=_("participation")
    )
    kind = models.CharField(_("reminder"), max_length=10, choices=Kind.choices)
    #: The deadline the reminder announced: the edition's, or the extension granted for this plan.
    deadline = models.DateField(_("deadline"))
    #: The e-mail addresses it went to.
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan reminder")
        verbose_name_plural = _("plan reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "kind"], name="plan_reminder_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.participation}"
