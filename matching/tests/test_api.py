"""The matching API: the ranking, the assignment proposal and matches with their decisions — who may do what (all
nine roles), what each of them sees (no scores for schools and companies), validation, a full flow, the schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from matching import decisions, services
from matching.models import ExcludedPair, Match
from matching.tests.helpers import profile
from partners.models import CompanySite, Membership, Participation, Role, School, StudyArea
from partners.tests import factories as f
from partners.tests.roles import ROLES, World, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

PARTS = {"need", "proximity", "sector", "resources", "willingness", "continuity"}
# Anonymous callers are refused (403: the session authenticator sends no challenge); outside the scope: 404.
HIDDEN = dict.fromkeys(ROLES, 404) | {"anonymous": 403}
# Only coordinators and advisers run the assignment; the others have no business there at all (403).
NO_ASSIGNMENT = dict.fromkeys(ROLES, 403)
# The decisions on a school (propose, no match, exclude a pair) likewise: their role is checked before anything else.
NOT_A_DECIDER = dict.fromkeys(ROLES, 403)


def expect(base: dict[str, int], **statuses: int) -> dict[str, int]:
    return {**base, **statuses}


def participation_of(world: World, school: School | None = None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


@pytest.fixture
def mentors(world: World) -> World:
    """Two mentor companies: BASF nearby and fitting chemistry (capacity 2), Umicore in Brugge in construction."""
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=2, elements=(1, 2), areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, elements=(3,), areas=("bouw",))
    CompanySite.objects.filter(company=world.other_company).update(postcode="8000", latitude=51.2093, longitude=3.2247)
    return world


def post(client: Client, url: str, body: dict | None = None) -> object:
    return client.post(url, body or {}, content_type="application/json")


def propose(world: World, school: School | None = None, company=None) -> Match:
    return decisions.match_propose(
        participation=participation_of(world, school), company=company or world.company, by=world.users["adviser"]
    )


def ranking_url(world: World, school: School | None = None) -> str:
    return reverse("matching-ranking", args=[participation_of(world, school).pk])


def assignment_url(**params: str) -> str:
    return reverse("matching-assignment") + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def match_url(match: Match, action: str | None = None) -> str:
    return reverse(f"match-{action}" if action else "match-detail", args=[match.pk])


def listed(user, **params: str) -> list[int]:
    response = client_for(user).get(reverse("match-list"), params)
    assert response.status_code == 200
    return sorted(item["id"] for item in response.json()["results"])


# --- Ranking --------------------------------------------------------------------------------------------------------


def test_ranking_role_matrix(mentors):
    check_role_matrix(
        mentors,
        lambda client: client.get(ranking_url(mentors)),
        expect(HIDDEN, own_school=403, adviser=200, coordinator=200),
    )


def test_ranking_lists_the_companies_by_score_with_parts_sentence_and_who_was_left_out(mentors):
    participation = participation_of(mentors)
    expected = services.ranking_for(participation=participation, limit=10)
    data = client_for(mentors.users["adviser"]).get(ranking_url(mentors)).json()

    assert (data["participation"], data["edition"]) == (participation.pk, mentors.edition.slug)
    assert data["school"] == {"id": mentors.school.pk, "name": "GO! Koninklijk Atheneum Antwerpen"}
    assert data["need_is_neutral"] is True  # no finalised baseline yet
    assert [(r["rank"], r["company"]["name"]) for r in data["rows"]] == [(1, "BASF Antwerpen"), (2, "Umicore")]
    first = data["rows"][0]
    assert first["total"] == pytest.approx(expected.rows[0].total)
    assert first["parts"] == pytest.approx(expected.rows[0].parts)
    assert set(first["parts"]) == PARTS
    assert first["distance_km"] == pytest.approx(expected.rows[0].distance_km)
    assert first["sentence"] == expected.rows[0].sentence and "km" in first["sentence"]
    assert data["left_out"] == []


def test_ranking_filters_leave_companies_out_with_the_reason(mentors):
    client = client_for(mentors.users["coordinator"])
    near = client.get(ranking_url(mentors), {"max_distance_km": 20}).json()
    assert [r["company"]["name"] for r in near["rows"]] == ["BASF Antwerpen"]
    assert near["left_out"] == [
        {"company": {"id": mentors.other_company.pk, "name": "Umicore"}, "reason": "buiten de maximale afstand"}
    ]
    building = client.get(ranking_url(mentors), {"study_area": "bouw", "limit": 1}).json()
    assert [r["company"]["name"] for r in building["rows"]] == ["Umicore"]


def test_ranking_shows_an_excluded_pair_under_left_out_with_its_reason(mentors):
    decisions.pair_exclude(
        participation=participation_of(mentors), company=mentors.company, by=None, reason="Concurrent van een ouder"
    )
    data = client_for(mentors.users["adviser"]).get(ranking_url(mentors)).json()
    assert [r["company"]["name"] for r in data["rows"]] == ["Umicore"]
    [left_out] = data["left_out"]
    assert left_out["company"]["name"] == "BASF Antwerpen"
    assert "Concurrent van een ouder" in left_out["reason"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"limit": "0"}, "limit", "Zorg ervoor dat deze waarde groter is dan of gelijk is aan 1."),
        ({"limit": "veel"}, "limit", "Een geldig getal is vereist."),
        (
            {"max_distance_km": "9999"},
            "max_distance_km",
            "Zorg ervoor dat deze waarde kleiner is dan of gelijk is aan 500.",
        ),
        ({"study_area": "sterrenkunde"}, "study_area", "Onbekend studiegebied: sterrenkunde."),
    ],
)
def test_ranking_refuses_invalid_parameters_with_a_clear_message(mentors, params, field, message):
    response = client_for(mentors.users["adviser"]).get(ranking_url(mentors), params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


# --- Assignment -----------------------------------------------------------------------------------------------------


def test_assignment_role_matrix(mentors):
    url = assignment_url(edition=mentors.edition.slug, region="antwerpen-waasland")
    check_role_matrix(
        mentors,
        lambda client: client.get(url),
        expect(NO_ASSIGNMENT, adviser_other_region=404, adviser=200, coordinator=200),
    )


def test_assignment_proposal_lists_every_pair_with_a_summary(mentors):
    expected = services.assignment_proposal(edition=mentors.edition)
    response = client_for(mentors.users["coordinator"]).get(assignment_url(edition=mentors.edition.slug))
    data = response.json()

    assert (data["edition"], data["region"], data["fairness"]) == (mentors.edition.slug, None, False)
    assert [(p["participation"], p["school"]["name"]) for p in data["pairs"]] == [
        (pair.participation.pk, pair.participation.school.name) for pair in expected
    ]
    assert [p["company"] and p["company"]["id"] for p in data["pairs"]] == [
        pair.company and pair.company.pk for pair in expected
    ]
    assigned = [p for p in data["pairs"] if p["company"]]
    unassigned = [p for p in data["pairs"] if p["company"] is None]
    # Three schools, capacity 2 + 1: every school gets a company.
    assert (len(assigned), len(unassigned)) == (3, 0)
    assert all(set(p["parts"]) == PARTS for p in assigned)
    scores = [p["score"] for p in assigned]
    assert data["summary"] == {
        "assigned": 3,
        "unassigned": 0,
        "total_score": pytest.approx(sum(scores)),
        "lowest_score": pytest.approx(min(scores)),
    }
    assert not Match.objects.exists()  # a proposal writes nothing


def test_assignment_shows_a_school_without_a_company_with_null_company_score_and_parts(mentors):
    mentors.company.mentor_profiles.update(capacity=1)
    data = client_for(mentors.users["coordinator"]).get(assignment_url(edition=mentors.edition.slug)).json()
    [empty] = [p for p in data["pairs"] if p["company"] is None]
    assert (empty["score"], empty["parts"]) == (None, None)
    assert (data["summary"]["assigned"], data["summary"]["unassigned"]) == (2, 1)


def test_an_adviser_of_one_region_gets_that_region_without_asking(mentors):
    data = client_for(mentors.users["adviser"]).get(assignment_url(edition=mentors.edition.slug)).json()
    assert data["region"] == "antwerpen-waasland"
    assert sorted(p["school"]["name"] for p in data["pairs"]) == [
        "GO! Koninklijk Atheneum Antwerpen",
        "Technicum Antwerpen",
    ]


def test_an_adviser_of_two_regions_must_choose_one(mentors):
    adviser = mentors.users["adviser"]
    Membership.objects.create(user=adviser, role=Role.ADVISER, region=f.region("limburg"))
    adviser = type(adviser).objects.get(pk=adviser.pk)  # fresh memberships
    client = client_for(adviser)
    response = client.get(assignment_url(edition=mentors.edition.slug))
    assert response.status_code == 400
    assert response.json() == {"region": ["Je bent adviseur in meer dan één regio: kies er een met region=<slug>."]}
    limburg = client.get(assignment_url(edition=mentors.edition.slug, region="limburg")).json()
    assert [p["school"]["name"] for p in limburg["pairs"]] == ["Katholiek Secundair Onderwijs Mol"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"edition": ["Dit veld is vereist."]}),
        ({"edition": "1999-2000"}, {"edition": ["Onbekende editie: 1999-2000."]}),
        ({"edition": "2026-2027", "region": "brussel"}, {"region": ["Onbekende regio: brussel."]}),
        ({"edition": "2026-2027", "fairness": "misschien"}, {"fairness": ["Geef true of false."]}),
    ],
)
def test_assignment_refuses_invalid_parameters_with_a_clear_message(mentors, params, errors):
    response = client_for(mentors.users["coordinator"]).get(assignment_url(**params))
    assert response.status_code == 400
    assert response.json() == errors


def test_assignment_is_refused_to_a_school_member_with_a_message(mentors):
    response = client_for(mentors.users["own_school"]).get(assignment_url(edition=mentors.edition.slug))
    assert response.status_code == 403
    assert response.json() == {"detail": "Alleen coördinatoren en adviseurs kunnen de toewijzing maken."}


def test_applying_the_assignment_role_matrix(mentors):
    url = reverse("matching-assignment-apply")
    body = {"edition": mentors.edition.slug, "region": "antwerpen-waasland"}
    check_role_matrix(
        mentors,
        lambda client: post(client, url, body),
        expect(NO_ASSIGNMENT, adviser_other_region=404, adviser=201, coordinator=200),
    )
    # The coordinator's call found nothing new (200): the adviser's proposals are not recorded twice.
    assert sorted(Match.objects.values_list("participation__school__name", flat=True)) == [
        "GO! Koninklijk Atheneum Antwerpen",
        "Technicum Antwerpen",
    ]


def test_applying_records_the_proposed_pairs_and_returns_them(mentors):
    expected = {
        pair.participation.pk: pair.company.pk
        for pair in services.assignment_proposal(edition=mentors.edition, region="antwerpen-waasland")
    }
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "region": "antwerpen-waasland"},
    )
    assert response.status_code == 201
    data = response.json()
    assert {m["participation"]: m["company"]["id"] for m in data} == expected
    assert {m["status"] for m in data} == {"proposed"}
    assert all(m["score"] is not None and set(m["parts"]) == PARTS for m in data)
    assert sorted(m["id"] for m in data) == sorted(Match.objects.values_list("pk", flat=True))


def test_applying_again_records_nothing_new(mentors):
    client = client_for(mentors.users["coordinator"])
    body = {"edition": mentors.edition.slug}
    assert post(client, reverse("matching-assignment-apply"), body).status_code == 201
    again = post(client, reverse("matching-assignment-apply"), body)
    assert (again.status_code, again.json()) == (200, [])
    assert Match.objects.count() == 3


def test_applying_supersedes_the_schools_open_proposal_of_another_company(mentors):
    old = propose(mentors, company=mentors.other_company)
    [pair] = [
        p for p in services.assignment_proposal(edition=mentors.edition) if p.participation == participation_of(mentors)
    ]
    assert pair.company == mentors.company  # nearby chemistry beats Umicore in Brugge
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "participations": [participation_of(mentors).pk]},
    )
    assert response.status_code == 201
    [new] = response.json()
    assert (new["company"]["name"], new["status"]) == ("BASF Antwerpen", "proposed")
    old.refresh_from_db()
    assert old.status == Match.Status.REJECTED
    assert Match.objects.filter(participation=participation_of(mentors), status=Match.Status.PROPOSED).count() == 1


def test_applying_only_the_chosen_pairs(mentors):
    own = participation_of(mentors)
    response = post(
        client_for(mentors.users["coordinator"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "participations": [own.pk]},
    )
    assert response.status_code == 201
    assert [m["participation"] for m in response.json()] == [own.pk]
    assert list(Match.objects.values_list("participation", flat=True)) == [own.pk]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"participations": []}, "participations", "Deze lijst mag niet leeg zijn."),
        ({"participations": ["een"]}, "participations", None),
        ({"region": "brussel"}, "region", "Onbekende regio: brussel."),
        ({"participations": [999999]}, "participations", None),
    ],
)
def test_applying_writes_nothing_on_invalid_input(mentors, body, field, message):
    response = post(
        client_for(mentors.users["coordinator"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, **body},
    )
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Match.objects.exists()


def test_applying_refuses_a_school_outside_the_region_and_names_it(mentors):
    far = participation_of(mentors, mentors.far_school)
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "participations": [participation_of(mentors).pk, far.pk]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "participations": [f"Niet in dit voorstel (al gekoppeld, of een andere editie of regio): {far.pk}."]
    }
    assert not Match.objects.exists()


def test_applying_refuses_a_school_the_proposal_leaves_without_a_company(mentors):
    mentors.company.mentor_profiles.update(capacity=1)
    proposal = services.assignment_proposal(edition=mentors.edition)
    [empty] = [pair.participation.pk for pair in proposal if pair.company is None]
    response = post(
        client_for(mentors.users["coordinator"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "participations": [empty]},
    )
    assert response.status_code == 400
    assert response.json() == {"participations": [f"Het voorstel heeft geen mentorbedrijf voor: {empty}."]}
    assert not Match.objects.exists()


# --- Match list and detail ------------------------------------------------------------------------------------------


def test_match_list_role_matrix(mentors):
    propose(mentors)
    check_role_matrix(
        mentors,
        lambda client: client.get(reverse("match-list")),
        {
            "anonymous": 403,
            "other_school": 200,
            "own_school": 200,
            "company": 200,
            "adviser_other_region": 200,
            "adviser": 200,
            "juror": 403,
            "juror_with_conflict": 403,
            "coordinator": 200,
        },
    )


def test_match_list_shows_each_role_exactly_its_matches(mentors):
    mine = propose(mentors)
    theirs = propose(mentors, mentors.other_school, mentors.other_company)
    far = propose(mentors, mentors.far_school)

    assert listed(mentors.users["own_school"]) == [mine.pk]
    assert listed(mentors.users["other_school"]) == [theirs.pk]
    assert listed(mentors.users["company"]) == sorted([mine.pk, far.pk])
    assert listed(f.company_member(mentors.other_company)) == [theirs.pk]
    assert listed(mentors.users["adviser"]) == sorted([mine.pk, theirs.pk])
    assert listed(mentors.users["adviser_other_region"]) == [far.pk]
    assert listed(mentors.users["coordinator"]) == sorted([mine.pk, theirs.pk, far.pk])


def test_match_list_filters_by_edition_status_and_participation(mentors):
    mine = propose(mentors)
    theirs = propose(mentors, mentors.other_school, mentors.other_company)
    decisions.match_reject(match=theirs, by=None, reason="Past niet")
    previous = f.EditionFactory(year=2025)
    old_participation = f.ParticipationFactory(edition=previous, school=mentors.school)
    old = decisions.match_no_match(participation=old_participation, by=None, reason="Geen bedrijf")
    coordinator = mentors.users["coordinator"]

    assert listed(coordinator) == sorted([mine.pk, theirs.pk, old.pk])
    assert listed(coordinator, edition=mentors.edition.slug) == sorted([mine.pk, theirs.pk])
    assert listed(coordinator, edition=previous.slug) == [old.pk]
    assert listed(coordinator, status="rejected") == [theirs.pk]
    assert listed(coordinator, participation=str(participation_of(mentors).pk)) == [mine.pk]
    response = client_for(coordinator).get(reverse("match-list"), {"status": "misschien"})
    assert response.status_code == 400


def test_match_list_queries_do_not_grow_with_the_number_of_matches(mentors):
    client = client_for(mentors.users["coordinator"])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("match-list"))
        return len(response.json()["results"]), len(queries)

    propose(mentors)
    one, queries_for_one = count()
    propose(mentors, mentors.other_school, mentors.other_company)
    decisions.match_no_match(participation=participation_of(mentors, mentors.far_school), by=None, reason="Geen")
    three, queries_for_three = count()
    assert (one, three) == (1, 3)
    assert queries_for_three == queries_for_one


def test_match_detail_role_matrix(mentors):
    match = propose(mentors)
    check_role_matrix(
        mentors,
        lambda client: client.get(match_url(match)),
        expect(HIDDEN, own_school=200, company=200, adviser=200, coordinator=200),
    )


def test_a_decider_sees_score_parts_and_history_of_a_match(mentors):
    match = propose(mentors)
    data = client_for(mentors.users["adviser"]).get(match_url(match)).json()
    assert data["score"] == pytest.approx(match.score)
    assert set(data["parts"]) == PARTS
    assert "BASF Antwerpen" in data["history"]
    assert data["allowed"] == {"accept_as_school": False, "accept_as_company": False, "decide": True}
    assert (data["school"]["name"], data["company"]["name"], data["status"]) == (
        "GO! Koninklijk Atheneum Antwerpen",
        "BASF Antwerpen",
        "proposed",
    )


@pytest.mark.parametrize("role", ["own_school", "company"])
def test_school_and_company_members_never_see_a_score(mentors, role):
    match = propose(mentors)
    assert match.score is not None
    client = client_for(mentors.users[role])
    detail = client.get(match_url(match)).json()
    [listed_match] = client.get(reverse("match-list")).json()["results"]
    for data in (detail, listed_match):
        assert data["id"] == match.pk
        assert not {"score", "parts", "history"} & set(data)
    side = "school" if role == "own_school" else "company"
    assert detail["allowed"] == {
        "accept_as_school": side == "school",
        "accept_as_company": side == "company",
        "decide": False,
    }


# --- Proposing ------------------------------------------------------------------------------------------------------


def test_propose_role_matrix(mentors):
    body = {"participation": participation_of(mentors).pk, "company": mentors.company.pk, "note": "Dichtbij"}
    check_role_matrix(
        mentors,
        lambda client: post(client, reverse("match-list"), body),
        expect(NOT_A_DECIDER, adviser_other_region=404, adviser=201, coordinator=200),
    )
    # The coordinator proposed the same company again: the adviser's open proposal is answered (200), not replaced.
    [match] = Match.objects.all()
    assert match.status == Match.Status.PROPOSED and match.note.count("Dichtbij") == 2


def test_proposing_returns_the_match_with_its_score_and_note(mentors):
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("match-list"),
        {"participation": participation_of(mentors).pk, "company": mentors.company.pk, "note": "Sterke chemie"},
    )
    assert response.status_code == 201
    data = response.json()
    match = Match.objects.get()
    assert (data["id"], data["status"], data["company"]["name"]) == (match.pk, "proposed", "BASF Antwerpen")
    assert data["score"] == pytest.approx(match.score)
    assert data["history"].endswith("Sterke chemie")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"company": "BASF"}, {"participation": ["Dit veld is vereist."], "company": ["Een geldig getal is vereist."]}),
        ({"participation": "own"}, {"company": ["Dit veld is vereist."]}),
        ({"participation": "own", "company": "no_profile"}, {"company": ["Kies een mentorbedrijf van deze editie."]}),
        (
            {"participation": "own", "company": "excluded"},
            {"non_field_errors": ["Dit bedrijf is uitgesloten voor deze school."]},
        ),
        ({"participation": "own", "company": "ok", "note": "x" * 1001}, None),
    ],
)
def test_proposing_refuses_invalid_input_and_writes_nothing(mentors, body, errors):
    without_profile = f.CompanyFactory(name="Geen Mentor NV")
    decisions.pair_exclude(
        participation=participation_of(mentors), company=mentors.other_company, by=None, reason="Nee"
    )
    values = {
        "own": participation_of(mentors).pk,
        "ok": mentors.company.pk,
        "no_profile": without_profile.pk,
        "excluded": mentors.other_company.pk,
    }
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("match-list"),
        {key: values.get(value, value) for key, value in body.items()},
    )
    assert response.status_code == 400
    if errors is not None:
        assert response.json() == errors
    else:
        assert list(response.json()) == ["note"]
    assert not Match.objects.exists()


def test_proposing_to_a_matched_school_is_refused(mentors):
    match = propose(mentors)
    decisions.match_accept(match=match, by=None, side="school")
    decisions.match_accept(match=match, by=None, side="company")
    response = post(
        client_for(mentors.users["adviser"]),
        reverse("match-list"),
        {"participation": participation_of(mentors).pk, "company": mentors.other_company.pk},
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Deze school heeft al een actief mentorbedrijf."]}
    assert Match.objects.count() == 1


# --- Accepting and rejecting ----------------------------------------------------------------------------------------


def test_accept_role_matrix_lets_only_the_school_and_the_company_accept(mentors):
    match = propose(mentors)
    check_role_matrix(
        mentors,
        lambda client: post(client, match_url(match, "accept")),
        expect(HIDDEN, own_school=200, company=200, adviser=403, coordinator=403),
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


def test_a_school_member_cannot_accept_for_the_company(mentors):
    match = propose(mentors)
    response = post(client_for(mentors.users["own_school"]), match_url(match, "accept"), {"side": "company"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Je kunt deze koppeling niet namens die partij aanvaarden."}
    match.refresh_from_db()
    assert (match.school_accepted_at, match.company_accepted_at) == (None, None)


def test_accepting_refuses_an_unknown_side_and_a_rejected_match(mentors):
    match = propose(mentors)
    client = client_for(mentors.users["own_school"])
    unknown = post(client, match_url(match, "accept"), {"side": "jury"})
    assert unknown.status_code == 400
    assert list(unknown.json()) == ["side"]
    decisions.match_reject(match=match, by=None, reason="Past niet")
    refused = post(client, match_url(match, "accept"), {"side": "school"})
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["Alleen een voorgestelde koppeling kan worden aanvaard."]}
    match.refresh_from_db()
    assert match.school_accepted_at is None


def test_reject_role_matrix(mentors):
    def reject(client: Client) -> object:
        return post(client, match_url(propose(mentors), "reject"), {"reason": "Past niet"})

    # The company member sees its own company's match (no 404) but may not reject it.
    check_role_matrix(mentors, reject, expect(HIDDEN, own_school=403, company=403, adviser=200, coordinator=200))
    # Every role got a fresh proposal; only the adviser's and the coordinator's calls rejected one themselves.
    rejected = Match.objects.filter(status=Match.Status.REJECTED, note__contains="Past niet")
    assert rejected.count() == 2


def test_rejecting_needs_a_reason_and_a_proposed_match(mentors):
    match = propose(mentors)
    client = client_for(mentors.users["adviser"])
    blank = post(client, match_url(match, "reject"), {"reason": "  "})
    assert blank.status_code == 400
    assert blank.json() == {"reason": ["Dit veld mag niet leeg zijn."]}
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED

    done = post(client, match_url(match, "reject"), {"reason": "Te ver"})
    assert (done.status_code, done.json()["status"]) == (200, "rejected")
    again = post(client, match_url(match, "reject"), {"reason": "Nog eens"})
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["Alleen een voorgestelde koppeling kan worden afgewezen."]}
    match.refresh_from_db()
    assert "Nog eens" not in match.note


# --- No match and excluded pairs ------------------------------------------------------------------------------------


def test_no_match_role_matrix(mentors):
    body = {"participation": participation_of(mentors).pk, "reason": "Geen bedrijf in de buurt"}
    check_role_matrix(
        mentors,
        lambda client: post(client, reverse("matching-no-match"), body),
        expect(NOT_A_DECIDER, adviser_other_region=404, adviser=201, coordinator=201),
    )
    assert set(Match.objects.values_list("status", "company")) == {(Match.Status.NO_MATCH, None)}


def test_no_match_needs_a_reason_and_closes_the_open_proposal(mentors):
    open_match = propose(mentors)
    client = client_for(mentors.users["adviser"])
    url = reverse("matching-no-match")
    blank = post(client, url, {"participation": participation_of(mentors).pk, "reason": ""})
    assert (blank.status_code, blank.json()) == (400, {"reason": ["Dit veld mag niet leeg zijn."]})
    assert Match.objects.count() == 1

    response = post(client, url, {"participation": participation_of(mentors).pk, "reason": "Geen bedrijf"})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["company"]) == ("no_match", None)
    open_match.refresh_from_db()
    assert open_match.status == Match.Status.REJECTED


def test_exclude_pair_role_matrix(mentors):
    body = {"participation": participation_of(mentors).pk, "company": mentors.company.pk, "reason": "Concurrent"}
    check_role_matrix(
        mentors,
        lambda client: post(client, reverse("matching-excluded-pairs"), body),
        expect(NOT_A_DECIDER, adviser_other_region=404, adviser=201, coordinator=201),
    )
    assert list(ExcludedPair.objects.values_list("company", "reason")) == [(mentors.company.pk, "Concurrent")]


def test_excluding_a_pair_rejects_its_open_proposal_and_refuses_the_active_mentor(mentors):
    match = propose(mentors)
    client = client_for(mentors.users["adviser"])
    url = reverse("matching-excluded-pairs")
    body = {"participation": participation_of(mentors).pk, "company": mentors.company.pk, "reason": "Concurrent"}
    response = post(client, url, body)
    assert response.status_code == 201
    data = response.json()
    assert (data["company"]["name"], data["reason"]) == ("BASF Antwerpen", "Concurrent")
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED

    active = propose(mentors, company=mentors.other_company)
    decisions.match_accept(match=active, by=None, side="school")
    decisions.match_accept(match=active, by=None, side="company")
    refused = post(client, url, body | {"company": mentors.other_company.pk})
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["Dit bedrijf is het actieve mentorbedrijf van de school."]}
    assert list(ExcludedPair.objects.values_list("company", flat=True)) == [mentors.company.pk]


def test_excluding_needs_a_reason_and_a_mentor_company(mentors):
    client = client_for(mentors.users["adviser"])
    url = reverse("matching-excluded-pairs")
    own = participation_of(mentors).pk
    no_reason = post(client, url, {"participation": own, "company": mentors.company.pk, "reason": ""})
    assert (no_reason.status_code, no_reason.json()) == (400, {"reason": ["Dit veld mag niet leeg zijn."]})
    stranger = f.CompanyFactory(name="Geen Mentor NV")
    not_mentor = post(client, url, {"participation": own, "company": stranger.pk, "reason": "Nee"})
    assert (not_mentor.status_code, not_mentor.json()) == (
        400,
        {"company": ["Kies een mentorbedrijf van deze editie."]},
    )
    assert not ExcludedPair.objects.exists()


# --- A full flow, token auth and the schema -------------------------------------------------------------------------


def test_full_flow_adviser_proposes_school_and_company_accept_and_the_school_is_matched(mentors):
    participation = participation_of(mentors)
    adviser = client_for(mentors.users["adviser"])
    proposed = post(adviser, reverse("match-list"), {"participation": participation.pk, "company": mentors.company.pk})
    assert proposed.status_code == 201
    match_id = proposed.json()["id"]
    accept = reverse("match-accept", args=[match_id])

    school = client_for(mentors.users["own_school"])
    [listed_for_school] = school.get(reverse("match-list")).json()["results"]
    assert listed_for_school["allowed"]["accept_as_school"] is True
    after_school = post(school, accept, {"side": "school"}).json()
    assert after_school["status"] == "proposed" and after_school["school_accepted_at"] is not None

    company = client_for(mentors.users["company"])
    after_company = post(company, accept).json()  # no side: the only side a company member may accept for
    assert after_company["status"] == "active"
    assert after_company["company_accepted_at"] is not None
    assert "score" not in after_company and "parts" not in after_company

    participation.refresh_from_db()
    assert participation.status == Participation.Status.MATCHED
    assert adviser.get(reverse("match-detail", args=[match_id])).json()["status"] == "active"


def test_token_authentication_gives_a_company_member_its_matches_without_scores(mentors):
    mine = propose(mentors)
    propose(mentors, mentors.other_school, mentors.other_company)
    token = Token.objects.create(user=mentors.users["company"])
    response = Client().get(reverse("match-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    [data] = response.json()["results"]
    assert data["id"] == mine.pk
    assert "score" not in data


def test_schema_lists_the_matching_endpoints(client):
    paths = client.get(reverse("api-schema") + "?format=json").json()["paths"]
    assert {
        "/api/v1/matching/rankings/{participation_id}/",
        "/api/v1/matching/assignment/",
        "/api/v1/matching/assignment/apply/",
        "/api/v1/matching/no-match/",
        "/api/v1/matching/excluded-pairs/",
        "/api/v1/matches/",
        "/api/v1/matches/{id}/",
        "/api/v1/matches/{id}/accept/",
        "/api/v1/matches/{id}/reject/",
    } <= set(paths)
    assert set(paths["/api/v1/matches/"]) == {"get", "post"}
    assert set(paths["/api/v1/matches/{id}/"]) == {"get"}
    ranking_params = {p["name"] for p in paths["/api/v1/matching/rankings/{participation_id}/"]["get"]["parameters"]}
    assert {"participation_id", "limit", "max_distance_km", "study_area"} <= ranking_params


def test_schema_of_the_matching_endpoints_generates_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    # Only ours: another app's half-done endpoint must not fail this test (`manage.py spectacular --fail-on-warn`
    # checks the whole API).
    problems = [
        m for m in (*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache) if "Match" in m or "match" in m
    ]
    GENERATOR_STATS.reset()
    assert problems == []


# --- Code review (issue 4) ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["match-list", "matching-no-match", "matching-excluded-pairs"])
@pytest.mark.parametrize("role", ["juror", "own_school", "company"])
def test_a_role_that_never_decides_gets_403_whatever_the_body(mentors, endpoint, role):
    response = post(client_for(mentors.users[role]), reverse(endpoint), {})
    assert response.status_code == 403
    assert not Match.objects.exists() and not ExcludedPair.objects.exists()


def test_the_assignment_lists_the_schools_it_skips_with_the_reason(mentors):
    decisions.match_no_match(participation=participation_of(mentors), by=None, reason="Geen bedrijf in de buurt")
    data = client_for(mentors.users["coordinator"]).get(assignment_url(edition=mentors.edition.slug)).json()
    assert participation_of(mentors).pk not in [p["participation"] for p in data["pairs"]]
    [skipped] = data["skipped"]
    assert (skipped["participation"], skipped["school"]["name"]) == (
        participation_of(mentors).pk,
        "GO! Koninklijk Atheneum Antwerpen",
    )
    assert skipped["reason"].endswith("geen koppeling – Geen bedrijf in de buurt")


def test_applying_refuses_a_company_that_filled_up_and_writes_nothing(mentors, monkeypatch):
    # The proposal is computed, then another school takes Umicore's only place before the pairs are recorded.
    mentors.company.mentor_profiles.update(capacity=1)  # one school of the region gets BASF, the other Umicore
    real = services.assignment_proposal

    def proposal_then_taken(**kwargs):
        pairs = real(**kwargs)
        Match.objects.create(
            participation=participation_of(mentors, mentors.far_school),
            company=mentors.other_company,
            status=Match.Status.ACTIVE,
        )
        return pairs

    monkeypatch.setattr(services, "assignment_proposal", proposal_then_taken)
    response = post(
        client_for(mentors.users["coordinator"]),
        reverse("matching-assignment-apply"),
        {"edition": mentors.edition.slug, "region": "antwerpen-waasland"},
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Umicore is volzet in deze editie (1 van 1 plaatsen ingenomen)."]}
    assert not Match.objects.filter(status=Match.Status.PROPOSED).exists()
