"""The measuring pages: who may do what (role matrices), autosave, stale saves, evidence, history, N+1 guards."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from baseline import services
from baseline.models import EVIDENCE_MAX_BYTES, Criterion, Evidence, Measurement, MeasurementEvent
from baseline.scale import Level
from baseline.tests.factories import filled_measurement, started_measurement
from partners.models import Participation
from partners.tests.roles import ROLES, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous people are sent to the login page
HTMX = {"HTTP_HX_REQUEST": "true"}


def expected(**statuses: int) -> dict[str, int]:
    """Everyone outside the school's scope gets 404; anonymous people the login page."""
    return {role: 404 for role in ROLES} | {"anonymous": LOGIN} | statuses


def participation(world, school=None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


@pytest.fixture
def measurement(world) -> Measurement:
    return started_measurement(participation(world), by=world.users["own_school"])


def criterion(number: int) -> Criterion:
    return Criterion.objects.get(number=number)


def current_version(measurement: Measurement) -> int:
    return Measurement.objects.values_list("version", flat=True).get(pk=measurement.pk)


def element_url(measurement: Measurement, number: int = 2) -> str:
    return reverse("baseline:measurement-element", args=[measurement.pk, number])


def form_data(measurement: Measurement, version: int | None = None, **values: str) -> dict[str, str]:
    """form_data(m, c5_practice="...") -> {"version": "1", "c<id of criterion 5>-practice": "..."}."""
    data = {"version": str(version or current_version(measurement))}
    for key, value in values.items():
        number, name = key[1:].split("_")
        data[f"c{criterion(int(number)).pk}-{name}"] = value
    return data


def set_status(measurement: Measurement, status: str) -> None:
    Measurement.objects.filter(pk=measurement.pk).update(status=status)


# --------------------------------------------------------------------------- role matrices


def test_measurement_overview_is_for_the_school_its_regional_adviser_and_the_coordinator(world, measurement):
    url = reverse("baseline:measurement-detail", args=[measurement.pk])
    check_role_matrix(world, lambda c: c.get(url), expected(own_school=200, adviser=200, coordinator=200))


def test_element_form_is_for_the_school_its_regional_adviser_and_the_coordinator(world, measurement):
    url = element_url(measurement)
    check_role_matrix(world, lambda c: c.get(url), expected(own_school=200, adviser=200, coordinator=200))


def test_saving_an_element_is_for_the_school_its_regional_adviser_and_the_coordinator(world, measurement):
    url = element_url(measurement)
    check_role_matrix(
        world,
        lambda c: c.post(url, form_data(measurement, c5_practice="Projectweek"), **HTMX),
        expected(own_school=200, adviser=200, coordinator=200),
    )


def test_nobody_saves_an_element_of_a_finalised_measurement(world):
    finalised = filled_measurement(participation(world), finalise=True)
    url = element_url(finalised)
    check_role_matrix(
        world,
        lambda c: c.post(url, form_data(finalised, c5_practice="Te laat"), **HTMX),
        expected(own_school=403, adviser=403, coordinator=403),
    )
    assert finalised.assessments.get(criterion__number=5).practice == "Toepassing 5"


def test_the_conversation_is_recorded_by_the_regional_adviser_and_the_coordinator(world, measurement):
    url = reverse("baseline:measurement-review", args=[measurement.pk])

    def post(client):
        return client.post(url, {"version": current_version(measurement), "advice": "Werk aan het leerplan."}, **HTMX)

    check_role_matrix(world, post, expected(own_school=403, adviser=200, coordinator=200))
    check_role_matrix(world, lambda c: c.get(url), expected(own_school=403, adviser=200, coordinator=200))
    measurement.refresh_from_db()
    assert measurement.advice == "Werk aan het leerplan."


def test_finalising_is_for_the_regional_adviser_and_the_coordinator(world):
    submitted = filled_measurement(participation(world), submit=True)
    url = reverse("baseline:measurement-finalise", args=[submitted.pk])
    finalised_by = []

    def post(client):
        set_status(submitted, Measurement.Status.SUBMITTED)
        response = client.post(url)
        submitted.refresh_from_db()
        if submitted.is_locked:
            finalised_by.append(submitted.finalised_by)
        return response

    check_role_matrix(world, post, expected(own_school=403, adviser=302, coordinator=302))
    assert finalised_by == [world.users["adviser"], world.users["coordinator"]]


def test_reopening_is_for_the_coordinator_only(world):
    finalised = filled_measurement(participation(world), finalise=True)
    url = reverse("baseline:measurement-reopen", args=[finalised.pk])
    reopened_by = []

    def post(client):
        set_status(finalised, Measurement.Status.FINALISED)
        response = client.post(url, {"reason": "Correctie na het gesprek"})
        event = finalised.events.first()
        if event.action == MeasurementEvent.Action.REOPENED:
            reopened_by.append(event.by)
            event.delete()
        return response

    check_role_matrix(world, post, expected(own_school=403, adviser=403, coordinator=302))
    assert reopened_by == [world.users["coordinator"]]


def test_the_history_is_readable_by_everyone_who_sees_the_measurement(world, measurement):
    url = reverse("baseline:measurement-history", args=[measurement.pk])
    check_role_matrix(world, lambda c: c.get(url), expected(own_school=200, adviser=200, coordinator=200))


def test_submitting_is_for_the_school_and_the_coordinator(world):
    complete = filled_measurement(participation(world))
    url = reverse("baseline:measurement-submit", args=[complete.pk])
    submitted_by = []

    def post(client):
        set_status(complete, Measurement.Status.DRAFT)
        response = client.post(url)
        complete.refresh_from_db()
        if complete.status == Measurement.Status.SUBMITTED:
            submitted_by.append(complete.submitted_by)
        return response

    check_role_matrix(world, post, expected(own_school=302, adviser=403, coordinator=302))
    assert submitted_by == [world.users["own_school"], world.users["coordinator"]]


def test_starting_is_for_the_school_its_regional_adviser_and_the_coordinator(world):
    url = reverse("baseline:measurement-start", args=[participation(world).pk])
    check_role_matrix(world, lambda c: c.post(url), expected(own_school=302, adviser=302, coordinator=302))
    assert Measurement.objects.filter(participation=participation(world)).count() == 1


def test_the_list_is_for_advisers_coordinators_and_schools(world, measurement):
    url = reverse("baseline:measurement-list")
    statuses = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN, "company": 403, "juror": 403}
    statuses |= {"juror_with_conflict": 403, "own_school": 302}  # the school goes straight to its measurement
    check_role_matrix(world, lambda c: c.get(url), statuses)


# --------------------------------------------------------------------------- scope


def test_a_school_never_sees_another_schools_measurement(world, measurement):
    other = started_measurement(participation(world, world.other_school))
    client = client_for(world.users["own_school"])
    for url in (
        reverse("baseline:measurement-detail", args=[other.pk]),
        element_url(other),
        reverse("baseline:measurement-history", args=[other.pk]),
        reverse("baseline:measurement-review", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(element_url(other), form_data(other, c5_practice="Inbraak"), **HTMX)
    assert response.status_code == 404
    assert other.assessments.get(criterion__number=5).practice == ""


def test_an_adviser_of_another_region_jurors_and_companies_get_404(world):
    far = started_measurement(participation(world, world.far_school))
    url = reverse("baseline:measurement-detail", args=[far.pk])
    assert client_for(world.users["adviser"]).get(url).status_code == 404
    assert client_for(world.users["adviser_other_region"]).get(url).status_code == 200
    for role in ("juror", "company"):
        assert client_for(world.users[role]).get(url).status_code == 404


def test_the_advisers_list_shows_only_their_regions_schools_with_a_start_button(world, measurement):
    response = client_for(world.users["adviser"]).get(reverse("baseline:measurement-list"))
    rows = response.context["rows"]
    assert [row.participation.school for row in rows] == [world.school, world.other_school]
    assert [row.baseline for row in rows] == [measurement, None]
    assert reverse("baseline:measurement-start", args=[participation(world, world.other_school).pk]) in response.text
    assert "Katholiek Secundair Onderwijs Mol" not in response.text


def test_a_school_member_is_sent_to_their_measurement_or_can_start_one(world):
    client = client_for(world.users["own_school"])
    response = client.get(reverse("baseline:measurement-list"))
    assert [row.participation.school for row in response.context["rows"]] == [world.school]
    start = reverse("baseline:measurement-start", args=[participation(world).pk])
    assert start in response.text
    started = client.post(start)
    measurement = Measurement.objects.get(participation=participation(world))
    assert started.url == measurement.get_absolute_url()
    assert client.get(reverse("baseline:measurement-list")).url == measurement.get_absolute_url()


# --------------------------------------------------------------------------- overview


def test_the_overview_shows_progress_per_element_and_what_is_still_open(world):
    half = filled_measurement(participation(world), levels={n: None for n in range(10, 22)})
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-detail", args=[half.pk]))
    assert (response.context["card"].answered, response.context["card"].measured) == (9, 21)
    assert '<progress value="9" max="21"' in response.text
    answered = {s.element.number: (s.score.answered, s.score.measured) for s in response.context["sections"]}
    assert answered == {1: (3, 3), 2: (3, 3), 3: (2, 2), 4: (1, 3), 5: (0, 3), 6: (0, 5), 7: (0, 2)}
    assert [c.number for c in response.context["open_criteria"]] == list(range(10, 22))
    assert re.search(r"<button type=\"submit\" disabled[^>]*>", response.text)
    assert "(10) Ondersteuning voor levenslang leren" in response.text


def test_submitting_an_incomplete_measurement_says_which_criteria_are_open(world):
    incomplete = filled_measurement(participation(world), levels={7: None})
    client = client_for(world.users["own_school"])
    response = client.post(reverse("baseline:measurement-submit", args=[incomplete.pk]), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "(7) Continue evaluatie" in message
    incomplete.refresh_from_db()
    assert incomplete.status == Measurement.Status.DRAFT


def test_the_overview_links_the_results_page_and_the_pdf_report(world, measurement):
    response = client_for(world.users["adviser"]).get(reverse("baseline:measurement-detail", args=[measurement.pk]))
    assert f'href="{reverse("baseline:measurement-results", args=[measurement.pk])}"' in response.text
    assert f'action="{reverse("reports:measurement-report-request", args=[measurement.pk])}"' in response.text


# --------------------------------------------------------------------------- the element form


def test_the_element_form_shows_the_criteria_of_that_element_with_the_level_descriptors(world, measurement):
    response = client_for(world.users["own_school"]).get(element_url(measurement, 2))
    assert [row.criterion.number for row in response.context["rows"]] == [4, 5, 6]
    assert "Interdisciplinair lesgeven" in response.text
    assert response.text.count('type="radio"') == 3 * 4
    assert response.text.count("<textarea") == 3 * 2
    assert 'hx-trigger="change target:.autosave, keyup changed delay:1500ms target:.autosave-typing"' in response.text
    assert f'name="version" value="{measurement.version}"' in response.text


def test_autosave_returns_the_status_fragment_and_the_next_version(world, measurement):
    client = client_for(world.users["own_school"])
    response = client.post(
        element_url(measurement), form_data(measurement, c5_level="2", c5_practice="Projectweek"), **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.search(
        r'<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">', response.text
    )
    five = measurement.assessments.get(criterion__number=5)
    assert (five.level, five.practice) == (2, "Projectweek")
    again = client.post(element_url(measurement), form_data(measurement, 2, c5_improvement="Eindwerk"), **HTMX)
    assert 'value="3"' in again.text
    assert measurement.assessments.get(criterion__number=5).improvement == "Eindwerk"


def test_a_save_leaves_other_elements_and_unsent_levels_alone(world, measurement):
    services.measurement_save(
        measurement=measurement,
        by=world.users["adviser"],
        version=1,
        data=services.MeasurementInput(assessments={criterion(1).pk: {"level": 3}, criterion(4).pk: {"level": 1}}),
    )
    client_for(world.users["own_school"]).post(
        element_url(measurement), form_data(measurement, c5_practice="Projectweek"), **HTMX
    )
    levels = dict(measurement.assessments.values_list("criterion__number", "level"))
    assert (levels[1], levels[4], levels[5]) == (3, 1, None)


def test_the_buttons_save_and_go_to_the_next_element(world, measurement):
    client = client_for(world.users["own_school"])
    response = client.post(element_url(measurement, 2), form_data(measurement, c6_level="1") | {"go": "next"})
    assert response.url == element_url(measurement, 3)
    assert measurement.assessments.get(criterion__number=6).level == 1
    back = client.post(element_url(measurement, 2), form_data(measurement) | {"go": "overview"})
    assert back.url == measurement.get_absolute_url()


def test_a_stale_save_shows_what_the_other_person_changed_and_keeps_what_was_typed(world, measurement):
    teacher, adviser = client_for(world.users["own_school"]), client_for(world.users["adviser"])
    url = element_url(measurement)
    loaded = [c.get(url).context["form"]["version"].value() for c in (teacher, adviser)]
    assert loaded == [1, 1]

    first = adviser.post(url, form_data(measurement, loaded[1], c5_practice="Projectweek STEM met fysica"), **HTMX)
    assert first.status_code == 200

    second = teacher.post(url, form_data(measurement, loaded[0], c5_practice="Mijn eigen tekst", c4_level="3"), **HTMX)
    assert second.status_code == 409
    assert second["HX-Retarget"] == "#element-form"
    [change] = second.context["conflict"]
    assert change.field in second.text
    assert (change.subject, change.old, change.new, change.by) == (
        "(5) Interdisciplinair lesgeven",
        "—",
        "Projectweek STEM met fysica",
        str(world.users["adviser"]),
    )
    assert "Projectweek STEM met fysica" in second.text  # what the adviser changed
    assert "Mijn eigen tekst</textarea>" in second.text  # what the teacher typed is still in the form
    assert re.search(r'name="c\d+-level" value="3" checked', second.text)
    assert 'name="version" value="2"' in second.text
    assert "hx-post" not in second.text.split("</form>")[0]  # no autosave over the other's work before reviewing
    five = measurement.assessments.get(criterion__number=5)
    assert five.practice == "Projectweek STEM met fysica"

    save_anyway = teacher.post(url, form_data(measurement, 2, c5_practice="Mijn eigen tekst") | {"go": "stay"})
    assert save_anyway.url == url
    assert measurement.assessments.get(criterion__number=5).practice == "Mijn eigen tekst"


def test_a_stale_save_without_htmx_answers_409_with_the_whole_page(world, measurement):
    client_for(world.users["adviser"]).post(element_url(measurement), form_data(measurement, 1, c4_level="2"), **HTMX)
    response = client_for(world.users["own_school"]).post(
        element_url(measurement), form_data(measurement, 1, c4_level="0", c6_improvement="Eindwerk")
    )
    assert response.status_code == 409
    assert "<html" in response.text
    assert "\nEindwerk</textarea>" in response.text
    assert [row.subject for row in response.context["conflict"]] == ["(4) Nadruk op STEM-elementen"]
    assert measurement.assessments.get(criterion__number=4).level == 2


def test_two_people_filling_in_different_elements_never_overwrite_each_other(world, measurement):
    teacher, adviser = client_for(world.users["own_school"]), client_for(world.users["adviser"])
    assert adviser.post(element_url(measurement, 1), form_data(measurement, 1, c1_level="3"), **HTMX).status_code == 200
    response = teacher.post(element_url(measurement, 2), form_data(measurement, 1, c5_level="1"), **HTMX)
    assert response.status_code == 200
    assert 'value="3"' in response.text  # the teacher's form now carries the version after both saves
    levels = dict(measurement.assessments.values_list("criterion__number", "level"))
    assert (levels[1], levels[5]) == (3, 1)


def test_a_finalised_measurement_is_shown_read_only(world):
    finalised = filled_measurement(participation(world), finalise=True)
    response = client_for(world.users["own_school"]).get(element_url(finalised))
    assert response.context["can_edit"] is False
    assert "<textarea" not in response.text
    assert 'type="radio"' not in response.text
    assert "Toepassing 5" in response.text
    assert "locked-notice" in response.text


def test_an_open_page_whose_measurement_was_finalised_meanwhile_hears_why_saving_stopped(world):
    finalised = filled_measurement(participation(world), finalise=True)
    client = client_for(world.users["own_school"])
    response = client.post(element_url(finalised), form_data(finalised, c5_practice="Nog iets"), **HTMX)
    assert response.status_code == 403
    assert "<html" not in response.text
    assert 'role="alert"' in response.text
    pk = criterion(5).pk
    evidence = client.post(evidence_url(finalised), {f"ev{pk}-title": "Link", f"ev{pk}-url": "https://a.be"}, **HTMX)
    assert evidence.status_code == 403
    assert f'id="evidence-{pk}"' in evidence.text
    assert "<input" not in evidence.text


def test_a_key_element_the_measurement_does_not_have_gives_404(world, measurement):
    client = client_for(world.users["own_school"])
    assert client.get(element_url(measurement, 9)).status_code == 404


# --------------------------------------------------------------------------- the conversation


def review_data(measurement: Measurement, **values) -> dict:
    data = {"version": current_version(measurement), "meeting_date": "2026-12-03", "present_director": "Mevr. Peeters"}
    return data | values


def test_the_adviser_records_the_conversation_advice_and_focus_elements(world, measurement):
    client = client_for(world.users["adviser"])
    url = reverse("baseline:measurement-review", args=[measurement.pk])
    leerplan = measurement.framework.elements.get(number=2)
    response = client.post(
        url,
        review_data(
            measurement,
            present_tac="Dhr. Janssens",
            advice="Laat je begeleiden door iSTEM.",
            focus_elements=[leerplan.pk],
            **{f"advice-{leerplan.pk}": "Integreer het eindwerk."},
        ),
        **HTMX,
    )
    assert response.status_code == 200
    measurement.refresh_from_db()
    assert str(measurement.meeting_date) == "2026-12-03"
    assert (measurement.present_director, measurement.present_tac) == ("Mevr. Peeters", "Dhr. Janssens")
    assert measurement.advice == "Laat je begeleiden door iSTEM."
    assert list(measurement.focus_elements.all()) == [leerplan]
    assert measurement.element_advice.get().text == "Integreer het eindwerk."


def test_the_focus_cap_of_the_edition_is_shown_and_enforced(world, measurement):
    settings = services.edition_settings(edition=world.edition)
    settings.max_focus_elements = 2
    settings.save()
    client = client_for(world.users["adviser"])
    url = reverse("baseline:measurement-review", args=[measurement.pk])
    assert client.get(url).context["form"].max_focus == 2
    three = list(measurement.framework.elements.filter(number__in=[1, 2, 4]).values_list("pk", flat=True))
    response = client.post(url, review_data(measurement, focus_elements=three), **HTMX)
    assert response.status_code == 400
    assert response.context["form"].errors["focus_elements"]
    assert "2" in response.context["form"].errors["focus_elements"][0]
    assert not measurement.focus_elements.exists()


def test_a_stale_conversation_save_keeps_the_advisers_text(world, measurement):
    url = reverse("baseline:measurement-review", args=[measurement.pk])
    coordinator, adviser = client_for(world.users["coordinator"]), client_for(world.users["adviser"])
    coordinator.post(url, review_data(measurement, version=1, advice="Eerste advies"), **HTMX)
    response = adviser.post(url, review_data(measurement, version=1, advice="Mijn advies"), **HTMX)
    assert response.status_code == 409
    assert "Mijn advies</textarea>" in response.text
    assert [(c.old, c.new) for c in response.context["conflict"] if c.new == "Eerste advies"] == [
        ("—", "Eerste advies")
    ]
    measurement.refresh_from_db()
    assert measurement.advice == "Eerste advies"


def test_finalising_without_focus_elements_explains_why(world):
    submitted = filled_measurement(participation(world), submit=True, focus=())
    client = client_for(world.users["adviser"])
    response = client.post(reverse("baseline:measurement-finalise", args=[submitted.pk]), follow=True)
    assert len(list(response.context["messages"])) == 1
    submitted.refresh_from_db()
    assert submitted.status == Measurement.Status.SUBMITTED


def test_reopening_without_a_reason_is_refused(world):
    finalised = filled_measurement(participation(world), finalise=True)
    client_for(world.users["coordinator"]).post(
        reverse("baseline:measurement-reopen", args=[finalised.pk]), {"reason": ""}
    )
    finalised.refresh_from_db()
    assert finalised.is_locked


def test_starting_the_end_measurement_from_a_finalised_baseline(world):
    baseline = filled_measurement(participation(world), finalise=True)
    client = client_for(world.users["own_school"])
    assert client.get(reverse("baseline:measurement-detail", args=[baseline.pk])).context["can_start_end"] is True
    response = client.post(reverse("baseline:end-measurement-start", args=[baseline.pk]))
    end = Measurement.objects.get(kind=Measurement.Kind.END)
    assert response.url == end.get_absolute_url()
    assert end.based_on == baseline


# --------------------------------------------------------------------------- evidence


def evidence_url(measurement: Measurement, number: int = 5) -> str:
    return reverse("baseline:evidence-add", args=[measurement.pk, criterion(number).pk])


def test_a_school_adds_a_file_as_evidence_and_sees_it_in_the_list(world, measurement):
    client = client_for(world.users["own_school"])
    pk = criterion(5).pk
    upload = SimpleUploadedFile("projectweek.pdf", b"%PDF-1.4 projectweek", content_type="application/pdf")
    response = client.post(
        evidence_url(measurement),
        {f"ev{pk}-title": "Verslag projectweek", f"ev{pk}-kind": "case_study", f"ev{pk}-file": upload},
        **HTMX,
    )
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert (evidence.title, evidence.kind, evidence.added_by) == (
        "Verslag projectweek",
        "case_study",
        world.users["own_school"],
    )
    assert f'id="evidence-{pk}"' in response.text
    assert "Verslag projectweek" in response.text
    download = client.get(reverse("baseline:evidence-file", args=[measurement.pk, evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 projectweek"
    assert (
        client_for(world.users["other_school"])
        .get(reverse("baseline:evidence-file", args=[measurement.pk, evidence.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "size", "message_part"),
    [("script.exe", 10, "exe"), ("groot.pdf", EVIDENCE_MAX_BYTES + 1, "10 MB")],
)
def test_evidence_of_the_wrong_type_or_too_large_is_refused_with_a_clear_message(
    world, measurement, name, size, message_part
):
    pk = criterion(5).pk
    upload = SimpleUploadedFile(name, b"x" * size)
    response = client_for(world.users["own_school"]).post(
        evidence_url(measurement),
        {f"ev{pk}-title": "Bestand", f"ev{pk}-kind": "practice", f"ev{pk}-file": upload},
        **HTMX,
    )
    assert response.status_code == 400
    assert message_part in " ".join(response.context["evidence_form"].errors["file"])
    assert not Evidence.objects.exists()


def test_evidence_needs_a_link_or_a_file(world, measurement):
    pk = criterion(5).pk
    response = client_for(world.users["own_school"]).post(
        evidence_url(measurement), {f"ev{pk}-title": "Niets", f"ev{pk}-kind": "practice"}
    )
    assert response.status_code == 400
    assert response.context["rows"][1].evidence_form.non_field_errors()
    assert not Evidence.objects.exists()


def test_a_school_removes_evidence_while_the_measurement_is_editable(world, measurement):
    evidence = services.evidence_add(
        measurement=measurement,
        criterion_id=criterion(5).pk,
        by=world.users["own_school"],
        title="Website STEM-week",
        url="https://school.example.be/stem",
    )
    url = reverse("baseline:evidence-remove", args=[measurement.pk, evidence.pk])
    assert client_for(world.users["other_school"]).post(url, **HTMX).status_code == 404
    response = client_for(world.users["own_school"]).post(url, **HTMX)
    assert response.status_code == 200
    assert "Website STEM-week" not in response.text
    assert not Evidence.objects.exists()


def test_evidence_of_a_finalised_measurement_cannot_be_added_or_removed(world):
    finalised = filled_measurement(participation(world), finalise=True)
    evidence = Evidence.objects.create(
        assessment=finalised.assessments.get(criterion__number=5), title="Link", url="https://example.be"
    )
    client = client_for(world.users["own_school"])
    pk = criterion(5).pk
    added = client.post(evidence_url(finalised), {f"ev{pk}-title": "Nog een", f"ev{pk}-url": "https://example.be/2"})
    removed = client.post(reverse("baseline:evidence-remove", args=[finalised.pk, evidence.pk]))
    assert (added.status_code, removed.status_code) == (403, 403)
    assert list(Evidence.objects.all()) == [evidence]


# --------------------------------------------------------------------------- history


def test_the_history_names_each_change_with_old_and_new_values(world, measurement):
    services.measurement_save(
        measurement=measurement,
        by=world.users["own_school"],
        version=1,
        data=services.MeasurementInput(assessments={criterion(5).pk: {"level": 2, "practice": "Projectweek"}}),
    )
    response = client_for(world.users["adviser"]).get(reverse("baseline:measurement-history", args=[measurement.pk]))
    saved, created = response.context["items"]
    assert (saved.event.action, created.event.action) == ("saved", "created")
    with translation.override("nl"):
        embedded = str(Level.EMBEDDED.label)
    assert [(c.subject, c.old, c.new) for c in saved.changes] == [
        ("(5) Interdisciplinair lesgeven", "—", embedded),
        ("(5) Interdisciplinair lesgeven", "—", "Projectweek"),
    ]
    assert str(world.users["own_school"]) in html.unescape(response.text)  # names may hold an apostrophe
    assert "Projectweek" in response.text


# --------------------------------------------------------------------------- query counts


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up: session, language, settings created on first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["adviser", "coordinator"])
def test_the_list_needs_the_same_queries_for_one_or_three_measurements(world, measurement, role):
    client = client_for(world.users[role])
    url = reverse("baseline:measurement-list")
    one = count_queries(client, url)
    for school in (world.other_school, world.far_school):
        filled_measurement(participation(world, school), submit=True)
    assert count_queries(client, url) == one


def add_evidence(measurement: Measurement, count: int) -> None:
    for n in range(count):
        services.evidence_add(
            measurement=measurement,
            criterion_id=criterion(4 + n % 3).pk,
            by=measurement.participation.school.memberships.first().user,
            title=f"Bewijs {n}",
            url=f"https://example.be/{n}",
        )


@pytest.mark.parametrize("page", ["detail", "element"])
def test_the_overview_and_element_pages_need_the_same_queries_for_one_or_three_evidence_items(world, measurement, page):
    client = client_for(world.users["own_school"])
    url = (
        element_url(measurement) if page == "element" else reverse("baseline:measurement-detail", args=[measurement.pk])
    )
    add_evidence(measurement, 1)
    one = count_queries(client, url)
    add_evidence(measurement, 2)
    assert count_queries(client, url) == one
