"""The mentor profile page: who may see and change a company's offer, what a new profile starts from, validation."""

import re

import pytest
from django.urls import reverse

from baseline.models import KeyElement
from matching import decisions
from matching.models import Match, MentorProfile
from matching.tests.helpers import profile
from partners.models import CompanyActivity, NaceDivision, StudyArea
from partners.tests import factories as f
from partners.tests.roles import check_role_matrix, client_for

pytestmark = pytest.mark.django_db


def profile_url(company, edition=None):
    if edition is None:
        return reverse("matching:mentor-profile", args=[company.pk])
    return reverse("matching:mentor-profile-edition", args=[company.pk, edition.slug])


def valid_post(**changes):
    data = {
        "offers": ["content", "pupil_internships"],
        "expertise_elements": [KeyElement.objects.get(number=6).pk],
        "study_areas": [StudyArea.objects.get(slug="chemie").pk],
        "hours_per_month": "12",
        "staff": "3",
        "capacity": "2",
        "multi_year": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def checked(response, name: str) -> set[str]:
    """The values of the ticked checkboxes called `name`, as the browser shows them."""
    inputs = re.findall(r"<input [^>]*>", response.text)
    return {
        re.search(r'value="([^"]*)"', tag)[1]
        for tag in inputs
        if f'name="{name}"' in tag and 'type="checkbox"' in tag and " checked" in tag
    }


def add_activity(company, code):
    CompanyActivity.objects.create(company=company, nace_code=code, division=NaceDivision.objects.get(code=code[:2]))


# --------------------------------------------------------------------------- role matrices


def test_profile_page_role_matrix(world):
    profile(world.company, world.edition)
    check_role_matrix(
        world,
        lambda client: client.get(profile_url(world.company)),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 404,
            "company": 200,
            "adviser_other_region": 200,
            "adviser": 200,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 200,
        },
    )


def test_saving_the_profile_role_matrix(world):
    check_role_matrix(
        world,
        lambda client: client.post(profile_url(world.company), valid_post()),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 404,
            "company": 302,
            "adviser_other_region": 403,
            "adviser": 403,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 302,
        },
    )
    assert MentorProfile.objects.filter(company=world.company, edition=world.edition).count() == 1


def test_a_company_member_cannot_see_or_change_another_companys_profile(world):
    profile(world.other_company, world.edition, capacity=3)
    client = client_for(world.users["company"])

    assert client.get(profile_url(world.other_company)).status_code == 404
    assert client.post(profile_url(world.other_company), valid_post(capacity="0")).status_code == 404
    assert MentorProfile.objects.get(company=world.other_company).capacity == 3


def test_an_adviser_reads_the_profile_without_a_form(world):
    profile(world.company, world.edition, capacity=2, hours=8, staff=2, elements=(6,), areas=("chemie",))

    response = client_for(world.users["adviser"]).get(profile_url(world.company))

    assert response.context["form"] is None
    assert '<form method="post"' not in response.text.split("<main", 1)[1]
    assert "Inhoud, Lesgeven" in response.text
    assert "6. Samenwerking" in response.text
    assert "Chemie" in response.text


def test_an_adviser_sees_that_a_company_without_profile_is_not_proposed(world):
    response = client_for(world.users["adviser"]).get(profile_url(world.company))

    assert "Dit bedrijf heeft nog geen mentorprofiel voor deze editie en wordt dus niet aan scholen voorgesteld." in (
        response.text
    )


# --------------------------------------------------------------------------- the form


def test_a_new_profile_starts_from_the_study_areas_of_the_nace_codes(world):
    add_activity(world.company, "20.141")  # chemical products -> chemie
    add_activity(world.company, "28.250")  # machinery -> mechanica, elektromechanica, ...
    expected = {str(area.pk) for area in StudyArea.objects.filter(nace_divisions__code__in=["20", "28"]).distinct()}

    response = client_for(world.users["company"]).get(profile_url(world.company))

    assert checked(response, "study_areas") == expected
    assert str(StudyArea.objects.get(slug="chemie").pk) in expected
    assert "De studiegebieden zijn ingevuld op basis van de NACE-codes van je bedrijf." in response.text
    assert "Bedrijven zonder mentorprofiel worden in deze editie niet aan scholen voorgesteld." in response.text


def test_an_existing_profile_shows_its_own_choices_not_the_nace_mapping(world):
    add_activity(world.company, "20.141")
    profile(world.company, world.edition, areas=("bouw",), elements=(2, 6))

    response = client_for(world.users["company"]).get(profile_url(world.company))

    assert checked(response, "study_areas") == {str(StudyArea.objects.get(slug="bouw").pk)}
    assert checked(response, "offers") == {"content", "teaching"}
    assert checked(response, "expertise_elements") == {
        str(pk) for pk in KeyElement.objects.filter(number__in=(2, 6)).values_list("pk", flat=True)
    }


def test_the_key_elements_are_offered_with_their_dutch_labels(world):
    response = client_for(world.users["company"]).get(profile_url(world.company))

    labels = [str(choice[1]) for choice in response.context["form"].fields["expertise_elements"].choices]
    assert labels == [
        "1. Onderwijsmethode",
        "2. Leerplan",
        "3. Evaluatie",
        "4. Professionalisering van het schoolpersoneel",
        "5. Leiderschap en cultuur",
        "6. Samenwerking",
        "7. Schoolinfrastructuur",
    ]
    assert "Stages voor leerkrachten" in response.text


def test_a_company_member_saves_the_profile_and_sees_it_on_the_company_page(world):
    client = client_for(world.users["company"])

    response = client.post(profile_url(world.company), valid_post(), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Mentorprofiel opgeslagen."]
    saved = MentorProfile.objects.get(company=world.company, edition=world.edition)
    assert (saved.offers, saved.hours_per_month, saved.staff, saved.capacity, saved.multi_year) == (
        ["content", "pupil_internships"],
        12,
        3,
        2,
        True,
    )
    assert [e.number for e in saved.expertise_elements.all()] == [6]
    assert [a.slug for a in saved.study_areas.all()] == ["chemie"]

    page = client.get(world.company.get_absolute_url()).text
    assert "Mentorprofiel" in page
    assert "Inhoud, Stages voor leerlingen" in page
    assert "Mentorprofiel wijzigen" in page
    assert profile_url(world.company, world.edition) in page


def test_saving_again_updates_the_one_profile(world):
    client = client_for(world.users["coordinator"])
    client.post(profile_url(world.company), valid_post())

    client.post(profile_url(world.company), valid_post(capacity="0", multi_year=None, offers=[]))

    saved = MentorProfile.objects.get(company=world.company)
    assert (saved.capacity, saved.multi_year, saved.offers) == (0, False, [])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": "21"}, "capacity", "Zorg ervoor dat deze waarde hoogstens 20 is."),
        ({"hours_per_month": "-1"}, "hours_per_month", "Zorg ervoor dat deze waarde minstens 0 is."),
        ({"staff": ""}, "staff", "Dit veld is vereist."),
        ({"offers": ["coffee"]}, "offers", "Selecteer een geldige keuze. coffee is geen beschikbare keuze."),
    ],
)
def test_an_invalid_value_is_named_in_the_form_and_nothing_is_saved(world, changes, field, message):
    response = client_for(world.users["company"]).post(profile_url(world.company), valid_post(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.text
    assert "Het profiel is niet opgeslagen: verbeter de aangeduide velden hieronder." in response.text
    assert not MentorProfile.objects.exists()


def test_key_elements_of_an_older_framework_are_refused(world):
    from baseline.models import Framework

    older = KeyElement.objects.get(number=6)
    newer = Framework.objects.create(slug="stem-label-v2", name="STEM School Label", version="2")
    KeyElement.objects.create(
        framework=newer, number=1, name="Didactiek", name_en="Didactics", short_name="Didactiek", short_name_en="Did."
    )

    response = client_for(world.users["company"]).post(
        profile_url(world.company), valid_post(expertise_elements=[older.pk])
    )

    assert response.status_code == 400
    assert response.context["form"].errors["expertise_elements"] == [
        f"Selecteer een geldige keuze. {older.pk} is geen beschikbare keuze."
    ]
    assert "1. Didactiek" in client_for(world.users["company"]).get(profile_url(world.company)).text


# --------------------------------------------------------------------------- editions


def test_the_profile_of_another_edition_is_kept_apart(world):
    earlier = f.EditionFactory(year=2025)
    profile(world.company, earlier, capacity=4)
    client = client_for(world.users["company"])

    client.post(profile_url(world.company, earlier), valid_post(capacity="5"))
    current = client.get(profile_url(world.company))

    assert MentorProfile.objects.get(edition=earlier).capacity == 5
    assert not MentorProfile.objects.filter(edition=world.edition).exists()
    assert current.context["edition"] == world.edition
    assert "STEMpact 2025-2026" in current.text  # the link to the other edition


def test_an_unknown_edition_is_not_found(world):
    url = reverse("matching:mentor-profile-edition", args=[world.company.pk, "1999-2000"])

    assert client_for(world.users["company"]).get(url).status_code == 404


# --------------------------------------------------------------------------- dashboard and company page


def test_the_dashboard_asks_a_company_without_profile_to_fill_it_in(world):
    response = client_for(world.users["company"]).get(reverse("dashboard"))

    assert "Vul je mentorprofiel in" in response.text
    assert profile_url(world.company, world.edition) in response.text


def test_the_dashboard_shows_a_filled_in_profile_with_a_link_to_change_it(world):
    profile(world.company, world.edition, capacity=2)

    response = client_for(world.users["company"]).get(reverse("dashboard"))

    assert "Vul je mentorprofiel in" not in response.text
    assert "Je mentorprofiel voor deze editie is ingevuld: je kunt 2 scholen begeleiden." in response.text
    assert "Mentorprofiel wijzigen" in response.text


def test_the_company_page_invites_members_to_fill_in_a_missing_profile_and_advisers_only_read(world):
    member_page = client_for(world.users["company"]).get(world.company.get_absolute_url()).text
    adviser_page = client_for(world.users["adviser"]).get(world.company.get_absolute_url()).text

    assert "Er is nog geen mentorprofiel voor deze editie." in member_page
    assert "Mentorprofiel invullen" in member_page
    assert "Er is nog geen mentorprofiel voor deze editie." in adviser_page
    assert "Mentorprofiel invullen" not in adviser_page


# --------------------------------------------------------------------------- code review (issue 4)


def test_a_capacity_below_the_matches_the_company_already_has_is_refused(world):
    profile(world.company, world.edition, capacity=3)
    for school in (world.school, world.other_school):
        participation = school.participations.get(edition=world.edition)
        decisions.match_propose(participation=participation, company=world.company, by=None)
    Match.objects.filter(participation__school=world.school).update(status=Match.Status.ACTIVE)
    client = client_for(world.users["company"])

    response = client.post(profile_url(world.company, world.edition), valid_post(capacity="1"))

    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "Je bedrijf heeft in deze editie al 2 voorgestelde of actieve koppelingen: kies een capaciteit van minstens 2."
    ]
    assert MentorProfile.objects.get(company=world.company).capacity == 3
    assert client.post(profile_url(world.company, world.edition), valid_post(capacity="2")).status_code == 302


def test_profile_form_errors_are_announced_with_their_field(world):
    response = client_for(world.users["company"]).post(
        profile_url(world.company, world.edition), valid_post(staff="-1", hours_per_month="x")
    )
    page = response.text
    assert response.status_code == 400
    assert 'aria-describedby="id_staff_error"' in page and 'id="id_staff_error"' in page
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    wanted = [i for value in re.findall(r'aria-describedby="([^"]+)"', page) for i in value.split()]
    assert [i for i in wanted if i not in ids] == []
