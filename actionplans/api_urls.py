"""REST API routes of the action plans and learning networks, mounted under /api/v1/ beside the other apps' APIs."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import (
    ActionViewSet,
    CoolStepViewSet,
    GoalViewSet,
    LearningNetworkSessionViewSet,
    MilestoneViewSet,
    PlanViewSet,
    TeamMemberViewSet,
)

# SimpleRouter: the /api/v1/ root view comes from the partners router; a DefaultRouter would add a second one.
# Path converters (the viewsets' lookup_value_converter is "int"): ids are integers in the URLs and in the schema.
router = SimpleRouter(use_regex_path=False)
router.register("plans", PlanViewSet, basename="plan")
router.register("goals", GoalViewSet, basename="goal")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("actions", ActionViewSet, basename="action")
router.register("team-members", TeamMemberViewSet, basename="team-member")
router.register("cool-steps", CoolStepViewSet, basename="cool-step")
router.register("learning-network-sessions", LearningNetworkSessionViewSet, basename="learning-network-session")

urlpatterns = [path("", include(router.urls))]
