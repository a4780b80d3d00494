"""The PDF of an action plan (Verbeteractieplan): what it says, when a ready one is reused, and who may ask for it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from html import unescape

import pytest
import weasyprint
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from actionplans import services as plans
from actionplans.models import ActionPlan, CoolStep
from actionplans.tests.factories import (
    BEFORE_DEADLINE,
    active_match,
    fresh,
    other_plan,
    signed_plan,
    smart_goal,
    submitted_plan,
    with_focus,
)
from partners.models import Participation, StemProject
from partners.tests.roles import ROLES, check_role_matrix, client_for
from reports.models import Report
from reports.selectors import plan_report_data
from reports.services import plan_report_request

from .helpers import pdf_text

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LOGIN = 302  # anonymous users are sent to the login page
SEES_A_DRAFT = {"own_school", "company", "adviser", "coordinator"}
SEES_A_SUBMITTED_PLAN = SEES_A_DRAFT | {"juror", "juror_with_conflict"}


def declaration_text(plan: ActionPlan) -> str:
    """The engagement declaration as the signing page shows it, as plain text."""
    with translation.override("nl"):
        markup = render_to_string("actionplans/_signature_declaration.html", {"plan": plan})
    return " ".join(unescape(strip_tags(markup)).split())


def expected(allowed: int, who: set[str]) -> dict[str, int]:
    """`allowed` for whoever may see the plan, 404 for everyone else, the login page for anonymous."""
    return {role: allowed if role in who else 404 for role in ROLES} | {"anonymous": LOGIN}


@pytest.fixture
def school_user(world):
    return world.users["own_school"]


@pytest.fixture
def company_user(world):
    return world.users["company"]


@pytest.fixture
def plan(world, school_user) -> ActionPlan:
    """The draft plan of the world's school with its mentor company (no goals yet)."""
    return plans.plan_get_or_create(match=active_match(world.school, world.company, world.edition), by=school_user)


@pytest.fixture
def ask(world, django_capture_on_commit_callbacks):
    """Ask for the plan's PDF as the view does, and run what is queued after commit (eager Celery)."""

    def ask(plan: ActionPlan, *, by_role: str = "own_school", execute: bool = True) -> tuple[Report, list]:
        with django_capture_on_commit_callbacks(execute=execute) as callbacks:
            report = plan_report_request(plan=plan, by=world.users[by_role])
        report.refresh_from_db()
        return report, callbacks

    return ask


def _session(world, kind: str, day: dt.date):
    return plans.session_create(
        edition=world.edition, region=world.school.region, kind=kind, date=day, place="Voka Antwerpen", by=None
    )


@pytest.fixture
def full_plan(world, plan, school_user, company_user) -> ActionPlan:
    """A submitted plan with two goals (the second with soft warnings), contributions, the COOL project,
    learning-network attendance, both signatures."""
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    smart_goal(
        plan,
        company_user,
        title="Leerkrachten volgen een opleiding in het labo",
        grades=["3"],
        tracks=[],
        programme="",
        subjects="",
        indicator="leerkrachten opgeleid",
        unit="leerkrachten",
        baseline_value=2,
        target_value=8,
        owner_company="",
    )
    plan = fresh(plan)
    plan = plans.plan_update(
        plan=plan,
        by=company_user,
        version=plan.version,
        data={
            "contribution_curriculum": "Cases uit de productie in de lessen chemie",
            "contribution_hours": 60,
            "higher_ed_partner": "AP Hogeschool",
            "stem_projects": [StemProject.objects.get(name="FIRST LEGO League").pk],
            "istem_coaching": True,
            "project_theme": "Water zuiveren",
            "project_challenge": "Hoe maken we rivierwater drinkbaar?",
            "transfer_schools": "Andere scholen van de scholengroep",
        },
    )
    plans.team_member_add(
        plan=plan,
        by=company_user,
        data={"name": "Sofie Claes", "kind": "company_expert", "expertise": "Procestechniek"},
    )
    step = plan.cool_steps.get(step=CoolStep.Step.CONTEXT_ANALYSIS)
    plans.cool_step_update(
        step=step, by=school_user, version=fresh(plan).version, data={"status": "done", "notes": "Klasbezoek gedaan"}
    )
    participation = Participation.objects.get(edition=world.edition, school=world.school)
    method = _session(world, "method", dt.date(2027, 1, 20))
    plans.attendance_set(session=method, by=None, present=True, participation=participation)
    plans.attendance_set(session=method, by=None, present=False, company=world.company)
    _session(world, "inspiration", dt.date(2027, 2, 24))
    plan = signed_plan(fresh(plan), school_user, company_user)
    plan = plans.plan_submit(plan=plan, by=school_user, today=dt.date(2027, 4, 20))
    ActionPlan.objects.filter(pk=plan.pk).update(submitted_at=dt.datetime(2027, 4, 20, 14, 30, tzinfo=BRUSSELS))
    plan.signatures.update(signed_at=dt.datetime(2027, 4, 19, 10, 5, tzinfo=BRUSSELS))
    return fresh(plan)


# --------------------------------------------------------------------------- what the PDF says


def test_the_pdf_shows_the_cover_every_goal_with_its_smart_result_and_the_signed_declaration(full_plan, ask):
    report, _ = ask(full_plan)

    assert (report.status, report.progress, report.error) == (Report.Status.READY, 100, "")
    assert report.filename == "Verbeteractieplan - GO! Koninklijk Atheneum Antwerpen - STEMpact 2026-2027.pdf"
    text = pdf_text(report)
    for part in [
        # the cover
        "Verbeteractieplan – GO! Koninklijk Atheneum Antwerpen – STEMpact 2026-2027",
        "Mentorbedrijf BASF Antwerpen",
        "Status Ingediend",
        "Deadline 30 april 2027",
        "Ingediend op 20 april 2027, 14:30",
        "SMART-controle 0 knelpunten, 2 aandachtspunten",
        # the first goal: its links, SMART fields, verdict per letter, milestones and actions
        "Doel 1: Meer leerlingen kiezen STEM in de tweede graad",
        "Sleutelelementen 2. Leerplan",
        "Criteria (5) Interdisciplinair lesgeven",
        "Doelgroep Tweede graad · Doorstroomfinaliteit · STEM-wetenschappen · wiskunde, fysica, chemie",
        "Indicator leerlingen die het geïntegreerde project doorlopen (leerlingen)",
        "Beginwaarde → streefwaarde 0 → 48 leerlingen",
        "Trekkers School: An Peeters (TAC) · Mentorbedrijf: Jan Janssens (HR)",
        "uren: 40 · medewerkers: 2 · budget: € 500",
        "Periode 15 januari 2027 – 15 juni 2027",
        "S – Specifiek In orde",
        "T – Tijdsgebonden In orde",
        "1 maart 2027 Script van het project klaar",
        "Bedrijfsbezoek met de leerkrachten Jan Janssens 1 februari 2027 Te doen",
        # the second goal: its warnings with the hint
        "Doel 2: Leerkrachten volgen een opleiding in het labo",
        "Beginwaarde → streefwaarde 2 → 8 leerkrachten",
        "S – Specifiek Aandachtspunt Specifiek: noem de finaliteit, de opleiding of de vakken (aandachtspunt)",
        "R – Realistisch Aandachtspunt Realistisch: duid een trekker aan bij het mentorbedrijf (aandachtspunt)",
        # the plan's own parts
        "Leerplan Cases uit de productie in de lessen chemie",
        "Uren dit schooljaar 60",
        "Instelling(en) AP Hogeschool",
        "FIRST LEGO League",
        "De school wordt begeleid door iSTEM.",
        "Thema Water zuiveren",
        "Centrale uitdaging Hoe maken we rivierwater drinkbaar?",
        "Sofie Claes Bedrijfsexpert Procestechniek",
        "1. Contextanalyse Klaar Klasbezoek gedaan",
        "2. Themaselectie Niet gestart",
        "Andere scholen (scholengroep of regio) Andere scholen van de scholengroep",
        "Methodiek (Antwerpen-Waasland) 20 januari 2027 Voka Antwerpen aanwezig afwezig",
        "Aanwezig: de school 1 van 2, het mentorbedrijf 0 van 2 sessies.",
        # the engagement declaration: the text the signers read, then who signed
        declaration_text(full_plan),
        "School Karin Wouters Directeur 19 april 2027, 10:05",
        "Mentorbedrijf Jan Janssens HR-manager 19 april 2027, 10:05",
    ]:
        assert part in text, part
    assert "nog niet ondertekend" not in text
    assert "Concept" not in text


def test_a_draft_plan_says_so_names_what_fails_and_shows_the_declaration_unsigned(plan, school_user, ask):
    with_focus(plan, 2)
    plans.goal_add(plan=plan, by=school_user, data={"title": "Meer meisjes in STEM", "grades": ["2"]})

    report, _ = ask(fresh(plan))

    text = pdf_text(report)
    for part in [
        "Status Concept",
        "Ingediend op nog niet ingediend",
        "Concept: dit actieplan is nog niet ingediend.",
        "Doel 1: Meer meisjes in STEM",
        "M – Meetbaar Niet in orde Meetbaar: geef een indicator (wat je telt)",
        "Meetbaar: geef een streefwaarde",
        "A – Acceptabel Niet in orde",
        "School nog niet ondertekend",
        "Mentorbedrijf nog niet ondertekend",
        "Nog geen sessies van de lerende netwerken gepland.",
    ]:
        assert part in text, part


def test_a_plan_without_goals_says_a_goal_is_needed(plan, ask):
    text = pdf_text(ask(plan)[0])

    assert "Voeg minstens één doel toe" in text
    assert "Dit actieplan heeft nog geen doelen." in text


def test_an_extension_shows_the_later_deadline(world, plan, ask):
    plan = plans.plan_extension_grant(
        plan=plan,
        by=world.users["coordinator"],
        until=dt.date(2027, 5, 14),
        reason="Ziekte van de TAC",
        today=dt.date(2027, 4, 1),  # granted before the deadline, whatever the real date
    )

    text = pdf_text(ask(plan)[0])

    assert "Deadline 14 mei 2027 (uitstel; de deadline van de editie is 30 april 2027)" in text


def test_the_pdf_is_dutch_whatever_language_the_requester_uses(full_plan, ask):
    with translation.override("en"):
        report, _ = ask(full_plan)

    text = pdf_text(report)
    assert "S – Specifiek In orde" in text
    assert "Specific" not in text


def test_the_pdf_reads_its_data_in_a_constant_number_of_queries(world, plan, school_user):
    small = with_focus(other_plan(world), 2)
    smart_goal(small, world.users["coordinator"])
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    smart_goal(plan, school_user, title="Tweede doel")
    smart_goal(plan, school_user, title="Derde doel")
    counts = []
    for each in (small, plan):
        with CaptureQueriesContext(connection) as queries:
            data = plan_report_data(plan_id=each.pk)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert [row.goal.title for row in data.goals][1:] == ["Tweede doel", "Derde doel"]


# --------------------------------------------------------------------------- reuse


def test_asking_again_for_an_unchanged_plan_returns_the_ready_report(full_plan, ask):
    first, _ = ask(full_plan)

    again, callbacks = ask(full_plan, by_role="adviser")

    assert (again, callbacks) == (first, [])
    assert list(Report.objects.all()) == [first]


def test_asking_twice_while_it_is_being_made_queues_it_once(plan, ask):
    first, callbacks_first = ask(plan, execute=False)
    second, callbacks_second = ask(plan, execute=False)

    assert (first.status, second) == (Report.Status.PENDING, first)
    assert (len(callbacks_first), len(callbacks_second)) == (1, 0)


def test_a_changed_plan_gets_a_new_report_and_the_old_one_keeps_what_it_said(plan, school_user, ask):
    first, _ = ask(plan)
    plans.plan_update(plan=plan, by=school_user, version=plan.version, data={"project_theme": "Zonnewagens"})

    second, callbacks = ask(fresh(plan))

    assert second != first and len(callbacks) == 1
    assert "Zonnewagens" in pdf_text(second)
    assert "Zonnewagens" not in pdf_text(first)


def test_a_signature_makes_the_ready_report_outdated(world, plan, school_user, company_user, ask):
    with_focus(plan, 2)
    smart_goal(plan, school_user)
    first, _ = ask(fresh(plan))
    plans.plan_sign(plan=fresh(plan), side="school", name="Karin Wouters", role="Directeur", by=school_user)

    second, _ = ask(fresh(plan))

    assert second != first
    assert "School Karin Wouters Directeur" in pdf_text(second)


def test_registered_attendance_makes_the_ready_report_outdated(world, plan, ask):
    session = _session(world, "method", dt.date(2027, 1, 20))
    first, _ = ask(plan)
    plans.attendance_set(session=session, by=None, present=True, company=world.company)

    second, _ = ask(plan)

    assert second != first
    assert "Aanwezig: de school 0 van 1, het mentorbedrijf 1 van 1 sessies." in pdf_text(second)


# --------------------------------------------------------------------------- pages: who may ask, watch, download


def test_asking_for_the_pdf_of_a_draft_is_open_to_whoever_may_see_the_plan(world, plan):
    url = reverse("reports:action-plan-report-request", args=[plan.pk])

    check_role_matrix(world, lambda client: client.post(url), expected(302, SEES_A_DRAFT))

    assert {report.requested_by for report in Report.objects.all()} == {world.users["own_school"]}  # reused


def test_jurors_may_ask_for_the_pdf_once_the_plan_is_submitted(world, plan, school_user, company_user):
    submitted = submitted_plan(plan, school_user, company_user)
    url = reverse("reports:action-plan-report-request", args=[submitted.pk])

    check_role_matrix(world, lambda client: client.post(url), expected(302, SEES_A_SUBMITTED_PLAN))


def test_nothing_is_made_for_someone_who_may_not_see_the_plan(world, plan):
    for role in ROLES:
        if role not in SEES_A_DRAFT and role != "anonymous":
            client_for(world.users[role]).post(reverse("reports:action-plan-report-request", args=[plan.pk]))

    assert not Report.objects.exists()


def test_asking_for_the_pdf_leads_to_the_report_page(world, plan, django_capture_on_commit_callbacks):
    client = client_for(world.users["company"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:action-plan-report-request", args=[plan.pk]))

    report = Report.objects.get()
    assert response.headers["Location"] == reverse("reports:report-detail", args=[report.pk])
    assert (report.kind, report.action_plan, report.status) == (
        Report.Kind.ACTION_PLAN,
        plan,
        Report.Status.READY,
    )


def test_asking_from_an_htmx_button_redirects_the_whole_page(world, plan):
    response = client_for(world.users["adviser"]).post(
        reverse("reports:action-plan-report-request", args=[plan.pk]), headers={"HX-Request": "true"}
    )

    assert response.headers["HX-Redirect"] == reverse("reports:report-detail", args=[Report.objects.get().pk])


def test_asking_for_the_pdf_needs_a_post(world, plan):
    response = client_for(world.users["adviser"]).get(reverse("reports:action-plan-report-request", args=[plan.pk]))

    assert response.status_code == 405


@pytest.fixture
def ready_plan_report(plan, ask) -> Report:
    report, _ = ask(plan)
    assert report.status == Report.Status.READY
    return report


def test_the_report_page_and_download_are_open_to_whoever_may_see_the_plan(world, ready_plan_report):
    page = reverse("reports:report-detail", args=[ready_plan_report.pk])
    download = reverse("reports:report-download", args=[ready_plan_report.pk])

    check_role_matrix(world, lambda client: client.get(page), expected(200, SEES_A_DRAFT))
    check_role_matrix(world, lambda client: client.get(download), expected(200, SEES_A_DRAFT))


def test_jurors_see_the_report_of_a_submitted_plan(world, plan, school_user, company_user, ask):
    report, _ = ask(submitted_plan(plan, school_user, company_user), by_role="coordinator")
    download = reverse("reports:report-download", args=[report.pk])

    check_role_matrix(world, lambda client: client.get(download), expected(200, SEES_A_SUBMITTED_PLAN))


@pytest.fixture
def resubmitted(world, plan, school_user, company_user, ask) -> dict[str, Report]:
    """The review's case: a juror asks for the PDF of the submitted plan; the coordinator reopens the plan, the school
    changes it and asks for a PDF of that draft; both sides sign again and it is submitted again; then the school asks
    for a PDF of the new submission."""
    plan = submitted_plan(plan, school_user, company_user)
    first, _ = ask(plan, by_role="juror")
    plan = plans.plan_reopen(plan=plan, by=world.users["coordinator"], reason="Budget corrigeren")
    plans.plan_update(plan=plan, by=school_user, version=plan.version, data={"contribution_hours": 60})
    draft, _ = ask(fresh(plan))
    assert "Concept: dit actieplan is nog niet ingediend." in pdf_text(draft)
    plan = signed_plan(fresh(plan), school_user, company_user)
    current, _ = ask(plans.plan_submit(plan=plan, by=school_user, today=BEFORE_DEADLINE))
    assert len({first.pk, draft.pk, current.pk}) == 3  # none reused
    return {"first": first, "draft": draft, "current": current}


@pytest.mark.parametrize(
    ("report", "jurors"),
    [
        ("draft", set()),  # made while the plan was reopened: its PDF says "Concept"
        ("first", {"juror"}),  # of the first submission, since changed: only the juror who asked for it keeps it
        ("current", {"juror", "juror_with_conflict"}),  # of the plan as it is submitted now
    ],
)
def test_jurors_see_only_the_reports_of_the_plan_as_it_is_submitted_now(world, resubmitted, report, jurors):
    pk = resubmitted[report].pk
    who = SEES_A_DRAFT | jurors
    for url in (reverse("reports:report-detail", args=[pk]), reverse("reports:report-download", args=[pk])):
        check_role_matrix(world, lambda client, url=url: client.get(url), expected(200, who))


def test_a_juror_asking_for_the_pdf_gets_the_report_of_the_submitted_plan(world, resubmitted):
    client = client_for(world.users["juror_with_conflict"])
    page = client.post(reverse("reports:action-plan-report-request", args=[resubmitted["current"].action_plan_id]))

    assert page.url == resubmitted["current"].get_absolute_url()  # the current one, reused
    assert client.get(page.url).status_code == 200


def test_the_download_is_the_pdf_under_a_readable_name(world, ready_plan_report):
    response = client_for(world.users["company"]).get(reverse("reports:report-download", args=[ready_plan_report.pk]))

    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Verbeteractieplan - GO! Koninklijk Atheneum Antwerpen - STEMpact 2026-2027.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_report_page_names_and_links_the_plan_and_polls_while_it_is_made(world, plan, ask):
    report, _ = ask(plan, execute=False)

    html = client_for(world.users["company"]).get(reverse("reports:report-detail", args=[report.pk])).content.decode()

    assert "<h1>Verslag actieplan</h1>" in html
    assert "Actieplan – GO! Koninklijk Atheneum Antwerpen" in html
    assert f'href="{reverse("actionplans:plan-detail", kwargs={"pk": plan.pk})}"' in html  # back to the plan
    assert 'hx-trigger="every 1s"' in html


def test_a_failed_plan_report_offers_to_try_again_for_the_plan(world, plan, ask, monkeypatch):
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: 1 / 0)
    report, _ = ask(plan)
    assert report.status == Report.Status.FAILED

    html = client_for(world.users["company"]).get(reverse("reports:report-detail", args=[report.pk])).content.decode()

    assert "ZeroDivisionError" in html
    assert f'action="{reverse("reports:action-plan-report-request", args=[plan.pk])}"' in html
    assert "Opnieuw proberen" in html


def test_the_plan_page_partial_asks_for_the_pdf_of_that_plan(plan):
    html = render_to_string("actionplans/_plan_pdf_link.html", {"plan": plan})

    assert '<form method="post"' in html
    assert f'action="{reverse("reports:action-plan-report-request", args=[plan.pk])}"' in html
    assert "PDF downloaden" in html
