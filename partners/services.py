"""Writes and side effects of the partners app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Company, Edition, Membership, Region, Role, School, User


def invitation_url(*, user: User) -> str:
    """An absolute link where the invited person chooses a password (valid PASSWORD_RESET_TIMEOUT seconds)."""
    path = reverse(
        "invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    by: User,
    region: Region | None = None,
    school: School | None = None,
    company: Company | None = None,
    edition: Edition | None = None,
    function: str = "",
) -> Membership:
    """Give a person a role, creating their account if needed, and e-mail them a link to set their password.

    Inviting someone again to a role they already hold sends the e-mail again (a lost invitation is the usual reason).
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    membership = Membership(
        user=user, role=role, region=region, school=school, company=company, edition=edition, function=function
    )
    membership.full_clean(exclude=["user", "invited_by"])
    existing = Membership.objects.filter(
        user=user, role=role, region=region, school=school, company=company, edition=edition
    ).first()
    if existing is not None:
        membership = existing
    else:
        membership.invited_by = by
        membership.save()
    if role == Role.COORDINATOR and not user.is_staff:
        user.is_staff = True  # coordinators manage the rare screens in the admin
        user.save(update_fields=["is_staff"])

    from .tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(membership_id=membership.pk))
    return membership
