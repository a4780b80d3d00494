"""Forms of the plan page: a goal with its SMART fields, a milestone, an action, and the remove buttons.

The forms only check what is typed (a date that is no date, a negative count) and hand plain values to the services,
which do the writing. What makes a goal not SMART is no form error: it is saved and shown by the SMART check.
Every form carries the plan `version` it was rendered from (optimistic concurrency, see services.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from baseline.models import KeyElement

from . import smart
from .models import Action, Grade, Track


def _normalise_newlines(text: str) -> str:
    """Browsers send CRLF from a textarea, API clients LF: store LF so the history shows only real changes."""
    return text.replace("\r\n", "\n")


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO yyyy-mm-dd whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """A form that names the plan version its values were read from."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

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
    """A form field with what the SMART check says about it, to show beside it."""

    field: BoundField
    findings: tuple[smart.Finding, ...]


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
    resources, period. The choices of key elements and criteria are those of `selectors.linkable_elements`."""

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
    company_hours = forms.IntegerField(label=_("Company hours"), required=False, min_value=0)
    company_staff = forms.IntegerField(label=_("Company staff"), required=False, min_value=0, max_value=32767)
    material = forms.CharField(label=_("Material"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    budget = forms.DecimalField(label=_("Budget (EUR)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    start = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end = forms.DateField(label=_("End date"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, elements: Sequence[KeyElement], period: tuple[dt.date, dt.date] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if period is not None:
            hint = _("Within the edition: %(start)s – %(end)s.") % {
                "start": date_format(period[0], "j F Y"),
                "end": date_format(period[1], "j F Y"),
            }
            self.fields["start"].help_text = self.fields["end"].help_text = hint
        self.fields["elements"].choices = [(e.pk, str(e)) for e in elements]
        self.fields["criteria"].choices = [
            (str(e), [(c.pk, str(c)) for c in sorted(e.criteria.all(), key=lambda c: c.number)]) for e in elements
        ]

    def clean_fit(self) -> str:
        return _normalise_newlines(self.cleaned_data["fit"])

    def clean_material(self) -> str:
        return _normalise_newlines(self.cleaned_data["material"])

    def to_input(self) -> dict[str, Any]:
        """The values for services.goal_add / goal_update (every field, so the goal becomes what the form shows)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in ("programme", "subjects", "indicator", "unit", "owner_school", "owner_company", "title"):
            data[name] = data[name].strip()
        return data

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


def goal_initial(goal: Any) -> dict[str, Any]:
    """The initial values of a goal's form (a goal loaded with its links)."""
    initial = {
        name: getattr(goal, name) for name in GoalForm.base_fields if name not in ("version", "elements", "criteria")
    }
    initial["elements"] = [e.pk for e in goal.elements.all()]
    initial["criteria"] = [c.pk for c in goal.criteria.all()]
    return initial


# --------------------------------------------------------------------------- milestones and actions


class MilestoneForm(VersionedForm):
    """Mijlpaal: a dated step of the goal's step plan."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Description"), max_length=300)

    def to_input(self) -> dict[str, Any]:
        return {"date": self.cleaned_data["date"], "description": self.cleaned_data["description"].strip()}


class ActionForm(VersionedForm):
    """A concrete action towards the goal, with an owner, a due date and a status."""

    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    due = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, initial=Action.Status.TODO)

    def to_input(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        data["title"] = data["title"].strip()
        data["owner"] = data["owner"].strip()
        return data
