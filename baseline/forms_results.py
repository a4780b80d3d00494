"""The coordinator's form for an edition's baseline settings: measured criteria, focus cap, indicative thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from .models import Criterion, EditionBaselineSettings, KeyElement


@dataclass(frozen=True)
class CriterionGroup:
    """The checkboxes of one key element, so the template can show the criteria grouped as the framework does."""

    element: KeyElement
    checkboxes: list[BoundWidget]


class EditionSettingsForm(forms.Form):
    criteria = forms.ModelMultipleChoiceField(
        queryset=Criterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Measured criteria"),
        error_messages={"required": _("Choose at least one criterion to measure.")},
    )
    max_focus_elements = forms.IntegerField(
        label=_("Maximum number of focus key elements"),
        min_value=1,
        max_value=7,
        help_text=_("How many key elements a school may choose to improve (1 to 7)."),
    )
    competent_threshold = forms.IntegerField(label=_("Competent from (%)"), min_value=0, max_value=100)
    proficient_threshold = forms.IntegerField(label=_("Proficient from (%)"), min_value=0, max_value=100)
    expert_threshold = forms.IntegerField(label=_("Expert from (%)"), min_value=0, max_value=100)

    THRESHOLD_FIELDS = ("competent_threshold", "proficient_threshold", "expert_threshold")

    def __init__(self, *args: Any, config: EditionBaselineSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "criteria": [c.pk for c in config.criteria.all()],
                "max_focus_elements": config.max_focus_elements,
                **{name: getattr(config, name) for name in self.THRESHOLD_FIELDS},
            },
        )
        super().__init__(*args, **kwargs)
        self.config = config
        field = cast(forms.ModelMultipleChoiceField, self.fields["criteria"])
        field.queryset = (
            Criterion.objects.filter(element__framework_id=config.framework_id)
            .select_related("element")
            .order_by("number")
        )
        field.label_from_instance = lambda criterion: f"({criterion.number}) {criterion.label}"

    def criteria_groups(self) -> list[CriterionGroup]:
        """The criteria checkboxes per key element, in framework order."""
        groups: dict[int, CriterionGroup] = {}
        for checkbox in self["criteria"]:
            criterion = checkbox.data["value"].instance
            element = criterion.element
            groups.setdefault(element.number, CriterionGroup(element=element, checkboxes=[])).checkboxes.append(
                checkbox
            )
        return [groups[number] for number in sorted(groups)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        competent, proficient, expert = (data.get(name) for name in self.THRESHOLD_FIELDS)
        # The label's levels must rise; point at the field that breaks the order, with the value it must reach.
        if competent is not None and proficient is not None and proficient < competent:
            self.add_error(
                "proficient_threshold",
                _("The thresholds must rise: Proficient must be at least Competent (%(value)s %%).")
                % {"value": competent},
            )
        if proficient is not None and expert is not None and expert < proficient:
            self.add_error(
                "expert_threshold",
                _("The thresholds must rise: Expert must be at least Proficient (%(value)s %%).")
                % {"value": proficient},
            )
        return data
