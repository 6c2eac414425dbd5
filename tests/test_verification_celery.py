"""The reminder task on a REAL Celery worker with a real Redis broker (db 15).

The worker runs in a thread of this process against the test database, so the test commits
(`transaction=True`) for the worker's connection to see its rows, and results travel through the
configured django-db backend, the one the app has already built if an earlier test touched it.
"""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from baotou_carbon.celery import app
from verification.models import EvidenceReminder
from verification.tasks import send_evidence_reminders

from .factories import ListingFactory

# CI starts Redis and sets this; the default is the local one, database 15.
BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_worker_app():
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the ping check

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=20):
            yield app
    finally:
        app.conf.update(saved)
        forget_connections()


def forget_connections():
    """An eager task run earlier in this process leaves the app's producer pool bound to the
    broker configured then; drop it (as Celery does after a fork) so `delay()` uses Redis."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_it_sends_each_reminder_once_through_a_real_worker(personas, celery_worker_app):
    personas.enterprise_b_user.email = "b@example.cn"
    personas.enterprise_b_user.save()
    ListingFactory.create(enterprise=personas.enterprise_b, year=2023)

    # 18 Feb 2023: January's deadline (20 Feb) is two days away and nothing was submitted.
    first = send_evidence_reminders.delay("2023-02-18")
    assert first.get(timeout=30) == 1
    again = send_evidence_reminders.delay("2023-02-18")
    assert again.get(timeout=30) == 0  # idempotent: recorded, so not sent twice

    reminder = EvidenceReminder.objects.get()
    assert (reminder.year, reminder.month, reminder.kind) == (2023, 1, "enterprise_deadline")
    assert reminder.recipients == "b@example.cn"
    assert [m.to for m in mail.outbox] == [["b@example.cn"]]
