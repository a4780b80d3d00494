"""Decisions on matches: propose, accept per side, reject, no match, exclude — each logged on the match."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from matching import decisions
from matching.models import ExcludedPair, Match
from matching.tests.helpers import profile
from partners.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """The assertions read the English source strings, whatever the Dutch catalogue says."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} .+: .+$")


def participation_of(world, school=None):
    return (school or world.school).participations.get(edition=world.edition)


@pytest.fixture
def mentors(world):
    profile(world.company, world.edition, capacity=2, elements=(1, 2), areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, elements=(3,), areas=("bouw",))
    return world


def test_proposing_records_the_score_and_parts_and_logs_who_proposed(mentors):
    adviser = mentors.users["adviser"]
    match = decisions.match_propose(
        participation=participation_of(mentors), company=mentors.company, by=adviser, note="Sterke chemie"
    )
    assert match.status == Match.Status.PROPOSED
    assert 0 <= match.score <= 1
    assert set(match.parts) == {"need", "proximity", "sector", "resources", "willingness", "continuity"}
    assert match.decided_by == adviser
    [line] = match.note.splitlines()
    assert LOG_LINE.match(line)
    assert line.endswith("proposed BASF Antwerpen – Sterke chemie")


def test_a_new_proposal_supersedes_the_open_one_of_that_school(mentors):
    participation = participation_of(mentors)
    adviser = mentors.users["adviser"]
    first = decisions.match_propose(participation=participation, company=mentors.company, by=adviser)
    second = decisions.match_propose(participation=participation, company=mentors.other_company, by=adviser)
    first.refresh_from_db()
    assert first.status == Match.Status.REJECTED
    assert "superseded" in first.note.splitlines()[-1]
    assert second.status == Match.Status.PROPOSED


def test_proposing_leaves_other_schools_proposals_alone(mentors):
    adviser = mentors.users["adviser"]
    other = decisions.match_propose(
        participation=participation_of(mentors, mentors.other_school), company=mentors.company, by=adviser
    )
    decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=adviser)
    other.refresh_from_db()
    assert other.status == Match.Status.PROPOSED


def test_both_sides_accepting_makes_the_match_active_and_the_school_matched(mentors):
    participation = participation_of(mentors)
    match = decisions.match_propose(participation=participation, company=mentors.company, by=None)
    match = decisions.match_accept(match=match, by=mentors.users["own_school"], side="school")
    assert match.status == Match.Status.PROPOSED
    assert match.school_accepted_at is not None and match.company_accepted_at is None
    match = decisions.match_accept(match=match, by=mentors.users["company"], side="company")
    assert match.status == Match.Status.ACTIVE
    participation.refresh_from_db()
    assert participation.status == Participation.Status.MATCHED
    assert all(LOG_LINE.match(line) for line in match.note.splitlines())
    assert len(match.note.splitlines()) == 4  # proposed, school, company, active


def test_accepting_twice_changes_nothing(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    first = decisions.match_accept(match=match, by=None, side="school").school_accepted_at
    again = decisions.match_accept(match=match, by=None, side="school")
    assert again.school_accepted_at == first
    assert again.status == Match.Status.PROPOSED


def test_a_rejected_match_cannot_be_accepted(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    decisions.match_reject(match=match, by=None, reason="Te ver")
    with pytest.raises(ValidationError):
        decisions.match_accept(match=match, by=None, side="school")


def test_rejecting_needs_a_reason(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    with pytest.raises(ValidationError):
        decisions.match_reject(match=match, by=mentors.users["adviser"], reason="   ")
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    decisions.match_reject(match=match, by=mentors.users["adviser"], reason="Concurrent van de ouders")
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert match.note.splitlines()[-1].endswith("rejected – Concurrent van de ouders")


def test_no_match_closes_open_proposals_and_records_the_reason(mentors):
    participation = participation_of(mentors)
    proposed = decisions.match_propose(participation=participation, company=mentors.company, by=None)
    record = decisions.match_no_match(participation=participation, by=mentors.users["adviser"], reason="Geen bedrijf")
    proposed.refresh_from_db()
    assert proposed.status == Match.Status.REJECTED
    assert record.status == Match.Status.NO_MATCH and record.company is None
    assert record.note.endswith("no match – Geen bedrijf")
    with pytest.raises(ValidationError):
        decisions.match_no_match(participation=participation, by=None, reason="")


def test_an_active_match_blocks_new_proposals_and_no_match(mentors):
    participation = participation_of(mentors)
    match = decisions.match_propose(participation=participation, company=mentors.company, by=None)
    decisions.match_accept(match=match, by=None, side="school")
    decisions.match_accept(match=match, by=None, side="company")
    with pytest.raises(ValidationError):
        decisions.match_propose(participation=participation, company=mentors.other_company, by=None)
    with pytest.raises(ValidationError):
        decisions.match_no_match(participation=participation, by=None, reason="Toch niet")


def test_excluding_a_pair_rejects_its_open_proposal_and_blocks_proposing_it(mentors):
    participation = participation_of(mentors)
    match = decisions.match_propose(participation=participation, company=mentors.company, by=None)
    pair = decisions.pair_exclude(
        participation=participation, company=mentors.company, by=mentors.users["adviser"], reason="Concurrent"
    )
    assert pair == ExcludedPair.objects.get(participation=participation, company=mentors.company)
    assert pair.reason == "Concurrent"
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED
    assert match.note.splitlines()[-1].endswith("excluded – Concurrent")
    with pytest.raises(ValidationError):
        decisions.match_propose(participation=participation, company=mentors.company, by=None)
    with pytest.raises(ValidationError):
        decisions.pair_exclude(participation=participation, company=mentors.other_company, by=None, reason=" ")
