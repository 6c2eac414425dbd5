"""API routes of allocation, mounted under /api/v1/."""

from django.urls import path

from .api import (
    AllocationCalculatorView,
    CompliancePositionCalculatorView,
    CostEntryDetailView,
    CostEntryListView,
    CostEntryReverseView,
    PositionDetailView,
    PositionListView,
)

urlpatterns = [
    path(
        "calculators/allocation/",
        AllocationCalculatorView.as_view(),
        name="api-allocation-calculator",
    ),
    path(
        "calculators/compliance-position/",
        CompliancePositionCalculatorView.as_view(),
        name="api-position-calculator",
    ),
    path("positions/", PositionListView.as_view(), name="api-position-list"),
    path("positions/<int:pk>/", PositionDetailView.as_view(), name="api-position-detail"),
    path("cost-entries/", CostEntryListView.as_view(), name="api-cost-entry-list"),
    path("cost-entries/<int:pk>/", CostEntryDetailView.as_view(), name="api-cost-entry-detail"),
    path(
        "cost-entries/<int:pk>/reverse/",
        CostEntryReverseView.as_view(),
        name="api-cost-entry-reverse",
    ),
]
