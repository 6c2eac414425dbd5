"""Verification's API, one module per sub-domain: the emission calculator and monthly
evidence. Routes in verification/api_urls.py."""

from .calculators import EmissionCalculatorView
from .evidence import EvidenceDetailView, EvidenceListView

__all__ = ["EmissionCalculatorView", "EvidenceDetailView", "EvidenceListView"]
