"""A reusable role matrix for access tests.

`build_world()` creates the people of every role around one school ("own school") in Antwerpen-Waasland, with a
second school in the same region and one in Limburg, an own company and another company. Tests give the expected
status per role and `check_role_matrix` asserts each one, so a new page or endpoint gets its full matrix in one
parametrised test. Later apps extend the world (e.g. a juror with a declared conflict).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

from partners.models import Company, Edition, School, User
from partners.tests import factories as f

ROLES: tuple[str, ...] = (
    "anonymous",
    "other_school",
    "own_school",
    "company",
    "adviser_other_region",
    "adviser",
    "juror",
    "juror_with_conflict",
    "coordinator",
)


@dataclass
class World:
    edition: Edition
    school: School
    other_school: School
    far_school: School
    company: Company
    other_company: Company
    users: dict[str, User | None] = field(default_factory=dict)


def build_world() -> World:
    edition = f.EditionFactory()
    school = f.SchoolFactory(name="GO! Koninklijk Atheneum Antwerpen")
    other_school = f.SchoolFactory(name="Technicum Antwerpen")
    far_school = f.SchoolFactory(
        name="Katholiek Secundair Onderwijs Mol",
        postcode="3500",
        municipality="Hasselt",
        region=f.region("limburg"),
    )
    for s in (school, other_school, far_school):
        f.ParticipationFactory(edition=edition, school=s)
    company = f.CompanyFactory(name="BASF Antwerpen")
    other_company = f.CompanyFactory(name="Umicore")
    users: dict[str, User | None] = {
        "anonymous": None,
        "other_school": f.school_member(other_school),
        "own_school": f.school_member(school),
        "company": f.company_member(company),
        "adviser_other_region": f.adviser("limburg"),
        "adviser": f.adviser("antwerpen-waasland"),
        "juror": f.juror(edition),
        # The jury app records the conflict; until then this juror has the same rights as any juror.
        "juror_with_conflict": f.juror(edition),
        "coordinator": f.coordinator(),
    }
    return World(edition, school, other_school, far_school, company, other_company, users)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def check_role_matrix(
    world: World,
    request: Callable[[Client], object],
    expected: dict[str, int],
) -> None:
    """Call `request(client)` as every role and compare the status codes with `expected` (all roles required)."""
    assert set(expected) == set(ROLES), f"expected statuses for exactly these roles: {ROLES}"
    actual = {}
    for role in ROLES:
        response = request(client_for(world.users[role]))
        actual[role] = response.status_code  # type: ignore[attr-defined]
    assert actual == expected
