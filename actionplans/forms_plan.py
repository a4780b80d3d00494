"""Forms of the plan page: a goal with its SMART fields, a milestone, an action, and the remove buttons.

The forms only check what is typed (a date that is no date, a negative count) and hand plain values to the services,
which do the writing. What makes a goal not SMART is no form error: it is saved and shown by the SMART check, next
to the field it is about. Every form carries the plan `version` it was rendered from and, when changing an item,
sends only the fields the person changed (forms_base.ChangedFieldsForm).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from baseline.models import Criterion, KeyElement

from . import smart
from .forms_base import ChangedFieldsForm, DateInput
from .models import Action, Grade, Track
from .services import GOAL_FIELDS


class VersionedForm(ChangedFieldsForm):
    """A form of the plan page: it names the plan version its values were read from, and has ids of its own
    (`key`), since several forms are open on one page."""

    def __init__(self, *args: Any, version: int, key: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id-{key}-%s")
        super().__init__(*args, **kwargs)
        self.key = key
        self.initial.setdefault("version", version)


class RemoveForm(VersionedForm):
    """A remove button: only the version."""


# --------------------------------------------------------------------------- goal


@dataclass(frozen=True)
class FieldRow:
    """A form field with what the SMART check says about it, to show beside it. The field's input names the hints
    (and its help text and error) in aria-describedby, so a screen reader reads them with the field."""

    field: BoundField
    findings: tuple[smart.Finding, ...]

    @property
    def hints(self) -> list[tuple[str, smart.Finding]]:
        """Each finding with the id of the element that shows it."""
        return [(f"{self.field.auto_id}_smart{index}", finding) for index, finding in enumerate(self.findings, 1)]

    @property
    def describedby(self) -> str:
        ids = []
        if self.field.help_text:
            ids.append(f"{self.field.auto_id}_helptext")
        if self.field.errors:
            ids.append(f"{self.field.auto_id}_error")
        return " ".join(ids + [hint_id for hint_id, _finding in self.hints])

    @property
    def widget(self) -> SafeString:
        """The input, described by the help text, the error and the SMART hints (Django's own aria-describedby
        names only the first two)."""
        describedby = self.describedby
        return self.field.as_widget(attrs={"aria-describedby": describedby} if describedby else None)


@dataclass(frozen=True)
class Fieldset:
    letter: str  # S, M, A, R, T or "" for the title
    legend: str
    rows: list[FieldRow]


#: The goal's fields grouped by the SMART letter they serve (the order of the form).
GOAL_FIELDSETS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("", _("Goal"), ("title",)),
    ("S", _("Specific: the target group"), ("grades", "tracks", "programme", "subjects")),
    ("M", _("Measurable: what you count"), ("indicator", "unit", "baseline_value", "target_value")),
    ("A", _("Acceptable: how it fits STEMpact"), ("elements", "criteria", "fit")),
    (
        "R",
        _("Realistic: who carries it, with what"),
        ("owner_school", "owner_company", "company_hours", "company_staff", "material", "budget"),
    ),
    ("T", _("Time-bound: the period"), ("start", "end")),
)


class GoalForm(VersionedForm):
    """A SMART goal: title, links to the school's focus, target group, indicator and values, fit, owners and
    resources, period. The choices of key elements and criteria are those of `selectors.linkable_elements`, plus the
    goal's own links outside them (marked "outside the focus": made before the focus was agreed, they stay linked
    unless someone unticks them)."""

    #: The form's order: the title, the links, then the SMART fields in the services' order.
    field_names = ("title", "elements", "criteria", *(f for f in GOAL_FIELDS if f not in ("order", "title")))

    title = forms.CharField(label=_("Title"), max_length=200)
    elements = forms.TypedMultipleChoiceField(
        label=_("Key elements"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    criteria = forms.TypedMultipleChoiceField(
        label=_("Criteria"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    grades = forms.MultipleChoiceField(
        label=_("Grades"), required=False, choices=Grade.choices, widget=forms.CheckboxSelectMultiple
    )
    tracks = forms.MultipleChoiceField(
        label=_("Tracks"), required=False, choices=Track.choices, widget=forms.CheckboxSelectMultiple
    )
    programme = forms.CharField(label=_("Programme (study direction)"), max_length=200, required=False)
    subjects = forms.CharField(label=_("Subjects"), max_length=300, required=False)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        required=False,
        help_text=_("What you count, e.g. pupils who take part."),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("For example pupils or teachers.")
    )
    baseline_value = forms.DecimalField(
        label=_("Starting value"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    fit = forms.CharField(label=_("Why it fits STEMpact"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_school = forms.CharField(label=_("Owner at the school"), max_length=200, required=False)
    owner_company = forms.CharField(label=_("Owner at the mentor company"), max_length=200, required=False)
    company_hours = forms.IntegerField(
        label=_("Company hours"),
        required=False,
        min_value=0,
        help_text=_(
            "The mentor company's hours for this goal. The goals' hours add up to part of the company's hours for "
            "the whole school year, on the page “Mentor company's contribution”."
        ),
    )
    company_staff = forms.IntegerField(
        label=_("Company staff"),
        required=False,
        min_value=0,
        max_value=32767,
        help_text=_("How many people of the company work on this goal."),
    )
    material = forms.CharField(label=_("Material"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    budget = forms.DecimalField(label=_("Budget (EUR)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    start = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end = forms.DateField(label=_("End date"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        elements: Sequence[KeyElement],
        period: tuple[dt.date, dt.date] | None = None,
        linked_elements: Sequence[KeyElement] = (),
        linked_criteria: Sequence[Criterion] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if period is not None:
            hint = _("Within the edition: %(start)s – %(end)s.") % {
                "start": date_format(period[0], "j F Y"),
                "end": date_format(period[1], "j F Y"),
            }
            self.fields["start"].help_text = self.fields["end"].help_text = hint
        choosable = {e.pk for e in elements}
        choosable_criteria = {c.pk for e in elements for c in e.criteria.all()}
        outside = [e for e in linked_elements if e.pk not in choosable]
        outside_criteria = [c for c in linked_criteria if c.pk not in choosable_criteria]
        self.fields["elements"].choices = [(e.pk, str(e)) for e in elements] + [
            (e.pk, _outside_focus(e)) for e in outside
        ]
        criteria: list[tuple[str, list[tuple[int, str]]]] = [
            (str(e), [(c.pk, str(c)) for c in sorted(e.criteria.all(), key=lambda c: c.number)]) for e in elements
        ]
        if outside_criteria:
            criteria.append((str(_("Outside the focus")), [(c.pk, _outside_focus(c)) for c in outside_criteria]))
        self.fields["criteria"].choices = criteria

    def to_input(self) -> dict[str, Any]:
        """The values for services.goal_add: every field (a new goal has nothing to keep)."""
        return self.service_data(self.field_names)

    def fieldsets(self, check: smart.GoalCheck | None = None) -> list[Fieldset]:
        """The fields by SMART letter, each with the findings of `check` about it."""
        return [
            Fieldset(
                letter,
                str(legend),
                [FieldRow(self[name], check.for_field(name) if check else ()) for name in names],
            )
            for letter, legend, names in GOAL_FIELDSETS
        ]


def _outside_focus(item: KeyElement | Criterion) -> str:
    return str(_("%(item)s (outside the focus)") % {"item": item})


def goal_initial(goal: Any) -> dict[str, Any]:
    """The values of a goal as its form shows them (a goal loaded with its links): the initial values of the form,
    and what a save is compared with."""
    initial = {name: getattr(goal, name) for name in GoalForm.field_names if name not in ("elements", "criteria")}
    initial["elements"] = [e.pk for e in goal.elements.all()]
    initial["criteria"] = [c.pk for c in goal.criteria.all()]
    return initial


# --------------------------------------------------------------------------- milestones and actions


class MilestoneForm(VersionedForm):
    """Mijlpaal: a dated step of the goal's step plan."""

    field_names = ("date", "description")

    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Description"), max_length=300)

    def to_input(self) -> dict[str, Any]:
        return self.service_data(self.field_names)


class ActionForm(VersionedForm):
    """A concrete action towards the goal, with an owner, a due date and a status."""

    field_names = ("title", "owner", "due", "status")

    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    due = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, initial=Action.Status.TODO)

    def to_input(self) -> dict[str, Any]:
        return self.service_data(self.field_names)


def item_initial(form: type[MilestoneForm] | type[ActionForm], item: Any) -> dict[str, Any]:
    """The values of a milestone or action as its form shows them."""
    return {name: getattr(item, name) for name in form.field_names}
