"""Targets and progress "as of" a date, per month and per occasion, in Asia/Shanghai time."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors
from assistance.models import Target

from .factories import (
    AttendeeFactory,
    InvitationFactory,
    ListingFactory,
    TargetFactory,
    TrainingFactory,
    VisitFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def visits(personas):
    a = [personas.enterprise_a]
    return {
        "jan_on_site": VisitFactory(started_at=at(2024, 1, 5), enterprises=a),
        "jan_remote": VisitFactory(
            started_at=at(2024, 1, 9), mode="remote", occasion="enterprise_request", enterprises=a
        ),
        # 23:30 on the 31st in Baotou is 15:30 UTC: it belongs to 31 January.
        "last_minute": VisitFactory(
            started_at=at(2024, 1, 31, 23, 30),
            mode="remote",
            occasion="verification",
            enterprises=a,
        ),
        # 00:10 on 1 February in Baotou is still 31 January in UTC: it does not.
        "after_midnight": VisitFactory(started_at=at(2024, 2, 1, 0, 10), enterprises=a),
        "december": VisitFactory(
            started_at=at(2023, 12, 20), occasion="double_random", enterprises=a
        ),
        "planned": VisitFactory(started_at=at(2024, 1, 20), status="planned", enterprises=a),
        "cancelled": VisitFactory(started_at=at(2024, 1, 21), status="cancelled", enterprises=a),
    }


def _totals(report):
    return {t.measure: t.done for t in report["totals"]}


def test_it_counts_done_visits_up_to_and_including_the_day(visits):
    report = selectors.progress(as_of=date(2024, 1, 31))
    assert _totals(report) == {
        "on_site_visits": 1,
        "remote_sessions": 2,
        "on_site_trainings": 0,
        "online_trainings": 0,
    }
    assert report["since"] == date(2024, 1, 1)
    assert _totals(selectors.progress(as_of=date(2024, 1, 30)))["remote_sessions"] == 1
    assert _totals(selectors.progress(as_of=date(2024, 2, 1)))["on_site_visits"] == 2


def test_it_counts_from_a_chosen_start_per_month(visits):
    report = selectors.progress(as_of=date(2024, 1, 31), since=date(2023, 12, 1))
    months = {row.month: row.counts for row in report["months"]}
    assert list(months) == [date(2023, 12, 1), date(2024, 1, 1)]
    assert months[date(2023, 12, 1)]["on_site_visits"] == 1
    assert months[date(2024, 1, 1)]["on_site_visits"] == 1
    assert months[date(2024, 1, 1)]["remote_sessions"] == 2
    assert report["months"][-1].cumulative["on_site_visits"] == 2
    assert report["years"] == [2023, 2024]


def test_it_counts_per_occasion(visits):
    report = selectors.progress(as_of=date(2024, 1, 31), since=date(2023, 1, 1))
    rows = {row["occasion"]: row for row in report["by_occasion"]}
    assert (rows["national_supervision"]["on_site"], rows["national_supervision"]["remote"]) == (
        1,
        0,
    )
    assert rows["enterprise_request"]["remote"] == 1
    assert rows["verification"]["remote"] == 1
    assert rows["double_random"]["total"] == 1
    assert rows["other"]["total"] == 0


def test_it_counts_a_visit_to_several_enterprises_once(personas):
    VisitFactory(
        started_at=at(2024, 1, 5), enterprises=[personas.enterprise_a, personas.enterprise_b]
    )
    assert _totals(selectors.progress(as_of=date(2024, 1, 31)))["on_site_visits"] == 1


def test_it_compares_with_the_targets_of_the_years_touched(visits):
    TargetFactory(year=2024, measure="remote_sessions", target=8)
    TargetFactory(year=2023, measure="remote_sessions", target=2)
    report = selectors.progress(as_of=date(2024, 1, 31))
    remote = next(t for t in report["totals"] if t.measure == "remote_sessions")
    assert (remote.done, remote.target, remote.share) == (2, 8, Decimal("25.0"))
    on_site = next(t for t in report["totals"] if t.measure == "on_site_visits")
    assert (on_site.target, on_site.share) == (None, None)
    both = selectors.progress(as_of=date(2024, 1, 31), since=date(2023, 1, 1))
    remote = next(t for t in both["totals"] if t.measure == "remote_sessions")
    assert (remote.target, remote.share) == (10, Decimal("20.0"))


def test_it_counts_trainings_and_their_coverage(personas):
    for enterprise in (personas.enterprise_a, personas.enterprise_b):
        ListingFactory(enterprise=enterprise, year=2023)
    held = TrainingFactory(held_on=date(2023, 6, 15), mode="on_site")
    AttendeeFactory(invitation=InvitationFactory(training=held, enterprise=personas.enterprise_a))
    online = TrainingFactory(held_on=date(2023, 9, 1), mode="online")
    AttendeeFactory(
        invitation=InvitationFactory(training=online, enterprise=personas.enterprise_b),
        attended=False,
    )
    TrainingFactory(held_on=date(2024, 1, 10), mode="online")
    report = selectors.progress(as_of=date(2023, 12, 31))
    assert _totals(report)["on_site_trainings"] == 1
    assert _totals(report)["online_trainings"] == 1
    coverage = report["coverage"]
    assert (coverage.year, coverage.listed, coverage.covered, coverage.share) == (
        2023,
        2,
        1,
        Decimal("50.0"),
    )
    # As of January 2024 the latest list is still 2023's, and this year's trainings count.
    later = selectors.progress(as_of=date(2024, 1, 31))
    assert later["coverage"].year == 2023
    assert later["coverage"].covered == 0


def test_it_shows_progress_as_of_a_date_on_the_page(client, personas, visits):
    TargetFactory(year=2024, measure="remote_sessions", target=8)
    client.force_login(personas.manager)
    response = client.get(reverse("assistance:progress"), {"as_of": "2024-01-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="done-remote_sessions">2<' in page
    assert "25.0%" in page


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "2024-13-01"},
        {"as_of": "2024-01-31", "since": "2024-02-01"},
        {"as_of": "2024-01-31", "since": "1990-01-01"},
    ],
)
def test_it_answers_a_bad_date_with_a_message(client, personas, query):
    client.force_login(personas.manager)
    response = client.get(reverse("assistance:progress"), query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_it_saves_targets_per_year_and_measure(client, personas):
    client.force_login(personas.staff)
    url = reverse("assistance:targets_edit", args=[2024])
    response = client.post(url, {"on_site_visits": "40", "remote_sessions": "80"})
    assert response.status_code == 302
    assert dict(Target.objects.filter(year=2024).values_list("measure", "target")) == {
        "on_site_visits": 40,
        "remote_sessions": 80,
    }
    client.post(url, {"on_site_visits": "45", "remote_sessions": ""})
    assert dict(Target.objects.filter(year=2024).values_list("measure", "target")) == {
        "on_site_visits": 45
    }
    target = Target.objects.get(year=2024)
    assert [h.history_user for h in target.history.all()] == [personas.staff, personas.staff]
    response = client.post(url, {"on_site_visits": "-3"})
    assert response.status_code == 400
    assert response.context["form"].errors["on_site_visits"]


@pytest.mark.date_sensitive
def test_it_defaults_to_today(client, personas):
    VisitFactory(
        started_at=timezone.now() - timedelta(minutes=5), enterprises=[personas.enterprise_a]
    )
    client.force_login(personas.staff)
    response = client.get(reverse("assistance:progress"))
    assert response.status_code == 200
    assert response.context["report"]["as_of"] == timezone.localdate()
    assert _totals(response.context["report"])["on_site_visits"] == 1


def test_it_says_which_year_s_key_emitter_list_the_coverage_uses(client, personas):
    ListingFactory(enterprise=personas.enterprise_a, year=2023)
    client.force_login(personas.manager)
    same_year = client.get(reverse("assistance:progress"), {"as_of": "2023-12-31"})
    page = same_year.content.decode()
    assert (
        "0 of the 1 key emitters listed for 2023 sent at least one attendee: "
        "<strong>0.0%</strong>." in page
    )
    assert 'data-testid="coverage-list-year"' not in page
    later = client.get(reverse("assistance:progress"), {"as_of": "2024-03-31"})
    assert later.context["report"]["coverage"].uses_earlier_list
    assert "No key emitter list is recorded for 2024 yet, so the 2023 list is used." in (
        later.content.decode()
    )
    earlier = client.get(reverse("assistance:progress"), {"as_of": "2022-03-31"})
    assert "No key emitter list is recorded for 2022 or any earlier year yet." in (
        earlier.content.decode()
    )
