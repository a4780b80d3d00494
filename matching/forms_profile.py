"""The mentor profile form: what a company offers as a mentor in one edition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.models import Company, Edition, StudyArea

from .models import Match, MentorProfile, Offer
from .profiles import MAX_CAPACITY, MAX_SMALL_NUMBER, key_elements_for


class MentorProfileForm(forms.Form):
    offers = forms.MultipleChoiceField(
        label=_("What your company offers"),
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expertise_elements = forms.ModelMultipleChoiceField(
        label=_("Key elements your company can help with"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The key elements of the STEM School Label a school can improve with your help."),
    )
    study_areas = forms.ModelMultipleChoiceField(
        label=_("Study areas that fit your company"),
        queryset=StudyArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours per month"),
        min_value=0,
        max_value=MAX_SMALL_NUMBER,
        help_text=_("The time your staff can give the school(s), in hours per month."),
    )
    staff = forms.IntegerField(label=_("Staff members involved"), min_value=0, max_value=MAX_SMALL_NUMBER)
    capacity = forms.IntegerField(
        label=_("Schools you can mentor this edition"),
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text=_("From 0 to 20. With 0 your company is not proposed to a school this edition."),
    )
    multi_year = forms.BooleanField(label=_("We commit to cooperating for several years"), required=False)

    def __init__(
        self,
        *args: object,
        company: Company,
        edition: Edition,
        profile: MentorProfile | None,
        **kwargs: object,
    ) -> None:
        """A new profile starts from the study areas of the company's NACE codes (prefetch its activities)."""
        if profile is not None:
            initial = {
                "offers": profile.offers,
                "expertise_elements": list(profile.expertise_elements.all()),
                "study_areas": list(profile.study_areas.all()),
                "hours_per_month": profile.hours_per_month,
                "staff": profile.staff,
                "capacity": profile.capacity,
                "multi_year": profile.multi_year,
            }
        else:
            initial = {
                "study_areas": company.study_areas_from_nace(),
                "hours_per_month": 0,
                "staff": 0,
                "capacity": 1,
            }
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[arg-type]
        self.company, self.edition = company, edition
        self.fields["expertise_elements"].queryset = key_elements_for(edition)  # type: ignore[attr-defined]

    def clean_capacity(self) -> int:
        """The capacity cannot drop below the company's proposed and active matches in the edition: those schools
        hold their places (a proposal is withdrawn by the adviser, not by lowering the capacity)."""
        capacity = self.cleaned_data["capacity"]
        taken = Match.objects.filter(
            company=self.company,
            participation__edition=self.edition,
            status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE],
        ).count()
        if capacity < taken:
            raise forms.ValidationError(
                ngettext(
                    "Your company already has %(taken)s proposed or active match in this edition: "
                    "choose a capacity of at least %(taken)s.",
                    "Your company already has %(taken)s proposed or active matches in this edition: "
                    "choose a capacity of at least %(taken)s.",
                    taken,
                ),
                code="below_taken",
                params={"taken": taken},
            )
        return capacity
