"""URLs of the action plans: submit pages (included from actionplans/urls.py under /actieplan/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
