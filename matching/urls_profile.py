"""URLs of the mentor profile pages (a company's offer per edition)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
