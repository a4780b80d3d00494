"""Results pages: a measurement's scores and radar chart, baseline vs end measurement, edition settings, averages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from partners.models import Edition
from stempact.charts import bar_chart

from . import permissions, scoring, selectors, services
from .forms_results import EditionSettingsForm
from .models import Criterion, CriterionAssessment, KeyElement, Measurement
from .scale import LABEL_LEVEL_NAMES

#: Averages are shown from this many submitted baselines, so no single school can be singled out.
AVERAGES_MINIMUM = 5

#: The indicative STEM School Label levels as people read them (the codes come from baseline.scoring).


@dataclass(frozen=True)
class LevelBand:
    """One indicative level with the overall percentages that reach it, e.g. Proficient: 60 to 79 %."""

    code: str
    label: str
    low: float
    high: float | None  # None: up to and including 100 %


def level_bands(thresholds: scoring.Thresholds) -> list[LevelBand]:
    """The four levels with their ranges, lowest first; a level whose range is empty (equal thresholds) is left out."""
    edges = [
        (scoring.NO_LABEL, 0.0),
        (scoring.COMPETENT, thresholds.competent),
        (scoring.PROFICIENT, thresholds.proficient),
        (scoring.EXPERT, thresholds.expert),
    ]
    bands = []
    for i, (code, low) in enumerate(edges):
        high = edges[i + 1][1] if i + 1 < len(edges) else None
        if high is not None and high <= low:
            continue
        bands.append(LevelBand(code=code, label=str(LABEL_LEVEL_NAMES[code]), low=low, high=high))
    return bands


def _direction(delta: float | None) -> str:
    """The way a change goes: up, down, same, or "" when one side is missing.

    It drives an arrow *and* a text in the templates, so a change never reads from colour alone.
    """
    if delta is None:
        return ""
    return "up" if delta > 0 else "down" if delta < 0 else "same"


def _visible_measurement(request: HttpRequest, pk: int) -> Measurement:
    try:
        return selectors.measurement_detail_for(user=request.user, measurement_id=pk)
    except Measurement.DoesNotExist:
        raise Http404 from None


# --------------------------------------------------------------------------- results of one measurement


@login_required
@require_safe
def measurement_results(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _visible_measurement(request, pk)
    card = selectors.scorecard_for(measurement)
    sections = selectors.element_sections(measurement, card)
    chart = selectors.element_radar(
        _("Score per key element (%)"),
        [section.element for section in sections],
        [
            (
                str(measurement.get_kind_display()),
                [section.score.percentage if section.score else None for section in sections],
            )
        ],
    )
    return render(
        request,
        "baseline/results_detail.html",
        {
            "measurement": measurement,
            "card": card,
            "sections": sections,
            "level_label": LABEL_LEVEL_NAMES[card.level],
            "bands": level_bands(selectors.thresholds_of(measurement)),
            "chart": chart,
            "is_draft": measurement.status == Measurement.Status.DRAFT,
        },
    )


# --------------------------------------------------------------------------- baseline vs end measurement


@dataclass(frozen=True)
class CriterionChange:
    """One criterion's level at the baseline and at the end measurement."""

    criterion: Criterion
    before: CriterionAssessment | None
    after: CriterionAssessment | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None or self.before.level is None or self.after.level is None:
            return None
        return self.after.level - self.before.level

    @property
    def direction(self) -> str:
        return _direction(self.delta)


@dataclass(frozen=True)
class ElementComparison:
    element: KeyElement
    growth: scoring.Growth
    criteria: list[CriterionChange]
    is_focus: bool

    @property
    def direction(self) -> str:
        return _direction(self.growth.delta)


def _compare_elements(
    before: list[selectors.ElementSection],
    after: list[selectors.ElementSection],
    card_before: scoring.ScoreCard,
    card_after: scoring.ScoreCard,
) -> list[ElementComparison]:
    before_by_number = {s.element.number: s for s in before}
    after_by_number = {s.element.number: s for s in after}
    rows = []
    for growth in scoring.growth(card_before, card_after):
        b, a = before_by_number.get(growth.element), after_by_number.get(growth.element)
        section = a or b  # growth only lists elements of either side; the end measurement's focus counts
        assert section is not None
        before_assessments = {x.criterion_id: x for x in (b.assessments if b else [])}
        after_assessments = {x.criterion_id: x for x in (a.assessments if a else [])}
        criteria = {x.criterion_id: x.criterion for x in [*before_assessments.values(), *after_assessments.values()]}
        changes = [
            CriterionChange(criterion, before_assessments.get(pk), after_assessments.get(pk))
            for pk, criterion in sorted(criteria.items(), key=lambda item: item[1].number)
        ]
        rows.append(ElementComparison(section.element, growth, changes, is_focus=section.is_focus))
    return rows


@login_required
@require_safe
def measurement_compare(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        baseline, end = selectors.comparison_for(user=request.user, measurement_id=pk)
    except Measurement.DoesNotExist:
        raise Http404 from None
    context: dict[str, object] = {"baseline": baseline, "end": end, "school": baseline.participation.school}
    if end is None:
        return render(request, "baseline/compare.html", context)
    card_before, card_after = selectors.scorecard_for(baseline), selectors.scorecard_for(end)
    elements = _compare_elements(
        selectors.element_sections(baseline, card_before),
        selectors.element_sections(end, card_after),
        card_before,
        card_after,
    )
    overall = scoring.Growth(0, card_before.percentage, card_after.percentage)
    context |= {
        "card_before": card_before,
        "card_after": card_after,
        "level_before": LABEL_LEVEL_NAMES[card_before.level],
        "level_after": LABEL_LEVEL_NAMES[card_after.level],
        "elements": elements,
        "overall": overall,
        "overall_direction": _direction(overall.delta),
        "chart": selectors.element_radar(
            _("Baseline and end measurement per key element (%)"),
            [row.element for row in elements],
            [
                (str(Measurement.Kind.BASELINE.label), [row.growth.before for row in elements]),
                (str(Measurement.Kind.END.label), [row.growth.after for row in elements]),
            ],
        ),
        "end_is_draft": end.status == Measurement.Status.DRAFT,
    }
    return render(request, "baseline/compare.html", context)


# --------------------------------------------------------------------------- per edition: settings and averages


@login_required
@require_http_methods(["GET", "POST"])
def edition_settings(request: HttpRequest, edition_slug: str) -> HttpResponse:
    if not permissions.can_configure_baseline(request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, slug=edition_slug)
    config = services.edition_settings(edition=edition)
    form = EditionSettingsForm(request.POST if request.method == "POST" else None, config=config)
    if form.is_bound and form.is_valid():
        services.edition_settings_update(edition=edition, **form.cleaned_data)
        messages.success(request, _("The baseline settings of %(edition)s are saved.") % {"edition": edition})
        return redirect("baseline:edition-settings", edition_slug=edition.slug)
    return render(
        request,
        "baseline/settings_edition.html",
        {"edition": edition, "config": config, "form": form, "bands": level_bands(config.thresholds)},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def edition_averages(request: HttpRequest, edition_slug: str) -> HttpResponse:
    # Edition-wide figures are for the central team, like the settings they are read against.
    if not permissions.can_configure_baseline(request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, slug=edition_slug)
    averages = selectors.edition_element_averages(edition=edition, minimum=AVERAGES_MINIMUM)
    context: dict[str, object] = {
        "edition": edition,
        "averages": averages,
        "submitted": selectors.submitted_baseline_count(edition=edition),
        "minimum": AVERAGES_MINIMUM,
    }
    if averages:
        context["bar_chart"] = bar_chart(
            _("Average score per key element (%)"),
            [(element.short_label, value) for element, value in averages],
            scale_to=100,
        )
        context["radar_chart"] = selectors.element_radar(
            _("Average score per key element (%)"),
            [element for element, _value in averages],
            [(_("Average"), [value for _element, value in averages])],
        )
    return render(request, "baseline/averages_edition.html", context)
