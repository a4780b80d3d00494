"""REST API routes of the baseline app, mounted under /api/v1/ beside the partners API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import MeasurementViewSet

# SimpleRouter: the /api/v1/ root view comes from the partners router; a DefaultRouter would add a second one.
router = SimpleRouter()
router.register("measurements", MeasurementViewSet, basename="measurement")

urlpatterns = [path("", include(router.urls))]
