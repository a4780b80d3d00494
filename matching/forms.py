"""Forms of the matching pages: the ranking filters and the decisions (each decision with its reason)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Company, Participation, StudyArea

from .models import MentorProfile


class RankingFilterForm(forms.Form):
    max_distance_km = forms.IntegerField(label=_("Maximum distance (km)"), required=False, min_value=1, max_value=500)
    study_area = forms.ModelChoiceField(
        label=_("Study area"),
        queryset=StudyArea.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All study areas"),
    )


def _mentor_companies(participation: Participation) -> QuerySet[Company]:
    return Company.objects.filter(
        id__in=MentorProfile.objects.filter(edition_id=participation.edition_id).values("company_id")
    )


class ProposeForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none(), widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)

    def __init__(self, *args: object, participation: Participation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["company"].queryset = _mentor_companies(participation)  # type: ignore[attr-defined]


class ExcludeForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Company"), queryset=Company.objects.none(), empty_label=_("Choose a company")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: object, participation: Participation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["company"].queryset = _mentor_companies(participation).order_by("name")  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    side = forms.ChoiceField(
        choices=[("school", _("School")), ("company", _("Company"))], required=False, widget=forms.HiddenInput
    )
