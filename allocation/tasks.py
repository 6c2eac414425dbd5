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


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def recompute_savings(year: int, enterprise_ids: list[int] | None = None) -> int:
    """Queued on commit when cost or savings inputs change (of some enterprises, or a whole
    year's after a price change); rewrites the same rows when run again. Rows written."""
    return services.savings_recompute(year=year, enterprise_ids=enterprise_ids)["rows"]


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=1800,
    time_limit=1900,
)
def run_savings_recompute(run_id: int) -> str:
    """A bureau-wide recompute the dashboard started (or beat): re-fetched by id, returns
    early when it has finished or another worker holds it. Returns the run's status."""
    run = services.savings_run_execute(run_id)
    return run.status if run else "missing"


@shared_task(soft_time_limit=60, time_limit=90)
def recompute_all_savings() -> int:
    """Run nightly by celery beat (scheduled in a migration): starts a bureau-wide run (or
    joins the one under way). Returns its id."""
    return services.savings_run_start(actor=None).pk
