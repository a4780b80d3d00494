"""The results pages: a measurement's scores, baseline vs end measurement, edition settings and averages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from baseline import scoring, services
from baseline.models import Criterion, EditionBaselineSettings, Evidence, Measurement
from baseline.scale import LABEL_LEVEL_NAMES
from baseline.tests.factories import filled_measurement, started_measurement
from partners.models import Participation
from partners.tests import factories as f
from partners.tests.roles import ROLES, check_role_matrix, client_for

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous users are sent to the login page
VISIBLE_TO_SCHOOL_ADVISER_AND_COORDINATOR = {role: 404 for role in ROLES} | {
    "anonymous": LOGIN,
    "own_school": 200,
    "adviser": 200,
    "coordinator": 200,
}
COORDINATORS_ONLY = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "coordinator": 200}


def own_participation(world) -> Participation:
    return Participation.objects.get(edition=world.edition, school=world.school)


def label(code: str) -> str:
    with translation.override("nl"):
        return str(LABEL_LEVEL_NAMES[code])


def settings_data(**overrides) -> dict:
    data = {
        "criteria": list(Criterion.objects.values_list("pk", flat=True)),
        "max_focus_elements": 4,
        "competent_threshold": 40,
        "proficient_threshold": 60,
        "expert_threshold": 80,
    }
    return data | overrides


def set_level(measurement: Measurement, criterion_number: int, level: int) -> Measurement:
    criterion = measurement.assessments.get(criterion__number=criterion_number).criterion_id
    return services.measurement_save(
        measurement=measurement,
        by=f.coordinator(),
        version=measurement.version,
        data=services.MeasurementInput(assessments={criterion: {"level": level}}),
    )


def baseline_and_end(world, *, end_levels: dict[int, int] | None = None) -> tuple[Measurement, Measurement]:
    baseline = filled_measurement(own_participation(world), level=2, submit=True)
    end = services.end_measurement_start(baseline=baseline, by=world.users["coordinator"])
    for number, level in (end_levels or {}).items():
        end = set_level(end, number, level)
    return baseline, end


# --------------------------------------------------------------------------- role matrices


def test_results_are_visible_to_own_school_its_regional_adviser_and_coordinators_only(world):
    url = reverse("baseline:measurement-results", args=[filled_measurement(own_participation(world)).pk])
    check_role_matrix(world, lambda c: c.get(url), VISIBLE_TO_SCHOOL_ADVISER_AND_COORDINATOR)


def test_comparison_is_visible_to_own_school_its_regional_adviser_and_coordinators_only(world):
    _baseline, end = baseline_and_end(world)
    url = reverse("baseline:measurement-compare", args=[end.pk])
    check_role_matrix(world, lambda c: c.get(url), VISIBLE_TO_SCHOOL_ADVISER_AND_COORDINATOR)


def test_edition_settings_page_is_for_coordinators_only(world):
    url = reverse("baseline:edition-settings", args=[world.edition.slug])
    check_role_matrix(world, lambda c: c.get(url), COORDINATORS_ONLY)


def test_only_a_coordinator_can_save_edition_settings(world):
    url = reverse("baseline:edition-settings", args=[world.edition.slug])
    data = settings_data(max_focus_elements=3)
    check_role_matrix(world, lambda c: c.post(url, data), COORDINATORS_ONLY | {"coordinator": 302})
    assert EditionBaselineSettings.objects.get(edition=world.edition).max_focus_elements == 3


def test_edition_averages_are_for_coordinators_only(world):
    url = reverse("baseline:edition-averages", args=[world.edition.slug])
    check_role_matrix(world, lambda c: c.get(url), COORDINATORS_ONLY)


# --------------------------------------------------------------------------- results of one measurement


def test_results_show_two_thirds_and_the_indicative_proficient_level_when_every_criterion_is_embedded(world):
    measurement = filled_measurement(own_participation(world), level=2, submit=True)
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-results", args=[measurement.pk]))
    card = response.context["card"]
    assert (card.points, card.max_points, card.percentage, card.level) == (42, 63, 66.7, scoring.PROFICIENT)
    assert [s.score.percentage for s in response.context["sections"]] == [66.7] * 7
    assert f'id="indicative-level">{label(scoring.PROFICIENT)}</span>' in response.text
    assert "66,7 %" in response.text  # Dutch number format
    assert "42 / 63" in response.text
    # The radar chart draws one polygon for the one measurement, with the numbers as a table beside it.
    assert response.text.count('class="radar-series-0"') == 1
    assert 'class="radar-series-1"' not in response.text
    assert '<table class="chart-table">' in response.text


def test_results_show_the_editions_thresholds_and_use_them_for_the_level(world):
    config = services.edition_settings(edition=world.edition)
    config.competent_threshold, config.proficient_threshold, config.expert_threshold = 50, 70, 90
    config.save()
    measurement = filled_measurement(own_participation(world), level=2)
    response = client_for(world.users["adviser"]).get(reverse("baseline:measurement-results", args=[measurement.pk]))
    assert response.context["card"].level == scoring.COMPETENT
    assert [(b.code, b.low) for b in response.context["bands"]] == [
        (scoring.NO_LABEL, 0),
        (scoring.COMPETENT, 50),
        (scoring.PROFICIENT, 70),
        (scoring.EXPERT, 90),
    ]


def test_results_list_criteria_with_level_practice_improvement_advice_and_mark_focus_elements(world):
    measurement = filled_measurement(own_participation(world), levels={5: 3}, focus=(2, 4))
    leerplan = measurement.framework.elements.get(number=2)
    measurement = services.measurement_save(
        measurement=measurement,
        by=world.users["adviser"],
        version=measurement.version,
        data=services.MeasurementInput(
            meeting={"advice": "Zet in op co-teaching."}, element_advice={leerplan.pk: "Plan projectweken."}
        ),
    )
    response = client_for(world.users["coordinator"]).get(
        reverse("baseline:measurement-results", args=[measurement.pk])
    )
    sections = response.context["sections"]
    assert [s.element.number for s in sections if s.is_focus] == [2, 4]
    assert sections[1].advice == "Plan projectweken."
    assert sections[1].score.percentage == 77.8
    for text in ("Toepassing 5", "Werkpunt 5", "Plan projectweken.", "Zet in op co-teaching.", "Interdisciplinair"):
        assert text in response.text


def test_a_draft_shows_its_partial_score_and_how_complete_it_is(world):
    measurement = started_measurement(own_participation(world))
    for number in (1, 2, 4):
        measurement = set_level(measurement, number, 3)
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-results", args=[measurement.pk]))
    card = response.context["card"]
    assert (card.answered, card.measured, card.progress, card.percentage) == (3, 21, 14.3, 100.0)
    assert response.context["is_draft"] is True
    assert '<progress value="3" max="21"' in response.text
    assert "14,3 %" in response.text
    # Elements without a rated criterion have no percentage yet: the radar table shows a dash for them.
    assert [s.score.percentage for s in response.context["sections"]] == [100.0, 100.0, None, None, None, None, None]


def test_a_submitted_measurement_shows_no_draft_notice(world):
    measurement = filled_measurement(own_participation(world), submit=True)
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-results", args=[measurement.pk]))
    assert response.context["is_draft"] is False
    assert "<progress" not in response.text


def test_results_without_three_measured_key_elements_explain_instead_of_drawing_a_radar(world):
    config = services.edition_settings(edition=world.edition)
    config.criteria.set(Criterion.objects.filter(element__number__in=[2, 4]))
    measurement = filled_measurement(own_participation(world), level=3, focus=(2,))
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-results", args=[measurement.pk]))
    assert [s.element.number for s in response.context["sections"]] == [2, 4]
    assert response.context["chart"] is None
    assert "radar-series" not in response.text
    assert response.context["card"].level == scoring.EXPERT


def test_results_page_query_count_does_not_grow_with_evidence_or_rated_criteria(world):
    measurement = started_measurement(own_participation(world))
    measurement = set_level(measurement, 1, 2)
    assessments = list(measurement.assessments.order_by("criterion__number"))
    url = reverse("baseline:measurement-results", args=[measurement.pk])
    client = client_for(world.users["adviser"])

    def add_evidence(assessment) -> None:
        Evidence.objects.create(assessment=assessment, title="Lesplan", url="https://example.be/lesplan")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add_evidence(assessments[0])
    one = queries()
    add_evidence(assessments[0])
    add_evidence(assessments[1])
    for number in (2, 3, 4):
        measurement = set_level(measurement, number, 3)
    three = queries()
    assert three == one
    assert client.get(url).text.count("https://example.be/lesplan") == 3


# --------------------------------------------------------------------------- baseline vs end measurement


def test_comparison_shows_growth_per_criterion_element_and_overall_with_two_radar_polygons(world):
    _baseline, end = baseline_and_end(world, end_levels={1: 3, 7: 1})
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-compare", args=[end.pk]))
    elements = response.context["elements"]
    assert [(r.element.number, r.growth.before, r.growth.after, r.growth.delta, r.direction) for r in elements[:3]] == [
        (1, 66.7, 77.8, 11.1, "up"),
        (2, 66.7, 66.7, 0.0, "same"),
        (3, 66.7, 50.0, -16.7, "down"),
    ]
    first = elements[0].criteria[0]
    assert (first.criterion.number, first.before.level, first.after.level, first.direction) == (1, 2, 3, "up")
    assert response.context["overall"].delta == 0.0  # one level up, one level down
    assert response.context["overall_direction"] == "same"
    assert response.text.count('class="radar-series-0"') == 1
    assert response.text.count('class="radar-series-1"') == 1
    # Growth reads without colour: an arrow and a signed number.
    assert "▲</span> +11,1" in response.text
    assert "▼</span> -16,7" in response.text


def test_comparison_is_reachable_from_the_baseline_too(world):
    baseline, end = baseline_and_end(world, end_levels={4: 3})
    response = client_for(world.users["adviser"]).get(reverse("baseline:measurement-compare", args=[baseline.pk]))
    assert (response.context["baseline"], response.context["end"]) == (baseline, end)
    assert response.context["overall"].delta == 1.6  # 42/63 -> 43/63


def test_comparison_of_a_baseline_without_end_measurement_explains_it_has_not_started(world):
    baseline = filled_measurement(own_participation(world), submit=True)
    response = client_for(world.users["own_school"]).get(reverse("baseline:measurement-compare", args=[baseline.pk]))
    assert response.status_code == 200
    assert response.context["end"] is None
    assert 'class="empty-state"' in response.text
    assert "radar-series" not in response.text


def test_comparison_of_an_end_measurement_without_baseline_is_not_found(world):
    participation = own_participation(world)
    orphan = Measurement.objects.create(
        participation=participation,
        kind=Measurement.Kind.END,
        framework=services.edition_settings(edition=world.edition).framework,
    )
    response = client_for(world.users["coordinator"]).get(reverse("baseline:measurement-compare", args=[orphan.pk]))
    assert response.status_code == 404


# --------------------------------------------------------------------------- edition settings


def test_coordinator_saves_the_measured_criteria_focus_cap_and_thresholds(world):
    leerplan = list(Criterion.objects.filter(element__number=2).values_list("pk", flat=True))
    response = client_for(world.users["coordinator"]).post(
        reverse("baseline:edition-settings", args=[world.edition.slug]),
        settings_data(criteria=leerplan, max_focus_elements=2, competent_threshold=30, expert_threshold=90),
    )
    assert response.status_code == 302
    config = EditionBaselineSettings.objects.get(edition=world.edition)
    assert sorted(config.criteria.values_list("pk", flat=True)) == sorted(leerplan)
    assert (config.max_focus_elements, config.thresholds) == (2, scoring.Thresholds(30, 60, 90))


def test_settings_page_groups_the_criteria_per_key_element(world):
    response = client_for(world.users["coordinator"]).get(
        reverse("baseline:edition-settings", args=[world.edition.slug])
    )
    groups = response.context["form"].criteria_groups()
    assert [(g.element.number, len(g.checkboxes)) for g in groups] == [
        (1, 3),
        (2, 3),
        (3, 2),
        (4, 3),
        (5, 3),
        (6, 5),
        (7, 2),
    ]
    assert response.text.count('type="checkbox"') == 21
    assert response.text.count("checked") == 21  # all measured by default


def test_falling_thresholds_are_refused_with_a_form_error_and_nothing_is_saved(world):
    response = client_for(world.users["coordinator"]).post(
        reverse("baseline:edition-settings", args=[world.edition.slug]),
        settings_data(competent_threshold=60, proficient_threshold=50, max_focus_elements=2),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["proficient_threshold"]
    assert 'class="errorlist" role="alert"' in response.text
    config = EditionBaselineSettings.objects.get(edition=world.edition)
    assert (config.thresholds, config.max_focus_elements) == (scoring.Thresholds(40, 60, 80), 4)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"criteria": []}, "criteria"),
        ({"max_focus_elements": 0}, "max_focus_elements"),
        ({"max_focus_elements": 8}, "max_focus_elements"),
        ({"expert_threshold": 101}, "expert_threshold"),
        ({"proficient_threshold": 85}, "expert_threshold"),
    ],
)
def test_invalid_settings_are_refused_on_the_field_at_fault(world, overrides, field):
    response = client_for(world.users["coordinator"]).post(
        reverse("baseline:edition-settings", args=[world.edition.slug]), settings_data(**overrides)
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert EditionBaselineSettings.objects.get(edition=world.edition).criteria.count() == 21


def test_changing_the_selection_keeps_the_criteria_of_existing_measurements(world):
    existing = filled_measurement(own_participation(world), level=1)
    before = sorted(existing.assessments.values_list("criterion__number", "level"))
    leerplan = list(Criterion.objects.filter(element__number=2).values_list("pk", flat=True))
    response = client_for(world.users["coordinator"]).post(
        reverse("baseline:edition-settings", args=[world.edition.slug]), settings_data(criteria=leerplan)
    )
    assert response.status_code == 302
    assert sorted(existing.assessments.values_list("criterion__number", "level")) == before
    assert len(before) == 21
    later = started_measurement(Participation.objects.get(edition=world.edition, school=world.other_school))
    assert sorted(later.assessments.values_list("criterion__number", flat=True)) == [4, 5, 6]


def test_settings_of_an_unknown_edition_are_not_found(world):
    response = client_for(world.users["coordinator"]).get(reverse("baseline:edition-settings", args=["1999-2000"]))
    assert response.status_code == 404


# --------------------------------------------------------------------------- averages


def submitted_baselines(world, count: int) -> None:
    """`count` schools of the edition with a submitted baseline (the world's own three first, then new schools)."""
    participations = list(Participation.objects.filter(edition=world.edition).order_by("pk"))
    while len(participations) < count:
        participations.append(f.ParticipationFactory(edition=world.edition))
    for i, participation in enumerate(participations[:count]):
        filled_measurement(participation, level=1 + i % 3, submit=True)


def test_averages_stay_hidden_below_five_submitted_baselines_and_say_how_many_there_are(world):
    submitted_baselines(world, 4)
    filled_measurement(f.ParticipationFactory(edition=world.edition))  # a draft does not count
    response = client_for(world.users["coordinator"]).get(
        reverse("baseline:edition-averages", args=[world.edition.slug])
    )
    assert response.status_code == 200
    assert (response.context["averages"], response.context["submitted"]) == (None, 4)
    assert 'class="empty-state"' in response.text
    assert "<svg" not in response.text.split("<main", 1)[1]


def test_averages_appear_from_five_submitted_baselines_as_bar_and_radar_chart(world):
    submitted_baselines(world, 5)  # levels 1, 2, 3, 1, 2 -> (33.3 + 66.7 + 100 + 33.3 + 66.7) / 5
    response = client_for(world.users["coordinator"]).get(
        reverse("baseline:edition-averages", args=[world.edition.slug])
    )
    averages = response.context["averages"]
    assert [(element.number, value) for element, value in averages] == [(n, 60.0) for n in range(1, 8)]
    # Bars sit on a 0-100 scale, not stretched to the largest average.
    assert [(bar.value, bar.width) for bar in response.context["bar_chart"].bars] == [(60, 120.0)] * 7
    assert response.text.count('class="radar-series-0"') == 1
    assert 'class="bar"' in response.text
    assert "60,0 %" in response.text
