"""The reminder task on a REAL Celery worker with a real Redis broker (db 15).

The worker runs in a thread of this process against the test database, so the test commits
(`transaction=True`) for the worker's connection to see its rows, and results travel through the
configured django-db backend, the one the app has already built if an earlier test touched it.
"""

import pytest
from django.core import mail

from verification.models import EvidenceReminder
from verification.tasks import send_evidence_reminders

from .factories import ListingFactory


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
