"""factory-boy factories for the partners app. No side effects beyond the rows they build."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from partners.enterprise import enterprise_check_digits
from partners.models import (
    Company,
    CompanySite,
    Edition,
    Membership,
    Participation,
    Region,
    Role,
    School,
    User,
)

PASSWORD = "correct-horse-battery-staple"


def region(slug: str = "antwerpen-waasland") -> Region:
    """The reference regions are loaded by a migration: fetch, never create."""
    return Region.objects.get(slug=slug)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.be")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sint-Testinstituut {n}")
    street = "Schoolstraat 1"
    postcode = "2000"
    municipality = "Antwerpen"
    latitude = 51.2205
    longitude = 4.4003
    region = factory.LazyFunction(region)
    network = School.Network.KATHOLIEK
    pupils = 800


def _enterprise_number(n: int) -> str:
    first_eight = f"0{400000 + n:07d}"
    return first_eight + enterprise_check_digits(first_eight)


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testbedrijf {n} NV")
    enterprise_number = factory.Sequence(_enterprise_number)
    employees = 120

    @factory.post_generation
    def main_site(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not False:
            CompanySite.objects.create(
                company=obj,
                name="Hoofdzetel",
                street="Industrieweg 10",
                postcode="2030",
                municipality="Antwerpen",
                latitude=51.2667,
                longitude=4.4,
                is_main=True,
            )


class EditionFactory(DjangoModelFactory):
    """An edition covering the school year that contains `year`-09-01."""

    class Meta:
        model = Edition

    class Params:
        year = 2026

    name = factory.LazyAttribute(lambda o: f"STEMpact {o.year}-{o.year + 1}")
    slug = factory.LazyAttribute(lambda o: f"{o.year}-{o.year + 1}")
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year, 9, 1))
    registration_closes_on = factory.LazyAttribute(lambda o: dt.date(o.year, 11, 30))
    baseline_opens_on = factory.LazyAttribute(lambda o: dt.date(o.year, 11, 1))
    baseline_closes_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 20))
    networks_start_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 1, 15))
    networks_end_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 3, 31))
    plan_deadline = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 4, 30))
    jury_opens_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 5, 1))
    jury_closes_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 5, 20))
    finale_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 5, 28))
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 8, 31))


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    edition = factory.SubFactory(EditionFactory)
    school = factory.SubFactory(SchoolFactory)


def membership(user: User, role: str, **scope: object) -> Membership:
    return Membership.objects.create(user=user, role=role, **scope)


def coordinator() -> User:
    user = UserFactory()
    membership(user, Role.COORDINATOR)
    return user


def adviser(region_slug: str = "antwerpen-waasland") -> User:
    user = UserFactory()
    membership(user, Role.ADVISER, region=region(region_slug))
    return user


def school_member(school: School) -> User:
    user = UserFactory()
    membership(user, Role.SCHOOL, school=school, function=Membership.SchoolFunction.TAC)
    return user


def company_member(company: Company) -> User:
    user = UserFactory()
    membership(user, Role.COMPANY, company=company)
    return user


def juror(edition: Edition | None = None) -> User:
    user = UserFactory()
    membership(user, Role.JUROR, edition=edition)
    return user
