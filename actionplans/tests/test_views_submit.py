"""The plan pages around the goals: contributions, the STEM project (COOL), comments and the engagement declaration
with signing, submission, extension and reopening — for each of the nine roles, in Dutch as the users read them."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actionplans import services
from actionplans.models import ActionPlan, Comment, CoolStep, PlanEvent, Signature, TeamMember
from actionplans.tests.factories import (
    fresh,
    other_plan,
    signed_plan,
    smart_goal,
    submitted_plan,
    with_focus,
)
from actionplans.tests.html import form_values
from partners.models import Edition, StemProject
from partners.tests.roles import check_role_matrix, client_for

pytestmark = pytest.mark.django_db

#: Who reads a draft plan's pages: the two sides, the region's adviser and coordinators; jurors see nothing yet.
READ_DRAFT = {
    "anonymous": 302,
    "other_school": 404,
    "own_school": 200,
    "company": 200,
    "adviser_other_region": 404,
    "adviser": 200,
    "juror": 404,
    "juror_with_conflict": 404,
    "coordinator": 200,
}
#: After submission jurors read it too.
READ_SUBMITTED = READ_DRAFT | {"juror": 200, "juror_with_conflict": 200}
#: Who writes a draft plan: the two sides (a save redirects); readers are refused.
WRITE_DRAFT = READ_DRAFT | {"own_school": 302, "company": 302, "adviser": 403, "coordinator": 403}
#: Nobody writes a submitted plan.
WRITE_SUBMITTED = READ_DRAFT | {
    "own_school": 403,
    "company": 403,
    "adviser": 403,
    "juror": 403,
    "juror_with_conflict": 403,
    "coordinator": 403,
}
PAGES = ("plan-contributions", "plan-project", "plan-submit")


def url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=[plan.pk, *args])


def main(response) -> str:
    """The HTML of the page's main part (an htmx fragment as it is)."""
    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return html


def text(response) -> str:
    """The visible text of the page's main part, whitespace collapsed (what a person reads)."""
    plain = re.sub(r"<[^>]+>", " ", main(response))
    for entity, char in (("&amp;", "&"), ("&#x27;", "'"), ("&quot;", '"'), ("&lt;", "<"), ("&gt;", ">")):
        plain = plain.replace(entity, char)
    return re.sub(r"\s+", " ", plain).strip()


def open_submission(world, days: int = 30) -> dt.date:
    """Put the edition's deadline `days` from today (tests do not depend on the real date)."""
    deadline = timezone.localdate() + dt.timedelta(days=days)
    Edition.objects.filter(pk=world.edition.pk).update(plan_deadline=deadline)
    return deadline


@pytest.fixture
def smart_plan(plan, school_user):
    """A draft plan whose one goal passes the SMART check."""
    with_focus(plan, 1, 2)
    smart_goal(plan, school_user)
    return fresh(plan)


@pytest.fixture
def submitted(world, smart_plan, school_user, company_user):
    return submitted_plan(smart_plan, school_user, company_user)


def contributions_data(plan, **values):
    data = {"version": fresh(plan).version}
    return data | values


# --------------------------------------------------------------------------- role matrices: pages


@pytest.mark.parametrize("name", PAGES)
def test_pages_of_a_draft_plan_role_matrix(world, plan, name):
    check_role_matrix(world, lambda client: client.get(url(name, plan)), READ_DRAFT)


@pytest.mark.parametrize("name", PAGES)
def test_pages_of_a_submitted_plan_role_matrix_lets_jurors_read(world, submitted, name):
    check_role_matrix(world, lambda client: client.get(url(name, submitted)), READ_SUBMITTED)


def test_comments_page_role_matrix_of_a_draft_plan(world, plan):
    check_role_matrix(world, lambda client: client.get(url("plan-comments", plan)), READ_DRAFT)


def test_comments_page_role_matrix_of_a_submitted_plan_keeps_jurors_out(world, submitted):
    expected = READ_SUBMITTED | {"juror": 403, "juror_with_conflict": 403}
    check_role_matrix(world, lambda client: client.get(url("plan-comments", submitted)), expected)


@pytest.mark.parametrize("name", (*PAGES, "plan-comments"))
def test_a_company_only_sees_plans_of_its_own_matches(world, plan, name):
    leaking = other_plan(world)
    services.plan_update(plan=leaking, by=None, version=leaking.version, data={"project_theme": "Waterstof"})
    company = client_for(world.users["company"])
    assert company.get(url(name, leaking)).status_code == 404
    assert company.get(url(name, plan)).status_code == 200


# --------------------------------------------------------------------------- role matrices: writes


def test_contributions_save_role_matrix(world, plan):
    def save(client):
        return client.post(url("plan-contributions", plan), contributions_data(plan, contribution_hours="40"))

    check_role_matrix(world, save, WRITE_DRAFT)
    assert fresh(plan).contribution_hours == 40


def test_contributions_save_role_matrix_of_a_submitted_plan(world, submitted):
    def save(client):
        return client.post(url("plan-contributions", submitted), contributions_data(submitted, contribution_hours="9"))

    check_role_matrix(world, save, WRITE_SUBMITTED)
    assert fresh(submitted).contribution_hours is None


def test_project_theme_save_role_matrix(world, plan):
    def save(client):
        data = {"version": fresh(plan).version, "project_theme": "Duurzame energie", "project_challenge": ""}
        return client.post(url("plan-project", plan), data)

    check_role_matrix(world, save, WRITE_DRAFT)
    assert fresh(plan).project_theme == "Duurzame energie"


def test_team_member_add_role_matrix(world, plan):
    def add(client):
        return client.post(
            url("plan-team-add", plan), {"version": 1, "name": "An Peeters", "kind": "teacher", "expertise": "Fysica"}
        )

    check_role_matrix(world, add, WRITE_DRAFT)
    assert list(plan.team_members.values_list("name", flat=True)) == ["An Peeters", "An Peeters"]


def test_cool_step_update_role_matrix(world, plan):
    step = plan.cool_steps.get(step=CoolStep.Step.CONTEXT_ANALYSIS)

    def update(client):
        data = {f"step-{step.pk}-version": fresh(plan).version, f"step-{step.pk}-status": "done"}
        return client.post(url("plan-cool-step", plan, step.pk), data | {f"step-{step.pk}-notes": "Klaar"})

    check_role_matrix(world, update, WRITE_DRAFT)
    step.refresh_from_db()
    assert (step.status, step.notes) == ("done", "Klaar")


def test_cool_step_update_role_matrix_of_a_submitted_plan(world, submitted):
    step = submitted.cool_steps.get(step=CoolStep.Step.BRAINSTORM)

    def update(client):
        data = {f"step-{step.pk}-version": fresh(submitted).version, f"step-{step.pk}-status": "done"}
        return client.post(url("plan-cool-step", submitted, step.pk), data)

    check_role_matrix(world, update, WRITE_SUBMITTED)
    step.refresh_from_db()
    assert step.status == "not_started"


@pytest.mark.parametrize(
    ("slug", "signer"),
    [("school", "own_school"), ("bedrijf", "company")],
)
def test_sign_role_matrix_only_lets_a_member_of_that_side_sign(world, smart_plan, slug, signer):
    other_side = "company" if signer == "own_school" else "own_school"
    expected = READ_DRAFT | {signer: 302, other_side: 403, "adviser": 403, "coordinator": 403}

    def sign(client):
        side = slug_side(slug)
        return client.post(
            url("plan-sign", smart_plan, slug),
            {
                f"sign-{side}-name": "Karin",
                f"sign-{side}-role": "Directeur",
                f"sign-{side}-version": version_of(smart_plan),
            },
        )

    check_role_matrix(world, sign, expected)
    signature = Signature.objects.get(plan=smart_plan)
    assert (signature.side, signature.user) == (slug_side(slug), world.users[signer])


def slug_side(slug):
    return {"school": "school", "bedrijf": "company"}[slug]


def version_of(plan) -> int:
    """The version a page of the plan shows now (what its forms send)."""
    return fresh(plan).version


def sign_data(side: str, plan, **values) -> dict:
    data = {"name": "Karin Wouters", "role": "Directeur", "version": version_of(plan)} | values
    return {f"sign-{side}-{name}": value for name, value in data.items()}


def test_withdraw_signature_role_matrix(world, smart_plan, school_user, company_user):
    signed_plan(smart_plan, school_user, company_user)
    # Allowed: the school's own members, and coordinators (here after the school withdrew: nothing left to withdraw).
    expected = READ_DRAFT | {"own_school": 302, "company": 403, "adviser": 403, "coordinator": 302}
    check_role_matrix(
        world,
        lambda client: client.post(
            url("plan-sign-withdraw", smart_plan, "school"), {"version": version_of(smart_plan)}
        ),
        expected,
    )
    assert list(Signature.objects.filter(plan=smart_plan).values_list("side", flat=True)) == ["company"]


def test_submit_role_matrix_lets_either_side_try(world, smart_plan):
    # Not signed yet: the sides are allowed to try and get the refusal; everyone else is refused or sees nothing.
    expected = READ_DRAFT | {"own_school": 400, "company": 400, "adviser": 403, "coordinator": 403}
    check_role_matrix(
        world, lambda client: client.post(url("plan-submit", smart_plan), {"version": version_of(smart_plan)}), expected
    )
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT


def test_extension_role_matrix_is_for_coordinators(world, plan):
    until = timezone.localdate() + dt.timedelta(days=400)
    expected = READ_DRAFT | {"own_school": 403, "company": 403, "adviser": 403, "coordinator": 302}

    def grant(client):
        return client.post(url("plan-extension", plan), {"until": until.isoformat(), "reason": "Ziekte van de TAC"})

    check_role_matrix(world, grant, expected)
    assert fresh(plan).extension_until == until


def test_reopen_role_matrix_is_for_coordinators(world, submitted):
    expected = WRITE_SUBMITTED | {"coordinator": 302}
    check_role_matrix(world, lambda client: client.post(url("plan-reopen", submitted), {"reason": "Typfout"}), expected)
    assert fresh(submitted).status == ActionPlan.Status.DRAFT


def test_comment_add_role_matrix(world, plan):
    expected = READ_DRAFT | {"own_school": 302, "company": 302, "adviser": 302, "coordinator": 302}
    check_role_matrix(world, lambda client: client.post(url("plan-comments", plan), {"text": "Akkoord?"}), expected)
    authors = list(Comment.objects.filter(plan=plan).order_by("id").values_list("author", flat=True))
    assert authors == [world.users[r].pk for r in ("own_school", "company", "adviser", "coordinator")]


def test_comment_add_after_submission_keeps_jurors_out(world, submitted):
    expected = READ_SUBMITTED | {
        "own_school": 302,
        "company": 302,
        "adviser": 302,
        "juror": 403,
        "juror_with_conflict": 403,
        "coordinator": 302,
    }
    check_role_matrix(world, lambda client: client.post(url("plan-comments", submitted), {"text": "Top"}), expected)


def test_comment_remove_role_matrix_lets_the_author_and_coordinators_remove(world, plan, school_user):
    def remove(client):
        comment = services.comment_add(plan=plan, by=school_user, text="Eerste voorstel")
        return client.post(url("plan-comment-remove", plan, comment.pk))

    expected = READ_DRAFT | {"own_school": 302, "company": 403, "adviser": 403, "coordinator": 302}
    check_role_matrix(world, remove, expected)
    # Of the nine comments made, the author's and the coordinator's removal went through.
    assert Comment.objects.filter(plan=plan).count() == 7


# --------------------------------------------------------------------------- contributions


def test_contributions_are_saved_and_shown_read_only_to_the_adviser(world, plan):
    school = client_for(world.users["own_school"])
    project = StemProject.objects.get(name="FIRST LEGO League")
    response = school.post(
        url("plan-contributions", plan),
        contributions_data(
            plan,
            contribution_curriculum="Case over katalyse in de lessen chemie",
            contribution_hours="40",
            stem_projects=[project.pk],
            istem_coaching="on",
            higher_ed_partner="Universiteit Antwerpen",
        ),
        follow=True,
    )
    assert "De bijdragen zijn opgeslagen." in text(response)
    saved = fresh(plan)
    assert (saved.contribution_curriculum, saved.contribution_hours, saved.istem_coaching) == (
        "Case over katalyse in de lessen chemie",
        40,
        True,
    )
    assert list(saved.stem_projects.all()) == [project]

    page = client_for(world.users["adviser"]).get(url("plan-contributions", plan))
    shown = text(page)
    assert "Case over katalyse in de lessen chemie" in shown
    assert "FIRST LEGO League" in shown
    assert "Begeleid door iSTEM Ja" in shown
    assert "<form" not in main(page)


def test_a_bad_number_is_named_next_to_its_field_and_the_typed_text_stays(world, plan):
    response = client_for(world.users["company"]).post(
        url("plan-contributions", plan),
        contributions_data(plan, contribution_hours="-3", contribution_means="Twee sensorkits"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_contribution_hours_error"[^>]*>([^<]*)<', html)
    assert error is not None
    assert error.group(1) == "Zorg ervoor dat deze waarde minstens 0 is."
    assert "Twee sensorkits</textarea>" in html
    assert fresh(plan).contribution_means == ""


def test_a_stale_save_is_refused_keeps_what_was_typed_and_says_who_changed_what(world, plan, company_user):
    opened = plan.version
    services.plan_update(
        plan=plan, by=company_user, version=opened, data={"contribution_curriculum": "Gastlessen over polymeren"}
    )
    response = client_for(world.users["own_school"]).post(
        url("plan-contributions", plan),
        {"version": opened, "contribution_curriculum": "Project rond recyclage", "higher_ed_partner": "UAntwerpen"},
    )
    assert response.status_code == 409
    shown = text(response)
    assert "Iemand anders heeft intussen opgeslagen" in shown
    assert "Iemand anders heeft dit deel van het actieplan gewijzigd nadat je het opende." in shown
    assert f"Inbreng in het leerplan Actieplan — Gastlessen over polymeren {company_user}" in shown
    html = response.content.decode()
    assert "Project rond recyclage</textarea>" in html
    assert 'value="UAntwerpen"' in html
    saved = fresh(plan)
    assert (saved.contribution_curriculum, saved.higher_ed_partner) == ("Gastlessen over polymeren", "")

    # "Save anyway" posts the form as it came back: the version seen now, with what was typed.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert int(version) == saved.version
    again = client_for(world.users["own_school"]).post(
        url("plan-contributions", plan),
        {"version": version, "contribution_curriculum": "Project rond recyclage", "higher_ed_partner": "UAntwerpen"},
    )
    assert again.status_code == 302
    saved = fresh(plan)
    assert (saved.contribution_curriculum, saved.higher_ed_partner) == ("Project rond recyclage", "UAntwerpen")


def test_an_old_page_saving_other_fields_does_not_undo_a_colleagues_change(world, plan, company_user):
    opened = plan.version
    services.plan_update(plan=plan, by=company_user, version=opened, data={"contribution_hours": 60})
    # The school's page still shows no hours; it only changed the transfer text.
    response = client_for(world.users["own_school"]).post(
        url("plan-contributions", plan),
        {"version": opened, "contribution_hours": "", "transfer_grades": "Ook in de derde graad"},
    )
    assert response.status_code == 302
    saved = fresh(plan)
    assert (saved.contribution_hours, saved.transfer_grades) == (60, "Ook in de derde graad")


def test_coordinators_find_the_catalogue_of_stem_projects_in_the_admin(world, plan):
    admin_url = reverse("admin:partners_stemproject_changelist")
    coordinator = client_for(world.users["coordinator"]).get(url("plan-contributions", plan))
    school = client_for(world.users["own_school"]).get(url("plan-contributions", plan))
    assert f'href="{admin_url}"' in coordinator.content.decode()
    assert "Catalogus van STEM-projecten bewerken" in text(coordinator)
    assert admin_url not in school.content.decode()


def test_a_retired_catalogue_project_stays_listed_for_the_plan_that_chose_it(world, plan):
    lego = StemProject.objects.get(name="FIRST LEGO League")
    services.plan_update(plan=plan, by=None, version=plan.version, data={"stem_projects": [lego.pk]})
    StemProject.objects.filter(pk=lego.pk).update(is_active=False)
    StemProject.objects.filter(name="Pickero").update(is_active=False)
    shown = text(client_for(world.users["own_school"]).get(url("plan-contributions", plan)))
    assert "FIRST LEGO League" in shown
    assert "Pickero" not in shown


def test_a_juror_reads_the_submitted_contributions_without_a_form(world, plan, school_user, company_user):
    services.plan_update(plan=plan, by=school_user, version=plan.version, data={"transfer_schools": "Scholengroep"})
    plan = submitted_plan(fresh(plan), school_user, company_user)
    response = client_for(world.users["juror"]).get(url("plan-contributions", plan))
    assert "Overdraagbaar naar andere scholen (scholengroep of regio) Scholengroep" in text(response)
    assert "<form" not in main(response)


def test_a_submitted_plan_says_it_is_locked(world, submitted):
    shown = text(client_for(world.users["own_school"]).get(url("plan-contributions", submitted)))
    assert "Het actieplan is vergrendeld: niemand kan het nog wijzigen. Een coördinator kan het heropenen." in shown
    assert "Opslaan" not in shown


# --------------------------------------------------------------------------- STEM project (COOL)


def test_the_project_shows_the_six_cool_steps_in_order_with_their_status(world, plan, company_user):
    step = plan.cool_steps.get(step=CoolStep.Step.THEME_SELECTION)
    services.cool_step_update(step=step, by=company_user, version=plan.version, data={"status": "in_progress"})
    response = client_for(world.users["adviser"]).get(url("plan-project", plan))
    stepper = response.content.decode().split('class="phase-list"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r"\d\. [^<]+", stepper) == [
        "1. Contextanalyse",
        "2. Themaselectie",
        "3. Brainstorm",
        "4. Rapportering",
        "5. Ontwikkeling",
        "6. Uittesten in de klas",
    ]
    assert re.findall(r'class="badge[^"]*">([^<]+)<', stepper) == ["Niet gestart", "Bezig"] + ["Niet gestart"] * 4
    assert 'aria-current="step"' in stepper
    assert "Aan het team toevoegen" not in text(response)


def test_the_team_mixes_school_staff_and_company_experts_and_members_can_be_changed_and_removed(world, plan):
    school = client_for(world.users["own_school"])
    school.post(
        url("plan-team-add", plan), {"version": 1, "name": "An Peeters", "kind": "teacher", "expertise": "Fysica"}
    )
    client_for(world.users["company"]).post(
        url("plan-team-add", plan),
        {"version": 1, "name": "Jan Janssens", "kind": "company_expert", "expertise": "Procestechniek"},
    )
    shown = text(school.get(url("plan-project", plan)))
    assert "School (1) An Peeters – Fysica" in shown
    assert "Mentorbedrijf (1) Jan Janssens – Procestechniek" in shown

    member = TeamMember.objects.get(name="An Peeters")
    prefix = f"member-{member.pk}"
    response = school.post(
        url("plan-team-edit", plan, member.pk),
        {
            f"{prefix}-version": fresh(plan).version,
            f"{prefix}-name": "An Peeters",
            f"{prefix}-kind": "teacher",
            f"{prefix}-expertise": "Fysica en chemie",
        },
        follow=True,
    )
    assert "Het teamlid is opgeslagen." in text(response)
    member.refresh_from_db()
    assert member.expertise == "Fysica en chemie"

    response = school.post(url("plan-team-remove", plan, member.pk), {"version": fresh(plan).version}, follow=True)
    assert "An Peeters maakt niet langer deel uit van het Teacher Design Team." in text(response)
    assert list(plan.team_members.values_list("name", flat=True)) == ["Jan Janssens"]


def test_a_team_member_without_a_name_is_refused_next_to_the_field(world, plan):
    response = client_for(world.users["own_school"]).post(
        url("plan-team-add", plan), {"version": 1, "name": "", "kind": "teacher", "expertise": "Wiskunde"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_name_error"[^>]*>Dit veld is vereist\.<', html)
    assert 'value="Wiskunde"' in html
    assert not plan.team_members.exists()


def test_editing_a_member_someone_removed_meanwhile_keeps_what_was_typed(world, plan, company_user):
    member = services.team_member_add(plan=plan, by=company_user, data={"name": "Piet", "kind": "teacher"})
    services.team_member_remove(member=member, by=company_user, version=fresh(plan).version)
    prefix = f"member-{member.pk}"
    response = client_for(world.users["own_school"]).post(
        url("plan-team-edit", plan, member.pk),
        {f"{prefix}-version": 2, f"{prefix}-name": "Piet Pieters", f"{prefix}-kind": "teacher"},
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit teamlid intussen verwijderd." in text(response)
    assert f"Verwijderd Lid van het Teacher Design Team “Piet” Piet — {company_user}" in text(response)
    assert 'value="Piet Pieters"' in response.content.decode()


def test_a_stale_cool_step_save_is_refused_with_the_typed_notes(world, plan, company_user):
    step = plan.cool_steps.get(step=CoolStep.Step.BRAINSTORM)
    opened = plan.version
    services.cool_step_update(step=step, by=company_user, version=opened, data={"notes": "Script in drie delen"})
    prefix = f"step-{step.pk}"
    response = client_for(world.users["own_school"]).post(
        url("plan-cool-step", plan, step.pk),
        {f"{prefix}-version": opened, f"{prefix}-status": "in_progress", f"{prefix}-notes": "Script in twee delen"},
    )
    assert response.status_code == 409
    shown = text(response)
    assert "Notities COOL-stap “Brainstorm” — Script in drie delen" in shown
    assert "Script in twee delen</textarea>" in response.content.decode()
    step.refresh_from_db()
    assert (step.status, step.notes) == ("not_started", "Script in drie delen")


# --------------------------------------------------------------------------- signing


def test_signing_records_the_typed_name_and_function_with_the_time(world, smart_plan):
    school = client_for(world.users["own_school"])
    response = school.post(url("plan-sign", smart_plan, "school"), sign_data("school", smart_plan), follow=True)
    shown = text(response)
    assert "Karin Wouters heeft de engagementsverklaring ondertekend voor GO! Koninklijk Atheneum Antwerpen." in shown
    signature = Signature.objects.get(plan=smart_plan)
    assert (signature.side, signature.name, signature.role) == ("school", "Karin Wouters", "Directeur")
    signed_at = date_format(timezone.localtime(signature.signed_at), "j F Y H:i")
    assert f"Ondertekend door Karin Wouters (Directeur) op {signed_at}" in shown
    assert "BASF Antwerpen heeft de engagementsverklaring nog niet ondertekend." in shown


def test_signing_for_the_other_side_is_forbidden(world, smart_plan):
    response = client_for(world.users["company"]).post(
        url("plan-sign", smart_plan, "school"), sign_data("school", smart_plan, name="Jan", role="HR")
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_an_unknown_side_is_not_found(world, smart_plan):
    response = client_for(world.users["own_school"]).post(url("plan-sign", smart_plan, "jury"), {})
    assert response.status_code == 404


def test_signing_is_refused_while_the_smart_check_fails_and_the_page_says_what_to_fix(world, plan, school_user):
    with_focus(plan, 1, 2)
    goal = smart_goal(plan, school_user, target_value=None)
    response = client_for(world.users["own_school"]).post(url("plan-sign", plan, "school"), sign_data("school", plan))
    assert response.status_code == 400
    shown = text(response)
    assert "Los eerst de knelpunten van de SMART-controle op voor je ondertekent. Er is nog 1 knelpunt." in shown
    assert f"Doel ‘{goal.title}’ : Meetbaar: geef een streefwaarde" in shown
    assert re.search(rf'href="[^"]*/{plan.pk}/#goal-{goal.pk}"', response.content.decode())
    assert 'value="Karin Wouters"' in response.content.decode()
    assert not Signature.objects.exists()


def test_signing_without_a_function_names_the_field(world, smart_plan):
    response = client_for(world.users["company"]).post(
        url("plan-sign", smart_plan, "bedrijf"), sign_data("company", smart_plan, name="Jan Janssens", role="")
    )
    assert response.status_code == 400
    assert re.search(r'id="id_sign-company-role_error"[^>]*>Dit veld is vereist\.<', response.content.decode())


def test_changing_the_plan_after_signing_withdraws_the_signatures(world, smart_plan, school_user, company_user):
    signed_plan(smart_plan, school_user, company_user)
    client_for(world.users["company"]).post(
        url("plan-contributions", smart_plan), contributions_data(smart_plan, contribution_staff="3")
    )
    shown = text(client_for(world.users["own_school"]).get(url("plan-submit", smart_plan)))
    assert not Signature.objects.exists()
    assert "GO! Koninklijk Atheneum Antwerpen heeft de engagementsverklaring nog niet ondertekend." in shown


# --------------------------------------------------------------------------- submission


def test_a_signed_plan_is_submitted_and_locked(world, smart_plan, school_user, company_user):
    open_submission(world)
    signed_plan(smart_plan, school_user, company_user)
    response = client_for(world.users["company"]).post(
        url("plan-submit", smart_plan), {"version": version_of(smart_plan)}, follow=True
    )
    shown = text(response)
    assert "Het actieplan is ingediend. Het is nu vergrendeld" in shown
    assert "Ingediend op" in shown
    plan = fresh(smart_plan)
    assert (plan.status, plan.submitted_by) == (ActionPlan.Status.SUBMITTED, company_user)
    assert "Actieplan indienen" not in shown


def test_submitting_without_both_signatures_is_refused(world, smart_plan, school_user):
    open_submission(world)
    services.plan_sign(plan=smart_plan, side="school", name="Karin", role="Directeur", by=school_user)
    response = client_for(world.users["own_school"]).post(
        url("plan-submit", smart_plan), {"version": version_of(smart_plan)}
    )
    assert response.status_code == 400
    shown = text(response)
    assert "De school en het mentorbedrijf moeten eerst allebei de engagementsverklaring ondertekenen." in shown
    assert "BASF Antwerpen heeft de engagementsverklaring nog niet ondertekend." in shown
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT


def test_submitting_after_the_deadline_is_refused_naming_the_deadline(world, smart_plan, school_user, company_user):
    deadline = open_submission(world, days=-1)
    signed_plan(smart_plan, school_user, company_user)
    response = client_for(world.users["own_school"]).post(
        url("plan-submit", smart_plan), {"version": version_of(smart_plan)}
    )
    assert response.status_code == 400
    shown = text(response)
    short = date_format(deadline, "SHORT_DATE_FORMAT")
    assert f"De deadline ({short}) is voorbij. Een coördinator kan uitstel geven." in shown
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT


def test_a_coordinators_extension_opens_submission_again_and_is_logged(world, smart_plan, school_user, company_user):
    open_submission(world, days=-1)
    signed_plan(smart_plan, school_user, company_user)
    until = timezone.localdate() + dt.timedelta(days=7)
    coordinator = client_for(world.users["coordinator"])
    response = coordinator.post(
        url("plan-extension", smart_plan), {"until": until.isoformat(), "reason": "Directiewissel"}, follow=True
    )
    assert f"Uitstel toegekend: het actieplan kan ingediend worden tot en met {date_format(until)}." in text(response)
    event = PlanEvent.objects.get(plan=smart_plan, action=PlanEvent.Action.EXTENSION_GRANTED)
    assert (event.by, event.note) == (world.users["coordinator"], "Directiewissel")

    shown = text(client_for(world.users["own_school"]).get(url("plan-submit", smart_plan)))
    assert f"Je kunt indienen tot en met {date_format(until, 'j F Y')}." in shown
    response = client_for(world.users["own_school"]).post(
        url("plan-submit", smart_plan), {"version": version_of(smart_plan)}
    )
    assert response.status_code == 302
    assert fresh(smart_plan).status == ActionPlan.Status.SUBMITTED


def test_an_extension_before_the_deadline_is_named_next_to_the_date(world, plan):
    deadline = open_submission(world, days=10)
    response = client_for(world.users["coordinator"]).post(
        url("plan-extension", plan), {"until": (deadline - dt.timedelta(days=1)).isoformat(), "reason": "Ziekte"}
    )
    assert response.status_code == 400
    expected = f"Het uitstel moet na de deadline ({date_format(deadline, 'j F Y')}) eindigen."
    assert re.search(rf'id="id_until_error"[^>]*>{re.escape(expected)}<', response.content.decode())
    assert fresh(plan).extension_until is None


def test_a_coordinator_reopens_a_submitted_plan_with_a_reason(world, submitted):
    coordinator = client_for(world.users["coordinator"])
    assert "Actieplan heropenen" in text(coordinator.get(url("plan-submit", submitted)))
    refused = coordinator.post(url("plan-reopen", submitted), {"reason": ""})
    assert refused.status_code == 400
    assert "Geef een reden op om het actieplan te heropenen." in text(refused)
    response = coordinator.post(url("plan-reopen", submitted), {"reason": "Mijlpaal vergeten"}, follow=True)
    assert "Het actieplan is heropend." in text(response)
    assert fresh(submitted).status == ActionPlan.Status.DRAFT
    assert PlanEvent.objects.get(plan=submitted, action=PlanEvent.Action.REOPENED).note == "Mijlpaal vergeten"


def test_a_juror_reads_the_signed_declaration_of_a_submitted_plan_but_cannot_act(world, submitted):
    shown = text(client_for(world.users["juror"]).get(url("plan-submit", submitted)))
    assert "Ondertekend door Karin Wouters (Directeur)" in shown
    assert "Ondertekend door Jan Janssens (HR-manager)" in shown
    assert "verbeteractieplan samen hebben opgesteld" in shown
    for action in ("Actieplan indienen", "Deze handtekening intrekken", "Actieplan heropenen", "Uitstel toekennen"):
        assert action not in shown


# --------------------------------------------------------------------------- comments


def test_comments_are_listed_newest_last_with_author_role_and_time(world, plan, school_user, company_user):
    first = services.comment_add(plan=plan, by=school_user, text="Wie trekt doel 1?")
    services.comment_add(plan=plan, by=company_user, text="Jan neemt het op.")
    shown = text(client_for(world.users["adviser"]).get(url("plan-comments", plan)))
    when = date_format(timezone.localtime(first.created_at), "j F Y H:i")
    assert f"{school_user} · School · {when} Wie trekt doel 1?" in shown
    assert shown.index("Wie trekt doel 1?") < shown.index("Jan neemt het op.")
    assert f"{company_user} · Mentorbedrijf" in shown


def test_a_comment_is_added_with_htmx_without_reloading_the_page(world, plan, school_user):
    services.comment_add(plan=plan, by=school_user, text="Eerste")
    response = client_for(world.users["company"]).post(
        url("plan-comments", plan), {"text": "Tweede"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assert "<html" not in html
    assert re.findall(r"<p>([^<]+)</p>", html) == ["Eerste", "Tweede"]
    assert "Opmerkingen (2)" in text(response)


def test_an_empty_comment_is_refused_in_place(world, plan):
    response = client_for(world.users["own_school"]).post(
        url("plan-comments", plan), {"text": "   "}, headers={"HX-Request": "true"}
    )
    assert "Schrijf eerst een opmerking." in text(response)
    assert not Comment.objects.exists()


def test_only_the_author_sees_a_remove_button_and_removing_works_with_htmx(world, plan, school_user):
    comment = services.comment_add(plan=plan, by=school_user, text="Te snel gepost")
    remove = url("plan-comment-remove", plan, comment.pk)
    assert remove in client_for(world.users["own_school"]).get(url("plan-comments", plan)).content.decode()
    assert remove not in client_for(world.users["company"]).get(url("plan-comments", plan)).content.decode()
    response = client_for(world.users["own_school"]).post(remove, headers={"HX-Request": "true"})
    assert "Nog geen opmerkingen." in text(response)
    assert not Comment.objects.exists()


def test_comments_stay_inside_their_plan_and_away_from_jurors(world, submitted, school_user):
    services.comment_add(plan=submitted, by=school_user, text="Interne afspraak")
    leaking = other_plan(world)
    services.comment_add(plan=leaking, by=world.users["coordinator"], text="Over een andere school")
    adviser = text(client_for(world.users["adviser"]).get(url("plan-comments", submitted)))
    assert "Interne afspraak" in adviser
    assert "Over een andere school" not in adviser
    juror = client_for(world.users["juror"])
    assert "Interne afspraak" not in juror.get(url("plan-comments", submitted)).content.decode()
    assert "Interne afspraak" not in juror.get(url("plan-submit", submitted)).content.decode()
    other_school = client_for(world.users["other_school"])
    assert other_school.get(url("plan-comments", submitted)).status_code == 404


def test_a_comment_of_another_plan_cannot_be_removed_through_this_one(world, plan):
    leaking = other_plan(world)
    comment = services.comment_add(plan=leaking, by=world.users["coordinator"], text="Elders")
    response = client_for(world.users["coordinator"]).post(url("plan-comment-remove", plan, comment.pk))
    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


# --------------------------------------------------------------------------- query counts


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_comments_page_reads_in_a_constant_number_of_queries(world, plan, school_user, company_user):
    client = client_for(world.users["adviser"])
    services.comment_add(plan=plan, by=school_user, text="1")
    one = _queries(client, url("plan-comments", plan))
    services.comment_add(plan=plan, by=company_user, text="2")
    services.comment_add(plan=plan, by=world.users["coordinator"], text="3")
    assert _queries(client, url("plan-comments", plan)) == one


def test_the_project_page_reads_in_a_constant_number_of_queries(world, plan, school_user):
    client = client_for(world.users["own_school"])
    services.team_member_add(plan=plan, by=school_user, data={"name": "A", "kind": "teacher"})
    one = _queries(client, url("plan-project", plan))
    services.team_member_add(plan=plan, by=school_user, data={"name": "B", "kind": "company_expert"})
    services.team_member_add(plan=plan, by=school_user, data={"name": "C", "kind": "other"})
    assert _queries(client, url("plan-project", plan)) == one


def test_the_submit_page_reads_in_a_constant_number_of_queries(world, plan, school_user):
    with_focus(plan, 1, 2)
    client = client_for(world.users["own_school"])
    smart_goal(plan, school_user)
    one = _queries(client, url("plan-submit", plan))
    smart_goal(plan, school_user, title="Tweede doel")
    smart_goal(plan, school_user, title="Derde doel", target_value=None)
    assert _queries(client, url("plan-submit", plan)) == one


# --------------------------------------------------------------------------- acting on the text one read


def test_the_forms_of_the_declaration_carry_the_version_of_the_page(world, smart_plan, school_user, company_user):
    services.plan_sign(plan=smart_plan, side="company", name="Jan", role="HR", by=company_user)
    version = version_of(smart_plan)
    html = client_for(school_user).get(url("plan-submit", smart_plan)).content.decode()
    sign = form_values(html, url("plan-sign", smart_plan, "school"))
    assert sign["sign-school-version"] == str(version)
    assert form_values(html, url("plan-submit", smart_plan))["version"] == str(version)
    coordinator = client_for(world.users["coordinator"]).get(url("plan-submit", smart_plan)).content.decode()
    assert form_values(coordinator, url("plan-sign-withdraw", smart_plan, "bedrijf"))["version"] == str(version)


def test_signing_a_page_read_before_a_change_is_refused_naming_who_changed_what(world, smart_plan, company_user):
    school = client_for(world.users["own_school"])
    page = school.get(url("plan-submit", smart_plan)).content.decode()
    goal = smart_plan.goals.get()
    services.goal_update(goal=goal, by=company_user, version=version_of(smart_plan), data={"end": "2027-06-01"})

    typed = form_values(page, url("plan-sign", smart_plan, "school")) | {"sign-school-role": "Directeur"}
    response = school.post(url("plan-sign", smart_plan, "school"), typed)

    assert response.status_code == 409
    shown = text(response)
    assert "Het actieplan werd gewijzigd nadat je het opende. Er gebeurde niets: lees eerst de wijzigingen." in shown
    assert f"Einddatum Doel “{goal.title}” 15 juni 2027 1 juni 2027 {company_user}" in shown
    assert 'value="Directeur"' in response.content.decode()  # what was typed stays
    assert not Signature.objects.exists()
    # The form now carries the version just seen: signing again goes through.
    again = school.post(
        url("plan-sign", smart_plan, "school"),
        form_values(response.content.decode(), url("plan-sign", smart_plan, "school")),
    )
    assert again.status_code == 302
    assert Signature.objects.get().name == typed["sign-school-name"]


def test_submitting_or_withdrawing_a_page_read_before_a_change_is_refused(world, smart_plan, school_user, company_user):
    open_submission(world)
    read = signed_plan(smart_plan, school_user, company_user).version
    services.plan_update(plan=smart_plan, by=company_user, version=read, data={"project_theme": "Water"})
    signed_plan(smart_plan, school_user, company_user)  # both sign the new text
    school = client_for(school_user)

    submitted = school.post(url("plan-submit", smart_plan), {"version": read})
    withdrawn = school.post(url("plan-sign-withdraw", smart_plan, "school"), {"version": read})

    for response in (submitted, withdrawn):
        assert response.status_code == 409
        assert "lees eerst de wijzigingen" in text(response)
        assert f"Thema Actieplan — Water {company_user}" in text(response)
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT
    assert Signature.objects.count() == 2


@pytest.mark.parametrize("version", [None, "", "twee", "999"])
def test_signing_submitting_and_withdrawing_without_a_valid_version_are_refused(
    world, smart_plan, school_user, company_user, version
):
    open_submission(world)
    signed_plan(smart_plan, school_user, company_user)
    data = {} if version is None else {"version": version}
    school = client_for(school_user)
    submitted = school.post(url("plan-submit", smart_plan), data)
    withdrawn = school.post(url("plan-sign-withdraw", smart_plan, "school"), data)
    assert (submitted.status_code, withdrawn.status_code) == (400, 400)
    assert fresh(smart_plan).status == ActionPlan.Status.DRAFT
    assert Signature.objects.count() == 2
    Signature.objects.filter(side="school").delete()
    signing = sign_data("school", smart_plan) | {"sign-school-version": "" if version is None else version}
    assert school.post(url("plan-sign", smart_plan, "school"), signing).status_code == 400
    assert Signature.objects.count() == 1


def test_removing_a_team_member_without_a_valid_version_is_refused(world, plan, company_user):
    member = services.team_member_add(plan=plan, by=company_user, data={"name": "Piet", "kind": "teacher"})
    school = client_for(world.users["own_school"])
    for data in ({}, {"version": "x"}, {"version": version_of(plan) + 4}):
        response = school.post(url("plan-team-remove", plan, member.pk), data)
        assert response.status_code == 400
        assert "De pagina was niet meer actueel" in text(response) or "bestaat niet" in text(response)
    assert TeamMember.objects.filter(pk=member.pk).exists()


# --------------------------------------------------------------------------- reopening and extensions


def test_reopening_after_the_deadline_asks_for_a_new_date_and_the_plan_can_be_submitted_again(
    world, submitted, school_user, company_user
):
    open_submission(world, days=-3)  # the deadline passed after the plan was submitted
    coordinator = client_for(world.users["coordinator"])
    page = text(coordinator.get(url("plan-submit", submitted)))
    assert "Opnieuw indienen kan tot en met" in page

    refused = coordinator.post(url("plan-reopen", submitted), {"reason": "Budget corrigeren"})
    assert refused.status_code == 400
    assert "Geef een nieuwe datum tot wanneer het actieplan opnieuw ingediend kan worden." in text(refused)
    assert fresh(submitted).status == ActionPlan.Status.SUBMITTED

    until = timezone.localdate() + dt.timedelta(days=10)
    response = coordinator.post(
        url("plan-reopen", submitted),
        {"reason": "Budget corrigeren", "extension_until": until.isoformat()},
        follow=True,
    )
    assert "De jury ziet het niet meer tot het opnieuw ingediend is" in text(response)
    plan = fresh(submitted)
    assert (plan.status, plan.deadline) == (ActionPlan.Status.DRAFT, until)
    assert PlanEvent.objects.filter(plan=plan, action=PlanEvent.Action.EXTENSION_GRANTED).get().note == (
        "Budget corrigeren"
    )
    assert client_for(world.users["juror"]).get(url("plan-submit", plan)).status_code == 404

    again = client_for(school_user).post(url("plan-submit", plan), {"version": plan.version})
    assert again.status_code == 302
    assert fresh(plan).status == ActionPlan.Status.SUBMITTED


def test_reopening_before_the_deadline_needs_no_new_date(world, submitted):
    open_submission(world)
    coordinator = client_for(world.users["coordinator"])
    assert "Opnieuw indienen kan tot en met" not in text(coordinator.get(url("plan-submit", submitted)))
    response = coordinator.post(url("plan-reopen", submitted), {"reason": "Typfout"})
    assert response.status_code == 302
    assert fresh(submitted).extension_until is None


def test_the_extension_form_shows_its_date_in_the_date_picker_and_can_clear_it(world, plan):
    until = timezone.localdate() + dt.timedelta(days=200)
    services.plan_extension_grant(plan=plan, by=world.users["coordinator"], until=until, reason="Ziekte")
    coordinator = client_for(world.users["coordinator"])
    html = coordinator.get(url("plan-submit", plan)).content.decode()
    assert re.search(rf'<input type="date" name="until" value="{until.isoformat()}"', html)

    cleared = coordinator.post(url("plan-extension", plan), {"until": "", "reason": "Toch niet nodig"}, follow=True)

    assert "Het uitstel is geschrapt: de deadline van de editie geldt opnieuw." in text(cleared)
    assert (fresh(plan).extension_until, fresh(plan).deadline) == (None, world.edition.plan_deadline)
    latest = PlanEvent.objects.filter(plan=plan, action=PlanEvent.Action.EXTENSION_GRANTED).order_by("-id").first()
    assert (latest.note, latest.changes[0]["new"]) == ("Toch niet nodig", None)


def test_an_extension_in_the_past_is_refused_next_to_the_date(world, plan):
    Edition.objects.filter(pk=world.edition.pk).update(plan_deadline=timezone.localdate() - dt.timedelta(days=30))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(world.users["coordinator"]).post(
        url("plan-extension", plan), {"until": yesterday.isoformat(), "reason": "Ziekte"}
    )
    assert response.status_code == 400
    assert re.search(r'id="id_until_error"[^>]*>Kies vandaag of een latere datum\.<', response.content.decode())
    assert fresh(plan).extension_until is None
