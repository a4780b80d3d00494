"""Celery tasks of the partners app: take ids, load, call one service, return."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Membership
from .services import invitation_url


@shared_task(
    name="partners.send_invitation_email",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=50,
    time_limit=60,
)
def send_invitation_email(*, membership_id: int) -> None:
    membership = Membership.objects.with_related().filter(pk=membership_id).first()
    if membership is None:  # revoked before the mail went out
        return
    user = membership.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "membership": membership, "url": invitation_url(user=user)}
        subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
        body = render_to_string("partners/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
