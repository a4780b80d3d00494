from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_filters import FilterSet

from . import permissions, selectors
from .filters import CompanyFilter, SchoolFilter
from .forms import ImportForm, InviteForm
from .imports import ImportResult, OrganisationImportRejected, decode_upload, organisations_import
from .models import Company, Edition, School
from .services import user_invite

PAGE_SIZE = 25


def _paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_page(request: HttpRequest, *, template: str, filterset: FilterSet, title: str) -> HttpResponse:
    """A searchable list page; an htmx request (typing in the search field) gets only the results fragment."""
    page = _paginate(request, filterset.qs)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "title": title, "querystring": query.urlencode()}
    if request.htmx and not request.htmx.boosted:
        return render(request, template.replace(".html", "_results.html"), context)
    return render(request, template, context)


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_list_schools(request.user):
        raise PermissionDenied
    filterset = SchoolFilter(request.GET or None, queryset=selectors.school_list_for(user=request.user))
    return _list_page(request, template="partners/school_list.html", filterset=filterset, title=_("Schools"))


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        school = selectors.school_detail_for(user=request.user, school_id=pk)
    except School.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "partners/school_detail.html",
        {"school": school, "can_edit": permissions.can_edit_school(request.user, school)},
    )


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_list_companies(request.user):
        raise PermissionDenied
    filterset = CompanyFilter(request.GET or None, queryset=selectors.company_list_for(user=request.user))
    return _list_page(request, template="partners/company_list.html", filterset=filterset, title=_("Companies"))


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        company = selectors.company_detail_for(user=request.user, company_id=pk)
    except Company.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "partners/company_detail.html",
        {
            "company": company,
            "study_areas": company.study_areas_from_nace(),
            "can_edit": permissions.can_edit_company(request.user, company),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_organisations(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_organisations(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        files = {
            f"{name}_file": _text_stream(form.cleaned_data[name])
            for name in ("schools", "companies")
            if form.cleaned_data.get(name)
        }
        try:
            result = organisations_import(**files, edition=form.cleaned_data.get("edition"))
        except OrganisationImportRejected as rejected:
            errors = rejected.errors
            messages.error(
                request,
                ngettext(
                    "Nothing was imported: %(count)d problem was found. Fix it and upload the file again.",
                    "Nothing was imported: %(count)d problems were found. Fix them and upload the file again.",
                    len(errors),
                )
                % {"count": len(errors)},
            )
        else:
            messages.success(request, import_summary(result, edition=form.cleaned_data.get("edition")))
            return redirect("partners:import")
    status = 400 if request.method == "POST" and (errors or not form.is_valid()) else 200
    return render(request, "partners/import.html", {"form": form, "errors": errors}, status=status)


def import_summary(result: ImportResult, *, edition: Edition | None = None) -> str:
    """What an import did, per organisation kind, e.g. "Import done. Schools: 3 added, 1 updated." """
    parts = [_("Import done.")]
    if result.schools_created or result.schools_updated:
        parts.append(
            _("Schools: %(added)s added, %(updated)s updated.")
            % {"added": result.schools_created, "updated": result.schools_updated}
        )
    if result.companies_created or result.companies_updated:
        parts.append(
            _("Companies: %(added)s added, %(updated)s updated.")
            % {"added": result.companies_created, "updated": result.companies_updated}
        )
    if edition is not None and (result.schools_created or result.schools_updated):
        parts.append(
            ngettext(
                "%(count)d school newly registered in %(edition)s.",
                "%(count)d schools newly registered in %(edition)s.",
                result.schools_registered,
            )
            % {"count": result.schools_registered, "edition": edition}
        )
    parts.extend(result.notes)
    return " ".join(parts)


def _text_stream(upload: UploadedFile) -> io.StringIO:
    return io.StringIO(decode_upload(upload.read()))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_invite_users(request.user):
        raise PermissionDenied
    users = selectors.user_list_for(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(email__icontains=q) | users.filter(last_name__icontains=q)
    return render(request, "partners/user_list.html", {"page": _paginate(request, users), "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_invite_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_invite_users(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        membership = user_invite(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Invitation sent to %(email)s as %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
        return redirect("partners:user-list")
    return render(request, "partners/user_invite.html", {"form": form}, status=400 if form.errors else 200)
