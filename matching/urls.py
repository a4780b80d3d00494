"""URLs of matching (koppeling), mounted at /koppeling/."""

from django.urls import include, path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.match_list, name="match-list"),
    path("school/<int:participation_id>/", views.school_ranking, name="school-ranking"),
    path("school/<int:participation_id>/voorstel/", views.match_propose, name="match-propose"),
    path("school/<int:participation_id>/uitsluiten/", views.pair_exclude, name="pair-exclude"),
    path("school/<int:participation_id>/geen/", views.no_match, name="no-match"),
    path("match/<int:pk>/accept/", views.match_accept, name="match-accept"),
    path("match/<int:pk>/reject/", views.match_reject, name="match-reject"),
    path("match/<int:pk>/pin/", views.match_pin, name="match-pin"),
    path("", include("matching.urls_edition")),
    path("", include("matching.urls_profile")),
]
