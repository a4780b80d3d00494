"""Who may do what with a measurement. Visibility itself is Measurement.objects.visible_to(user) (404 outside it).

- school members fill in and submit their own school's measurement while it is a draft (and may keep editing a
  submitted one until the adviser finalises it);
- advisers of the school's region (and coordinators) record the conversation, advise, agree the focus elements and
  finalise;
- coordinators reopen a finalised measurement and configure the edition;
- jurors, companies and other schools see nothing of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from partners.models import Participation, User

    from .models import Measurement


def _is_school_member(user: User, measurement: Measurement) -> bool:
    return measurement.participation.school_id in user.school_ids


def _is_regional_adviser(user: User, measurement: Measurement) -> bool:
    return measurement.participation.school.region_id in user.adviser_region_ids


def can_view_measurement(user: User, measurement: Measurement) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_coordinator or _is_school_member(user, measurement) or _is_regional_adviser(user, measurement)


def can_edit_assessments(user: User, measurement: Measurement) -> bool:
    """Levels, practice, improvement points and evidence."""
    return not measurement.is_locked and can_view_measurement(user, measurement)


def can_submit_measurement(user: User, measurement: Measurement) -> bool:
    return measurement.status == "draft" and (user.is_coordinator or _is_school_member(user, measurement))


def can_review_measurement(user: User, measurement: Measurement) -> bool:
    """Record who was present, write advice, agree focus elements, finalise."""
    if measurement.is_locked or not (user.is_authenticated and user.is_active):
        return False
    return user.is_coordinator or _is_regional_adviser(user, measurement)


def can_reopen_measurement(user: User, measurement: Measurement) -> bool:
    return measurement.is_locked and user.is_authenticated and user.is_active and user.is_coordinator


def can_start_measurement(user: User, participation: Participation) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_coordinator
        or participation.school_id in user.school_ids
        or participation.school.region_id in user.adviser_region_ids
    )


def can_configure_baseline(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_coordinator


def navigation_for(user: User) -> list[dict[str, str]]:
    """Menu entries of the baseline app: the measurements list for advisers and coordinators."""
    if user.is_coordinator or user.is_adviser:
        return [{"label": _("Measurements"), "url": reverse("baseline:measurement-list")}]
    return []
