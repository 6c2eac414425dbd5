"""API routes of verification, mounted under /api/v1/."""

from django.urls import path

from .api import EmissionCalculatorView

urlpatterns = [
    path(
        "calculators/emissions/",
        EmissionCalculatorView.as_view(),
        name="api-emission-calculator",
    ),
]
