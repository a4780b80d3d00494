"""URLs of the mentor profile pages (a company's offer per edition)."""

from django.urls import path

from . import views_profile

urlpatterns = [
    path("profiel/<int:company_id>/", views_profile.mentor_profile, name="mentor-profile"),
    path("profiel/<int:company_id>/<slug:edition_slug>/", views_profile.mentor_profile, name="mentor-profile-edition"),
]
