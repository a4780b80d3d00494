"""Ranking mentor companies for a school, assigning a whole edition, and an edition's weights.

The decisions on matches (propose, accept, record an assignment, ...) are in decisions.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline.models import KeyElement
from partners.models import Company, Edition, Participation, StudyArea

from . import assignment, engine
from .features import EditionCompanies, company_features, school_features, schools_features
from .models import ExcludedPair, Match, MatchWeights

REASONS = {
    "full_capacity": gettext_lazy("full capacity this edition"),
    "beyond_distance": gettext_lazy("beyond the distance limit"),
    "excluded_pair": gettext_lazy("excluded for this school"),
    "other_study_area": gettext_lazy("does not fit the chosen study area"),
}


def weights_for(*, edition: Edition) -> tuple[engine.Weights, float | None]:
    config = MatchWeights.objects.filter(edition=edition).first()
    if config is None:
        return engine.Weights(), None
    weights = engine.Weights(
        need=config.need,
        proximity=config.proximity,
        sector=config.sector,
        resources=config.resources,
        willingness=config.willingness,
        continuity=config.continuity,
    )
    return weights, (float(config.max_distance_km) if config.max_distance_km else None)


def weights_save(*, edition: Edition, weights: engine.Weights, max_distance_km: int | None) -> MatchWeights:
    """Set the edition's matching weights and maximum distance (the coordinator's choice); creates them if needed."""
    weights.normalised()  # raises ValueError on negative, non-finite or all-zero weights
    config, _created = MatchWeights.objects.update_or_create(
        edition=edition,
        defaults={part: float(getattr(weights, part)) for part in engine.PARTS} | {"max_distance_km": max_distance_km},
    )
    return config


@dataclass(frozen=True)
class RankedCompany:
    company: Company
    total: float
    parts: dict[str, float]
    distance_km: float
    sentence: str


@dataclass(frozen=True)
class LeftOut:
    company: Company
    reason: str


@dataclass
class RankingResult:
    participation: Participation
    rows: list[RankedCompany] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    need_is_neutral: bool = False
    active_company: Company | None = None  # the school's mentor once a match is active: nothing left to propose
    held_company_ids: frozenset[int] = frozenset()  # companies the school has an open proposal of (not again)


def _excluded(participation: Participation) -> dict[int, str]:
    return dict(ExcludedPair.objects.filter(participation=participation).values_list("company_id", "reason"))


def _sentence(
    *,
    school: engine.SchoolFeatures,
    companies: EditionCompanies,
    row: int,
    elements: list[str],
    area_names: dict[str, str],
) -> str:
    """One plain sentence: distance; strength in one of the school's weakest elements; fitting study areas.

    `area_names` (slug -> name) is read once per ranking, not once per row."""
    why = engine.explain(row, school, companies.features)
    parts = [_("%(km)s km") % {"km": f"{why.distance_km:.0f}"}]
    if why.element is not None and why.element < len(elements):
        parts.append(_("strong in %(element)s, one of your weakest elements") % {"element": elements[why.element]})
    if why.study_areas:
        slugs = [companies.area_slugs[i] for i in why.study_areas[:2]]
        parts.append(_("core activity fits %(areas)s") % {"areas": ", ".join(area_names.get(s, s) for s in slugs)})
    return "; ".join(parts)


def ranking_for(
    *,
    participation: Participation,
    limit: int = 10,
    max_distance_km: float | None = None,
    study_area: str | None = None,
    weights: engine.Weights | None = None,
) -> RankingResult:
    """The best mentor companies for a school, with their score parts, a sentence each, and who was left out why.

    `weights` overrides the edition's weights (the weights page previews unsaved weights this way).
    """
    edition = participation.edition
    companies = company_features(edition=edition)
    edition_weights, edition_max = weights_for(edition=edition)
    weights = weights or edition_weights
    school = school_features(participation=participation, area_slugs=companies.area_slugs)
    excluded = _excluded(participation)
    area_index = companies.area_slugs.index(study_area) if study_area in companies.area_slugs else None
    held = frozenset(
        Match.objects.filter(
            participation=participation, status=Match.Status.PROPOSED, company__isnull=False
        ).values_list("company_id", flat=True)
    )
    ranking = engine.rank(
        school,
        companies.features,
        weights,
        limit=limit,
        max_distance_km=max_distance_km if max_distance_km is not None else edition_max,
        study_area=area_index,
        excluded=frozenset(excluded),
        held=held,
    )
    wanted = [row.company_id for row in ranking.rows] + [company_id for company_id, _reason in ranking.excluded]
    by_id = Company.objects.in_bulk(wanted)
    elements = [e.short_label for e in KeyElement.objects.filter(framework_id=_framework_id()).order_by("number")]
    active = (
        Match.objects.filter(participation=participation, status=Match.Status.ACTIVE, company__isnull=False)
        .select_related("company")
        .first()
    )
    result = RankingResult(
        participation=participation,
        need_is_neutral=ranking.need_is_neutral,
        active_company=active.company if active else None,
        held_company_ids=held,
    )
    area_names = dict(StudyArea.objects.values_list("slug", "name")) if ranking.rows else {}
    for row in ranking.rows:
        result.rows.append(
            RankedCompany(
                company=by_id[row.company_id],
                total=float(row.total),
                parts={k: float(v) for k, v in row.parts.items()},
                distance_km=float(row.distance_km),
                sentence=_sentence(
                    school=school, companies=companies, row=row.company_row, elements=elements, area_names=area_names
                ),
            )
        )
    for company_id, reason in ranking.excluded:
        text = str(REASONS.get(reason, reason))
        if reason == "excluded_pair" and excluded.get(company_id):
            text = f"{text}: {excluded[company_id]}"
        result.left_out.append(LeftOut(company=by_id[company_id], reason=text))
    return result


def _framework_id() -> int | None:
    return KeyElement.objects.order_by("-framework_id").values_list("framework_id", flat=True).first()


#: Per school, the score parts of this many best companies are kept while the assignment is solved.
KEPT_PARTS = 32


#: Why the assignment could not honour a kept (pinned or half-accepted) pair; the page warns about it.
CONFLICTS = {
    "over_capacity": gettext_lazy("Kept beyond the company's capacity"),
    "not_allowed": gettext_lazy("Kept, although this pair is no longer allowed (beyond the distance limit)"),
}


@dataclass(frozen=True)
class ProposedPair:
    participation: Participation
    company: Company | None
    score: float | None
    parts: dict[str, float]
    #: Kept as it is: a pinned proposal, or an open proposal the school or the company accepted already.
    pinned: bool = False
    #: A kept pair the assignment could not honour: "over_capacity" or "not_allowed" (see CONFLICTS); else "".
    conflict: str = ""


def no_match_decisions(participations: Sequence[Participation]) -> dict[int, Match]:
    """Per participation id, its "no match" record when that is the school's latest decision (one query).

    The assignment skips these schools: an adviser decided no company fits. A proposal made after the "no match"
    is a later decision, and the school takes part again.
    """
    latest: dict[int, Match] = {}
    matches = Match.objects.filter(participation__in=list(participations)).order_by(
        "participation_id", "-created_at", "-pk"
    )
    for match in matches:
        latest.setdefault(match.participation_id, match)
    return {pk: match for pk, match in latest.items() if match.status == Match.Status.NO_MATCH}


def decision_line(match: Match) -> str:
    """The last line of a match's history: when, who, what and why."""
    return match.note.splitlines()[-1] if match.note else ""


def proposal_fingerprint(proposal: Sequence[ProposedPair]) -> str:
    """A digest of which school gets which company, in order: the assignment page posts it back with "accept all",
    so only the proposal the user saw is recorded (a changed proposal is refused)."""
    text = ";".join(f"{p.participation.pk}:{p.company.pk if p.company else '-'}" for p in proposal)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _kept_pairs(participations: Sequence[Participation]) -> dict[int, int]:
    """Per participation id, the company of its open proposal that the assignment keeps as it is: a pinned one, or
    one the school or the company accepted already (never superseded half-way)."""
    kept = (
        Match.objects.filter(participation__in=list(participations), status=Match.Status.PROPOSED)
        .exclude(company=None)
        .filter(Q(pinned=True) | Q(school_accepted_at__isnull=False) | Q(company_accepted_at__isnull=False))
        .order_by("pk")
        .values_list("participation_id", "company_id")
    )
    return dict(kept)


def assignment_proposal(*, edition: Edition, region: str | None = None, fairness: bool = False) -> list[ProposedPair]:
    """Assign every school of the edition (or region) without an active match to a mentor company, optimally.

    Capacity is respected, pinned and half-accepted proposals are kept, excluded pairs never appear. Schools whose
    latest decision is "no match" are left out (see `no_match_decisions`). Writes nothing.
    """
    participations = list(
        Participation.objects.filter(edition=edition)
        .exclude(matches__status=Match.Status.ACTIVE)
        .filter(**({"school__region__slug": region} if region else {}))
        .select_related("school__region")
        .order_by("school__name", "pk")
    )
    skipped = no_match_decisions(participations)
    participations = [p for p in participations if p.pk not in skipped]
    companies = company_features(edition=edition)
    features = companies.features
    weights, max_distance = weights_for(edition=edition)
    rows_of = {int(c): i for i, c in enumerate(features.ids)}
    excluded_pairs = set(
        ExcludedPair.objects.filter(participation__in=participations).values_list("participation_id", "company_id")
    )
    pinned_matches = _kept_pairs(participations)
    # Only the (s, n) matrix of allowed totals is kept whole (the solver needs it; float32 halves its 150 MB for an
    # edition of 1,000 schools and 18,000 companies); of each school's parts, only those of its best candidates,
    # where the optimum almost always lands (another chosen pair is scored again).
    scores = np.full((len(participations), len(features.ids)), -np.inf, dtype=np.float32)
    kept: list[dict[int, tuple[float, np.ndarray]]] = []
    schools = schools_features(participations=participations, area_slugs=companies.area_slugs)
    excluded_by_school: dict[int, list[int]] = {}
    for participation_id, company_id in excluded_pairs:
        if company_id in rows_of:
            excluded_by_school.setdefault(participation_id, []).append(rows_of[company_id])
    for i, participation in enumerate(participations):
        scored = engine.score_all(schools[participation.pk], features, weights)
        allowed = scored.total.copy()
        if max_distance is not None:
            allowed[scored.distance_km > max_distance] = -np.inf
        allowed[excluded_by_school.get(participation.pk, [])] = -np.inf
        scores[i] = allowed
        best = np.argpartition(-allowed, KEPT_PARTS)[:KEPT_PARTS] if allowed.size > KEPT_PARTS else range(allowed.size)
        kept.append({int(c): (float(scored.total[c]), scored.parts[c].copy()) for c in best})
    pinned = tuple(
        (i, rows_of[pinned_matches[p.pk]])
        for i, p in enumerate(participations)
        if p.pk in pinned_matches and pinned_matches[p.pk] in rows_of
    )
    # The features count open proposals against capacity (not clipped: an overbooked company is negative); the
    # schools re-assigned here give theirs back, and only then is what is left clipped at 0.
    capacity = features.capacity.copy()
    reopened = Match.objects.filter(participation__in=participations, status=Match.Status.PROPOSED)
    for company_id in reopened.values_list("company_id", flat=True):
        if company_id in rows_of:
            capacity[rows_of[company_id]] += 1
    capacity = np.maximum(capacity, 0)
    problem = assignment.AssignmentProblem(scores=scores, capacity=capacity, pinned=pinned)
    solved = assignment.assign(problem, fairness=fairness)
    chosen = dict(solved.pairs)
    pinned_rows = dict(pinned)
    conflicts = {
        i: ("not_allowed" if not np.isfinite(scores[i, c]) else "over_capacity") for i, c in solved.pinned_conflicts
    }
    by_id = Company.objects.in_bulk([int(features.ids[c]) for c in chosen.values()])
    proposal = []
    for i, participation in enumerate(participations):
        column = chosen.get(i)
        if column is None:
            proposal.append(ProposedPair(participation, None, None, {}))
            continue
        if column in kept[i]:
            total, values = kept[i][column]
        else:
            scored = engine.score_all(schools[participation.pk], features, weights)
            total, values = float(scored.total[column]), scored.parts[column]
        parts = dict(zip(engine.PARTS, (float(v) for v in values), strict=True))
        company = by_id[int(features.ids[column])]
        proposal.append(
            ProposedPair(
                participation, company, total, parts, pinned=pinned_rows.get(i) == column, conflict=conflicts.get(i, "")
            )
        )
    return proposal
