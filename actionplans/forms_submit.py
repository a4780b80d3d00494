"""Forms of the contributions, STEM project, comments and engagement declaration pages (views_submit.py).

The forms validate what a person typed and hand the services only what they changed (`PlanPartForm`, see
forms_base.py). Signing, withdrawing a signature and submitting carry the plan version the person read: they act on
the whole text, and are refused when it changed since.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import StemProject

from .forms_base import ChangedFieldsForm, DateInput
from .models import ActionPlan, CoolStep, TeamMember

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
    "contribution_hours": _(
        "All hours the company gives this school year: for the goals (each goal names its own hours) and beyond."
    ),
    "contribution_staff": _("Everyone of the company who takes part, in the goals or elsewhere."),
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


class PlanPartForm(ChangedFieldsForm):
    """A form for some fields of one item of a plan (see forms_base.ChangedFieldsForm)."""


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


class PlanVersionForm(forms.Form):
    """Only the plan version the page showed: submitting the plan, withdrawing a signature."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SignForm(PlanVersionForm):
    """The signer types their own name and function: that is what the declaration records. The version is the one
    of the text they read."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    role = forms.CharField(label=_("Your function"), max_length=200, help_text=_("For example director or HR manager."))

    def __init__(self, *args: Any, side: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"sign-{side}")
        super().__init__(*args, **kwargs)
        self.side = side


class ExtensionForm(forms.Form):
    """A coordinator's extension: a last day to submit (empty: remove the extension) and the reason."""

    until = forms.DateField(
        label=_("Submission open until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to remove the extension: the deadline of the edition applies again."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=_textarea(2),
        error_messages={"required": _("Give a reason for the extension.")},
    )


class ReopenForm(forms.Form):
    """Reopening a submitted plan: the reason, and when the deadline has passed, a new last day to submit again."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=_textarea(2),
        help_text=_("The school and the company see it in the history."),
        error_messages={"required": _("Give a reason for reopening the plan.")},
    )
    extension_until = forms.DateField(
        label=_("Submission open again until"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The deadline has passed: without a new date the plan could never be submitted again. The date is "
            "logged as an extension."
        ),
    )

    def __init__(self, *args: Any, needs_extension: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_extension = needs_extension
        if needs_extension:
            self.fields["extension_until"].required = True
            self.fields["extension_until"].error_messages["required"] = _(
                "Give a new date until which the plan can be submitted again."
            )
        else:
            del self.fields["extension_until"]
