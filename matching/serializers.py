"""Serializers of the matching API (koppeling): the ranking, the assignment proposal, matches and the decisions.

Output serializers read the dataclasses of `matching.services` (turned into dicts by the views) or `Match` rows;
input serializers validate the query parameters and bodies before any service runs. A match's score, score parts
and history are shown only to whoever may decide on it (coordinators and the advisers of the school's region):
a school or a company never sees scores.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Edition, Region, StudyArea

from .engine import PARTS
from .models import Match
from .permissions import can_accept_now, can_decide

if TYPE_CHECKING:
    from partners.models import User

#: Most companies one ranking request may ask for (the page shows 10).
MAX_RANKING_LIMIT = 50


# --- Output: references and score parts -----------------------------------------------------------------------------


class MatchingSchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MatchingCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PartsSerializer(serializers.Serializer):
    """The six parts of a matching score, each in [0, 1] (the total is their weighted sum)."""

    need = serializers.FloatField(help_text="How well the company's expertise meets the school's needs.")
    proximity = serializers.FloatField(help_text="Distance from the school to the company's nearest site.")
    sector = serializers.FloatField(help_text="The company's core activity fits the school's study area(s).")
    resources = serializers.FloatField(help_text="Time and staff the company offers.")
    willingness = serializers.FloatField(help_text="Willingness to share knowledge and to continue for years.")
    continuity = serializers.FloatField(help_text="1 when school and company worked together before.")


def parts_or_none(parts: dict[str, float] | None) -> dict[str, float] | None:
    """The six parts in a fixed order, or None when there are none (no company, or no mentor profile)."""
    if not parts:
        return None
    return {part: float(parts[part]) for part in PARTS if part in parts}


@extend_schema_field(PartsSerializer(allow_null=True))
class PartsField(serializers.Field):
    """A stored dict of score parts (Match.parts); null when the match has none."""

    def to_representation(self, value: dict[str, float]) -> dict[str, float] | None:
        return parts_or_none(value)


# --- Output: ranking ------------------------------------------------------------------------------------------------


class RankedCompanySerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 for the best company.")
    company = MatchingCompanySerializer()
    total = serializers.FloatField(help_text="Weighted total score in [0, 1].")
    parts = PartsSerializer()
    distance_km = serializers.FloatField(
        allow_null=True, help_text="Distance to the company's nearest site; null when it has no known site."
    )
    sentence = serializers.CharField(help_text="Why this company, in one sentence (in the caller's language).")


class LeftOutSerializer(serializers.Serializer):
    company = MatchingCompanySerializer()
    reason = serializers.CharField(help_text="Why a company that would rank high is left out.")


class RankingSerializer(serializers.Serializer):
    participation = serializers.IntegerField()
    school = MatchingSchoolSerializer()
    edition = serializers.SlugField()
    need_is_neutral = serializers.BooleanField(
        help_text="True while the school has no finalised baseline: the need part is the same for every company."
    )
    rows = RankedCompanySerializer(many=True)
    left_out = LeftOutSerializer(many=True)


# --- Output: assignment ---------------------------------------------------------------------------------------------


class ProposedPairSerializer(serializers.Serializer):
    participation = serializers.IntegerField()
    school = MatchingSchoolSerializer()
    company = MatchingCompanySerializer(allow_null=True, help_text="Null when no company is left for the school.")
    score = serializers.FloatField(allow_null=True)
    parts = PartsSerializer(allow_null=True)
    pinned = serializers.BooleanField(
        help_text="The school's open proposal, kept as it is: pinned, or accepted by the school or the company."
    )
    conflict = serializers.ChoiceField(
        choices=["over_capacity", "not_allowed"],
        allow_null=True,
        help_text="A kept pair beyond the company's capacity, or no longer allowed (beyond the distance limit).",
    )


class SkippedSchoolSerializer(serializers.Serializer):
    participation = serializers.IntegerField()
    school = MatchingSchoolSerializer()
    reason = serializers.CharField(help_text="The 'no match' decision: when, who and why (a line of its history).")


class AssignmentSummarySerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text="Schools that get a company.")
    unassigned = serializers.IntegerField(help_text="Schools left without a company.")
    total_score = serializers.FloatField(help_text="Sum of the scores of the assigned pairs.")
    lowest_score = serializers.FloatField(allow_null=True, help_text="Lowest score of an assigned pair.")


class AssignmentSerializer(serializers.Serializer):
    edition = serializers.SlugField()
    region = serializers.SlugField(allow_null=True, help_text="Null: every region of the edition.")
    fairness = serializers.BooleanField()
    pairs = ProposedPairSerializer(many=True)
    skipped = SkippedSchoolSerializer(many=True, help_text="Schools left out: their latest decision is 'no match'.")
    summary = AssignmentSummarySerializer()


# --- Output: matches ------------------------------------------------------------------------------------------------


class MatchAllowedSerializer(serializers.Serializer):
    """What the caller may do with this match now (the same predicates the endpoints check)."""

    accept_as_school = serializers.BooleanField()
    accept_as_company = serializers.BooleanField()
    decide = serializers.BooleanField(help_text="Reject, propose another company, exclude the pair.")


class MatchSerializer(serializers.Serializer):
    """A match (koppeling). `score`, `parts` and `history` are present only for whoever may decide on it."""

    DECIDERS_ONLY = ("score", "parts", "history")

    id = serializers.IntegerField()
    participation = serializers.IntegerField(source="participation_id")
    edition = serializers.SlugField(source="participation.edition.slug")
    school = MatchingSchoolSerializer(source="participation.school")
    company = MatchingCompanySerializer(allow_null=True, help_text="Null for a 'no match' decision.")
    status = serializers.ChoiceField(choices=Match.Status.choices)
    pinned = serializers.BooleanField()
    school_accepted_at = serializers.DateTimeField(allow_null=True)
    company_accepted_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    score = serializers.FloatField(
        required=False, allow_null=True, help_text="Only for coordinators and the advisers of the school's region."
    )
    parts = PartsField(required=False, help_text="Only for coordinators and the advisers of the school's region.")
    history = serializers.CharField(
        source="note",
        required=False,
        help_text="One line per decision (when, who, what, why). Only for coordinators and the region's advisers.",
    )
    allowed = serializers.SerializerMethodField()

    @property
    def user(self) -> User:
        return self.context["request"].user

    @extend_schema_field(MatchAllowedSerializer)
    def get_allowed(self, match: Match) -> dict[str, bool]:
        return {
            "accept_as_school": can_accept_now(self.user, match, "school"),
            "accept_as_company": can_accept_now(self.user, match, "company"),
            "decide": can_decide(self.user, match.participation),
        }

    def to_representation(self, match: Match) -> dict[str, Any]:
        data = super().to_representation(match)
        if not can_decide(self.user, match.participation):
            for name in self.DECIDERS_ONLY:
                data.pop(name, None)
        return data


class ExcludedPairSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    participation = serializers.IntegerField(source="participation_id")
    company = MatchingCompanySerializer()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


# --- Input: query parameters ----------------------------------------------------------------------------------------


class RankingQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_RANKING_LIMIT, default=10, help_text="How many companies (1-50)."
    )
    max_distance_km = serializers.IntegerField(
        min_value=1, max_value=500, required=False, help_text="Leave out companies farther away (km, 1-500)."
    )
    study_area = serializers.SlugField(required=False, help_text="Only companies that fit this study area (slug).")

    def validate_study_area(self, slug: str) -> StudyArea:
        area = StudyArea.objects.filter(slug=slug).first()
        if area is None:
            raise serializers.ValidationError(_("Unknown study area: %(slug)s.") % {"slug": slug})
        return area


class AssignmentQuerySerializer(serializers.Serializer):
    edition = serializers.SlugField(help_text="Edition slug.")
    region = serializers.SlugField(
        required=False,
        help_text=(
            "Region slug. Coordinators: optional (default every region). Advisers: required unless they advise "
            "exactly one region (then that one); a region they do not advise answers 404."
        ),
    )
    fairness = serializers.BooleanField(
        required=False,
        default=False,
        help_text="First raise the lowest score, then the total.",
        error_messages={"invalid": gettext_lazy("Give true or false.")},
    )

    def validate_edition(self, slug: str) -> Edition:
        edition = Edition.objects.filter(slug=slug).first()
        if edition is None:
            raise serializers.ValidationError(_("Unknown edition: %(slug)s.") % {"slug": slug})
        return edition

    def validate_region(self, slug: str) -> Region:
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise serializers.ValidationError(_("Unknown region: %(slug)s.") % {"slug": slug})
        return region


# --- Input: bodies --------------------------------------------------------------------------------------------------


class AssignmentApplySerializer(AssignmentQuerySerializer):
    participations = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_empty=False,
        help_text="Apply only the pairs of these participation ids (default: every pair with a company).",
    )

    def validate_participations(self, ids: list[int]) -> list[int]:
        return sorted(set(ids))


class ProposeSerializer(serializers.Serializer):
    participation = serializers.IntegerField(help_text="Id of the school's participation in an edition.")
    company = serializers.IntegerField(help_text="Id of a company with a mentor profile in that edition.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class AcceptSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[("school", "school"), ("company", "company")],
        required=False,
        allow_blank=True,
        help_text="The side you accept for; empty or absent: the only side you may accept for.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class NoMatchSerializer(ReasonSerializer):
    participation = serializers.IntegerField(help_text="Id of the school's participation in an edition.")


class ExcludePairSerializer(serializers.Serializer):
    participation = serializers.IntegerField(help_text="Id of the school's participation in an edition.")
    company = serializers.IntegerField(help_text="Id of a company with a mentor profile in that edition.")
    reason = serializers.CharField(max_length=300, help_text="Shown where the company is left out of the ranking.")


def finite_or_none(value: float) -> float | None:
    """JSON has no infinity: a company without a known site has no distance."""
    return value if math.isfinite(value) else None
