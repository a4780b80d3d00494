"""The matching pages: who may rank, propose, accept and list; what each of them sees."""

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from matching import decisions
from matching.models import ExcludedPair, Match
from matching.tests.helpers import profile
from partners.models import CompanySite, Participation, StudyArea
from partners.tests import factories as f
from partners.tests.roles import check_role_matrix, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """The assertions read the English source strings, whatever the Dutch catalogue says."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def participation_of(world, school=None):
    return (school or world.school).participations.get(edition=world.edition)


@pytest.fixture
def mentors(world):
    """Two mentor companies: BASF nearby and fitting chemistry, Umicore far away in construction."""
    world.school.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    profile(world.company, world.edition, capacity=2, elements=(1, 2), areas=("chemie",))
    profile(world.other_company, world.edition, capacity=1, elements=(3,), areas=("bouw",))
    CompanySite.objects.filter(company=world.other_company).update(postcode="8000", latitude=51.2093, longitude=3.2247)
    return world


def ranking_url(world):
    return reverse("matching:school-ranking", args=[participation_of(world).pk])


# --------------------------------------------------------------------------- role matrices


def test_ranking_page_role_matrix(mentors):
    check_role_matrix(
        mentors,
        lambda client: client.get(ranking_url(mentors)),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 403,
            "company": 404,
            "adviser_other_region": 404,
            "adviser": 200,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 200,
        },
    )


def test_propose_role_matrix(mentors):
    url = reverse("matching:match-propose", args=[participation_of(mentors).pk])
    check_role_matrix(
        mentors,
        lambda client: client.post(url, {"company": mentors.company.pk, "note": "Dichtbij"}),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 403,
            "company": 404,
            "adviser_other_region": 404,
            "adviser": 302,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 302,
        },
    )
    # The coordinator proposed the same company again: the adviser's open proposal stays, with both notes.
    [match] = Match.objects.all()
    assert match.status == Match.Status.PROPOSED
    assert [line.rsplit(" – ", 1)[-1] for line in match.note.splitlines()] == ["Dichtbij", "Dichtbij"]


def test_accept_role_matrix_lets_only_the_school_and_the_company_accept(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    url = reverse("matching:match-accept", args=[match.pk])
    check_role_matrix(
        mentors,
        lambda client: client.post(url),
        {
            "anonymous": 302,
            "other_school": 404,
            "own_school": 302,
            "company": 302,
            "adviser_other_region": 404,
            "adviser": 403,
            "juror": 404,
            "juror_with_conflict": 404,
            "coordinator": 403,
        },
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


def test_match_list_role_matrix(mentors):
    decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    check_role_matrix(
        mentors,
        lambda client: client.get(reverse("matching:match-list")),
        {
            "anonymous": 302,
            "other_school": 200,
            "own_school": 200,
            "company": 200,
            "adviser_other_region": 200,
            "adviser": 200,
            "juror": 403,
            "juror_with_conflict": 403,
            "coordinator": 200,
        },
    )


# --------------------------------------------------------------------------- what each one sees


def test_school_member_cannot_see_another_schools_ranking(mentors):
    other = reverse("matching:school-ranking", args=[participation_of(mentors, mentors.other_school).pk])
    assert client_for(mentors.users["own_school"]).get(other).status_code == 404


def test_company_member_never_sees_scores_of_other_companies(mentors):
    client = client_for(mentors.users["company"])
    for school in (mentors.school, mentors.other_school, mentors.far_school):
        url = reverse("matching:school-ranking", args=[participation_of(mentors, school).pk])
        assert client.get(url).status_code == 404


def test_ranking_page_shows_both_companies_by_score_with_their_sentence(mentors):
    response = client_for(mentors.users["adviser"]).get(ranking_url(mentors))
    rows = response.context["rows"]
    assert [row.company for row in rows] == [mentors.company, mentors.other_company]
    assert rows[0].total_percent >= rows[1].total_percent
    html = response.content.decode()
    assert html.index("BASF Antwerpen") < html.index("Umicore")
    for row in rows:
        assert row.sentence and row.sentence in html
        assert f'id="{row.chart_id}-title"' in html
    assert "No finalised baseline yet" in html


def test_ranking_filters_answer_htmx_with_the_results_fragment(mentors):
    response = client_for(mentors.users["adviser"]).get(
        ranking_url(mentors), {"max_distance_km": 20}, headers={"HX-Request": "true"}
    )
    assert [row.company for row in response.context["rows"]] == [mentors.company]
    html = response.content.decode()
    assert "<html" not in html
    assert "Umicore" in html  # left out: beyond the distance limit
    assert [x.company for x in response.context["ranking"].left_out] == [mentors.other_company]


def test_excluded_pair_leaves_the_ranking_and_shows_under_left_out_with_its_reason(mentors):
    client = client_for(mentors.users["adviser"])
    url = reverse("matching:pair-exclude", args=[participation_of(mentors).pk])
    response = client.post(url, {"company": mentors.company.pk, "reason": "Concurrent van een ouder"})
    assert response.status_code == 302
    assert ExcludedPair.objects.get().reason == "Concurrent van een ouder"
    response = client.get(ranking_url(mentors))
    assert [row.company for row in response.context["rows"]] == [mentors.other_company]
    [left_out] = response.context["ranking"].left_out
    assert left_out.company == mentors.company and "Concurrent van een ouder" in left_out.reason
    assert "Concurrent van een ouder" in response.content.decode()


def test_proposing_then_both_sides_accepting_makes_the_school_matched(mentors):
    participation = participation_of(mentors)
    adviser = client_for(mentors.users["adviser"])
    adviser.post(reverse("matching:match-propose", args=[participation.pk]), {"company": mentors.company.pk})
    match = Match.objects.get()
    assert match.status == Match.Status.PROPOSED and match.score is not None

    school = client_for(mentors.users["own_school"])
    listing = school.get(reverse("matching:match-list"))
    assert [(row.match, row.accept_side) for row in listing.context["rows"]] == [(match, "school")]
    assert "Accept for our school" in listing.content.decode()
    school.post(reverse("matching:match-accept", args=[match.pk]), {"side": "school"})

    company = client_for(mentors.users["company"])
    assert [row.accept_side for row in company.get(reverse("matching:match-list")).context["rows"]] == ["company"]
    company.post(reverse("matching:match-accept", args=[match.pk]), {"side": "company"})

    match.refresh_from_db()
    participation.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    assert participation.status == Participation.Status.MATCHED


def test_a_school_member_cannot_accept_for_the_company(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    response = client_for(mentors.users["own_school"]).post(
        reverse("matching:match-accept", args=[match.pk]), {"side": "company"}
    )
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.company_accepted_at is None


def test_rejecting_needs_a_reason(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    client = client_for(mentors.users["adviser"])
    url = reverse("matching:match-reject", args=[match.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    assert client.post(url, {"reason": "Past niet"}).status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.REJECTED


def test_school_member_cannot_reject(mentors):
    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    response = client_for(mentors.users["own_school"]).post(
        reverse("matching:match-reject", args=[match.pk]), {"reason": "Nee"}
    )
    assert response.status_code == 403


def test_no_match_needs_a_reason_and_is_recorded(mentors):
    participation = participation_of(mentors)
    client = client_for(mentors.users["adviser"])
    url = reverse("matching:no-match", args=[participation.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Geen bedrijf in de buurt"}).status_code == 302
    match = Match.objects.get()
    assert (match.status, match.company) == (Match.Status.NO_MATCH, None)


def test_match_list_shows_only_own_matches_to_school_and_company_members(mentors):
    mine = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    theirs = decisions.match_propose(
        participation=participation_of(mentors, mentors.other_school), company=mentors.other_company, by=None
    )
    far = decisions.match_propose(
        participation=participation_of(mentors, mentors.far_school), company=mentors.company, by=None
    )

    def listed(user):
        return [row.match for row in client_for(user).get(reverse("matching:match-list")).context["rows"]]

    assert listed(mentors.users["own_school"]) == [mine]
    assert listed(mentors.users["other_school"]) == [theirs]
    assert set(listed(mentors.users["company"])) == {mine, far}
    assert listed(f.company_member(mentors.other_company)) == [theirs]
    assert set(listed(mentors.users["adviser"])) == {mine, theirs}
    assert listed(mentors.users["adviser_other_region"]) == [far]
    assert set(listed(mentors.users["coordinator"])) == {mine, theirs, far}


def test_match_list_empty_state(mentors):
    response = client_for(mentors.users["adviser"]).get(reverse("matching:match-list"))
    assert response.context["rows"] == []
    assert "No matches yet in this edition." in response.content.decode()


def test_match_list_query_count_does_not_grow_with_matches(mentors):
    client = client_for(mentors.users["coordinator"])
    url = reverse("matching:match-list")
    schools = [mentors.school, mentors.other_school, mentors.far_school]

    def count() -> int:
        client.get(url)  # warm the session and the user's memberships
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    mentors.other_company.mentor_profiles.update(capacity=2)  # room for the two proposals below
    decisions.match_propose(participation=participation_of(mentors, schools[0]), company=mentors.company, by=None)
    one = count()
    for school in schools[1:]:
        decisions.match_propose(participation=participation_of(mentors, school), company=mentors.other_company, by=None)
    assert len(client.get(url).context["rows"]) == 3
    assert count() == one


def test_once_the_match_is_active_the_ranking_page_offers_nothing_to_propose(mentors):
    adviser = client_for(mentors.users["adviser"])
    before = adviser.get(ranking_url(mentors)).content.decode()
    assert "Propose</button>" in before and "Record no match" in before

    match = decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    decisions.match_accept(match=match, by=None, side="school")
    decisions.match_accept(match=match, by=None, side="company")

    after = adviser.get(ranking_url(mentors)).content.decode()
    assert "This school's match with BASF Antwerpen is active" in after
    assert "Propose</button>" not in after and "Record no match" not in after


# --------------------------------------------------------------------------- code review (issue 4)


def test_a_company_proposed_already_shows_a_badge_instead_of_the_propose_button(mentors):
    decisions.match_propose(participation=participation_of(mentors), company=mentors.company, by=None)
    response = client_for(mentors.users["adviser"]).get(ranking_url(mentors))
    held, other = response.context["rows"]
    assert (held.company, held.already_proposed, other.already_proposed) == (mentors.company, True, False)
    assert response.context["ranking"].held_company_ids == frozenset({mentors.company.pk})
    html = response.content.decode()
    card = html[
        html.index(f'id="company-{mentors.company.pk}"') : html.index(f'id="company-{mentors.other_company.pk}"')
    ]
    assert "Already proposed" in card and "Propose</button>" not in card
    assert html.count("Propose</button>") == 1  # Umicore can still be proposed


def test_match_list_links_cost_no_query_per_advised_region(mentors):
    adviser = mentors.users["adviser"]
    client = client_for(adviser)
    url = reverse("matching:match-list")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    one = count()
    for slug in ("limburg", "west-vlaanderen"):
        f.membership(adviser, "adviser", region=f.region(slug))
    assert count() == one


def test_form_fields_point_aria_describedby_at_their_error_and_help(mentors):
    class Example(forms.Form):
        reason = forms.CharField(label="Reason", help_text="Why, in a sentence.")

    page = render_to_string("partials/form_fields.html", {"form": Example(data={"reason": ""})})
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in page
    assert 'id="id_reason_error"' in page and 'id="id_reason_helptext"' in page
