"""URLs of the action plans: plan pages (included from actionplans/urls.py under /actieplan/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
