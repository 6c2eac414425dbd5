"""Shared personas: one user per role, two enterprises (A and B) and one agency; and the
pinned "today" of the tests whose outcome depends on the date.

A test marked `date_sensitive` runs with time-machine travelling to 10:00 in Baotou
(Asia/Shanghai) on one day, set up and assertions alike (its fixtures included):

- `@pytest.mark.date_sensitive`: the test is written relative to today (`timezone.localdate()`,
  "last month", "this year"), so it must hold on any day. It runs on DEFAULT_TODAY, or on the
  day given by `--today=YYYY-MM-DD`; `make test` reruns these on a 28-day February's last day, a
  30-day month's last day and 31 December.
- `@pytest.mark.date_sensitive(today="2024-06-01")`: a fixed scenario (data of a given year seen
  from a given day). It always runs on that day; a run with `--today` leaves it out, as it
  would only repeat the main run.

A marker on the test wins over one on its module (`pytestmark`). `tick=False` in the marker
freezes the clock for a test that compares exact times; otherwise it ticks on from 10:00.
"""

import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.utils import translation

from baotou_carbon.accounts.roles import Role
from baotou_carbon.celery import app
from enterprises.models import District

from .factories import AgencyFactory, EnterpriseFactory, UserFactory


@dataclass
class Personas:
    staff: object
    manager: object
    admin: object
    enterprise_a_user: object
    enterprise_b_user: object
    agency_user: object
    district_reviewer: object
    enterprise_a: object
    enterprise_b: object
    agency: object


@pytest.fixture
def personas(db) -> Personas:
    enterprise_a = EnterpriseFactory(name_zh="甲企业", district=District.KUNDULUN)
    enterprise_b = EnterpriseFactory(name_zh="乙企业", district=District.QINGSHAN)
    agency = AgencyFactory()
    return Personas(
        staff=UserFactory(username="staff", role=Role.BUREAU_STAFF),
        manager=UserFactory(username="manager", role=Role.BUREAU_MANAGER),
        admin=UserFactory(username="admin", role=Role.ADMINISTRATOR),
        enterprise_a_user=UserFactory(
            username="ent_a", role=Role.ENTERPRISE, enterprise=enterprise_a
        ),
        enterprise_b_user=UserFactory(
            username="ent_b", role=Role.ENTERPRISE, enterprise=enterprise_b
        ),
        agency_user=UserFactory(username="agency", role=Role.AGENCY, agency=agency),
        district_reviewer=UserFactory(
            username="reviewer", role=Role.DISTRICT_REVIEWER, district=District.KUNDULUN
        ),
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        agency=agency,
    )


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English, as the test client speaks it: a request in another
    language leaves that language active in the thread, and must not decide what messages a
    later test reads."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def client(client):
    """The test client speaks English unless a test asks otherwise (the site default is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# Pinned today ---------------------------------------------------------------------------------

BAOTOU = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE
# An ordinary day for the tests written relative to today, when `--today` is not given: a
# Monday in the middle of a 30-day month, away from the ends of the month and of the year.
DEFAULT_TODAY = date(2026, 6, 15)
PINNED_HOUR = time(10, 0)


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        type=date.fromisoformat,
        default=None,
        help=(
            "run the tests marked date_sensitive (those written relative to today) as if today "
            f"were this day in Baotou; default {DEFAULT_TODAY.isoformat()}"
        ),
    )


def _fixed_day(item) -> date | None:
    """The day a fixed-scenario test always runs on (its marker's `today`), else None."""
    marker = item.get_closest_marker("date_sensitive")
    fixed = marker.kwargs.get("today") if marker else None
    if fixed is None or isinstance(fixed, date):
        return fixed
    return date.fromisoformat(fixed)


def pytest_collection_modifyitems(config, items):
    """Under --today, leave out the fixed-scenario tests: they would run on their own day
    again, repeating the main run; only the tests written relative to today move."""
    if config.getoption("today") is None:
        return
    fixed = [item for item in items if _fixed_day(item) is not None]
    if fixed:
        config.hook.pytest_deselected(items=fixed)
        items[:] = [item for item in items if _fixed_day(item) is None]


@pytest.fixture(autouse=True)
def _pinned_today(request):
    """Travel to the pinned day for a `date_sensitive` test: its fixed day, else --today,
    else DEFAULT_TODAY. Autouse, so before its other fixtures make their rows; the live
    server runs in a thread of this process and travels too."""
    marker = request.node.get_closest_marker("date_sensitive")
    if marker is None:
        yield None
        return
    day = _fixed_day(request.node) or request.config.getoption("today") or DEFAULT_TODAY
    when = datetime.combine(day, PINNED_HOUR, tzinfo=BAOTOU)
    with time_machine.travel(when, tick=marker.kwargs.get("tick", True)):
        yield day


# A real Celery worker ------------------------------------------------------------------------

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


# Data the migrations seed, again ----------------------------------------------------------------


class _SeedApps:
    """What a seeding migration asks of `apps`: the current models, by name."""

    @staticmethod
    def get_model(app_label: str, name: str):
        from allocation.models import Benchmark, RuleSet

        models = {
            "RuleSet": RuleSet,
            "Benchmark": Benchmark,
            "HistoricalRuleSet": RuleSet.history.model,  # type: ignore[attr-defined]
            "HistoricalBenchmark": Benchmark.history.model,  # type: ignore[attr-defined]
        }
        return models[name]


@pytest.fixture
def seeded_rule_sets(transactional_db):
    """The allocation rule sets migration 0002 seeds, for a transactional test: an earlier one
    flushed the tables, seeded rows included. The carbon prices migration 0007 seeds, too."""
    from django.db.migrations.loader import MigrationLoader

    from allocation.models import CarbonPrice, RuleSet

    loader = MigrationLoader(None)
    if not RuleSet.objects.exists():
        migration = loader.get_migration("allocation", "0002_seed_rule_sets")
        sys.modules[type(migration).__module__].seed(_SeedApps, None)
    if not CarbonPrice.objects.exists():
        migration = loader.get_migration("allocation", "0007_seed_prices_schedule_savings")
        for on, kind, price, status in sys.modules[type(migration).__module__].PRICES:
            CarbonPrice.objects.create(on=on, kind=kind, yuan_per_t=price, status=status)
