"""Pages of reports: ask for one, watch it being made (htmx polling), download it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from actionplans.models import ActionPlan
from actionplans.permissions import can_view_plan
from baseline.models import Measurement
from baseline.permissions import can_view_measurement

from .models import Report
from .selectors import report_detail_for
from .services import plan_report_request, report_request


def _report_for(request: HttpRequest, pk: int) -> Report:
    try:
        return report_detail_for(user=request.user, report_id=pk)
    except Report.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def measurement_report_request(request: HttpRequest, measurement_id: int) -> HttpResponse:
    """Ask for the Verslag nulmeting (or eindmeting) of a measurement; a current one is reused."""
    measurement = get_object_or_404(
        Measurement.objects.visible_to(request.user).select_related("participation__school"),
        pk=measurement_id,
    )
    if not can_view_measurement(request.user, measurement):
        raise Http404
    report = report_request(kind=Report.Kind.BASELINE, measurement=measurement, by=request.user)
    return _to_report_page(request, report)


@login_required
@require_POST
def action_plan_report_request(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Ask for the PDF of an action plan (Verbeteractieplan); a current one is reused. Open to whoever may see the
    plan, 404 for everyone else."""
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related(
            "participation__school", "participation__edition", "match__company"
        ),
        pk=plan_id,
    )
    if not can_view_plan(request.user, plan):
        raise Http404
    report = plan_report_request(plan=plan, by=request.user)
    return _to_report_page(request, report)


def _to_report_page(request: HttpRequest, report: Report) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(report.get_absolute_url())
    return redirect(report)


@login_required
@require_GET
@never_cache
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's status and progress; while it is being made the status part polls this page (htmx)."""
    report = _report_for(request, pk)
    context = {
        "report": report,
        "can_request_again": _can_request_again(request, report),
        "target_url": report.target.get_absolute_url() if report.target else None,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "reports/_status.html", context)
    return render(request, "reports/report_detail.html", context)


@login_required
@require_GET
@never_cache
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    if not report.is_ready:
        return redirect(report)
    try:
        stored = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stored, as_attachment=True, filename=report.filename)


def _can_request_again(request: HttpRequest, report: Report) -> bool:
    if report.measurement is not None:
        return can_view_measurement(request.user, report.measurement)
    if report.action_plan is not None:
        return can_view_plan(request.user, report.action_plan)
    return False
