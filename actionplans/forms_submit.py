"""Forms of the contributions, STEM project, comments and engagement declaration pages (views_submit.py).

The forms validate what a person typed and hand the services only what they changed. Plans are written by two
sides at once, so a form that sends every field would overwrite (or, since the services refuse that, be blocked by)
a colleague's change to a field this person never touched. `PlanPartForm` therefore compares each posted value with
the value the person started from: the value at the version their page showed, read from the plan's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from partners.models import StemProject

from .models import ActionPlan, CoolStep, PlanEvent, TeamMember

#: The plan fields of the contributions page, grouped as the jury reads them.
CONTRIBUTION_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "company",
        _("The mentor company's contribution"),
        (
            "contribution_curriculum",
            "contribution_method",
            "contribution_professionalisation",
            "contribution_hours",
            "contribution_staff",
            "contribution_means",
        ),
    ),
    (
        "higher-ed",
        _("Cooperation with higher education"),
        ("higher_ed_partner", "higher_ed_teacher_training", "higher_ed_content", "higher_ed_infrastructure"),
    ),
    ("projects", _("Participation in other STEM projects"), ("stem_projects", "stem_projects_note")),
    ("istem", _("iSTEM coaching"), ("istem_coaching", "istem_coaching_note")),
    ("transfer", _("Transferability"), ("transfer_grades", "transfer_programmes", "transfer_schools")),
)
CONTRIBUTION_FIELDS: tuple[str, ...] = tuple(name for _key, _title, names in CONTRIBUTION_GROUPS for name in names)
PROJECT_FIELDS: tuple[str, ...] = ("project_theme", "project_challenge")

CONTRIBUTION_HELP = {
    "contribution_curriculum": _("What the company brings into the curriculum: content, cases, real-world context."),
    "contribution_method": _("How the company helps to teach differently, e.g. project-based or research-based."),
    "contribution_professionalisation": _("Training, internships or job shadowing for the teachers."),
    "contribution_means": _("Material, infrastructure, digital tools or budget."),
    "higher_ed_partner": _("The university college or university you work with, if any."),
    "stem_projects_note": _("What the pupils do in these projects and who takes part."),
    "istem_coaching_note": _("Which coach, how often, and for which project."),
    "transfer_grades": _("How the approach can be used in other grades."),
    "transfer_programmes": _("How the approach can be used in other programmes (study directions)."),
    "transfer_schools": _("How other schools of the school group or the region can use it."),
    "project_challenge": _(
        "The one authentic, complex real-world problem the pupils solve, at the level of their age and programme."
    ),
}


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF from a textarea, API clients LF: compare and store LF so only real changes count."""
    return text.replace("\r\n", "\n")


def comparable(value: Any) -> Any:
    """A value as the plan's history stores it (services._jsonable), so posted and recorded values compare."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return normalise_newlines(value)
    if isinstance(value, Iterable):
        return sorted(item.pk if isinstance(item, models.Model) else int(item) for item in value)
    return value


def values_at_version(plan: ActionPlan, version: int, target: str, pk: int | None) -> dict[str, Any]:
    """For each field of one item (the plan, a team member, a COOL step) that was changed after `version`: its
    value at `version`, i.e. the old value of the first change after it. Reads the prefetched history."""
    seen: dict[str, Any] = {}
    for event in sorted(plan.events.all(), key=lambda e: e.pk):
        if event.action != PlanEvent.Action.SAVED:
            continue
        for change in event.changes:
            if change.get("version", 0) > version and (change.get("target"), change.get("id")) == (target, pk):
                seen.setdefault(change.get("field", ""), change.get("old"))
    return seen


def _as_post_value(field: forms.Field, value: Any) -> list[str]:
    """A stored value as the browser would post it (to put it back into a bound form)."""
    if isinstance(field, forms.BooleanField):
        return ["on"] if value else []
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(pk) for pk in comparable(value)]
    return ["" if value is None else str(value)]


class PlanPartForm(forms.Form):
    """A form for some fields of one item of a plan, carrying the plan version the page showed."""

    #: The fields sent to the service (all but "version").
    field_names: tuple[str, ...] = ()

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalise_newlines(value)
        return cleaned

    def started_from(self, current: Mapping[str, Any], seen: Mapping[str, Any]) -> dict[str, Any]:
        """The values this person's page showed: the recorded value at their version, else the current one."""
        return {name: seen[name] if name in seen else comparable(current[name]) for name in self.field_names}

    def changed_fields(self, started: Mapping[str, Any]) -> list[str]:
        """The fields this person changed (valid form): the posted value differs from what they started from."""
        return [name for name in self.field_names if comparable(self.cleaned_data[name]) != started[name]]

    def service_data(self, names: Iterable[str]) -> dict[str, Any]:
        """The cleaned values of `names` as the services take them (catalogue choices as ids)."""
        data = {}
        for name in names:
            value = self.cleaned_data[name]
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                value = [item.pk for item in value]
            data[name] = value
        return data

    def rebased_data(self, current: Mapping[str, Any], touched: Iterable[str], version: int) -> QueryDict:
        """What the form shows after a refused stale save: the current values, with this person's changes on top
        and the version they have now seen (so "Save anyway" overwrites only what they changed)."""
        data = QueryDict(mutable=True)
        touched = set(touched)
        for name in self.field_names:
            field = self.fields[name]
            key = self.add_prefix(name)
            if name in touched:
                data.setlist(key, self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)])
            else:
                data.setlist(key, _as_post_value(field, current[name]))
        data[self.add_prefix("version")] = str(version)
        return data


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _plan_fields(names: Iterable[str]) -> dict[str, forms.Field]:
    """Form fields with the model's labels (verbose names), short textareas and the help texts above."""
    names = [name for name in names if name != "stem_projects"]
    texts = [name for name in names if isinstance(ActionPlan._meta.get_field(name), models.TextField)]
    fields = forms.fields_for_model(ActionPlan, fields=names, widgets={name: _textarea() for name in texts})
    for name, field in fields.items():
        if name in CONTRIBUTION_HELP:
            field.help_text = CONTRIBUTION_HELP[name]
    return fields  # type: ignore[return-value]


class StemProjectChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: models.Model) -> str:
        return str(obj)


class ContributionsForm(PlanPartForm):
    """The jury-relevant contributions of the plan (see CONTRIBUTION_GROUPS)."""

    field_names = CONTRIBUTION_FIELDS

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = _plan_fields(CONTRIBUTION_FIELDS)
        chosen = [p.pk for p in plan.stem_projects.all()]
        # The active catalogue, and any project the plan lists that a coordinator retired since.
        catalogue = StemProject.objects.filter(models.Q(is_active=True) | models.Q(pk__in=chosen)).order_by("name")
        fields["stem_projects"] = StemProjectChoice(
            queryset=catalogue,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Other STEM projects the school takes part in"),
        )
        for name in CONTRIBUTION_FIELDS:
            self.fields[name] = fields[name]
            self.initial.setdefault(name, chosen if name == "stem_projects" else getattr(plan, name))
        self.initial.setdefault("version", plan.version)

    def groups(self) -> list[dict[str, Any]]:
        """The bound fields per group, for the template."""
        return [
            {"key": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in CONTRIBUTION_GROUPS
        ]


class ProjectForm(PlanPartForm):
    """The theme and central challenge of the integrated STEM project."""

    field_names = PROJECT_FIELDS

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = _plan_fields(PROJECT_FIELDS)
        for name in PROJECT_FIELDS:
            self.fields[name] = fields[name]
            self.initial.setdefault(name, getattr(plan, name))
        self.initial.setdefault("version", plan.version)


class TeamMemberForm(PlanPartForm):
    """A member of the Teacher Design Team: school staff or an expert of the company."""

    field_names = ("name", "kind", "expertise")

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Member of the team as"), choices=TeamMember.Kind.choices)
    expertise = forms.CharField(label=_("Subject or expertise"), max_length=200, required=False)

    def __init__(self, *args: Any, version: int, member: TeamMember | None = None, **kwargs: Any) -> None:
        if member is not None:
            kwargs.setdefault("prefix", f"member-{member.pk}")
        super().__init__(*args, **kwargs)
        self.member = member
        self.initial.setdefault("version", version)
        if member is not None:
            for name in self.field_names:
                self.initial.setdefault(name, getattr(member, name))


class CoolStepForm(PlanPartForm):
    """The status and notes of one COOL step."""

    field_names = ("status", "notes")

    status = forms.ChoiceField(label=_("Status"), choices=CoolStep.Status.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(4))

    def __init__(self, *args: Any, version: int, step: CoolStep, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"step-{step.pk}")
        super().__init__(*args, **kwargs)
        self.step = step
        self.initial.setdefault("version", version)
        for name in self.field_names:
            self.initial.setdefault(name, getattr(step, name))


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a comment first.")},
    )


class SignForm(forms.Form):
    """The signer types their own name and function: that is what the declaration records."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    role = forms.CharField(label=_("Your function"), max_length=200, help_text=_("For example director or HR manager."))

    def __init__(self, *args: Any, side: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"sign-{side}")
        super().__init__(*args, **kwargs)
        self.side = side


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("Submission open until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        widget=_textarea(2),
        error_messages={"required": _("Give a reason for the extension.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=_textarea(2),
        help_text=_("The school and the company see it in the history."),
        error_messages={"required": _("Give a reason for reopening the plan.")},
    )
