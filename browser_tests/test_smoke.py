"""Smoke journeys: every role logs in through the real login page and sees its own dashboard, without script errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from partners.tests.roles import World, build_world

pytestmark = pytest.mark.browser

SCHOOLS_LABEL = re.compile(r"^(Scholen|Schools)$")
SEARCH_LABEL = re.compile(r"^(Zoeken|Search)$")
LANGUAGE_LABEL = re.compile(r"^(Taal|Language)$")


def nav_hrefs(page: Page) -> list[str]:
    """The links of the main navigation in order, the brand link first."""
    return page.locator("header nav a").evaluate_all("links => links.map(link => link.getAttribute('href'))")


def expected_nav(world: World, role: str) -> list[str]:
    home = ["/", "/"]  # the brand link and the dashboard entry
    return {
        "coordinator": [
            *home,
            "/scholen/",
            "/bedrijven/",
            "/metingen/",
            "/koppeling/",
            "/actieplan/",
            "/actieplan/netwerken/",
            "/import/",
            "/gebruikers/",
        ],
        "adviser": [
            *home,
            "/scholen/",
            "/bedrijven/",
            "/metingen/",
            "/koppeling/",
            "/actieplan/",
            "/actieplan/netwerken/",
        ],
        "own_school": [*home, world.school.get_absolute_url(), "/koppeling/", "/actieplan/"],
        "company": [*home, world.company.get_absolute_url(), "/koppeling/", "/actieplan/"],
        "juror": [*home, "/actieplan/"],
    }[role]


# The dashboard section each role should see, by the id of its heading (independent of the language).
SECTION_HEADINGS = {
    "coordinator": "#coord-heading",
    "adviser": "#adviser-heading",
    "own_school": "#school-heading",
    "company": "#company-heading",
    "juror": "#jury-heading",
}


@pytest.mark.parametrize("role", ["coordinator", "adviser", "own_school", "company", "juror"])
def test_each_role_logs_in_and_sees_only_its_own_dashboard_without_console_errors(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str], role: str
):
    world = build_world()
    user = world.users[role]

    log_in(user.email)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^(Welkom|Welcome), {re.escape(user.first_name)}$")
    )
    assert nav_hrefs(page) == expected_nav(world, role)
    nav = page.locator("header nav")
    for other_role, heading in SECTION_HEADINGS.items():
        expect(page.locator(heading)).to_have_count(1 if other_role == role else 0)
    if role == "own_school":
        expect(nav.get_by_role("link", name=world.school.name)).to_be_visible()
        expect(nav.get_by_role("link", name=SCHOOLS_LABEL)).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text(world.other_school.name)
    if role == "company":
        expect(nav.get_by_role("link", name=world.company.name)).to_be_visible()
    if role == "juror":
        expect(page.get_by_role("region", name="Jury")).to_be_visible()
    assert console_errors == []


def test_a_wrong_password_keeps_the_visitor_on_the_login_page_with_an_error(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()

    log_in(world.users["coordinator"].email, password="not-the-password")

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text(re.compile("Welcome|Welkom"))
    assert console_errors == []


def test_coordinator_searches_the_school_list_in_place_and_opens_a_school(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()
    log_in(world.users["coordinator"].email)
    page.locator("header nav").get_by_role("link", name=SCHOOLS_LABEL).click()
    expect(page).to_have_url(f"{live_server.url}/scholen/")
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(3)
    # A full page load would discard this; an htmx swap keeps it.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label(SEARCH_LABEL).fill("technic")

    expect(page).to_have_url(re.compile(r"/scholen/\?(.*&)?q=technic(&|$)"))
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text(["Technicum Antwerpen"])
    assert page.evaluate("window.stillTheSamePage") is True

    results.get_by_role("link", name="Technicum Antwerpen").click()

    expect(page).to_have_url(f"{live_server.url}{world.other_school.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Technicum Antwerpen")
    assert console_errors == []


def test_choosing_english_in_the_language_menu_switches_the_interface(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()
    log_in(world.users["coordinator"].email)
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_label(LANGUAGE_LABEL).select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, "))
    expect(page.get_by_label("Language")).to_have_value("en")
    assert console_errors == []


def test_pages_declare_an_icon_the_browser_can_load(page: Page, live_server):
    page.goto("/login/")
    declared = page.locator('head link[rel~="icon"]')
    href = declared.first.get_attribute("href") if declared.count() else "/favicon.ico"

    response = page.request.get(urljoin(page.url, href))

    assert response.ok, f"{href} answered {response.status}"
