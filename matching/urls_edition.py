"""URLs of the coordinator's edition-wide matching pages: weights and the global assignment."""

from django.urls import path

from . import views_edition

urlpatterns = [
    path("gewichten/<slug:edition_slug>/", views_edition.weights, name="weights"),
    path("gewichten/<slug:edition_slug>/voorbeeld/", views_edition.weights_preview, name="weights-preview"),
    path("toewijzing/<slug:edition_slug>/", views_edition.assignment, name="assignment"),
    path("toewijzing/<slug:edition_slug>/accepteren/", views_edition.assignment_accept, name="assignment-accept"),
]
