"""The STEM School Label framework (versioned) and the measurements schools make on it.

Vocabulary:
- Sleutelelement: key element (7), e.g. Leerplan. Criterium: criterion (21), e.g. interdisciplinair lesgeven.
- Nulmeting: the baseline measurement at the start of an edition. Eindmeting: the end measurement, a copy of the
  baseline that the school updates later, to show growth.
- Toepassing: current practice for a criterion. Werkpunt: the improvement point.
- Advies van de Voka-coach: the adviser's overall advice in the baseline report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partners.models import Edition, Participation

from .scale import MAX_LEVEL, Level
from .scoring import Thresholds

if TYPE_CHECKING:
    from partners.models import User


def _localised(nl: str, en: str) -> str:
    return en if (get_language() or "nl").startswith("en") and en else nl


class Framework(models.Model):
    """A version of the STEM School Label framework. Measurements keep the version they were made on."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    version = models.CharField(_("version"), max_length=30)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class KeyElement(models.Model):
    """Sleutelelement: one of the framework's key elements."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name (Dutch)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    short_name = models.CharField(_("short name (Dutch)"), max_length=40)
    short_name_en = models.CharField(_("short name (English)"), max_length=40)

    class Meta:
        verbose_name = _("key element")
        verbose_name_plural = _("key elements")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="element_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        return _localised(self.name, self.name_en)

    @property
    def short_label(self) -> str:
        return _localised(self.short_name, self.short_name_en)


class Criterion(models.Model):
    """Criterium: one of the framework's criteria, with guidance and an example beside it in the form."""

    element = models.ForeignKey(KeyElement, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    guidance = models.TextField(_("guidance (Dutch)"))
    guidance_en = models.TextField(_("guidance (English)"))
    example = models.TextField(_("example (Dutch)"))
    example_en = models.TextField(_("example (English)"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["element", "number"], name="criterion_number_unique")]

    def __str__(self) -> str:
        return f"({self.number}) {self.label}"

    @property
    def label(self) -> str:
        return _localised(self.name, self.name_en)

    @property
    def guidance_text(self) -> str:
        return _localised(self.guidance, self.guidance_en)

    @property
    def example_text(self) -> str:
        return _localised(self.example, self.example_en)


class EditionBaselineSettings(models.Model):
    """Per edition: the framework version, which criteria are measured, the focus cap and the label thresholds."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="baseline_settings")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    criteria = models.ManyToManyField(Criterion, related_name="+", verbose_name=_("measured criteria"))
    max_focus_elements = models.PositiveSmallIntegerField(
        _("maximum number of focus elements"), default=4, validators=[MaxValueValidator(7)]
    )
    competent_threshold = models.PositiveSmallIntegerField(
        _("Competent from (%)"), default=40, validators=[MaxValueValidator(100)]
    )
    proficient_threshold = models.PositiveSmallIntegerField(
        _("Proficient from (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    expert_threshold = models.PositiveSmallIntegerField(
        _("Expert from (%)"), default=80, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("baseline settings")
        verbose_name_plural = _("baseline settings")
        constraints = [
            models.CheckConstraint(
                name="thresholds_rise",
                condition=Q(competent_threshold__lte=models.F("proficient_threshold"))
                & Q(proficient_threshold__lte=models.F("expert_threshold")),
            )
        ]

    def __str__(self) -> str:
        return str(self.edition)

    def clean(self) -> None:
        if not self.competent_threshold <= self.proficient_threshold <= self.expert_threshold:
            raise ValidationError(_("The thresholds must rise: Competent ≤ Proficient ≤ Expert."))

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.competent_threshold, self.proficient_threshold, self.expert_threshold)


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def visible_to(self, user: User) -> MeasurementQuerySet:
        """Coordinators all; advisers their region's schools; school members their own school. Nobody else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(
            Q(participation__school__region_id__in=user.adviser_region_ids)
            | Q(participation__school_id__in=user.school_ids)
        )


class Measurement(models.Model):
    """A nulmeting (baseline) or eindmeting (end measurement) of one school in one edition."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline measurement")
        END = "end", _("End measurement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted by the school")
        FINALISED = "finalised", _("Finalised by the adviser")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BASELINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: Optimistic concurrency: every save must name the version it started from; it then increases by one.
    version = models.PositiveIntegerField(_("version"), default=1)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="measurements")
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups", verbose_name=_("based on")
    )
    meeting_date = models.DateField(_("date of the conversation"), null=True, blank=True)
    present_director = models.CharField(_("director (directie)"), max_length=200, blank=True)
    present_tac = models.CharField(_("technical adviser-coordinator (TAC)"), max_length=200, blank=True)
    present_adviser = models.CharField(_("Voka adviser"), max_length=200, blank=True)
    present_others = models.CharField(_("others present"), max_length=500, blank=True)
    advice = models.TextField(_("advice of the Voka coach"), blank=True)
    focus_elements = models.ManyToManyField(
        KeyElement, blank=True, related_name="+", verbose_name=_("focus key elements")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["participation", "kind"]
        constraints = [models.UniqueConstraint(fields=["participation", "kind"], name="one_measurement_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.participation.school}"

    def get_absolute_url(self) -> str:
        return reverse("baseline:measurement-detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        """A finalised measurement can no longer be edited (a coordinator can reopen it)."""
        return self.status == self.Status.FINALISED


class CriterionAssessment(models.Model):
    """The rating of one measured criterion: level, current practice (Toepassing), improvement point (Werkpunt)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, null=True, blank=True, validators=[MaxValueValidator(MAX_LEVEL)]
    )
    practice = models.TextField(_("current practice (Toepassing)"), blank=True)
    improvement = models.TextField(_("improvement point (Werkpunt)"), blank=True)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["measurement", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(name="level_on_scale", condition=Q(level__isnull=True) | Q(level__lte=MAX_LEVEL)),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} = {self.level}"


class ElementAdvice(models.Model):
    """The adviser's advice for one key element of a measurement."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="element_advice")
    element = models.ForeignKey(KeyElement, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("advice"), blank=True)

    class Meta:
        verbose_name = _("advice per key element")
        verbose_name_plural = _("advice per key element")
        constraints = [models.UniqueConstraint(fields=["measurement", "element"], name="one_advice_per_element")]

    def __str__(self) -> str:
        return f"{self.element}: {self.text[:40]}"


EVIDENCE_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp", "ods", "jpg", "jpeg", "png"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.assessment.measurement_id}/{filename}"


class Evidence(models.Model):
    """Proof for a criterion: a link or an uploaded file, typed as short practice evidence or a case study."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Short practice evidence")
        CASE_STUDY = "case_study", _("Case study")

    assessment = models.ForeignKey(CriterionAssessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRACTICE)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=evidence_path,
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "added_at"]
        constraints = [
            models.CheckConstraint(name="evidence_link_or_file", condition=~Q(url="") | ~Q(file="")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError(_("Add a link or a file."))
        if self.url and self.file:
            raise ValidationError(_("Add either a link or a file, not both."))
        if self.file and self.file.size > EVIDENCE_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 10 MB.")})


class MeasurementEvent(models.Model):
    """History: who did what to a measurement, with the values before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        FINALISED = "finalised", _("finalised")
        REOPENED = "reopened", _("reopened")

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    #: [{"field": "level", "criterion": 5, "old": 1, "new": 2}, ...]
    changes = models.JSONField(_("changes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("measurement event")
        verbose_name_plural = _("measurement history")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
