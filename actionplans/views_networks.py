"""Learning networks (lerende netwerken): the three regional sessions of an edition and who attended them.

Each region holds three sessions per edition — Methodiek (the iSTEM method), Inspireren and Ervaringsuitwisseling
(schools present their draft plan) — and the jury looks at who attended. Coordinators and the region's advisers plan
the sessions and register attendance per school and per mentor company; the action plan page shows it.

Access:
- sessions page: coordinators (every region) and advisers (their regions) with the forms to plan sessions; school and
  company members read the sessions of their school's region or of the schools their company mentors (active
  matches), with their own attendance; jurors and people without a role get 403 (`can_list_sessions`).
- planning a session in a region: a region the user sees but does not manage is 403, any other region 404.
- a session's change, removal and attendance pages: outside `LearningNetworkSession.objects.visible_to` 404 (advisers
  of other regions, jurors); visible but not managed (school and company members) 403.
An unknown edition or region is 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from matching.models import Match
from partners.models import Company, Edition, Participation, Region

from . import selectors, services
from .forms_networks import AttendanceForm, SessionForm
from .models import Attendance, LearningNetworkSession
from .permissions import can_edit_session, can_list_sessions, can_manage_sessions, can_register_attendance

if TYPE_CHECKING:
    from partners.models import User

Kind = LearningNetworkSession.Kind


# --------------------------------------------------------------------------- reads
# Reads of these pages only (constant query counts); candidates for selectors.py.


@dataclass
class OwnParties:
    """The schools (participations) and mentor companies a member acts for in an edition, per region id."""

    participations: dict[int, list[Participation]] = field(default_factory=lambda: defaultdict(list))
    companies: dict[int, list[Company]] = field(default_factory=lambda: defaultdict(list))

    @property
    def region_ids(self) -> set[int]:
        return set(self.participations) | set(self.companies)


def own_parties(user: User, edition: Edition) -> OwnParties:
    """The user's own school participations and the companies mentoring a school (active match), by region."""
    parties = OwnParties()
    if user.school_ids:
        own = Participation.objects.filter(edition=edition, school_id__in=user.school_ids).select_related("school")
        for participation in own:
            parties.participations[participation.school.region_id].append(participation)
    if user.company_ids:
        matches = (
            Match.objects.filter(
                status=Match.Status.ACTIVE, participation__edition=edition, company_id__in=user.company_ids
            )
            .select_related("company", "participation__school")
            .order_by("company__name")
        )
        for match in matches:
            listed = parties.companies[match.participation.school.region_id]
            if match.company not in listed:
                listed.append(match.company)  # type: ignore[arg-type]
    return parties


def visible_region_ids(user: User, edition: Edition, parties: OwnParties | None = None) -> set[int]:
    """The regions whose sessions the user sees in this edition (the rule of SessionQuerySet.visible_to)."""
    if user.is_coordinator:
        return set(Region.objects.values_list("pk", flat=True))
    parties = parties if parties is not None else own_parties(user, edition)
    return set(user.adviser_region_ids) | parties.region_ids


def region_counts(edition: Edition, region_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Per region: (participating schools, their distinct mentor companies with an active match)."""
    schools = dict(
        Participation.objects.filter(edition=edition, school__region_id__in=region_ids)
        .values_list("school__region_id")
        .annotate(n=Count("pk"))
        .values_list("school__region_id", "n")
    )
    companies = dict(
        Match.objects.filter(
            status=Match.Status.ACTIVE,
            participation__edition=edition,
            participation__school__region_id__in=region_ids,
            company__isnull=False,
        )
        .values_list("participation__school__region_id")
        .annotate(n=Count("company_id", distinct=True))
        .values_list("participation__school__region_id", "n")
    )
    return {pk: (schools.get(pk, 0), companies.get(pk, 0)) for pk in region_ids}


@dataclass(frozen=True)
class OwnAttendance:
    name: str
    present: bool | None  # None: nothing registered


@dataclass(frozen=True)
class SessionRow:
    """A planned session (or, when `session` is None, a kind still to plan) of a region."""

    kind_label: str
    session: LearningNetworkSession | None = None
    own: tuple[OwnAttendance, ...] = ()


@dataclass
class RegionBlock:
    region: Region
    can_manage: bool
    schools: int = 0  # participating schools of the region in the edition
    companies: int = 0  # their mentor companies
    rows: list[SessionRow] = field(default_factory=list)
    form: SessionForm | None = None

    @property
    def has_sessions(self) -> bool:
        return any(row.session is not None for row in self.rows)


def _rows(sessions: list[LearningNetworkSession], own: dict[int, tuple[OwnAttendance, ...]]) -> list[SessionRow]:
    """The region's sessions in the order Methodiek, Inspireren, Ervaringsuitwisseling (by date within a kind), with
    a placeholder for each kind not planned yet."""
    rows = []
    labels = dict(Kind.choices)
    for kind in Kind.values:
        planned = [s for s in sessions if s.kind == kind]
        if not planned:
            rows.append(SessionRow(str(labels[kind])))
        rows.extend(SessionRow(str(labels[kind]), s, own.get(s.pk, ())) for s in planned)
    return rows


def _own_attendance(
    sessions: list[LearningNetworkSession], parties: OwnParties
) -> dict[int, tuple[OwnAttendance, ...]]:
    """Per session: what was registered for each of the member's own parties of the session's region."""
    participation_ids = [p.pk for listed in parties.participations.values() for p in listed]
    company_ids = [c.pk for listed in parties.companies.values() for c in listed]
    if not sessions or not (participation_ids or company_ids):
        return {}
    registered = {
        (a.session_id, a.participation_id, a.company_id): a.present
        for a in Attendance.objects.filter(session__in=sessions).filter(
            Q(participation_id__in=participation_ids) | Q(company_id__in=company_ids)
        )
    }
    own = {}
    for session in sessions:
        rows = [
            OwnAttendance(p.school.name, registered.get((session.pk, p.pk, None)))
            for p in parties.participations.get(session.region_id, [])
        ]
        rows += [
            OwnAttendance(c.name, registered.get((session.pk, None, c.pk)))
            for c in parties.companies.get(session.region_id, [])
        ]
        own[session.pk] = tuple(rows)
    return own


def region_blocks(user: User, edition: Edition) -> list[RegionBlock]:
    """The regions the user sees with their sessions in this edition; forms for the regions the user manages."""
    parties = own_parties(user, edition)
    region_ids = visible_region_ids(user, edition, parties)
    regions = list(Region.objects.filter(pk__in=region_ids).order_by("name"))
    sessions = list(
        selectors.sessions_for(user=user, edition=edition)
        .filter(region__in=regions)
        .annotate(
            schools_present=Count(
                "attendances", filter=Q(attendances__present=True, attendances__participation__isnull=False)
            ),
            companies_present=Count(
                "attendances", filter=Q(attendances__present=True, attendances__company__isnull=False)
            ),
        )
        .order_by("date", "pk")
    )
    own = _own_attendance(sessions, parties)
    managed = {region.pk for region in regions if can_manage_sessions(user, region)}
    counts = region_counts(edition, managed) if managed else {}
    blocks = []
    for region in regions:
        in_region = [s for s in sessions if s.region_id == region.pk]
        block = RegionBlock(region, can_manage=region.pk in managed, rows=_rows(in_region, own))
        if block.can_manage:
            block.schools, block.companies = counts[region.pk]
            block.form = _new_session_form(edition, region, in_region)
        blocks.append(block)
    return blocks


def _new_session_form(
    edition: Edition, region: Region, planned: list[LearningNetworkSession], data: object = None
) -> SessionForm:
    """The form to plan a region's next session, proposing the first kind not planned yet."""
    kinds = {s.kind for s in planned}
    next_kind = next((kind for kind in Kind.values if kind not in kinds), Kind.METHOD.value)
    return SessionForm(data, edition=edition, initial={"kind": next_kind}, auto_id=f"id_{region.slug}_%s")


@dataclass(frozen=True)
class SchoolRow:
    participation: Participation
    mentors: tuple[Company, ...]
    present: bool | None

    @property
    def party(self) -> str:
        return f"school-{self.participation.pk}"

    @property
    def name(self) -> str:
        return self.participation.school.name


@dataclass(frozen=True)
class CompanyRow:
    company: Company
    schools: tuple[str, ...]  # the names of the schools it mentors in the region
    present: bool | None

    @property
    def party(self) -> str:
        return f"company-{self.company.pk}"

    @property
    def name(self) -> str:
        return self.company.name


@dataclass(frozen=True)
class Grid:
    """The attendance of one session: the region's participating schools and their mentor companies (plus anyone
    registered earlier who no longer is, so the counts and the grid agree)."""

    session: LearningNetworkSession
    schools: list[SchoolRow]
    companies: list[CompanyRow]

    @property
    def schools_present(self) -> int:
        return sum(row.present is True for row in self.schools)

    @property
    def companies_present(self) -> int:
        return sum(row.present is True for row in self.companies)

    @property
    def unregistered(self) -> list[SchoolRow | CompanyRow]:
        """The schools and companies with nothing registered yet (neither present nor absent)."""
        return [row for row in [*self.schools, *self.companies] if row.present is None]

    def row(self, party: str) -> SchoolRow | CompanyRow | None:
        return next((row for row in [*self.schools, *self.companies] if row.party == party), None)


def attendance_grid(session: LearningNetworkSession) -> Grid:
    """The grid of a session in four queries, however many schools and companies."""
    participations = {
        p.pk: p
        for p in Participation.objects.filter(
            edition_id=session.edition_id, school__region_id=session.region_id
        ).select_related("school")
    }
    matches = Match.objects.filter(
        status=Match.Status.ACTIVE, participation_id__in=list(participations), company__isnull=False
    ).select_related("company")
    companies: dict[int, Company] = {}
    mentors: dict[int, list[Company]] = defaultdict(list)
    mentored: dict[int, list[str]] = defaultdict(list)
    for match in matches:
        company = companies.setdefault(match.company_id, match.company)  # type: ignore[arg-type]
        mentors[match.participation_id].append(company)
        mentored[company.pk].append(participations[match.participation_id].school.name)
    school_present: dict[int, bool] = {}
    company_present: dict[int, bool] = {}
    for record in Attendance.objects.filter(session=session).select_related("participation__school", "company"):
        if record.participation_id is not None:
            participations.setdefault(record.participation_id, record.participation)  # type: ignore[arg-type]
            school_present[record.participation_id] = record.present
        else:
            companies.setdefault(record.company_id, record.company)  # type: ignore[arg-type]
            company_present[record.company_id] = record.present  # type: ignore[index]
    schools = [
        SchoolRow(p, tuple(sorted(mentors.get(pk, []), key=lambda c: c.name)), school_present.get(pk))
        for pk, p in participations.items()
    ]
    company_rows = [
        CompanyRow(c, tuple(sorted(mentored.get(pk, []))), company_present.get(pk)) for pk, c in companies.items()
    ]
    schools.sort(key=lambda row: (row.name.casefold(), row.participation.pk))
    company_rows.sort(key=lambda row: (row.name.casefold(), row.company.pk))
    return Grid(session, schools, company_rows)


# --------------------------------------------------------------------------- access


def _session_for(request: HttpRequest, pk: int) -> LearningNetworkSession:
    """The session if the user sees it (else 404) and manages its region (else 403)."""
    try:
        session = selectors.session_detail_for(user=request.user, session_id=pk)  # type: ignore[arg-type]
    except LearningNetworkSession.DoesNotExist:
        raise Http404 from None
    if not can_edit_session(request.user, session):
        raise PermissionDenied
    return session


def _region_to_manage(request: HttpRequest, edition: Edition, region_slug: str) -> Region:
    region = get_object_or_404(Region, slug=region_slug)
    if can_manage_sessions(request.user, region):
        return region
    if region.pk in visible_region_ids(request.user, edition):  # type: ignore[arg-type]
        raise PermissionDenied
    raise Http404


def sessions_url(edition: Edition, region: Region | None = None) -> str:
    url = reverse("actionplans:network-sessions-edition", args=[edition.slug])
    return f"{url}#region-{region.slug}" if region else url


def _session_label(session: LearningNetworkSession) -> dict[str, str]:
    return {"kind": session.get_kind_display(), "region": session.region.name}


def _date(session: LearningNetworkSession) -> str:
    return date_format(session.date, "j F Y")


# --------------------------------------------------------------------------- sessions page and planning


@login_required
@require_safe
def network_sessions(request: HttpRequest, edition_slug: str | None = None) -> HttpResponse:
    """The sessions of an edition (default: the current one) per region, with the attendance counts."""
    user = request.user
    if not can_list_sessions(user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, slug=edition_slug) if edition_slug else Edition.objects.current()
    blocks = region_blocks(user, edition) if edition else []  # type: ignore[arg-type]
    context = {
        "edition": edition,
        "editions": list(Edition.objects.order_by("-starts_on")),
        "blocks": blocks,
    }
    return render(request, "actionplans/network_sessions.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_session_create(request: HttpRequest, edition_slug: str, region_slug: str) -> HttpResponse:
    """Plan a session of a region (the sessions page holds the same form; errors come back on this page)."""
    edition = get_object_or_404(Edition, slug=edition_slug)
    region = _region_to_manage(request, edition, region_slug)
    planned = list(LearningNetworkSession.objects.filter(edition=edition, region=region))
    form = _new_session_form(edition, region, planned, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            session = services.session_create(
                edition=edition,
                region=region,
                by=request.user,
                **form.cleaned_data,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Session %(kind)s of %(region)s planned on %(date)s.")
                % {**_session_label(session), "date": _date(session)},
            )
            return redirect(sessions_url(edition, region))
    context = {"form": form, "edition": edition, "region": region, "session": None}
    return render(request, "actionplans/network_session_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_session_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a session's kind, date, place or notes."""
    session = _session_for(request, pk)
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, edition=session.edition, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, data=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session %(kind)s of %(region)s saved.") % _session_label(session))
            return redirect(sessions_url(session.edition, session.region))
    context = {"form": form, "edition": session.edition, "region": session.region, "session": session}
    return render(request, "actionplans/network_session_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove a session with its attendance."""
    session = _session_for(request, pk)
    if request.method == "POST":
        label = _session_label(session)
        edition, region = session.edition, session.region
        services.session_delete(session=session, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Session %(kind)s of %(region)s removed.") % label)
        return redirect(sessions_url(edition, region))
    registered = len(session.attendances.all())
    return render(request, "actionplans/network_session_delete.html", {"session": session, "registered": registered})


# --------------------------------------------------------------------------- attendance


def _attendance_context(grid: Grid, **extra: object) -> dict[str, object]:
    return {"session": grid.session, "grid": grid, **extra}


@login_required
@require_safe
def network_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance grid of a session: the region's schools and their mentor companies, present or not."""
    session = _session_for(request, pk)
    if not can_register_attendance(request.user, session):
        raise PermissionDenied
    return render(request, "actionplans/network_attendance.html", _attendance_context(attendance_grid(session)))


def _register(
    request: HttpRequest, session: LearningNetworkSession, row: SchoolRow | CompanyRow, present: bool
) -> Attendance:
    by: User = request.user  # type: ignore[assignment]  # login_required: a signed-in user
    if isinstance(row, SchoolRow):
        return services.attendance_set(session=session, by=by, present=present, participation=row.participation)
    return services.attendance_set(session=session, by=by, present=present, company=row.company)


def _saved_message(row: SchoolRow | CompanyRow, present: bool) -> str:
    if present:
        return _("%(name)s: present.") % {"name": row.name}
    return _("%(name)s: not present.") % {"name": row.name}


@login_required
@require_POST
def network_attendance_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Register one school or company as present or not (a checkbox of the grid, saved through htmx)."""
    session = _session_for(request, pk)
    if not can_register_attendance(request.user, session):
        raise PermissionDenied
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _attendance_refused(request, session, _("This row could not be read. Reload the page."), None)
    grid = attendance_grid(session)
    row = grid.row(form.cleaned_data["party"])
    if row is None:
        raise Http404  # not a school or mentor company of this session's region
    present = form.cleaned_data["present"]
    try:
        _register(request, session, row, present)
    except ValidationError as error:
        return _attendance_refused(request, session, " ".join(error.messages), row)
    message = _saved_message(row, present)
    if not request.htmx:
        messages.success(request, message)
        return redirect("actionplans:network-attendance", pk=session.pk)
    context = _attendance_context(attendance_grid(session), message=message, saved_at=timezone.localtime())
    return render(request, "actionplans/_attendance_saved.html", context)


def _attendance_refused(
    request: HttpRequest, session: LearningNetworkSession, error: str, row: SchoolRow | CompanyRow | None
) -> HttpResponse:
    """Nothing was saved: say why; an htmx request also gets the row's box back as it is stored.

    The htmx answer is a 200 on purpose: htmx does not swap 4xx answers, and in DEBUG django-htmx replaces the whole
    page with any 400 answer, so the refusal would not show in the status line.
    """
    if not request.htmx:
        messages.error(request, error)
        return redirect("actionplans:network-attendance", pk=session.pk)
    grid = attendance_grid(session)
    context = _attendance_context(grid, error=error, row=grid.row(row.party) if row is not None else None)
    return render(request, "actionplans/_attendance_saved.html", context)


@login_required
@require_POST
def network_attendance_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Register every school and mentor company with nothing registered yet as present (then untick who was not
    there). What is registered already, present or absent, stays: a recorded absence is never overwritten."""
    session = _session_for(request, pk)
    if not can_register_attendance(request.user, session):
        raise PermissionDenied
    refused = []
    filled = 0
    for row in attendance_grid(session).unregistered:
        try:
            _register(request, session, row, True)
        except ValidationError as error:
            refused.append(f"{row.name}: {' '.join(error.messages)}")
        else:
            filled += 1
    if filled or refused:
        message = ngettext(
            "%(count)s school or company marked present.", "%(count)s schools and companies marked present.", filled
        ) % {"count": filled}
    else:
        message = _("Everyone is registered already; nothing changed.")
    error = " ".join(refused)
    if not request.htmx:
        messages.success(request, message)
        if error:
            messages.error(request, error)
        return redirect("actionplans:network-attendance", pk=session.pk)
    context = _attendance_context(attendance_grid(session), message=message, error=error, saved_at=timezone.localtime())
    return render(request, "actionplans/_attendance_grid.html", context)
