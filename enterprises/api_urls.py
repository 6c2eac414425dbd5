"""API routes of the registry, mounted under /api/v1/."""

from django.urls import path

from .api import EnterpriseDetailView, EnterpriseListView

urlpatterns = [
    path("enterprises/", EnterpriseListView.as_view(), name="api-enterprise-list"),
    path("enterprises/<int:pk>/", EnterpriseDetailView.as_view(), name="api-enterprise-detail"),
]
