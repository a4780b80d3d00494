"""Role matrix for every page and endpoint of the partners app: who gets what, and nothing leaks."""

import pytest
from django.urls import reverse

from partners.tests.roles import ROLES, check_role_matrix

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous users are sent to the login page
A_ROLE = dict.fromkeys(ROLES, 200)


def matrix(**overrides: int) -> dict[str, int]:
    return {**A_ROLE, **overrides}


def test_dashboard_is_open_to_every_role_and_closed_to_anonymous(world):
    check_role_matrix(world, lambda c: c.get(reverse("dashboard")), matrix(anonymous=LOGIN))


def test_school_list_is_for_coordinators_and_advisers(world):
    expected = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "adviser": 200, "adviser_other_region": 200}
    expected["coordinator"] = 200
    check_role_matrix(world, lambda c: c.get(reverse("partners:school-list")), expected)


def test_school_detail_is_visible_to_own_school_its_regional_adviser_and_coordinator(world):
    url = reverse("partners:school-detail", args=[world.school.pk])
    expected = {role: 404 for role in ROLES} | {
        "anonymous": LOGIN,
        "own_school": 200,
        "adviser": 200,
        "coordinator": 200,
    }
    check_role_matrix(world, lambda c: c.get(url), expected)


def test_company_detail_is_visible_to_own_members_advisers_and_coordinator(world):
    url = reverse("partners:company-detail", args=[world.company.pk])
    expected = {role: 404 for role in ROLES} | {
        "anonymous": LOGIN,
        "company": 200,
        "adviser": 200,
        "adviser_other_region": 200,
        "coordinator": 200,
    }
    check_role_matrix(world, lambda c: c.get(url), expected)


def test_other_company_is_hidden_from_a_company_member(world):
    url = reverse("partners:company-detail", args=[world.other_company.pk])
    expected = {role: 404 for role in ROLES} | {
        "anonymous": LOGIN,
        "adviser": 200,
        "adviser_other_region": 200,
        "coordinator": 200,
    }
    check_role_matrix(world, lambda c: c.get(url), expected)


@pytest.mark.parametrize(
    "name", ["partners:company-list", "partners:import", "partners:user-list", "partners:user-invite"]
)
def test_management_pages_are_closed_to_non_coordinators(world, name):
    expected = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "coordinator": 200}
    if name == "partners:company-list":
        expected |= {"adviser": 200, "adviser_other_region": 200}
    check_role_matrix(world, lambda c: c.get(reverse(name)), expected)


def test_school_api_detail_follows_the_same_scope_as_the_page(world):
    url = reverse("school-detail", args=[world.school.pk])
    expected = {role: 404 for role in ROLES} | {
        "anonymous": 403,
        "own_school": 200,
        "adviser": 200,
        "coordinator": 200,
    }
    check_role_matrix(world, lambda c: c.get(url), expected)


def test_company_api_detail_follows_the_same_scope_as_the_page(world):
    url = reverse("company-detail", args=[world.company.pk])
    expected = {role: 404 for role in ROLES} | {
        "anonymous": 403,
        "company": 200,
        "adviser": 200,
        "adviser_other_region": 200,
        "coordinator": 200,
    }
    check_role_matrix(world, lambda c: c.get(url), expected)


def test_edition_api_is_readable_by_every_signed_in_role(world):
    url = reverse("edition-detail", args=[world.edition.slug])
    check_role_matrix(world, lambda c: c.get(url), matrix(anonymous=403))


def _names(response) -> list[str]:
    return sorted(item["name"] for item in response.json()["results"])


@pytest.mark.parametrize(
    ("role", "schools"),
    [
        ("own_school", ["GO! Koninklijk Atheneum Antwerpen"]),
        ("other_school", ["Technicum Antwerpen"]),
        ("adviser", ["GO! Koninklijk Atheneum Antwerpen", "Technicum Antwerpen"]),
        ("adviser_other_region", ["Katholiek Secundair Onderwijs Mol"]),
        ("company", []),
        ("juror", []),
        (
            "coordinator",
            ["GO! Koninklijk Atheneum Antwerpen", "Katholiek Secundair Onderwijs Mol", "Technicum Antwerpen"],
        ),
    ],
)
def test_school_api_list_shows_each_role_exactly_its_schools(world, role, schools):
    from partners.tests.roles import client_for

    response = client_for(world.users[role]).get(reverse("school-list"))
    assert _names(response) == schools


@pytest.mark.parametrize(
    ("role", "companies"),
    [
        ("company", ["BASF Antwerpen"]),
        ("own_school", []),
        ("juror", []),
        ("adviser", ["BASF Antwerpen", "Umicore"]),
        ("coordinator", ["BASF Antwerpen", "Umicore"]),
    ],
)
def test_company_api_list_shows_each_role_exactly_its_companies(world, role, companies):
    from partners.tests.roles import client_for

    response = client_for(world.users[role]).get(reverse("company-list"))
    assert _names(response) == companies


def test_adviser_school_list_page_shows_only_their_region(world):
    from partners.tests.roles import client_for

    response = client_for(world.users["adviser_other_region"]).get(reverse("partners:school-list"))
    assert [s.name for s in response.context["page"].object_list] == ["Katholiek Secundair Onderwijs Mol"]
    assert "Technicum Antwerpen" not in response.text


def test_inactive_user_sees_nothing(world):
    from partners.models import School

    user = world.users["coordinator"]
    user.is_active = False
    user.save()
    assert list(School.objects.visible_to(user)) == []
