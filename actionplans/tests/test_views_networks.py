"""The learning-network pages: sessions per region, planning them, and the attendance grid (who may do what, what
each person sees, what is saved)."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services
from actionplans.models import Attendance, LearningNetworkSession
from actionplans.tests.factories import active_match
from matching.models import Match
from partners.models import Participation
from partners.tests import factories as f
from partners.tests.roles import ROLES, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous people are sent to the login page
HTMX = {"HTTP_HX_REQUEST": "true"}
SESSIONS_URL = reverse("actionplans:network-sessions")


def expected(**statuses: int) -> dict[str, int]:
    """Outside the region's scope 404 (advisers of other regions, jurors); anonymous people the login page."""
    return {role: 404 for role in ROLES} | {"anonymous": LOGIN} | statuses


#: School and company members of the region see its sessions but do not manage them.
MEMBERS_FORBIDDEN = {"other_school": 403, "own_school": 403, "company": 403}


def plan(world, kind="method", region=None, day=dt.date(2027, 1, 20), notes="") -> LearningNetworkSession:
    region = region or world.school.region
    return services.session_create(
        edition=world.edition,
        region=region,
        kind=kind,
        date=day,
        place=f"Voka {region.name}, Brouwersvliet 5",
        notes=notes,
        by=world.users["adviser"],
    )


def participation_of(world, school=None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


def text(response) -> str:
    """The page's text with tags removed and white space collapsed, as a person reads it."""
    content = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(content.split())


def checked(response, party: str) -> bool:
    match = re.search(rf'<input type="checkbox" id="present-{party}"[^>]*>', response.content.decode())
    assert match, f"no checkbox for {party}"
    return "checked" in match.group(0)


def create_url(world, region="antwerpen-waasland") -> str:
    return reverse("actionplans:network-session-create", args=[world.edition.slug, region])


def session_data(**overrides: str) -> dict[str, str]:
    return {"kind": "method", "date": "2027-01-20", "place": "Voka Antwerpen, Brouwersvliet 5", "notes": ""} | overrides


# --------------------------------------------------------------------------- sessions page


def test_sessions_page_role_matrix(world, match):
    plan(world)
    check_role_matrix(
        world,
        lambda client: client.get(SESSIONS_URL),
        {role: 200 for role in ROLES} | {"anonymous": LOGIN, "juror": 403, "juror_with_conflict": 403},
    )


def test_the_adviser_sees_the_regions_sessions_with_attendance_counts_and_can_plan(world, match):
    method = plan(world, notes="Breng je laptop mee")
    plan(world, region=f.region("limburg"))
    services.attendance_set(session=method, by=None, present=True, participation=participation_of(world))
    services.attendance_set(session=method, by=None, present=True, company=world.company)

    page = text(client_for(world.users["adviser"]).get(SESSIONS_URL))

    assert "Antwerpen-Waasland 2 deelnemende scholen · 1 mentorbedrijf" in page
    assert (
        "Methodiek woensdag 20 januari 2027 Voka Antwerpen-Waasland, Brouwersvliet 5 Breng je laptop mee "
        "1 van 2 scholen 1 van 1 mentorbedrijf Aanwezigheid registreren Wijzigen"
    ) in page
    assert "Inspireren Nog niet gepland" in page
    assert "Ervaringsuitwisseling Nog niet gepland" in page
    assert "Een sessie plannen in Antwerpen-Waasland" in page
    assert "Limburg" not in page


def test_the_coordinator_sees_every_region(world):
    plan(world, region=f.region("limburg"))
    response = client_for(world.users["coordinator"]).get(SESSIONS_URL)
    headings = re.findall(r'<h2 id="region-[a-z-]+-heading">([^<]+)</h2>', response.content.decode())
    assert headings == [
        "Antwerpen-Waasland",
        "Limburg",
        "Mechelen-Kempen",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "West-Vlaanderen",
    ]
    assert "Een sessie plannen in West-Vlaanderen" in text(response)


def test_school_and_company_see_their_regions_sessions_read_only_and_whether_they_were_there(world, match):
    method = plan(world, notes="Interne notitie voor de adviseurs")
    plan(world, "inspiration", day=dt.date(2027, 2, 24))
    plan(world, region=f.region("limburg"), day=dt.date(2027, 1, 21))
    services.attendance_set(session=method, by=None, present=True, participation=participation_of(world))
    services.attendance_set(session=method, by=None, present=False, company=world.company)

    school_page = text(client_for(world.users["own_school"]).get(SESSIONS_URL))
    company_page = text(client_for(world.users["company"]).get(SESSIONS_URL))
    other_school_page = text(client_for(world.users["other_school"]).get(SESSIONS_URL))

    assert "Methodiek woensdag 20 januari 2027 Voka Antwerpen-Waasland, Brouwersvliet 5 Aanwezig" in school_page
    assert "Inspireren woensdag 24 februari 2027 Voka Antwerpen-Waasland, Brouwersvliet 5 Nog niet geregistreerd" in (
        school_page
    )
    assert "Methodiek woensdag 20 januari 2027 Voka Antwerpen-Waasland, Brouwersvliet 5 Niet aanwezig" in company_page
    assert "Methodiek woensdag 20 januari 2027 Voka Antwerpen-Waasland, Brouwersvliet 5 Nog niet geregistreerd" in (
        other_school_page
    )
    for page in (school_page, company_page, other_school_page):
        assert "Interne notitie" not in page
        assert "Een sessie plannen" not in page
        assert "Aanwezigheid registreren" not in page
        assert "Limburg" not in page
        assert "21 januari 2027" not in page


def test_the_adviser_of_another_region_sees_only_that_region(world, match):
    plan(world)
    plan(world, region=f.region("limburg"), day=dt.date(2027, 1, 21))
    page = text(client_for(world.users["adviser_other_region"]).get(SESSIONS_URL))
    assert "Limburg 1 deelnemende school · 0 mentorbedrijven" in page
    assert "Methodiek donderdag 21 januari 2027" in page
    assert "Antwerpen-Waasland" not in page


def test_empty_states_say_what_to_do(world, match):
    adviser_page = text(client_for(world.users["adviser"]).get(SESSIONS_URL))
    assert "Nog geen sessies gepland in deze regio. Plan hieronder de drie sessies" in adviser_page

    school_page = text(client_for(world.users["own_school"]).get(SESSIONS_URL))
    assert "Nog geen sessies gepland in jouw regio. De Voka-adviseur plant ze" in school_page

    coordinator_page = text(client_for(world.users["coordinator"]).get(SESSIONS_URL))
    assert (
        "West-Vlaanderen 0 deelnemende scholen · 0 mentorbedrijven Nog geen sessies gepland in deze regio. "
        "Plan hieronder de drie sessies – Methodiek, Inspireren en Ervaringsuitwisseling – met hun datum en plaats. "
        "Nog geen school uit deze regio neemt deel aan deze editie"
    ) in coordinator_page

    # A company that mentors no school yet has no region to look at.
    unmatched = f.company_member(world.other_company)
    assert "Geen sessies voor jou in deze editie" in text(client_for(unmatched).get(SESSIONS_URL))


def test_another_editions_sessions_are_on_its_own_page(world):
    plan(world)
    later = f.EditionFactory(year=2027)
    f.ParticipationFactory(edition=later, school=world.school)
    services.session_create(
        edition=later, region=world.school.region, kind="exchange", date=dt.date(2028, 3, 8), by=None
    )
    client = client_for(world.users["adviser"])

    first = text(client.get(reverse("actionplans:network-sessions-edition", args=[world.edition.slug])))
    second = text(client.get(reverse("actionplans:network-sessions-edition", args=[later.slug])))

    assert "Methodiek woensdag 20 januari 2027" in first
    assert "8 maart 2028" not in first
    assert "Ervaringsuitwisseling woensdag 8 maart 2028" in second
    assert "20 januari 2027" not in second
    assert client.get(reverse("actionplans:network-sessions-edition", args=["geen-editie"])).status_code == 404


def test_sessions_page_reads_the_same_number_of_queries_for_one_or_three_sessions(world, match):
    client = client_for(world.users["coordinator"])
    first = plan(world)
    services.attendance_set(session=first, by=None, present=True, participation=participation_of(world))
    with CaptureQueriesContext(connection) as one:
        client.get(SESSIONS_URL)
    inspiration = plan(world, "inspiration")
    services.attendance_set(session=inspiration, by=None, present=True, company=world.company)
    plan(world, region=f.region("limburg"))
    with CaptureQueriesContext(connection) as three:
        client.get(SESSIONS_URL)
    assert LearningNetworkSession.objects.count() == 3
    assert len(three) == len(one)


# --------------------------------------------------------------------------- planning, changing, removing


def test_planning_a_session_role_matrix(world, match):
    check_role_matrix(
        world,
        lambda client: client.post(create_url(world), session_data()),
        expected(adviser=302, coordinator=302, **MEMBERS_FORBIDDEN),
    )
    assert [(s.kind, s.date, s.place) for s in LearningNetworkSession.objects.all()] == [
        ("method", dt.date(2027, 1, 20), "Voka Antwerpen, Brouwersvliet 5")
    ] * 2


def test_planning_form_page_role_matrix(world, match):
    check_role_matrix(
        world, lambda client: client.get(create_url(world)), expected(adviser=200, coordinator=200, **MEMBERS_FORBIDDEN)
    )


def test_an_adviser_plans_a_session_and_sees_it_on_the_page(world):
    client = client_for(world.users["adviser"])
    response = client.post(create_url(world), session_data(place=" Online via Teams "), follow=True)
    page = text(response)
    assert "Sessie Methodiek van Antwerpen-Waasland gepland op 20 januari 2027." in page
    assert "Methodiek woensdag 20 januari 2027 Online via Teams" in page
    session = LearningNetworkSession.objects.get()
    assert (session.region, session.created_by) == (world.school.region, world.users["adviser"])
    # The next form proposes the next session.
    assert re.search(r'<option value="inspiration" selected>Inspireren</option>', response.content.decode())


def test_a_date_outside_the_learning_networks_is_refused_and_nothing_is_saved(world):
    client = client_for(world.users["adviser"])
    response = client.post(create_url(world), session_data(date="2027-04-15", place="Aula Technicum"))
    assert response.status_code == 400
    page = text(response)
    assert "Kies een datum binnen de lerende netwerken van deze editie (15 januari 2027 – 31 maart 2027)." in page
    assert 'value="Aula Technicum"' in response.content.decode()  # what was typed stays
    assert not LearningNetworkSession.objects.exists()


def test_missing_and_wrong_values_are_named_in_the_form(world):
    client = client_for(world.users["coordinator"])
    response = client.post(create_url(world, "limburg"), session_data(kind="borrel", date=""))
    assert response.status_code == 400
    page = text(response)
    assert "Selecteer een geldige keuze. borrel is geen beschikbare keuze." in page
    assert "Datum * Dit veld is vereist." in page
    assert not LearningNetworkSession.objects.exists()


def test_an_unknown_region_is_not_found(world):
    response = client_for(world.users["coordinator"]).post(create_url(world, "brussel"), session_data())
    assert response.status_code == 404


def update_url(session: LearningNetworkSession) -> str:
    return reverse("actionplans:network-session-update", args=[session.pk])


def test_changing_a_session_role_matrix(world, match):
    session = plan(world)
    check_role_matrix(
        world,
        lambda client: client.post(update_url(session), session_data(kind="method", date="2027-01-27")),
        expected(adviser=302, coordinator=302, **MEMBERS_FORBIDDEN),
    )
    session.refresh_from_db()
    assert session.date == dt.date(2027, 1, 27)


def test_changing_a_session_saves_the_new_date_and_place(world):
    session = plan(world)
    client = client_for(world.users["adviser"])
    form = client.get(update_url(session))
    assert 'value="2027-01-20"' in form.content.decode()
    response = client.post(
        update_url(session), session_data(kind="inspiration", date="2027-02-03", place="Online"), follow=True
    )
    assert "Sessie Inspireren van Antwerpen-Waasland opgeslagen." in text(response)
    assert "Inspireren woensdag 3 februari 2027 Online" in text(response)
    session.refresh_from_db()
    assert (session.kind, session.date, session.place) == ("inspiration", dt.date(2027, 2, 3), "Online")


def test_a_refused_change_saves_nothing(world):
    session = plan(world)
    response = client_for(world.users["adviser"]).post(
        update_url(session), session_data(date="2026-12-01", place="Elders")
    )
    assert response.status_code == 400
    assert "Kies een datum binnen de lerende netwerken van deze editie" in text(response)
    session.refresh_from_db()
    assert (session.date, session.place) == (dt.date(2027, 1, 20), "Voka Antwerpen-Waasland, Brouwersvliet 5")


def test_a_session_planned_before_the_learning_networks_moved_keeps_its_date_when_its_place_changes(world):
    session = plan(world)  # 20 January
    world.edition.networks_start_on = dt.date(2027, 2, 1)
    world.edition.save()
    client = client_for(world.users["adviser"])
    response = client.post(update_url(session), session_data(date="2027-01-20", place="Online"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.place) == (dt.date(2027, 1, 20), "Online")

    moved = client.post(update_url(session), session_data(date="2027-01-27", place="Online"))
    assert moved.status_code == 400
    refusal = "Kies een datum binnen de lerende netwerken van deze editie (1 februari 2027 – 31 maart 2027)."
    assert refusal in text(moved)
    session.refresh_from_db()
    assert session.date == dt.date(2027, 1, 20)


def test_removing_a_session_role_matrix(world, match):
    check_role_matrix(
        world,
        lambda client: client.post(reverse("actionplans:network-session-delete", args=[plan(world).pk])),
        expected(adviser=302, coordinator=302, **MEMBERS_FORBIDDEN),
    )
    # Nine sessions were planned; the adviser and the coordinator each removed one.
    assert LearningNetworkSession.objects.count() == len(ROLES) - 2


def test_removing_a_session_asks_first_and_removes_its_attendance(world):
    session = plan(world)
    services.attendance_set(session=session, by=None, present=True, participation=participation_of(world))
    url = reverse("actionplans:network-session-delete", args=[session.pk])
    client = client_for(world.users["adviser"])
    question = text(client.get(url))
    assert "Sessie Methodiek van Antwerpen-Waasland verwijderen?" in question
    assert "De aanwezigheid die voor 1 school of bedrijf geregistreerd is, wordt mee verwijderd." in question
    assert LearningNetworkSession.objects.exists()

    response = client.post(url, follow=True)
    assert "Sessie Methodiek van Antwerpen-Waasland verwijderd." in text(response)
    assert "Nog geen sessies gepland in deze regio." in text(response)
    assert not Attendance.objects.exists()


# --------------------------------------------------------------------------- attendance


def attendance_url(session: LearningNetworkSession) -> str:
    return reverse("actionplans:network-attendance", args=[session.pk])


def set_url(session: LearningNetworkSession) -> str:
    return reverse("actionplans:network-attendance-set", args=[session.pk])


def test_attendance_page_role_matrix(world, match):
    session = plan(world)
    check_role_matrix(
        world,
        lambda client: client.get(attendance_url(session)),
        expected(adviser=200, coordinator=200, **MEMBERS_FORBIDDEN),
    )


def test_registering_attendance_role_matrix(world, match):
    session = plan(world)
    party = f"school-{participation_of(world).pk}"
    check_role_matrix(
        world,
        lambda client: client.post(set_url(session), {"party": party, "present": "on"}),
        expected(adviser=302, coordinator=302, **MEMBERS_FORBIDDEN),
    )
    assert [(a.participation, a.present) for a in Attendance.objects.all()] == [(participation_of(world), True)]


def test_marking_everyone_present_role_matrix(world, match):
    session = plan(world)
    check_role_matrix(
        world,
        lambda client: client.post(reverse("actionplans:network-attendance-all", args=[session.pk])),
        expected(adviser=302, coordinator=302, **MEMBERS_FORBIDDEN),
    )


def test_the_grid_lists_the_regions_schools_and_their_mentor_companies(world, match):
    session = plan(world)
    page = text(client_for(world.users["adviser"]).get(attendance_url(session)))
    assert "Aanwezigheid: Methodiek" in page
    assert "Aanwezig: 0 van 2 scholen · 0 van 1 mentorbedrijf" in page
    assert "GO! Koninklijk Atheneum Antwerpen BASF Antwerpen Aanwezig" in page
    assert "Technicum Antwerpen Geen actief mentorbedrijf Aanwezig" in page
    assert "BASF Antwerpen GO! Koninklijk Atheneum Antwerpen Aanwezig" in page
    assert "Hasselt" not in page and "Katholiek Secundair Onderwijs Mol" not in page  # another region
    assert "Umicore" not in page  # no mentor


def test_a_tick_is_saved_at_once_and_shows_on_the_pages(world, match):
    session = plan(world)
    client = client_for(world.users["adviser"])
    school = f"school-{participation_of(world).pk}"
    company = f"company-{world.company.pk}"

    saved = client.post(set_url(session), {"party": school, "present": "on"}, **HTMX)
    assert saved.status_code == 200
    assert re.fullmatch(
        r"Opgeslagen om \d\d:\d\d – GO! Koninklijk Atheneum Antwerpen: aanwezig\. "
        r"Aanwezig: 1 van 2 scholen · 0 van 1 mentorbedrijf",
        text(saved),
    )
    client.post(set_url(session), {"party": company, "present": "on"}, **HTMX)

    page = client.get(attendance_url(session))
    assert (checked(page, school), checked(page, company)) == (True, True)
    assert "Aanwezig: 1 van 2 scholen · 1 van 1 mentorbedrijf" in text(page)

    # Unticking: the box sends nothing, which means not present.
    unticked = client.post(set_url(session), {"party": school}, **HTMX)
    assert "GO! Koninklijk Atheneum Antwerpen: niet aanwezig." in text(unticked)
    page = client.get(attendance_url(session))
    assert (checked(page, school), checked(page, company)) == (False, True)
    assert "0 van 2 scholen 1 van 1 mentorbedrijf" in text(client.get(SESSIONS_URL))
    assert {(a.participation_id, a.company_id, a.present) for a in Attendance.objects.all()} == {
        (participation_of(world).pk, None, False),
        (None, world.company.pk, True),
    }


def test_without_javascript_a_tick_is_saved_with_a_message(world, match):
    session = plan(world)
    client = client_for(world.users["coordinator"])
    response = client.post(set_url(session), {"party": f"company-{world.company.pk}", "present": "on"}, follow=True)
    assert "BASF Antwerpen: aanwezig." in text(response)
    assert checked(response, f"company-{world.company.pk}")


def test_marking_everyone_present_fills_only_who_is_not_registered_yet(world, match):
    session = plan(world)
    client = client_for(world.users["adviser"])
    other = participation_of(world, world.other_school)
    services.attendance_set(session=session, by=None, present=False, participation=other)

    response = client.post(reverse("actionplans:network-attendance-all", args=[session.pk]), **HTMX)

    page = text(response)
    assert "2 scholen en bedrijven als aanwezig aangeduid." in page
    assert "Aanwezig: 1 van 2 scholen · 1 van 1 mentorbedrijf" in page
    assert not checked(response, f"school-{other.pk}")  # the recorded absence stays
    assert {(a.participation_id, a.company_id, a.present) for a in Attendance.objects.all()} == {
        (participation_of(world).pk, None, True),
        (other.pk, None, False),
        (None, world.company.pk, True),
    }


def test_the_button_says_it_marks_only_who_is_not_registered_yet(world, match):
    session = plan(world)
    client = client_for(world.users["coordinator"])

    page = text(client.get(attendance_url(session)))
    assert "Wie nog niet geregistreerd is als aanwezig aanduiden" in page
    assert "Wie al als afwezig geregistreerd is, blijft afwezig. Vink daarna uit wie er niet was." in page

    client.post(reverse("actionplans:network-attendance-all", args=[session.pk]))
    again = client.post(reverse("actionplans:network-attendance-all", args=[session.pk]), **HTMX)
    assert "Iedereen is al geregistreerd; er is niets veranderd." in text(again)
    assert "Wie nog niet geregistreerd is als aanwezig aanduiden" not in text(again)  # nothing left to fill


def test_a_school_of_another_region_cannot_be_registered(world, match):
    session = plan(world)
    far = participation_of(world, world.far_school)
    response = client_for(world.users["coordinator"]).post(set_url(session), {"party": f"school-{far.pk}"}, **HTMX)
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_company_that_no_longer_mentors_is_refused_and_its_box_shows_what_is_stored(world, match):
    session = plan(world)
    services.attendance_set(session=session, by=None, present=False, company=world.company)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.REJECTED)
    party = f"company-{world.company.pk}"

    response = client_for(world.users["adviser"]).post(set_url(session), {"party": party, "present": "on"}, **HTMX)

    # The refusal answers 200 so that htmx shows it in the status line (see views_networks._attendance_refused).
    assert response.status_code == 200
    assert "Niet opgeslagen: Dit bedrijf is in de editie van deze sessie geen mentorbedrijf van een school." in text(
        response
    )
    assert not checked(response, party)
    assert Attendance.objects.get().present is False


def test_an_unreadable_row_saves_nothing(world, match):
    session = plan(world)
    response = client_for(world.users["adviser"]).post(set_url(session), {"party": "iedereen"}, **HTMX)
    assert "Niet opgeslagen: Deze rij kon niet gelezen worden. Laad de pagina opnieuw." in text(response)
    assert not Attendance.objects.exists()


def test_a_region_without_participating_schools_has_nothing_to_register(world):
    session = plan(world, region=f.region("west-vlaanderen"))
    page = text(client_for(world.users["coordinator"]).get(attendance_url(session)))
    assert "Nog geen school uit deze regio neemt deel aan deze editie, dus er is nog geen aanwezigheid" in page
    assert "Wie nog niet geregistreerd is als aanwezig aanduiden" not in page


def test_attendance_page_reads_the_same_number_of_queries_for_one_or_three_schools(world, match):
    session = plan(world, region=f.region("west-vlaanderen"))
    client = client_for(world.users["coordinator"])

    def add_school(name: str) -> None:
        school = f.SchoolFactory(name=name, region=f.region("west-vlaanderen"))
        f.ParticipationFactory(edition=world.edition, school=school)
        active_match(school, f.CompanyFactory(), world.edition)

    add_school("VTI Brugge")
    with CaptureQueriesContext(connection) as one:
        client.get(attendance_url(session))
    add_school("Sint-Lodewijkscollege")
    add_school("KTA Oostende")
    with CaptureQueriesContext(connection) as three:
        response = client.get(attendance_url(session))
    assert "Aanwezig: 0 van 3 scholen · 0 van 3 mentorbedrijven" in text(response)
    assert len(three) == len(one)


def test_marking_everyone_present_leaves_a_former_mentor_registered_absent_alone(world, match):
    session = plan(world)
    services.attendance_set(session=session, by=None, present=False, company=world.company)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.REJECTED)

    response = client_for(world.users["adviser"]).post(
        reverse("actionplans:network-attendance-all", args=[session.pk]), **HTMX
    )

    page = text(response)
    assert "2 scholen en bedrijven als aanwezig aangeduid." in page
    assert "Niet opgeslagen" not in page
    assert "Aanwezig: 2 van 2 scholen · 0 van 1 mentorbedrijf" in page
    assert Attendance.objects.get(company=world.company).present is False
