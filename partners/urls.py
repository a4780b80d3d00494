from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("scholen/", views.school_list, name="school-list"),
    path("scholen/<int:pk>/", views.school_detail, name="school-detail"),
    path("bedrijven/", views.company_list, name="company-list"),
    path("bedrijven/<int:pk>/", views.company_detail, name="company-detail"),
    path("import/", views.import_organisations, name="import"),
    path("gebruikers/", views.user_list, name="user-list"),
    path("gebruikers/uitnodigen/", views.user_invite_view, name="user-invite"),
]
