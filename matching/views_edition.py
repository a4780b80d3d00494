"""Edition-wide matching pages: the weights of an edition with a live preview, and the global assignment (toewijzing).

Access:
- weights (page, preview, save): coordinators only; every other signed-in user gets 403 (the convention of the
  management pages: an edition is no one's private scope).
- assignment (page, accept a pair, accept all): coordinators for the whole edition or one region; advisers only for
  the regions they advise (default: their first region; another region is outside their scope: 404); others 403.
An unknown edition or region is 404.

Accepting never records a proposal the user did not see: the proposal is computed again, and "accept all" posts the
fingerprint of the proposal on the page; when the two differ (or the accepted pair is no longer proposed), the
answer is "the proposal changed in the meantime" and nothing is recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.models import Edition, Participation, Region

from . import decisions, engine, services
from .forms_edition import AcceptProposalForm, AssignmentFilterForm, PreviewSchoolForm, WeightsForm, shares
from .models import PART_LABELS, Match, MentorProfile
from .permissions import assignment_regions_for, can_run_assignment, can_set_weights

#: How many companies the weights preview lists per column.
PREVIEW_LIMIT = 5


# --------------------------------------------------------------------------- weights


def _edition_for_coordinator(request: HttpRequest, edition_slug: str) -> Edition:
    edition = get_object_or_404(Edition, slug=edition_slug)
    if not can_set_weights(request.user):
        raise PermissionDenied
    return edition


def _participations(edition: Edition) -> QuerySet[Participation]:
    return Participation.objects.filter(edition=edition).select_related("school__region").order_by("school__name", "pk")


@dataclass(frozen=True)
class PreviewRow:
    rank: int
    company: object
    total_percent: int
    before: int | None  # the company's rank with the saved weights; None = not in that top

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def up(self) -> int:
        """Places gained against the saved weights (0 when it lost places or is new in the top)."""
        return max(self.before - self.rank, 0) if self.before is not None else 0

    @property
    def down(self) -> int:
        return max(self.rank - self.before, 0) if self.before is not None else 0


@dataclass
class Preview:
    participation: Participation | None
    shares: list[tuple[str, int, int]] = field(default_factory=list)  # (label, share %, default share %)
    unsaved: list[PreviewRow] = field(default_factory=list)
    saved: list[PreviewRow] = field(default_factory=list)
    has_profiles: bool = True

    @property
    def changed(self) -> bool:
        return [r.company for r in self.unsaved] != [r.company for r in self.saved]


def _preview(
    edition: Edition, *, weights: engine.Weights, max_distance_km: int | None, school: PreviewSchoolForm
) -> Preview:
    """The top companies of one school with the given (unsaved) weights next to the top with the saved weights."""
    participation = school.participation()
    defaults = {part: percent for part, _label, percent in shares(engine.Weights())}
    rows = [(label, percent, defaults[part]) for part, label, percent in shares(weights)]
    preview = Preview(participation=participation, shares=rows)
    preview.has_profiles = MentorProfile.objects.filter(edition=edition).exists()
    if participation is None or not preview.has_profiles:
        return preview
    saved = services.ranking_for(participation=participation, limit=PREVIEW_LIMIT)
    # No limit in the form means no limit, also when the saved weights have one (None would fall back to it).
    unsaved = services.ranking_for(
        participation=participation,
        limit=PREVIEW_LIMIT,
        max_distance_km=float(max_distance_km) if max_distance_km else math.inf,
        weights=weights,
    )
    saved_rank = {row.company.pk: i for i, row in enumerate(saved.rows, start=1)}
    preview.saved = [PreviewRow(i, row.company, round(row.total * 100), i) for i, row in enumerate(saved.rows, start=1)]
    preview.unsaved = [
        PreviewRow(i, row.company, round(row.total * 100), saved_rank.get(row.company.pk))
        for i, row in enumerate(unsaved.rows, start=1)
    ]
    return preview


def _weights_context(edition: Edition, form: WeightsForm, school: PreviewSchoolForm) -> dict[str, object]:
    """The form, the defaults and the preview: of the form's weights when valid, of the saved ones when unbound."""
    preview = None
    if form.is_bound and form.is_valid():
        preview = _preview(
            edition, weights=form.weights(), max_distance_km=form.cleaned_data["max_distance_km"], school=school
        )
    elif not form.is_bound:
        saved, saved_max = services.weights_for(edition=edition)
        preview = _preview(edition, weights=saved, max_distance_km=int(saved_max) if saved_max else None, school=school)
    defaults = engine.Weights()
    return {
        "edition": edition,
        "form": form,
        "school_form": school,
        "preview": preview,
        "rows": [(form[part], getattr(defaults, part)) for part in engine.PARTS],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def weights(request: HttpRequest, edition_slug: str) -> HttpResponse:
    """The coordinator sets how much each part of the matching score counts in this edition."""
    edition = _edition_for_coordinator(request, edition_slug)
    participations = _participations(edition)
    school = PreviewSchoolForm(request.GET or request.POST or None, participations=participations)
    if request.method != "POST":
        saved, saved_max = services.weights_for(edition=edition)
        form = WeightsForm(initial=WeightsForm.initial_for(saved, saved_max))
        return render(request, "matching/weights.html", _weights_context(edition, form, school))
    back = reverse("matching:weights", args=[edition.slug])
    if school.is_valid() and school.cleaned_data.get("school"):
        back += "?" + urlencode({"school": school.cleaned_data["school"].pk})
    if request.POST.get("action") == "reset":
        _saved, saved_max = services.weights_for(edition=edition)
        services.weights_save(
            edition=edition, weights=engine.Weights(), max_distance_km=int(saved_max) if saved_max else None
        )
        messages.success(request, _("The default weights apply again to %(edition)s.") % {"edition": edition})
        return redirect(back)
    form = WeightsForm(request.POST)
    if not form.is_valid():
        return render(request, "matching/weights.html", _weights_context(edition, form, school), status=400)
    services.weights_save(edition=edition, weights=form.weights(), max_distance_km=form.cleaned_data["max_distance_km"])
    messages.success(request, _("The weights of %(edition)s are saved.") % {"edition": edition})
    return redirect(back)


@login_required
@require_safe
def weights_preview(request: HttpRequest, edition_slug: str) -> HttpResponse:
    """The preview fragment for the weights in the query string (nothing is saved)."""
    edition = _edition_for_coordinator(request, edition_slug)
    form = WeightsForm(request.GET)
    school = PreviewSchoolForm(request.GET, participations=_participations(edition))
    return render(request, "matching/_weights_preview.html", _weights_context(edition, form, school))


# --------------------------------------------------------------------------- global assignment


@dataclass(frozen=True)
class Scope:
    edition: Edition
    region: Region | None  # None = the whole edition (coordinators only)
    regions: list[Region]  # the regions the user may choose
    whole_edition: bool  # the user may choose the whole edition

    @property
    def region_slug(self) -> str:
        return self.region.slug if self.region else ""


def _flag(value: str | None) -> bool:
    return (value or "").lower() in {"1", "on", "true", "yes"}


def _assignment_scope(request: HttpRequest, edition_slug: str, region_slug: str) -> Scope:
    """The edition and region the user may assign: coordinators any, advisers their own regions (else 404)."""
    edition = get_object_or_404(Edition, slug=edition_slug)
    if not can_run_assignment(request.user):
        raise PermissionDenied
    regions = assignment_regions_for(request.user)
    if regions is None:
        region = get_object_or_404(Region, slug=region_slug) if region_slug else None
        return Scope(edition, region, list(Region.objects.order_by("name")), whole_edition=True)
    own = list(regions)
    if not region_slug:
        return Scope(edition, own[0], own, whole_edition=False)
    region = next((r for r in own if r.slug == region_slug), None)
    if region is None:
        raise Http404  # an unknown region, or another adviser's: outside this user's scope
    return Scope(edition, region, own, whole_edition=False)


def _assignment_url(scope: Scope, fairness: bool) -> str:
    query = {
        key: value for key, value in (("region", scope.region_slug), ("fairness", "1" if fairness else "")) if value
    }
    url = reverse("matching:assignment", args=[scope.edition.slug])
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class AssignmentRow:
    """One school: its current state and what the proposal does with it."""

    participation: Participation
    current: Match | None  # the active match, else the open proposal, else the "no match" record
    pair: services.ProposedPair | None  # None: the school keeps its active match, or is skipped (see `skipped`)
    parts: list[tuple[str, int]]  # (label, %) of the proposed pair's score parts
    skipped: Match | None = None  # the "no match" record when that is the school's latest decision: not assigned

    @property
    def pinned(self) -> bool:
        """The proposed pair is the school's open proposal, kept as it is (pinned, or accepted by one side)."""
        return self.pair is not None and self.pair.pinned

    @property
    def pinned_by_hand(self) -> bool:
        return self.pinned and self.current is not None and self.current.pinned

    @property
    def conflict(self) -> str:
        """Why the kept pair is a problem (over capacity, no longer allowed), in words; "" when it is not."""
        return str(services.CONFLICTS.get(self.pair.conflict, "")) if self.pair is not None else ""

    @property
    def skipped_reason(self) -> str:
        return services.decision_line(self.skipped) if self.skipped is not None else ""

    @property
    def score_percent(self) -> int | None:
        return None if self.pair is None or self.pair.score is None else round(self.pair.score * 100)

    @property
    def already_proposed(self) -> bool:
        """The proposed company is the school's open proposal already: accepting records nothing new."""
        return (
            self.pair is not None
            and self.pair.company is not None
            and self.current is not None
            and self.current.status == Match.Status.PROPOSED
            and self.current.company_id == self.pair.company.pk
        )

    @property
    def can_accept(self) -> bool:
        return self.pair is not None and self.pair.company is not None and not self.already_proposed


@dataclass(frozen=True)
class Summary:
    schools: int  # schools in the proposal (without an active match)
    assigned: int
    unassigned: int
    kept: int  # schools that keep their active match
    skipped: int  # schools skipped: their latest decision is "no match"
    conflicts: int  # kept (pinned or half-accepted) pairs beyond capacity or no longer allowed
    total: float  # sum of the proposed pairs' scores
    lowest_percent: int | None
    average_percent: int | None
    to_record: int  # pairs accepting all would record


def _current_matches(participations: list[Participation]) -> dict[int, Match]:
    """Per participation the match that describes its state now: active, else open proposal, else "no match"."""
    rank = {Match.Status.ACTIVE: 0, Match.Status.PROPOSED: 1, Match.Status.NO_MATCH: 2}
    current: dict[int, Match] = {}
    matches = (
        Match.objects.filter(participation__in=participations, status__in=list(rank))
        .select_related("company")
        .order_by("-created_at", "-pk")
    )
    for match in matches:
        held = current.get(match.participation_id)
        if held is None or rank[match.status] < rank[held.status]:
            current[match.participation_id] = match
    return current


def _proposal_context(scope: Scope, fairness: bool) -> dict[str, object]:
    participations = _participations(scope.edition)
    if scope.region is not None:
        participations = participations.filter(school__region=scope.region)
    participations_list = list(participations)
    context: dict[str, object] = {
        "scope": scope,
        "fairness": fairness,
        "has_schools": bool(participations_list),
        "has_profiles": MentorProfile.objects.filter(edition=scope.edition).exists(),
        "rows": [],
        "summary": None,
    }
    if not participations_list or not context["has_profiles"]:
        return context
    proposal = services.assignment_proposal(
        edition=scope.edition, region=scope.region.slug if scope.region else None, fairness=fairness
    )
    by_school = {pair.participation.pk: pair for pair in proposal}
    current = _current_matches(participations_list)
    skipped = services.no_match_decisions(participations_list)
    rows = []
    for participation in participations_list:
        pair = by_school.get(participation.pk)
        parts = [
            (str(PART_LABELS.get(part, part)), round(value * 100))
            for part, value in (pair.parts if pair else {}).items()
        ]
        no_match = skipped.get(participation.pk) if pair is None else None
        rows.append(AssignmentRow(participation, current.get(participation.pk), pair, parts, no_match))
    scores = [pair.score for pair in proposal if pair.company is not None and pair.score is not None]
    skipped_count = sum(1 for row in rows if row.skipped is not None)
    context["rows"] = rows
    context["fingerprint"] = services.proposal_fingerprint(proposal)
    context["summary"] = Summary(
        schools=len(proposal),
        assigned=sum(1 for pair in proposal if pair.company is not None),
        unassigned=sum(1 for pair in proposal if pair.company is None),
        kept=len(participations_list) - len(proposal) - skipped_count,
        skipped=skipped_count,
        conflicts=sum(1 for pair in proposal if pair.conflict),
        total=sum(scores),
        lowest_percent=round(min(scores) * 100) if scores else None,
        average_percent=round(sum(scores) / len(scores) * 100) if scores else None,
        to_record=sum(1 for row in rows if row.can_accept),
    )
    return context


@login_required
@require_safe
def assignment(request: HttpRequest, edition_slug: str) -> HttpResponse:
    """The page loads at once; the proposal (a second or two on a large edition) follows through htmx."""
    scope = _assignment_scope(request, edition_slug, request.GET.get("region", ""))
    fairness = _flag(request.GET.get("fairness"))
    if request.htmx and not request.htmx.boosted:
        response = render(request, "matching/_assignment_proposal.html", _proposal_context(scope, fairness))
        patch_vary_headers(response, ("HX-Request",))  # the same URL serves the page and the fragment
        return response
    filters = AssignmentFilterForm(
        initial={"region": scope.region_slug, "fairness": fairness},
        regions=scope.regions,
        whole_edition=scope.whole_edition,
    )
    context = {"scope": scope, "fairness": fairness, "filters": filters, "url": _assignment_url(scope, fairness)}
    response = render(request, "matching/assignment.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _refused(request: HttpRequest, errors: list[str], back: str) -> HttpResponse:
    return render(request, "matching/decision_refused.html", {"errors": errors, "back": back}, status=400)


def _changed(request: HttpRequest, back: str) -> HttpResponse:
    return _refused(request, [_("The proposal changed in the meantime. Look at it again before accepting.")], back)


@login_required
@require_POST
def assignment_accept(request: HttpRequest, edition_slug: str) -> HttpResponse:
    """Record one proposed pair, or the whole proposal, as proposed matches (computed again here, never trusted).

    "Accept all" posts the fingerprint of the proposal it showed; a pair posts its school and company. When the
    proposal computed now differs, nothing is recorded and the page says the proposal changed.
    """
    scope = _assignment_scope(request, edition_slug, request.POST.get("region", ""))
    fairness = _flag(request.POST.get("fairness"))
    back = _assignment_url(scope, fairness)
    form = AcceptProposalForm(request.POST)
    if not form.is_valid():
        return _refused(request, [str(e) for errors in form.errors.values() for e in errors], back)
    proposal = services.assignment_proposal(
        edition=scope.edition, region=scope.region.slug if scope.region else None, fairness=fairness
    )
    participation_id = form.cleaned_data["participation"]
    if participation_id is None:
        if form.cleaned_data["proposal"] != services.proposal_fingerprint(proposal):
            return _changed(request, back)
        pairs = proposal
    else:
        pair = next((p for p in proposal if p.participation.pk == participation_id), None)
        if pair is None:
            in_scope = _participations(scope.edition).filter(pk=participation_id)
            if scope.region is not None:
                in_scope = in_scope.filter(school__region=scope.region)
            if not in_scope.exists():
                raise Http404  # not a school of this edition or region
            return _changed(request, back)  # matched or "no match" by now: no longer in the proposal
        if pair.company is None or pair.company.pk != form.cleaned_data["company"]:
            return _changed(request, back)
        pairs = [pair]
    try:
        created = decisions.assignment_accept(pairs=pairs, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        return _refused(request, error.messages, back)
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s proposed match recorded. The school and the company can now accept it.",
                "%(count)s proposed matches recorded. The schools and the companies can now accept them.",
                len(created),
            )
            % {"count": len(created)},
        )
    else:
        messages.info(request, _("Nothing new to record: these proposals were recorded already."))
    return redirect(back)
