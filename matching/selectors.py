"""Reads of the matching pages and API that check scope on the way (shared, so both answer the same)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partners.models import Edition, Participation, School

from .models import Match
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


def mentor_matches(*, participation_ids: Sequence[int]) -> dict[int, Match]:
    """Per participation, its mentor match as the dashboards show it: the active one, else the newest open proposal
    (one query for all)."""
    found: dict[int, Match] = {}
    matches = (
        Match.objects.filter(
            participation_id__in=participation_ids, status__in=[Match.Status.ACTIVE, Match.Status.PROPOSED]
        )
        .select_related("company")
        .order_by("-created_at", "-pk")
    )
    for match in matches:
        current = found.get(match.participation_id)
        if current is None or (match.status == Match.Status.ACTIVE and current.status != Match.Status.ACTIVE):
            found[match.participation_id] = match
    return found


def matches_waiting_for_companies(*, company_ids: Iterable[int], edition: Edition) -> list[Match]:
    """The open proposals of the edition that the companies have not accepted yet, by school name."""
    return list(
        Match.objects.filter(
            company_id__in=company_ids,
            participation__edition=edition,
            status=Match.Status.PROPOSED,
            company_accepted_at__isnull=True,
        )
        .select_related("participation__school", "company")
        .order_by("participation__school__name")
    )
