"""Report pages: who may ask for, watch and download a report; the status part that polls itself."""

from __future__ import annotations

import pytest
import weasyprint
from django.urls import reverse

from partners.tests.roles import ROLES, check_role_matrix, client_for
from reports.models import Report
from reports.services import report_request

from .helpers import reviewed_measurement

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous users are sent to the login page
CAN_SEE_THE_MEASUREMENT = {"own_school", "adviser", "coordinator"}


def expected(allowed: int) -> dict[str, int]:
    """`allowed` for whoever may see the school's measurement, 404 for everyone else, login for anonymous."""
    return {role: allowed if role in CAN_SEE_THE_MEASUREMENT else 404 for role in ROLES} | {"anonymous": LOGIN}


@pytest.fixture
def measurement(world):
    participation = world.school.participations.get(edition=world.edition)
    return reviewed_measurement(participation, by=world.users["adviser"])


@pytest.fixture
def make_report(world, django_capture_on_commit_callbacks):
    def make(measurement, *, by_role: str = "adviser", execute: bool = True) -> Report:
        with django_capture_on_commit_callbacks(execute=execute):
            report = report_request(kind=Report.Kind.BASELINE, measurement=measurement, by=world.users[by_role])
        report.refresh_from_db()
        return report

    return make


@pytest.fixture
def ready_report(measurement, make_report) -> Report:
    report = make_report(measurement)
    assert report.status == Report.Status.READY
    return report


@pytest.fixture
def pending_report(measurement, make_report) -> Report:
    return make_report(measurement, execute=False)


# --------------------------------------------------------------------------- asking for a report


def test_asking_for_the_report_is_open_to_whoever_may_see_the_measurement(world, measurement):
    url = reverse("reports:measurement-report-request", args=[measurement.pk])

    check_role_matrix(world, lambda client: client.post(url), expected(302))


def test_asking_for_the_report_leads_to_its_page(world, measurement, django_capture_on_commit_callbacks):
    client = client_for(world.users["own_school"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:measurement-report-request", args=[measurement.pk]))

    report = Report.objects.get()
    assert response.headers["Location"] == reverse("reports:report-detail", args=[report.pk])
    assert (report.requested_by, report.measurement, report.status) == (
        world.users["own_school"],
        measurement,
        Report.Status.READY,
    )


def test_anonymous_is_sent_to_the_login_page(measurement):
    response = client_for(None).post(reverse("reports:measurement-report-request", args=[measurement.pk]))

    assert response.headers["Location"].startswith(reverse("login"))
    assert not Report.objects.exists()


def test_nothing_is_made_for_someone_who_may_not_see_the_measurement(world, measurement):
    for role in ROLES:
        if role not in CAN_SEE_THE_MEASUREMENT and role != "anonymous":
            client_for(world.users[role]).post(reverse("reports:measurement-report-request", args=[measurement.pk]))

    assert not Report.objects.exists()


def test_asking_for_the_report_needs_a_post(world, measurement):
    response = client_for(world.users["adviser"]).get(
        reverse("reports:measurement-report-request", args=[measurement.pk])
    )

    assert response.status_code == 405


def test_asking_from_an_htmx_button_redirects_the_whole_page(world, measurement):
    response = client_for(world.users["adviser"]).post(
        reverse("reports:measurement-report-request", args=[measurement.pk]), headers={"HX-Request": "true"}
    )

    assert response.headers["HX-Redirect"] == reverse("reports:report-detail", args=[Report.objects.get().pk])


# --------------------------------------------------------------------------- the report page and the download


def test_the_report_page_is_open_to_whoever_may_see_the_measurement(world, ready_report):
    url = reverse("reports:report-detail", args=[ready_report.pk])

    check_role_matrix(world, lambda client: client.get(url), expected(200))


def test_the_download_is_open_to_whoever_may_see_the_measurement(world, ready_report):
    url = reverse("reports:report-download", args=[ready_report.pk])

    check_role_matrix(world, lambda client: client.get(url), expected(200))


def test_the_download_is_the_pdf_under_a_readable_name(world, ready_report):
    response = client_for(world.users["own_school"]).get(reverse("reports:report-download", args=[ready_report.pk]))

    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Verslag nulmeting - GO! Koninklijk Atheneum Antwerpen - 2026-12-01.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_requester_keeps_access_to_the_report_they_asked_for(world, measurement, make_report):
    # Whoever asked for a report sees it, even without access to the measurement any more (the view checked
    # access when they asked; here the service is called directly for someone of another school).
    report = make_report(measurement, by_role="other_school")
    client = client_for(world.users["other_school"])

    assert client.get(reverse("reports:report-detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:report-download", args=[report.pk])).status_code == 200


def test_the_page_of_a_report_being_made_polls_its_status_every_second(world, pending_report):
    response = client_for(world.users["adviser"]).get(reverse("reports:report-detail", args=[pending_report.pk]))

    html = response.content.decode()
    assert '<progress value="0" max="100"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{reverse("reports:report-detail", args=[pending_report.pk])}"' in html
    assert reverse("reports:report-download", args=[pending_report.pk]) not in html


def test_under_htmx_the_page_answers_with_only_the_status_part(world, pending_report):
    response = client_for(world.users["adviser"]).get(
        reverse("reports:report-detail", args=[pending_report.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode().strip()
    assert html.startswith('<article class="report-status" id="report-status-body"')
    assert html.endswith("</article>")
    assert "<html" not in html and "<nav" not in html


def test_a_ready_report_shows_its_download_and_stops_polling(world, ready_report):
    response = client_for(world.users["adviser"]).get(
        reverse("reports:report-detail", args=[ready_report.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert f'href="{reverse("reports:report-download", args=[ready_report.pk])}"' in html
    assert '<progress value="100" max="100"' in html
    assert "hx-trigger" not in html


def test_a_failed_report_shows_the_error_and_a_way_to_try_again(world, measurement, make_report, monkeypatch):
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: 1 / 0)
    report = make_report(measurement)
    assert report.status == Report.Status.FAILED

    response = client_for(world.users["adviser"]).get(reverse("reports:report-detail", args=[report.pk]))

    html = response.content.decode()
    assert "ZeroDivisionError" in html
    assert f'action="{reverse("reports:measurement-report-request", args=[measurement.pk])}"' in html
    assert "hx-trigger" not in html
    assert reverse("reports:report-download", args=[report.pk]) not in html


def test_downloading_a_report_that_is_not_ready_leads_to_its_page(world, pending_report):
    response = client_for(world.users["adviser"]).get(reverse("reports:report-download", args=[pending_report.pk]))

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("reports:report-detail", args=[pending_report.pk])


def test_the_report_page_is_never_cached(world, pending_report):
    response = client_for(world.users["adviser"]).get(reverse("reports:report-detail", args=[pending_report.pk]))

    assert "no-cache" in response.headers["Cache-Control"]


def test_the_report_page_has_no_inline_script_or_style(world, ready_report):
    html = (
        client_for(world.users["adviser"]).get(reverse("reports:report-detail", args=[ready_report.pk])).content
    ).decode()

    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html
