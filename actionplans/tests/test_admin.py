"""The admin of the action plans: the log of deadline reminders is there to read, not to change."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from actionplans.models import PlanReminder
from partners.models import Participation
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder(world) -> PlanReminder:
    return PlanReminder.objects.create(
        participation=Participation.objects.get(edition=world.edition, school=world.school),
        kind=PlanReminder.Kind.DAYS_14,
        deadline=dt.date(2027, 4, 30),
        recipients=["tac@atheneum.be", "hr@basf.be"],
    )


@pytest.fixture
def staff(world):
    """The coordinator and the adviser, both with admin access (is_staff): only the coordinator's role counts."""
    for role in ("coordinator", "adviser"):
        world.users[role].is_staff = True
        world.users[role].save()
    return world


def test_coordinators_read_the_sent_reminders_in_the_admin(staff, reminder):
    client = client_for(staff.users["coordinator"])
    listing = client.get(reverse("admin:actionplans_planreminder_changelist"))
    assert listing.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", listing.content.decode()))
    assert "GO! Koninklijk Atheneum Antwerpen - STEMpact 2026-2027 14 dagen voor de deadline 30 april 2027" in text
    detail = client.get(reverse("admin:actionplans_planreminder_change", args=[reminder.pk]))
    assert detail.status_code == 200
    assert "tac@atheneum.be" in detail.content.decode()
    assert 'name="deadline"' not in detail.content.decode()  # shown, not editable
    assert 'name="_save"' not in detail.content.decode()


def test_nobody_adds_changes_or_removes_a_sent_reminder_in_the_admin(staff, reminder):
    client = client_for(staff.users["coordinator"])
    change = reverse("admin:actionplans_planreminder_change", args=[reminder.pk])
    assert client.get(reverse("admin:actionplans_planreminder_add")).status_code == 403
    assert client.post(change, {"kind": "3_days", "deadline": "2027-05-15"}).status_code == 403
    assert client.post(reverse("admin:actionplans_planreminder_delete", args=[reminder.pk])).status_code == 403
    reminder.refresh_from_db()
    assert (reminder.kind, reminder.deadline) == ("14_days", dt.date(2027, 4, 30))


def test_other_staff_do_not_see_the_reminders(staff, reminder):
    response = client_for(staff.users["adviser"]).get(reverse("admin:actionplans_planreminder_changelist"))
    assert response.status_code == 403
