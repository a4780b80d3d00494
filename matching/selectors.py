"""Reads of the matching pages and API that check scope on the way (shared, so both answer the same)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partners.models import Participation, School

from .permissions import can_rank_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from partners.models import User


def participation_for_decider(user: User | AnonymousUser, participation_id: int) -> Participation:
    """The participation if the user may see its school (else Http404) and may rank and decide for it (else
    PermissionDenied: 403 on a page and in the API alike)."""
    participation = get_object_or_404(
        Participation.objects.select_related("school__region", "edition").filter(
            school__in=School.objects.visible_to(user)  # type: ignore[arg-type]
        ),
        pk=participation_id,
    )
    if not can_rank_for(user, participation):  # type: ignore[arg-type]
        raise PermissionDenied
    return participation
