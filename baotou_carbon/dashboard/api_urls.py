"""API routes of the dashboard, mounted under /api/v1/."""

from django.urls import path

from .api import DashboardSummaryView

urlpatterns = [
    path("dashboard/summary/", DashboardSummaryView.as_view(), name="api-dashboard-summary"),
]
