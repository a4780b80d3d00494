"""What each person sees on the pages: dashboard per role, lists with search and filters, invitations."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Membership, Participation, Role, User
from partners.tests import factories as f
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db


DUTCH_COORDINATOR_MENU = [
    "Dashboard",
    "Scholen",
    "Bedrijven",
    "Metingen",
    "Koppelingen",
    "Actieplannen",
    "Lerende netwerken",
    "Importeren",
    "Gebruikers",
]


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


def test_coordinator_dashboard_shows_edition_counts_and_management_links(world):
    response = client_for(world.users["coordinator"]).get(reverse("dashboard"))
    assert response.context["coordinator"]["participating"] == 3
    assert nav_labels(response) == DUTCH_COORDINATOR_MENU
    status_bars = {bar.label: bar.value for bar in response.context["coordinator"]["status_chart"].bars}
    assert status_bars["Ingeschreven"] == 3
    assert "<svg" in response.text


def test_school_member_dashboard_shows_own_school_and_next_step_only(world):
    response = client_for(world.users["own_school"]).get(reverse("dashboard"))
    assert [p.school for p in response.context["school_member"]["participations"]] == [world.school]
    assert "Technicum Antwerpen" not in response.text
    assert nav_labels(response) == ["Dashboard", "GO! Koninklijk Atheneum Antwerpen", "Koppelingen", "Actieplan"]
    assert "coordinator" not in response.context


def test_company_member_sees_own_company_and_the_not_yet_coupled_empty_state(world):
    response = client_for(world.users["company"]).get(reverse("dashboard"))
    assert response.context["company_member"]["companies"] == [world.company]
    assert nav_labels(response) == ["Dashboard", "BASF Antwerpen", "Koppelingen", "Actieplan"]


def test_adviser_dashboard_lists_the_schools_of_their_region_only(world):
    response = client_for(world.users["adviser"]).get(reverse("dashboard"))
    assert [p.school.name for p in response.context["adviser"]["participations"]] == [
        "GO! Koninklijk Atheneum Antwerpen",
        "Technicum Antwerpen",
    ]
    assert "Katholiek Secundair Onderwijs Mol" not in response.text


def test_juror_dashboard_says_when_scoring_opens(world):
    response = client_for(world.users["juror"]).get(reverse("dashboard"))
    assert nav_labels(response) == ["Dashboard", "Actieplannen"]
    assert "juror" in response.context
    assert "1 mei 2027" in response.text  # Dutch by default


def test_user_without_role_is_told_whom_to_ask(db):
    response = client_for(f.UserFactory()).get(reverse("dashboard"))
    assert response.context["has_role"] is False


def test_interface_is_dutch_even_for_an_english_browser_and_english_on_request(world):
    client = client_for(world.users["coordinator"])
    dutch = client.get(reverse("dashboard"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert nav_labels(dutch) == DUTCH_COORDINATOR_MENU
    assert '<html lang="nl"' in dutch.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("dashboard"))
    assert nav_labels(english) == [
        "Dashboard",
        "Schools",
        "Companies",
        "Measurements",
        "Matches",
        "Action plans",
        "Learning networks",
        "Import",
        "Users",
    ]
    assert '<html lang="en"' in english.text


def test_pages_carry_a_content_security_policy_with_a_nonce_on_scripts(world):
    response = client_for(world.users["coordinator"]).get(reverse("dashboard"))
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in response.text
    assert "'unsafe-inline'" not in policy


def test_school_list_searches_by_name_and_filters_by_region_and_study_area(world):
    client = client_for(world.users["coordinator"])
    world.school.study_areas.set([_area("chemie")])
    by_name = client.get(reverse("partners:school-list"), {"q": "technicum"})
    assert [s.name for s in by_name.context["page"].object_list] == ["Technicum Antwerpen"]
    by_region = client.get(reverse("partners:school-list"), {"region": "limburg"})
    assert [s.name for s in by_region.context["page"].object_list] == ["Katholiek Secundair Onderwijs Mol"]
    by_area = client.get(reverse("partners:school-list"), {"study_area": "chemie"})
    assert [s.name for s in by_area.context["page"].object_list] == ["GO! Koninklijk Atheneum Antwerpen"]
    nothing = client.get(reverse("partners:school-list"), {"q": "zzz"})
    assert "Geen enkele school voldoet aan deze filters." in nothing.text


def test_school_list_filters_on_status_in_the_edition(world):
    Participation.objects.filter(school=world.other_school).update(status=Participation.Status.MATCHED)
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("partners:school-list"), {"edition": world.edition.slug, "status": "matched"})
    assert [s.name for s in response.context["page"].object_list] == ["Technicum Antwerpen"]


def test_school_list_htmx_request_returns_only_the_results_fragment(world):
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("partners:school-list"), {"q": "mol"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "Katholiek Secundair Onderwijs Mol" in response.text


def test_company_list_finds_by_enterprise_number_and_study_area(world):
    from partners.models import CompanyActivity, NaceDivision

    CompanyActivity.objects.create(
        company=world.company, nace_code="20.141", division=NaceDivision.objects.get(code="20")
    )
    client = client_for(world.users["adviser"])
    number = world.company.enterprise_number_display
    by_number = client.get(reverse("partners:company-list"), {"q": number})
    assert [c.name for c in by_number.context["page"].object_list] == ["BASF Antwerpen"]
    by_area = client.get(reverse("partners:company-list"), {"study_area": "chemie"})
    assert [c.name for c in by_area.context["page"].object_list] == ["BASF Antwerpen"]


def _area(slug):
    from partners.models import StudyArea

    return StudyArea.objects.get(slug=slug)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("partners:school-list", lambda i: f.SchoolFactory(name=f"School {i}")),
        ("partners:company-list", lambda i: f.CompanyFactory(name=f"Company {i}")),
        ("school-list", lambda i: f.SchoolFactory(name=f"School {i}")),
        ("company-list", lambda i: f.CompanyFactory(name=f"Company {i}")),
        ("partners:user-list", lambda i: f.school_member(f.SchoolFactory(name=f"School {i}"))),
    ],
)
def test_lists_use_the_same_number_of_queries_for_one_and_for_three_items(db, url_name, make):
    user = f.coordinator()
    client = client_for(user)
    area = _area("ict")

    def add(i):
        obj = make(i)
        if hasattr(obj, "study_areas"):
            obj.study_areas.add(area)

    add(0)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    add(1)
    add(2)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(three) == len(one)


def test_coordinator_invites_a_school_member_who_sets_a_password_and_lands_on_their_dashboard(
    world, django_capture_on_commit_callbacks
):
    coordinator = client_for(world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("partners:user-invite"),
            {
                "email": "An.Peeters@Atheneum.be",
                "first_name": "An",
                "last_name": "Peeters",
                "role": Role.SCHOOL,
                "school": world.school.pk,
                "function": "director",
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="an.peeters@atheneum.be")
    assert not invited.has_usable_password()
    assert [(m.role, m.school) for m in invited.memberships.all()] == [(Role.SCHOOL, world.school)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an.peeters@atheneum.be"]
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]

    from django.test import Client

    newcomer = Client()
    form_page = newcomer.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = newcomer.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Stem-pact-2027!", "new_password2": "Stem-pact-2027!"},
        follow=True,
    )
    assert done.context["user"] == invited
    assert [p.school for p in done.context["school_member"]["participations"]] == [world.school]


def test_invite_form_requires_the_scope_of_the_role(world):
    response = client_for(world.users["coordinator"]).post(
        reverse("partners:user-invite"),
        {"email": "x@example.be", "first_name": "X", "last_name": "Y", "role": Role.ADVISER},
    )
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.be").exists()
    assert mail.outbox == []


def test_inviting_an_existing_person_adds_the_role_without_a_second_account(world):
    person = world.users["company"]
    client_for(world.users["coordinator"]).post(
        reverse("partners:user-invite"),
        {
            "email": person.email.upper(),
            "first_name": "Other",
            "last_name": "Name",
            "role": Role.JUROR,
            "edition": world.edition.pk,
        },
    )
    assert User.objects.filter(email__iexact=person.email).count() == 1
    assert sorted(m.role for m in Membership.objects.filter(user=person)) == [Role.COMPANY, Role.JUROR]


def test_api_schema_and_docs_are_served_without_a_cdn(world):
    client = client_for(world.users["coordinator"])
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert "/api/v1/schools/" in schema.json()["paths"]
    docs = client.get(reverse("api-docs"))
    assert "cdn" not in docs.text.lower()
    assert "/static/drf_spectacular_sidecar/" in docs.text


def test_api_accepts_token_authentication(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=world.users["own_school"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(reverse("school-list"))
    assert [s["name"] for s in response.json()["results"]] == ["GO! Koninklijk Atheneum Antwerpen"]


def test_health_check_answers_ok(client, db):
    response = client.get(reverse("healthz"))
    assert response.content == b"ok"


def test_login_page_is_served_to_anonymous_visitors(client, db):
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert 'autocomplete="current-password"' in response.text


def test_coordinator_without_model_permissions_manages_editions_in_the_admin(world):
    coordinator = world.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    client = client_for(coordinator)
    assert client.get(reverse("admin:partners_edition_changelist")).status_code == 200
    assert client.get(reverse("admin:partners_school_change", args=[world.school.pk])).status_code == 200


def test_staff_adviser_cannot_use_the_partners_admin(world):
    adviser = world.users["adviser"]
    adviser.is_staff = True
    adviser.save()
    assert client_for(adviser).get(reverse("admin:partners_edition_changelist")).status_code == 403


def test_coordinator_uploads_the_example_files_and_sees_what_was_imported(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.models import Company, School

    examples = settings.BASE_DIR / "docs" / "examples"
    schools_before, companies_before = School.objects.count(), Company.objects.count()
    response = client_for(world.users["coordinator"]).post(
        reverse("partners:import"),
        {
            "schools": SimpleUploadedFile("scholen.csv", (examples / "schools.csv").read_bytes()),
            "companies": SimpleUploadedFile("bedrijven.csv", (examples / "companies.csv").read_bytes()),
        },
        follow=True,
    )
    added_schools = School.objects.count() - schools_before
    added_companies = Company.objects.count() - companies_before
    assert (added_schools, added_companies) > (0, 0)
    [message] = [str(m) for m in response.context["messages"]]
    assert f"{added_schools}" in message and f"{added_companies}" in message


def test_an_upload_with_one_bad_row_imports_nothing_and_names_the_row(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.models import School

    before = School.objects.count()
    content = (
        b"name,street,postcode,municipality,region,study_areas\n"
        b"VTI Torhout,Sint-Jozefstraat 1,8820,Torhout,west-vlaanderen,elektriciteit\n"
        b"Nergensschool,Straat 1,9999,Nergens,west-vlaanderen,chemie\n"
    )
    response = client_for(world.users["coordinator"]).post(
        reverse("partners:import"), {"schools": SimpleUploadedFile("scholen.csv", content)}
    )
    assert response.status_code == 400
    assert [(e.file, e.row, e.column) for e in response.context["errors"]] == [("schools", 3, "postcode")]
    assert School.objects.count() == before
