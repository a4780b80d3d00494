"""Celery tasks of the action plans app: the daily deadline reminders (Celery beat runs `send_plan_reminders` every
morning, see CELERY_BEAT_SCHEDULE in the settings).

`plan_reminders_send` loads the schools with an active match whose deadline is 14 or 3 days away, lets the pure
actionplans.reminders decide which reminders are due, and mails each side of those matches in Dutch: the deadline,
what is still missing (SMART points that fail, signatures) and a link to the plan.

Each person gets a message of their own, logged with it (PlanReminderDelivery, one row per address, written in the
same small transaction as that one message is handed to the mail server). So an address the server refuses is logged
as refused for that person and the others still get it, never twice; a server that goes down halfway raises, and the
task's retry mails only the people not logged yet. A reminder whose every recipient was tried is complete
(PlanReminder.completed_at) and is not due again.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from matching.models import Match
from partners.models import Membership, Participation, Role, User

from . import selectors
from .models import ActionPlan, PlanReminder, Signature
from .models_reminders import PlanReminderDelivery
from .reminders import Candidate, DueReminder, PlanState, deadlines_due, reminders_due

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Target:
    """A school with an active match, and its plan if it was started."""

    participation: Participation
    match: Match
    plan: ActionPlan | None


# --------------------------------------------------------------------------- the service


def plan_reminders_send(*, today: dt.date) -> int:
    """Send the deadline reminders due on `today` (a date in Brussels); returns the number of e-mails sent."""
    targets = _targets(today)
    if not targets:
        return 0
    sent: dict[int, set[tuple[str, dt.date]]] = {}
    complete = PlanReminder.objects.filter(participation_id__in=targets, completed_at__isnull=False)
    for participation_id, kind, deadline in complete.values_list("participation_id", "kind", "deadline"):
        sent.setdefault(participation_id, set()).add((kind, deadline))
    candidates = [
        Candidate(
            participation_id=target.participation.pk,
            edition_deadline=target.participation.edition.plan_deadline,
            extension_until=target.plan.extension_until if target.plan else None,
            submitted=bool(target.plan and target.plan.status == ActionPlan.Status.SUBMITTED),
            sent=frozenset(sent.get(target.participation.pk, ())),
        )
        for target in targets.values()
    ]
    due = reminders_due(candidates, today)
    if not due:
        return 0
    states = _plan_states([targets[reminder.participation_id] for reminder in due])
    people = _recipients([targets[reminder.participation_id] for reminder in due])
    emails = 0
    for reminder in due:
        target = targets[reminder.participation_id]
        emails += _send(reminder, target, states[target.participation.pk], people.get(target.participation.pk, []))
    return emails


def _targets(today: dt.date) -> dict[int, _Target]:
    """The schools with an active match whose edition deadline or plan extension is one of today's reminder days,
    keyed by participation (one query)."""
    deadlines = deadlines_due(today)
    matches = (
        Match.objects.filter(status=Match.Status.ACTIVE, company__isnull=False)
        .filter(
            Q(participation__edition__plan_deadline__in=deadlines)
            | Q(participation__action_plan__extension_until__in=deadlines)
        )
        .select_related("participation__school", "participation__edition", "participation__action_plan", "company")
        .order_by("participation__school__name", "-created_at", "-id")
    )
    per_school: dict[int, list[Match]] = {}
    for match in matches:
        per_school.setdefault(match.participation_id, []).append(match)
    targets = {}
    for participation_id, candidates in per_school.items():
        plan = getattr(candidates[0].participation, "action_plan", None)
        # One match per school: the one its plan is written in, else the newest active one.
        match = next((m for m in candidates if plan is not None and m.pk == plan.match_id), candidates[0])
        targets[participation_id] = _Target(match.participation, match, plan)
    return targets


def _plan_states(targets: list[_Target]) -> dict[int, PlanState]:
    """What is missing per school: the SMART points that fail and the signatures (a constant number of queries)."""
    plan_ids = [target.plan.pk for target in targets if target.plan is not None]
    plans = {plan.pk: plan for plan in selectors.with_details(ActionPlan.objects.filter(pk__in=plan_ids))}
    states = {}
    for target in targets:
        plan = plans.get(target.plan.pk) if target.plan is not None else None
        if plan is None:
            states[target.participation.pk] = PlanState(has_plan=False)
            continue
        signed = {signature.side for signature in plan.signatures.all()}
        states[target.participation.pk] = PlanState(
            has_plan=True,
            hard_count=selectors.plan_check(plan).hard_count,
            school_signed=Signature.Side.SCHOOL in signed,
            company_signed=Signature.Side.COMPANY in signed,
        )
    return states


def _recipients(targets: list[_Target]) -> dict[int, list[Membership]]:
    """The active school members and company members of each school's match, school first, each person once."""
    school_ids = {target.participation.school_id for target in targets}
    company_ids = {target.match.company_id for target in targets}
    memberships = list(
        Membership.objects.filter(
            Q(role=Role.SCHOOL, school_id__in=school_ids) | Q(role=Role.COMPANY, company_id__in=company_ids),
            user__is_active=True,
        )
        .select_related("user", "school", "company")
        .order_by("id")
    )
    people: dict[int, list[Membership]] = {}
    for target in targets:
        school_side = [
            m for m in memberships if m.role == Role.SCHOOL and m.school_id == target.participation.school_id
        ]
        company_side = [m for m in memberships if m.role == Role.COMPANY and m.company_id == target.match.company_id]
        seen: set[int] = set()
        for membership in school_side + company_side:
            if membership.user_id not in seen:
                seen.add(membership.user_id)
                people.setdefault(target.participation.pk, []).append(membership)
    return people


def _send(reminder: DueReminder, target: _Target, state: PlanState, people: list[Membership]) -> int:
    """Mail the reminder to each person not mailed yet, one message each, then mark it complete; returns the number
    of e-mails sent. A server that cannot be reached (or goes down halfway) raises: the task retries, and the people
    logged so far are not mailed again."""
    if not people:
        logger.warning("No one to remind of the action plan of %s", target.participation)
        return 0
    log, _created = PlanReminder.objects.get_or_create(
        participation=target.participation, kind=reminder.kind, deadline=reminder.deadline
    )
    if log.completed_at is not None:  # another run finished it meanwhile
        return 0
    done = set(log.deliveries.values_list("email", flat=True))
    url = _plan_url(target)
    sent = 0
    with mailers.default as connection:  # one connection for the messages of this school
        for person in people:
            if person.user.email not in done:
                sent += _deliver(log, connection, _message(reminder, target, state, person, url), person.user)
    delivered = list(log.deliveries.filter(status=PlanReminderDelivery.Status.SENT).values_list("email", flat=True))
    PlanReminder.objects.filter(pk=log.pk).update(completed_at=timezone.now(), recipients=delivered)
    return sent


def _deliver(log: PlanReminder, connection: BaseEmailBackend, message: EmailMessage, user: User) -> int:
    """Hand one person's message to the mail server and log it; 1 if it was sent, else 0.

    The log row is written first, in the same transaction as the message goes out: if sending fails the row is rolled
    back (the retry mails this person), and a concurrent run that logged this address first makes this one stop before
    mailing. A refused address is logged as refused and not tried again.
    """
    try:
        with transaction.atomic():
            PlanReminderDelivery.objects.create(
                reminder=log, user=user, email=user.email, status=PlanReminderDelivery.Status.SENT
            )
            connection.send_messages([message])
    except IntegrityError:
        return 0  # another run mailed this address meanwhile
    except smtplib.SMTPRecipientsRefused as refusal:
        answer = "; ".join(
            f"{address}: {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for address, (code, reply) in refusal.recipients.items()
        )
        logger.warning("The mail server refused the reminder to %s (%s)", user.email, answer)
        PlanReminderDelivery.objects.create(
            reminder=log, user=user, email=user.email, status=PlanReminderDelivery.Status.REFUSED, error=answer
        )
        return 0
    return 1


def _plan_url(target: _Target) -> str:
    """The plan page; before the plan is started, the plan list where a member starts it."""
    if target.plan is not None:
        path = target.plan.get_absolute_url()
    else:
        path = reverse("actionplans:plan-list") + f"?editie={target.participation.edition.slug}"
    return settings.SITE_URL.rstrip("/") + path


def _message(
    reminder: DueReminder, target: _Target, state: PlanState, person: Membership, url: str
) -> EmailMultiAlternatives:
    user = person.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "organisation": str(person.school or person.company),
            "school": target.participation.school.name,
            "company": target.match.company.name if target.match.company else "",
            "edition": target.participation.edition.name,
            "deadline": reminder.deadline,
            "days_left": reminder.days_left,
            "is_extension": reminder.deadline != target.participation.edition.plan_deadline,
            "state": state,
            "url": url,
        }
        subject = render_to_string("actionplans/email/reminder_subject.txt", context).strip()
        body = render_to_string("actionplans/email/reminder_body.txt", context)
        html = render_to_string("actionplans/email/reminder_body.html", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


# --------------------------------------------------------------------------- the task


@shared_task(
    name="actionplans.send_plan_reminders",
    acks_late=True,
    # The server or the connection failed: try again later (only the people not mailed yet). A refused address is
    # handled per person in _deliver and never gets here; should it, trying again would not help.
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    dont_autoretry_for=(smtplib.SMTPRecipientsRefused,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def send_plan_reminders(*, today: str | None = None) -> int:
    """Daily: mail the deadline reminders due today (the date in Brussels); `today` (an ISO date) runs the day given
    instead. Returns the number of e-mails sent."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return plan_reminders_send(today=day)
