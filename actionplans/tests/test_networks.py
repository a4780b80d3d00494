"""Learning networks (lerende netwerken): the three regional sessions, attendance, and what the plan shows of it."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from actionplans import permissions, selectors, services
from actionplans.models import Attendance, LearningNetworkSession
from partners.models import Participation
from partners.tests import factories as f
from partners.tests.roles import ROLES

pytestmark = pytest.mark.django_db


def session(world, kind="method", region=None, day=dt.date(2027, 1, 20)) -> LearningNetworkSession:
    return services.session_create(
        edition=world.edition,
        region=region or world.school.region,
        kind=kind,
        date=day,
        place="Voka Antwerpen-Waasland, Brouwersvliet 5",
        by=world.users["adviser"],
    )


def participation_of(world, school=None) -> Participation:
    return Participation.objects.get(edition=world.edition, school=school or world.school)


def test_an_adviser_plans_the_three_sessions_of_the_region(world):
    for kind, day in (("method", 20), ("inspiration", 24), ("exchange", 28)):
        session(world, kind, day=dt.date(2027, {20: 1, 24: 2, 28: 3}[day], day))
    sessions = list(selectors.sessions_for(user=world.users["adviser"], edition=world.edition))
    assert [(s.get_kind_display(), s.date) for s in sessions] == [
        ("Methodiek", dt.date(2027, 1, 20)),
        ("Inspireren", dt.date(2027, 2, 24)),
        ("Ervaringsuitwisseling", dt.date(2027, 3, 28)),
    ]


OUTSIDE_NETWORKS = "Kies een datum binnen de lerende netwerken van deze editie (15 januari 2027 – 31 maart 2027)."


@pytest.mark.parametrize("day", [dt.date(2027, 1, 14), dt.date(2027, 4, 1), dt.date(2027, 9, 15)])
def test_a_session_date_lies_within_the_editions_learning_networks(world, day):
    with pytest.raises(ValidationError) as refused:
        session(world, day=day)
    assert refused.value.message_dict == {"date": [OUTSIDE_NETWORKS]}
    assert not LearningNetworkSession.objects.exists()


def test_the_first_and_last_day_of_the_learning_networks_are_allowed(world):
    first, last = session(world, day=dt.date(2027, 1, 15)), session(world, "exchange", day=dt.date(2027, 3, 31))
    assert list(LearningNetworkSession.objects.values_list("date", flat=True)) == [first.date, last.date]


def test_a_session_moves_within_the_learning_networks_only(world):
    planned = session(world)
    adviser = world.users["adviser"]
    services.session_update(session=planned, by=adviser, data={"date": "2027-01-27", "place": "Online"})
    planned.refresh_from_db()
    assert (planned.date, planned.place) == (dt.date(2027, 1, 27), "Online")

    with pytest.raises(ValidationError) as refused:
        services.session_update(session=planned, by=adviser, data={"date": "2027-04-20", "place": "Elders"})
    assert refused.value.message_dict == {"date": [OUTSIDE_NETWORKS]}
    planned.refresh_from_db()
    assert (planned.date, planned.place) == (dt.date(2027, 1, 27), "Online")


def test_a_session_keeps_its_date_when_the_learning_networks_moved_after_it_was_planned(world):
    planned = session(world, day=dt.date(2027, 1, 20))
    world.edition.networks_start_on = dt.date(2027, 2, 1)
    world.edition.save()
    planned = LearningNetworkSession.objects.select_related("edition").get(pk=planned.pk)
    services.session_update(session=planned, by=world.users["adviser"], data={"date": "2027-01-20", "place": "Online"})
    planned.refresh_from_db()
    assert (planned.date, planned.place) == (dt.date(2027, 1, 20), "Online")
    # Moving it is held to the new period.
    with pytest.raises(ValidationError) as refused:
        services.session_update(session=planned, by=world.users["adviser"], data={"date": "2027-01-21"})
    assert refused.value.message_dict == {
        "date": ["Kies een datum binnen de lerende netwerken van deze editie (1 februari 2027 – 31 maart 2027)."]
    }


def test_attendance_is_registered_per_school_and_company_and_shown_in_the_plan(world, plan):
    method, inspiration, exchange = session(world), session(world, "inspiration"), session(world, "exchange")
    elsewhere = session(world, region=f.region("limburg"))
    adviser = world.users["adviser"]
    services.attendance_set(session=method, by=adviser, present=True, participation=participation_of(world))
    services.attendance_set(session=method, by=adviser, present=True, company=world.company)
    services.attendance_set(session=inspiration, by=adviser, present=True, participation=participation_of(world))
    services.attendance_set(session=inspiration, by=adviser, present=False, participation=participation_of(world))
    services.attendance_set(session=elsewhere, by=adviser, present=True, company=world.company)
    # Another school's attendance does not show in this plan.
    services.attendance_set(
        session=exchange, by=adviser, present=True, participation=participation_of(world, world.other_school)
    )

    rows = selectors.plan_attendance(plan=plan)
    assert [(r.session, r.school_present, r.company_present) for r in rows] == [
        (method, True, True),
        (inspiration, False, None),
        (exchange, None, None),
        (elsewhere, None, True),
    ]
    assert selectors.attendance_count(rows) == (1, 2)
    assert Attendance.objects.filter(session=inspiration).count() == 1


def test_only_schools_of_the_edition_and_mentor_companies_are_registered(world, match):
    planned = session(world)
    other_edition = f.ParticipationFactory(school=world.school, edition=f.EditionFactory(year=2030))
    with pytest.raises(ValidationError):
        services.attendance_set(session=planned, by=None, present=True, participation=other_edition)
    with pytest.raises(ValidationError) as refused:
        services.attendance_set(session=planned, by=None, present=True, company=world.other_company)
    assert (
        " ".join(refused.value.messages)
        == "Dit bedrijf is in de editie van deze sessie geen mentorbedrijf van een school."
    )


SEES_SESSIONS = {
    "anonymous": False,
    "other_school": True,  # same region, same edition
    "own_school": True,
    "company": True,  # mentor of a school of the region
    "adviser_other_region": False,
    "adviser": True,
    "juror": False,
    "juror_with_conflict": False,
    "coordinator": True,
}
MANAGES_SESSIONS = {role: role in ("adviser", "coordinator") for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_of_a_regional_session(world, match, role):
    planned = session(world)
    user = world.users[role] or AnonymousUser()
    sees = LearningNetworkSession.objects.visible_to(user).filter(pk=planned.pk).exists()
    manages = (
        permissions.can_edit_session(user, planned),
        permissions.can_register_attendance(user, planned),
        permissions.can_manage_sessions(user, planned.region),
    )
    assert (sees, manages) == (SEES_SESSIONS[role], (MANAGES_SESSIONS[role],) * 3)


def test_members_see_no_sessions_of_other_regions(world, match):
    session(world, region=f.region("limburg"))
    for role in ("own_school", "company", "adviser"):
        assert list(LearningNetworkSession.objects.visible_to(world.users[role])) == []
    assert LearningNetworkSession.objects.visible_to(world.users["adviser_other_region"]).count() == 1
