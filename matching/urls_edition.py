"""URLs of the coordinator's edition-wide matching pages: weights and the global assignment."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
