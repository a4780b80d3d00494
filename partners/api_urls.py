from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from .api import CompanyViewSet, EditionViewSet, SchoolViewSet

router = DefaultRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("companies", CompanyViewSet, basename="company")
router.register("editions", EditionViewSet, basename="edition")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
