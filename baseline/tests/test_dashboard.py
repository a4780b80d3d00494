"""The dashboard leads each role to the baseline measurement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baseline.tests.factories import filled_measurement, started_measurement
from partners.tests import factories as f
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db


def participation_of(world, school):
    return school.participations.get(edition=world.edition)


def test_school_member_starts_the_self_assessment_from_the_dashboard(world):
    client = client_for(world.users["own_school"])
    page = client.get(reverse("dashboard"))
    start_url = reverse("baseline:measurement-start", args=[participation_of(world, world.school).pk])
    assert start_url in page.text
    response = client.post(start_url, follow=True)
    measurement = world.school.participations.get().measurements.get()
    assert response.redirect_chain[-1][0] == measurement.get_absolute_url()
    page = client.get(reverse("dashboard"))
    assert "0 van 21 criteria ingevuld" in page.text
    assert start_url not in page.text


def test_adviser_dashboard_shows_each_schools_measurement_progress_in_constant_queries(world):
    client = client_for(world.users["adviser"])
    started_measurement(participation_of(world, world.school))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    filled_measurement(participation_of(world, world.other_school), finalise=True)
    for i in range(2):
        school = f.SchoolFactory(name=f"Extra school {i}")
        started_measurement(f.ParticipationFactory(edition=world.edition, school=school))
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("dashboard"))
    assert len(three) == len(one)
    assert "Afgerond door de adviseur" in page.text
    assert page.text.count("0 van 21 criteria ingevuld") == 3


def test_coordinator_dashboard_links_to_the_edition_settings_and_averages(world):
    page = client_for(world.users["coordinator"]).get(reverse("dashboard"))
    assert reverse("baseline:edition-settings", args=[world.edition.slug]) in page.text
    assert reverse("baseline:edition-averages", args=[world.edition.slug]) in page.text
