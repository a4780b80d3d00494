"""REST API routes of matching (koppeling), mounted under /api/v1/ beside the partners and baseline APIs."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import AssignmentApplyView, AssignmentView, ExcludedPairView, MatchViewSet, NoMatchView, RankingView

# SimpleRouter: the /api/v1/ root view comes from the partners router; a DefaultRouter would add a second one.
router = SimpleRouter()
router.register("matches", MatchViewSet, basename="match")

urlpatterns = [
    path("matching/rankings/<int:participation_id>/", RankingView.as_view(), name="matching-ranking"),
    path("matching/assignment/", AssignmentView.as_view(), name="matching-assignment"),
    path("matching/assignment/apply/", AssignmentApplyView.as_view(), name="matching-assignment-apply"),
    path("matching/no-match/", NoMatchView.as_view(), name="matching-no-match"),
    path("matching/excluded-pairs/", ExcludedPairView.as_view(), name="matching-excluded-pairs"),
    path("", include(router.urls)),
]
