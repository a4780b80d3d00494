"""Deadline reminders: which plans are due on a day (pure), and the daily task that mails both sides once."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import ClassVar

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from actionplans import selectors, services
from actionplans.models import PlanReminder
from actionplans.models_reminders import PlanReminderDelivery
from actionplans.reminders import REMINDER_DAYS, Candidate, DueReminder, PlanState, reminders_due
from actionplans.tasks import plan_reminders_send, send_plan_reminders
from actionplans.tests.factories import active_match, fresh, smart_goal, submitted_plan, with_focus
from matching.models import Match
from partners.models import Participation
from partners.tests import factories as f
from stempact.celery import app as celery_app

DEADLINE = dt.date(2027, 4, 30)  # the world's edition: plan deadline on Friday 30 April 2027
FOURTEEN_DAYS_BEFORE = dt.date(2027, 4, 16)
THREE_DAYS_BEFORE = dt.date(2027, 4, 27)


# --------------------------------------------------------------------------- the selection (pure)


def candidate(**overrides) -> Candidate:
    return Candidate(**({"participation_id": 1, "edition_deadline": DEADLINE} | overrides))


@pytest.mark.parametrize(
    ("days_left", "kinds"),
    [(15, []), (14, ["14_days"]), (13, []), (4, []), (3, ["3_days"]), (2, []), (0, []), (-1, [])],
)
def test_a_reminder_goes_out_exactly_14_and_3_days_before_the_deadline(days_left, kinds):
    today = DEADLINE - dt.timedelta(days=days_left)

    due = reminders_due([candidate()], today)

    assert [reminder.kind for reminder in due] == kinds
    assert all((r.deadline, r.days_left) == (DEADLINE, days_left) for r in due)


def test_a_submitted_plan_gets_no_reminder():
    assert reminders_due([candidate(submitted=True)], FOURTEEN_DAYS_BEFORE) == []


def test_a_reminder_already_sent_is_not_sent_again_but_the_other_one_is():
    sent_14 = candidate(sent=frozenset({("14_days", DEADLINE)}))

    assert reminders_due([sent_14], FOURTEEN_DAYS_BEFORE) == []
    assert reminders_due([sent_14], THREE_DAYS_BEFORE) == [DueReminder(1, "3_days", DEADLINE, 3)]


def test_the_reminders_sent_for_an_earlier_deadline_do_not_count_for_a_later_one():
    extended = candidate(
        extension_until=dt.date(2027, 6, 15), sent=frozenset({("14_days", DEADLINE), ("3_days", DEADLINE)})
    )

    assert reminders_due([extended], dt.date(2027, 6, 1)) == [DueReminder(1, "14_days", dt.date(2027, 6, 15), 14)]
    assert reminders_due([extended], dt.date(2027, 6, 12)) == [DueReminder(1, "3_days", dt.date(2027, 6, 15), 3)]


def test_a_plan_with_an_extension_is_reminded_of_the_extension_date():
    extended = candidate(extension_until=dt.date(2027, 5, 14))

    assert reminders_due([extended], FOURTEEN_DAYS_BEFORE) == []  # not of the edition's deadline
    assert reminders_due([extended], dt.date(2027, 4, 30)) == [DueReminder(1, "14_days", dt.date(2027, 5, 14), 14)]
    assert reminders_due([extended], dt.date(2027, 5, 11)) == [DueReminder(1, "3_days", dt.date(2027, 5, 14), 3)]


def test_an_extension_before_the_editions_deadline_changes_nothing():
    assert candidate(extension_until=dt.date(2027, 4, 20)).deadline == DEADLINE


def test_each_school_is_selected_on_its_own_deadline_in_the_order_given():
    schools = [
        candidate(participation_id=1),
        candidate(participation_id=2, submitted=True),
        candidate(participation_id=3, edition_deadline=dt.date(2027, 5, 7)),
        candidate(participation_id=4),
    ]

    assert [r.participation_id for r in reminders_due(schools, FOURTEEN_DAYS_BEFORE)] == [1, 4]


def test_the_reminder_kinds_are_the_logs_kinds():
    assert sorted(REMINDER_DAYS.values()) == sorted(PlanReminder.Kind.values)


@pytest.mark.parametrize(
    ("state", "ready"),
    [
        (PlanState(has_plan=False), False),
        (PlanState(has_plan=True, hard_count=1, school_signed=True, company_signed=True), False),
        (PlanState(has_plan=True, school_signed=True), False),
        (PlanState(has_plan=True, school_signed=True, company_signed=True), True),
    ],
)
def test_a_plan_is_ready_to_submit_with_no_failing_point_and_both_signatures(state, ready):
    assert state.ready_to_submit is ready


# --------------------------------------------------------------------------- the task (database, locmem mail)


@pytest.fixture
def match(world):
    return active_match(world.school, world.company, world.edition)


@pytest.fixture
def people(world):
    """Who works on the world's plan: two school members and one company member; plus people who must not get it."""
    second_teacher = f.school_member(world.school)
    left = f.school_member(world.school)
    left.is_active = False
    left.save()
    return {
        "school": [world.users["own_school"], second_teacher],
        "company": [world.users["company"]],
        "left": left,
    }


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def body_for(user) -> str:
    """The latest message to this person."""
    return [message.body for message in mail.outbox if message.to == [user.email]][-1]


@pytest.mark.django_db
def test_both_sides_of_a_match_without_a_plan_are_reminded_to_start_it(world, match, people):
    emails = plan_reminders_send(today=FOURTEEN_DAYS_BEFORE)

    assert emails == 3
    assert sent_to() == sorted(user.email for user in people["school"] + people["company"])
    message = mail.outbox[0]
    assert message.subject == "Actieplan van GO! Koninklijk Atheneum Antwerpen: nog 14 dagen om in te dienen"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    body = body_for(world.users["own_school"])
    assert body.startswith(f"Beste {world.users['own_school'].first_name},")
    assert (
        "Het verbeteractieplan van GO! Koninklijk Atheneum Antwerpen en BASF Antwerpen voor STEMpact 2026-2027 "
        "moet ingediend zijn op vrijdag 30 april 2027, over 14 dagen."
    ) in body
    assert "- Start het actieplan: er is nog niets geschreven." in body
    link = settings.SITE_URL + reverse("actionplans:plan-list") + "?editie=2026-2027"
    assert f"Naar het actieplan:\n{link}" in body
    assert "Je krijgt deze e-mail als lid van GO! Koninklijk Atheneum Antwerpen." in body
    assert "Je krijgt deze e-mail als lid van BASF Antwerpen." in body_for(world.users["company"])
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


@pytest.mark.django_db
def test_the_reminder_names_what_is_missing_and_links_to_the_plan(world, match, people):
    school_user, company_user = world.users["own_school"], world.users["company"]
    plan = services.plan_get_or_create(match=match, by=school_user)
    with_focus(plan, 2)
    smart_goal(plan, school_user)
    services.goal_add(plan=fresh(plan), by=school_user, data={"title": "Nog uit te werken", "grades": ["2"]})

    failing = selectors.plan_check(selectors.plan_with_details(plan_id=plan.pk)).hard_count
    assert failing > 1  # the second goal misses most SMART fields (the plan page counts them the same way)

    plan_reminders_send(today=THREE_DAYS_BEFORE)

    body = body_for(company_user)
    assert "over 3 dagen." in body
    assert f"- De SMART-controle meldt nog {failing} knelpunten om op te lossen." in body
    assert "- De school heeft de engagementsverklaring nog niet ondertekend." in body
    assert "- Het mentorbedrijf heeft de engagementsverklaring nog niet ondertekend." in body
    assert "- Dien het actieplan in." in body
    assert settings.SITE_URL + reverse("actionplans:plan-detail", kwargs={"pk": plan.pk}) in body
    assert mail.outbox[0].subject.endswith("nog 3 dagen om in te dienen")


@pytest.mark.django_db
def test_a_signed_plan_is_reminded_that_only_the_submission_is_left(world, match):
    school_user, company_user = world.users["own_school"], world.users["company"]
    plan = services.plan_get_or_create(match=match, by=school_user)
    with_focus(plan, 2)
    smart_goal(plan, school_user)
    services.plan_sign(plan=fresh(plan), side="school", name="Karin Wouters", role="Directeur", by=school_user)
    services.plan_sign(plan=fresh(plan), side="company", name="Jan Janssens", role="HR-manager", by=company_user)

    plan_reminders_send(today=THREE_DAYS_BEFORE)

    body = body_for(school_user)
    assert "Alles staat klaar: je moet het actieplan alleen nog indienen." in body
    assert "knelpunt" not in body and "nog niet ondertekend" not in body


@pytest.mark.django_db
def test_a_rerun_sends_nothing_twice_and_the_log_keeps_who_got_it(world, match, people):
    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 3

    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 0

    assert len(mail.outbox) == 3
    log = PlanReminder.objects.get()
    assert (log.participation.school, log.kind, log.deadline) == (world.school, "14_days", DEADLINE)
    assert sorted(log.recipients) == sent_to()
    assert plan_reminders_send(today=THREE_DAYS_BEFORE) == 3  # the second reminder, once
    assert plan_reminders_send(today=THREE_DAYS_BEFORE) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2027, 4, 17), dt.date(2027, 4, 15), DEADLINE])
def test_no_reminder_on_other_days(world, match, today):
    assert plan_reminders_send(today=today) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_submitted_plan_gets_no_reminder_in_the_database_either(world, match):
    plan = services.plan_get_or_create(match=match, by=world.users["own_school"])
    submitted_plan(plan, world.users["own_school"], world.users["company"])

    assert plan_reminders_send(today=THREE_DAYS_BEFORE) == 0
    assert not PlanReminder.objects.exists()


@pytest.mark.django_db
def test_a_plan_with_an_extension_is_reminded_of_its_new_date(world, match):
    plan = services.plan_get_or_create(match=match, by=world.users["own_school"])
    services.plan_extension_grant(
        plan=plan,
        by=world.users["coordinator"],
        until=dt.date(2027, 5, 14),
        reason="Ziekte van de TAC",
        today=dt.date(2027, 4, 1),  # granted before the deadline, whatever the real date
    )

    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 0
    assert plan_reminders_send(today=dt.date(2027, 4, 30)) == 2

    body = body_for(world.users["company"])
    assert "moet ingediend zijn op vrijdag 14 mei 2027, over 14 dagen." in body
    assert "Dat is de datum van het uitstel dat een coördinator toekende." in body


@pytest.mark.django_db
def test_only_the_people_of_each_active_match_are_reminded(world, match):
    other = active_match(world.other_school, world.other_company, world.edition)
    other_company_user = f.company_member(world.other_company)
    far = Participation.objects.get(edition=world.edition, school=world.far_school)
    Match.objects.create(participation=far, company=world.company, status=Match.Status.PROPOSED)
    f.school_member(world.far_school)

    plan_reminders_send(today=FOURTEEN_DAYS_BEFORE)

    by_school = {message.to[0]: message.subject for message in mail.outbox}
    assert by_school == {
        world.users[
            "own_school"
        ].email: "Actieplan van GO! Koninklijk Atheneum Antwerpen: nog 14 dagen om in te dienen",
        world.users["company"].email: "Actieplan van GO! Koninklijk Atheneum Antwerpen: nog 14 dagen om in te dienen",
        world.users["other_school"].email: "Actieplan van Technicum Antwerpen: nog 14 dagen om in te dienen",
        other_company_user.email: "Actieplan van Technicum Antwerpen: nog 14 dagen om in te dienen",
    }
    assert other.participation.plan_reminders.count() == 1


@pytest.mark.django_db
def test_an_extension_granted_after_the_reminders_were_sent_gets_its_own_reminders(world, match, people):
    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 3
    assert plan_reminders_send(today=THREE_DAYS_BEFORE) == 3
    plan = services.plan_get_or_create(match=match, by=world.users["own_school"])
    services.plan_extension_grant(
        plan=plan,
        by=world.users["coordinator"],
        until=dt.date(2027, 6, 15),
        reason="Ziekte van de TAC",
        today=dt.date(2027, 4, 1),  # granted before the deadline, whatever the real date
    )
    mail.outbox.clear()

    assert plan_reminders_send(today=dt.date(2027, 6, 1)) == 3
    assert "moet ingediend zijn op dinsdag 15 juni 2027, over 14 dagen." in body_for(world.users["company"])
    assert plan_reminders_send(today=dt.date(2027, 6, 12)) == 3
    assert "moet ingediend zijn op dinsdag 15 juni 2027, over 3 dagen." in body_for(world.users["company"])
    assert plan_reminders_send(today=dt.date(2027, 6, 12)) == 0

    assert len(mail.outbox) == 6
    assert sorted(PlanReminder.objects.values_list("kind", "deadline")) == [
        ("14_days", DEADLINE),
        ("14_days", dt.date(2027, 6, 15)),
        ("3_days", DEADLINE),
        ("3_days", dt.date(2027, 6, 15)),
    ]


@pytest.mark.django_db
def test_an_editions_deadline_moved_after_the_reminders_were_sent_gets_its_own_reminders(world, match):
    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 2
    world.edition.plan_deadline = dt.date(2027, 5, 14)
    world.edition.save()

    assert plan_reminders_send(today=dt.date(2027, 4, 30)) == 2
    assert plan_reminders_send(today=dt.date(2027, 5, 11)) == 2
    assert "moet ingediend zijn op vrijdag 14 mei 2027, over 3 dagen." in body_for(world.users["company"])


class FlakyMailServer(EmailBackend):
    """A mail server as SMTP behaves: message by message, refusing the addresses in `refused` (a mailbox that no
    longer exists) and, with `down_after`, dropping the connection once that many messages were delivered."""

    refused: ClassVar[set[str]] = set()
    down_after: ClassVar[int | None] = None

    def send_messages(self, messages):
        delivered = 0
        for message in messages:
            if self.down_after is not None and len(mail.outbox) >= self.down_after:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            refused = {
                address: (550, b"5.1.1 Mailbox unavailable") for address in message.to if address in self.refused
            }
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
            delivered += super().send_messages([message])
        return delivered


@pytest.fixture
def server(settings, monkeypatch):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyMailServer"}}
    monkeypatch.setattr(FlakyMailServer, "refused", set())
    monkeypatch.setattr(FlakyMailServer, "down_after", None)
    return FlakyMailServer


def deliveries() -> set[tuple[str, str]]:
    return set(PlanReminderDelivery.objects.values_list("email", "status"))


@pytest.mark.django_db
def test_an_address_the_server_refuses_is_logged_as_failed_and_everyone_else_gets_the_reminder_once(
    world, match, people, server
):
    gone = f.school_member(world.school)
    server.refused = {gone.email}
    others = sorted(user.email for user in people["school"] + people["company"])

    assert send_plan_reminders.delay(today=FOURTEEN_DAYS_BEFORE.isoformat()).get() == 3
    assert send_plan_reminders.delay(today=FOURTEEN_DAYS_BEFORE.isoformat()).get() == 0  # a second run

    assert sent_to() == others
    assert deliveries() == {(email, "sent") for email in others} | {(gone.email, "refused")}
    refusal = PlanReminderDelivery.objects.get(email=gone.email)
    assert refusal.user == gone
    assert "5.1.1 Mailbox unavailable" in refusal.error
    assert sorted(PlanReminder.objects.get().recipients) == others


@pytest.mark.django_db
def test_when_the_server_goes_down_halfway_the_retry_mails_only_who_did_not_get_it(world, match, people, server):
    server.down_after = 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        plan_reminders_send(today=FOURTEEN_DAYS_BEFORE)
    assert sent_to() == [world.users["own_school"].email]
    assert deliveries() == {(world.users["own_school"].email, "sent")}

    server.down_after = None
    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 2  # the task's retry

    assert sent_to() == sorted(user.email for user in people["school"] + people["company"])  # each once
    assert plan_reminders_send(today=FOURTEEN_DAYS_BEFORE) == 0


@pytest.mark.django_db
def test_the_task_runs_the_day_given_through_celery(world, match):
    result = send_plan_reminders.delay(today=FOURTEEN_DAYS_BEFORE.isoformat())

    assert result.get() == 2
    assert len(mail.outbox) == 2


def test_beat_runs_the_reminders_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["actionplans-deadline-reminders"]

    assert entry["task"] == send_plan_reminders.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == crontab(hour=7, minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/Brussels"
