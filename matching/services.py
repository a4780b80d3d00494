"""Ranking mentor companies for a school and assigning a whole edition; decisions on matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline.models import KeyElement
from partners.models import Company, Edition, Participation, StudyArea

from . import assignment, engine
from .features import EditionCompanies, company_features, school_features, schools_features
from .models import ExcludedPair, Match, MatchWeights

if TYPE_CHECKING:
    from partners.models import User

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


def _excluded(participation: Participation) -> dict[int, str]:
    return dict(ExcludedPair.objects.filter(participation=participation).values_list("company_id", "reason"))


def _sentence(*, school: engine.SchoolFeatures, companies: EditionCompanies, row: int, elements: list[str]) -> str:
    """One plain sentence: distance; strength in one of the school's weakest elements; fitting study areas."""
    why = engine.explain(row, school, companies.features)
    parts = [_("%(km)s km") % {"km": f"{why.distance_km:.0f}"}]
    if why.element is not None and why.element < len(elements):
        parts.append(_("strong in %(element)s, one of your weakest elements") % {"element": elements[why.element]})
    if why.study_areas:
        slugs = [companies.area_slugs[i] for i in why.study_areas[:2]]
        names = dict(StudyArea.objects.filter(slug__in=slugs).values_list("slug", "name"))
        parts.append(_("core activity fits %(areas)s") % {"areas": ", ".join(names[s] for s in slugs)})
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
    ranking = engine.rank(
        school,
        companies.features,
        weights,
        limit=limit,
        max_distance_km=max_distance_km if max_distance_km is not None else edition_max,
        study_area=area_index,
        excluded=frozenset(excluded),
        held=frozenset(
            Match.objects.filter(
                participation=participation, status=Match.Status.PROPOSED, company__isnull=False
            ).values_list("company_id", flat=True)
        ),
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
    )
    for row in ranking.rows:
        result.rows.append(
            RankedCompany(
                company=by_id[row.company_id],
                total=float(row.total),
                parts={k: float(v) for k, v in row.parts.items()},
                distance_km=float(row.distance_km),
                sentence=_sentence(school=school, companies=companies, row=row.company_row, elements=elements),
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


@dataclass(frozen=True)
class ProposedPair:
    participation: Participation
    company: Company | None
    score: float | None
    parts: dict[str, float]


def assignment_proposal(*, edition: Edition, region: str | None = None, fairness: bool = False) -> list[ProposedPair]:
    """Assign every school of the edition (or region) without an active match to a mentor company, optimally.

    Capacity is respected, pinned matches are kept, excluded pairs never appear. Writes nothing.
    """
    participations = list(
        Participation.objects.filter(edition=edition)
        .exclude(matches__status=Match.Status.ACTIVE)
        .filter(**({"school__region__slug": region} if region else {}))
        .select_related("school__region")
        .order_by("school__name", "pk")
    )
    companies = company_features(edition=edition)
    features = companies.features
    weights, max_distance = weights_for(edition=edition)
    rows_of = {int(c): i for i, c in enumerate(features.ids)}
    excluded_pairs = set(
        ExcludedPair.objects.filter(participation__in=participations).values_list("participation_id", "company_id")
    )
    pinned_matches = dict(
        Match.objects.filter(participation__in=participations, pinned=True, company__isnull=False)
        .exclude(status=Match.Status.REJECTED)
        .values_list("participation_id", "company_id")
    )
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
    # The features count open proposals against capacity; the schools re-assigned here give theirs back.
    capacity = features.capacity.copy()
    reopened = Match.objects.filter(participation__in=participations, status=Match.Status.PROPOSED)
    for company_id in reopened.values_list("company_id", flat=True):
        if company_id in rows_of:
            capacity[rows_of[company_id]] += 1
    problem = assignment.AssignmentProblem(scores=scores, capacity=capacity, pinned=pinned)
    solved = assignment.assign(problem, fairness=fairness)
    chosen = dict(solved.pairs)
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
        proposal.append(ProposedPair(participation, by_id[int(features.ids[column])], total, parts))
    return proposal


@transaction.atomic
def assignment_apply(*, proposal: list[ProposedPair], by: User | None) -> list[Match]:
    """Record the proposal as proposed matches (schools and companies then accept them)."""
    created = []
    for pair in proposal:
        if pair.company is None:
            continue
        existing = Match.objects.filter(participation=pair.participation, company=pair.company).first()
        if existing:
            created.append(existing)
            continue
        created.append(
            Match.objects.create(
                participation=pair.participation,
                company=pair.company,
                score=pair.score,
                parts=pair.parts,
                decided_by=by,
            )
        )
    return created
