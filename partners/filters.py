"""Search and filters for the school and company lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Company, Edition, Participation, Region, School, StudyArea


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        field_name="region",
        to_field_name="slug",
        label=_("Region"),
        empty_label=_("All"),
    )
    study_area = django_filters.ModelChoiceFilter(
        queryset=StudyArea.objects.all(),
        field_name="study_areas",
        to_field_name="slug",
        label=_("Study area"),
        empty_label=_("All"),
    )
    network = django_filters.ChoiceFilter(
        choices=School.Network.choices, label=_("Education network"), empty_label=_("All")
    )
    edition = django_filters.ModelChoiceFilter(
        queryset=Edition.objects.all(),
        method="in_edition",
        to_field_name="slug",
        label=_("Edition"),
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        choices=Participation.Status.choices,
        method="with_status",
        label=_("Status in the edition"),
        empty_label=_("All"),
    )

    class Meta:
        model = School
        fields = ["q", "region", "study_area", "network", "edition", "status"]

    def search(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(municipality__icontains=word) | Q(postcode__startswith=word)
            )
        return queryset

    def in_edition(self, queryset: QuerySet[School], name: str, value: Edition | None) -> QuerySet[School]:
        return queryset.filter(participations__edition=value) if value else queryset

    def with_status(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        if not value:
            return queryset
        edition = self.form.cleaned_data.get("edition") or Edition.objects.current()
        return queryset.filter(participations__edition=edition, participations__status=value)


class CompanyFilter(django_filters.FilterSet):
    SIZE_RANGES = {
        Company.Size.MICRO: (0, 9),
        Company.Size.SMALL: (10, 49),
        Company.Size.MEDIUM: (50, 249),
        Company.Size.LARGE: (250, None),
    }

    q = django_filters.CharFilter(method="search", label=_("Search"))
    study_area = django_filters.ModelChoiceFilter(
        queryset=StudyArea.objects.all(),
        field_name="activities__division__study_areas",
        to_field_name="slug",
        label=_("Study area (from NACE codes)"),
        empty_label=_("All"),
        distinct=True,
    )
    nace = django_filters.CharFilter(method="with_nace", label=_("NACE-BEL code"))
    size = django_filters.ChoiceFilter(
        choices=Company.Size.choices, method="with_size", label=_("Size"), empty_label=_("All")
    )

    class Meta:
        model = Company
        fields = ["q", "study_area", "nace", "size"]

    def search(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 4 and not any(ch.isalpha() for ch in value.upper().removeprefix("BE")):
            # Looks like (part of) an enterprise number such as 0403.448.140.
            return queryset.filter(enterprise_number__contains=digits)
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(sites__municipality__icontains=word))
        return queryset.distinct()

    def with_nace(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        code = value.strip()
        return queryset.filter(activities__nace_code__startswith=code).distinct() if code else queryset

    def with_size(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        low, high = self.SIZE_RANGES[Company.Size(value)]
        queryset = queryset.filter(employees__gte=low)
        return queryset.filter(employees__lte=high) if high is not None else queryset
