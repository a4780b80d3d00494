"""The demo data: `manage.py seed_demo` and the builders behind it (partners.demo)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from partners import demo
from partners.enterprise import is_valid_enterprise_number
from partners.models import (
    Company,
    CompanyActivity,
    CompanySite,
    Edition,
    Membership,
    Participation,
    Postcode,
    Region,
    Role,
    School,
    User,
)

TODAY = dt.date(2026, 11, 24)


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "editions": Edition.objects.count(),
        "schools": School.objects.count(),
        "school study areas": School.study_areas.through.objects.count(),
        "companies": Company.objects.count(),
        "sites": CompanySite.objects.count(),
        "activities": CompanyActivity.objects.count(),
        "participations": Participation.objects.count(),
    }


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


# --------------------------------------------------------------------------- seed_demo (scale "demo")


@pytest.mark.django_db
def test_every_demo_login_signs_in_with_the_printed_password():
    output = seed()

    assert f"Shared demo password: {demo.DEMO_PASSWORD}" in output
    for email in (
        demo.COORDINATOR_EMAIL,
        demo.ADVISER_EMAIL,
        demo.SCHOOL_EMAIL,
        demo.COMPANY_EMAIL,
        demo.JUROR_EMAIL,
    ):
        assert email in output
        assert Client().login(email=email, password=demo.DEMO_PASSWORD) is True, email


@pytest.mark.django_db
def test_demo_memberships_carry_the_right_scope():
    seed()
    current = Edition.objects.get(slug="2026-2027")

    def memberships(email: str) -> list[tuple]:
        return list(
            Membership.objects.filter(user__email=email).values_list(
                "role", "region__slug", "school__name", "company__name", "edition__slug", "function"
            )
        )

    assert memberships(demo.COORDINATOR_EMAIL) == [(Role.COORDINATOR, None, None, None, None, "")]
    assert memberships(demo.ADVISER_EMAIL) == [(Role.ADVISER, "antwerpen-waasland", None, None, None, "")]
    assert memberships(demo.SCHOOL_EMAIL) == [
        (Role.SCHOOL, None, "GO! Koninklijk Atheneum Antwerpen", None, None, Membership.SchoolFunction.TAC)
    ]
    assert memberships(demo.COMPANY_EMAIL) == [(Role.COMPANY, None, None, "BASF Antwerpen", None, "")]
    assert memberships(demo.JUROR_EMAIL) == [(Role.JUROR, None, None, None, current.slug, "")]


@pytest.mark.django_db
def test_demo_users_have_what_their_role_needs():
    seed()
    coordinator = User.objects.get(email=demo.COORDINATOR_EMAIL)
    adviser = User.objects.get(email=demo.ADVISER_EMAIL)

    assert coordinator.is_staff is True
    assert coordinator.is_superuser is False
    assert coordinator.is_coordinator is True
    assert adviser.is_staff is False
    assert adviser.is_coordinator is False
    assert set(School.objects.visible_to(adviser).values_list("region__slug", flat=True)) == {"antwerpen-waasland"}
    assert all(u.first_name and u.last_name for u in User.objects.filter(email__endswith="@stempact.demo"))


@pytest.mark.django_db
def test_seeding_twice_keeps_the_row_counts_and_resets_demo_passwords():
    seed()
    first = row_counts()
    school_user = User.objects.get(email=demo.SCHOOL_EMAIL)
    school_user.set_password("changed-by-a-tester")
    school_user.save()
    Participation.objects.filter(school__name="Novaplus", edition__slug="2026-2027").update(status="registered")

    output = seed()

    assert row_counts() == first
    assert "updated" in output
    assert Client().login(email=demo.SCHOOL_EMAIL, password=demo.DEMO_PASSWORD) is True
    assert Participation.objects.get(school__name="Novaplus", edition__slug="2026-2027").status == "matched"


@pytest.mark.django_db
def test_every_company_has_a_valid_synthetic_enterprise_number_and_a_main_site():
    seed()

    companies = list(Company.objects.prefetch_related("sites"))
    assert len(companies) == len({p.company for p in demo.PAIRS if p.company}) + len(demo.EXTRA_COMPANIES)
    for company in companies:
        assert is_valid_enterprise_number(company.enterprise_number), company
        assert company.enterprise_number.startswith("1900"), company
        assert [s.is_main for s in company.sites.all()].count(True) == 1, company
        assert 1 <= len(company.sites.all()) <= 3, company
        assert company.email.endswith(".demo")


@pytest.mark.django_db
def test_every_company_activity_is_linked_to_its_nace_division():
    seed()

    activities = list(CompanyActivity.objects.select_related("division"))
    assert activities
    assert [a for a in activities if a.division is None or a.division.code != a.nace_code[:2]] == []
    assert CompanyActivity.objects.filter(company__name="BASF Antwerpen", nace_code="20.141").exists()


@pytest.mark.django_db
def test_every_school_and_site_has_coordinates_from_the_postcode_table_and_schools_a_region():
    seed()

    for school in School.objects.select_related("region"):
        place = Postcode.objects.resolve(school.postcode, school.municipality)
        assert place is not None, school
        assert (school.latitude, school.longitude) == (place.latitude, place.longitude), school
        assert school.region.slug == demo.region_slug_for(postcode=school.postcode, province=place.province)
        assert school.study_areas.exists(), school
        assert school.network, school
    for site in CompanySite.objects.all():
        place = Postcode.objects.resolve(site.postcode, site.municipality)
        assert place is not None, site
        assert (site.latitude, site.longitude) == (place.latitude, place.longitude), site


@pytest.mark.django_db
def test_demo_schools_are_spread_over_all_six_regions():
    seed()

    regions_with_schools = set(School.objects.values_list("region__slug", flat=True))
    assert regions_with_schools == set(Region.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_the_current_edition_on_24_november_2026_is_2026_2027():
    seed()

    current = Edition.objects.current(today=TODAY)
    assert current is not None
    assert (current.slug, current.name) == ("2026-2027", "STEMpact 2026-2027")
    assert (current.registration_closes_on, current.finale_on, current.ends_on) == (
        dt.date(2026, 11, 30),
        dt.date(2027, 5, 28),
        dt.date(2027, 8, 31),
    )
    previous = Edition.objects.get(slug="2025-2026")
    assert previous.finale_on == dt.date(2026, 5, 28)
    for edition in (current, previous):
        edition.full_clean()


@pytest.mark.django_db
def test_participations_register_all_schools_now_and_the_first_edition_before():
    seed()

    current = Participation.objects.filter(edition__slug="2026-2027")
    previous = Participation.objects.filter(edition__slug="2025-2026")
    assert current.count() == School.objects.count()
    assert sorted(previous.values_list("school__name", flat=True)) == sorted(
        p.school.name for p in demo.FIRST_EDITION_PAIRS
    )
    assert len(demo.FIRST_EDITION_PAIRS) == 20
    assert {"registered", "baseline", "matched"} == set(current.values_list("status", flat=True))
    assert sorted(previous.filter(status="awarded").values_list("school__name", flat=True)) == [
        "Novaplus",
        "Sjabi secundair",
    ]


@pytest.mark.django_db
def test_seed_demo_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0


# --------------------------------------------------------------------------- --scale large


def is_flemish(address: School | CompanySite) -> bool:
    """The address is a Flemish place of the Postcode table, with that place's coordinates."""
    place = Postcode.objects.resolve(address.postcode, address.municipality)
    return (
        place is not None
        and place.province in demo.FLEMISH_PROVINCES
        and place.municipality.casefold() == address.municipality.casefold()
        and (place.latitude, place.longitude) == (address.latitude, address.longitude)
    )


@pytest.mark.django_db
def test_build_large_creates_the_counts_asked_on_flemish_postcodes():
    report = demo.build_large(schools=50, companies=300)

    schools = list(demo.generated_schools().select_related("region"))
    companies = list(demo.generated_companies())
    assert (len(schools), len(companies)) == (50, 300)
    assert report.created["schools"] == 50
    assert report.created["companies"] == 300
    assert all(s.name.endswith(" (demo)") and s.email.endswith("@scholen.stempact.demo") for s in schools)
    assert all(c.name.endswith(" (demo)") and c.email.endswith("@bedrijven.stempact.demo") for c in companies)
    assert all(is_valid_enterprise_number(c.enterprise_number) for c in companies)
    assert len({c.enterprise_number for c in companies}) == 300
    for school in schools:
        assert is_flemish(school), school
        province = Postcode.objects.filter(code=school.postcode).values_list("province", flat=True).first()
        assert school.region.slug == demo.region_slug_for(postcode=school.postcode, province=province)
    sites = list(CompanySite.objects.filter(company__in=companies))
    assert [site for site in sites if not is_flemish(site)] == []
    per_company = [c.sites.count() for c in companies]
    assert min(per_company) >= 1 and max(per_company) <= 3
    assert CompanySite.objects.filter(company__in=companies, is_main=True).count() == 300
    assert CompanyActivity.objects.filter(company__in=companies, division__isnull=True).count() == 0
    assert School.study_areas.through.objects.filter(school__in=schools).count() >= 100


@pytest.mark.django_db
def test_build_large_twice_adds_nothing_and_larger_counts_add_only_the_rest():
    demo.build_large(schools=50, companies=300)
    first = row_counts()
    first_schools = set(demo.generated_schools().values_list("name", "postcode", "email"))

    again = demo.build_large(schools=50, companies=300)
    assert row_counts() == first
    assert (again.skipped["schools"], again.skipped["companies"]) == (50, 300)
    assert (again.created["schools"], again.created["companies"]) == (0, 0)

    demo.build_large(schools=60, companies=320)
    assert (demo.generated_schools().count(), demo.generated_companies().count()) == (60, 320)
    assert first_schools <= set(demo.generated_schools().values_list("name", "postcode", "email"))


@pytest.mark.django_db
def test_seed_demo_scale_large_reports_what_it_generated_and_how_long_it_took():
    output = seed("--scale", "large", "--schools", "12", "--companies", "30")

    assert "Generating 12 schools and 30 companies" in output
    assert re.search(r"Generated data \(--scale large\) \(\d+\.\d s\)", output)
    assert re.search(r"Done in \d+\.\d s\.", output)
    assert (demo.generated_schools().count(), demo.generated_companies().count()) == (12, 30)
    assert User.objects.filter(email__endswith="@stempact.demo").count() == 5

    again = seed("--scale", "large", "--schools", "12", "--companies", "30")
    assert (demo.generated_schools().count(), demo.generated_companies().count()) == (12, 30)
    assert re.search(r"schools\s+0\s+0\s+12", again)
    generated = Participation.objects.filter(school__in=demo.generated_schools())
    assert generated.count() == 12
    with_baseline = generated.filter(measurements__kind="baseline", measurements__status="finalised").distinct()
    assert 0 < with_baseline.count() < 12
    assert re.search(r"Finalised baselines of generated schools: \d+ created", output)


@pytest.mark.django_db
def test_large_data_leaves_the_curated_demo_alone():
    seed()
    curated = row_counts()

    demo.build_large(schools=20, companies=40)

    assert School.objects.count() == curated["schools"] + 20
    assert Company.objects.count() == curated["companies"] + 40
    assert Participation.objects.exclude(school__in=demo.generated_schools()).count() == curated["participations"]
    # The generated schools are registered in the current edition, so matching can be measured on a full edition.
    generated = Participation.objects.filter(school__in=demo.generated_schools())
    assert generated.count() == 20
    assert set(generated.values_list("edition", flat=True)) == {Edition.objects.current().pk}


def test_generators_are_deterministic_and_prefix_stable():
    places = [
        demo.Place("2000", "Antwerpen", "Antwerpen", 51.22, 4.40),
        demo.Place("3600", "Genk", "Limburg", 50.97, 5.50),
        demo.Place("9000", "Gent", "Oost-Vlaanderen", 51.05, 3.72),
    ]

    assert demo.generate_schools(count=30, places=places) == demo.generate_schools(count=30, places=places)
    assert demo.generate_schools(count=40, places=places)[:30] == demo.generate_schools(count=30, places=places)
    assert demo.generate_companies(count=40, places=places)[:25] == demo.generate_companies(count=25, places=places)
    schools = demo.generate_schools(count=200, places=places)
    assert len({(s.name, s.place.code) for s in schools}) == 200


def test_generated_employees_are_skewed_toward_small_companies():
    places = [demo.Place("8500", "Kortrijk", "West-Vlaanderen", 50.83, 3.26)]
    employees = sorted(c.employees for c in demo.generate_companies(count=2000, places=places))

    median = employees[len(employees) // 2]
    assert 5 <= median <= 60
    assert employees[-1] > 10 * median


@pytest.mark.parametrize(
    ("postcode", "province", "region"),
    [
        ("2000", "Antwerpen", "antwerpen-waasland"),
        ("2018", "Antwerpen", "antwerpen-waasland"),
        ("2070", "Oost-Vlaanderen", "antwerpen-waasland"),  # Zwijndrecht, filed under the wrong province
        ("2850", "Antwerpen", "antwerpen-waasland"),  # Boom
        ("2390", "Antwerpen", "antwerpen-waasland"),  # Malle
        ("2800", "Antwerpen", "mechelen-kempen"),  # Mechelen
        ("2870", "Antwerpen", "mechelen-kempen"),  # Puurs-Sint-Amands
        ("2300", "Antwerpen", "mechelen-kempen"),  # Turnhout
        ("2560", "Antwerpen", "mechelen-kempen"),  # Nijlen
        ("9100", "Oost-Vlaanderen", "antwerpen-waasland"),  # Sint-Niklaas
        ("9250", "Oost-Vlaanderen", "antwerpen-waasland"),  # Waasmunster
        ("9185", "Oost-Vlaanderen", "oost-vlaanderen"),  # Wachtebeke
        ("9000", "Oost-Vlaanderen", "oost-vlaanderen"),
        ("3600", "Limburg", "limburg"),
        ("1930", "Vlaams-Brabant", "vlaams-brabant"),
        ("8000", "West-Vlaanderen", "west-vlaanderen"),
    ],
)
def test_region_rule(postcode, province, region):
    assert demo.region_slug_for(postcode=postcode, province=province) == region


def test_region_rule_rejects_postcodes_outside_flanders():
    with pytest.raises(ValueError, match="Flemish"):
        demo.region_slug_for(postcode="4000", province="Luik")
