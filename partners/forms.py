from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import company_extra_columns
from .models import SCOPE_FIELD, Company, Edition, Membership, Region, Role, School

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.ModelChoiceField(
        Region.objects.all(), required=False, label=_("Region"), help_text=_("For advisers.")
    )
    school = forms.ModelChoiceField(
        School.objects.all(), required=False, label=_("School"), help_text=_("For school members.")
    )
    function = forms.ChoiceField(
        label=_("Function at the school"), choices=[("", "—"), *Membership.SchoolFunction.choices], required=False
    )
    company = forms.ModelChoiceField(
        Company.objects.all(), required=False, label=_("Company"), help_text=_("For company members.")
    )
    edition = forms.ModelChoiceField(
        Edition.objects.all(), required=False, label=_("Edition"), help_text=_("For jurors.")
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        role = data.get("role")
        needed = SCOPE_FIELD.get(role)  # type: ignore[call-overload]
        for field in ("region", "school", "company"):
            if field == needed and not data.get(field):
                self.add_error(field, _("Required for this role."))
            elif field != needed:
                data[field] = None
        if role != Role.SCHOOL:
            data["function"] = ""
        if role != Role.JUROR:
            data["edition"] = None
        return data


class ImportForm(forms.Form):
    schools = forms.FileField(
        label=_("Schools (CSV)"),
        required=False,
        help_text=_(
            "Columns: name, street, postcode, municipality, region, study_areas; optional pupils, website, email."
        ),
    )
    companies = forms.FileField(
        label=_("Companies (CSV)"),
        required=False,
        help_text=_(
            "Columns: name, enterprise_number, street, postcode, municipality, nace_codes; optional employees, website."
        ),
    )

    edition = forms.ModelChoiceField(
        Edition.objects.order_by("-starts_on"),
        label=_("Edition"),
        required=False,
        empty_label=_("No edition: do not register the schools"),
        help_text=_(
            "The imported schools are registered in this edition, and the mentor profiles in the companies file "
            "are attached to it."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].initial = Edition.objects.current()
        extra = company_extra_columns()
        if extra:
            self.fields["companies"].help_text = _(
                "Columns: name, enterprise_number, street, postcode, municipality, nace_codes; optional employees, "
                "website; for the mentor profile optional %(columns)s."
            ) % {"columns": ", ".join(extra)}

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("schools") and not data.get("companies"):
            raise forms.ValidationError(_("Choose a schools file, a companies file or both."))
        for name in ("schools", "companies"):
            upload = data.get(name)
            if upload and upload.size > MAX_IMPORT_BYTES:
                self.add_error(name, _("The file is larger than 5 MB."))
        return data
