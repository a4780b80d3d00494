"""The log of deadline reminders sent for action plans (imported at the end of actionplans/models.py).

Two reminders go out before a plan's deadline (the edition's, or a coordinator's extension): 14 and 3 days before,
to the school members and company members of each active match whose plan is not submitted (see
actionplans/reminders.py for who is due and actionplans/tasks.py for the daily task).

- `PlanReminder`: one reminder of one school for one deadline. A later deadline (an extension granted, or the
  edition's deadline moved, after the first reminders went out) gets reminders of its own. Once every recipient was
  tried it is complete (`completed_at`), and a rerun of the task, a retry or a second beat sends it no more.
- `PlanReminderDelivery`: the e-mail of that reminder to one person, sent or refused by the mail server. Each person
  gets a message of their own, logged with it, so an address the server refuses fails for that person only, and a
  retry after the server went down halfway mails only the people who did not get it yet.

A reminder is about a school's participation rather than its plan: it also goes out while the plan has not been
started, and a school has at most one plan per edition (ActionPlan.participation is one-to-one).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Participation


class PlanReminder(models.Model):
    """One deadline reminder about a school's action plan: which one, for which deadline, when it went out and to
    whom it was delivered."""

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
    #: The e-mail addresses it was delivered to, filled in when it is complete (each attempt is a delivery).
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    #: When every recipient had been tried (empty while it is still going out, e.g. the mail server went down).
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan reminder")
        verbose_name_plural = _("plan reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "kind", "deadline"], name="plan_reminder_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.participation}"


class PlanReminderDelivery(models.Model):
    """The e-mail of one reminder to one person: sent, or refused by the mail server (not tried again)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the mail server")

    reminder = models.ForeignKey(
        PlanReminder, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("reminder")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    #: The address it went to (kept when the person's account is removed).
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    #: What the mail server answered when it refused the address.
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan reminder e-mail")
        verbose_name_plural = _("plan reminder e-mails")
        ordering = ["reminder", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "email"], name="plan_reminder_once_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_status_display()}"
