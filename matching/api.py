"""REST API of matching (koppeling): the ranking for a school, the assignment proposal of an edition, and matches
with their decisions (propose, accept, reject, no match, exclude a pair). Mounted under /api/v1/.

Scoped per role exactly like the pages, and calling the same services:

- a school (participation) is fetched through `School.objects.visible_to(user)` (outside it: 404); ranking and
  deciding need `can_rank_for` / `can_decide` (otherwise: 403). The decisions on a school (propose, no match,
  exclude a pair) first check the role (`can_make_decisions`): a school or company member or a juror gets 403
  whatever the body says;
- a match is fetched through `matches_visible_to(user)` (outside it: 404); accepting needs the school's or the
  company's side (otherwise: 403), rejecting needs `can_decide`;
- the assignment is for coordinators (any region, or the whole edition) and advisers (only regions they advise:
  `region` is required unless they advise exactly one region, then that one is used; another region: 404). Everyone
  else gets 403;
- a school or company member never sees a match's score, parts or history (see `MatchSerializer`).

Query parameters and bodies are validated once the role is checked: an unknown edition, region or study area slug
is a 400 that says which (the assignment page answers 404 for those, as a page URL does), and nothing is written on
invalid input.
A refused state (a Django ValidationError from `matching.decisions`) answers 400 with `non_field_errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import Company, Participation, Region, School

from . import decisions, services
from .models import ExcludedPair, Match
from .permissions import (
    accept_side,
    assignment_regions_for,
    can_decide,
    can_make_decisions,
    can_run_assignment,
    can_view_matches,
    matches_visible_to,
)
from .selectors import participation_for_decider
from .serializers import (
    AcceptSerializer,
    AssignmentApplySerializer,
    AssignmentQuerySerializer,
    AssignmentSerializer,
    ExcludedPairSerializer,
    ExcludePairSerializer,
    MatchSerializer,
    NoMatchSerializer,
    ProposeSerializer,
    RankingQuerySerializer,
    RankingSerializer,
    ReasonSerializer,
    finite_or_none,
    parts_or_none,
)

if TYPE_CHECKING:
    from partners.models import Edition, User

NOT_VISIBLE = OpenApiResponse(description="Not found, or outside the caller's scope.")
NOT_ALLOWED = OpenApiResponse(description="Visible, but the caller may not do this.")
INVALID = OpenApiResponse(description="Invalid parameters or input; the body says which and why.")
REFUSED = OpenApiResponse(description="Invalid input, or the decision is refused in this state (non_field_errors).")


# --- Helpers --------------------------------------------------------------------------------------------------------


def _run[T](decision: Callable[[], T]) -> T:
    """Call a decision service; its refusal (a Django ValidationError) becomes a 400 with the messages."""
    try:
        return decision()
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


def _participation_for(user: User, participation_id: int) -> Participation:
    """The participation if the user may see its school (else 404) and may rank and decide for it (else 403)."""
    return participation_for_decider(user, participation_id)


def _require_decider(user: User) -> None:
    """The decisions on a school are for coordinators and advisers: everyone else gets 403 before the body is read."""
    if not can_make_decisions(user):
        raise PermissionDenied


def _mentor_company(participation: Participation, company_id: int) -> Company:
    """A company with a mentor profile in the participation's edition (the only ones that can be proposed)."""
    company = Company.objects.filter(pk=company_id, mentor_profiles__edition_id=participation.edition_id).first()
    if company is None:
        raise serializers.ValidationError({"company": [_("Choose a mentor company of this edition.")]})
    return company


def _match_out(request: Request, match: Match, code: int = status.HTTP_200_OK) -> Response:
    fresh = Match.objects.select_related("participation__school", "participation__edition", "company").get(pk=match.pk)
    return Response(MatchSerializer(fresh, context={"request": request}).data, status=code)


def _ref(obj: School | Company | None) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# --- Ranking --------------------------------------------------------------------------------------------------------


class RankingView(APIView):
    """The best mentor companies for one school, with the parts of each score and who was left out why."""

    @extend_schema(
        summary="Ranking of mentor companies for a school",
        description=(
            "For coordinators and the advisers of the school's region. The filters are those of the ranking page; "
            "companies that would rank high without them are listed under `left_out` with the reason."
        ),
        parameters=[RankingQuerySerializer],
        responses={200: RankingSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    def get(self, request: Request, participation_id: int) -> Response:
        participation = _participation_for(request.user, participation_id)  # type: ignore[arg-type]
        query = RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        area = params.get("study_area")
        distance = params.get("max_distance_km")
        ranking = services.ranking_for(
            participation=participation,
            limit=params["limit"],
            max_distance_km=float(distance) if distance else None,
            study_area=area.slug if area else None,
        )
        payload = {
            "participation": participation.pk,
            "school": _ref(participation.school),
            "edition": participation.edition.slug,
            "need_is_neutral": ranking.need_is_neutral,
            "rows": [
                {
                    "rank": rank,
                    "company": _ref(row.company),
                    "total": row.total,
                    "parts": parts_or_none(row.parts),
                    "distance_km": finite_or_none(row.distance_km),
                    "sentence": row.sentence,
                }
                for rank, row in enumerate(ranking.rows, start=1)
            ],
            "left_out": [{"company": _ref(x.company), "reason": x.reason} for x in ranking.left_out],
        }
        return Response(RankingSerializer(payload).data)


# --- Assignment -----------------------------------------------------------------------------------------------------


def _require_assignment_role(user: User) -> None:
    """Only coordinators and advisers of a region run the edition-wide assignment (a school, company or juror: 403)."""
    if not can_run_assignment(user):
        raise PermissionDenied(_("Only coordinators and advisers can run the assignment."))


def _assignment_region(user: User, region: Region | None) -> Region | None:
    """The region the assignment covers for this user; None means the whole edition (coordinators only).

    An adviser works in the regions they advise: without `region` the only one they advise, a region they do not
    advise is outside their scope (404), and an adviser of several regions must choose (400).
    """
    regions = assignment_regions_for(user)
    if regions is None:
        return region
    advised = list(regions)
    if region is None:
        if len(advised) > 1:
            raise serializers.ValidationError(
                {"region": [_("You advise more than one region: choose one with region=<slug>.")]}
            )
        return advised[0]
    if region not in advised:
        raise Http404
    return region


def _proposal_for(user: User, params: dict[str, Any]) -> tuple[Edition, Region | None, list[services.ProposedPair]]:
    region = _assignment_region(user, params.get("region"))
    edition = params["edition"]
    proposal = services.assignment_proposal(
        edition=edition, region=region.slug if region else None, fairness=params["fairness"]
    )
    return edition, region, proposal


def _skipped(edition: Edition, region: Region | None) -> list[dict[str, Any]]:
    """The schools of the edition (or region) the assignment skips: their latest decision is "no match"."""
    participations = list(
        Participation.objects.filter(edition=edition, **({"school__region": region} if region else {}))
        .exclude(matches__status=Match.Status.ACTIVE)
        .select_related("school")
        .order_by("school__name", "pk")
    )
    decided = services.no_match_decisions(participations)
    return [
        {"participation": p.pk, "school": _ref(p.school), "reason": services.decision_line(decided[p.pk])}
        for p in participations
        if p.pk in decided
    ]


def _assignment_payload(
    edition: Edition, region: Region | None, fairness: bool, proposal: list[services.ProposedPair]
) -> dict[str, Any]:
    scores = [pair.score for pair in proposal if pair.company is not None and pair.score is not None]
    assigned = sum(1 for pair in proposal if pair.company is not None)
    return {
        "edition": edition.slug,
        "region": region.slug if region else None,
        "fairness": fairness,
        "pairs": [
            {
                "participation": pair.participation.pk,
                "school": _ref(pair.participation.school),
                "company": _ref(pair.company),
                "score": pair.score,
                "parts": parts_or_none(pair.parts),
                "pinned": pair.pinned,
                "conflict": pair.conflict or None,
            }
            for pair in proposal
        ],
        "skipped": _skipped(edition, region),
        "summary": {
            "assigned": assigned,
            "unassigned": len(proposal) - assigned,
            "total_score": sum(scores),
            "lowest_score": min(scores) if scores else None,
        },
    }


class AssignmentView(APIView):
    """The proposal for a whole edition (or region): every school without an active match gets a company."""

    @extend_schema(
        summary="Assignment proposal of an edition or region",
        description=(
            "Optimal over all schools: as many schools as possible get a company, then the total score is maximal "
            "(with `fairness=true` the lowest score is raised first). Capacity is respected, pinned and "
            "half-accepted proposals are kept (`pinned`; `conflict` says when one is beyond capacity or no longer "
            "allowed), excluded pairs never appear; schools whose latest decision is 'no match' are listed under "
            "`skipped`. Writes nothing. Coordinators: any region or none (the whole edition). "
            "Advisers: only a region they advise; `region` may be left out by an adviser of exactly one region."
        ),
        parameters=[AssignmentQuerySerializer],
        responses={200: AssignmentSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        _require_assignment_role(user)
        query = AssignmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        edition, region, proposal = _proposal_for(user, query.validated_data)
        return Response(
            AssignmentSerializer(_assignment_payload(edition, region, query.validated_data["fairness"], proposal)).data
        )


def _selected(proposal: list[services.ProposedPair], wanted: list[int] | None) -> list[services.ProposedPair]:
    """The pairs to apply: all, or those of the `wanted` participations (each must be in the proposal with a
    company; otherwise 400 and nothing is written)."""
    if wanted is None:
        return proposal
    by_participation = {pair.participation.pk: pair for pair in proposal}
    missing = [pk for pk in wanted if pk not in by_participation]
    if missing:
        raise serializers.ValidationError(
            {
                "participations": [
                    _("Not in this proposal (already matched, or another edition or region): %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    empty = [pk for pk in wanted if by_participation[pk].company is None]
    if empty:
        raise serializers.ValidationError(
            {
                "participations": [
                    _("The proposal has no mentor company for: %(ids)s.") % {"ids": ", ".join(map(str, empty))}
                ]
            }
        )
    return [by_participation[pk] for pk in wanted]


class AssignmentApplyView(APIView):
    """Record the proposal (or some of its pairs) as proposed matches; the school and the company then accept."""

    @extend_schema(
        summary="Record the assignment proposal as proposed matches",
        description=(
            "Takes the parameters of the proposal; the proposal is computed again at this moment (never trusted "
            "from the client). `participations` limits it to the pairs of those participations. As on the "
            "assignment page, a school's open proposal of another company is rejected as superseded, and a pair "
            "proposed already is not recorded twice. Answers the matches this call recorded: 201, or 200 with an "
            "empty list when there was nothing new. On invalid input nothing is written; when a company filled up "
            "since the proposal was computed, nothing is written either (400, `non_field_errors`)."
        ),
        request=AssignmentApplySerializer,
        responses={
            201: MatchSerializer(many=True),
            200: OpenApiResponse(MatchSerializer(many=True), description="Nothing new to record (an empty list)."),
            400: INVALID,
            403: NOT_ALLOWED,
            404: NOT_VISIBLE,
        },
    )
    def post(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        _require_assignment_role(user)
        payload = AssignmentApplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        _edition, _region, proposal = _proposal_for(user, payload.validated_data)
        selected = _selected(proposal, payload.validated_data.get("participations"))
        # The service of the assignment page and the command line: one open proposal per school, capacity checked.
        created = _run(lambda: decisions.assignment_accept(pairs=selected, by=user))
        recorded = (
            Match.objects.filter(pk__in=[m.pk for m in created])
            .select_related("participation__school", "participation__edition", "company")
            .order_by("participation__school__name", "pk")
        )
        data = MatchSerializer(recorded, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- Decisions on a school ------------------------------------------------------------------------------------------


class NoMatchView(APIView):
    @extend_schema(
        summary="Record that no mentor company was found for a school",
        description="Open proposals of the school are closed. Refused when the school already has an active match.",
        request=NoMatchSerializer,
        responses={201: MatchSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    def post(self, request: Request) -> Response:
        _require_decider(request.user)  # type: ignore[arg-type]
        payload = NoMatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        participation = _participation_for(request.user, payload.validated_data["participation"])  # type: ignore[arg-type]
        match = _run(
            lambda: decisions.match_no_match(
                participation=participation, by=request.user, reason=payload.validated_data["reason"]
            )
        )
        return _match_out(request, match, status.HTTP_201_CREATED)


class ExcludedPairView(APIView):
    @extend_schema(
        summary="Rule a mentor company out for a school",
        description=(
            "The company is left out of the school's ranking and assignment, with the reason. An open proposal of "
            "the pair is rejected. Excluding a pair again replaces the reason."
        ),
        request=ExcludePairSerializer,
        responses={201: ExcludedPairSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    def post(self, request: Request) -> Response:
        _require_decider(request.user)  # type: ignore[arg-type]
        payload = ExcludePairSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        participation = _participation_for(request.user, data["participation"])  # type: ignore[arg-type]
        company = _mentor_company(participation, data["company"])
        pair = _run(
            lambda: decisions.pair_exclude(
                participation=participation, company=company, by=request.user, reason=data["reason"]
            )
        )
        fresh = ExcludedPair.objects.select_related("company").get(pk=pair.pk)
        return Response(ExcludedPairSerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Matches --------------------------------------------------------------------------------------------------------


class MatchFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="participation__edition__slug", label="Edition slug")
    status = django_filters.ChoiceFilter(choices=Match.Status.choices)
    participation = django_filters.NumberFilter(field_name="participation", label="Participation id")

    class Meta:
        model = Match
        fields = ["edition", "status", "participation"]


@extend_schema_view(
    list=extend_schema(
        summary="Matches in the caller's scope",
        description=(
            "Coordinators all; advisers their region's; school and company members their own. Jurors: 403. "
            "Scores, parts and history only for whoever may decide on the match."
        ),
        responses={200: MatchSerializer(many=True), 403: NOT_ALLOWED},
    ),
    retrieve=extend_schema(
        summary="One match",
        description="Scores, parts and history only for whoever may decide on the match.",
        responses={200: MatchSerializer, 404: NOT_VISIBLE},
    ),
)
class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Matches (koppelingen) and the decisions on them."""

    serializer_class = MatchSerializer
    filterset_class = MatchFilter
    queryset = Match.objects.none()  # for the schema; the real one is per user

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def get_queryset(self) -> QuerySet[Match]:
        return (
            matches_visible_to(self.user)
            .select_related("participation__school", "participation__edition", "company")
            .order_by("participation__school__name", "-created_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_view_matches(self.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Propose a mentor company to a school",
        description=(
            "An earlier open proposal of another company is rejected as superseded; the score is recorded. "
            "Proposing the company of the school's open proposal again answers that proposal (200) with the note "
            "added to its history, keeping its acceptances. Refused (400) when the company has no place left."
        ),
        request=ProposeSerializer,
        responses={
            201: MatchSerializer,
            200: OpenApiResponse(MatchSerializer, description="The school's open proposal of this company."),
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_VISIBLE,
        },
    )
    def create(self, request: Request) -> Response:
        _require_decider(self.user)
        payload = ProposeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        participation = _participation_for(self.user, data["participation"])
        company = _mentor_company(participation, data["company"])
        held = set(
            Match.objects.filter(
                participation=participation, company=company, status=Match.Status.PROPOSED
            ).values_list("pk", flat=True)
        )
        match = _run(
            lambda: decisions.match_propose(
                participation=participation, company=company, by=self.user, note=data["note"]
            )
        )
        return _match_out(request, match, status.HTTP_200_OK if match.pk in held else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept a proposed match for the school or the company",
        description="When both sides accepted, the match is active and the school's status becomes 'matched'.",
        request=AcceptSerializer,
        responses={200: MatchSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        payload = AcceptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        side = accept_side(self.user, match, payload.validated_data.get("side", ""))
        if side is None:
            raise PermissionDenied(_("You cannot accept this match for that side."))
        accepted = _run(lambda: decisions.match_accept(match=match, by=self.user, side=side))  # type: ignore[arg-type]
        return _match_out(request, accepted)

    @extend_schema(
        summary="Reject a proposed match, with the reason",
        description="For coordinators and the advisers of the school's region; the reason goes into the history.",
        request=ReasonSerializer,
        responses={200: MatchSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        if not can_decide(self.user, match.participation):
            raise PermissionDenied
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rejected = _run(
            lambda: decisions.match_reject(match=match, by=self.user, reason=payload.validated_data["reason"])
        )
        return _match_out(request, rejected)
