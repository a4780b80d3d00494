"""Project-wide pages: the role dashboard, the health check, the about page and invitation acceptance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from baseline import selectors as baseline_selectors
from baseline.models import Measurement
from matching import selectors as matching_selectors
from partners import selectors
from partners.models import Company, Edition, Participation, School, User
from stempact.charts import bar_chart


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    edition = Edition.objects.current()
    context: dict[str, object] = {"edition": edition, "phases": edition.phases() if edition else []}
    if user.is_coordinator:
        context["coordinator"] = {
            "schools": School.objects.count(),
            "companies": Company.objects.count(),
            "users": User.objects.filter(is_active=True).count(),
            "participating": Participation.objects.filter(edition=edition).count() if edition else 0,
            "status_chart": bar_chart(_("Schools per status"), selectors.edition_status_counts(edition=edition))
            if edition
            else None,
            "region_chart": bar_chart(_("Schools per region"), selectors.edition_region_counts(edition=edition))
            if edition
            else None,
        }
    if user.adviser_region_ids:
        schools = School.objects.filter(region_id__in=user.adviser_region_ids)
        context["adviser"] = {
            "regions": [m.region for m in user.active_memberships if m.region_id],
            "participations": _attach_matches(
                _attach_measurements(
                    list(
                        Participation.objects.filter(edition=edition, school__in=schools)
                        .select_related("school")
                        .order_by("school__name")
                    )
                    if edition
                    else []
                )
            ),
            "status_chart": bar_chart(
                _("Your schools per status"), selectors.edition_status_counts(edition=edition, schools=schools)
            )
            if edition
            else None,
        }
    if user.school_ids:
        participations = selectors.participations_for_school_member(user=user, edition=edition)
        _attach_matches(_attach_measurements(participations))
        registered = {p.school_id for p in participations}
        context["school_member"] = {
            "participations": participations,
            "unregistered": [
                m.school for m in user.active_memberships if m.school_id and m.school_id not in registered
            ],
        }
    if user.company_ids:
        context["company_member"] = {
            "companies": [m.company for m in user.active_memberships if m.company_id],
            # Proposals waiting for the company's side: the member's next step, with a link to accept.
            "waiting": matching_selectors.matches_waiting_for_companies(company_ids=user.company_ids, edition=edition)
            if edition
            else [],
        }
    if user.is_juror:
        context["juror"] = {"editions": [m.edition for m in user.active_memberships if m.role == "juror"]}
    context["has_role"] = any(
        key in context for key in ("coordinator", "adviser", "school_member", "company_member", "juror")
    )
    return render(request, "dashboard.html", context)


def _attach_matches(participations: list[Participation]) -> list[Participation]:
    """Give each participation its `mentor_match`: the active match, else the newest open proposal, else None."""
    found = matching_selectors.mentor_matches(participation_ids=[p.pk for p in participations])
    for participation in participations:
        participation.mentor_match = found.get(participation.pk)  # type: ignore[attr-defined]
    return participations


def _attach_measurements(participations: list[Participation]) -> list[Participation]:
    """Give each participation its `baseline` and `end` measurement (or None), in one query for all."""
    found = baseline_selectors.measurements_by_participation(participation_ids=[p.pk for p in participations])
    for participation in participations:
        kinds = found.get(participation.pk, {})
        participation.baseline = kinds.get(Measurement.Kind.BASELINE)  # type: ignore[attr-defined]
        participation.end = kinds.get(Measurement.Kind.END)  # type: ignore[attr-defined]
    return participations


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness + database check for the container health check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An invited person chooses a password through the link in their invitation e-mail, and is logged in."""

    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("dashboard")
    title = gettext_lazy("Choose your password")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome to STEMpact! Your password has been saved."))
        return response
