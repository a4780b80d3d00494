"""The improvement action plan (verbeteractieplan) as its users live it, from the dashboard to the submitted plan.

The school has a finalised baseline with focus key elements 1 and 2 and an active match with BASF. A school member
starts the plan, writes a first goal that is not yet SMART (no target value, a milestone after the end date), sees
what the check flags per letter, also on the submit page, and fixes it; adds a second goal and an action. A member of
the company fills in the company's contribution and signs; the school member signs and submits, and the plan is
locked. Signing is offered only once the SMART check finds no blocking problems; until both signed, submitting is
disabled and the page points to what is missing. Every wait is on something the page shows, never a fixed sleep.

Labels are matched in English and in Dutch as the catalogue of this run translates them (`ui`), as in the other
journeys: the live server runs in this process, so the page shows exactly one of the two.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Locator, Page, expect

from actionplans.smart import LETTERS
from baseline.models import KeyElement, Measurement
from baseline.tests.factories import filled_measurement
from matching.decisions import match_accept, match_propose
from matching.tests.helpers import profile
from partners.models import Edition, Participation
from partners.tests.roles import World, build_world

pytestmark = pytest.mark.browser

DATE = r"\d{1,2} \w+ \d{4}"
#: A date inside a SMART hint, written as on the page ("30 juni 2027").
HINT_DATE = rf"\({DATE}\)"
TIME = r"\d{1,2}:\d{2}"
#: How the SMART check marks a letter: passed, a hard failure (blocks signing), a tip.
MARKS = {"pass": "✓", "hard": "✗", "soft": "!"}


def words(msgid: str, *, first_upper: bool = False, **placeholders: str) -> str:
    """A regex (unanchored) for `msgid` in English or in Dutch; placeholders are regexes.

    `first_upper`: the page shows the text with a capital first letter (form labels made from verbose names)."""
    with translation.override("nl"):
        dutch = gettext(msgid)
    values = {name: f"\x00{name}\x00" for name in placeholders}
    options = []
    for text in dict.fromkeys((msgid, dutch)):
        text = text % values if values else text
        pattern = re.escape(capfirst(text) if first_upper else text)
        for name, regex in placeholders.items():
            pattern = pattern.replace(re.escape(f"\x00{name}\x00"), regex)
        options.append(pattern)
    return f"(?:{'|'.join(options)})"


def counted(singular: str, plural: str, n: int, *, key: str = "n") -> str:
    """A regex (unanchored) for a counted text ("%(n)s goal"/"%(n)s goals") in English or in Dutch."""
    with translation.override("nl"):
        dutch = ngettext(singular, plural, n)
    english = singular if n == 1 else plural
    return "(?:" + "|".join(re.escape(text % {key: n}) for text in dict.fromkeys((english, dutch))) + ")"


def ui(msgid: str, **placeholders: str) -> re.Pattern[str]:
    """The whole text `msgid` in English or in Dutch."""
    return re.compile(rf"^\s*{words(msgid, **placeholders)}\s*$")


def label(msgid: str, *, first_upper: bool = False) -> re.Pattern[str]:
    """A field's label: the text, with the asterisk of a required field if the accessible name keeps it."""
    return re.compile(rf"^\s*{words(msgid, first_upper=first_upper)}(?:\s*\*)?\s*$")


def element_name(element: KeyElement) -> str:
    return rf"{element.number}\. (?:{re.escape(element.name)}|{re.escape(element.name_en)})"


# --------------------------------------------------------------------------- the data


def keep_plan_deadline_ahead(edition: Edition, *, days: int = 30) -> None:
    """Move the edition by whole years until its plan deadline is at least `days` after today.

    The world's edition is the school year 2026-2027 (deadline 30 April 2027): as the calendar moves on, the
    journey would otherwise meet a closed submission. Every date moves by the same years, so Edition.clean's order
    holds (checked with full_clean)."""
    today = timezone.localdate()
    years = 0
    while edition.plan_deadline.replace(year=edition.plan_deadline.year + years) < today + dt.timedelta(days=days):
        years += 1
    if not years:
        return
    for field in Edition._meta.concrete_fields:
        if field.get_internal_type() == "DateField":
            value = getattr(edition, field.name)
            setattr(edition, field.name, value.replace(year=value.year + years))
    edition.full_clean()
    edition.save()


def plan_world() -> World:
    """The role world with a finalised baseline of the school (focus on key elements 1 and 2) and an active match
    of the school with BASF (`world.company`), both sides accepted; no plan yet."""
    world = build_world()
    keep_plan_deadline_ahead(world.edition)
    participation = Participation.objects.get(edition=world.edition, school=world.school)
    filled_measurement(participation, by=world.users["adviser"], finalise=True, focus=(1, 2))
    profile(world.company, world.edition)
    match = match_propose(participation=participation, company=world.company, by=world.users["adviser"])
    match = match_accept(match=match, by=world.users["own_school"], side="school")
    match_accept(match=match, by=world.users["company"], side="company")
    return world


def focus_element(world: World, number: int) -> KeyElement:
    """One of the focus key elements of the school's baseline (the ones a goal links to)."""
    baseline = Measurement.objects.get(participation__school=world.school, kind=Measurement.Kind.BASELINE)
    return baseline.focus_elements.get(number=number)


# --------------------------------------------------------------------------- reading the pages


def log_out(page: Page) -> None:
    page.get_by_role("button", name=ui("Log out")).click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def section_of(page: Page, heading_id: str) -> Locator:
    return page.locator("section").filter(has=page.locator(f"#{heading_id}"))


def tab(page: Page, msgid: str) -> Locator:
    return page.get_by_role("navigation", name=ui("Parts of the action plan")).get_by_role("link", name=ui(msgid))


def goal_card(page: Page, title: str) -> Locator:
    return page.get_by_role("article", name=title, exact=True)


def fact(card: Locator, msgid: str) -> Locator:
    """The value of one fact of a goal as it reads ("Indicator": "... from 0 to 48")."""
    return card.locator("dl.facts dt").filter(has_text=ui(msgid)).locator("xpath=following-sibling::dd[1]")


def smart_letter(card: Locator, letter: str) -> Locator:
    """The line of one SMART letter in a goal's check (S, M, A, R, T in that order)."""
    check = card.get_by_role("region", name=ui("SMART check"))
    return check.locator(":scope > ul > li").nth(LETTERS.index(letter))


def expect_letters(card: Locator, **results: str) -> None:
    """Each letter's mark as the page shows it: results per letter "pass", "hard" or "soft"."""
    assert set(results) == set(LETTERS)
    for letter in LETTERS:
        expect(smart_letter(card, letter).locator(".badge")).to_have_text(f"{letter} {MARKS[results[letter]]}")


def expect_hints(card: Locator, letter: str, hints: list[re.Pattern[str]]) -> None:
    expect(smart_letter(card, letter).get_by_role("listitem")).to_have_text(hints)


def goal_form(page: Page) -> Locator:
    """The open goal form (there is one at a time in this journey)."""
    form = page.locator("form.goal-form")
    expect(form).to_have_count(1)
    return form


def check_option(form: Locator, group: str, option: str | re.Pattern[str]) -> None:
    box = form.get_by_role("group", name=ui(group)).get_by_role("checkbox", name=option)
    box.check()
    expect(box).to_be_checked()


def fill_goal(form: Locator, values: dict[str, str]) -> None:
    """Type into the goal form's text, number and date fields by their visible labels."""
    for msgid, value in values.items():
        form.get_by_label(label(msgid)).fill(value)


def add_item(card: Locator, kind: str, values: dict[str, str]) -> Locator:
    """Add a milestone or an action to a goal with its button, as a person would; returns the new item."""
    add_button, submit, heading = {
        "milestone": ("Add a milestone", "Add milestone", "Milestones"),
        "action": ("Add an action", "Add action", "Actions"),
    }[kind]
    items = card.get_by_role("region", name=ui(heading)).get_by_role("list").first.locator(":scope > li")
    before = items.count()
    card.get_by_role("button", name=ui(add_button)).click()
    form = card.locator("form.item-form")
    for msgid, value in values.items():
        form.get_by_label(label(msgid)).fill(value)
    form.get_by_role("button", name=ui(submit)).click()
    expect(form).to_have_count(0)
    expect(items).to_have_count(before + 1)
    return items.last


def plan_status(page: Page) -> Locator:
    return page.locator("#plan-status")


def signature_card(page: Page, side: str, party: str) -> Locator:
    return page.get_by_role("article", name=re.compile(rf"^{words(side)}: {re.escape(party)}$"))


def still_to_do(page: Page) -> Locator:
    return page.get_by_role("region", name=ui("Still to do before you can submit"))


def not_signed_yet(party: str) -> re.Pattern[str]:
    return ui("%(party)s has not signed the engagement declaration yet.", party=re.escape(party))


# --------------------------------------------------------------------------- the school writes


FIRST_GOAL = "Meer leerlingen kiezen STEM in de tweede graad"
SECOND_GOAL = "Leerkrachten werken samen in een Teacher Design Team"
FIRST_MILESTONE = "Script van het geïntegreerde project klaar"


def school_member_starts_the_plan(page: Page, world: World) -> None:
    school_section = section_of(page, "school-heading")
    expect(school_section.get_by_role("heading", level=3, name=ui("Action plan"))).to_be_visible()
    expect(school_section).to_contain_text(
        re.compile(
            words(
                "Next step: school and mentor company write one joint SMART improvement action plan, by %(date)s.",
                date=DATE,
            )
        )
    )
    school_section.get_by_role("button", name=ui("Write your action plan")).click()

    expect(page).to_have_url(re.compile(r"/actieplan/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("Action plan"))
    header = page.locator(".plan-header")
    expect(header).to_contain_text(world.school.name)
    expect(header).to_contain_text(world.company.name)
    expect(header.locator(".badge").first).to_have_text(ui("Draft"))
    expect(
        page.get_by_text(
            ui(
                "No goals yet. Add the first goal: what do school and mentor company want to improve, "
                "for whom, and how will you measure it?"
            )
        )
    ).to_be_visible()


def school_member_writes_a_first_goal_that_is_not_smart_yet(
    page: Page, world: World, period: dict[str, dt.date]
) -> None:
    """No target value and no dated step; then a milestone after the end date: hard failures, each with its hint."""
    focus = focus_element(world, 1)
    page.get_by_role("button", name=ui("Add a goal")).click()
    form = goal_form(page)
    expect(form.get_by_role("heading", level=3)).to_have_text(ui("New goal"))
    fill_goal(
        form,
        {
            "Title": FIRST_GOAL,
            "Programme (study direction)": "STEM-wetenschappen",
            "Subjects": "wiskunde, fysica, chemie",
            "Indicator": "leerlingen die het geïntegreerde project doorlopen",
            "Unit": "leerlingen",
            "Starting value": "0",
            "Why it fits STEMpact": "Een interdisciplinair project rond een echte uitdaging van het bedrijf.",
            "Owner at the school": "An Peeters (TAC)",
            "Owner at the mentor company": "Jan Janssens (HR)",
            "Company hours": "40",
            "Start date": period["start"].isoformat(),
            "End date": period["end"].isoformat(),
        },
    )
    check_option(form, "Grades", ui("Second grade"))
    check_option(form, "Tracks", ui("Transition to higher education"))
    check_option(form, "Key elements", re.compile(rf"^{element_name(focus)}$"))
    form.get_by_role("button", name=ui("Save goal")).click()

    card = goal_card(page, FIRST_GOAL)
    expect(card).to_be_visible()
    expect(form).to_have_count(0)
    expect(page.get_by_role("button", name=ui("Add a goal"))).to_be_visible()
    # The missing target reads as a dash, and the check says what to do about it, under its letter.
    expect(fact(card, "Indicator")).to_contain_text(re.compile(rf"{words('from')}\s+0\s+{words('to')}\s+—$"))
    expect_letters(card, S="pass", M="hard", A="pass", R="soft", T="hard")
    expect(smart_letter(card, "M")).to_contain_text(re.compile(words("to fix (blocks signing)")))
    expect_hints(card, "M", [ui("Measurable: give a target value")])
    expect_hints(card, "T", [ui("Time-bound: plan at least one milestone or action with a date")])
    expect(plan_status(page).locator(".badge").first).to_have_text(
        re.compile(rf"^{counted('%(n)s point blocks signing', '%(n)s points block signing', 2)}$")
    )

    milestone = add_item(card, "milestone", {"Date": period["too_late"].isoformat(), "Description": FIRST_MILESTONE})
    too_late = ui(
        "Time-bound: milestone after the end date: %(milestone)s",
        milestone=rf"{re.escape(FIRST_MILESTONE)} {HINT_DATE}",
    )
    expect(milestone.locator(".smart-hint")).to_have_text(too_late)
    expect_letters(card, S="pass", M="hard", A="pass", R="soft", T="hard")
    expect_hints(card, "T", [too_late])


def submit_page_lists_what_is_missing(page: Page, world: World) -> None:
    """Before fixing: the submit page names the goal with its hard failures and both missing signatures; instead of
    a sign form it says signing comes once the check finds no blocking problems, and submitting is disabled."""
    tab(page, "Sign and submit").click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/indienen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("Engagement declaration and submission"))
    missing = still_to_do(page)
    goal_item = missing.locator(":scope > ul > li").filter(has=page.get_by_role("link", name=FIRST_GOAL))
    expect(goal_item.get_by_role("listitem")).to_have_text(
        [
            ui("Measurable: give a target value"),
            ui(
                "Time-bound: milestone after the end date: %(milestone)s",
                milestone=rf"{re.escape(FIRST_MILESTONE)} {HINT_DATE}",
            ),
        ]
    )
    items = missing.locator(":scope > ul > li")
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_have_text(not_signed_yet(world.school.name))
    expect(items.nth(2)).to_have_text(not_signed_yet(world.company.name))

    # No sign form yet: the card says when signing comes and leads to the goals; submitting is disabled.
    school_card = signature_card(page, "School", world.school.name)
    expect(school_card.get_by_role("textbox")).to_have_count(0)
    expect(school_card).to_contain_text(
        re.compile(words("You can sign as soon as the SMART check finds no blocking problems any more."))
    )
    expect(school_card.get_by_role("link", name=ui("Go to the goals"))).to_be_visible()
    expect(page.get_by_role("button", name=ui("Submit the action plan"))).to_be_disabled()

    goal_item.get_by_role("link", name=FIRST_GOAL).click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/#goal-\d+$"))


def school_member_fixes_the_first_goal(page: Page, period: dict[str, dt.date]) -> None:
    card = goal_card(page, FIRST_GOAL)
    card.get_by_role("button", name=ui("Edit goal")).click()
    form = goal_form(page)
    expect(form.get_by_role("heading", level=3)).to_have_text(ui("Edit goal"))
    target = form.locator(".field").filter(has=page.get_by_label(label("Target value")))
    expect(target.locator(".smart-hint")).to_have_text(ui("Measurable: give a target value"))
    target.get_by_label(label("Target value")).fill("48")
    form.get_by_role("button", name=ui("Save goal")).click()

    expect(form).to_have_count(0)
    expect(fact(card, "Indicator")).to_contain_text(re.compile(rf"{words('from')}\s+0\s+{words('to')}\s+48$"))
    expect_letters(card, S="pass", M="pass", A="pass", R="soft", T="hard")
    expect(smart_letter(card, "M")).to_contain_text(re.compile(words("in order")))

    milestones = card.get_by_role("region", name=ui("Milestones"))
    milestones.get_by_role("button", name=re.compile(rf"^{words('Edit')}\s+{re.escape(FIRST_MILESTONE)}$")).click()
    form = milestones.locator("form.item-form")
    form.get_by_label(label("Date")).fill(period["milestone"].isoformat())
    form.get_by_role("button", name=ui("Save milestone")).click()
    expect(form).to_have_count(0)
    milestone = milestones.get_by_role("listitem").filter(has_text=FIRST_MILESTONE)
    expect(milestone.locator("time")).to_have_attribute("datetime", period["milestone"].isoformat())
    expect(milestone.locator(".smart-hint")).to_have_count(0)
    expect_letters(card, S="pass", M="pass", A="pass", R="soft", T="pass")
    expect_hints(card, "R", [ui("Realistic: plan at least one action")])
    expect(plan_status(page).locator(".badge").first).to_have_text(ui("no blocking points"))


def school_member_adds_a_second_goal_and_an_action(page: Page, world: World, period: dict[str, dt.date]) -> None:
    focus = focus_element(world, 2)
    page.get_by_role("button", name=ui("Add a goal")).click()
    form = goal_form(page)
    fill_goal(
        form,
        {
            "Title": SECOND_GOAL,
            "Programme (study direction)": "Industriële wetenschappen",
            "Indicator": "leerkrachten in het Teacher Design Team",
            "Unit": "leerkrachten",
            "Starting value": "2",
            "Target value": "6",
            "Why it fits STEMpact": "Het team ontwerpt het project samen met een ingenieur van het bedrijf.",
            "Owner at the school": "Sara De Smet (directie)",
            "Owner at the mentor company": "Tom Peeters (R&D)",
            "Company staff": "1",
            "Start date": period["start"].isoformat(),
            "End date": period["end"].isoformat(),
        },
    )
    check_option(form, "Grades", ui("Third grade"))
    check_option(form, "Key elements", re.compile(rf"^{element_name(focus)}$"))
    form.get_by_role("button", name=ui("Save goal")).click()

    second = goal_card(page, SECOND_GOAL)
    expect(second).to_be_visible()
    expect_letters(second, S="pass", M="pass", A="pass", R="soft", T="hard")
    expect_hints(second, "T", [ui("Time-bound: plan at least one milestone or action with a date")])
    # A dated action is a step plan too: the hard failure goes, a tip to add milestones stays.
    add_item(
        second,
        "action",
        {"Action": "Eerste overleg van het team", "Owner": "Sara De Smet", "Due date": period["due"].isoformat()},
    )
    expect_letters(second, S="pass", M="pass", A="pass", R="pass", T="soft")
    expect_hints(second, "T", [ui("Time-bound: add milestones with dates (a step plan)")])

    first = goal_card(page, FIRST_GOAL)
    action = add_item(
        first,
        "action",
        {
            "Action": "Bedrijfsbezoek met de leerkrachten",
            "Owner": "Jan Janssens",
            "Due date": period["due"].isoformat(),
        },
    )
    expect(action).to_contain_text("Bedrijfsbezoek met de leerkrachten")
    expect(action.locator(".badge")).to_have_text(ui("To do"))
    expect_letters(first, S="pass", M="pass", A="pass", R="pass", T="pass")
    for letter in LETTERS:
        expect(smart_letter(first, letter).get_by_role("listitem")).to_have_count(0)
    expect(plan_status(page).locator(".badge").first).to_have_text(ui("no blocking points"))


# --------------------------------------------------------------------------- the company contributes and signs


def company_member_contributes_and_signs(page: Page, world: World) -> None:
    company_section = section_of(page, "company-heading")
    expect(company_section.get_by_role("heading", level=3)).to_have_text(
        ui("Action plan with %(school)s", school=re.escape(world.school.name))
    )
    expect(company_section).to_contain_text(re.compile(words("SMART check passed")))
    company_section.get_by_role("button", name=ui("Continue the action plan")).click()

    expect(page).to_have_url(re.compile(r"/actieplan/\d+/$"))
    expect(page.get_by_role("article").filter(has=page.locator(".goal-header"))).to_have_count(2)
    expect(goal_card(page, FIRST_GOAL)).to_be_visible()
    expect(goal_card(page, SECOND_GOAL)).to_be_visible()

    tab(page, "Mentor company's contribution").click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/bijdragen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("Contributions"))
    contribution = {
        "contribution to the curriculum": "Cases uit de productie van kunststoffen voor fysica en chemie.",
        "hours the company gives this school year": "40",
        "company staff involved": "3",
    }
    for msgid, value in contribution.items():
        page.get_by_label(label(msgid, first_upper=True)).fill(value)
    page.get_by_role("button", name=ui("Save")).click()

    expect(
        page.get_by_role("status").filter(has_text=re.compile(words("The contributions are saved.")))
    ).to_be_visible()
    for msgid, value in contribution.items():
        expect(page.get_by_label(label(msgid, first_upper=True))).to_have_value(value)

    tab(page, "Sign and submit").click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/indienen/$"))
    missing = still_to_do(page)
    expect(missing.locator(":scope > ul > li")).to_have_text(
        [not_signed_yet(world.school.name), not_signed_yet(world.company.name)]
    )
    school_card = signature_card(page, "School", world.school.name)
    expect(school_card.get_by_role("textbox")).to_have_count(0)  # the company signs only for itself
    company_card = signature_card(page, "Mentor company", world.company.name)
    member = world.users["company"]
    expect(company_card.get_by_label(label("Your name"))).to_have_value(member.get_full_name())
    company_card.get_by_label(label("Your function")).fill("HR-manager")
    company_card.get_by_role("button", name=ui("Sign for %(party)s", party=re.escape(world.company.name))).click()

    expect(page.get_by_role("status").filter(has_text=world.company.name)).to_have_text(
        ui(
            "%(name)s signed the engagement declaration for %(party)s.",
            name=re.escape(member.get_full_name()),
            party=re.escape(world.company.name),
        )
    )
    expect(company_card.locator(".badge")).to_have_text(ui("Signed"))
    expect(company_card).to_contain_text(re.compile(rf"{re.escape(member.get_full_name())} \(HR-manager\)"))
    expect(missing.locator(":scope > ul > li")).to_have_text([not_signed_yet(world.school.name)])

    # The submit button is there for the company too, disabled until the school signed, pointing to what is missing.
    submit = page.get_by_role("button", name=ui("Submit the action plan"))
    expect(submit).to_be_disabled()
    expect(page.locator("#submit-not-ready")).to_contain_text(re.compile(words("Still to do before you can submit")))
    expect(page.locator(".measurement-meta .badge")).to_have_text(ui("Draft"))
    expect(missing.locator(":scope > ul > li")).to_have_text([not_signed_yet(world.school.name)])


# --------------------------------------------------------------------------- the school signs and submits


def school_member_signs_and_submits(page: Page, world: World) -> None:
    school_section = section_of(page, "school-heading")
    plan_line = school_section.locator("p").filter(has=page.locator(".badge.status-draft"))
    expect(plan_line).to_contain_text(re.compile(counted("%(n)s goal", "%(n)s goals", 2)))
    expect(plan_line).to_contain_text(re.compile(words("SMART check passed")))
    school_section.get_by_role("button", name=ui("Continue the action plan")).click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/$"))
    expect(plan_status(page)).to_contain_text(re.compile(words("Engagement declaration: %(n)s of 2 signatures", n="1")))

    tab(page, "Sign and submit").click()
    expect(still_to_do(page).locator(":scope > ul > li")).to_have_text([not_signed_yet(world.school.name)])
    member = world.users["own_school"]
    school_card = signature_card(page, "School", world.school.name)
    school_card.get_by_label(label("Your function")).fill("Technisch adviseur-coördinator")
    school_card.get_by_role("button", name=ui("Sign for %(party)s", party=re.escape(world.school.name))).click()

    expect(school_card.locator(".badge")).to_have_text(ui("Signed"))
    ready = page.get_by_role("region", name=ui("Ready to submit"))
    expect(ready).to_contain_text(
        re.compile(words("Both sides signed and the SMART check finds no blocking problems."))
    )
    page.get_by_role("button", name=ui("Submit the action plan")).click()

    submitted_message = ui(
        "The action plan is submitted. It is now locked; the jury reads it from here. A coordinator can reopen it."
    )
    expect(page.get_by_role("status").filter(has_text=submitted_message)).to_be_visible()
    submitted = page.get_by_role("region", name=ui("Submitted"))
    expect(submitted).to_contain_text(
        re.compile(words("Submitted on %(date)s by %(who)s.", date=rf"{DATE} {TIME}", who=re.escape(str(member))))
    )
    expect(page.locator(".locked-notice")).to_be_visible()
    expect(page.get_by_role("button", name=ui("Submit the action plan"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(words("Withdraw this signature")))).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)

    # The plan reads as submitted and locked: no button or link changes it any more.
    tab(page, "Goals").click()
    expect(page).to_have_url(re.compile(r"/actieplan/\d+/$"))
    expect(page.locator(".plan-header .badge").first).to_have_text(ui("Submitted"))
    expect(page.locator(".locked-notice")).to_have_text(
        ui("The action plan is submitted and locked: nobody can change it any more. A coordinator can reopen it.")
    )
    expect(goal_card(page, FIRST_GOAL)).to_be_visible()
    for text in ("Add a goal", "Edit goal", "Remove goal", "Add a milestone", "Add an action"):
        expect(page.get_by_role("button", name=ui(text))).to_have_count(0)
    expect(page.locator("#goals").get_by_role("button", name=re.compile(rf"^{words('Edit')}\b"))).to_have_count(0)
    expect(page.locator("#goals form")).to_have_count(0)

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=ui("Dashboard")).click()
    expect(page).to_have_url(re.compile(r"/$"))
    school_section = section_of(page, "school-heading")
    expect(school_section.locator(".badge.status-submitted")).to_have_text(ui("Submitted"))
    status = school_section.locator("p").filter(has_text=re.compile(words("Status in this edition"))).locator(".badge")
    expect(status).to_have_text(ui("Action plan submitted"))
    expect(school_section.get_by_role("button", name=ui("Open the action plan"))).to_be_visible()
    expect(school_section.get_by_role("button", name=ui("Continue the action plan"))).to_have_count(0)


# --------------------------------------------------------------------------- the journey


def test_school_and_company_write_sign_and_submit_a_smart_action_plan(
    page: Page, live_server, log_in: Callable[..., None], console_errors: list[str]
):
    world = plan_world()
    edition = Edition.objects.get(pk=world.edition.pk)
    year = edition.ends_on.year  # the calendar year of the edition's second half: January to the summer
    period = {
        "start": dt.date(year, 1, 15),
        "end": dt.date(year, 6, 15),
        "too_late": dt.date(year, 6, 30),
        "milestone": dt.date(year, 3, 1),
        "due": dt.date(year, 2, 1),
    }
    assert edition.starts_on < period["start"] < period["end"] < edition.ends_on
    home = f"{live_server.url}/"

    log_in(world.users["own_school"].email)
    expect(page).to_have_url(home)
    school_member_starts_the_plan(page, world)
    school_member_writes_a_first_goal_that_is_not_smart_yet(page, world, period)
    submit_page_lists_what_is_missing(page, world)
    school_member_fixes_the_first_goal(page, period)
    school_member_adds_a_second_goal_and_an_action(page, world, period)
    log_out(page)

    log_in(world.users["company"].email)
    expect(page).to_have_url(home)
    company_member_contributes_and_signs(page, world)
    log_out(page)

    log_in(world.users["own_school"].email)
    expect(page).to_have_url(home)
    school_member_signs_and_submits(page, world)
    assert console_errors == []
