"""Mentor profiles, matching weights and matches.

Vocabulary: Koppeling (matching) couples a school with a mentor company (peterbedrijf) for one edition.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from baseline.models import KeyElement
from partners.models import Company, Edition, Participation, StudyArea


class Offer(models.TextChoices):
    """Forms of school-company cooperation a mentor company can offer (DESIGN.md)."""

    CONTENT = "content", _("Content")
    TEACHING = "teaching", _("Teaching")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    DIGITALISATION = "digitalisation", _("Digitalisation")
    STUDY_ORIENTATION = "study_orientation", _("Study orientation")
    RESEARCH = "research", _("Research")
    PUPIL_INTERNSHIPS = "pupil_internships", _("Internships for pupils")
    TEACHER_INTERNSHIPS = "teacher_internships", _("Internships for teachers")


class MentorProfile(models.Model):
    """What a company offers as a mentor in one edition. Companies without a profile are not proposed."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mentor_profiles")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="mentor_profiles")
    offers = models.JSONField(_("what the company offers"), default=list, blank=True)
    expertise_elements = models.ManyToManyField(
        KeyElement, blank=True, related_name="+", verbose_name=_("key elements the company can help with")
    )
    study_areas = models.ManyToManyField(
        StudyArea, blank=True, related_name="+", verbose_name=_("study areas the company fits")
    )
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), default=0)
    staff = models.PositiveSmallIntegerField(_("staff members involved"), default=0)
    capacity = models.PositiveSmallIntegerField(
        _("schools it can mentor this edition"), default=1, validators=[MaxValueValidator(20)]
    )
    multi_year = models.BooleanField(_("commits to several years"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        ordering = ["edition", "company__name"]
        constraints = [models.UniqueConstraint(fields=["company", "edition"], name="one_profile_per_edition")]

    def __str__(self) -> str:
        return f"{self.company} – {self.edition}"


#: The six parts of the matching score as people read them (the same words as the weights' fields).
PART_LABELS = {
    "need": _("School's needs"),
    "proximity": _("Proximity"),
    "sector": _("Study area and core activity"),
    "resources": _("Time and staff"),
    "willingness": _("Willingness to share and continue"),
    "continuity": _("Earlier partnership"),
}


class MatchWeights(models.Model):
    """Per edition, how much each part of the matching score counts (set by the coordinator)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="match_weights")
    need = models.FloatField(_("school's needs"), default=0.30)
    proximity = models.FloatField(_("proximity"), default=0.25)
    sector = models.FloatField(_("study area and core activity"), default=0.20)
    resources = models.FloatField(_("time and staff"), default=0.10)
    willingness = models.FloatField(_("willingness to share and continue"), default=0.10)
    continuity = models.FloatField(_("earlier partnership"), default=0.05)
    max_distance_km = models.PositiveSmallIntegerField(_("maximum distance (km)"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(self.edition)


class Match(models.Model):
    """A proposed or decided coupling of a school (participation) with a mentor company."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        NO_MATCH = "no_match", _("No match")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="matches")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True, blank=True, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(_("score"), null=True, blank=True)
    parts = models.JSONField(_("score parts"), default=dict, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    school_accepted_at = models.DateTimeField(null=True, blank=True)
    company_accepted_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("reason or note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["participation", "-created_at"]
        constraints = [
            # A school has one mentor company per edition: at most one active match per participation.
            models.UniqueConstraint(
                fields=["participation"],
                condition=models.Q(status="active"),
                name="one_active_match_per_participation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation.school} – {self.company or '—'}"


class ExcludedPair(models.Model):
    """A school-company pair the adviser ruled out, with the reason shown when the company is left out."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="excluded_pairs")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")
        constraints = [models.UniqueConstraint(fields=["participation", "company"], name="exclude_pair_once")]

    def __str__(self) -> str:
        return f"{self.participation.school} ≠ {self.company}"
