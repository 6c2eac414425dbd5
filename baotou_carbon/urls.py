from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("baotou_carbon.dashboard.urls")),
    path("dashboard/briefings/", include("baotou_carbon.dashboard.briefing_urls")),
    path("accounts/", include("baotou_carbon.accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("verification/", include("verification.urls")),
    path("assistance/", include("assistance.urls")),
    path("allocation/", include("allocation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The schema (JSON or YAML) and its docs page: logged-in users only (SERVE_PERMISSIONS);
    # the page sends anyone else to the login form. Swagger UI's assets are local (sidecar).
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/v1/", include("enterprises.api_urls")),
    path("api/v1/", include("verification.api_urls")),
    path("api/v1/", include("allocation.api_urls")),
    path("api/v1/", include("baotou_carbon.dashboard.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "baotou_carbon.core.api.not_found"
