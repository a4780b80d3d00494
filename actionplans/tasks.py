"""Celery tasks of the action plans app: the daily deadline reminders (Celery beat runs `send_plan_reminders` every
morning, see CELERY_BEAT_SCHEDULE in the settings).

`plan_reminders_send` loads the schools with an active match whose deadline is 14 or 3 days away, lets the pure
actionplans.reminders decide which reminders are due, and mails each side of those matches in Dutch: the deadline,
what is still missing (SMART points that fail, signatures) and a link to the plan. Each reminder is logged in
PlanReminder in the same transaction as it is sent, so a rerun or a retry never sends it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from matching.models import Match
from partners.models import Membership, Participation, Role

from . import selectors
from .models import ActionPlan, PlanReminder, Signature
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
    sent: dict[int, set[str]] = {}
    for participation_id, kind in PlanReminder.objects.filter(participation_id__in=targets).values_list(
        "participation_id", "kind"
    ):
        sent.setdefault(participation_id, set()).add(kind)
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
    """Log the reminder and mail it to each person, in one transaction: if mailing fails nothing is logged (the
    task retries); if it was logged already (another run) nothing is mailed."""
    if not people:
        logger.warning("No one to remind of the action plan of %s", target.participation)
        return 0
    with transaction.atomic():
        _log, created = PlanReminder.objects.get_or_create(
            participation=target.participation,
            kind=reminder.kind,
            defaults={"deadline": reminder.deadline, "recipients": [person.user.email for person in people]},
        )
        if not created:
            return 0
        url = _plan_url(target)
        messages = [_message(reminder, target, state, person, url) for person in people]
        mailers.default.send_messages(messages)
    return len(messages)


def _plan_url(target: _Target) -> str:
    """The plan page; before the plan is started, the plan list where a member starts it."""
    if target.plan is not None:
        path = reverse("actionplans:plan-detail", kwargs={"pk": target.plan.pk})
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
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
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
