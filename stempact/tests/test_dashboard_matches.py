"""The dashboard tells each side where matching stands: the adviser sees each school's mentor, the school and the
company see a proposal waiting for them."""

import pytest
from django.urls import reverse

from matching import decisions
from matching.tests.helpers import profile
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db


def dashboard(world, role):
    return client_for(world.users[role]).get(reverse("dashboard")).content.decode()


@pytest.fixture
def proposal(world):
    profile(world.company, world.edition, capacity=2)
    participation = world.school.participations.get(edition=world.edition)
    return decisions.match_propose(participation=participation, company=world.company, by=None)


def test_before_any_proposal_the_adviser_is_invited_to_find_a_mentor_and_nobody_is_waiting(world):
    assert "Mentorbedrijf zoeken" in dashboard(world, "adviser")
    assert "Wacht op jouw aanvaarding" not in dashboard(world, "company")
    assert "als jullie mentorbedrijf" not in dashboard(world, "own_school")


def test_a_proposal_waits_for_the_school_and_the_company_until_each_accepted(world, proposal):
    assert "Voorgesteld: BASF Antwerpen" in dashboard(world, "adviser")
    school = dashboard(world, "own_school")
    assert "Jullie Voka-adviseur stelt BASF Antwerpen voor als jullie mentorbedrijf." in school
    assert "Voorstel bekijken en aanvaarden" in school
    company = dashboard(world, "company")
    assert "BASF Antwerpen is voorgesteld als mentor van GO! Koninklijk Atheneum Antwerpen." in company
    assert "Voorgesteld" not in dashboard(world, "other_school")

    decisions.match_accept(match=proposal, by=None, side="school")
    assert "Jullie hebben aanvaard; nu is het bedrijf aan zet." in dashboard(world, "own_school")
    assert "Wacht op jouw aanvaarding" in dashboard(world, "company")


def test_once_active_the_adviser_sees_the_mentor_and_the_school_its_mentor(world, proposal):
    decisions.match_accept(match=proposal, by=None, side="school")
    decisions.match_accept(match=proposal, by=None, side="company")

    adviser = dashboard(world, "adviser")
    assert "Voorgesteld: BASF" not in adviser
    assert "<td>BASF Antwerpen</td>" in adviser
    assert "Jullie mentorbedrijf: BASF Antwerpen." in dashboard(world, "own_school")
    assert "Wacht op jouw aanvaarding" not in dashboard(world, "company")
