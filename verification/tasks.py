"""Celery tasks of verification: thin, idempotent, retried on transient failures."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=330,
)
def send_evidence_reminders(today: str | None = None) -> int:
    """Run daily by celery beat (scheduled in migration 0004). Reminders already recorded are
    not sent again, so a rerun or a retry sends nothing twice. Returns how many were new."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.evidence_reminders_send(today=day)


@shared_task(
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def mail_evidence_returned(submission_id: int) -> bool:
    """Queued when a reviewer returns a month. Re-fetches the month and sends nothing once it
    is no longer returned, so a retry after the enterprise resubmitted stays silent."""
    return services.evidence_returned_mail_send(submission_id=submission_id)
