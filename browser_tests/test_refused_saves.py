"""A refused save is shown in its form: htmx does not swap 4xx answers by default, but forms inside
[data-swap-errors] answer 409 (someone else saved first) and 400 on purpose, with what the person typed, and
static/js/stempact.js swaps those answers in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from baseline import services
from baseline.models import Measurement
from baseline.tests.factories import started_measurement
from partners.tests.roles import build_world

pytestmark = pytest.mark.browser


def test_a_save_refused_because_someone_else_saved_first_shows_in_the_form(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()
    member = world.users["own_school"]
    participation = world.school.participations.get(edition=world.edition)
    measurement = started_measurement(participation)
    first = measurement.assessments.select_related("criterion__element").order_by("criterion__number").first()

    log_in(member.email)
    page.goto(f"{live_server.url}/metingen/{measurement.pk}/element/{first.criterion.element.number}/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^1\. "))

    # A colleague saves the same criterion in the meantime.
    services.measurement_save(
        measurement=Measurement.objects.get(pk=measurement.pk),
        by=world.users["coordinator"],
        version=measurement.version,
        data=services.MeasurementInput(assessments={first.criterion_id: {"level": 3}}),
    )

    criterion = page.locator(f"#criterion-{first.criterion_id}")
    criterion.get_by_text(re.compile(r"^1 – ")).click()

    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(heading).to_have_text(re.compile(r"^1\. "))  # still the measuring page, not an error page
    expect(page.locator("#element-form")).to_be_visible()
