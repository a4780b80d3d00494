"""Matching pages: the ranking of mentor companies for a school, the decisions on it, and the list of matches.

Scope: a participation is fetched through the schools the user may see (outside it: 404); a school member sees the
school but may not rank (403). A match is fetched through `matches_visible_to` (outside it: 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partners.models import Company, Edition, Participation, Role
from stempact.charts import BarChart, bar_chart

from . import decisions, services
from .forms import AcceptForm, ExcludeForm, ProposeForm, RankingFilterForm, ReasonForm
from .models import PART_LABELS, Match
from .permissions import accept_side, can_decide, can_view_matches, matches_visible_to, open_side
from .selectors import participation_for_decider

RANKING_LIMIT = 10


def _parts_chart(row: services.RankedCompany) -> BarChart:
    return bar_chart(
        _("Score parts of %(company)s (%%)") % {"company": row.company.name},
        [(str(PART_LABELS.get(part, part)), round(value * 100)) for part, value in row.parts.items()],
        scale_to=100,
    )


@dataclass(frozen=True)
class RankingRow:
    rank: int
    company: object
    total_percent: int
    distance_km: float
    sentence: str
    chart: BarChart
    already_proposed: bool = False  # the school's open proposal is this company: a badge, no "Propose" button

    @property
    def chart_id(self) -> str:
        return f"parts-{self.company.pk}"  # type: ignore[attr-defined]


def _school_matches(participation: Participation) -> list[Match]:
    return list(Match.objects.filter(participation=participation).select_related("company", "decided_by"))


def _ranking_context(participation: Participation, filters: RankingFilterForm) -> dict[str, object]:
    max_distance = filters.cleaned_data.get("max_distance_km") if filters.is_valid() else None
    area = filters.cleaned_data.get("study_area") if filters.is_valid() else None
    ranking = services.ranking_for(
        participation=participation,
        limit=RANKING_LIMIT,
        max_distance_km=float(max_distance) if max_distance else None,
        study_area=area.slug if area else None,
    )
    rows = [
        RankingRow(
            rank=i,
            company=row.company,
            total_percent=round(row.total * 100),
            distance_km=row.distance_km,
            sentence=row.sentence,
            chart=_parts_chart(row),
            already_proposed=row.company.pk in ranking.held_company_ids,
        )
        for i, row in enumerate(ranking.rows, start=1)
    ]
    return {"ranking": ranking, "rows": rows, "participation": participation}


@login_required
@require_safe
def school_ranking(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = participation_for_decider(request.user, participation_id)
    filters = RankingFilterForm(request.GET or None)
    context = _ranking_context(participation, filters)
    if request.htmx and not request.htmx.boosted:
        return render(request, "matching/_ranking_results.html", context)
    exclude_form = ExcludeForm(participation=participation)
    # Offer the companies on this page: an edition can have 18,000 mentor profiles, too many for one <select>.
    shown = [row.company.pk for row in context["ranking"].rows] + [x.company.pk for x in context["ranking"].left_out]
    exclude_form.fields["company"].queryset = Company.objects.filter(pk__in=shown).order_by("name")  # type: ignore[attr-defined]
    context |= {
        "filters": filters,
        "matches": _school_matches(participation),
        "exclude_form": exclude_form,
        "no_match_form": ReasonForm(auto_id="no-match-%s"),
        "school": participation.school,
    }
    return render(request, "matching/school_ranking.html", context)


def _form_error(request: HttpRequest, form_or_error: object, back: str) -> HttpResponse:
    """A refused decision: the errors and a way back (the forms validate in the browser first)."""
    if isinstance(form_or_error, ValidationError):
        errors = form_or_error.messages
    else:
        errors = [str(e) for field_errors in form_or_error.errors.values() for e in field_errors]  # type: ignore[attr-defined]
    return render(request, "matching/decision_refused.html", {"errors": errors, "back": back}, status=400)


@login_required
@require_POST
def match_propose(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = participation_for_decider(request.user, participation_id)
    back = reverse("matching:school-ranking", args=[participation.pk])
    form = ProposeForm(request.POST, participation=participation)
    if not form.is_valid():
        return _form_error(request, form, back)
    try:
        decisions.match_propose(
            participation=participation,
            company=form.cleaned_data["company"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _form_error(request, error, back)
    messages.success(
        request,
        _("%(company)s is proposed to %(school)s.")
        % {"company": form.cleaned_data["company"], "school": participation.school},
    )
    return redirect("matching:school-ranking", participation_id=participation.pk)


@login_required
@require_POST
def pair_exclude(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = participation_for_decider(request.user, participation_id)
    back = reverse("matching:school-ranking", args=[participation.pk])
    form = ExcludeForm(request.POST, participation=participation)
    if not form.is_valid():
        return _form_error(request, form, back)
    try:
        decisions.pair_exclude(
            participation=participation,
            company=form.cleaned_data["company"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _form_error(request, error, back)
    messages.success(request, _("%(company)s is excluded for this school.") % {"company": form.cleaned_data["company"]})
    return redirect("matching:school-ranking", participation_id=participation.pk)


@login_required
@require_POST
def no_match(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = participation_for_decider(request.user, participation_id)
    back = reverse("matching:school-ranking", args=[participation.pk])
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form, back)
    try:
        decisions.match_no_match(participation=participation, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _form_error(request, error, back)
    messages.success(request, _("Recorded: no mentor company for %(school)s.") % {"school": participation.school})
    return redirect("matching:school-ranking", participation_id=participation.pk)


def _visible_match(request: HttpRequest, pk: int) -> Match:
    return get_object_or_404(matches_visible_to(request.user).select_related("participation__school", "company"), pk=pk)


@login_required
@require_POST
def match_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    form = AcceptForm(request.POST)
    wanted = form.cleaned_data["side"] if form.is_valid() else ""
    side = accept_side(request.user, match, wanted)
    if side is None:
        raise PermissionDenied
    try:
        decisions.match_accept(match=match, by=request.user, side=side)  # type: ignore[arg-type]
    except ValidationError as error:
        return _form_error(request, error, reverse("matching:match-list"))
    messages.success(request, _("You accepted the match of %(match)s.") % {"match": match})
    return redirect("matching:match-list")


@login_required
@require_POST
def match_reject(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    if not can_decide(request.user, match.participation):
        raise PermissionDenied
    back = reverse("matching:match-list")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_error(request, form, back)
    try:
        decisions.match_reject(match=match, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _form_error(request, error, back)
    messages.success(request, _("The match of %(match)s is rejected.") % {"match": match})
    return redirect("matching:match-list")


@login_required
@require_POST
def match_pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin a proposed match (the global assignment keeps it) or unpin it: `pinned` is "1" or "0"."""
    match = _visible_match(request, pk)
    if not can_decide(request.user, match.participation):
        raise PermissionDenied
    pinned = request.POST.get("pinned") == "1"
    try:
        decisions.match_pin(match=match, by=request.user, pinned=pinned)
    except ValidationError as error:
        return _form_error(request, error, reverse("matching:match-list"))
    if pinned:
        messages.success(
            request, _("The match of %(match)s is pinned: the global assignment keeps it.") % {"match": match}
        )
    else:
        messages.success(request, _("The match of %(match)s is no longer pinned.") % {"match": match})
    return redirect("matching:match-list")


def _edition_links(user: object, edition: Edition | None) -> dict[str, str]:
    """Links to the edition-wide pages: the assignment (coordinator: edition; adviser: own region) and the weights."""
    if edition is None:
        return {}
    links = {}
    if user.is_coordinator:  # type: ignore[attr-defined]
        links["assignment"] = reverse("matching:assignment", args=[edition.slug])
        links["weights"] = reverse("matching:weights", args=[edition.slug])
    elif user.adviser_region_ids:  # type: ignore[attr-defined]
        regions = sorted(
            (m.region for m in user.active_memberships if m.role == Role.ADVISER and m.region),  # type: ignore[attr-defined]
            key=lambda region: region.name,
        )
        links["assignment"] = f"{reverse('matching:assignment', args=[edition.slug])}?region={regions[0].slug}"
    return links


@dataclass(frozen=True)
class MatchRow:
    match: Match
    accept_side: str  # "school", "company" or "" (nothing to accept for this user)
    can_decide: bool


@login_required
@require_safe
def match_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_matches(user):
        raise PermissionDenied
    edition = Edition.objects.current()
    matches = (
        matches_visible_to(user)
        .filter(participation__edition=edition)
        .select_related("participation__school__region", "participation__edition", "company")
        .order_by("participation__school__name", "-created_at")
    )
    rows = [MatchRow(match, open_side(user, match), can_decide(user, match.participation)) for match in matches]
    return render(
        request,
        "matching/match_list.html",
        {
            "rows": rows,
            "edition": edition,
            "reject_form": ReasonForm(auto_id=False),
            "links": _edition_links(user, edition),
        },
    )
