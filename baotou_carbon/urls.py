from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("baotou_carbon.dashboard.urls")),
    path("dashboard/briefings/", include("baotou_carbon.dashboard.briefing_urls")),
    path("accounts/", include("baotou_carbon.accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("verification/", include("verification.urls")),
    path("assistance/", include("assistance.urls")),
    path("allocation/", include("allocation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("verification.api_urls")),
    path("api/v1/", include("allocation.api_urls")),
    path("api/v1/", include("baotou_carbon.dashboard.api_urls")),
    path("admin/", admin.site.urls),
]
