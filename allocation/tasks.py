"""Celery tasks of allocation: thin, idempotent, retried on transient failures."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def recompute_positions(year: int, enterprise_ids: list[int] | None = None) -> int:
    """Queued on commit when a position's inputs change; rewrites the same rows when run again,
    so a retry or a duplicate delivery does no harm. Returns how many rows were written."""
    return services.positions_recompute(year=year, enterprise_ids=enterprise_ids)


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=1800,
    time_limit=1900,
)
def recompute_recent_positions() -> dict[str, int]:
    """Run nightly by celery beat (scheduled in a migration), for safety: every year from the
    last finished compliance period to the current one, whole; and the current year's
    projection from the monthly evidence (the early warning). Rows written, by year."""
    current = timezone.localdate().year
    written = {
        str(year): services.positions_recompute(year=year)
        for year in services.recent_position_years(current)
    }
    written[f"{current} projected"] = services.projected_positions_recompute(year=current)
    return written


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def project_positions(year: int) -> int:
    """The early warning's projection for a year, on demand; idempotent like the others."""
    return services.projected_positions_recompute(year=year)
