"""Measuring pages: the list of measurements, a measurement's overview, the form per key element (autosave with
optimistic concurrency), evidence, the adviser's conversation, submit / finalise / reopen and the history.

Access: a measurement outside the user's scope answers 404 (fetched through `visible_to`); an action the user may
not take on a measurement they can see answers 403 (the predicates in baseline/permissions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.models import Edition, Participation

from . import permissions, selectors, services
from .forms import ElementForm, EvidenceForm, ReviewForm
from .models import Criterion, CriterionAssessment, Evidence, KeyElement, Measurement
from .scale import Level

if TYPE_CHECKING:
    from partners.models import User

HISTORY_PAGE_SIZE = 50
#: Fields of the adviser's form: a stale save there only conflicts with changes to these.

FIELD_LABELS = {
    "level": gettext_lazy("Level"),
    "practice": gettext_lazy("Current practice (Toepassing)"),
    "improvement": gettext_lazy("Improvement point (Werkpunt)"),
    "evidence": gettext_lazy("Evidence"),
    "meeting_date": gettext_lazy("Date of the conversation"),
    "present_director": gettext_lazy("Director (directie)"),
    "present_tac": gettext_lazy("Technical adviser-coordinator (TAC)"),
    "present_adviser": gettext_lazy("Voka adviser"),
    "present_others": gettext_lazy("Others present"),
    "advice": gettext_lazy("Advice of the Voka coach"),
    "element_advice": gettext_lazy("Advice per key element"),
    "focus_elements": gettext_lazy("Focus key elements"),
}


# --------------------------------------------------------------------------- helpers


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _measurement_for(request: HttpRequest, pk: int) -> Measurement:
    """The measurement with its criteria, evidence and advice (constant queries), or 404 outside the user's scope."""
    try:
        return selectors.measurement_detail_for(user=_user(request), measurement_id=pk)
    except Measurement.DoesNotExist:
        raise Http404 from None


def _plain_measurement_for(request: HttpRequest, pk: int) -> Measurement:
    """The measurement without its details, for actions and the history; 404 outside the user's scope."""
    return get_object_or_404(
        Measurement.objects.visible_to(_user(request)).select_related(
            "participation__school", "participation__edition", "finalised_by", "submitted_by"
        ),
        pk=pk,
    )


def _elements_of(measurement: Measurement) -> list[KeyElement]:
    """The key elements this measurement measures (from its prefetched assessments), in order."""
    elements: dict[int, KeyElement] = {}
    for assessment in measurement.assessments.all():
        elements.setdefault(assessment.criterion.element.number, assessment.criterion.element)
    return [elements[number] for number in sorted(elements)]


def _assessments_of(measurement: Measurement, element: KeyElement) -> list[CriterionAssessment]:
    return sorted(
        (a for a in measurement.assessments.all() if a.criterion.element_id == element.pk),
        key=lambda a: a.criterion.number,
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change, readable: which field of which criterion or key element, before and after."""

    field: str
    subject: str
    old: str
    new: str
    by: str = ""
    at: dt.datetime | None = None


class ChangeDescriber:
    """Turns the `changes` of history events and stale saves into rows people can read (2 queries)."""

    def __init__(self, measurement: Measurement) -> None:
        framework_id = measurement.framework_id
        self.criteria = {c.pk: c for c in Criterion.objects.filter(element__framework_id=framework_id)}
        self.elements = {e.pk: e for e in KeyElement.objects.filter(framework_id=framework_id)}

    def rows(self, changes: Iterable[dict[str, Any]]) -> list[ChangeRow]:
        return [self.row(change) for change in changes]

    def row(self, change: dict[str, Any]) -> ChangeRow:
        name = change.get("field", "")
        subject = ""
        if change.get("criterion") in self.criteria:
            subject = str(self.criteria[change["criterion"]])
        elif change.get("element") in self.elements:
            subject = str(self.elements[change["element"]])
        at = change.get("at")
        return ChangeRow(
            field=str(FIELD_LABELS.get(name, name)),
            subject=subject,
            old=self.value(name, change.get("old")),
            new=self.value(name, change.get("new")),
            by=change.get("by", ""),
            at=dt.datetime.fromisoformat(at) if isinstance(at, str) else None,
        )

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if name == "level" and value in Level.values:
            return str(Level(value).label)
        if name == "focus_elements":
            return ", ".join(str(self.elements[i].label) for i in value if i in self.elements) or "—"
        if name == "meeting_date" and isinstance(value, str):
            return date_format(dt.date.fromisoformat(value))
        return str(value)


def _htmx_fragment(
    request: HttpRequest, template: str, context: dict[str, Any], status: int, target: str
) -> HttpResponse:
    """A re-rendered form answering an htmx save that was refused: it replaces the form (static/js/measurement.js
    lets htmx swap 400 and 409 answers of measuring forms)."""
    response = render(request, template, context, status=status)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


def _saved(request: HttpRequest, measurement: Measurement) -> HttpResponse:
    """Answer to an htmx autosave: the status line, and the new version for the form's next save (out of band)."""
    return render(
        request,
        "baseline/measure/save_status.html",
        {"saved_at": timezone.now(), "version": measurement.version},
    )


def _save_failed(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "baseline/measure/save_status.html", {"error": message}, status=status)


def _refused(request: HttpRequest, measurement: Measurement) -> HttpResponse:
    """403 for a save this person may not make. An open page whose measurement was finalised in the meantime gets
    the reason in its status line instead of saving silently into nothing."""
    if request.htmx and measurement.is_locked:
        return _save_failed(
            request, _("This measurement is finalised and locked. A coordinator can reopen it."), status=403
        )
    raise PermissionDenied


# --------------------------------------------------------------------------- list and start


@dataclass
class ListRow:
    participation: Participation
    baseline: Measurement | None = None
    end: Measurement | None = None


@login_required
def measurement_list(request: HttpRequest) -> HttpResponse:
    """Advisers and coordinators: the measurements of their schools in an edition, with status and progress, and a
    start button where none exists yet. A school member goes straight to their school's measurement."""
    user = _user(request)
    editions = list(Edition.objects.order_by("-starts_on"))
    chosen = request.GET.get("editie")
    edition = next((e for e in editions if e.slug == chosen), None) or Edition.objects.current()
    oversees = user.is_coordinator or bool(user.adviser_region_ids)
    if not oversees and not user.school_ids:
        raise PermissionDenied

    participations = Participation.objects.filter(edition=edition).select_related("school__region", "edition")
    if not user.is_coordinator:
        participations = participations.filter(
            Q(school__region_id__in=user.adviser_region_ids) | Q(school_id__in=user.school_ids)
        )
    rows = {p.pk: ListRow(p) for p in participations.order_by("school__name")}
    found = selectors.measurements_by_participation(participation_ids=list(rows))
    for participation_id, row in rows.items():
        kinds = found.get(participation_id, {})
        row.baseline = kinds.get(Measurement.Kind.BASELINE)
        row.end = kinds.get(Measurement.Kind.END)

    if not oversees and len(rows) == 1:
        (only,) = rows.values()
        if only.end or only.baseline:
            return redirect(only.end or only.baseline)
    return render(
        request,
        "baseline/measurement_list.html",
        {
            "edition": edition,
            "editions": editions,
            "rows": list(rows.values()),
            "started": sum(1 for row in rows.values() if row.baseline),
            "oversees": oversees,
        },
    )


@login_required
@require_POST
def measurement_start(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_object_or_404(Participation.objects.select_related("school", "edition"), pk=participation_id)
    if not permissions.can_start_measurement(_user(request), participation):
        raise Http404
    try:
        measurement = services.measurement_start(participation=participation, by=_user(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("baseline:measurement-list")
    return redirect(measurement)


@login_required
@require_POST
def end_measurement_start(request: HttpRequest, pk: int) -> HttpResponse:
    baseline = _plain_measurement_for(request, pk)
    if not permissions.can_start_measurement(_user(request), baseline.participation):
        raise PermissionDenied
    try:
        end = services.end_measurement_start(baseline=baseline, by=_user(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(baseline)
    messages.success(request, _("The end measurement starts from the answers of the baseline measurement."))
    return redirect(end)


# --------------------------------------------------------------------------- overview


@login_required
@require_GET
def measurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _measurement_for(request, pk)
    user = _user(request)
    card = selectors.scorecard_for(measurement)
    follow_up = None
    if measurement.kind == Measurement.Kind.BASELINE:
        follow_up = Measurement.objects.filter(
            participation_id=measurement.participation_id, kind=Measurement.Kind.END
        ).first()
    can_start_end = (
        measurement.kind == Measurement.Kind.BASELINE
        and measurement.status != Measurement.Status.DRAFT
        and follow_up is None
        and permissions.can_start_measurement(user, measurement.participation)
    )
    sections = selectors.element_sections(measurement, card)
    return render(
        request,
        "baseline/measurement_detail.html",
        {
            "measurement": measurement,
            "card": card,
            "sections": sections,
            "advised_sections": [s for s in sections if s.advice],
            "focus": [s.element for s in sections if s.is_focus],
            "open_criteria": [a.criterion for a in measurement.assessments.all() if a.level is None],
            "follow_up": follow_up,
            "can_start_end": can_start_end,
            "can_edit": permissions.can_edit_assessments(user, measurement),
            "can_submit": permissions.can_submit_measurement(user, measurement),
            "can_review": permissions.can_review_measurement(user, measurement),
            "can_reopen": permissions.can_reopen_measurement(user, measurement),
        },
    )


# --------------------------------------------------------------------------- one key element


def _element_page(
    request: HttpRequest,
    *,
    measurement: Measurement,
    element: KeyElement,
    form: ElementForm | None = None,
    evidence_form: EvidenceForm | None = None,
    conflict: list[ChangeRow] | None = None,
    status: int = 200,
    fragment: bool = False,
) -> HttpResponse:
    """The form of one key element (or its read-only view once finalised). `form` is a bound form to show again
    (posted values win), `evidence_form` a bound evidence form with errors for one criterion."""
    can_edit = permissions.can_edit_assessments(_user(request), measurement)
    assessments = _assessments_of(measurement, element)
    form = form or ElementForm(assessments=assessments, version=measurement.version)
    rows = form.rows()
    for row in rows:
        if evidence_form is not None and evidence_form.prefix == _evidence_prefix(row.assessment.criterion_id):
            row.evidence_form = evidence_form
        elif can_edit:
            row.evidence_form = _evidence_form(row.assessment.criterion_id)
    elements = _elements_of(measurement)
    index = next(i for i, e in enumerate(elements) if e.pk == element.pk)
    context = {
        "measurement": measurement,
        "element": element,
        "element_title": f"{element.number}. {element.label}",
        "elements": elements,
        "previous": elements[index - 1] if index > 0 else None,
        "next": elements[index + 1] if index + 1 < len(elements) else None,
        "form": form,
        "rows": rows,
        "can_edit": can_edit,
        "conflict": conflict,
        "autosave": can_edit and conflict is None,
    }
    if fragment:
        return _htmx_fragment(request, "baseline/measure/element_form.html", context, status, "#element-form")
    return render(request, "baseline/measurement_element.html", context, status=status)


def _evidence_prefix(criterion_id: int) -> str:
    return f"ev{criterion_id}"


def _evidence_form(criterion_id: int, *args: Any) -> EvidenceForm:
    return EvidenceForm(*args, prefix=_evidence_prefix(criterion_id), html_form=f"evidence-add-{criterion_id}")


def _element_or_404(measurement: Measurement, number: int) -> KeyElement:
    element = next((e for e in _elements_of(measurement) if e.number == number), None)
    if element is None:
        raise Http404
    return element


@login_required
@require_http_methods(["GET", "POST"])
def measurement_element(request: HttpRequest, pk: int, element_number: int) -> HttpResponse:
    measurement = _measurement_for(request, pk)
    element = _element_or_404(measurement, element_number)
    if request.method == "GET":
        return _element_page(request, measurement=measurement, element=element)
    if not permissions.can_edit_assessments(_user(request), measurement):
        return _refused(request, measurement)

    form = ElementForm(request.POST, assessments=_assessments_of(measurement, element), version=measurement.version)
    if not form.is_valid():
        return _element_page(
            request, measurement=measurement, element=element, form=form, status=400, fragment=bool(request.htmx)
        )

    try:
        saved = services.measurement_save(
            measurement=measurement,
            by=_user(request),
            version=form.cleaned_data["version"],
            data=form.to_input(),
        )
    except services.StaleMeasurement as stale:
        # Show what the others changed, with what this person typed still in the form and the version they
        # have now seen, so "Save anyway" works after reviewing.
        current = _measurement_for(request, pk)
        data = request.POST.copy()
        data["version"] = str(stale.current_version)
        again = ElementForm(data, assessments=_assessments_of(current, element), version=current.version)
        again.is_valid()
        describe = ChangeDescriber(current)
        return _element_page(
            request,
            measurement=current,
            element=element,
            form=again,
            conflict=describe.rows(stale.changes),
            status=409,
            fragment=bool(request.htmx),
        )
    except ValidationError as error:
        if request.htmx:
            return _save_failed(request, _error_text(error))
        messages.error(request, _error_text(error))
        return redirect("baseline:measurement-element", pk=pk, element_number=element_number)

    if request.htmx:
        return _saved(request, saved)
    messages.success(request, _("Saved."))
    return redirect(_after_save(request, measurement, element))


def _after_save(request: HttpRequest, measurement: Measurement, element: KeyElement) -> str:
    """Where the buttons under the form lead once the element is saved."""
    go = request.POST.get("go")
    elements = _elements_of(measurement)
    index = next(i for i, e in enumerate(elements) if e.pk == element.pk)
    if go == "previous" and index > 0:
        element = elements[index - 1]
    elif go == "next" and index + 1 < len(elements):
        element = elements[index + 1]
    elif go == "overview":
        return measurement.get_absolute_url()
    return reverse("baseline:measurement-element", args=[measurement.pk, element.number])


# --------------------------------------------------------------------------- evidence


def _evidence_fragment(
    request: HttpRequest,
    measurement: Measurement,
    assessment: CriterionAssessment,
    form: EvidenceForm | None,
    status: int,
    error: str = "",
) -> HttpResponse:
    return render(
        request,
        "baseline/measure/evidence.html",
        {
            "measurement": measurement,
            "assessment": assessment,
            "evidence_form": form,
            "can_edit": permissions.can_edit_assessments(_user(request), measurement),
            "error": error,
        },
        status=status,
    )


def _evidence_refused(request: HttpRequest, measurement: Measurement, assessment: CriterionAssessment) -> HttpResponse:
    """403; an open page whose measurement was finalised meanwhile gets its evidence list back read-only, saying why."""
    if request.htmx and measurement.is_locked:
        message = _("This measurement is finalised and locked. A coordinator can reopen it.")
        return _evidence_fragment(request, measurement, assessment, None, status=403, error=message)
    raise PermissionDenied


def _element_url(measurement: Measurement, assessment: CriterionAssessment) -> str:
    url = reverse("baseline:measurement-element", args=[measurement.pk, assessment.criterion.element.number])
    return f"{url}#criterion-{assessment.criterion_id}"


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    assessment = get_object_or_404(
        CriterionAssessment.objects.select_related("criterion__element"),
        measurement=measurement,
        criterion_id=criterion_id,
    )
    if not permissions.can_edit_assessments(_user(request), measurement):
        return _evidence_refused(request, measurement, assessment)
    form = _evidence_form(criterion_id, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                measurement=measurement,
                criterion_id=criterion_id,
                by=_user(request),
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        if request.htmx:
            return _evidence_fragment(request, measurement, assessment, form, status=400)
        full = _measurement_for(request, pk)
        return _element_page(
            request, measurement=full, element=assessment.criterion.element, evidence_form=form, status=400
        )
    if request.htmx:
        return _evidence_fragment(request, measurement, assessment, _evidence_form(criterion_id), status=200)
    messages.success(request, _("Evidence added."))
    return redirect(_element_url(measurement, assessment))


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    evidence = get_object_or_404(
        Evidence.objects.select_related("assessment__criterion__element"),
        pk=evidence_id,
        assessment__measurement=measurement,
    )
    assessment = evidence.assessment
    if not permissions.can_edit_assessments(_user(request), measurement):
        return _evidence_refused(request, measurement, assessment)
    try:
        services.evidence_remove(evidence=evidence, by=_user(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(_element_url(measurement, assessment))
    if request.htmx:
        return _evidence_fragment(request, measurement, assessment, _evidence_form(assessment.criterion_id), 200)
    messages.success(request, _("Evidence removed."))
    return redirect(_element_url(measurement, assessment))


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """Uploaded evidence is only served to people who can see the measurement (never from a public media URL)."""
    measurement = _plain_measurement_for(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, assessment__measurement=measurement)
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=PurePath(evidence.file.name).name)


# --------------------------------------------------------------------------- submit, review, finalise, reopen


@login_required
@require_POST
def measurement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    if not permissions.can_submit_measurement(_user(request), measurement):
        raise PermissionDenied
    try:
        services.measurement_submit(measurement=measurement, by=_user(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Measurement submitted. Your adviser will plan the conversation with you."))
    return redirect(measurement)


@dataclass
class ReviewSection:
    section: selectors.ElementSection
    advice: Any  # the bound advice field of this key element


def _review_page(
    request: HttpRequest,
    *,
    measurement: Measurement,
    form: ReviewForm,
    conflict: list[ChangeRow] | None = None,
    status: int = 200,
    fragment: bool = False,
) -> HttpResponse:
    advice_fields = form.advice_fields()
    context = {
        "measurement": measurement,
        "form": form,
        "sections": [
            ReviewSection(section, advice_fields[section.element.pk])
            for section in selectors.element_sections(measurement)
        ],
        "conflict": conflict,
        "autosave": conflict is None,
    }
    if fragment:
        return _htmx_fragment(request, "baseline/measure/review_form.html", context, status, "#review-form")
    return render(request, "baseline/measurement_review.html", context, status=status)


def _review_form(measurement: Measurement, data: Any = None) -> ReviewForm:
    return ReviewForm(
        data,
        measurement=measurement,
        elements=_elements_of(measurement),
        advice={a.element_id: a.text for a in measurement.element_advice.all()},
        max_focus=services.edition_settings(edition=measurement.participation.edition).max_focus_elements,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurement_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The adviser's part: the conversation, who was present, advice per key element and overall, focus elements."""
    measurement = _measurement_for(request, pk)
    if not permissions.can_review_measurement(_user(request), measurement):
        if measurement.is_locked and request.method == "GET":
            return redirect(measurement)  # finalised: the overview shows the conversation read-only
        return _refused(request, measurement)
    if request.method == "GET":
        return _review_page(request, measurement=measurement, form=_review_form(measurement))

    form = _review_form(measurement, request.POST)
    fragment = bool(request.htmx)
    if not form.is_valid():
        return _review_page(request, measurement=measurement, form=form, status=400, fragment=fragment)
    try:
        saved = services.measurement_save(
            measurement=measurement,
            by=_user(request),
            version=form.cleaned_data["version"],
            data=form.to_input(),
        )
    except services.StaleMeasurement as stale:
        current = _measurement_for(request, pk)
        data = request.POST.copy()
        data["version"] = str(stale.current_version)
        again = _review_form(current, data)
        again.is_valid()
        conflict = ChangeDescriber(current).rows(stale.changes)
        return _review_page(request, measurement=current, form=again, conflict=conflict, status=409, fragment=fragment)
    except ValidationError as error:
        form.add_error(None, error)
        return _review_page(request, measurement=measurement, form=form, status=400, fragment=fragment)
    if request.htmx:
        return _saved(request, saved)
    messages.success(request, _("Saved."))
    if request.POST.get("go") == "overview":
        return redirect(measurement)
    return redirect("baseline:measurement-review", pk=pk)


@login_required
@require_POST
def measurement_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    if not permissions.can_review_measurement(_user(request), measurement):
        raise PermissionDenied
    try:
        services.measurement_finalise(measurement=measurement, by=_user(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Measurement finalised and locked."))
    return redirect(measurement)


@login_required
@require_POST
def measurement_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    if not permissions.can_reopen_measurement(_user(request), measurement):
        raise PermissionDenied
    try:
        services.measurement_reopen(measurement=measurement, by=_user(request), reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Measurement reopened: the school and the adviser can edit it again."))
    return redirect(measurement)


# --------------------------------------------------------------------------- history


@dataclass
class HistoryItem:
    event: Any
    changes: list[ChangeRow]


@login_required
@require_GET
def measurement_history(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _plain_measurement_for(request, pk)
    page = Paginator(measurement.events.select_related("by").order_by("-at", "-id"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    describe = ChangeDescriber(measurement)
    return render(
        request,
        "baseline/measurement_history.html",
        {
            "measurement": measurement,
            "page": page,
            "items": [HistoryItem(event, describe.rows(event.changes)) for event in page.object_list],
        },
    )
