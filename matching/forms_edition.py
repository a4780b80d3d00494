"""Forms of the edition-wide matching pages: the coordinator's weights and the global assignment (toewijzing)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Participation, Region

from . import engine
from .models import PART_LABELS

#: A weight above this is a typing error rather than a choice (only the proportions matter: 30 and 0.30 are the same).
MAX_WEIGHT = 100
#: The widest sensible distance limit: Flanders is about 250 km across, the ranking filter stops at 500 km too.
MAX_DISTANCE_KM = 500


def _weight_field(part: str) -> forms.FloatField:
    return forms.FloatField(
        label=PART_LABELS[part],
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class WeightsForm(forms.Form):
    """The six weights of the matching score and the edition's maximum distance."""

    need = _weight_field("need")
    proximity = _weight_field("proximity")
    sector = _weight_field("sector")
    resources = _weight_field("resources")
    willingness = _weight_field("willingness")
    continuity = _weight_field("continuity")
    max_distance_km = forms.IntegerField(
        label=_("Maximum distance (km)"),
        required=False,
        min_value=1,
        max_value=MAX_DISTANCE_KM,
        help_text=_("Empty: no distance limit. Companies farther away are not proposed."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        values = [cleaned.get(part) for part in engine.PARTS]
        if all(value is not None for value in values) and sum(values) <= 0:  # type: ignore[arg-type]
            raise forms.ValidationError(_("Give at least one weight above 0."), code="all_zero")
        return cleaned

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[part] for part in engine.PARTS]

    def weights(self) -> engine.Weights:
        """The weights as the engine reads them (only on a valid form)."""
        return engine.Weights(**{part: float(self.cleaned_data[part]) for part in engine.PARTS})

    @staticmethod
    def initial_for(weights: engine.Weights, max_distance_km: float | None) -> dict[str, object]:
        initial: dict[str, object] = {part: getattr(weights, part) for part in engine.PARTS}
        initial["max_distance_km"] = int(max_distance_km) if max_distance_km else None
        return initial


def shares(weights: engine.Weights) -> list[tuple[str, str, int]]:
    """(part, label, share in %) of every weight: what each part counts once the weights are scaled to 100 %."""
    return [
        (part, str(PART_LABELS[part]), round(float(share) * 100))
        for part, share in zip(engine.PARTS, weights.normalised(), strict=True)
    ]


class _SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:  # type: ignore[override]
        return obj.school.name


class PreviewSchoolForm(forms.Form):
    """The school whose ranking the weights preview shows (default: the first of the edition)."""

    school = _SchoolChoiceField(label=_("Example school"), queryset=Participation.objects.none(), required=False)

    def __init__(self, *args: object, participations: QuerySet[Participation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["school"]
        field.queryset = participations  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]

    def participation(self) -> Participation | None:
        chosen = self.cleaned_data.get("school") if self.is_valid() else None
        return chosen or self.fields["school"].queryset.first()  # type: ignore[attr-defined]


class AssignmentFilterForm(forms.Form):
    """Which schools the assignment covers (the whole edition or a region) and whether fairness is on."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    fairness = forms.BooleanField(
        label=_("Fairness: lift the lowest score first"),
        required=False,
        help_text=_("Raises the score of the worst-off school, at the cost of a slightly lower total."),
    )

    def __init__(self, *args: object, regions: list[Region], whole_edition: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(region.slug, region.name) for region in regions]
        if whole_edition:
            choices.insert(0, ("", _("Whole edition")))
        self.fields["region"].choices = choices  # type: ignore[attr-defined]


class AcceptProposalForm(forms.Form):
    """Accept one proposed pair (participation and company) or, without them, the whole proposal shown (its
    fingerprint)."""

    region = forms.SlugField(required=False)
    fairness = forms.BooleanField(required=False)
    participation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    company = forms.IntegerField(required=False, widget=forms.HiddenInput)
    #: "Accept all": the fingerprint of the proposal the page showed (services.proposal_fingerprint).
    proposal = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (cleaned.get("participation") is None) != (cleaned.get("company") is None):
            raise forms.ValidationError(_("Choose a school and its proposed company."), code="incomplete_pair")
        return cleaned
