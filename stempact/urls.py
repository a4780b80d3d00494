from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("over/", views.about, name="about"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("uitnodiging/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("partners.urls")),
    path("metingen/", include("baseline.urls")),
    path("koppeling/", include("matching.urls")),
    path("rapporten/", include("reports.urls")),
    path("actieplan/", include("actionplans.urls")),
    path("api/v1/", include("partners.api_urls")),
    path("api/v1/", include("baseline.api_urls")),
    path("api/v1/", include("matching.api_urls")),
    path("api/v1/", include("actionplans.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
