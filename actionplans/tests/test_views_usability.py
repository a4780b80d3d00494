"""What a new user of the plan pages notices (the usability walk-through of issue 5): one tab bar, SMART hints beside
the fields and read with them, signing offered only when it can succeed, readable figures and dates, a breadcrumb
that does not loop, and buttons that look like what they do."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from actionplans import services
from actionplans.tests.factories import fresh, smart_goal, submitted_plan, with_focus
from actionplans.tests.html import visible_text
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TABS = ["Doelen", "Inbreng van het mentorbedrijf", "STEM-project (COOL)", "Ondertekenen en indienen"]


def url(name: str, *args: Any) -> str:
    return reverse(f"actionplans:{name}", args=args)


def tabs(html: str) -> tuple[list[str], list[str]]:
    """The labels of the plan's tab bar, and the current one."""
    nav = re.search(r'<nav class="element-tabs" aria-label="Onderdelen van het actieplan">(.*?)</nav>', html, re.S)
    assert nav is not None, "the page has the plan's tab bar"
    links = re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(1))
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav.group(1))
    return links, current


@pytest.fixture
def focused(plan):
    return with_focus(plan, 1, 2)


# --------------------------------------------------------------------------- a. one tab bar


@pytest.mark.parametrize(
    ("page", "current"),
    [
        ("plan-detail", "Doelen"),
        ("plan-contributions", "Inbreng van het mentorbedrijf"),
        ("plan-project", "STEM-project (COOL)"),
        ("plan-submit", "Ondertekenen en indienen"),
        ("plan-comments", "Opmerkingen"),
        ("plan-history", "Geschiedenis"),
    ],
)
def test_every_plan_page_has_the_same_tab_bar_with_its_own_tab_marked(world, plan, page, current):
    html = client_for(world.users["own_school"]).get(url(page, plan.pk)).content.decode()
    assert tabs(html) == ([*TABS, "Opmerkingen", "Geschiedenis"], [current])


def test_a_juror_sees_the_tabs_without_comments_and_history(world, plan, school_user, company_user):
    submitted = submitted_plan(with_focus(plan, 1, 2), school_user, company_user)
    html = client_for(world.users["juror"]).get(url("plan-submit", submitted.pk)).content.decode()
    assert tabs(html) == (TABS, ["Ondertekenen en indienen"])


# --------------------------------------------------------------------------- b. SMART hints beside the fields


def test_each_smart_hint_is_named_by_its_field_and_styled_by_its_weight(focused, school_user):
    goal = services.goal_add(plan=focused, by=school_user, data={"title": "Vaag doel", "grades": ["2"]})
    html = client_for(school_user).get(url("goal-edit", focused.pk, goal.pk), headers=HTMX).content.decode()

    unit = re.search(rf'<input [^>]*id="id-goal-{goal.pk}-unit"[^>]*>', html).group(0)  # type: ignore[union-attr]
    described = re.search(r'aria-describedby="([^"]+)"', unit).group(1).split()  # type: ignore[union-attr]
    assert f"id-goal-{goal.pk}-unit_helptext" in described
    hint_id = f"id-goal-{goal.pk}-unit_smart1"
    assert hint_id in described
    hint = re.search(rf'<small id="{hint_id}" class="smart-hint smart-hard">([^<]+)</small>', html)
    assert hint is not None and hint.group(1) == "Meetbaar: geef de eenheid van de indicator"

    owner = re.search(rf'<input [^>]*id="id-goal-{goal.pk}-owner_school"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert f'aria-describedby="id-goal-{goal.pk}-owner_school_smart1"' in owner
    assert re.search(rf'<small id="id-goal-{goal.pk}-owner_school_smart1" class="smart-hint smart-soft">', html)


def test_a_refused_value_is_named_by_its_field_with_the_error_id(focused, school_user):
    response = client_for(school_user).post(
        url("goal-add", focused.pk),
        {"title": "Doel", "company_hours": "-3", "version": fresh(focused).version},
        headers=HTMX,
    )
    html = response.content.decode()
    hours = re.search(r'<input [^>]*id="id-goal-new-company_hours"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert "id-goal-new-company_hours_error" in re.search(r'aria-describedby="([^"]+)"', hours).group(1)  # type: ignore[union-attr]
    assert 'id="id-goal-new-company_hours_error"' in html


def test_hard_and_soft_hints_look_different():
    path = finders.find("css/stempact.css")
    css = Path(path).read_text(encoding="utf-8")
    hard = re.search(r"\.smart-hint\.smart-hard \{([^}]*)\}", css)
    soft = re.search(r"\.smart-hint\.smart-soft \{([^}]*)\}", css)
    assert hard is not None and soft is not None
    assert "background" in hard.group(1) and hard.group(1) != soft.group(1)


# --------------------------------------------------------------------------- c. signing only when it can succeed


def test_while_the_check_blocks_no_sign_form_is_offered_and_submitting_is_disabled(world, focused, school_user):
    goal = smart_goal(focused, school_user, target_value=None)
    response = client_for(school_user).get(url("plan-submit", focused.pk))
    html = response.content.decode()
    page = visible_text(html)
    assert 'name="sign-school-name"' not in html
    assert "Ondertekenen kan zodra de SMART-controle geen knelpunten meer vindt. Naar de doelen" in page
    assert f'href="{url("plan-detail", focused.pk)}#goals"' in html
    assert re.search(r"<button type=\"submit\" disabled[^>]*>Actieplan indienen</button>", html)
    assert "Je kunt indienen zodra alles onder Nog te doen voor je kunt indienen in orde is." in page
    assert f"Doel ‘{goal.title}’ : Meetbaar: geef een streefwaarde" in page  # what is missing is listed above


def test_once_the_check_passes_the_sign_form_is_there(world, focused, school_user):
    smart_goal(focused, school_user)
    html = client_for(school_user).get(url("plan-submit", focused.pk)).content.decode()
    assert 'name="sign-school-name"' in html
    assert "Ondertekenen kan zodra" not in html


# --------------------------------------------------------------------------- d, e, f. the goal and the status line


def test_the_resources_say_dash_only_when_nothing_is_given(focused, school_user):
    some = services.goal_add(plan=focused, by=school_user, data={"title": "Uren", "company_hours": 40})
    none = services.goal_add(plan=focused, by=school_user, data={"title": "Niets"})
    all_ = services.goal_add(
        plan=focused,
        by=school_user,
        data={"title": "Alles", "company_hours": 1, "company_staff": 2, "budget": Decimal("500"), "material": "Kits"},
    )
    response = client_for(school_user).get(url("plan-detail", focused.pk))
    cards = {card.goal.pk: card for card in response.context["cards"]}
    html = response.content.decode()

    def resources(goal_id: int) -> str:
        card = html[html.index(f'id="goal-{goal_id}-main"') :]
        dd = re.search(r"<dt>Middelen van het mentorbedrijf</dt>\s*<dd>(.*?)</dd>", card, re.S)
        return visible_text(dd.group(1))  # type: ignore[union-attr]

    assert set(cards) == {some.pk, none.pk, all_.pk}
    assert resources(some.pk) == "40 uur"
    assert resources(none.pk) == "—"
    assert resources(all_.pk) == "1 uur · 2 medewerkers · € 500 · Kits"


def test_the_status_line_says_who_changed_the_plan_last_and_the_intro_reads_naturally(focused, school_user):
    services.goal_add(plan=focused, by=school_user, data={"title": "Doel"})
    page = visible_text(client_for(school_user).get(url("plan-detail", focused.pk)).content.decode())
    status = page[page.index("Laatst gewijzigd") :]
    assert re.match(
        rf"Laatst gewijzigd door {re.escape(str(school_user))} op \d{{1,2}} \w+ \d{{4}} \d{{1,2}}:\d\d", status
    )
    assert "Versie" not in page
    assert "Elk doel wordt bij elke keer opslaan gecontroleerd op: Specifiek, Meetbaar" in page
    assert "bewaring" not in page


# --------------------------------------------------------------------------- h. hours per goal and for the year


def test_the_contributions_page_adds_up_the_goals_hours_and_staff_and_explains_the_relation(
    world, focused, school_user
):
    smart_goal(focused, school_user, company_hours=40, company_staff=2)
    smart_goal(focused, school_user, title="Tweede doel", company_hours=25, company_staff=1)
    for role in ("company", "adviser"):
        page = visible_text(client_for(world.users[role]).get(url("plan-contributions", focused.pk)).content.decode())
        assert "De doelen samen: 65 uur, 3 medewerkers." in page
        assert "de uren en medewerkers hieronder gelden voor het hele schooljaar" in page
    form = client_for(school_user).get(url("goal-add", focused.pk), headers=HTMX).content.decode()
    assert "op de pagina ‘Inbreng van het mentorbedrijf’" in form


# --------------------------------------------------------------------------- i. the breadcrumb


@pytest.mark.parametrize(("role", "listed"), [("own_school", False), ("company", False), ("adviser", True)])
def test_the_breadcrumb_leads_to_the_plan_list_only_for_those_who_have_one(world, plan, role, listed):
    for page in ("plan-detail", "plan-history", "plan-submit"):
        html = client_for(world.users[role]).get(url(page, plan.pk)).content.decode()
        crumbs = re.search(r'<nav aria-label="breadcrumb">(.*?)</nav>', html, re.S).group(1)  # type: ignore[union-attr]
        assert (f'href="{url("plan-list")}"' in crumbs) is listed


# --------------------------------------------------------------------------- j. buttons


def test_editing_a_milestone_or_action_is_a_button_like_removing_it(focused, school_user):
    goal = smart_goal(focused, school_user)
    html = client_for(school_user).get(url("plan-detail", focused.pk)).content.decode()
    for kind, item in (("milestone", goal.milestones.get()), ("action", goal.actions.get())):
        edit = re.search(rf'<a href="{url(f"{kind}-edit", focused.pk, item.pk)}"[^>]*>', html).group(0)  # type: ignore[union-attr]
        assert 'role="button"' in edit and 'class="secondary outline compact"' in edit


def test_the_pdf_of_a_draft_is_a_secondary_button_and_of_a_submitted_plan_the_main_one(
    world, plan, school_user, company_user
):
    pdf = reverse("reports:action-plan-report-request", args=[plan.pk])

    def button(html: str) -> str:
        form = html[html.index(f'action="{pdf}"') :]
        return re.search(r"<button [^>]*>", form).group(0)  # type: ignore[union-attr]

    draft = client_for(school_user).get(url("plan-detail", plan.pk)).content.decode()
    assert 'class="secondary outline"' in button(draft)
    assert draft.index(f'action="{pdf}"') < draft.index('class="element-tabs"')  # below the header, above the tabs
    submitted_plan(with_focus(plan, 1, 2), school_user, company_user)
    final = client_for(world.users["juror"]).get(url("plan-detail", plan.pk)).content.decode()
    assert "secondary" not in button(final)
