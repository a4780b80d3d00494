import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partners.models import Edition, Membership, Postcode, Role
from partners.tests import factories as f

pytestmark = pytest.mark.django_db


def test_current_edition_is_the_one_running_today_else_the_latest_started():
    previous = f.EditionFactory(year=2025)
    current = f.EditionFactory(year=2026)
    f.EditionFactory(year=2027)
    assert Edition.objects.current(today=dt.date(2026, 11, 24)) == current
    assert Edition.objects.current(today=dt.date(2026, 6, 1)) == previous
    assert Edition.objects.current(today=dt.date(2030, 1, 1)).slug == "2027-2028"


def test_edition_phases_mark_what_is_done_current_and_upcoming():
    edition = f.EditionFactory(year=2026)
    states = {str(p["label"]): p["state"] for p in edition.phases(today=dt.date(2026, 11, 24))}
    assert list(states.values()) == ["current", "current", "upcoming", "upcoming", "upcoming", "upcoming"]
    states = {str(p["label"]): p["state"] for p in edition.phases(today=dt.date(2027, 5, 5))}
    assert list(states.values()) == ["done", "done", "done", "done", "current", "upcoming"]


def test_edition_rejects_a_plan_deadline_before_the_baseline_closes():
    edition = f.EditionFactory.build(year=2026, plan_deadline=dt.date(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert "plan_deadline" in error.value.message_dict


def test_an_adviser_membership_without_region_is_refused_by_the_database():
    user = f.UserFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.ADVISER)


def test_postcode_with_several_places_resolves_to_the_named_place_else_the_first():
    assert Postcode.objects.resolve("2500", "Lier").municipality == "Lier"
    assert Postcode.objects.resolve("2500", "lier ").municipality == "Lier"
    assert Postcode.objects.resolve("2500").municipality == "Koningshooikt"
    assert Postcode.objects.resolve("0000") is None


def test_reference_data_is_loaded_by_migration():
    from partners.models import NaceDivision, Region, StemProject, StudyArea

    assert Region.objects.count() == 6
    assert StudyArea.objects.count() == 22
    assert set(NaceDivision.objects.get(code="20").study_areas.values_list("slug", flat=True)) == {"chemie"}
    assert StemProject.objects.filter(name="Pickero").exists()
    assert Postcode.objects.count() == 2781
