"""Reads of relief applications."""

from django.db.models import Prefetch, QuerySet

from ..models import ReliefApplication, ReliefDocument, ReliefStatusChange
from ..permissions import relief_for_user


def relief_list(user) -> QuerySet[ReliefApplication]:
    return relief_for_user(user).select_related("enterprise").order_by("-year", "-created_at")


def relief_detail(application: ReliefApplication) -> ReliefApplication:
    return (
        ReliefApplication.objects.select_related("enterprise", "created_by")
        .prefetch_related(
            Prefetch("documents", queryset=ReliefDocument.objects.select_related("uploaded_by")),
            Prefetch("status_changes", queryset=ReliefStatusChange.objects.select_related("actor")),
        )
        .get(pk=application.pk)
    )
