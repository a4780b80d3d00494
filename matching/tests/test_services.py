"""Ranking and assignment on database data, as the adviser and the command line see them."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baseline.tests.factories import filled_measurement
from matching import decisions, services
from matching import features as features_module
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
    call_command("assign_mentors", "--edition", world.edition.slug, "--apply")
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


# --------------------------------------------------------------------------- code review (issue 4)


def test_assign_mentors_apply_supersedes_the_schools_open_proposal_and_logs_every_step(world, capsys):
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=3, areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, areas=("bouw",))
    far_away(world.other_company)
    own = participation_of(world)
    old = decisions.match_propose(participation=own, company=world.other_company, by=None)

    call_command("assign_mentors", "--edition", world.edition.slug, "--region", "antwerpen-waasland", "--apply")

    old.refresh_from_db()
    assert old.status == Match.Status.REJECTED
    assert old.note.splitlines()[-1].endswith("vervangen door een nieuw voorstel")
    [new] = Match.objects.filter(participation=own, status=Match.Status.PROPOSED)
    assert new.company == world.company
    assert "BASF Antwerpen voorgesteld – globale toewijzing, score" in new.note
    assert Match.objects.filter(status=Match.Status.PROPOSED).count() == 2  # both schools of the region


def test_assign_mentors_apply_proposes_again_a_pair_rejected_earlier(world):
    profile(world.company, world.edition, capacity=3)
    own = participation_of(world)
    earlier = decisions.match_propose(participation=own, company=world.company, by=None)
    decisions.match_reject(match=earlier, by=None, reason="Te vroeg")

    call_command("assign_mentors", "--edition", world.edition.slug, "--region", "antwerpen-waasland", "--apply")

    assert Match.objects.filter(participation=own, company=world.company, status=Match.Status.PROPOSED).exists()


def test_an_overbooked_company_gets_no_more_schools_than_its_capacity(world):
    profile(world.company, world.edition, capacity=4)
    schools = [participation_of(world), participation_of(world, world.other_school)]
    schools += [f.ParticipationFactory(edition=world.edition) for _ in range(2)]
    for participation in schools:
        decisions.match_propose(participation=participation, company=world.company, by=None)
    world.company.mentor_profiles.update(capacity=2)  # the company lowered its capacity afterwards

    proposal = services.assignment_proposal(edition=world.edition, region="antwerpen-waasland")

    assert sum(pair.company == world.company for pair in proposal) == 2


def test_a_school_whose_latest_decision_is_no_match_is_skipped(world):
    profile(world.company, world.edition, capacity=3)
    own, other = participation_of(world), participation_of(world, world.other_school)
    decisions.match_no_match(participation=own, by=None, reason="Geen bedrijf in de buurt")
    # An earlier "no match" followed by a new proposal is not skipped.
    decisions.match_no_match(participation=other, by=None, reason="Eerst niet")
    decisions.match_propose(participation=other, company=world.company, by=None)

    proposal = services.assignment_proposal(edition=world.edition, region="antwerpen-waasland")

    assert [pair.participation for pair in proposal] == [other]


def test_a_half_accepted_proposal_is_kept_by_the_assignment(world):
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=1, areas=("chemie",))
    # Without the acceptance, BASF's single place goes to the chemistry school; the company accepted the Technicum.
    other = participation_of(world, world.other_school)
    match = decisions.match_propose(participation=other, company=world.company, by=None)
    decisions.match_accept(match=match, by=None, side="company")

    proposal = {
        p.participation: p for p in services.assignment_proposal(edition=world.edition, region="antwerpen-waasland")
    }

    assert proposal[other].company == world.company and proposal[other].pinned
    assert proposal[participation_of(world)].company is None


def test_pinned_pairs_beyond_the_capacity_are_flagged(world):
    profile(world.company, world.edition, capacity=2)
    for school in (world.school, world.other_school):
        match = decisions.match_propose(participation=participation_of(world, school), company=world.company, by=None)
        decisions.match_pin(match=match, by=None, pinned=True)
    world.company.mentor_profiles.update(capacity=1)

    proposal = services.assignment_proposal(edition=world.edition, region="antwerpen-waasland")

    assert [(p.company, p.pinned, p.conflict) for p in proposal] == [(world.company, True, "over_capacity")] * 2


def test_moving_a_site_refreshes_the_cached_distance(world):
    profile(world.company, world.edition)
    before = services.ranking_for(participation=participation_of(world)).rows[0].distance_km
    far_away(world.company)  # the same site, moved to Brugge: count and ids of the sites stay the same
    after = services.ranking_for(participation=participation_of(world)).rows[0].distance_km
    assert before < 10 < 60 < after


def test_a_submitted_baseline_that_is_not_finalised_leaves_the_need_neutral(world):
    profile(world.company, world.edition)
    filled_measurement(participation_of(world), submit=True, level=1)
    assert services.ranking_for(participation=participation_of(world)).need_is_neutral is True


def test_ranking_sentences_read_the_study_area_names_once(world):
    world.school.study_areas.set(StudyArea.objects.filter(slug__in=["chemie", "bouw"]))
    profile(world.company, world.edition, areas=("chemie",))

    def queries() -> int:
        services.ranking_for(participation=participation_of(world))  # warms the company features
        with CaptureQueriesContext(connection) as captured:
            result = services.ranking_for(participation=participation_of(world))
        assert all("km" in row.sentence and ";" in row.sentence for row in result.rows)
        return len(captured)

    one = queries()
    for _ in range(3):
        profile(f.CompanyFactory(), world.edition, areas=("bouw",))
    assert queries() == one


def _edition_entered(order: int, year: int):
    """The same edition entered from scratch: schools and companies created in the given order (1 or -1)."""
    edition = f.EditionFactory(year=year)
    spots = [(51.2205, 4.4003, "chemie"), (51.0543, 3.7174, "bouw"), (50.9307, 5.3325, "chemie")]
    for i, (lat, lon, area) in list(enumerate(spots))[::order]:
        school = f.SchoolFactory(name=f"School {i} {year}", latitude=lat, longitude=lon)
        school.study_areas.set(StudyArea.objects.filter(slug=area))
        f.ParticipationFactory(edition=edition, school=school)
    for i, (lat, lon, area) in list(enumerate([*spots, (51.0, 4.0, "ict")]))[::order]:
        company = f.CompanyFactory(name=f"Bedrijf {i} {year}")
        CompanySite.objects.filter(company=company).update(latitude=lat + 0.01, longitude=lon + 0.01)
        profile(company, edition, capacity=1 + i % 2, areas=(area,), hours=4 * (i + 1))
    return edition


def test_the_proposal_is_the_same_from_scratch_whatever_the_order_of_entry(db):
    def by_name(edition):
        return [
            (
                p.participation.school.name.split()[1],
                p.company and p.company.name.split()[1],
                round(p.score or 0, 9),
                round(p.parts.get("proximity", 0), 9),
            )
            for p in services.assignment_proposal(edition=edition)
        ]

    forward, backward = _edition_entered(1, 2030), _edition_entered(-1, 2031)
    first = by_name(forward)
    features_module._cache.clear()  # built again from the database, not served from the cache
    assert by_name(forward) == first
    assert by_name(backward) == first
    # Every school gets the company at its own spot (nearby and in its study area), however the rows were entered.
    assert [(school, company) for school, company, _score, _near in first] == [("0", "0"), ("1", "1"), ("2", "2")]
    assert all(near > 0.9 for _school, _company, _score, near in first)
