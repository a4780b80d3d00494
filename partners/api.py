"""Read-only REST API for schools, companies and editions, scoped per role exactly like the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from . import selectors
from .filters import CompanyFilter, SchoolFilter
from .models import Company, CompanySite, Edition, Participation, School


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = [
            "id",
            "slug",
            "name",
            "starts_on",
            "registration_closes_on",
            "baseline_opens_on",
            "baseline_closes_on",
            "networks_start_on",
            "networks_end_on",
            "plan_deadline",
            "jury_opens_on",
            "jury_closes_on",
            "finale_on",
            "ends_on",
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Participation
        fields = ["edition", "status", "registered_at"]


class SchoolSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    study_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "name",
            "street",
            "postcode",
            "municipality",
            "latitude",
            "longitude",
            "region",
            "network",
            "study_areas",
            "pupils",
            "website",
            "email",
            "participations",
        ]


class CompanySiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanySite
        fields = ["name", "street", "postcode", "municipality", "latitude", "longitude", "is_main"]


class CompanySerializer(serializers.ModelSerializer):
    nace_codes = serializers.SerializerMethodField()
    study_areas = serializers.SerializerMethodField()
    size = serializers.CharField(read_only=True)
    sites = CompanySiteSerializer(many=True, read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "enterprise_number",
            "employees",
            "size",
            "website",
            "nace_codes",
            "study_areas",
            "sites",
        ]

    def get_nace_codes(self, company: Company) -> list[str]:
        return [activity.nace_code for activity in company.activities.all()]

    def get_study_areas(self, company: Company) -> list[str]:
        return [area.slug for area in company.study_areas_from_nace()]


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """Schools in the caller's scope: all for coordinators, the region for advisers, their own for school members."""

    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def get_queryset(self) -> QuerySet[School]:
        return selectors.school_list_for(user=self.request.user)  # type: ignore[arg-type]


class CompanyViewSet(viewsets.ReadOnlyModelViewSet):
    """Companies in the caller's scope: all for coordinators and advisers, their own for company members."""

    serializer_class = CompanySerializer
    filterset_class = CompanyFilter

    def get_queryset(self) -> QuerySet[Company]:
        return selectors.company_list_for(user=self.request.user)  # type: ignore[arg-type]


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """Editions and their phase dates; readable by every signed-in user."""

    serializer_class = EditionSerializer
    lookup_field = "slug"
    queryset = Edition.objects.all()
