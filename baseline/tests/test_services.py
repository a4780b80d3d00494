"""What the measurement services do, as the school, the adviser and the coordinator notice it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from baseline import services
from baseline.models import Criterion, Evidence, KeyElement, Measurement, MeasurementEvent
from baseline.tests.factories import filled_measurement, started_measurement
from partners.models import Participation

pytestmark = pytest.mark.django_db


def participation_of(world) -> Participation:
    return Participation.objects.get(edition=world.edition, school=world.school)


def criterion(measurement: Measurement, number: int) -> Criterion:
    return Criterion.objects.get(element__framework=measurement.framework, number=number)


def element(measurement: Measurement, number: int) -> KeyElement:
    return KeyElement.objects.get(framework=measurement.framework, number=number)


def save(measurement: Measurement, by, **assessments) -> Measurement:
    """save(m, user, c5={"level": 2}) -> measurement_save with the criterion numbers turned into ids."""
    data = services.MeasurementInput(
        assessments={criterion(measurement, int(key[1:])).pk: values for key, values in assessments.items()}
    )
    return services.measurement_save(measurement=measurement, by=by, version=measurement.version, data=data)


def test_starting_a_baseline_creates_one_empty_assessment_per_criterion_and_logs_it(world):
    school_member = world.users["own_school"]
    measurement = services.measurement_start(participation=participation_of(world), by=school_member)
    assessments = list(measurement.assessments.order_by("criterion__number"))
    assert [a.criterion.number for a in assessments] == list(range(1, 22))
    assert {(a.level, a.practice, a.improvement) for a in assessments} == {(None, "", "")}
    assert (measurement.kind, measurement.status, measurement.version) == ("baseline", "draft", 1)
    assert list(measurement.events.values_list("action", "by")) == [("created", school_member.pk)]


def test_starting_twice_returns_the_same_measurement(world):
    first = started_measurement(participation_of(world))
    again = services.measurement_start(participation=participation_of(world), by=world.users["adviser"])
    assert again == first
    assert Measurement.objects.count() == 1


def test_an_edition_that_measures_fewer_criteria_gets_only_those(world):
    settings = services.edition_settings(edition=world.edition)
    settings.criteria.set(Criterion.objects.filter(number__in=[4, 5, 6, 15]))
    measurement = started_measurement(participation_of(world))
    assert sorted(measurement.assessments.values_list("criterion__number", flat=True)) == [4, 5, 6, 15]


def test_changing_the_editions_selection_later_leaves_an_existing_measurement_alone(world):
    measurement = started_measurement(participation_of(world))
    services.edition_settings(edition=world.edition).criteria.set(Criterion.objects.filter(number__in=[1, 2]))
    assert measurement.assessments.count() == 21
    assert sorted(measurement.assessments.values_list("criterion__number", flat=True)) == list(range(1, 22))


def test_a_save_records_old_and_new_values_in_the_history_and_raises_the_version(world):
    measurement = started_measurement(participation_of(world))
    teacher = world.users["own_school"]
    saved = save(measurement, teacher, c5={"level": 2, "practice": "Projectweek met wiskunde en fysica"})
    assert saved.version == 2
    event = saved.events.get(action=MeasurementEvent.Action.SAVED)
    assert event.by == teacher
    assert event.changes == [
        {"field": "level", "criterion": criterion(saved, 5).pk, "old": None, "new": 2, "version": 2},
        {
            "field": "practice",
            "criterion": criterion(saved, 5).pk,
            "old": "",
            "new": "Projectweek met wiskunde en fysica",
            "version": 2,
        },
    ]


def test_a_save_that_changes_nothing_keeps_the_version_and_the_history(world):
    measurement = started_measurement(participation_of(world))
    saved = save(measurement, world.users["own_school"], c5={"level": None, "practice": ""})
    assert saved.version == 1
    assert not saved.events.filter(action=MeasurementEvent.Action.SAVED).exists()


def test_a_save_only_touches_the_criteria_it_sends(world):
    measurement = started_measurement(participation_of(world))
    measurement = save(measurement, world.users["adviser"], c1={"level": 3, "practice": "iSTEM"})
    save(measurement, world.users["own_school"], c5={"level": 1})
    c1 = measurement.assessments.get(criterion__number=1)
    assert (c1.level, c1.practice) == (3, "iSTEM")


def test_a_stale_save_is_refused_with_the_other_persons_changes_and_writes_nothing(world):
    measurement = started_measurement(participation_of(world))
    loaded_version = measurement.version
    save(measurement, world.users["adviser"], c5={"practice": "Interdisciplinaire projectweek"})

    late = services.MeasurementInput(assessments={criterion(measurement, 5).pk: {"practice": "Iets anders"}})
    with pytest.raises(services.StaleMeasurement) as refused:
        services.measurement_save(
            measurement=measurement, by=world.users["own_school"], version=loaded_version, data=late
        )

    assert refused.value.current_version == 2
    [change] = refused.value.changes
    assert {k: change[k] for k in ("field", "criterion", "old", "new", "by")} == {
        "field": "practice",
        "criterion": criterion(measurement, 5).pk,
        "old": "",
        "new": "Interdisciplinaire projectweek",
        "by": str(world.users["adviser"]),
    }
    measurement.refresh_from_db()
    assert measurement.version == 2
    assert measurement.assessments.get(criterion__number=5).practice == "Interdisciplinaire projectweek"
    assert measurement.events.filter(action=MeasurementEvent.Action.SAVED).count() == 1


def test_submitting_with_a_missing_level_is_refused_and_names_the_criterion(world):
    measurement = filled_measurement(participation_of(world), levels={7: None})
    with pytest.raises(ValidationError) as refused:
        services.measurement_submit(measurement=measurement, by=world.users["own_school"])
    assert "Continue evaluatie" in " ".join(refused.value.messages)
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.DRAFT


def test_submitting_a_complete_measurement_records_who_and_when(world):
    measurement = filled_measurement(participation_of(world))
    submitted = services.measurement_submit(measurement=measurement, by=world.users["own_school"])
    assert (submitted.status, submitted.submitted_by) == ("submitted", world.users["own_school"])
    assert submitted.submitted_at is not None
    with pytest.raises(ValidationError):
        services.measurement_submit(measurement=submitted, by=world.users["own_school"])


def test_finalising_locks_the_measurement_and_moves_the_participation_to_baseline(world):
    measurement = filled_measurement(participation_of(world), submit=True)
    finalised = services.measurement_finalise(measurement=measurement, by=world.users["adviser"])
    assert finalised.is_locked
    assert participation_of(world).status == Participation.Status.BASELINE
    with pytest.raises(ValidationError) as refused:
        save(finalised, world.users["own_school"], c5={"level": 0})
    assert "vergrendeld" in " ".join(refused.value.messages)  # "locked": Dutch is the default language
    assert finalised.assessments.get(criterion__number=5).level == 2


def test_finalising_needs_a_focus_element(world):
    measurement = filled_measurement(participation_of(world), submit=True, focus=())
    with pytest.raises(ValidationError):
        services.measurement_finalise(measurement=measurement, by=world.users["adviser"])


def test_reopening_needs_a_reason_and_is_logged_with_it(world):
    measurement = filled_measurement(participation_of(world), finalise=True)
    coordinator = world.users["coordinator"]
    with pytest.raises(ValidationError):
        services.measurement_reopen(measurement=measurement, by=coordinator, reason="  ")
    reopened = services.measurement_reopen(measurement=measurement, by=coordinator, reason="Typfout in werkpunt 5")
    assert (reopened.status, reopened.is_locked) == ("submitted", False)
    event = reopened.events.first()
    assert (event.action, event.by, event.note) == ("reopened", coordinator, "Typfout in werkpunt 5")


def test_the_end_measurement_starts_as_a_copy_of_the_baseline(world):
    baseline = filled_measurement(participation_of(world), levels={1: 0, 5: 3}, finalise=True, focus=(2, 4))
    end = services.end_measurement_start(baseline=baseline, by=world.users["own_school"])
    assert (end.kind, end.status, end.based_on) == ("end", "draft", baseline)

    def answers(m: Measurement) -> list[tuple]:
        return list(
            m.assessments.order_by("criterion__number").values_list("criterion", "level", "practice", "improvement")
        )

    assert answers(end) == answers(baseline)
    assert end.assessments.get(criterion__number=5).practice == "Toepassing 5"
    assert sorted(end.focus_elements.values_list("number", flat=True)) == [2, 4]


def test_an_end_measurement_waits_for_a_submitted_baseline(world):
    baseline = filled_measurement(participation_of(world))
    with pytest.raises(ValidationError):
        services.end_measurement_start(baseline=baseline, by=world.users["own_school"])


def test_choosing_more_focus_elements_than_the_edition_allows_is_refused(world):
    settings = services.edition_settings(edition=world.edition)
    settings.max_focus_elements = 2
    settings.save()
    measurement = started_measurement(participation_of(world))
    too_many = [element(measurement, n).pk for n in (1, 2, 4)]
    with pytest.raises(ValidationError) as refused:
        services.measurement_save(
            measurement=measurement,
            by=world.users["adviser"],
            version=measurement.version,
            data=services.MeasurementInput(focus_element_ids=too_many),
        )
    assert "2" in " ".join(refused.value.messages)
    assert not measurement.focus_elements.exists()
    two = services.measurement_save(
        measurement=measurement,
        by=world.users["adviser"],
        version=measurement.version,
        data=services.MeasurementInput(focus_element_ids=too_many[:2]),
    )
    assert sorted(two.focus_elements.values_list("number", flat=True)) == [1, 2]


def test_evidence_is_recorded_in_the_history_without_making_open_forms_stale(world):
    measurement = started_measurement(participation_of(world))
    teacher = world.users["own_school"]
    evidence = services.evidence_add(
        measurement=measurement,
        criterion_id=criterion(measurement, 15).pk,
        by=teacher,
        title="Samenwerkingsovereenkomst BASF",
        kind=Evidence.Kind.CASE_STUDY,
        file=SimpleUploadedFile("overeenkomst.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert evidence.assessment.criterion.number == 15
    assert evidence.file.name.startswith(f"evidence/{measurement.pk}/")
    event = measurement.events.first()
    assert (event.action, event.by, event.changes) == (
        "saved",
        teacher,
        [{"field": "evidence", "criterion": criterion(measurement, 15).pk, "old": None, "new": evidence.title}],
    )
    measurement.refresh_from_db()
    assert measurement.version == 1
    save(measurement, teacher, c15={"level": 2})  # the form opened at version 1 still saves


def test_removing_evidence_deletes_its_file_after_commit(world, django_capture_on_commit_callbacks):
    measurement = started_measurement(participation_of(world))
    evidence = services.evidence_add(
        measurement=measurement,
        criterion_id=criterion(measurement, 20).pk,
        by=world.users["own_school"],
        title="Foto labo",
        file=SimpleUploadedFile("labo.png", b"\x89PNG", content_type="image/png"),
    )
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=evidence, by=world.users["own_school"])
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert measurement.events.first().changes[0] | {"criterion": None} == {
        "field": "evidence",
        "criterion": None,
        "old": "Foto labo",
        "new": None,
    }


def test_evidence_needs_a_link_or_a_file_and_an_open_measurement(world):
    measurement = started_measurement(participation_of(world))
    with pytest.raises(ValidationError):
        services.evidence_add(
            measurement=measurement, criterion_id=criterion(measurement, 1).pk, by=world.users["adviser"], title="X"
        )
    finalised = filled_measurement(participation_of(world), finalise=True)
    with pytest.raises(ValidationError):
        services.evidence_add(
            measurement=finalised,
            criterion_id=criterion(finalised, 1).pk,
            by=world.users["adviser"],
            title="Website",
            url="https://example.be",
        )


def test_two_people_saving_different_criteria_from_the_same_version_both_keep_their_work(world):
    measurement = services.measurement_start(participation=participation_of(world), by=world.users["own_school"])
    loaded = Measurement.objects.get(pk=measurement.pk)  # both load version 1
    save(measurement, world.users["own_school"], c4={"level": 3})
    after = save(loaded, world.users["adviser"], c7={"level": 1, "practice": "Klasevaluaties"})
    levels = dict(after.assessments.values_list("criterion__number", "level"))
    assert (levels[4], levels[7]) == (3, 1)
    assert after.version == 3


def test_a_save_that_sends_a_value_someone_else_changed_meanwhile_is_refused_with_only_that_change(world):
    measurement = services.measurement_start(participation=participation_of(world), by=world.users["own_school"])
    loaded = Measurement.objects.get(pk=measurement.pk)
    save(measurement, world.users["own_school"], c4={"level": 3}, c8={"level": 2})
    with pytest.raises(services.StaleMeasurement) as stale:
        save(loaded, world.users["adviser"], c4={"level": 1})
    assert [(c["field"], c["criterion"], c["new"]) for c in stale.value.changes] == [
        ("level", criterion(measurement, 4).pk, 3)
    ]
    assert measurement.assessments.get(criterion__number=4).level == 3


def test_a_persons_own_autosave_overtaking_their_next_save_is_no_conflict(world):
    # Leaving a text field autosaves it; clicking "next" at once sends the whole form with the version from before.
    measurement = services.measurement_start(participation=participation_of(world), by=world.users["own_school"])
    loaded = Measurement.objects.get(pk=measurement.pk)
    save(measurement, world.users["own_school"], c4={"practice": "STEM-dag in de eerste graad"})
    after = save(
        loaded,
        world.users["own_school"],
        c4={"level": 2, "practice": "STEM-dag in de eerste graad"},
        c5={"level": 1, "practice": ""},
    )
    stored = {a.criterion.number: (a.level, a.practice) for a in after.assessments.select_related("criterion")}
    assert (stored[4], stored[5]) == ((2, "STEM-dag in de eerste graad"), (1, ""))


def test_a_stale_form_that_would_undo_someone_elses_text_is_refused(world):
    measurement = services.measurement_start(participation=participation_of(world), by=world.users["own_school"])
    loaded = Measurement.objects.get(pk=measurement.pk)
    save(measurement, world.users["adviser"], c4={"practice": "Toepassing van de adviseur"})
    with pytest.raises(services.StaleMeasurement):
        save(loaded, world.users["own_school"], c4={"level": 2, "practice": ""})  # "" is what this form loaded
    assert measurement.assessments.get(criterion__number=4).practice == "Toepassing van de adviseur"
