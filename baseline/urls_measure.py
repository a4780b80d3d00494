"""Measuring pages: fill in, review, finalise, reopen, history (mounted at /metingen/, namespace "baseline")."""

from django.urls import path

from . import views_measure as views

urlpatterns = [
    path("", views.measurement_list, name="measurement-list"),
    path("start/<int:participation_id>/", views.measurement_start, name="measurement-start"),
    path("<int:pk>/", views.measurement_detail, name="measurement-detail"),
    path("<int:pk>/eindmeting/", views.end_measurement_start, name="end-measurement-start"),
    path("<int:pk>/element/<int:element_number>/", views.measurement_element, name="measurement-element"),
    path("<int:pk>/criterium/<int:criterion_id>/bewijs/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/bewijs/<int:evidence_id>/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/bewijs/<int:evidence_id>/verwijderen/", views.evidence_remove, name="evidence-remove"),
    path("<int:pk>/indienen/", views.measurement_submit, name="measurement-submit"),
    path("<int:pk>/gesprek/", views.measurement_review, name="measurement-review"),
    path("<int:pk>/afronden/", views.measurement_finalise, name="measurement-finalise"),
    path("<int:pk>/heropenen/", views.measurement_reopen, name="measurement-reopen"),
    path("<int:pk>/geschiedenis/", views.measurement_history, name="measurement-history"),
]
