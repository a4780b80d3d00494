"""REST API for measurements (nulmeting and eindmeting): read, start, save, submit, finalise, reopen.

Scoped per role exactly like the pages: the queryset is selectors.measurements_for(user) (outside it: 404), the
permission predicates of baseline.permissions decide what a visible measurement allows (otherwise: 403), and every
write goes through the same service the HTML views call.

The API speaks in the framework's numbers (criterion 5, key element 2), never in database ids, so a client can use
the numbers printed on the STEM School Label framework.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from partners.models import Participation, School

from . import scoring, selectors, services
from .models import Evidence, KeyElement, Measurement
from .permissions import (
    can_edit_assessments,
    can_reopen_measurement,
    can_review_measurement,
    can_start_measurement,
    can_submit_measurement,
)
from .scale import MAX_LEVEL

if TYPE_CHECKING:
    from partners.models import User


# --- Scores ---------------------------------------------------------------------------------------------------------


# --- Output ---------------------------------------------------------------------------------------------------------


class SchoolRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    title = serializers.CharField()
    url = serializers.CharField(help_text="The link, or empty when the evidence is a file.")
    file_url = serializers.SerializerMethodField(help_text="Where to download the file; null for a link.")

    def get_file_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(evidence.file.url) if request else evidence.file.url


class AssessmentSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.number", help_text="Criterion number (1-21).")
    criterion_name = serializers.CharField(source="criterion.label")
    element = serializers.IntegerField(source="criterion.element.number", help_text="Key element number (1-7).")
    level = serializers.IntegerField(min_value=0, max_value=MAX_LEVEL, allow_null=True)
    practice = serializers.CharField(help_text="Current practice (Toepassing).")
    improvement = serializers.CharField(help_text="Improvement point (Werkpunt).")
    evidence = EvidenceSerializer(many=True)


class MeetingSerializer(serializers.Serializer):
    date = serializers.DateField(source="meeting_date", allow_null=True)
    present_director = serializers.CharField()
    present_tac = serializers.CharField()
    present_adviser = serializers.CharField()
    present_others = serializers.CharField()


class ElementAdviceSerializer(serializers.Serializer):
    element = serializers.IntegerField(source="element.number")
    text = serializers.CharField()


class ElementScoreSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    percentage = serializers.FloatField(allow_null=True)
    answered = serializers.IntegerField()
    measured = serializers.IntegerField()


class ScoresSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    percentage = serializers.FloatField(allow_null=True)
    indicative_level = serializers.ChoiceField(choices=scoring.LABEL_LEVELS)
    progress = serializers.FloatField(help_text="Share of measured criteria that have a level (0-100).")
    answered = serializers.IntegerField()
    measured = serializers.IntegerField()
    elements = ElementScoreSerializer(many=True)


class AllowedSerializer(serializers.Serializer):
    """What the caller may do with this measurement now (the same predicates the endpoints check)."""

    edit_assessments = serializers.BooleanField()
    review = serializers.BooleanField(help_text="Meeting, advice, focus elements and finalising.")
    submit = serializers.BooleanField()
    reopen = serializers.BooleanField()


class MeasurementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    participation = serializers.IntegerField(source="participation_id")
    school = SchoolRefSerializer(source="participation.school")
    edition = serializers.SlugField(source="participation.edition.slug")
    kind = serializers.ChoiceField(choices=Measurement.Kind.choices)
    status = serializers.ChoiceField(choices=Measurement.Status.choices)
    version = serializers.IntegerField(help_text="Send it back with every PATCH (optimistic concurrency).")
    framework = serializers.SlugField(source="framework.slug")
    based_on = serializers.IntegerField(source="based_on_id", allow_null=True)
    meeting = MeetingSerializer(source="*")
    advice = serializers.CharField(help_text="Advice of the Voka coach.")
    element_advice = ElementAdviceSerializer(many=True)
    focus_elements = serializers.SerializerMethodField()
    assessments = AssessmentSerializer(many=True)
    scores = serializers.SerializerMethodField()
    allowed = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    finalised_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_focus_elements(self, measurement: Measurement) -> list[int]:
        return sorted(e.number for e in measurement.focus_elements.all())

    @extend_schema_field(ScoresSerializer)
    def get_scores(self, measurement: Measurement) -> dict[str, Any]:
        card = selectors.scorecard_for(measurement)
        names = {a.criterion.element.number: a.criterion.element.label for a in measurement.assessments.all()}
        return {
            "points": card.points,
            "max_points": card.max_points,
            "percentage": card.percentage,
            "indicative_level": card.level,
            "progress": card.progress,
            "answered": card.answered,
            "measured": card.measured,
            "elements": [
                {
                    "number": e.element,
                    "name": names.get(e.element, ""),
                    "points": e.points,
                    "max_points": e.max_points,
                    "percentage": e.percentage,
                    "answered": e.answered,
                    "measured": e.measured,
                }
                for e in card.elements
            ],
        }

    @extend_schema_field(AllowedSerializer)
    def get_allowed(self, measurement: Measurement) -> dict[str, bool]:
        user = self.context["request"].user
        return {
            "edit_assessments": can_edit_assessments(user, measurement),
            "review": can_review_measurement(user, measurement),
            "submit": can_submit_measurement(user, measurement),
            "reopen": can_reopen_measurement(user, measurement),
        }


class ChangeSerializer(serializers.Serializer):
    """One value someone else changed (from the measurement's history)."""

    field = serializers.CharField()
    criterion = serializers.IntegerField(required=False, help_text="Criterion number, for assessment fields.")
    element = serializers.IntegerField(required=False, help_text="Key element number, for element advice.")
    old = serializers.JSONField()
    new = serializers.JSONField()
    version = serializers.IntegerField(help_text="The version this change produced.")
    by = serializers.CharField()
    at = serializers.DateTimeField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(required=False)
    changes = ChangeSerializer(many=True, required=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- Input ----------------------------------------------------------------------------------------------------------


class MeasurementStartSerializer(serializers.Serializer):
    participation = serializers.IntegerField(help_text="Id of the school's participation in an edition.")


class AssessmentInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, help_text="Criterion number (1-21).")
    level = serializers.IntegerField(min_value=0, max_value=MAX_LEVEL, allow_null=True, required=False)
    practice = serializers.CharField(allow_blank=True, required=False)
    improvement = serializers.CharField(allow_blank=True, required=False)


class MeetingInputSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True, required=False)
    present_director = serializers.CharField(allow_blank=True, required=False, max_length=200)
    present_tac = serializers.CharField(allow_blank=True, required=False, max_length=200)
    present_adviser = serializers.CharField(allow_blank=True, required=False, max_length=200)
    present_others = serializers.CharField(allow_blank=True, required=False, max_length=500)


class ElementAdviceInputSerializer(serializers.Serializer):
    element = serializers.IntegerField(min_value=1, help_text="Key element number (1-7).")
    text = serializers.CharField(allow_blank=True)


class MeasurementPatchSerializer(serializers.Serializer):
    """A partial save: only the keys sent are touched. Assessments need can_edit_assessments; the meeting, advice,
    element advice and focus elements need can_review_measurement (the adviser of the region or a coordinator)."""

    version = serializers.IntegerField(min_value=1, help_text="The version the caller loaded.")
    assessments = AssessmentInputSerializer(many=True, required=False)
    meeting = MeetingInputSerializer(required=False)
    advice = serializers.CharField(allow_blank=True, required=False, help_text="Advice of the Voka coach.")
    element_advice = ElementAdviceInputSerializer(many=True, required=False)
    focus_elements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Key element numbers."
    )

    REVIEW_KEYS = ("meeting", "advice", "element_advice", "focus_elements")

    def validate_assessments(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        numbers = [row["criterion"] for row in value]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("Each criterion may appear once; repeated: %(numbers)s.") % {"numbers": ", ".join(map(str, repeated))}
            )
        return value

    def validate_element_advice(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        numbers = [row["element"] for row in value]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError(_("Each key element may appear once."))
        return value


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the measurement is reopened; kept in the history.")


# --- Helpers --------------------------------------------------------------------------------------------------------


def _service_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A refusal by a service becomes a 400 with its messages."""
    return serializers.ValidationError({"non_field_errors": exc.messages})


def _measurement_input(measurement: Measurement, data: dict[str, Any]) -> services.MeasurementInput:
    """Translate the numbers of the request into the ids of the measurement's framework."""
    criterion_ids = {a.criterion.number: a.criterion_id for a in measurement.assessments.all()}
    element_ids = dict(KeyElement.objects.filter(framework=measurement.framework).values_list("number", "id"))
    errors: dict[str, str] = {}

    assessments: dict[int, dict[str, Any]] = {}
    for row in data.get("assessments", []):
        values = {name: row[name] for name in services.ASSESSMENT_FIELDS if name in row}
        criterion_id = criterion_ids.get(row["criterion"])
        if criterion_id is None:
            errors["assessments"] = _("Criterion %(number)d is not measured in this measurement.") % {
                "number": row["criterion"]
            }
        else:
            assessments[criterion_id] = values

    def element_id(number: int, key: str) -> int:
        if number not in element_ids:
            errors[key] = _("Key element %(number)d is not part of this measurement's framework.") % {"number": number}
        return element_ids.get(number, 0)

    meeting = dict(data.get("meeting", {}))
    if "date" in meeting:
        meeting["meeting_date"] = meeting.pop("date")
    if "advice" in data:
        meeting["advice"] = data["advice"]
    element_advice = {
        element_id(row["element"], "element_advice"): row["text"] for row in data.get("element_advice", [])
    }
    focus = None
    if "focus_elements" in data:
        focus = sorted({element_id(number, "focus_elements") for number in data["focus_elements"]})
    if errors:
        raise serializers.ValidationError(errors)
    return services.MeasurementInput(
        assessments=assessments, meeting=meeting, element_advice=element_advice, focus_element_ids=focus
    )


def _changes_by_number(measurement: Measurement, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history speaks in ids; the API in criterion and key element numbers."""
    criterion_numbers = {a.criterion_id: a.criterion.number for a in measurement.assessments.all()}
    element_numbers = dict(KeyElement.objects.filter(framework=measurement.framework).values_list("id", "number"))
    rows = []
    for change in changes:
        row = dict(change)
        if "criterion" in row:
            row["criterion"] = criterion_numbers.get(row["criterion"], row["criterion"])
        if "element" in row:
            row["element"] = element_numbers.get(row["element"], row["element"])
        if row.get("field") == "focus_elements":
            row["old"] = sorted(element_numbers.get(i, i) for i in row["old"])
            row["new"] = sorted(element_numbers.get(i, i) for i in row["new"])
        rows.append(row)
    return rows


def _locked_response() -> Response:
    return Response(
        {"detail": _("This measurement is finalised and locked. A coordinator can reopen it.")},
        status=status.HTTP_409_CONFLICT,
    )


class MeasurementFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="participation__edition__slug", label="Edition slug")
    kind = django_filters.ChoiceFilter(choices=Measurement.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Measurement.Status.choices)
    school = django_filters.NumberFilter(field_name="participation__school", label="School id")

    class Meta:
        model = Measurement
        fields = ["edition", "kind", "status", "school"]


# --- Views ----------------------------------------------------------------------------------------------------------

NOT_VISIBLE = OpenApiResponse(description="Not found, or outside the caller's scope.")
NOT_ALLOWED = OpenApiResponse(DetailSerializer, description="Visible, but the caller may not do this (now).")
REFUSED = OpenApiResponse(description="Invalid input, or the service refused (non_field_errors says why).")


@extend_schema_view(
    list=extend_schema(summary="Measurements in the caller's scope"),
    retrieve=extend_schema(
        summary="One measurement with its assessments, advice and scores",
        responses={
            200: MeasurementSerializer,
            404: NOT_VISIBLE,
        },
    ),
)
class MeasurementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Baseline and end measurements: coordinators all, advisers their region's schools, school members their own
    school. Companies and jurors see none."""

    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    queryset = Measurement.objects.none()  # for the schema; the real one is per user

    @property
    def user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def get_queryset(self) -> QuerySet[Measurement]:
        return selectors.measurements_for(user=self.user)

    def _respond(self, measurement: Measurement, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.measurement_detail_for(user=self.user, measurement_id=measurement.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Start the baseline measurement of a participation",
        description="Starting twice returns the existing baseline (200 instead of 201).",
        request=MeasurementStartSerializer,
        responses={
            201: MeasurementSerializer,
            200: MeasurementSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_VISIBLE,
        },
    )
    def create(self, request: Request) -> Response:
        payload = MeasurementStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        participation = get_object_or_404(
            Participation.objects.filter(school__in=School.objects.visible_to(self.user)).select_related(
                "school", "edition"
            ),
            pk=payload.validated_data["participation"],
        )
        if not can_start_measurement(self.user, participation):
            raise PermissionDenied
        existed = Measurement.objects.filter(participation=participation, kind=Measurement.Kind.BASELINE).exists()
        measurement = self._run(lambda: services.measurement_start(participation=participation, by=self.user))
        return self._respond(measurement, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save part of a measurement",
        description=(
            "Send the `version` you loaded; only the keys sent are changed. When someone else saved in between, "
            "nothing is written and the answer is 409 with what they changed. A finalised measurement answers 409."
        ),
        request=MeasurementPatchSerializer,
        responses={
            200: MeasurementSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_VISIBLE,
            409: OpenApiResponse(ConflictSerializer, description="Stale version, or the measurement is finalised."),
        },
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        measurement = self.get_object()
        payload = MeasurementPatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if measurement.is_locked:
            return _locked_response()
        if "assessments" in data and not can_edit_assessments(self.user, measurement):
            raise PermissionDenied(_("You may not change the assessments of this measurement."))
        if any(key in data for key in payload.REVIEW_KEYS) and not can_review_measurement(self.user, measurement):
            raise PermissionDenied(
                _("Only the adviser of the region or a coordinator records the meeting, advice and focus elements.")
            )
        changes = _measurement_input(measurement, data)
        try:
            saved = services.measurement_save(
                measurement=measurement, by=self.user, version=data["version"], data=changes
            )
        except services.StaleMeasurement as exc:
            return Response(
                {
                    "detail": _("Someone else saved this measurement after you loaded it. Nothing was saved."),
                    "current_version": exc.current_version,
                    "changes": _changes_by_number(measurement, exc.changes),
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            if Measurement.objects.filter(pk=measurement.pk, status=Measurement.Status.FINALISED).exists():
                return _locked_response()  # finalised between our check and the save
            raise _service_error(exc) from exc
        return self._respond(saved)

    @staticmethod
    def _run(write: Callable[[], Measurement]) -> Measurement:
        """Call a service; its refusal (a Django ValidationError) becomes a 400 with the messages."""
        try:
            return write()
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc

    @extend_schema(
        summary="Submit the school's self-assessment",
        request=None,
        responses={200: MeasurementSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        measurement = self.get_object()
        if not can_submit_measurement(self.user, measurement):
            raise PermissionDenied
        return self._respond(self._run(lambda: services.measurement_submit(measurement=measurement, by=self.user)))

    @extend_schema(
        summary="Finalise (and lock) the measurement after the conversation",
        request=None,
        responses={200: MeasurementSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str | None = None) -> Response:
        measurement = self.get_object()
        if not can_review_measurement(self.user, measurement):
            raise PermissionDenied
        return self._respond(self._run(lambda: services.measurement_finalise(measurement=measurement, by=self.user)))

    @extend_schema(
        summary="Reopen a finalised measurement for corrections (coordinators)",
        request=ReopenSerializer,
        responses={200: MeasurementSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_VISIBLE},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        measurement = self.get_object()
        if not can_reopen_measurement(self.user, measurement):
            raise PermissionDenied
        payload = ReopenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reason = payload.validated_data["reason"]
        return self._respond(
            self._run(lambda: services.measurement_reopen(measurement=measurement, by=self.user, reason=reason))
        )

    @extend_schema(
        summary="Start the end measurement as a copy of this baseline",
        description="Starting twice returns the existing end measurement (200 instead of 201).",
        request=None,
        responses={
            201: MeasurementSerializer,
            200: MeasurementSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_VISIBLE,
        },
    )
    @action(detail=True, methods=["post"], url_path="end-measurement", url_name="end-measurement")
    def end_measurement(self, request: Request, pk: str | None = None) -> Response:
        baseline = self.get_object()
        if not can_start_measurement(self.user, baseline.participation):
            raise PermissionDenied
        existed = Measurement.objects.filter(participation=baseline.participation, kind=Measurement.Kind.END).exists()
        end = self._run(lambda: services.end_measurement_start(baseline=baseline, by=self.user))
        return self._respond(end, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
