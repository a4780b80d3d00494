"""URLs of the learning networks (lerende netwerken), included from actionplans/urls.py under /actieplan/."""

from django.urls import path

from . import views_networks as views

urlpatterns = [
    path("netwerken/", views.network_sessions, name="network-sessions"),
    path("netwerken/sessie/<int:pk>/", views.network_attendance, name="network-attendance"),
    path("netwerken/sessie/<int:pk>/aanwezigheid/", views.network_attendance_set, name="network-attendance-set"),
    path("netwerken/sessie/<int:pk>/iedereen-aanwezig/", views.network_attendance_all, name="network-attendance-all"),
    path("netwerken/sessie/<int:pk>/wijzigen/", views.network_session_update, name="network-session-update"),
    path("netwerken/sessie/<int:pk>/verwijderen/", views.network_session_delete, name="network-session-delete"),
    path("netwerken/<slug:edition_slug>/", views.network_sessions, name="network-sessions-edition"),
    path(
        "netwerken/<slug:edition_slug>/<slug:region_slug>/plannen/",
        views.network_session_create,
        name="network-session-create",
    ),
]
