"""Editions, regions, organisations (schools, mentor companies), people and their roles.

Vocabulary (Dutch terms used in the programme):
- Editie: one school year of STEMpact, with its phase dates.
- Regio / Kamer: one of the six Voka chambers of commerce; an adviser works for one.
- Peterbedrijf / mentorbedrijf: the company that mentors a school.
- Onderwijsnet: the education network a school belongs to (GO!, Katholiek Onderwijs, ...).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enterprise import format_enterprise_number, is_valid_enterprise_number

if TYPE_CHECKING:
    from collections.abc import Iterable


# --------------------------------------------------------------------------- people


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. People sign in with their e-mail address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """All role memberships, loaded once per request (the user object lives per request)."""
        return list(self.memberships.select_related("region", "school", "company", "edition"))

    def has_role(self, role: str) -> bool:
        return any(m.role == role for m in self.active_memberships)

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or self.has_role(Role.COORDINATOR)

    @property
    def is_adviser(self) -> bool:
        return self.has_role(Role.ADVISER)

    @property
    def is_juror(self) -> bool:
        return self.has_role(Role.JUROR)

    @property
    def adviser_region_ids(self) -> set[int]:
        return {m.region_id for m in self.active_memberships if m.role == Role.ADVISER and m.region_id}

    @property
    def school_ids(self) -> set[int]:
        return {m.school_id for m in self.active_memberships if m.role == Role.SCHOOL and m.school_id}

    @property
    def company_ids(self) -> set[int]:
        return {m.company_id for m in self.active_memberships if m.role == Role.COMPANY and m.company_id}

    @property
    def role_labels(self) -> list[str]:
        return [str(m) for m in self.active_memberships]


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    ADVISER = "adviser", _("Adviser")
    SCHOOL = "school", _("School member")
    COMPANY = "company", _("Company member")
    JUROR = "juror", _("Juror")


#: The field each role is tied to (coordinator and juror are tied to none).
SCOPE_FIELD = {Role.ADVISER: "region", Role.SCHOOL: "school", Role.COMPANY: "company"}


class MembershipQuerySet(models.QuerySet["Membership"]):
    def with_related(self) -> MembershipQuerySet:
        return self.select_related("user", "region", "school", "company", "edition")


class Membership(models.Model):
    """A role a person holds: coordinator; adviser of a region; member of a school or company; juror of an edition."""

    class SchoolFunction(models.TextChoices):
        DIRECTOR = "director", _("Director")
        TAC = "tac", _("Technical adviser-coordinator (TAC)")
        TEACHER = "teacher", _("STEM teacher")
        OTHER = "other", _("Other")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    school = models.ForeignKey(
        "School", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("school")
    )
    company = models.ForeignKey(
        "Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("company"),
    )
    edition = models.ForeignKey(
        "Edition", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("edition")
    )
    function = models.CharField(_("function"), max_length=20, choices=SchoolFunction.choices, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="coordinator", region__isnull=True, school__isnull=True, company__isnull=True)
                    | Q(role="adviser", region__isnull=False, school__isnull=True, company__isnull=True)
                    | Q(role="school", school__isnull=False, region__isnull=True, company__isnull=True)
                    | Q(role="company", company__isnull=False, region__isnull=True, school__isnull=True)
                    | Q(role="juror", region__isnull=True, school__isnull=True, company__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.region or self.school or self.company or self.edition
        return f"{self.get_role_display()} ({scope})" if scope else str(self.get_role_display())

    def clean(self) -> None:
        field = SCOPE_FIELD.get(self.role)  # type: ignore[call-overload]
        if field and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: _("Required for this role.")})
        for other in ("region", "school", "company"):
            if other != field and getattr(self, f"{other}_id") is not None:
                raise ValidationError({other: _("Leave this empty for this role.")})


# --------------------------------------------------------------------------- reference data


class Region(models.Model):
    """A Voka chamber of commerce (Kamer van Koophandel) and the area it serves."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudyArea(models.Model):
    """A STEM study area (studiegebied) a school offers or wants to improve, e.g. Chemie."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("study area")
        verbose_name_plural = _("study areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class NaceDivision(models.Model):
    """A NACE-BEL division (first two digits of a code) and the study areas it maps to by default."""

    code = models.CharField(_("code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")])
    description = models.CharField(_("description"), max_length=200, blank=True)
    study_areas = models.ManyToManyField(StudyArea, related_name="nace_divisions", verbose_name=_("study areas"))

    class Meta:
        verbose_name = _("NACE-BEL division")
        verbose_name_plural = _("NACE-BEL divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


def pick_place(places: list[Postcode], municipality: str) -> Postcode | None:
    """Of the places sharing one postcode (in file order), the one named `municipality`, else the first."""
    if not places:
        return None
    wanted = municipality.strip().casefold()
    return next((p for p in places if p.municipality.casefold() == wanted), places[0])


class PostcodeQuerySet(models.QuerySet["Postcode"]):
    def resolve(self, code: str, municipality: str = "") -> Postcode | None:
        """The place for a postcode: the one whose name matches `municipality`, else the first listed."""
        return pick_place(list(self.filter(code=code.strip()).order_by("id")), municipality)


class Postcode(models.Model):
    """A Belgian postcode + place with coordinates (GeoNames, CC BY 4.0; see partners/data/be_postcodes.SOURCE.md)."""

    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code", "id"]
        constraints = [models.UniqueConstraint(fields=["code", "municipality"], name="postcode_place_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality}"


class StemProject(models.Model):
    """An other STEM project a school can take part in (catalogue, editable by coordinators)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("STEM project")
        verbose_name_plural = _("STEM projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- editions


class EditionQuerySet(models.QuerySet["Edition"]):
    def current(self, today: dt.date | None = None) -> Edition | None:
        """The edition running today, else the most recent one that started, else the next one."""
        today = today or timezone.localdate()
        running = self.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
        if running:
            return running
        return self.filter(starts_on__lte=today).order_by("-starts_on").first() or self.order_by("starts_on").first()


class Edition(models.Model):
    """Editie: one school year of STEMpact with its phase dates."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("For example STEMpact 2026-2027."))
    slug = models.SlugField(_("slug"), unique=True)
    starts_on = models.DateField(_("start date"))
    registration_closes_on = models.DateField(_("registration deadline"))
    baseline_opens_on = models.DateField(_("baseline start"))
    baseline_closes_on = models.DateField(_("baseline end"))
    networks_start_on = models.DateField(_("learning networks start"))
    networks_end_on = models.DateField(_("learning networks end"))
    plan_deadline = models.DateField(_("action plan deadline"))
    jury_opens_on = models.DateField(_("jury start"))
    jury_closes_on = models.DateField(_("jury end"))
    finale_on = models.DateField(_("finale date"))
    ends_on = models.DateField(_("end date"))

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    #: The phases in the order they happen: (label, start field, end field).
    PHASES: tuple[tuple[str, str, str], ...] = (
        (_("Registration"), "starts_on", "registration_closes_on"),
        (_("Baseline measurement"), "baseline_opens_on", "baseline_closes_on"),
        (_("Learning networks"), "networks_start_on", "networks_end_on"),
        (_("Action plan"), "networks_start_on", "plan_deadline"),
        (_("Jury assessment"), "jury_opens_on", "jury_closes_on"),
        (_("Finale and awards"), "finale_on", "finale_on"),
    )

    def phases(self, today: dt.date | None = None) -> list[dict[str, object]]:
        today = today or timezone.localdate()
        rows = []
        for label, start_field, end_field in self.PHASES:
            start, end = getattr(self, start_field), getattr(self, end_field)
            state = "done" if end < today else "current" if start <= today else "upcoming"
            rows.append({"label": label, "start": start, "end": end, "state": state})
        return rows

    def clean(self) -> None:
        order = [
            "starts_on",
            "registration_closes_on",
            "baseline_closes_on",
            "plan_deadline",
            "jury_closes_on",
            "finale_on",
            "ends_on",
        ]
        errors: dict[str, str] = {}
        for earlier, later in pairwise(order):
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and b < a:
                errors[later] = _("Must not be before %(field)s.") % {
                    "field": self._meta.get_field(earlier).verbose_name
                }
        for start, end in (
            ("baseline_opens_on", "baseline_closes_on"),
            ("networks_start_on", "networks_end_on"),
            ("jury_opens_on", "jury_closes_on"),
        ):
            a, b = getattr(self, start), getattr(self, end)
            if a and b and b < a:
                errors[end] = _("Must not be before %(field)s.") % {"field": self._meta.get_field(start).verbose_name}
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- organisations


class AddressFields(models.Model):
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(_("municipality"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postcode} {self.municipality}") if part.strip())


class SchoolQuerySet(models.QuerySet["School"]):
    def visible_to(self, user: User) -> SchoolQuerySet:
        """Schools a user may see: all for coordinators, their region for advisers, their own for school members."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(Q(region_id__in=user.adviser_region_ids) | Q(id__in=user.school_ids))

    def editable_by(self, user: User) -> SchoolQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(Q(region_id__in=user.adviser_region_ids) | Q(id__in=user.school_ids))


class School(AddressFields):
    """A secondary school taking part (or able to take part) in STEMpact."""

    class Network(models.TextChoices):
        GO = "go", _("GO! education of the Flemish Community")
        KATHOLIEK = "katholiek", _("Catholic Education Flanders")
        OVSG = "ovsg", _("Municipal education (OVSG)")
        POV = "pov", _("Provincial education (POV)")
        OTHER = "other", _("Other / independent")

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools", verbose_name=_("region"))
    network = models.CharField(_("education network"), max_length=20, choices=Network.choices, blank=True)
    study_areas = models.ManyToManyField(
        StudyArea, blank=True, related_name="schools", verbose_name=_("study areas offered")
    )
    pupils = models.PositiveIntegerField(_("number of pupils"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "postcode"], name="school_name_postcode_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:school-detail", kwargs={"pk": self.pk})


class CompanyQuerySet(models.QuerySet["Company"]):
    def visible_to(self, user: User) -> CompanyQuerySet:
        """Companies a user may see: coordinators and advisers (mentors cross regions) all; members their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_adviser:
            return self
        return self.filter(id__in=user.company_ids)

    def editable_by(self, user: User) -> CompanyQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(id__in=user.company_ids)


class Company(models.Model):
    """A company that can mentor a school (peterbedrijf / mentorbedrijf)."""

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (fewer than 10 employees)")
        SMALL = "small", _("Small (10-49 employees)")
        MEDIUM = "medium", _("Medium (50-249 employees)")
        LARGE = "large", _("Large (250 employees or more)")

    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=10,
        unique=True,
        help_text=_("Ten digits as in the Crossroads Bank for Enterprises (KBO), e.g. 0403.448.140."),
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:company-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.enterprise_number and not is_valid_enterprise_number(self.enterprise_number):
            raise ValidationError({"enterprise_number": _("This is not a valid Belgian enterprise number.")})

    @property
    def enterprise_number_display(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    @property
    def size(self) -> str:
        """Size class from the number of employees (EU SME thresholds); empty when unknown."""
        if self.employees is None:
            return ""
        if self.employees < 10:
            return self.Size.MICRO
        if self.employees < 50:
            return self.Size.SMALL
        if self.employees < 250:
            return self.Size.MEDIUM
        return self.Size.LARGE

    def get_size_display(self) -> str:
        return str(self.Size(self.size).label) if self.size else ""

    def study_areas_from_nace(self) -> list[StudyArea]:
        """Study areas from the default NACE-division mapping (needs activities and their divisions prefetched)."""
        seen: dict[int, StudyArea] = {}
        for activity in self.activities.all():
            for area in activity.division.study_areas.all() if activity.division else ():
                seen.setdefault(area.pk, area)
        return sorted(seen.values(), key=lambda a: a.name)


class CompanyActivity(models.Model):
    """One NACE-BEL activity code of a company (KBO register), e.g. 20.141."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="activities")
    nace_code = models.CharField(_("NACE-BEL code"), max_length=6, validators=[RegexValidator(r"^\d{2}(\.\d{1,3})?$")])
    division = models.ForeignKey(
        NaceDivision, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )

    class Meta:
        verbose_name = _("activity (NACE-BEL)")
        verbose_name_plural = _("activities (NACE-BEL)")
        ordering = ["company", "nace_code"]
        constraints = [models.UniqueConstraint(fields=["company", "nace_code"], name="company_activity_unique")]

    def __str__(self) -> str:
        return self.nace_code

    def clean(self) -> None:
        # The division follows from the code; forms (the admin) set it here so it never disagrees.
        if self.nace_code:
            self.division = NaceDivision.objects.filter(code=self.nace_code[:2]).first()


class CompanySite(AddressFields):
    """A site (vestiging) of a company; distances are measured to the nearest site."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites", verbose_name=_("company"))
    name = models.CharField(_("site name"), max_length=200, blank=True)
    is_main = models.BooleanField(_("main site"), default=False)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["company", "-is_main", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company"], condition=Q(is_main=True), name="company_one_main_site")
        ]

    def __str__(self) -> str:
        return self.name or self.address


class Participation(models.Model):
    """A school's participation in an edition, with the status later steps advance."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        BASELINE = "baseline", _("Baseline measured")
        MATCHED = "matched", _("Matched with a mentor company")
        PLAN_SUBMITTED = "plan_submitted", _("Action plan submitted")
        SCORED = "scored", _("Scored by the jury")
        FINALIST = "finalist", _("Finalist")
        AWARDED = "awarded", _("Awarded")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="participations", verbose_name=_("edition")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="participations", verbose_name=_("school")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["edition", "school__name"]
        constraints = [models.UniqueConstraint(fields=["edition", "school"], name="participation_unique")]

    def __str__(self) -> str:
        return f"{self.school} - {self.edition}"


def study_areas_by_key() -> dict[str, StudyArea]:
    """Study areas keyed by slug and by case-folded Dutch and English label (imports accept each)."""
    keyed: dict[str, StudyArea] = {}
    for area in StudyArea.objects.all():
        for key in (area.slug, area.name, area.name_en):
            if key:
                keyed[key.casefold()] = area
    return keyed


def region_by_key(regions: Iterable[Region]) -> dict[str, Region]:
    keyed: dict[str, Region] = {}
    for region in regions:
        keyed[region.slug.casefold()] = region
        keyed[region.name.casefold()] = region
    return keyed
