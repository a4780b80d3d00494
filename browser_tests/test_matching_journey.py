"""Matching (koppeling) as its users live it: an adviser ranks and proposes, the school and the company accept.

The school has a finalised baseline that is weak in key elements 1 and 2 and teaches chemistry. Three companies
offer to mentor: BASF nearby, strong in exactly those elements and in chemistry (the clear best fit); Umicore in
Gent, about 50 km away, strong in one of them; Atlas Copco nearby but strong elsewhere and in construction.

Labels are matched in English and in Dutch as the catalogue of this run translates them (`ui`), as in the baseline
journey: the live server runs in this process, so the page shows exactly one of the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect

from baseline.models import KeyElement
from baseline.tests.factories import filled_measurement
from matching.tests.helpers import profile
from partners.models import Company, CompanySite, Participation, StudyArea
from partners.tests import factories as f
from partners.tests.roles import World, build_world

pytestmark = pytest.mark.browser

DATE = r"\d{1,2} \w+ \d{4}"
PERCENT = re.compile(r"^(\d+) %$")


def words(msgid: str, **placeholders: str) -> str:
    """A regex (unanchored) for `msgid` in English or in Dutch; placeholders are regexes."""
    with translation.override("nl"):
        dutch = gettext(msgid)
    values = {name: f"\x00{name}\x00" for name in placeholders}
    options = []
    for text in dict.fromkeys((msgid, dutch)):
        pattern = re.escape(text % values if values else text)
        for name, regex in placeholders.items():
            pattern = pattern.replace(re.escape(f"\x00{name}\x00"), regex)
        options.append(pattern)
    return f"(?:{'|'.join(options)})"


def ui(msgid: str, **placeholders: str) -> re.Pattern[str]:
    """The whole text `msgid` in English or in Dutch."""
    return re.compile(rf"^\s*{words(msgid, **placeholders)}\s*$")


def accepted_on() -> re.Pattern[str]:
    """An acceptance cell of the match list: "ja, 29 november 2026"."""
    return re.compile(rf"^{words('yes')}, {DATE}$")


# --------------------------------------------------------------------------- the data


def move_site(company: Company, *, postcode: str, municipality: str, latitude: float, longitude: float) -> None:
    CompanySite.objects.filter(company=company).update(
        postcode=postcode, municipality=municipality, latitude=latitude, longitude=longitude
    )


def matching_world() -> tuple[World, Company]:
    """The world of the role tests, with the school's finalised baseline and three mentor companies.

    Returns the world and the third company (Atlas Copco); BASF is `world.company`, Umicore `world.other_company`.
    """
    world = build_world()
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    participation = Participation.objects.get(edition=world.edition, school=world.school)
    # Criteria 1-6 belong to key elements 1 and 2: level 0 there, level 3 everywhere else.
    filled_measurement(
        participation, by=world.users["adviser"], level=3, levels=dict.fromkeys(range(1, 7), 0), finalise=True
    )
    # BASF Antwerpen (world.company, site in Antwerpen about 5 km away) has the company member of the world.
    profile(world.company, world.edition, elements=(1, 2), areas=("chemie",), hours=16, staff=4)
    profile(world.other_company, world.edition, elements=(1,), areas=("chemie",))
    move_site(world.other_company, postcode="9000", municipality="Gent", latitude=51.0543, longitude=3.7174)
    atlas = f.CompanyFactory(name="Atlas Copco Wilrijk")
    move_site(atlas, postcode="2610", municipality="Wilrijk", latitude=51.1690, longitude=4.3950)
    profile(atlas, world.edition, elements=(4,), areas=("bouw",))
    return world, atlas


# --------------------------------------------------------------------------- reading the pages


def column(table: Locator, row_text: str, header: re.Pattern[str]) -> Locator:
    """The cell under `header` in the table row that mentions `row_text` (found by header text, not position)."""
    headers = table.locator("thead th").all_inner_texts()
    index = next(i for i, text in enumerate(headers) if header.match(text.strip()))
    row = table.locator("tbody tr").filter(has_text=row_text)
    expect(row).to_have_count(1)
    return row.locator(":scope > th, :scope > td").nth(index)


def log_out(page: Page) -> None:
    page.get_by_role("button", name=ui("Log out")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def ranked_companies(ranking: Locator) -> Locator:
    """The headings of the ranked companies, best first (the left-out list has no headings)."""
    return ranking.locator("ol.ranking").get_by_role("heading", level=3)


def score_of(card: Locator) -> int:
    score = card.locator(".score")
    expect(score).to_have_text(PERCENT)
    return int(PERCENT.match(score.inner_text()).group(1))


# --------------------------------------------------------------------------- the three people


def best_fit_sentence() -> str:
    """What the ranking says about BASF, in the language of the page."""
    with translation.override("nl"):
        weakest = KeyElement.objects.get(number=1).short_label
        chemistry = StudyArea.objects.get(slug="chemie").name
        return "; ".join(
            [
                gettext("%(km)s km") % {"km": "5"},
                gettext("strong in %(element)s, one of your weakest elements") % {"element": weakest},
                gettext("core activity fits %(areas)s") % {"areas": chemistry},
            ]
        )


def adviser_ranks_filters_and_proposes(page: Page, live_server, world: World, atlas: Company, note: str) -> None:
    school, basf, umicore = world.school, world.company, world.other_company
    participation = Participation.objects.get(edition=world.edition, school=school)
    row = page.locator("#adviser-heading ~ table tbody tr").filter(has_text=school.name)
    row.get_by_role("link", name=ui("Find a mentor company")).click()

    ranking_url = f"{live_server.url}/koppeling/school/{participation.pk}/"
    expect(page).to_have_url(ranking_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        ui("Mentor companies for %(school)s", school=re.escape(school.name))
    )
    expect(page.locator("hgroup .badge")).to_have_text(ui("Baseline measured"))
    own_matches = page.get_by_role("region", name=ui("Matches of this school"))
    expect(own_matches).to_contain_text(re.compile(words("No match proposed yet for this school.")))

    # Best first, each with its score, and for the best the sentence that says why.
    ranking = page.get_by_role("region", name=ui("Best fitting mentor companies"))
    expect(ranked_companies(ranking)).to_have_text([basf.name, umicore.name, atlas.name])
    cards = [ranking.get_by_role("article", name=name, exact=True) for name in (basf.name, umicore.name, atlas.name)]
    scores = [score_of(card) for card in cards]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1], scores
    expect(cards[0].locator(".sentence")).to_have_text(best_fit_sentence())
    expect(cards[0]).to_contain_text(re.compile(rf"{words('Distance')}: 5 km"))
    expect(cards[0].get_by_role("img", name=re.compile(re.escape(basf.name)))).to_be_visible()  # the score parts
    left_out = ranking.get_by_role("region", name=ui("Left out"))
    expect(left_out).to_contain_text(re.compile(words("No strong company was left out.")))

    # The maximum distance narrows the ranking in place; the far company is left out, with the reason.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label(ui("Maximum distance (km)")).fill("30")

    expect(page).to_have_url(re.compile(r"\?(.*&)?max_distance_km=30(&|$)"))
    expect(ranked_companies(ranking)).to_have_text([basf.name, atlas.name])
    expect(left_out.get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{re.escape(umicore.name)}: {words('beyond the distance limit')}$")]
    )
    assert page.evaluate("window.stillTheSamePage") is True

    best = ranking.get_by_role("article", name=basf.name, exact=True)
    best.get_by_label(ui("Note (optional)")).fill(note)
    best.get_by_role("button", name=ui("Propose")).click()

    expect(page).to_have_url(ranking_url)
    expect(page.get_by_role("status").filter(has_text=basf.name)).to_have_text(
        ui("%(company)s is proposed to %(school)s.", company=re.escape(basf.name), school=re.escape(school.name))
    )
    proposals = own_matches.get_by_role("table")
    expect(column(proposals, basf.name, ui("Status"))).to_have_text(ui("Proposed"))
    expect(column(proposals, basf.name, ui("Accepted by the school"))).to_have_text("—")
    expect(column(proposals, basf.name, ui("Accepted by the company"))).to_have_text("—")
    expect(column(proposals, basf.name, ui("History"))).to_contain_text(note)


def school_member_accepts(page: Page, live_server, world: World) -> None:
    school, basf = world.school, world.company
    # Neither the dashboard nor the menu links a school member to the matches (yet): by address.
    page.goto("/koppeling/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("Matches"))
    matches = page.get_by_role("table")
    expect(column(matches, basf.name, ui("School"))).to_have_text(school.name)
    expect(column(matches, basf.name, ui("Status"))).to_have_text(ui("Proposed"))
    expect(column(matches, basf.name, ui("School accepted"))).to_have_text(ui("not yet"))
    expect(page.get_by_role("button", name=ui("Accept for our company"))).to_have_count(0)
    expect(page.get_by_role("button", name=ui("Reject"))).to_have_count(0)  # deciding is the adviser's

    page.get_by_role("button", name=ui("Accept for our school")).click()

    expect(page).to_have_url(f"{live_server.url}/koppeling/")
    expect(page.get_by_role("status").filter(has_text=basf.name)).to_have_text(
        ui("You accepted the match of %(match)s.", match=re.escape(f"{school.name} – {basf.name}"))
    )
    expect(column(matches, basf.name, ui("School accepted"))).to_have_text(accepted_on())
    expect(column(matches, basf.name, ui("Company accepted"))).to_have_text(ui("not yet"))
    expect(column(matches, basf.name, ui("Status"))).to_have_text(ui("Proposed"))
    expect(page.get_by_role("button", name=ui("Accept for our school"))).to_have_count(0)


def company_member_accepts(page: Page, live_server, world: World) -> None:
    school, basf = world.school, world.company
    # As for the school: no link to the matches on the company's dashboard or in its menu.
    page.goto("/koppeling/")
    matches = page.get_by_role("table")
    expect(column(matches, basf.name, ui("School accepted"))).to_have_text(accepted_on())
    expect(column(matches, basf.name, ui("Company accepted"))).to_have_text(ui("not yet"))

    page.get_by_role("button", name=ui("Accept for our company")).click()

    expect(page).to_have_url(f"{live_server.url}/koppeling/")
    expect(page.get_by_role("status").filter(has_text=basf.name)).to_have_text(
        ui("You accepted the match of %(match)s.", match=re.escape(f"{school.name} – {basf.name}"))
    )
    expect(column(matches, basf.name, ui("Status"))).to_have_text(ui("Active"))
    expect(column(matches, basf.name, ui("Company accepted"))).to_have_text(accepted_on())
    expect(page.get_by_role("button", name=ui("Accept for our company"))).to_have_count(0)


# --------------------------------------------------------------------------- the journey


def test_adviser_proposes_the_best_mentor_company_and_school_and_company_accept(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world, atlas = matching_world()
    home = f"{live_server.url}/"

    log_in(world.users["adviser"].email)
    expect(page).to_have_url(home)
    adviser_ranks_filters_and_proposes(page, live_server, world, atlas, note="Sterk in methode en leerplan, dichtbij")
    log_out(page)

    log_in(world.users["own_school"].email)
    expect(page).to_have_url(home)
    school_member_accepts(page, live_server, world)
    log_out(page)

    log_in(world.users["company"].email)
    expect(page).to_have_url(home)
    company_member_accepts(page, live_server, world)
    log_out(page)

    # Both sides accepted: the school reads as matched on its own dashboard.
    log_in(world.users["own_school"].email)
    school_section = page.locator("section").filter(has=page.locator("#school-heading"))
    status = school_section.locator("p").filter(has_text=re.compile(words("Status in this edition"))).locator(".badge")
    expect(status).to_have_text(ui("Matched with a mentor company"))
    assert console_errors == []
