"""The measurements API: who sees and may change what (all nine roles), saving with optimistic concurrency, the
state transitions, token auth, an N+1 guard and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from baseline import selectors, services
from baseline.models import Evidence, Measurement
from baseline.tests.factories import filled_measurement, started_measurement
from partners.models import Participation, School, User
from partners.tests import factories as f
from partners.tests.roles import ROLES, World, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

# Anonymous callers are refused (403: the session authenticator sends no challenge); outside the scope: 404.
HIDDEN = dict.fromkeys(ROLES, 404) | {"anonymous": 403}


@pytest.fixture
def english(settings):
    """Messages in English, so these tests do not change when the Dutch translations arrive."""
    settings.LANGUAGE_CODE = "en"


def expect(**statuses: int) -> dict[str, int]:
    return {**HIDDEN, **statuses}


def participation(world: World, school: School | None = None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


def list_url(**params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("measurement-list") + (f"?{query}" if query else "")


def detail_url(measurement: Measurement, action: str | None = None) -> str:
    if action is None:
        return reverse("measurement-detail", args=[measurement.pk])
    return reverse(f"measurement-{action}", args=[measurement.pk])


def patch(client: Client, measurement: Measurement, body: dict) -> object:
    return client.patch(detail_url(measurement), body, content_type="application/json")


def current_version(measurement: Measurement) -> int:
    return Measurement.objects.values_list("version", flat=True).get(pk=measurement.pk)


def level_of(measurement: Measurement, number: int) -> int | None:
    return measurement.assessments.get(criterion__number=number).level


# --- Reading --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "schools"),
    [
        ("own_school", ["GO! Koninklijk Atheneum Antwerpen"]),
        ("other_school", ["Technicum Antwerpen"]),
        ("adviser", ["GO! Koninklijk Atheneum Antwerpen", "Technicum Antwerpen"]),
        ("adviser_other_region", ["Katholiek Secundair Onderwijs Mol"]),
        ("company", []),
        ("juror", []),
        ("juror_with_conflict", []),
        (
            "coordinator",
            ["GO! Koninklijk Atheneum Antwerpen", "Katholiek Secundair Onderwijs Mol", "Technicum Antwerpen"],
        ),
    ],
)
def test_measurement_list_shows_each_role_exactly_its_schools(world, role, schools):
    for school in (world.school, world.other_school, world.far_school):
        filled_measurement(participation(world, school))
    response = client_for(world.users[role]).get(list_url())
    assert response.status_code == 200
    assert sorted(item["school"]["name"] for item in response.json()["results"]) == schools


def test_measurement_list_is_closed_to_anonymous(world):
    filled_measurement(participation(world))
    assert client_for(None).get(list_url()).status_code == 403


def test_measurement_list_filters_by_edition_kind_status_and_school(world):
    baseline = filled_measurement(participation(world), finalise=True)
    end = services.end_measurement_start(baseline=baseline, by=world.users["coordinator"])
    other = started_measurement(participation(world, world.other_school))
    previous = f.EditionFactory(year=2025)
    old = started_measurement(f.ParticipationFactory(edition=previous, school=world.school))
    client = client_for(world.users["coordinator"])

    def ids(**params: str) -> list[int]:
        return sorted(item["id"] for item in client.get(list_url(**params)).json()["results"])

    assert ids() == sorted([baseline.pk, end.pk, other.pk, old.pk])
    assert ids(edition=previous.slug) == [old.pk]
    assert ids(kind="end") == [end.pk]
    assert ids(status="finalised") == [baseline.pk]
    assert ids(school=str(world.other_school.pk)) == [other.pk]
    assert ids(edition=world.edition.slug, kind="baseline", school=str(world.school.pk)) == [baseline.pk]


def test_measurement_detail_is_visible_to_own_school_its_regional_adviser_and_coordinator(world):
    measurement = filled_measurement(participation(world))
    url = detail_url(measurement)
    check_role_matrix(world, lambda c: c.get(url), expect(own_school=200, adviser=200, coordinator=200))


def test_measurement_detail_shows_assessments_evidence_advice_and_the_scorecard(world):
    adviser = world.users["adviser"]
    measurement = filled_measurement(participation(world), levels={5: 3, 6: 0}, focus=(2, 5))
    measurement = services.measurement_save(
        measurement=measurement,
        by=adviser,
        version=measurement.version,
        data=services.MeasurementInput(
            meeting={"present_director": "Mevr. Peeters", "advice": "Bouw verder op de projectweken."},
            element_advice={measurement.framework.elements.get(number=2).pk: "Meer vakoverschrijdend werken."},
        ),
    )
    assessment = measurement.assessments.get(criterion__number=5)
    Evidence.objects.create(assessment=assessment, title="Projectweek 2025", url="https://school.example/pw")

    data = client_for(adviser).get(detail_url(measurement)).json()

    assert data["school"] == {"id": world.school.pk, "name": "GO! Koninklijk Atheneum Antwerpen"}
    assert (data["edition"], data["kind"], data["status"]) == (world.edition.slug, "baseline", "draft")
    assert data["framework"] == "stem-school-label-v1"
    assert data["version"] == measurement.version
    assert data["meeting"]["present_director"] == "Mevr. Peeters"
    assert data["advice"] == "Bouw verder op de projectweken."
    assert data["element_advice"] == [{"element": 2, "text": "Meer vakoverschrijdend werken."}]
    assert data["focus_elements"] == [2, 5]
    assert data["allowed"] == {"edit_assessments": True, "review": True, "submit": False, "reopen": False}
    fifth = next(a for a in data["assessments"] if a["criterion"] == 5)
    assert fifth == {
        "criterion": 5,
        "criterion_name": "Interdisciplinair lesgeven",
        "element": 2,
        "level": 3,
        "practice": "Toepassing 5",
        "improvement": "Werkpunt 5",
        "evidence": [
            {"kind": "practice", "title": "Projectweek 2025", "url": "https://school.example/pw", "file_url": None}
        ],
    }
    # The same numbers as the selector the pages use.
    card = selectors.scorecard_for(selectors.measurement_detail_for(user=adviser, measurement_id=measurement.pk))
    scores = data["scores"]
    assert (scores["points"], scores["max_points"], scores["percentage"]) == (
        card.points,
        card.max_points,
        card.percentage,
    )
    assert (scores["indicative_level"], scores["progress"]) == (card.level, card.progress)
    assert [(e["number"], e["points"], e["max_points"], e["percentage"]) for e in scores["elements"]] == [
        (e.element, e.points, e.max_points, e.percentage) for e in card.elements
    ]
    assert scores["elements"][1]["name"] == "Leerplan"


def test_measurement_list_queries_do_not_grow_with_the_number_of_measurements(world):
    client = client_for(world.users["coordinator"])

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url())
        return len(response.json()["results"]), len(queries)

    first = filled_measurement(participation(world))
    Evidence.objects.create(assessment=first.assessments.first(), title="Link", url="https://example.be")
    one, queries_for_one = count_queries()
    for school in (world.other_school, world.far_school):
        measurement = filled_measurement(participation(world, school))
        Evidence.objects.create(assessment=measurement.assessments.first(), title="Link", url="https://example.be")
    three, queries_for_three = count_queries()
    assert (one, three) == (1, 3)
    assert queries_for_three == queries_for_one


def test_token_authentication_gives_a_school_member_their_measurements(world):
    filled_measurement(participation(world))
    filled_measurement(participation(world, world.other_school))
    token = Token.objects.create(user=world.users["own_school"])
    response = Client().get(list_url(), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [item["school"]["id"] for item in response.json()["results"]] == [world.school.pk]
    assert Client().get(list_url(), HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 403


def test_schema_lists_the_measurement_endpoints(client):
    paths = client.get(reverse("api-schema") + "?format=json").json()["paths"]
    assert {
        "/api/v1/measurements/",
        "/api/v1/measurements/{id}/",
        "/api/v1/measurements/{id}/submit/",
        "/api/v1/measurements/{id}/finalise/",
        "/api/v1/measurements/{id}/reopen/",
        "/api/v1/measurements/{id}/end-measurement/",
    } <= set(paths)
    assert {"get", "patch"} <= set(paths["/api/v1/measurements/{id}/"])
    assert "put" not in paths["/api/v1/measurements/{id}/"]


# --- Starting -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_baseline_is_for_own_school_its_regional_adviser_and_coordinator(world, role):
    expected = expect(own_school=201, adviser=201, coordinator=201)[role]
    response = client_for(world.users[role]).post(
        reverse("measurement-list"), {"participation": participation(world).pk}, content_type="application/json"
    )
    assert response.status_code == expected
    started = Measurement.objects.filter(participation=participation(world)).first()
    if expected == 201:
        assert response.json()["id"] == started.pk
        assert len(response.json()["assessments"]) == 21
    else:
        assert started is None


def test_starting_twice_returns_the_existing_baseline(world):
    existing = started_measurement(participation(world))
    response = client_for(world.users["own_school"]).post(
        reverse("measurement-list"), {"participation": participation(world).pk}, content_type="application/json"
    )
    assert (response.status_code, response.json()["id"]) == (200, existing.pk)


def test_end_measurement_copies_a_submitted_baseline_and_refuses_a_draft(world, english):
    client = client_for(world.users["own_school"])
    draft = filled_measurement(participation(world), levels={1: 3})
    refused = client.post(detail_url(draft, "end-measurement"))
    assert refused.status_code == 400
    assert refused.json() == {
        "non_field_errors": ["Submit the baseline measurement before starting the end measurement."]
    }

    services.measurement_submit(measurement=draft, by=world.users["own_school"])
    response = client.post(detail_url(draft, "end-measurement"))
    assert response.status_code == 201
    data = response.json()
    assert (data["kind"], data["based_on"], data["status"]) == ("end", draft.pk, "draft")
    assert next(a["level"] for a in data["assessments"] if a["criterion"] == 1) == 3
    assert client.post(detail_url(draft, "end-measurement")).status_code == 200


# --- Saving ---------------------------------------------------------------------------------------------------------


def test_changing_assessments_is_for_own_school_its_regional_adviser_and_coordinator(world):
    measurement = filled_measurement(participation(world))

    def save(client: Client) -> object:
        body = {"version": current_version(measurement), "assessments": [{"criterion": 5, "level": 3}]}
        return patch(client, measurement, body)

    check_role_matrix(world, save, expect(own_school=200, adviser=200, coordinator=200))


def test_recording_the_meeting_is_for_the_regional_adviser_and_coordinator(world):
    measurement = filled_measurement(participation(world))

    def save(client: Client) -> object:
        body = {"version": current_version(measurement), "meeting": {"present_tac": "Dhr. Janssens"}}
        return patch(client, measurement, body)

    check_role_matrix(world, save, expect(own_school=403, adviser=200, coordinator=200))


def test_school_member_cannot_record_the_meeting_or_focus_elements(world):
    measurement = filled_measurement(participation(world))
    client = client_for(world.users["own_school"])
    for body in (
        {"meeting": {"date": "2026-11-20"}},
        {"advice": "Zelf geschreven advies"},
        {"focus_elements": [3]},
        {"element_advice": [{"element": 1, "text": "Zelf"}]},
        # Allowed and forbidden keys in one request: nothing is saved.
        {"assessments": [{"criterion": 1, "level": 0}], "focus_elements": [3]},
    ):
        response = patch(client, measurement, {"version": measurement.version, **body})
        assert response.status_code == 403, body
    measurement.refresh_from_db()
    assert (measurement.meeting_date, measurement.advice, level_of(measurement, 1)) == (None, "", 2)
    assert sorted(measurement.focus_elements.values_list("number", flat=True)) == [1, 2]


def test_saving_changes_the_level_and_bumps_the_version(world):
    measurement = filled_measurement(participation(world))
    response = patch(
        client_for(world.users["own_school"]),
        measurement,
        {"version": measurement.version, "assessments": [{"criterion": 5, "level": 3, "improvement": "Co-teaching"}]},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == measurement.version + 1
    assert next(a for a in data["assessments"] if a["criterion"] == 5)["level"] == 3
    assessment = measurement.assessments.get(criterion__number=5)
    assert (assessment.level, assessment.practice, assessment.improvement) == (3, "Toepassing 5", "Co-teaching")


def test_adviser_records_meeting_advice_element_advice_and_focus_elements_by_number(world):
    measurement = filled_measurement(participation(world))
    response = patch(
        client_for(world.users["adviser"]),
        measurement,
        {
            "version": measurement.version,
            "meeting": {"date": "2026-11-20", "present_director": "Mevr. Peeters", "present_adviser": "Jan Voka"},
            "advice": "Start met een STEM-werkgroep.",
            "element_advice": [{"element": 6, "text": "Zoek een peterbedrijf."}],
            "focus_elements": [6, 2, 6],
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["meeting"] == {
        "date": "2026-11-20",
        "present_director": "Mevr. Peeters",
        "present_tac": "",
        "present_adviser": "Jan Voka",
        "present_others": "",
    }
    assert (data["advice"], data["focus_elements"]) == ("Start met een STEM-werkgroep.", [2, 6])
    assert data["element_advice"] == [{"element": 6, "text": "Zoek een peterbedrijf."}]
    assert data["version"] == measurement.version + 1


def test_a_stale_save_is_refused_with_what_the_other_person_changed(world, english):
    measurement = filled_measurement(participation(world))
    loaded = measurement.version
    school = world.users["own_school"]
    assert (
        patch(
            client_for(school), measurement, {"version": loaded, "assessments": [{"criterion": 5, "level": 3}]}
        ).status_code
        == 200
    )

    response = patch(
        client_for(world.users["adviser"]),
        measurement,
        {"version": loaded, "assessments": [{"criterion": 5, "level": 1}]},
    )

    assert response.status_code == 409
    data = response.json()
    assert data["current_version"] == loaded + 1
    assert [{k: v for k, v in change.items() if k != "at"} for change in data["changes"]] == [
        {"field": "level", "criterion": 5, "old": 2, "new": 3, "version": loaded + 1, "by": str(school)}
    ]
    assert "Someone else saved" in data["detail"]
    assert level_of(measurement, 5) == 3
    assert current_version(measurement) == loaded + 1


def test_a_stale_save_names_changed_focus_elements_by_number(world):
    measurement = filled_measurement(participation(world), focus=(1, 2))
    loaded = measurement.version
    patch(client_for(world.users["coordinator"]), measurement, {"version": loaded, "focus_elements": [3]})
    response = patch(client_for(world.users["adviser"]), measurement, {"version": loaded, "focus_elements": [4]})
    assert response.status_code == 409
    change = response.json()["changes"][0]
    assert (change["field"], change["old"], change["new"]) == ("focus_elements", [1, 2], [3])


def test_a_finalised_measurement_cannot_be_saved(world, english):
    measurement = filled_measurement(participation(world), finalise=True)
    response = patch(
        client_for(world.users["coordinator"]),
        measurement,
        {"version": measurement.version, "assessments": [{"criterion": 5, "level": 0}]},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This measurement is finalised and locked. A coordinator can reopen it."}
    assert level_of(measurement, 5) == 2


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"assessments": [{"criterion": 5, "level": 1}]}, {"version": ["This field is required."]}),
        (
            {"version": "VERSION", "assessments": [{"criterion": 22, "level": 1}]},
            {"assessments": "Criterion 22 is not measured in this measurement."},
        ),
        (
            {"version": "VERSION", "assessments": [{"criterion": 5, "level": 4}]},
            {"assessments": {"0": {"level": ["Ensure this value is less than or equal to 3."]}}},
        ),
        (
            {"version": "VERSION", "assessments": [{"criterion": 5, "level": 1}, {"criterion": 5, "level": 2}]},
            {"assessments": ["Each criterion may appear once; repeated: 5."]},
        ),
        (
            {"version": "VERSION", "focus_elements": [8]},
            {"focus_elements": "Key element 8 is not part of this measurement's framework."},
        ),
        (
            {"version": "VERSION", "focus_elements": [1, 2, 3, 4, 5]},
            {"non_field_errors": ["Choose at most 4 focus key elements for this edition."]},
        ),
    ],
)
def test_invalid_saves_are_refused_with_the_reason(world, english, body, errors):
    measurement = filled_measurement(participation(world))
    if body.get("version") == "VERSION":
        body = {**body, "version": measurement.version}
    response = patch(client_for(world.users["coordinator"]), measurement, body)
    assert (response.status_code, response.json()) == (400, errors)
    assert current_version(measurement) == measurement.version


# --- Submitting, finalising, reopening ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_submitting_is_for_own_school_and_coordinator(world, role):
    measurement = filled_measurement(participation(world))
    expected = expect(own_school=200, adviser=403, coordinator=200)[role]
    response = client_for(world.users[role]).post(detail_url(measurement, "submit"))
    assert response.status_code == expected
    measurement.refresh_from_db()
    assert measurement.status == ("submitted" if expected == 200 else "draft")


def test_submitting_without_every_level_says_which_criteria_are_open(world, english):
    measurement = filled_measurement(participation(world), levels={7: None})
    response = client_for(world.users["own_school"]).post(detail_url(measurement, "submit"))
    assert response.status_code == 400
    assert "(7) Continuous assessment" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize("role", ROLES)
def test_finalising_is_for_the_regional_adviser_and_coordinator(world, role):
    measurement = filled_measurement(participation(world), submit=True)
    expected = expect(own_school=403, adviser=200, coordinator=200)[role]
    response = client_for(world.users[role]).post(detail_url(measurement, "finalise"))
    assert response.status_code == expected
    measurement.refresh_from_db()
    assert measurement.status == ("finalised" if expected == 200 else "submitted")
    if expected == 200:
        assert response.json()["allowed"] == {
            "edit_assessments": False,
            "review": False,
            "submit": False,
            "reopen": (role == "coordinator"),
        }


def test_finalising_needs_a_focus_element(world, english):
    measurement = filled_measurement(participation(world), submit=True, focus=())
    response = client_for(world.users["adviser"]).post(detail_url(measurement, "finalise"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Agree on at least one focus key element with the school first."]}


@pytest.mark.parametrize("role", ROLES)
def test_reopening_is_for_coordinators(world, role):
    measurement = filled_measurement(participation(world), finalise=True)
    expected = expect(own_school=403, adviser=403, coordinator=200)[role]
    response = client_for(world.users[role]).post(
        detail_url(measurement, "reopen"), {"reason": "Typfout in werkpunt 5"}, content_type="application/json"
    )
    assert response.status_code == expected
    measurement.refresh_from_db()
    assert measurement.status == ("submitted" if expected == 200 else "finalised")
    if expected == 200:
        assert measurement.events.first().note == "Typfout in werkpunt 5"


def test_reopening_needs_a_reason(world):
    measurement = filled_measurement(participation(world), finalise=True)
    response = client_for(world.users["coordinator"]).post(
        detail_url(measurement, "reopen"), {"reason": "  "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    measurement.refresh_from_db()
    assert measurement.status == "finalised"


def test_an_inactive_coordinator_sees_nothing(world):
    filled_measurement(participation(world))
    user: User = world.users["coordinator"]
    user.is_active = False
    user.save()
    assert client_for(user).get(list_url()).status_code == 403
