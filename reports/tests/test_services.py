"""The report pipeline: ask, make (eager Celery), reuse, fail, retry — and what the baseline PDF says."""

from __future__ import annotations

import datetime as dt

import pytest
import weasyprint
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from baseline import services as baseline_services
from baseline.models import Measurement
from partners.tests import factories as f
from reports.models import STALLED_AFTER, Report
from reports.selectors import baseline_report_data
from reports.services import download_filename, report_render, report_request
from reports.tasks import render_report
from stempact.celery import app as celery_app

from .helpers import (
    COACH_ADVICE,
    CURRICULUM_ADVICE,
    IMPROVEMENT_5,
    PRACTICE_5,
    pdf_text,
    reviewed_measurement,
)

pytestmark = pytest.mark.django_db

SCHOOL = "GO! Koninklijk Atheneum Antwerpen"


@pytest.fixture
def adviser():
    return f.adviser("antwerpen-waasland")


@pytest.fixture
def measurement(adviser) -> Measurement:
    participation = f.ParticipationFactory(school=f.SchoolFactory(name=SCHOOL))
    return reviewed_measurement(participation, by=adviser)


@pytest.fixture
def errors_stay_in_the_worker(monkeypatch):
    """Run tasks eagerly but keep their errors in the result, as a worker does: then retries run too."""
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


@pytest.fixture
def ask(django_capture_on_commit_callbacks, adviser):
    """Ask for the baseline report as a view does, and run what is queued after commit (eager Celery)."""

    def ask(measurement: Measurement, *, execute: bool = True) -> tuple[Report, list]:
        with django_capture_on_commit_callbacks(execute=execute) as callbacks:
            report = report_request(kind=Report.Kind.BASELINE, measurement=measurement, by=adviser)
        report.refresh_from_db()
        return report, callbacks

    return ask


def test_baseline_report_is_the_dutch_form_with_the_schools_answers_and_the_advice(measurement, ask):
    report, _ = ask(measurement)

    assert (report.status, report.progress, report.error) == (Report.Status.READY, 100, "")
    assert report.filename == f"Verslag nulmeting - {SCHOOL} - 2026-12-01.pdf"
    assert report.started_at <= report.finished_at
    text = pdf_text(report)
    for expected in [
        f"Verslag nulmeting STEMpact – {SCHOOL} – 1 december 2026",
        "Aanwezig:",
        "Directie An Peeters",
        "TAC (Technisch Adviseur Coördinator) Bram Janssens",
        "Voka-adviseur Chris Maes",
        "Dina Claes (STEM-leerkracht)",
        "Criterium",
        "Toepassing",
        "Werkpunt",
        "2. Leerplan",
        "(5) Interdisciplinair lesgeven",
        "(21) Hoogwaardig lesmateriaal",
        PRACTICE_5,
        IMPROVEMENT_5,
        "Toepassing 7",  # every criterion's practice and improvement point, not only the one written out here
        "Werkpunt 21",
        CURRICULUM_ADVICE,
        "Advies van de Voka-coach " + COACH_ADVICE,
        "42 / 63",  # points: 19 criteria at level 2, one at 3, one at 1
        "66,7 %",
    ]:
        assert expected in text, expected


def test_the_report_is_dutch_whatever_language_the_requester_uses(measurement, ask):
    with translation.override("en"):
        report, _ = ask(measurement)

    text = pdf_text(report)
    assert "1. Onderwijsmethode" in text
    assert "Teaching methodology" not in text
    assert "1 december 2026" in text


def test_the_radar_chart_of_the_pages_is_drawn_into_the_pdf(measurement, ask):
    report, _ = ask(measurement)

    text = pdf_text(report)
    # The shared partial's axis labels (short element names) and title come out as SVG text.
    assert "Methode Leerplan Evaluatie Professionalisering Leiderschap Samenwerking Infrastructuur" in text


def test_an_end_measurement_gets_a_verslag_eindmeting(measurement, ask, adviser):
    end = baseline_services.end_measurement_start(baseline=measurement, by=adviser)

    report, _ = ask(end)

    assert report.filename.startswith(f"Verslag eindmeting - {SCHOOL} - ")
    assert "Verslag eindmeting STEMpact" in pdf_text(report)


def test_a_draft_measurement_gives_a_report_marked_as_draft(adviser, ask):
    participation = f.ParticipationFactory(school=f.SchoolFactory(name=SCHOOL))
    draft = reviewed_measurement(participation, by=adviser, finalise=False)

    report, _ = ask(draft)

    with translation.override("nl"):
        draft_note = gettext("Draft: the adviser has not finalised this measurement yet.")
    assert report.status == Report.Status.READY
    assert draft_note in pdf_text(report)


def test_a_finalised_measurement_is_not_marked_as_draft(measurement, ask):
    report, _ = ask(measurement)

    with translation.override("nl"):
        assert gettext("Draft: the adviser has not finalised this measurement yet.") not in pdf_text(report)


def test_asking_again_for_an_unchanged_measurement_returns_the_ready_report_without_making_it_again(measurement, ask):
    first, _ = ask(measurement)

    again, callbacks = ask(measurement)

    assert again == first
    assert callbacks == []  # nothing queued
    assert again.finished_at == first.finished_at
    assert list(Report.objects.all()) == [first]


def test_a_changed_measurement_gets_a_new_report(measurement, ask, adviser):
    first, _ = ask(measurement)
    coordinator = f.coordinator()
    measurement = baseline_services.measurement_reopen(measurement=measurement, by=coordinator, reason="Typo")
    measurement = baseline_services.measurement_save(
        measurement=measurement,
        by=adviser,
        version=measurement.version,
        data=baseline_services.MeasurementInput(meeting={"advice": "Werk samen met de hogeschool in de buurt."}),
    )

    second, callbacks = ask(measurement)

    assert second != first
    assert len(callbacks) == 1
    assert second.status == Report.Status.READY
    assert second.params["measurement_version"] == measurement.version
    assert "Werk samen met de hogeschool in de buurt." in pdf_text(second)
    assert COACH_ADVICE in pdf_text(first)  # the earlier report keeps what it said


def test_asking_twice_while_it_is_being_made_queues_it_once(measurement, ask):
    first, callbacks_first = ask(measurement, execute=False)
    second, callbacks_second = ask(measurement, execute=False)

    assert (first.status, second) == (Report.Status.PENDING, first)
    assert (len(callbacks_first), len(callbacks_second)) == (1, 0)


def test_a_stalled_report_is_not_waited_for(measurement, ask):
    stalled, _ = ask(measurement, execute=False)
    Report.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - STALLED_AFTER - dt.timedelta(minutes=1))
    stalled.refresh_from_db()
    assert stalled.is_stalled and not stalled.should_poll

    fresh, _ = ask(measurement)

    assert fresh != stalled
    assert fresh.status == Report.Status.READY


def test_a_failing_render_marks_the_report_failed_with_a_readable_error(measurement, ask, monkeypatch):
    def broken_pdf_engine(self, *args, **kwargs):
        raise RuntimeError("no usable fonts")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken_pdf_engine)

    report, _ = ask(measurement)

    assert report.status == Report.Status.FAILED
    assert "RuntimeError: no usable fonts" in report.error
    assert 0 < report.progress < 100
    assert report.finished_at is not None
    assert not report.file


def test_the_service_re_raises_the_failure_for_celery(measurement, ask, monkeypatch):
    report, _ = ask(measurement, execute=False)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        report_render(report=report)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED


def test_after_a_failure_asking_again_makes_a_new_report(measurement, ask, monkeypatch):
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: 1 / 0)
    failed, _ = ask(measurement)
    monkeypatch.undo()

    retried, _ = ask(measurement)

    assert retried != failed
    assert (failed.status, retried.status) == (Report.Status.FAILED, Report.Status.READY)


def test_a_transient_error_is_retried_by_the_task(measurement, ask, monkeypatch, errors_stay_in_the_worker):
    real_write_pdf = weasyprint.HTML.write_pdf
    attempts = []

    def flaky(self, *args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("database is locked")
        return real_write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", flaky)
    report, _ = ask(measurement, execute=False)

    render_report.apply(kwargs={"report_id": report.pk})

    report.refresh_from_db()
    assert len(attempts) == 2
    assert (report.status, report.progress, report.error) == (Report.Status.READY, 100, "")


def test_a_transient_error_that_persists_fails_after_the_last_attempt(
    measurement, ask, monkeypatch, errors_stay_in_the_worker
):
    attempts = []

    def down(self, *args, **kwargs):
        attempts.append(1)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", down)
    report, _ = ask(measurement, execute=False)

    render_report.apply(kwargs={"report_id": report.pk})

    report.refresh_from_db()
    assert len(attempts) == 4  # the first attempt and three retries
    assert report.status == Report.Status.FAILED


def test_without_a_worker_a_transient_error_fails_the_report_instead_of_leaving_it_waiting(
    measurement, ask, monkeypatch
):
    def down(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", down)

    report, _ = ask(measurement)  # the embedded run: eager Celery, errors propagate

    assert report.status == Report.Status.FAILED
    assert "OperationalError" in report.error


def test_a_transient_error_with_attempts_left_keeps_the_report_waiting(measurement, ask, monkeypatch):
    def timing_out(self, *args, **kwargs):
        raise TimeoutError("font cache on a network disk")

    report, _ = ask(measurement, execute=False)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", timing_out)

    with pytest.raises(TimeoutError):
        report_render(report=report, retry_transient=True)

    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.PENDING, 0)
    assert report.error  # says it is tried again
    assert report.should_poll


def test_a_report_whose_measurement_was_deleted_before_the_worker_started_is_skipped(measurement, ask):
    report, _ = ask(measurement, execute=False)
    measurement.delete()  # reports go with their measurement

    assert render_report.delay(report_id=report.pk).get() is None
    assert not Report.objects.exists()


def test_a_report_that_is_ready_is_not_made_again_when_the_task_is_delivered_twice(measurement, ask):
    report, _ = ask(measurement)
    name = report.file.name

    render_report.delay(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.file.name) == (Report.Status.READY, name)


def test_download_names_are_safe_on_every_operating_system():
    assert (
        download_filename("Verslag nulmeting", 'Sint-Jan "Berchmans"/Campus: Mol?', "2026-12-01")
        == "Verslag nulmeting - Sint-Jan Berchmans Campus Mol - 2026-12-01"
    )


def test_stored_files_are_unguessable_and_separate_from_the_download_name(measurement, ask):
    report, _ = ask(measurement)

    assert report.file.name.startswith("reports/")
    assert report.file.name.endswith(".pdf")
    assert "verslag-nulmeting-go-koninklijk-atheneum-antwerpen-2026-12-01-" in report.file.name


def _edition_measuring_elements(*numbers: int):
    edition = f.EditionFactory(year=2027)
    config = baseline_services.edition_settings(edition=edition)
    config.criteria.set(config.criteria.filter(element__number__in=numbers))
    return edition


def test_an_edition_that_measures_fewer_criteria_gets_a_report_of_just_those(adviser, ask):
    edition = _edition_measuring_elements(1, 2)
    participation = f.ParticipationFactory(edition=edition, school=f.SchoolFactory(name=SCHOOL))
    measurement = reviewed_measurement(participation, by=adviser)

    report, _ = ask(measurement)

    text = pdf_text(report)
    assert report.status == Report.Status.READY
    assert "1. Onderwijsmethode" in text and "(5) Interdisciplinair lesgeven" in text
    assert "Schoolinfrastructuur" not in text  # not measured, so not reported (and no radar: two axes are no radar)


def test_the_report_reads_its_data_in_a_constant_number_of_queries(adviser, measurement):
    small = reviewed_measurement(f.ParticipationFactory(edition=_edition_measuring_elements(1, 2, 3)), by=adviser)
    counts = []
    for each in (measurement, small):
        with CaptureQueriesContext(connection) as queries:
            data = baseline_report_data(measurement_id=each.pk)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert len(data.sections) == 3 and data.chart is not None
