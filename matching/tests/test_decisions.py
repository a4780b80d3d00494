"""Decisions on matches: propose, accept per side, reject, no match, exclude — each logged on the match."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from matching import decisions
from matching.models import ExcludedPair, Match
from matching.services import ProposedPair
from matching.tests.helpers import profile
from partners.models import Participation
from partners.tests import factories as f

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


# --------------------------------------------------------------------------- code review (issue 4): state rules


def test_accepting_is_refused_when_the_school_already_has_another_active_match(mentors):
    participation = participation_of(mentors)
    Match.objects.create(participation=participation, company=mentors.other_company, status=Match.Status.ACTIVE)
    stray = Match.objects.create(participation=participation, company=mentors.company)  # an open proposal left over
    with pytest.raises(ValidationError) as refused:
        decisions.match_accept(match=stray, by=None, side="school")
    assert refused.value.code == "already_matched"
    stray.refresh_from_db()
    assert (stray.status, stray.school_accepted_at) == (Match.Status.PROPOSED, None)


def test_a_match_becoming_active_closes_the_schools_other_open_proposals(mentors):
    participation = participation_of(mentors)
    # Two open proposals for one school (left over from before one open proposal per school was enforced).
    chosen = Match.objects.create(participation=participation, company=mentors.company)
    other = Match.objects.create(participation=participation, company=mentors.other_company)
    decisions.match_accept(match=chosen, by=None, side="school")
    decisions.match_accept(match=chosen, by=mentors.users["company"], side="company")
    other.refresh_from_db()
    assert other.status == Match.Status.REJECTED
    assert LOG_LINE.match(other.note.splitlines()[-1])
    assert other.note.splitlines()[-1].endswith("closed: another match is active")


def test_the_database_holds_at_most_one_active_match_per_school(mentors):
    participation = participation_of(mentors)
    Match.objects.create(participation=participation, company=mentors.company, status=Match.Status.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(participation=participation, company=mentors.other_company, status=Match.Status.ACTIVE)
    # Any number of closed matches is fine.
    Match.objects.create(participation=participation, company=mentors.other_company, status=Match.Status.REJECTED)
    Match.objects.create(participation=participation, company=mentors.other_company, status=Match.Status.REJECTED)


def test_proposing_a_full_company_is_refused_with_the_places_taken(mentors):
    # Umicore mentors one school: the other school holds its only place.
    decisions.match_propose(
        participation=participation_of(mentors, mentors.other_school), company=mentors.other_company, by=None
    )
    with pytest.raises(ValidationError) as refused:
        decisions.match_propose(participation=participation_of(mentors), company=mentors.other_company, by=None)
    assert refused.value.messages == ["Umicore is full in this edition (1 of 1 places taken)."]
    assert not Match.objects.filter(participation=participation_of(mentors)).exists()


def test_an_active_match_takes_a_place_too(mentors):
    far = participation_of(mentors, mentors.far_school)
    Match.objects.create(participation=far, company=mentors.other_company, status=Match.Status.ACTIVE)
    with pytest.raises(ValidationError):
        decisions.match_propose(participation=participation_of(mentors), company=mentors.other_company, by=None)


def test_proposing_a_company_without_a_mentor_profile_is_refused(mentors):
    stranger = f.CompanyFactory(name="Geen Mentor NV")
    with pytest.raises(ValidationError) as refused:
        decisions.match_propose(participation=participation_of(mentors), company=stranger, by=None)
    assert refused.value.code == "no_profile"


def test_proposing_the_same_company_again_keeps_the_open_proposal_and_its_acceptance(mentors):
    participation = participation_of(mentors)
    first = decisions.match_propose(participation=participation, company=mentors.company, by=None, note="Dichtbij")
    decisions.match_accept(match=first, by=None, side="school")
    again = decisions.match_propose(
        participation=participation, company=mentors.company, by=mentors.users["adviser"], note="Nog eens bekeken"
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.status == Match.Status.PROPOSED and again.school_accepted_at is not None
    assert again.note.splitlines()[-1].endswith("proposed BASF Antwerpen again – Nog eens bekeken")
    assert Match.objects.filter(participation=participation).count() == 1


def _pair(world, school, company):
    return ProposedPair(participation_of(world, school), company, 0.5, {})


def test_recording_an_assignment_pair_for_a_full_company_is_refused(mentors):
    decisions.match_propose(
        participation=participation_of(mentors, mentors.other_school), company=mentors.other_company, by=None
    )
    with pytest.raises(ValidationError) as refused:
        decisions.assignment_accept(pairs=[_pair(mentors, mentors.school, mentors.other_company)], by=None)
    assert refused.value.messages == ["Umicore is full in this edition (1 of 1 places taken)."]
    assert not Match.objects.filter(participation=participation_of(mentors)).exists()


def test_an_assignment_that_swaps_two_schools_companies_fits_within_capacity(mentors):
    mentors.company.mentor_profiles.update(capacity=1)
    own, other = participation_of(mentors), participation_of(mentors, mentors.other_school)
    decisions.match_propose(participation=own, company=mentors.company, by=None)
    decisions.match_propose(participation=other, company=mentors.other_company, by=None)
    # Both companies are full; swapping them frees each place before it is taken again.
    created = decisions.assignment_accept(
        pairs=[
            _pair(mentors, mentors.other_school, mentors.company),
            _pair(mentors, mentors.school, mentors.other_company),
        ],
        by=None,
    )
    assert len(created) == 2
    open_now = set(Match.objects.filter(status=Match.Status.PROPOSED).values_list("participation", "company"))
    assert open_now == {(other.pk, mentors.company.pk), (own.pk, mentors.other_company.pk)}


def test_recording_an_assignment_never_supersedes_a_half_accepted_proposal(mentors):
    participation = participation_of(mentors)
    held = decisions.match_propose(participation=participation, company=mentors.other_company, by=None)
    decisions.match_accept(match=held, by=None, side="company")
    created = decisions.assignment_accept(pairs=[_pair(mentors, mentors.school, mentors.company)], by=None)
    assert created == []
    held.refresh_from_db()
    assert held.status == Match.Status.PROPOSED and held.company_accepted_at is not None
