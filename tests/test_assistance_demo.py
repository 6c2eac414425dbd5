"""The assistance demo reproduces DOMAIN §1 and is idempotent."""

from datetime import date

import pytest

from assistance import demo, selectors
from assistance.models import Draw, FollowUp, Training, Visit
from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role

from .factories import EnterpriseFactory, ListingFactory, UserFactory

# The demo's visits (to 31 January 2024) took place and its trainings were held: the product
# checks both against today (a visit done cannot be in the future; attendance is recorded
# once the training has taken place).
AFTER_THE_STORY = pytest.mark.date_sensitive(today="2024-06-01")


@pytest.fixture
def registry(db):
    enterprises = EnterpriseFactory.create_batch(26)
    for enterprise in enterprises:
        ListingFactory(enterprise=enterprise, year=2023)
    UserFactory(username="enterprise", role=Role.ENTERPRISE, enterprise=enterprises[5])
    return UserFactory(username="admin", role=Role.ADMINISTRATOR)


@AFTER_THE_STORY
def test_it_reproduces_the_story_of_january_2024(registry):
    demo.seed(actor=registry, password="Demo-password-1")
    report = selectors.progress(as_of=date(2024, 1, 31), since=date(2023, 1, 1))
    totals = {t.measure: t.done for t in report["totals"]}
    assert totals["on_site_visits"] > 40
    assert totals["remote_sessions"] > 80
    assert (totals["on_site_trainings"], totals["online_trainings"]) == (2, 1)
    assert all(row["total"] > 0 for row in report["by_occasion"])
    assert not Visit.objects.filter(started_at__date__gt=date(2024, 1, 31)).exists()
    assert report["coverage"].covered > 0
    visited = Visit.objects.values("enterprises").distinct().count()
    assert visited >= 20  # spread over the demo enterprises
    states = set(FollowUp.objects.values_list("status", flat=True))
    assert states == {"open", "answered", "confirmed", "closed"}
    # Staff added up to four, with the demo password.
    staff = User.objects.filter(role=Role.BUREAU_STAFF)
    assert staff.count() >= 4
    assert staff.get(username="staff2").check_password("Demo-password-1")
    # The demo enterprise login has something to confirm.
    login = User.objects.get(username="enterprise")
    assert FollowUp.objects.filter(enterprise=login.enterprise, status="open").exists()
    # The published draw verifies.
    assert selectors.draw_verification(Draw.objects.get()).matches
    assert set(Training.objects.values_list("mode", flat=True)) >= {"on_site", "online"}


@AFTER_THE_STORY
def test_it_writes_nothing_the_second_time(registry):
    first = demo.seed(actor=registry, password="Demo-password-1")
    counts = (Visit.objects.count(), FollowUp.objects.count(), Visit.history.count())
    second = demo.seed(actor=registry, password="Demo-password-1")
    assert (Visit.objects.count(), FollowUp.objects.count(), Visit.history.count()) == counts
    assert not any(key.endswith("created") for key in second)
    assert first["visit created"] == second["visit unchanged"]


def test_it_skips_without_a_registry(db):
    assert demo.seed() == {}
    assert not Visit.objects.exists()
