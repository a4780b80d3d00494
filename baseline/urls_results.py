"""Results pages: scores, radar chart, baseline vs end, edition settings and averages."""

from django.urls import path

from . import views_results

urlpatterns = [
    path("<int:pk>/resultaat/", views_results.measurement_results, name="measurement-results"),
    path("<int:pk>/vergelijking/", views_results.measurement_compare, name="measurement-compare"),
    path("instellingen/<slug:edition_slug>/", views_results.edition_settings, name="edition-settings"),
    path("gemiddelden/<slug:edition_slug>/", views_results.edition_averages, name="edition-averages"),
]
