"""The manager dashboard: who may open it, its figures (the seed's headline on the demo), its
query count whatever the number of enterprises, its filters, drill-downs, export, recompute
with progress, and the summary API."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.urls import reverse
from openpyxl import load_workbook

from allocation import services as allocation_services
from allocation.models import ReliefStatus, RunStatus, SavingsRun
from baotou_carbon.dashboard.numbers import format_tonnes as t
from baotou_carbon.dashboard.numbers import format_yuan as yuan
from enterprises.models import District

from .factories import (
    EnterpriseFactory,
    GainComponentFactory,
    ListingFactory,
    ReliefApplicationFactory,
    VerificationCaseFactory,
)

D = Decimal
pytestmark = pytest.mark.date_sensitive(today="2026-12-03")

# role → may open the dashboard (pages and API)
MATRIX = [
    ("admin", True),
    ("staff", True),
    ("manager", True),
    ("enterprise_a_user", False),
    ("agency_user", False),
    ("district_reviewer", False),
]


def _gain(enterprise, tonnes: str, year: int = 2022):
    GainComponentFactory(
        case=VerificationCaseFactory(enterprise=enterprise, year=year),
        allocation_change_t=D(0),
        emissions_change_t=D(tonnes),
    )


# Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=2022",
        "/dashboard/export/?year=2022",
        "/api/v1/dashboard/summary/?year=2022",
    ],
)
def test_it_opens_to_bureau_roles_only(client, personas, persona, allowed, url):
    client.force_login(getattr(personas, persona))
    assert client.get(url).status_code == (200 if allowed else 403)


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export/"])
def test_it_sends_anonymous_visitors_to_the_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_it_refuses_the_api_to_anonymous_callers(client, db):
    assert client.get("/api/v1/dashboard/summary/?year=2022").status_code == 403


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_it_lets_bureau_roles_start_and_follow_a_recompute(
    client, personas, persona, allowed, django_capture_on_commit_callbacks
):
    client.force_login(getattr(personas, persona))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:recompute_start"))
    if not allowed:
        assert response.status_code == 403 and not SavingsRun.objects.exists()
        run = SavingsRun.objects.create(years=[2022], steps_total=1)
        assert client.get(reverse("dashboard:recompute", args=[run.pk])).status_code == 403
        assert client.get(reverse("dashboard:recompute_status", args=[run.pk])).status_code == 403
        return
    run = SavingsRun.objects.get()
    assert response["Location"] == reverse("dashboard:recompute", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and b'data-testid="progress-bar"' in page.content
    status = client.get(reverse("dashboard:recompute_status", args=[run.pk])).json()
    # Without a broker the task ran in-process, to its end: every year of the run done.
    assert status["status"] == RunStatus.DONE and status["percent"] == 100
    assert status["finished"] and status["steps_done"] == status["steps_total"] == len(run.years)


def test_it_refuses_to_start_a_recompute_by_get(client, personas):
    client.force_login(personas.manager)
    assert client.get(reverse("dashboard:recompute_start")).status_code == 405


# Figures -------------------------------------------------------------------------------------


def test_it_shows_gains_by_measure_district_and_enterprise(client, personas):
    _gain(personas.enterprise_a, "1000")
    _gain(personas.enterprise_b, "250.5")
    allocation_services.savings_recompute(year=2022)
    client.force_login(personas.manager)
    payload = client.get("/api/v1/dashboard/summary/?year=2022").json()
    assert payload["headline"]["gain_t"] == "1250.500"
    assert payload["headline"]["savings_yuan"] == "99314.71"  # 1,250.5 × 79.42
    assert payload["price"] == {
        "yuan_per_t": "79.42",
        "on": "2023-12-29",
        "label": "CEA close on 2023-12-29",
    }
    # In the active language (English here), falling back to the Chinese name.
    assert [row["name"] for row in payload["by_enterprise"]] == [
        personas.enterprise_a.name_en,
        personas.enterprise_b.name_en,
    ]
    assert [row["key"] for row in payload["by_district"]] == [District.KUNDULUN, District.QINGSHAN]
    verification = payload["measures"][0]
    assert verification["measure"] == "verification" and verification["tonnes"] == "1250.500"
    assert verification["url"] == "/allocation/savings/?year=2022&measure=verification"


def test_it_filters_by_district(client, personas):
    _gain(personas.enterprise_a, "1000")
    _gain(personas.enterprise_b, "250.5")
    allocation_services.savings_recompute(year=2022)
    client.force_login(personas.manager)
    response = client.get(f"/dashboard/?year=2022&district={District.QINGSHAN}")
    assert response.context["payload"]["headline"]["gain_t"] == "250.500"
    assert response.context["payload"]["district_label"] == District.QINGSHAN.label
    text = response.content.decode()
    assert personas.enterprise_b.name_en in text and personas.enterprise_a.name_en not in text


def test_its_drill_downs_list_exactly_the_rows_behind_each_figure(client, personas):
    """Relief is shown beside the gains, never in them: a figure of gains opens gains only,
    and a district's dashboard opens that district's rows."""
    _gain(personas.enterprise_a, "1000")
    _gain(personas.enterprise_b, "250.5")
    ReliefApplicationFactory(
        enterprise=personas.enterprise_b,
        status=ReliefStatus.GRANTED,
        granted_t=D("80"),
        decision_reference="内环发〔2023〕88号",
        decided_on=date(2023, 10, 20),
    )
    allocation_services.savings_recompute(year=2022)
    client.force_login(personas.manager)
    payload = client.get(f"/dashboard/?year=2022&district={District.QINGSHAN}").context["payload"]

    def rows(url: str) -> list[tuple[str, Decimal]]:
        table = client.get(url).context["table"]
        return sorted((row.record.measure, row.record.gain_t) for row in table.rows)

    gains = [("verification", D("250.500"))]
    assert payload["headline"]["gain_t"] == "250.500"
    assert rows(payload["headline"]["gain_url"]) == gains
    assert [rows(row["url"]) for row in payload["by_enterprise"]] == [gains]
    assert [rows(row["url"]) for row in payload["by_district"]] == [gains]
    assert [rows(row["url"]) for row in payload["by_industry"]] == [gains]
    by_measure = {row["measure"]: rows(row["url"]) for row in payload["measures"]}
    assert by_measure["verification"] == gains
    assert by_measure["relief_advance"] == [("relief_advance", D("80.000"))]


def test_it_falls_back_to_the_default_year_on_a_bad_one(client, personas):
    client.force_login(personas.manager)
    response = client.get("/dashboard/?year=abc&district=nowhere")
    assert response.status_code == 200
    assert response.context["year"] == 2025  # last year: no savings computed yet
    assert "is not offered" in response.content.decode()


@pytest.mark.parametrize("query", ["year=abc", "year=1900", "", "year=2022&district=nowhere"])
def test_it_answers_a_bad_api_query_with_400(client, personas, query):
    client.force_login(personas.staff)
    response = client.get(f"/api/v1/dashboard/summary/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"year", "district"}


def test_it_keeps_its_query_count_whatever_the_number_of_enterprises(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.manager)

    def count_for(enterprises: int) -> int:
        for _ in range(enterprises):
            enterprise = EnterpriseFactory()
            ListingFactory(enterprise=enterprise, year=2022)
            _gain(enterprise, "10")
        allocation_services.savings_recompute(year=2022)
        # session, user; savings by measure, district and industry; the top enterprises;
        # positions; relief; evidence completeness; assistance: visits per month and mode,
        # trainings, targets, enterprises visited
        with django_assert_num_queries(11) as captured:
            assert client.get("/dashboard/?year=2022").status_code == 200
        return len(captured)

    assert count_for(1) == count_for(5)


def test_it_formats_tonnes_and_yuan():
    assert t("118770.000") == "118,770"
    assert t("1234.560") == "1,234.56"
    assert yuan("9432713.4") == "9,432,713.40"
    assert t(None) == "—"


def test_it_exports_the_same_figures_to_excel(client, personas):
    _gain(personas.enterprise_a, "1000")
    allocation_services.savings_recompute(year=2022)
    client.force_login(personas.manager)
    response = client.get("/dashboard/export/?year=2022")
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(BytesIO(response.content))
    headline = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert headline["Allowance gains (t)"] == "1000.000"
    assert headline["Savings (yuan)"] == "79420.00"
    by_enterprise = list(book["By enterprise"].iter_rows(values_only=True))
    assert by_enterprise[1] == (personas.enterprise_a.name_en, "1000.000", "79420.00")


# The seed's headline ---------------------------------------------------------------------------


def test_it_shows_the_seeds_headline_on_the_demo(client, db):
    call_command("seed_demo", "--allow-without-debug", stdout=StringIO())
    from baotou_carbon.accounts.models import User

    client.force_login(User.objects.get(username="manager"))
    page = client.get("/dashboard/?year=2022")
    text = page.content.decode()
    assert "118,770 t" in text and "9,432,713.40" in text
    assert "79.42" in text and "2023-12-29" in text
    headline = client.get("/api/v1/dashboard/summary/?year=2022").json()
    assert (headline["headline"]["gain_t"], headline["headline"]["savings_yuan"]) == (
        "118770.000",
        "9432713.40",
    )
    # DOMAIN §1: by 2024-01-31 more than 40 on-site and 80 remote assistance records, two
    # on-site trainings and one online.
    help_ = headline["assistance"]
    assert (help_["period_start"], help_["period_end"]) == ("2023-01-01", "2024-01-31")
    assert help_["onsite"]["done"] > 40 and help_["remote"]["done"] > 80
    assert help_["trainings"]["done"] == 3
    # Every measure links to the rows behind it.
    rows = client.get(headline["measures"][0]["url"])
    assert rows.status_code == 200 and len(rows.context["table"].rows) == 8
    assert date.fromisoformat(headline["price"]["on"]) == date(2023, 12, 29)


def test_it_shows_when_the_figures_were_computed_in_local_time():
    from baotou_carbon.dashboard.templatetags.dashboard_numbers import as_datetime

    local = as_datetime("2026-12-03T02:00:00+00:00")
    assert (local.hour, local.tzinfo.key) == (10, "Asia/Shanghai")
    assert as_datetime("not a time") is None and as_datetime(None) is None
