"""API routes of verification, mounted under /api/v1/."""

from django.urls import path

from .api import EmissionCalculatorView, EvidenceDetailView, EvidenceListView

urlpatterns = [
    path(
        "calculators/emissions/",
        EmissionCalculatorView.as_view(),
        name="api-emission-calculator",
    ),
    path("evidence/", EvidenceListView.as_view(), name="api-evidence-list"),
    path("evidence/<int:pk>/", EvidenceDetailView.as_view(), name="api-evidence-detail"),
]
