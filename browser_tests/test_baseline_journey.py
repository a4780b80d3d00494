"""The baseline measurement (nulmeting) as its users live it, through the real pages.

A school member fills in the self-assessment over two sittings and submits it; the school's Voka adviser records the
conversation and finalises it. Every wait is on something the page shows (or the form's version, which the page
updates after each autosave), never a fixed sleep.

Labels are matched in English and in Dutch as the catalogue of this run translates them (`ui`): the live server runs
in this process, so the page shows exactly one of the two, whether or not the Dutch translation is complete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect

from baseline.models import Criterion, KeyElement, Measurement
from baseline.tests.factories import filled_measurement
from partners.models import Participation
from partners.tests.roles import build_world

pytestmark = pytest.mark.browser

TIME = r"\d{1,2}:\d{2}"


def ui(msgid: str, **placeholders: str) -> re.Pattern[str]:
    """The whole text `msgid` in English or in Dutch; placeholders are regexes (`%(time)s` -> TIME)."""
    with translation.override("nl"):
        dutch = gettext(msgid)
    values = {name: f"\x00{name}\x00" for name in placeholders}
    options = []
    for text in dict.fromkeys((msgid, dutch)):
        pattern = re.escape(text % values if values else text)
        for name, regex in placeholders.items():
            pattern = pattern.replace(re.escape(f"\x00{name}\x00"), regex)
        options.append(pattern)
    # Buttons may carry an arrow ("Next key element →").
    return re.compile(rf"^[←→\s]*(?:{'|'.join(options)})[←→\s]*$")


def progress_text(answered: int, measured: int) -> re.Pattern[str]:
    return ui("%(answered)s of %(measured)s criteria filled in", answered=str(answered), measured=str(measured))


SAVED = ui("Saved at %(time)s", time=TIME)
LEVEL_TEXT = {level: re.compile(rf"^{level} – ") for level in range(4)}  # "2 – Embedded" / "2 – Ingebed"


def opening_of(dutch: str, english: str) -> re.Pattern[str]:
    """The start of a text the framework has in both languages (its first 40 characters, up to the first line break)."""
    return re.compile("|".join(re.escape(text.splitlines()[0][:40]) for text in (dutch, english)))


def element_name(element: KeyElement) -> str:
    """A key element's name in either language, as a regex (the page shows the one of the interface language)."""
    return rf"(?:{re.escape(element.name)}|{re.escape(element.name_en)})"


# --------------------------------------------------------------------------- the element form


def version_of(page: Page) -> int:
    """The measurement version the form will send; each autosave that changes something answers the next one."""
    return int(page.locator("#id_version").input_value())


def expect_saved(page: Page, version: int) -> None:
    """The status line says it saved and the form holds the version that save produced."""
    expect(page.locator("#id_version")).to_have_value(str(version))
    expect(page.locator("#save-status")).to_have_text(SAVED)


def criteria_on(page: Page) -> Locator:
    return page.locator("#element-form section.criterion")


def choose_level(page: Page, criterion: Locator, level: int) -> None:
    """Click the level's visible text, as a person would, and wait until the autosave has stored it."""
    version = version_of(page)
    criterion.get_by_text(LEVEL_TEXT[level]).click()
    expect(criterion.get_by_role("radio", name=LEVEL_TEXT[level])).to_be_checked()
    expect_saved(page, version + 1)


def open_element_from_overview(page: Page, number: int) -> None:
    row = page.locator(".element-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(rf"^{number}\. "))
    )
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/metingen/\d+/element/{number}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(rf"^{number}\. "))


# --------------------------------------------------------------------------- the school


def test_school_member_fills_in_the_self_assessment_over_two_sittings_and_submits_it(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()
    member = world.users["own_school"]
    school_section = page.locator("section").filter(has=page.locator("#school-heading"))

    # First sitting: from the dashboard into an empty measurement.
    log_in(member.email)
    expect(page).to_have_url(f"{live_server.url}/")
    school_section.get_by_role("button", name=ui("Start the self-assessment")).click()

    expect(page).to_have_url(re.compile(r"/metingen/\d+/$"))
    measurement = Measurement.objects.get(participation__school=world.school, kind=Measurement.Kind.BASELINE)
    per_element = Counter(measurement.assessments.values_list("criterion__element__number", flat=True))
    total = sum(per_element.values())
    assert (len(per_element), total) == (7, 21)
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_attribute("value", "0")
    expect(progress).to_have_attribute("max", str(total))
    expect(page.locator("#progress-text")).to_have_text(progress_text(0, total))

    open_element_from_overview(page, 1)
    criteria = criteria_on(page)
    expect(criteria).to_have_count(per_element[1])
    first = criteria.first
    criterion_1 = Criterion.objects.get(pk=int(first.get_attribute("id").removeprefix("criterion-")))

    # The guidance is open beside each criterion; the example opens on demand.
    guidance = first.get_by_role("complementary")
    explanation = guidance.locator("details").filter(has=page.get_by_text(ui("Guidance")))
    expect(explanation).to_have_attribute("open", "")
    expect(explanation.get_by_text(opening_of(criterion_1.guidance, criterion_1.guidance_en))).to_be_visible()
    example = guidance.locator("details").filter(has=page.get_by_text(ui("Example")))
    example_text = example.get_by_text(opening_of(criterion_1.example, criterion_1.example_en))
    expect(example_text).to_be_hidden()
    example.get_by_text(ui("Example")).click()
    expect(example_text).to_be_visible()

    levels_1 = [2, 1, 3, 0, 2][: per_element[1]]
    for index, level in enumerate(levels_1):
        choose_level(page, criteria.nth(index), level)

    # Typing, then a pause: saved once the typing stops.
    practice = "Projectweek STEM in het tweede jaar, met fysica en techniek"
    improvement = "Onderzoekend leren ook in de derde graad inbouwen"
    version = version_of(page)
    first.get_by_label(ui("Current practice (Toepassing)")).press_sequentially(practice)
    expect_saved(page, version + 1)
    # Typed quickly and left with Tab: saved on leaving the field.
    first.get_by_label(ui("Improvement point (Werkpunt)")).fill(improvement)
    first.get_by_label(ui("Improvement point (Werkpunt)")).press("Tab")
    expect_saved(page, version + 2)

    page.get_by_role("button", name=ui("Next key element")).click()
    expect(page).to_have_url(re.compile(r"/metingen/\d+/element/2/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^2\. "))
    expect(criteria).to_have_count(per_element[2])
    levels_2 = [0, 3, 1, 2, 1][: per_element[2]]
    for index, level in enumerate(levels_2):
        choose_level(page, criteria.nth(index), level)

    page.get_by_role("button", name=ui("Log out")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))

    # Second sitting: the answers were kept.
    answered = per_element[1] + per_element[2]
    log_in(member.email)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(school_section.get_by_text(progress_text(answered, total))).to_be_visible()
    expect(school_section.get_by_role("progressbar")).to_have_attribute("value", str(answered))
    school_section.get_by_role("button", name=ui("Continue the self-assessment")).click()
    expect(page).to_have_url(f"{live_server.url}{measurement.get_absolute_url()}")
    expect(page.locator("#progress-text")).to_have_text(progress_text(answered, total))
    expect(progress).to_have_attribute("value", str(answered))

    open_element_from_overview(page, 1)
    for index, level in enumerate(levels_1):
        expect(criteria.nth(index).get_by_role("radio", name=LEVEL_TEXT[level])).to_be_checked()
    expect(first.get_by_label(ui("Current practice (Toepassing)"))).to_have_value(practice)
    expect(first.get_by_label(ui("Improvement point (Werkpunt)"))).to_have_value(improvement)

    # The rest quickly: one level per criterion, element after element (the tabs lead past element 2).
    page.get_by_role("navigation", name=ui("Key elements")).get_by_role("link", name=re.compile(r"^3\. ")).click()
    for number in range(3, 8):
        expect(page).to_have_url(re.compile(rf"/metingen/\d+/element/{number}/$"))
        expect(criteria).to_have_count(per_element[number])
        for index in range(per_element[number]):
            choose_level(page, criteria.nth(index), (number + index) % 4)
        if number < 7:
            page.get_by_role("button", name=ui("Next key element")).click()
    expect(page.get_by_role("button", name=ui("Next key element"))).to_have_count(0)
    page.get_by_role("button", name=ui("Back to overview")).click()

    expect(page).to_have_url(f"{live_server.url}{measurement.get_absolute_url()}")
    expect(page.locator("#progress-text")).to_have_text(progress_text(total, total))
    status = page.locator(".measurement-meta .badge")
    expect(status).to_have_text(ui("Draft"))
    submit = page.get_by_role("button", name=ui("Submit the measurement"))
    expect(submit).to_be_enabled()
    submit.click()

    expect(status).to_have_text(ui("Submitted by the school"))
    submitted_note = ui(
        "Submitted on %(date)s by %(name)s. The school can still change it until the adviser finalises it.",
        date=r"\d{1,2} \w+ \d{4}",
        name=re.escape(str(member)),
    )
    expect(page.get_by_role("status").filter(has_text=submitted_note)).to_be_visible()
    expect(page.get_by_role("button", name=ui("Submit the measurement"))).to_have_count(0)
    assert console_errors == []


# --------------------------------------------------------------------------- the adviser


def test_adviser_records_the_conversation_and_finalises_the_submitted_measurement(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = build_world()
    participation = Participation.objects.get(edition=world.edition, school=world.school)
    # What the school left after the journey above: every criterion rated (level 2), submitted, no focus chosen yet.
    # The adviser works in a browser context of their own (this test's page).
    measurement = filled_measurement(participation, by=world.users["own_school"], submit=True, focus=())
    elements = list(KeyElement.objects.filter(framework=measurement.framework).order_by("number"))
    adviser = world.users["adviser"]

    log_in(adviser.email)
    expect(page).to_have_url(f"{live_server.url}/")
    row = page.locator("#adviser-heading ~ table tbody tr").filter(has_text=world.school.name)
    row.get_by_role("link", name=ui("Submitted by the school")).click()
    expect(page).to_have_url(f"{live_server.url}{measurement.get_absolute_url()}")

    page.get_by_role("button", name=ui("Record the conversation and advice")).click()
    expect(page).to_have_url(re.compile(rf"/metingen/{measurement.pk}/gesprek/$"))

    meeting = dt.date(2025, 10, 14)
    version = version_of(page)
    page.get_by_label(ui("Date of the conversation")).fill(meeting.isoformat())
    expect_saved(page, version + 1)
    present = {
        "Director (directie)": "An Peeters",
        "Technical adviser-coordinator (TAC)": "Bram Janssens",
        "Voka adviser": "Carla Maes",
        "Others present": "Dirk Claes (leerkracht fysica)",
    }
    for label, name in present.items():
        version = version_of(page)
        field = page.get_by_label(ui(label))
        field.fill(name)
        field.press("Tab")
        expect_saved(page, version + 1)

    element_advice = "Verbind de projectweek met de leerplandoelen van fysica."
    version = version_of(page)
    first_element = page.get_by_role("region", name=re.compile(r"^1\. "))
    first_element.get_by_role("textbox").press_sequentially(element_advice)
    expect_saved(page, version + 1)

    advice = "Kies twee sleutelelementen en werk ze dit schooljaar samen met het bedrijf uit."
    version = version_of(page)
    page.get_by_label(ui("Advice of the Voka coach")).press_sequentially(advice)
    expect_saved(page, version + 1)

    focus = page.get_by_role("group", name=ui("Focus key elements"))
    for element in elements[:2]:
        version = version_of(page)
        focus.get_by_role("checkbox", name=re.compile(rf"^{element_name(element)}$")).check()
        expect_saved(page, version + 1)

    page.get_by_role("button", name=ui("Save and back to overview")).click()
    expect(page).to_have_url(f"{live_server.url}{measurement.get_absolute_url()}")
    conversation = page.locator("section").filter(has=page.locator("#conversation-heading"))

    def fact(label: str) -> Locator:
        return conversation.locator("dt").filter(has_text=ui(label)).locator("xpath=following-sibling::dd[1]")

    expect(fact("Date of the conversation")).to_have_text(re.compile(rf"^{meeting.day} \w+ {meeting.year}$"))
    for label, name in present.items():
        expect(fact(label)).to_have_text(name)
    focus_names = ", ".join(element_name(element) for element in elements[:2])
    expect(fact("Focus key elements")).to_have_text(re.compile(rf"^{focus_names}$"))
    expect(conversation).to_contain_text(element_advice)
    expect(conversation).to_contain_text(advice)

    page.get_by_role("button", name=ui("Finalise and lock")).click()

    status = page.locator(".measurement-meta .badge")
    expect(status).to_have_text(ui("Finalised by the adviser"))
    expect(page.locator(".locked-notice")).to_be_visible()
    expect(page.get_by_role("button", name=ui("Finalise and lock"))).to_have_count(0)

    open_element_from_overview(page, 1)
    expect(page.locator(".locked-notice")).to_be_visible()
    expect(page.locator("section.criterion")).to_have_count(
        measurement.assessments.filter(criterion__element__number=1).count()
    )
    expect(page.locator("input[type=radio]:enabled")).to_have_count(0)
    expect(page.locator("section.criterion dd").first).to_have_text(re.compile(r"^2 – "))  # the school's level
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert console_errors == []
