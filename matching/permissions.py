"""Who may do what in matching (koppeling). Visibility itself is `matches_visible_to(user)` (404 outside it).

- coordinators and the advisers of the school's region rank companies for a school, propose, reject, exclude a
  pair and record that no match was found;
- a school member accepts the school's side of a proposed match, a company member the company's side;
- jurors see nothing of matching.

The pages and the API share these predicates (and `matching.selectors` for fetching a school to decide on), so the
two cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partners.models import Region

from .models import Match

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from partners.models import Participation, User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_rank_for(user: User, participation: Participation) -> bool:
    """See the ranking of mentor companies for a school (scores of every company)."""
    if not _active(user):
        return False
    return user.is_coordinator or participation.school.region_id in user.adviser_region_ids


def can_decide(user: User, participation: Participation) -> bool:
    """Propose, reject, exclude a pair, record no match."""
    return can_rank_for(user, participation)


def can_accept_as_school(user: User, match: Match) -> bool:
    return _active(user) and match.participation.school_id in user.school_ids


def can_accept_as_company(user: User, match: Match) -> bool:
    return _active(user) and match.company_id is not None and match.company_id in user.company_ids


def can_accept_now(user: User, match: Match, side: str) -> bool:
    """The user may accept `side` ("school" or "company") of the match now: the match is an open proposal, that side
    has not accepted yet, and the user belongs to it."""
    if match.status != Match.Status.PROPOSED:
        return False
    if side == "school":
        return match.school_accepted_at is None and can_accept_as_school(user, match)
    if side == "company":
        return match.company_accepted_at is None and can_accept_as_company(user, match)
    return False


def open_side(user: User, match: Match) -> str:
    """The side the user can accept now, the school's first; "" when there is nothing for them to accept."""
    return next((side for side in ("school", "company") if can_accept_now(user, match, side)), "")


def accept_side(user: User, match: Match, wanted: str) -> str | None:
    """The side the user accepts for: the one asked for if allowed, else the only one allowed; None if none.

    Allowed means the user belongs to that side (accepting a side twice is harmless: the decision ignores it)."""
    allowed = [
        side
        for side, ok in (("school", can_accept_as_school(user, match)), ("company", can_accept_as_company(user, match)))
        if ok
    ]
    if wanted:
        return wanted if wanted in allowed else None
    return allowed[0] if allowed else None


def can_make_decisions(user: User) -> bool:
    """The user's role decides on matches at all (coordinators, advisers): everyone else is refused (403) before a
    request is even read; which schools an adviser may decide on is `can_decide`."""
    return _active(user) and (user.is_coordinator or bool(user.adviser_region_ids))


def can_set_weights(user: User) -> bool:
    """Set an edition's matching weights: the central team only."""
    return _active(user) and user.is_coordinator


def can_run_assignment(user: User) -> bool:
    """Run the edition-wide assignment: coordinators, and advisers for the regions they advise."""
    return can_make_decisions(user)


def assignment_regions_for(user: User) -> QuerySet[Region] | None:
    """The regions the user may assign, by name; None: every region and the whole edition (coordinators)."""
    if user.is_coordinator:
        return None
    return Region.objects.filter(pk__in=user.adviser_region_ids).order_by("name")


def can_view_matches(user: User) -> bool:
    """The match list: the central team, advisers, school and company members (not jurors)."""
    if not _active(user):
        return False
    return user.is_coordinator or user.is_adviser or bool(user.school_ids) or bool(user.company_ids)


def matches_visible_to(user: User) -> QuerySet[Match]:
    """Coordinators all; advisers their region's; school and company members their own; everyone else none."""
    matches = Match.objects.all()
    if not _active(user):
        return matches.none()
    if user.is_coordinator:
        return matches
    scope = (
        Q(participation__school__region_id__in=user.adviser_region_ids)
        | Q(participation__school_id__in=user.school_ids)
        | Q(company_id__in=user.company_ids)
    )
    return matches.filter(scope)


def navigation_for(user: User) -> list[dict[str, str]]:
    """Menu entry of the matching app: the matches list, for everyone who has matches to see or accept."""
    if can_view_matches(user):
        return [{"label": _("Matches"), "url": reverse("matching:match-list")}]
    return []
