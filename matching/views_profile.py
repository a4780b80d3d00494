"""The mentor profile page of a company in an edition (by default the current edition).

Access: the company is fetched through the companies the user may see, so school members, jurors and members of
other companies get 404. Members of the company and coordinators edit the profile. Advisers see it read-only: they
pick mentor companies across regions and need to read every offer, but it is the company's word, so their GET shows
the profile without a form and a POST is refused with 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.models import Company, Edition

from .forms_profile import MentorProfileForm
from .profiles import (
    can_edit_profile,
    company_for_profile,
    mentor_profile_save,
    offer_labels,
    profile_for,
)


def _edition(slug: str | None) -> Edition:
    if slug is None:
        edition = Edition.objects.current()
        if edition is None:
            raise Http404("No edition exists yet.")
        return edition
    return get_object_or_404(Edition, slug=slug)


def profile_url(company: Company, edition: Edition) -> str:
    return reverse("matching:mentor-profile-edition", args=[company.pk, edition.slug])


@login_required
@require_http_methods(["GET", "POST"])
def mentor_profile(request: HttpRequest, company_id: int, edition_slug: str | None = None) -> HttpResponse:
    try:
        company = company_for_profile(user=request.user, company_id=company_id)
    except Company.DoesNotExist:
        raise Http404 from None
    edition = _edition(edition_slug)
    can_edit = can_edit_profile(request.user, company)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    profile = profile_for(company=company, edition=edition)
    form = None
    if can_edit:
        form = MentorProfileForm(request.POST or None, company=company, edition=edition, profile=profile)
        if request.method == "POST" and form.is_valid():
            mentor_profile_save(company=company, edition=edition, **form.cleaned_data)
            messages.success(request, _("Mentor profile saved."))
            return redirect(profile_url(company, edition))
    return render(
        request,
        "matching/profile_form.html",
        {
            "company": company,
            "edition": edition,
            "profile": profile,
            "offers": offer_labels(profile.offers) if profile else [],
            "form": form,
            "editions": Edition.objects.order_by("-starts_on"),
        },
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )
