"""Ranking and assignment on database data, as the adviser and the command line see them."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baseline.tests.factories import filled_measurement
from matching import decisions, services
from matching.features import school_features, schools_features, study_area_slugs
from matching.models import ExcludedPair, Match
from matching.tests.helpers import profile
from partners.models import CompanySite, StudyArea
from partners.tests import factories as f

pytestmark = pytest.mark.django_db


def participation_of(world, school=None):
    return (school or world.school).participations.get(edition=world.edition)


def far_away(company):
    CompanySite.objects.filter(company=company).update(postcode="8000", latitude=51.2093, longitude=3.2247)


def test_ranking_puts_the_nearby_fitting_company_first_and_explains_it(world):
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, areas=("chemie",))
    profile(world.other_company, world.edition, areas=("bouw",))
    far_away(world.other_company)
    result = services.ranking_for(participation=participation_of(world))
    assert [r.company for r in result.rows] == [world.company, world.other_company]
    best = result.rows[0]
    assert set(best.parts) == {"need", "proximity", "sector", "resources", "willingness", "continuity"}
    assert all(0 <= v <= 1 for v in best.parts.values()) and 0 <= best.total <= 1
    assert best.distance_km < 10 < result.rows[1].distance_km
    assert "Chemie" in best.sentence
    assert result.need_is_neutral is True


def test_a_finalised_baseline_makes_the_need_count(world):
    profile(world.company, world.edition)
    filled_measurement(participation_of(world), finalise=True, level=1)
    result = services.ranking_for(participation=participation_of(world))
    assert result.need_is_neutral is False
    assert result.rows[0].parts["need"] != 0.5


def test_companies_without_a_profile_are_not_proposed_and_excluded_pairs_say_why(world):
    profile(world.company, world.edition)
    ExcludedPair.objects.create(participation=participation_of(world), company=world.company, reason="Concurrent")
    result = services.ranking_for(participation=participation_of(world))
    assert result.rows == []
    assert [(x.company, "Concurrent" in x.reason) for x in result.left_out] == [(world.company, True)]


def test_assignment_respects_capacity_and_pinned_pairs_and_writes_only_with_apply(world):
    profile(world.company, world.edition, capacity=1)
    profile(world.other_company, world.edition, capacity=2)
    proposal = services.assignment_proposal(edition=world.edition)
    chosen = [p.company for p in proposal]
    assert len(proposal) == 3 and None not in chosen
    assert chosen.count(world.company) <= 1 and chosen.count(world.other_company) <= 2
    assert Match.objects.count() == 0
    services.assignment_apply(proposal=proposal, by=None)
    assert Match.objects.filter(status=Match.Status.PROPOSED).count() == 3


def test_pinned_pair_is_kept_even_when_another_school_would_score_higher(world):
    profile(world.company, world.edition, capacity=1)
    profile(world.other_company, world.edition, capacity=2)
    far = participation_of(world, world.far_school)
    Match.objects.create(participation=far, company=world.company, pinned=True)
    proposal = {p.participation: p.company for p in services.assignment_proposal(edition=world.edition)}
    assert proposal[far] == world.company
    assert list(proposal.values()).count(world.company) == 1


def test_commands_print_the_ranking_and_the_assignment_as_json(world, capsys):
    profile(world.company, world.edition)
    call_command("rank_companies", "--school", world.school.name, "--edition", world.edition.slug, "--json")
    ranking = json.loads(capsys.readouterr().out)
    assert [r["company"] for r in ranking["ranking"]] == [world.company.name]
    call_command("assign_mentors", "--edition", world.edition.slug, "--region", "limburg", "--json")
    assignment = json.loads(capsys.readouterr().out)["assignment"]
    assert [(a["school"], a["company"]) for a in assignment] == [(world.far_school.name, world.company.name)]
    assert Match.objects.count() == 0


def test_no_company_capacity_left_means_the_school_gets_none(db):
    edition = f.EditionFactory()
    school = f.SchoolFactory()
    participation = f.ParticipationFactory(edition=edition, school=school)
    company = f.CompanyFactory()
    profile(company, edition, capacity=0)
    [pair] = services.assignment_proposal(edition=edition)
    assert (pair.participation, pair.company) == (participation, None)


def _register_schools(edition, count, *, baselines):
    participations = []
    for _ in range(count):
        participation = f.ParticipationFactory(edition=edition)
        participation.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
        if baselines:
            filled_measurement(participation, finalise=True, level=1)
        participations.append(participation)
    return participations


def test_assignment_proposal_loads_the_schools_in_a_constant_number_of_queries(world):
    profile(world.company, world.edition, capacity=20)
    _register_schools(world.edition, 2, baselines=True)
    services.assignment_proposal(edition=world.edition)  # warms the company feature cache
    with CaptureQueriesContext(connection) as few:
        small = services.assignment_proposal(edition=world.edition)
    _register_schools(world.edition, 6, baselines=True)
    services.assignment_proposal(edition=world.edition)
    with CaptureQueriesContext(connection) as many:
        large = services.assignment_proposal(edition=world.edition)
    assert len(large) == len(small) + 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_bulk_school_features_equal_the_single_school_ones(world):
    with_baseline, without = _register_schools(world.edition, 1, baselines=True) + _register_schools(
        world.edition, 1, baselines=False
    )
    slugs = study_area_slugs()
    bulk = schools_features(participations=[with_baseline, without], area_slugs=slugs)
    for participation in (with_baseline, without):
        single = school_features(participation=participation, area_slugs=slugs)
        together = bulk[participation.pk]
        assert (single.need is None) == (together.need is None)
        if single.need is not None:
            assert single.need.tolist() == together.need.tolist()
        assert single.target_areas.tolist() == together.target_areas.tolist()
        assert (single.lat, single.lon, single.previous_partners) == (
            together.lat,
            together.lon,
            together.previous_partners,
        )
    assert bulk[with_baseline.pk].need is not None and bulk[without.pk].need is None


def test_a_proposed_pair_outside_the_kept_candidates_still_gets_its_true_score_and_parts(world, monkeypatch):
    profile(world.company, world.edition, capacity=1)
    profile(world.other_company, world.edition, capacity=1)
    _register_schools(world.edition, 2, baselines=True)
    everything = services.assignment_proposal(edition=world.edition)
    monkeypatch.setattr(services, "KEPT_PARTS", 1)  # most chosen pairs now fall outside the kept candidates
    few_kept = services.assignment_proposal(edition=world.edition)
    assert [(p.participation, p.company, p.score, p.parts) for p in few_kept] == [
        (p.participation, p.company, p.score, p.parts) for p in everything
    ]
    assert sum(p.company is not None for p in few_kept) == 2


def test_the_company_proposed_to_a_school_is_not_full_in_that_schools_own_ranking(world):
    profile(world.company, world.edition, capacity=1)
    decisions.match_propose(participation=participation_of(world), company=world.company, by=None)

    own = services.ranking_for(participation=participation_of(world))
    other = services.ranking_for(participation=participation_of(world, world.other_school))

    assert [r.company for r in own.rows] == [world.company]
    assert [(x.company, x.reason) for x in other.left_out] == [(world.company, "volzet in deze editie")]
