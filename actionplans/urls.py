"""URLs of the SMART improvement action plans, mounted at /actieplan/."""

from django.urls import include, path

app_name = "actionplans"

urlpatterns = [
    path("", include("actionplans.urls_plan")),
    path("", include("actionplans.urls_submit")),
    path("", include("actionplans.urls_networks")),
]
