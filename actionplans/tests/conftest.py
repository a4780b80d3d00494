"""Fixtures of the action plan tests: the role world with an active match of its school and company, and its plan."""

import pytest

from actionplans import services
from actionplans.tests.factories import active_match


@pytest.fixture
def match(world):
    return active_match(world.school, world.company, world.edition)


@pytest.fixture
def plan(world, match):
    return services.plan_get_or_create(match=match, by=world.users["own_school"])


@pytest.fixture
def school_user(world):
    return world.users["own_school"]


@pytest.fixture
def company_user(world):
    return world.users["company"]
