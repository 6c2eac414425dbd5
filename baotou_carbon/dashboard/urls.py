from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", views.manager, name="manager"),
    path("dashboard/export/", views.manager_export, name="manager_export"),
    path("dashboard/recompute/", views.recompute_start, name="recompute_start"),
    path("dashboard/recompute/<int:pk>/", views.recompute_page, name="recompute"),
    path(
        "dashboard/recompute/<int:pk>/status/",
        views.recompute_status,
        name="recompute_status",
    ),
]
