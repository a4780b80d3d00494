from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path(
        "meting/<int:measurement_id>/",
        views.measurement_report_request,
        name="measurement-report-request",
    ),
    path(
        "actieplan/<int:plan_id>/",
        views.action_plan_report_request,
        name="action-plan-report-request",
    ),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/download/", views.report_download, name="report-download"),
]
