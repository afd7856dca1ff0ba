from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from community_admin.certificates.views import VerifyView
from community_admin.dashboards.views import HomeView

api_v1 = [
    path("", include("community_admin.config.api_router")),
    path("", include("community_admin.dashboards.api.urls")),
    # The schema describes endpoints, not data: public, so departments' developers can read it.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # The split view serves its start-up script from this same URL (?script), not inline: the page's
    # Content-Security-Policy allows no inline script (settings.CONTENT_SECURITY_POLICY).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", permission_classes=[AllowAny], template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("community_admin.accounts.urls")),
    path("", include("community_admin.dashboards.urls")),
    path("residents/", include("community_admin.residents.urls")),
    path("certificates/", include("community_admin.certificates.urls")),
    # Public: the certificates' QR codes point here (no login).
    path("verify/", VerifyView.as_view(), name="verify"),
    path("ledgers/", include("community_admin.ledgers.urls")),
    path("services/", include("community_admin.community_services.urls")),
    path("jobs/", include("community_admin.jobs.urls")),
    path("staff/", include("community_admin.staff.urls")),
    path("tasks/", include("community_admin.admission.urls")),
    path("funding/", include("community_admin.funding.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

# /api/v1/persons/abc/ and other paths matching no route answer JSON under /api/, HTML elsewhere.
handler404 = "community_admin.core.errors.not_found"
