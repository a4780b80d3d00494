"""The joint improvement action plan of a school and its mentor company, and the learning networks around it.

Vocabulary (Dutch terms of the programme):
- Verbeteractieplan: the SMART improvement action plan school and mentor company write together, by the edition's
  plan deadline (end of April). One per school per edition, written within the school's active match (koppeling).
- Engagementsverklaring: the engagement declaration; a named person of the school and of the company each sign.
- Lerende netwerken: three regional learning-network sessions (Methodiek, Inspireren, Ervaringsuitwisseling); the
  jury looks at attendance.
- COOL voor iSTEM: the iSTEM method for an integrated STEM project, worked out by a Teacher Design Team (TDT):
  contextanalyse, themaselectie, brainstorm, rapportering, ontwikkeling, then trying it out in class.
- Graad: a grade of Flemish secondary education (three of two years each); finaliteit/stroom: the track.

Writes go through services.py (optimistic concurrency on `ActionPlan.version`, history in PlanEvent).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baseline.models import Criterion, KeyElement
from matching.models import Match
from partners.models import Company, Edition, Participation, Region, Role, StemProject

if TYPE_CHECKING:
    from partners.models import User


def juror_edition_scope(user: User) -> Q | None:
    """The editions whose submitted plans a juror may read (a juror role without an edition covers all); None if
    the user is no juror."""
    editions = [m.edition_id for m in user.active_memberships if m.role == Role.JUROR]
    if not editions:
        return None
    if None in editions:
        return Q(status=ActionPlan.Status.SUBMITTED)
    return Q(status=ActionPlan.Status.SUBMITTED, participation__edition_id__in=editions)


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def visible_to(self, user: User) -> ActionPlanQuerySet:
        """Coordinators all; advisers their region's schools; school members their school's plan; company members the
        plans of their own matches; jurors submitted plans of their edition (read only). Nobody else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        scope = (
            Q(participation__school__region_id__in=user.adviser_region_ids)
            | Q(participation__school_id__in=user.school_ids)
            | Q(match__company_id__in=user.company_ids)
        )
        juror = juror_edition_scope(user)
        if juror is not None:
            scope |= juror
        return self.filter(scope)


class ActionPlan(models.Model):
    """Verbeteractieplan: the joint plan of a school and its mentor company for one edition."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="action_plan", verbose_name=_("participation")
    )
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("match"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: Optimistic concurrency: every write names the version it started from; it then increases by one.
    version = models.PositiveIntegerField(_("version"), default=1)

    # The mentor company's contribution (jury: input in curriculum, method, professionalisation; time, staff, means).
    contribution_curriculum = models.TextField(_("contribution to the curriculum"), blank=True)
    contribution_method = models.TextField(_("contribution to the teaching method"), blank=True)
    contribution_professionalisation = models.TextField(
        _("contribution to the teachers' professional development"), blank=True
    )
    contribution_hours = models.PositiveIntegerField(
        _("hours the company gives this school year"), null=True, blank=True
    )
    contribution_staff = models.PositiveSmallIntegerField(_("company staff involved"), null=True, blank=True)
    contribution_means = models.TextField(
        _("means the company provides (material, infrastructure, budget)"), blank=True
    )

    # Cooperation with higher education.
    higher_ed_partner = models.CharField(_("higher education institution(s)"), max_length=300, blank=True)
    higher_ed_teacher_training = models.TextField(_("teacher training"), blank=True)
    higher_ed_content = models.TextField(_("aligning content to raise the chance of success"), blank=True)
    higher_ed_infrastructure = models.TextField(_("developing and sharing infrastructure"), blank=True)

    # Participation in other STEM projects (catalogue) and iSTEM coaching.
    stem_projects = models.ManyToManyField(
        StemProject, blank=True, related_name="action_plans", verbose_name=_("other STEM projects")
    )
    stem_projects_note = models.TextField(_("about the other STEM projects"), blank=True)
    istem_coaching = models.BooleanField(_("coached by iSTEM"), default=False)
    istem_coaching_note = models.TextField(_("about the iSTEM coaching"), blank=True)

    # The integrated STEM project (COOL voor iSTEM); team members and steps are TeamMember and CoolStep rows.
    project_theme = models.CharField(_("theme"), max_length=200, blank=True)
    project_challenge = models.TextField(_("central challenge"), blank=True)

    # Transferability (overdraagbaarheid).
    transfer_grades = models.TextField(_("transferable to other grades"), blank=True)
    transfer_programmes = models.TextField(_("transferable to other programmes"), blank=True)
    transfer_schools = models.TextField(_("transferable to other schools (group or region)"), blank=True)

    # Deadline extension granted by a coordinator (the history records the reason).
    extension_until = models.DateField(_("extension until"), null=True, blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extension granted by"),
    )
    extension_granted_at = models.DateTimeField(_("extension granted at"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["participation__edition", "participation__school__name"]

    def __str__(self) -> str:
        return str(_("Action plan – %(school)s") % {"school": self.participation.school})

    def get_absolute_url(self) -> str:
        """The plan page (its goals, milestones and actions)."""
        return reverse("actionplans:plan-detail", args=[self.pk])

    @property
    def edition(self) -> Edition:
        return self.participation.edition

    @property
    def is_locked(self) -> bool:
        """A submitted plan can no longer be changed (a coordinator can reopen it)."""
        return self.status == self.Status.SUBMITTED

    @property
    def deadline(self) -> dt.date:
        """The last day the plan can be submitted: the edition's deadline, or a later granted extension."""
        deadline = self.participation.edition.plan_deadline
        if self.extension_until and self.extension_until > deadline:
            return self.extension_until
        return deadline

    def submission_open(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.deadline


class Grade(models.TextChoices):
    """Graad: the grades of Flemish secondary education, and the seventh year / Se-n-Se after them."""

    FIRST = "1", _("First grade")
    SECOND = "2", _("Second grade")
    THIRD = "3", _("Third grade")
    SEVENTH = "7", _("Seventh year or Se-n-Se")


class Track(models.TextChoices):
    """Stroom (first grade) or finaliteit (second and third grade)."""

    A_STREAM = "a_stream", _("A stream")
    B_STREAM = "b_stream", _("B stream")
    TRANSITION = "transition", _("Transition to higher education")
    DOUBLE = "double", _("Double finality")
    LABOUR_MARKET = "labour_market", _("Labour market")


class Goal(models.Model):
    """A SMART goal of an action plan, linked to the key elements and criteria of the school's focus it improves."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("action plan"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    elements = models.ManyToManyField(KeyElement, blank=True, related_name="+", verbose_name=_("key elements"))
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="+", verbose_name=_("criteria"))

    # Specifiek: the target group.
    grades = models.JSONField(_("grades"), default=list, blank=True)  # Grade values
    tracks = models.JSONField(_("tracks"), default=list, blank=True)  # Track values
    programme = models.CharField(_("programme (study direction)"), max_length=200, blank=True)
    subjects = models.CharField(_("subjects"), max_length=300, blank=True)

    # Meetbaar.
    indicator = models.CharField(
        _("indicator"), max_length=200, blank=True, help_text=_("What you count, e.g. pupils who take part.")
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("For example pupils or teachers."))
    baseline_value = models.DecimalField(
        _("starting value"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    # Acceptabel.
    fit = models.TextField(_("why it fits STEMpact"), blank=True)

    # Realistisch: owners and resources.
    owner_school = models.CharField(_("owner at the school"), max_length=200, blank=True)
    owner_company = models.CharField(_("owner at the mentor company"), max_length=200, blank=True)
    company_hours = models.PositiveIntegerField(_("company hours"), null=True, blank=True)
    company_staff = models.PositiveSmallIntegerField(_("company staff"), null=True, blank=True)
    material = models.TextField(_("material"), blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    # Tijdsgebonden.
    start = models.DateField(_("start date"), null=True, blank=True)
    end = models.DateField(_("end date"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_grades_display(self) -> list[str]:
        labels = dict(Grade.choices)
        return [str(labels.get(value, value)) for value in self.grades]

    def get_tracks_display(self) -> list[str]:
        labels = dict(Track.choices)
        return [str(labels.get(value, value)) for value in self.tracks]


class Milestone(models.Model):
    """Mijlpaal: a dated step of a goal (the step plan that makes it time-bound)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("goal"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["goal", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.description}" if self.date else self.description


class Action(models.Model):
    """A concrete action towards a goal, with an owner, a due date and a status."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=200)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TODO)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["goal", "due", "id"]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """A member of the Teacher Design Team that develops the integrated STEM project, company experts included."""

    class Kind(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        COMPANY_EXPERT = "company_expert", _("Company expert")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("action plan")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEACHER)
    expertise = models.CharField(_("subject or expertise"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Teacher Design Team member")
        verbose_name_plural = _("Teacher Design Team members")
        ordering = ["plan", "kind", "name", "id"]

    def __str__(self) -> str:
        return self.name


class CoolStep(models.Model):
    """One step of the COOL voor iSTEM method for the plan's integrated STEM project, with its status and notes."""

    class Step(models.TextChoices):
        CONTEXT_ANALYSIS = "context_analysis", _("Context analysis")
        THEME_SELECTION = "theme_selection", _("Theme selection")
        BRAINSTORM = "brainstorm", _("Brainstorm")
        REPORTING = "reporting", _("Reporting")
        DEVELOPMENT = "development", _("Development")
        CLASSROOM_TRIAL = "classroom_trial", _("Trying it out in class")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="cool_steps", verbose_name=_("action plan")
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("COOL step")
        verbose_name_plural = _("COOL steps")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "step"], name="one_cool_step_per_plan")]

    def __str__(self) -> str:
        return str(self.get_step_display())


class Signature(models.Model):
    """One side's signature under the engagement declaration (engagementsverklaring)."""

    class Side(models.TextChoices):
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Mentor company")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("action plan")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("function"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["plan", "side"]
        constraints = [models.UniqueConstraint(fields=["plan", "side"], name="one_signature_per_side")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.name}"


class Comment(models.Model):
    """A remark inside a plan, so school, company and adviser can discuss it."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("action plan")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["plan", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanEvent(models.Model):
    """History: who changed what in a plan, with the values before and after (field level)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        SAVED = "saved", _("saved")
        SIGNED = "signed", _("signed")
        SIGNATURES_WITHDRAWN = "unsigned", _("signatures withdrawn")
        SUBMITTED = "submitted", _("submitted")
        REOPENED = "reopened", _("reopened")
        EXTENSION_GRANTED = "extension", _("extension granted")
        REMATCHED = "rematched", _("mentor company changed")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("action plan"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    #: [{"target": "goal", "id": 7, "label": "Meer meisjes in STEM", "field": "target_value", "old": "10.00",
    #:   "new": "20.00", "version": 4}, ...]; "field" is "added" or "removed" when a whole item comes or goes.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan history")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------- learning networks


class SessionQuerySet(models.QuerySet["LearningNetworkSession"]):
    def visible_to(self, user: User) -> SessionQuerySet:
        """Coordinators all; advisers their regions'; school members their school's region in the editions it takes
        part in; company members the regions and editions of their active matches. Jurors and others none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        same_place = {"edition_id": OuterRef("edition_id"), "school__region_id": OuterRef("region_id")}
        own_school = Participation.objects.filter(school_id__in=user.school_ids, **same_place)
        own_match = Participation.objects.filter(
            matches__company_id__in=user.company_ids, matches__status=Match.Status.ACTIVE, **same_place
        )
        scope = Q(region_id__in=user.adviser_region_ids) | Exists(own_school) | Exists(own_match)
        return self.filter(scope)


class LearningNetworkSession(models.Model):
    """Lerend netwerk: one of the three regional sessions of an edition."""

    class Kind(models.TextChoices):
        METHOD = "method", _("Methodology")
        INSPIRATION = "inspiration", _("Inspiration")
        EXCHANGE = "exchange", _("Exchange of experience")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="network_sessions", verbose_name=_("edition")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="network_sessions", verbose_name=_("region")
    )
    kind = models.CharField(_("session"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning network session")
        verbose_name_plural = _("learning network sessions")
        ordering = ["edition", "region", "date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.region} ({self.date:%Y-%m-%d})"


class Attendance(models.Model):
    """Who came to a session: one row per school (its participation) or per company, present or not."""

    session = models.ForeignKey(
        LearningNetworkSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_attendances",
        verbose_name=_("school"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_attendances",
        verbose_name=_("company"),
    )
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "id"]
        constraints = [
            models.CheckConstraint(
                name="attendance_school_or_company",
                condition=Q(participation__isnull=False, company__isnull=True)
                | Q(participation__isnull=True, company__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["session", "participation"],
                condition=Q(participation__isnull=False),
                name="attendance_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["session", "company"], condition=Q(company__isnull=False), name="attendance_once_per_company"
            ),
        ]

    def __str__(self) -> str:
        who = self.participation.school if self.participation_id else self.company
        return f"{who} @ {self.session}"


from .models_reminders import PlanReminder, PlanReminderDelivery  # noqa: E402,F401
