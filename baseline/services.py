"""Every write to measurements: start, save (with optimistic concurrency and history), submit, finalise, reopen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.models import Edition, Participation

from .models import (
    Criterion,
    CriterionAssessment,
    EditionBaselineSettings,
    ElementAdvice,
    Evidence,
    Framework,
    KeyElement,
    Measurement,
    MeasurementEvent,
)
from .scale import Level

if TYPE_CHECKING:
    from partners.models import User

ASSESSMENT_FIELDS = ("level", "practice", "improvement")
MEETING_FIELDS = (
    "meeting_date",
    "present_director",
    "present_tac",
    "present_adviser",
    "present_others",
    "advice",
)


class StaleMeasurement(Exception):  # noqa: N818 -- reads as the situation the user is in
    """Someone else saved the measurement after this person loaded it; their save is refused, nothing is lost.

    `changes` lists what the other person(s) changed since `version`, so the page can show it.
    """

    def __init__(self, *, current_version: int, changes: list[dict[str, Any]]) -> None:
        super().__init__("stale measurement")
        self.current_version = current_version
        self.changes = changes


@dataclass
class MeasurementInput:
    """What one save changes. Only the keys given are touched: a form that shows one key element sends only its
    criteria, so a save never overwrites what it did not show."""

    #: criterion id -> {"level": 0..3 or None, "practice": str, "improvement": str} (any subset of the keys)
    assessments: dict[int, dict[str, Any]] = field(default_factory=dict)
    meeting: dict[str, Any] = field(default_factory=dict)  # MEETING_FIELDS
    element_advice: dict[int, str] = field(default_factory=dict)  # key element id -> text
    focus_element_ids: list[int] | None = None


def edition_settings(*, edition: Edition) -> EditionBaselineSettings:
    """The baseline settings of an edition, created on first use with the newest framework and all its criteria."""
    existing = EditionBaselineSettings.objects.filter(edition=edition).first()
    if existing:
        return existing
    with transaction.atomic():
        framework = Framework.objects.order_by("-id").first()
        if framework is None:
            raise ValidationError(_("No STEM School Label framework is loaded."))
        settings_obj, created = EditionBaselineSettings.objects.get_or_create(
            edition=edition, defaults={"framework": framework}
        )
        if created:
            settings_obj.criteria.set(Criterion.objects.filter(element__framework=framework))
    return settings_obj


@transaction.atomic
def measurement_start(*, participation: Participation, by: User) -> Measurement:
    """Start the baseline of a school in an edition, with one empty assessment per measured criterion.

    Starting twice returns the existing measurement. The measured criteria are copied in, so changing the edition's
    selection later never rewrites a measurement that already exists.
    """
    existing = Measurement.objects.filter(participation=participation, kind=Measurement.Kind.BASELINE).first()
    if existing:
        return existing
    config = edition_settings(edition=participation.edition)
    measurement = Measurement.objects.create(
        participation=participation, kind=Measurement.Kind.BASELINE, framework=config.framework
    )
    CriterionAssessment.objects.bulk_create(
        CriterionAssessment(measurement=measurement, criterion=criterion) for criterion in config.criteria.all()
    )
    MeasurementEvent.objects.create(measurement=measurement, action=MeasurementEvent.Action.CREATED, by=by)
    return measurement


@transaction.atomic
def end_measurement_start(*, baseline: Measurement, by: User) -> Measurement:
    """Start the eindmeting as a copy of the baseline (levels, practice, improvement points, focus elements)."""
    if baseline.kind != Measurement.Kind.BASELINE:
        raise ValidationError(_("An end measurement starts from a baseline measurement."))
    existing = Measurement.objects.filter(participation=baseline.participation, kind=Measurement.Kind.END).first()
    if existing:
        return existing
    if baseline.status == Measurement.Status.DRAFT:
        raise ValidationError(_("Submit the baseline measurement before starting the end measurement."))
    end = Measurement.objects.create(
        participation=baseline.participation,
        kind=Measurement.Kind.END,
        framework=baseline.framework,
        based_on=baseline,
    )
    CriterionAssessment.objects.bulk_create(
        CriterionAssessment(
            measurement=end,
            criterion_id=a.criterion_id,
            level=a.level,
            practice=a.practice,
            improvement=a.improvement,
        )
        for a in baseline.assessments.all()
    )
    end.focus_elements.set(baseline.focus_elements.all())
    MeasurementEvent.objects.create(
        measurement=end, action=MeasurementEvent.Action.CREATED, by=by, note=_("Copied from the baseline.")
    )
    return end


def _changes_since(measurement: Measurement, version: int) -> list[dict[str, Any]]:
    """What was changed after `version` (events record the version they produced in their changes)."""
    rows: list[dict[str, Any]] = []
    for event in measurement.events.filter(action=MeasurementEvent.Action.SAVED).select_related("by").order_by("id"):
        for change in event.changes:
            if change.get("version", 0) > version:
                rows.append({**change, "by": str(event.by) if event.by else "", "at": event.at.isoformat()})
    return rows


_NOT_SENT = object()


def _sent_value(data: MeasurementInput, change: dict[str, Any]) -> Any:
    """The value `data` sends for the field a recorded change is about (comparable with the change's values)."""
    name = change.get("field")
    if "criterion" in change:
        return data.assessments.get(change["criterion"], {}).get(name, _NOT_SENT)
    if name == "element_advice":
        return data.element_advice.get(change.get("element"), _NOT_SENT)  # type: ignore[arg-type]
    if name == "focus_elements":
        return _NOT_SENT if data.focus_element_ids is None else sorted(set(data.focus_element_ids))
    return _jsonable(data.meeting[name]) if name in data.meeting else _NOT_SENT


def _conflicts(data: MeasurementInput, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes made since a save's version that the save would overwrite.

    A change conflicts when the save sends a value for the same field and that value differs from what is stored now
    (the newest change of the field). Sending what is already stored overwrites nothing: that covers a person's own
    autosave overtaking their next save, and two people typing the same thing.
    """

    def key(change: dict[str, Any]) -> tuple[Any, ...]:
        return (change.get("field"), change.get("criterion"), change.get("element"))

    stored = {key(change): change["new"] for change in changes}  # in order: the newest wins
    overwritten = {
        key(change)
        for change in changes
        if (sent := _sent_value(data, change)) is not _NOT_SENT and sent != stored[key(change)]
    }
    return [change for change in changes if key(change) in overwritten]


@transaction.atomic
def measurement_save(*, measurement: Measurement, by: User, version: int, data: MeasurementInput) -> Measurement:
    """Save part of a measurement. Refused when it is finalised, or when someone else changed, after `version` was
    loaded, one of the values this save sends (optimistic concurrency).

    Changes by others to values this save does not send (another key element, the adviser's part) are no conflict:
    the save goes on top of them, so two people can fill in different key elements at once and nothing of either
    is overwritten. Only values that actually change are written and recorded in the history; the version goes up
    by one per save that changes something.
    """
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if locked.is_locked:
        raise ValidationError(_("This measurement is finalised and locked. A coordinator can reopen it."))
    if locked.version != version:
        conflicts = _conflicts(data, _changes_since(locked, version))
        if conflicts:
            raise StaleMeasurement(current_version=locked.version, changes=conflicts)

    new_version = locked.version + 1
    changes: list[dict[str, Any]] = []
    assessments = {a.criterion_id: a for a in locked.assessments.all()}
    to_update: list[CriterionAssessment] = []
    for criterion_id, values in data.assessments.items():
        assessment = assessments.get(criterion_id)
        if assessment is None:
            raise ValidationError(_("This criterion is not measured in this measurement."))
        touched = False
        for name, new in values.items():
            if name not in ASSESSMENT_FIELDS:
                raise ValueError(f"unknown assessment field {name}")
            if name == "level" and new is not None and new not in Level.values:
                raise ValidationError(_("A level is 0, 1, 2 or 3."))
            old = getattr(assessment, name)
            if old != new:
                setattr(assessment, name, new)
                touched = True
                changes.append(
                    {"field": name, "criterion": criterion_id, "old": old, "new": new, "version": new_version}
                )
        if touched:
            to_update.append(assessment)
    if to_update:
        CriterionAssessment.objects.bulk_update(to_update, list(ASSESSMENT_FIELDS))

    meeting_changed = []
    for name, new in data.meeting.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"unknown measurement field {name}")
        old = getattr(locked, name)
        if old != new:
            setattr(locked, name, new)
            meeting_changed.append(name)
            changes.append({"field": name, "old": _jsonable(old), "new": _jsonable(new), "version": new_version})

    if data.element_advice:
        existing = {a.element_id: a for a in locked.element_advice.all()}
        for element_id, text in data.element_advice.items():
            advice = existing.get(element_id)
            old = advice.text if advice else ""
            if old == text:
                continue
            if advice:
                advice.text = text
                advice.save(update_fields=["text"])
            else:
                ElementAdvice.objects.create(measurement=locked, element_id=element_id, text=text)
            changes.append(
                {"field": "element_advice", "element": element_id, "old": old, "new": text, "version": new_version}
            )

    if data.focus_element_ids is not None:
        wanted = set(data.focus_element_ids)
        current = set(locked.focus_elements.values_list("id", flat=True))
        if wanted != current:
            cap = edition_settings(edition=locked.participation.edition).max_focus_elements
            if len(wanted) > cap:
                raise ValidationError(
                    ngettext(
                        "Choose at most %(cap)d focus key element for this edition.",
                        "Choose at most %(cap)d focus key elements for this edition.",
                        cap,
                    )
                    % {"cap": cap}
                )
            valid = set(
                KeyElement.objects.filter(framework=locked.framework, id__in=wanted).values_list("id", flat=True)
            )
            if valid != wanted:
                raise ValidationError(_("Choose key elements of this measurement's framework."))
            locked.focus_elements.set(wanted)
            changes.append(
                {"field": "focus_elements", "old": sorted(current), "new": sorted(wanted), "version": new_version}
            )

    if changes:
        locked.version = new_version
        locked.save(update_fields=["version", "updated_at", *meeting_changed])
        MeasurementEvent.objects.create(
            measurement=locked, action=MeasurementEvent.Action.SAVED, by=by, changes=changes
        )
    return locked


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def missing_levels(measurement: Measurement) -> list[Criterion]:
    return [a.criterion for a in measurement.assessments.select_related("criterion") if a.level is None]


@transaction.atomic
def measurement_submit(*, measurement: Measurement, by: User) -> Measurement:
    """The school hands in its self-assessment; every measured criterion needs a level."""
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if locked.status != Measurement.Status.DRAFT:
        raise ValidationError(_("This measurement was already submitted."))
    missing = missing_levels(locked)
    if missing:
        raise ValidationError(
            _("Choose a level for every criterion first. Still open: %(criteria)s.")
            % {"criteria": ", ".join(str(c) for c in missing)}
        )
    locked.status = Measurement.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])
    MeasurementEvent.objects.create(measurement=locked, action=MeasurementEvent.Action.SUBMITTED, by=by)
    return locked


@transaction.atomic
def measurement_finalise(*, measurement: Measurement, by: User) -> Measurement:
    """The adviser finalises the measurement after the conversation; it is locked from then on."""
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if locked.status == Measurement.Status.FINALISED:
        raise ValidationError(_("This measurement is already finalised."))
    if missing_levels(locked):
        raise ValidationError(_("Every criterion needs a level before the measurement can be finalised."))
    if not locked.focus_elements.exists():
        raise ValidationError(_("Agree on at least one focus key element with the school first."))
    now = timezone.now()
    locked.status = Measurement.Status.FINALISED
    locked.finalised_at = now
    locked.finalised_by = by
    if locked.submitted_at is None:
        locked.submitted_at, locked.submitted_by = now, by
    locked.version += 1
    locked.save()
    participation = locked.participation
    if locked.kind == Measurement.Kind.BASELINE and participation.status == Participation.Status.REGISTERED:
        participation.status = Participation.Status.BASELINE
        participation.save(update_fields=["status"])
    MeasurementEvent.objects.create(measurement=locked, action=MeasurementEvent.Action.FINALISED, by=by)
    return locked


@transaction.atomic
def measurement_reopen(*, measurement: Measurement, by: User, reason: str) -> Measurement:
    """A coordinator unlocks a finalised measurement for corrections; the reason is kept in the history."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for reopening."))
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if locked.status != Measurement.Status.FINALISED:
        raise ValidationError(_("Only a finalised measurement can be reopened."))
    locked.status = Measurement.Status.SUBMITTED
    locked.finalised_at = None
    locked.finalised_by = None
    locked.version += 1
    locked.save(update_fields=["status", "finalised_at", "finalised_by", "version", "updated_at"])
    MeasurementEvent.objects.create(
        measurement=locked, action=MeasurementEvent.Action.REOPENED, by=by, note=reason.strip()
    )
    return locked


# --------------------------------------------------------------------------- evidence


@transaction.atomic
def evidence_add(
    *,
    measurement: Measurement,
    criterion_id: int,
    by: User,
    title: str,
    kind: str = Evidence.Kind.PRACTICE,
    url: str = "",
    file: File | None = None,
) -> Evidence:
    """Add a link or an uploaded file as evidence for one measured criterion; the history records it.

    Evidence does not move the measurement's version: adding or removing one item cannot overwrite what anyone
    typed, and a new version would make every form of the measurement that is open elsewhere stale.
    """
    locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if locked.is_locked:
        raise ValidationError(_("This measurement is finalised and locked. A coordinator can reopen it."))
    assessment = locked.assessments.filter(criterion_id=criterion_id).first()
    if assessment is None:
        raise ValidationError(_("This criterion is not measured in this measurement."))
    evidence = Evidence(assessment=assessment, kind=kind, title=title.strip(), url=url, added_by=by)
    if file is not None:
        evidence.file = file  # type: ignore[assignment]
    evidence.full_clean()
    evidence.save()
    MeasurementEvent.objects.create(
        measurement=locked,
        action=MeasurementEvent.Action.SAVED,
        by=by,
        changes=[{"field": "evidence", "criterion": criterion_id, "old": None, "new": evidence.title}],
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    """Remove one evidence item (its file is deleted once the transaction commits); the history records it."""
    locked = Measurement.objects.select_for_update().get(pk=evidence.assessment.measurement_id)
    if locked.is_locked:
        raise ValidationError(_("This measurement is finalised and locked. A coordinator can reopen it."))
    criterion_id = evidence.assessment.criterion_id
    title = evidence.title
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    MeasurementEvent.objects.create(
        measurement=locked,
        action=MeasurementEvent.Action.SAVED,
        by=by,
        changes=[{"field": "evidence", "criterion": criterion_id, "old": title, "new": None}],
    )
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def edition_settings_update(
    *,
    edition: Edition,
    criteria: Iterable[Criterion],
    max_focus_elements: int,
    competent_threshold: int,
    proficient_threshold: int,
    expert_threshold: int,
) -> EditionBaselineSettings:
    """Set which criteria an edition measures, the focus cap and the indicative thresholds.

    Measurements that already exist keep the criteria they were started with.
    """
    config = edition_settings(edition=edition)
    config.max_focus_elements = max_focus_elements
    config.competent_threshold = competent_threshold
    config.proficient_threshold = proficient_threshold
    config.expert_threshold = expert_threshold
    config.full_clean(exclude=["edition", "framework", "criteria"])
    config.save(update_fields=["max_focus_elements", "competent_threshold", "proficient_threshold", "expert_threshold"])
    criteria = list(criteria)
    if not criteria:
        raise ValidationError(_("Choose at least one criterion to measure."))
    if any(c.element.framework_id != config.framework_id for c in criteria):
        raise ValidationError(_("Choose criteria of the edition's framework."))
    config.criteria.set(criteria)
    return config
