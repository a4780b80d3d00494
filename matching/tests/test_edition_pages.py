"""The edition-wide matching pages: the coordinator's weights with their preview, the global assignment (toewijzing)
accepted per pair or all at once, and pinning a proposal from the match list. Assertions read the Dutch UI."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import decisions
from matching.models import Match, MatchWeights
from matching.tests.helpers import profile
from partners.models import CompanySite, StudyArea
from partners.tests import factories as f
from partners.tests.roles import ROLES, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous users are sent to the login page
COORDINATOR_ONLY = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "coordinator": 200}
#: The region of the world's own school: the adviser's region, not the other adviser's.
REGION = "antwerpen-waasland"
BRUGGE = {"postcode": "8000", "latitude": 51.2093, "longitude": 3.2247}
VALID_WEIGHTS = {
    "need": "3",
    "proximity": "3",
    "sector": "2",
    "resources": "1",
    "willingness": "1",
    "continuity": "0",
    "max_distance_km": "60",
}


def participation_of(world, school=None):
    return (school or world.school).participations.get(edition=world.edition)


@pytest.fixture
def mentors(world):
    """BASF nearby and fitting chemistry (capacity 2), Umicore in Brugge in construction (capacity 1)."""
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=2, elements=(1, 2), areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, elements=(3,), areas=("bouw",))
    CompanySite.objects.filter(company=world.other_company).update(**BRUGGE)
    return world


def weights_url(world):
    return reverse("matching:weights", args=[world.edition.slug])


def preview_url(world):
    return reverse("matching:weights-preview", args=[world.edition.slug])


def assignment_url(world):
    return reverse("matching:assignment", args=[world.edition.slug])


def accept_url(world):
    return reverse("matching:assignment-accept", args=[world.edition.slug])


def proposal(client, world, **params):
    """The proposal fragment, as the page loads it through htmx."""
    return client.get(assignment_url(world), params, headers={"HX-Request": "true"})


def html(response) -> str:
    return response.content.decode()


def shown_proposal(client, world, **params) -> str:
    """The fingerprint of the proposal the page shows, as its "accept all" form posts it."""
    match = re.search(r'name="proposal" value="([^"]+)"', html(proposal(client, world, **params)))
    assert match, "the page offers no 'accept all'"
    return match[1]


def described_by_targets_exist(page: str) -> list[str]:
    """The aria-describedby ids of the page that point to no element (should be empty)."""
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    wanted = [i for value in re.findall(r'aria-describedby="([^"]+)"', page) for i in value.split()]
    return [i for i in wanted if i not in ids]


# --------------------------------------------------------------------------- weights: role matrices


def test_weights_page_is_for_coordinators_only(mentors):
    check_role_matrix(mentors, lambda client: client.get(weights_url(mentors)), COORDINATOR_ONLY)


def test_weights_preview_is_for_coordinators_only(mentors):
    check_role_matrix(mentors, lambda client: client.get(preview_url(mentors), VALID_WEIGHTS), COORDINATOR_ONLY)


def test_saving_weights_is_for_coordinators_only(mentors):
    expected = COORDINATOR_ONLY | {"coordinator": 302}
    check_role_matrix(mentors, lambda client: client.post(weights_url(mentors), VALID_WEIGHTS), expected)
    [saved] = MatchWeights.objects.all()
    assert (saved.edition, saved.need, saved.continuity, saved.max_distance_km) == (mentors.edition, 3, 0, 60)


def test_weights_of_an_unknown_edition_are_not_found(mentors):
    url = reverse("matching:weights", args=["2099-2100"])
    assert client_for(mentors.users["coordinator"]).get(url).status_code == 404


# --------------------------------------------------------------------------- weights: what the coordinator sees


def test_weights_page_shows_the_defaults_their_shares_and_the_preview(mentors):
    response = client_for(mentors.users["coordinator"]).get(weights_url(mentors))
    page = html(response)
    assert "Gewichten van de koppelingsscore" in page
    for label in ("Noden van de school", "Nabijheid", "Studiegebied en kernactiviteit", "Eerdere samenwerking"):
        assert label in page
    assert "Standaardwaarden herstellen" in page
    assert "0,30" in page and "0,05" in page  # the defaults
    assert response.context["form"]["need"].value() == 0.30  # no weights saved yet: the form holds the defaults
    shown = response.context["preview"].shares
    assert [(label, share) for label, share, _default in shown][:2] == [("Noden van de school", 30), ("Nabijheid", 25)]
    assert [share for _label, share, _default in shown] == [30, 25, 20, 10, 10, 5]
    assert "30 %" in page
    assert "Best passende mentorbedrijven voor GO! Koninklijk Atheneum Antwerpen." in page
    assert "Deze gewichten behouden dezelfde volgorde." in page


def test_saving_weights_creates_them_then_updates_them_and_says_so(mentors):
    client = client_for(mentors.users["coordinator"])
    response = client.post(weights_url(mentors), VALID_WEIGHTS, follow=True)
    assert "De gewichten van STEMpact 2026-2027 zijn opgeslagen." in html(response)
    assert [s for _label, s, _default in response.context["preview"].shares] == [30, 30, 20, 10, 10, 0]
    client.post(weights_url(mentors), VALID_WEIGHTS | {"need": "0.5", "max_distance_km": ""})
    [saved] = MatchWeights.objects.all()
    assert (saved.need, saved.proximity, saved.max_distance_km) == (0.5, 3, None)
    assert client.get(weights_url(mentors)).context["form"]["need"].value() == 0.5


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"need": "-1"}, "Zorg ervoor dat deze waarde minstens 0 is."),
        ({"proximity": "abc"}, "Voer een getal in."),
        ({"sector": ""}, "Dit veld is vereist."),
        ({"max_distance_km": "0"}, "Zorg ervoor dat deze waarde minstens 1 is."),
        ({"max_distance_km": "5000"}, "Zorg ervoor dat deze waarde hoogstens 500 is."),
        (
            {"need": "0", "proximity": "0", "sector": "0", "resources": "0", "willingness": "0", "continuity": "0"},
            "Geef minstens één gewicht groter dan 0.",
        ),
    ],
)
def test_invalid_weights_show_the_error_in_the_form_and_save_nothing(mentors, change, error):
    response = client_for(mentors.users["coordinator"]).post(weights_url(mentors), VALID_WEIGHTS | change)
    assert response.status_code == 400
    page = html(response)
    assert error in page
    assert "Verbeter de gewichten in het formulier om een voorbeeld te zien." in page
    assert not MatchWeights.objects.exists()


def test_reset_brings_back_the_default_weights_and_keeps_the_maximum_distance(mentors):
    MatchWeights.objects.create(edition=mentors.edition, need=9, proximity=0, max_distance_km=40)
    response = client_for(mentors.users["coordinator"]).post(
        weights_url(mentors), {"action": "reset", "need": "-5"}, follow=True
    )
    assert "Voor STEMpact 2026-2027 gelden opnieuw de standaardgewichten." in html(response)
    saved = MatchWeights.objects.get()
    assert (saved.need, saved.proximity, saved.continuity, saved.max_distance_km) == (0.30, 0.25, 0.05, 40)


@pytest.fixture
def crossed(world):
    """A world in which the weights decide the order: BASF is near but in construction, Umicore far but in chemistry
    (the school's study area); the saved weights count only proximity."""
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=1, areas=("bouw",))
    profile(world.other_company, world.edition, capacity=1, areas=("chemie",))
    CompanySite.objects.filter(company=world.other_company).update(**BRUGGE)
    MatchWeights.objects.create(
        edition=world.edition, need=0, proximity=1, sector=0, resources=0, willingness=0, continuity=0
    )
    return world


def test_preview_shows_a_different_order_when_the_weights_change(crossed):
    only_sector = {part: "0" for part in ("need", "proximity", "resources", "willingness", "continuity")}
    only_sector |= {"sector": "1", "max_distance_km": "", "school": participation_of(crossed).pk}
    response = client_for(crossed.users["coordinator"]).get(
        preview_url(crossed), only_sector, headers={"HX-Request": "true"}
    )
    preview = response.context["preview"]
    assert [row.company for row in preview.saved] == [crossed.company, crossed.other_company]
    assert [row.company for row in preview.unsaved] == [crossed.other_company, crossed.company]
    page = html(response)
    assert "<html" not in page
    assert "Deze gewichten veranderen de volgorde." in page
    assert "1 plaats gestegen" in page and "1 plaats gedaald" in page
    unsaved, saved = page.split("Met de opgeslagen gewichten")
    assert unsaved.index("Umicore") < unsaved.index("BASF Antwerpen")
    assert saved.index("BASF Antwerpen") < saved.index("Umicore")
    assert not MatchWeights.objects.filter(sector__gt=0).exists()  # a preview saves nothing


def test_preview_with_unsaved_distance_limit_leaves_the_far_company_out(crossed):
    params = VALID_WEIGHTS | {"max_distance_km": "20", "school": participation_of(crossed).pk}
    response = client_for(crossed.users["coordinator"]).get(preview_url(crossed), params)
    preview = response.context["preview"]
    assert [row.company for row in preview.unsaved] == [crossed.company]
    assert [row.company for row in preview.saved] == [crossed.company, crossed.other_company]


def test_preview_of_invalid_weights_asks_to_correct_them(mentors):
    response = client_for(mentors.users["coordinator"]).get(preview_url(mentors), VALID_WEIGHTS | {"need": "-1"})
    assert response.context["preview"] is None
    assert "Verbeter de gewichten in het formulier om een voorbeeld te zien." in html(response)


def test_weights_preview_without_mentor_profiles_says_what_to_do(world):
    page = html(client_for(world.users["coordinator"]).get(weights_url(world)))
    assert "Nog geen bedrijf heeft een mentorprofiel in deze editie" in page


# --------------------------------------------------------------------------- assignment: role matrices


def test_assignment_page_role_matrix(mentors):
    expected = {role: 403 for role in ROLES} | {
        "anonymous": LOGIN,
        "adviser": 200,
        "adviser_other_region": 200,  # their own region (Limburg) by default
        "coordinator": 200,
    }
    check_role_matrix(mentors, lambda client: client.get(assignment_url(mentors)), expected)


def test_assignment_of_a_region_is_outside_the_other_advisers_scope(mentors):
    expected = {role: 403 for role in ROLES} | {
        "anonymous": LOGIN,
        "adviser": 200,
        "adviser_other_region": 404,
        "coordinator": 200,
    }
    check_role_matrix(mentors, lambda client: proposal(client, mentors, region=REGION), expected)


def test_accept_pair_role_matrix_records_the_pair_once(mentors):
    data = {"region": REGION, "participation": participation_of(mentors).pk, "company": mentors.company.pk}
    expected = {role: 403 for role in ROLES} | {
        "anonymous": LOGIN,
        "adviser": 302,
        "adviser_other_region": 404,
        "coordinator": 302,
    }
    check_role_matrix(mentors, lambda client: client.post(accept_url(mentors), data), expected)
    [match] = Match.objects.all()
    assert (match.participation, match.company, match.status) == (
        participation_of(mentors),
        mentors.company,
        Match.Status.PROPOSED,
    )


def test_accept_all_role_matrix_records_the_proposal_once(mentors):
    expected = {role: 403 for role in ROLES} | {
        "anonymous": LOGIN,
        "adviser": 302,
        "adviser_other_region": 404,
        "coordinator": 302,
    }
    shown = shown_proposal(client_for(mentors.users["coordinator"]), mentors, region=REGION)
    data = {"region": REGION, "proposal": shown}
    check_role_matrix(mentors, lambda client: client.post(accept_url(mentors), data), expected)
    recorded = sorted(Match.objects.values_list("participation__school__name", "status"))
    assert recorded == [
        ("GO! Koninklijk Atheneum Antwerpen", Match.Status.PROPOSED),
        ("Technicum Antwerpen", Match.Status.PROPOSED),
    ]


def test_pin_role_matrix(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    url = reverse("matching:match-pin", args=[match.pk])
    expected = {
        "anonymous": LOGIN,
        "other_school": 404,
        "own_school": 403,
        "company": 403,
        "adviser_other_region": 404,
        "adviser": 302,
        "juror": 404,
        "juror_with_conflict": 404,
        "coordinator": 302,
    }
    check_role_matrix(mentors, lambda client: client.post(url, {"pinned": "1"}), expected)
    match.refresh_from_db()
    assert match.pinned
    assert [line.split(": ", 1)[1] for line in match.note.splitlines()] == ["BASF Antwerpen voorgesteld", "vastgezet"]


# --------------------------------------------------------------------------- assignment: what the page shows


def test_assignment_page_loads_the_proposal_with_a_busy_indicator(mentors):
    response = client_for(mentors.users["adviser"]).get(assignment_url(mentors))
    page = html(response)
    assert response.context["scope"].region.slug == REGION  # the adviser's own region by default
    assert 'hx-trigger="load"' in page and 'aria-busy="true"' in page
    assert "Het voorstel wordt berekend…" in page
    assert "Hele editie" not in page  # an adviser cannot choose the whole edition
    coordinator_page = html(client_for(mentors.users["coordinator"]).get(assignment_url(mentors)))
    assert "Hele editie" in coordinator_page


def test_proposal_shows_current_state_proposed_company_score_parts_and_summary(mentors):
    active = Match.objects.create(
        participation=participation_of(mentors, mentors.far_school),
        company=mentors.other_company,
        status=Match.Status.ACTIVE,
    )
    client = client_for(mentors.users["coordinator"])
    response = proposal(client, mentors)
    rows = {row.participation.school: row for row in response.context["rows"]}
    assert list(rows) == [mentors.school, mentors.far_school, mentors.other_school]  # by school name
    own = rows[mentors.school]
    assert own.pair.company == mentors.company and own.current is None and own.can_accept
    assert rows[mentors.far_school].current == active and rows[mentors.far_school].pair is None
    page = html(response)
    assert "Actief: Umicore" in page
    assert "Houdt zijn actieve mentorbedrijf" in page
    assert "Nog niets" in page
    assert f"{own.score_percent} %" in page
    assert "Nabijheid" in page and "Noden van de school 50 %" in page  # no baseline yet: neutral need
    summary = response.context["summary"]
    assert (summary.schools, summary.assigned, summary.unassigned, summary.kept) == (2, 2, 0, 1)
    assert "Scholen met een voorgesteld bedrijf: 2 van 2" in page
    assert "Scholen die hun actieve mentorbedrijf houden: 1" in page
    assert f"Laagste score: {summary.lowest_percent} %" in page
    assert "Eerlijkheid staat uit: het voorstel maakt de totale score zo hoog mogelijk" in page
    assert "Alle 2 voorstellen aanvaarden" in page
    fair = html(proposal(client, mentors, fairness="1"))
    assert "Eerlijkheid staat aan: het voorstel tilt eerst de laagste score zo hoog mogelijk op" in fair


def test_accept_all_respects_capacity_and_skips_schools_with_an_active_match(world):
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=1, areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, areas=("chemie",))
    far = participation_of(world, world.far_school)
    Match.objects.create(participation=far, company=world.other_company, status=Match.Status.ACTIVE)
    client = client_for(world.users["coordinator"])
    page = html(proposal(client, world))
    assert "Scholen zonder bedrijf: 1" in page  # Umicore's only place is taken: one school gets nothing

    shown = shown_proposal(client, world)
    response = client.post(accept_url(world), {"proposal": shown}, follow=True)
    assert "1 voorgestelde koppeling vastgelegd. De school en het bedrijf kunnen ze nu aanvaarden." in html(response)
    proposed = list(Match.objects.filter(status=Match.Status.PROPOSED).values_list("participation", "company"))
    assert proposed == [(participation_of(world).pk, world.company.pk)]
    assert list(Match.objects.filter(participation=far).values_list("status", flat=True)) == [Match.Status.ACTIVE]
    [match] = Match.objects.filter(status=Match.Status.PROPOSED)
    assert match.decided_by == world.users["coordinator"]
    assert "BASF Antwerpen voorgesteld – globale toewijzing, score" in match.note

    again = client.post(accept_url(world), {"proposal": shown}, follow=True)  # the same proposal, recorded already
    assert "Niets nieuws vast te leggen: deze voorstellen waren al vastgelegd." in html(again)
    assert Match.objects.count() == 2


def test_accepting_a_pair_supersedes_the_schools_open_proposal_of_another_company(mentors):
    participation = participation_of(mentors)
    old = decisions.match_propose(participation=participation, company=mentors.other_company, by=None)
    client = client_for(mentors.users["adviser"])
    data = {"region": REGION, "participation": participation.pk, "company": mentors.company.pk}
    response = client.post(accept_url(mentors), data)
    assert response.status_code == 302
    assert response.url == f"{assignment_url(mentors)}?region={REGION}"
    old.refresh_from_db()
    assert old.status == Match.Status.REJECTED
    assert old.note.splitlines()[-1].endswith("vervangen door een nieuw voorstel")
    new = Match.objects.get(participation=participation, status=Match.Status.PROPOSED)
    assert new.company == mentors.company
    # The other school of the region was not recorded: one pair only.
    assert not Match.objects.filter(participation=participation_of(mentors, mentors.other_school)).exists()
    row = next(r for r in proposal(client, mentors).context["rows"] if r.participation == participation)
    assert row.already_proposed and not row.can_accept


def test_accepting_a_pair_that_is_no_longer_proposed_is_refused(mentors):
    data = {"region": REGION, "participation": participation_of(mentors).pk, "company": mentors.other_company.pk}
    response = client_for(mentors.users["coordinator"]).post(accept_url(mentors), data)
    assert response.status_code == 400
    assert "Het voorstel is intussen veranderd." in html(response)
    assert not Match.objects.exists()


def test_a_school_outside_the_chosen_region_cannot_be_accepted(mentors):
    far = participation_of(mentors, mentors.far_school)
    data = {"region": REGION, "participation": far.pk, "company": mentors.company.pk}
    assert client_for(mentors.users["coordinator"]).post(accept_url(mentors), data).status_code == 404
    assert not Match.objects.exists()


def test_assignment_empty_states_say_what_to_do(world):
    client = client_for(world.users["coordinator"])
    page = html(proposal(client, world))
    assert "Nog geen bedrijf heeft een mentorprofiel in deze editie, dus er valt niets toe te wijzen." in page
    profile(world.company, world.edition)
    page = html(proposal(client, world, region="west-vlaanderen"))
    assert "Nog geen school uit West-Vlaanderen neemt deel aan deze editie." in page
    assert "Schrijf eerst de scholen in" in page


# --------------------------------------------------------------------------- pinning


def test_a_pinned_proposal_is_kept_by_the_assignment_and_marked(world):
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=1, areas=("chemie",))
    # Without the pin, BASF's single place goes to the chemistry school; the pin keeps it at the Technicum.
    match = decisions.match_propose(
        participation=participation_of(world, world.other_school), company=world.company, by=None
    )
    client = client_for(world.users["adviser"])
    before = {row.participation.school: row.pair.company for row in proposal(client, world).context["rows"]}
    assert before == {world.school: world.company, world.other_school: None}

    response = client.post(reverse("matching:match-pin", args=[match.pk]), {"pinned": "1"}, follow=True)
    assert "is vastgezet: de globale toewijzing behoudt ze." in html(response)
    assert "Vastgezet" in html(response) and "Losmaken" in html(response)

    after = proposal(client, world)
    rows = {row.participation.school: row for row in after.context["rows"]}
    assert rows[world.other_school].pair.company == world.company and rows[world.other_school].pinned
    assert rows[world.school].pair.company is None
    assert "Vastgezet" in html(after)

    client.post(reverse("matching:match-pin", args=[match.pk]), {"pinned": "0"})
    match.refresh_from_db()
    assert not match.pinned
    assert match.note.splitlines()[-1].endswith("losgemaakt")


def test_only_a_proposed_match_can_be_pinned(mentors):
    match = Match.objects.create(
        participation=participation_of(mentors), company=mentors.company, status=Match.Status.ACTIVE
    )
    response = client_for(mentors.users["adviser"]).post(
        reverse("matching:match-pin", args=[match.pk]), {"pinned": "1"}
    )
    assert response.status_code == 400
    assert "Alleen een voorgestelde koppeling kan vastgezet of losgemaakt worden." in html(response)
    match.refresh_from_db()
    assert not match.pinned


# --------------------------------------------------------------------------- links from the match list


def test_match_list_links_to_the_edition_pages_by_role(mentors):
    def links(user):
        return client_for(user).get(reverse("matching:match-list")).context["links"]

    assert links(mentors.users["coordinator"]) == {
        "assignment": assignment_url(mentors),
        "weights": weights_url(mentors),
    }
    assert links(mentors.users["adviser"]) == {"assignment": f"{assignment_url(mentors)}?region={REGION}"}
    assert links(mentors.users["adviser_other_region"]) == {"assignment": f"{assignment_url(mentors)}?region=limburg"}
    assert links(mentors.users["own_school"]) == {}
    page = html(client_for(mentors.users["coordinator"]).get(reverse("matching:match-list")))
    assert "Globale toewijzing" in page and "Gewichten van de koppelingsscore" in page


def test_match_list_offers_pinning_only_to_who_can_decide(mentors):
    decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    assert "Vastzetten" in html(client_for(mentors.users["adviser"]).get(reverse("matching:match-list")))
    assert "Vastzetten" not in html(client_for(mentors.users["own_school"]).get(reverse("matching:match-list")))
    assert "Vastzetten" not in html(client_for(mentors.users["company"]).get(reverse("matching:match-list")))


def test_advisers_of_several_regions_choose_among_their_own(mentors):
    adviser = mentors.users["adviser"]
    f.membership(adviser, "adviser", region=f.region("limburg"))
    adviser = type(adviser).objects.get(pk=adviser.pk)  # memberships are cached per user object
    response = client_for(adviser).get(assignment_url(mentors))
    choices = [slug for slug, _name in response.context["filters"].fields["region"].choices]
    assert choices == [REGION, "limburg"]
    assert proposal(client_for(adviser), mentors, region="limburg").status_code == 200
    assert proposal(client_for(adviser), mentors, region="west-vlaanderen").status_code == 404


def test_proposal_query_count_does_not_grow_with_schools(mentors):
    client = client_for(mentors.users["coordinator"])

    def count() -> tuple[int, int]:
        proposal(client, mentors)  # warm the session and the company features
        with CaptureQueriesContext(connection) as queries:
            response = proposal(client, mentors)
        return len(response.context["rows"]), len(queries)

    mentors.company.mentor_profiles.update(capacity=3)  # room for the three schools below
    decisions.match_propose(participation=participation_of(mentors), company=mentors.other_company, by=None)
    rows, few = count()
    for _ in range(3):
        school = f.SchoolFactory()
        participation = f.ParticipationFactory(edition=mentors.edition, school=school)
        decisions.match_propose(participation=participation, company=mentors.company, by=None)
    more_rows, many = count()
    assert (rows, more_rows) == (3, 6)
    assert many == few


# --------------------------------------------------------------------------- code review (issue 4)


def test_accept_all_refuses_a_proposal_that_changed_since_the_page_showed_it(mentors):
    client = client_for(mentors.users["coordinator"])
    shown = shown_proposal(client, mentors, region=REGION)
    newcomer = f.ParticipationFactory(edition=mentors.edition)  # a school registers meanwhile: another proposal
    response = client.post(accept_url(mentors), {"region": REGION, "proposal": shown})
    assert response.status_code == 400
    assert "Het voorstel is intussen veranderd. Bekijk het opnieuw voor je het aanvaardt." in html(response)
    assert not Match.objects.exists()
    assert newcomer.school.name in html(proposal(client, mentors, region=REGION))


def test_accept_all_without_the_shown_proposal_is_refused(mentors):
    response = client_for(mentors.users["coordinator"]).post(accept_url(mentors), {"region": REGION})
    assert response.status_code == 400
    assert "Het voorstel is intussen veranderd." in html(response)
    assert not Match.objects.exists()


def test_accepting_a_pair_of_a_school_matched_meanwhile_says_the_proposal_changed(mentors):
    participation = participation_of(mentors)
    data = {"region": REGION, "participation": participation.pk, "company": mentors.company.pk}
    Match.objects.create(participation=participation, company=mentors.other_company, status=Match.Status.ACTIVE)
    response = client_for(mentors.users["adviser"]).post(accept_url(mentors), data)
    assert response.status_code == 400
    assert "Het voorstel is intussen veranderd." in html(response)
    assert Match.objects.count() == 1


def test_a_school_with_no_match_recorded_is_skipped_and_the_page_says_why(mentors):
    participation = participation_of(mentors)
    decisions.match_no_match(
        participation=participation, by=mentors.users["adviser"], reason="Geen bedrijf in de buurt"
    )
    response = proposal(client_for(mentors.users["coordinator"]), mentors, region=REGION)
    row = next(r for r in response.context["rows"] if r.participation == participation)
    assert row.pair is None and row.skipped
    page = html(response)
    cell = page[page.index(f'id="assignment-{participation.pk}"') :]
    cell = cell[: cell.index("</tr>")]
    assert "Overgeslagen: er is vastgelegd dat er geen geschikt mentorbedrijf is" in cell
    assert "Geen bedrijf in de buurt" in cell
    assert "Overgeslagen scholen (geen koppeling vastgelegd): 1" in page
    assert response.context["summary"].schools == 1


def test_pinned_pairs_beyond_capacity_are_kept_with_a_warning(mentors):
    for school in (mentors.school, mentors.other_school):
        match = decisions.match_propose(
            participation=participation_of(mentors, school), company=mentors.company, by=None
        )
        decisions.match_pin(match=match, by=None, pinned=True)
    mentors.company.mentor_profiles.update(capacity=1)  # the company lowered its capacity after the pins
    page = html(proposal(client_for(mentors.users["coordinator"]), mentors, region=REGION))
    assert "Behouden voorstellen met een conflict: 2." in page
    assert page.count("Behouden boven de capaciteit van het bedrijf") == 2


def test_a_pinned_pair_beyond_the_distance_limit_is_kept_with_a_warning(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.other_company, by=None)
    decisions.match_pin(match=match, by=None, pinned=True)
    MatchWeights.objects.create(edition=mentors.edition, max_distance_km=20)  # Umicore in Brugge is now too far
    page = html(proposal(client_for(mentors.users["coordinator"]), mentors, region=REGION))
    assert "Behouden voorstellen met een conflict: 1." in page
    assert "Behouden, hoewel dit paar niet meer toegelaten is (buiten de maximale afstand)" in page


def test_weights_errors_are_announced_with_the_field_they_belong_to(mentors):
    response = client_for(mentors.users["coordinator"]).post(weights_url(mentors), VALID_WEIGHTS | {"need": "-1"})
    page = html(response)
    assert 'aria-describedby="id_need_error"' in page
    assert described_by_targets_exist(page) == []
