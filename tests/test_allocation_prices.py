"""The carbon price series (CEA, DOMAIN §7) and the valuation of each year's savings: every
logged-in user reads them, staff add, change, delete and import prices and may value a year at
another date; a change recomputes the savings it values."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from allocation import selectors, services
from allocation.models import CarbonPrice, Measure, SavingsFigure, YearValuation

from .factories import FollowUpFactory

D = Decimal
LIST = reverse("allocation:price_list")
CREATE = reverse("allocation:price_create")
IMPORT = reverse("allocation:price_import")
TEMPLATE = reverse("allocation:price_import_template")
SEEDED = 9  # the prices migration 0007 seeds from DOMAIN §7

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]
STAFF_ONLY = (200, 200, 403, 403, 403, 403, 403)


def valuation_url(year):
    return reverse("allocation:valuation_edit", args=[year])


def close_of(day: str) -> CarbonPrice:
    return CarbonPrice.objects.get(on=day, kind="close")


def assistance_gain(enterprise, *, year=2022, tonnes="1000"):
    """A follow-up that corrected `tonnes` of the year's allowances: a savings figure to value."""
    FollowUpFactory(
        visit__enterprises=[enterprise],
        enterprise=enterprise,
        corrected_year=year,
        corrected_t=D(tonnes),
    )


def assistance_figure(enterprise, year=2022) -> SavingsFigure:
    return SavingsFigure.objects.get(enterprise=enterprise, year=year, measure=Measure.ASSISTANCE)


# Permission matrix ---------------------------------------------------------------------------

GET_MATRIX = {
    "list": (200, 200, 200, 200, 200, 200, 200),
    "create": STAFF_ONLY,
    "update": STAFF_ONLY,
    "import": STAFF_ONLY,
    "template": STAFF_ONLY,
    "valuation": STAFF_ONLY,
}


def get_url(view):
    fixed = {"list": LIST, "create": CREATE, "import": IMPORT, "template": TEMPLATE}
    if view in fixed:
        return fixed[view]
    if view == "valuation":
        return valuation_url(2022)
    return reverse("allocation:price_update", args=[close_of("2023-12-29").pk])


@pytest.mark.parametrize("view", list(GET_MATRIX))
def test_it_applies_the_permission_matrix_to_the_pages(client, personas, view):
    target = get_url(view)
    assert client.get(target).status_code == 302  # to the login page
    for persona, expected in zip(PERSONAS, GET_MATRIX[view], strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(target).status_code == expected, persona


def test_it_lets_only_staff_change_delete_import_or_revalue(client, personas):
    price = close_of("2024-12-31")
    forms = [
        (CREATE, {"on": "2025-01-02", "kind": "close", "yuan_per_t": "98", "status": "S"}),
        (
            reverse("allocation:price_update", args=[price.pk]),
            {"yuan_per_t": "1", "status": "?"},
        ),
        (reverse("allocation:price_delete", args=[price.pk]), {}),
        (valuation_url(2022), {"price_on": "2024-12-31"}),
        (
            IMPORT,
            {"file": SimpleUploadedFile("p.csv", b"on,kind,yuan_per_t\n2025-01-03,close,9\n")},
        ),
    ]
    for persona in ["manager", "enterprise_a_user", "agency_user", "district_reviewer"]:
        client.force_login(getattr(personas, persona))
        for target, data in forms:
            assert client.post(target, data).status_code == 403, (persona, target)
    client.logout()
    for target, data in forms:
        assert client.post(target, data).status_code == 302  # to the login page
    assert CarbonPrice.objects.count() == SEEDED
    assert close_of("2024-12-31").yuan_per_t == D("97.49")
    assert not YearValuation.objects.exists()


def test_it_answers_404_for_a_year_without_a_rule_set(client, personas):
    client.force_login(personas.staff)
    assert client.get(valuation_url(2013)).status_code == 404


# The list and the valuations ----------------------------------------------------------------


def test_it_lists_the_seeded_prices_with_their_confidence_and_source(client, personas):
    client.force_login(personas.enterprise_a_user)
    response = client.get(LIST)
    rows = [r.record for r in response.context["table"].rows]
    assert len(rows) == SEEDED
    assert rows[0].on == date(2024, 12, 31)
    html = response.content.decode()
    assert "V — seen in an official text" in html
    assert reverse("allocation:price_create") not in html  # not for an enterprise user
    assert "Change" not in [c.header for c in response.context["table"].columns]
    closes = client.get(LIST, {"kind": "close"}).context["table"].rows
    assert [r.record.yuan_per_t for r in closes] == [D("97.49"), D("79.42")]
    assert len(client.get(LIST, {"year": "2024"}).context["table"].rows) == 7
    sheet = load_workbook(io.BytesIO(client.get(LIST, {"_export": "xlsx"}).content)).active
    assert sheet.max_row == SEEDED + 1


def test_it_values_2022_at_the_close_of_2023_12_29_by_default(client, personas):
    valuation = selectors.valuation(2022)
    assert (valuation.valued_at, valuation.chosen) == (date(2023, 12, 31), False)
    assert (valuation.price_on, valuation.yuan_per_t) == (date(2023, 12, 29), D("79.42"))
    client.force_login(personas.manager)
    html = client.get(LIST).content.decode()
    row = html.split('<tr data-year="2022">')[1].split("</tr>")[0]
    assert "2023-12-31" in row
    assert "79.42 yuan/t, CEA close 2023-12-29" in row
    # 2019's deadline, 2021-12-31, comes before every recorded close.
    early = html.split('<tr data-year="2019">')[1].split("</tr>")[0]
    assert "No price recorded on or before 2021-12-31" in early
    assert "Value at another date" not in html  # staff only


def test_it_values_a_year_at_a_chosen_date_and_back_at_the_default(
    client, personas, django_capture_on_commit_callbacks
):
    services.carbon_price_save(
        on=date(2024, 6, 28), yuan_per_t=D("91.00"), status="S", actor=personas.staff
    )
    assistance_gain(personas.enterprise_a)
    client.force_login(personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            valuation_url(2022), {"price_on": "2024-06-30", "note": "按年中价格"}
        )
    assert response.status_code == 302
    assert response.url == f"{LIST}#valuations"
    valuation = selectors.valuation(2022)
    assert (valuation.chosen, valuation.price_on, valuation.yuan_per_t) == (
        True,
        date(2024, 6, 28),
        D("91.00"),
    )
    figure = assistance_figure(personas.enterprise_a)
    assert (figure.price_yuan_per_t, figure.savings_yuan) == (D("91.00"), D("91000.00"))
    row = client.get(LIST).content.decode().split('<tr data-year="2022">')[1].split("</tr>")[0]
    assert "91.00 yuan/t, CEA close 2024-06-28" in row
    assert "date chosen by staff" in row
    assert client.get(valuation_url(2022)).context["form"].initial["note"] == "按年中价格"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(valuation_url(2022), {"price_on": ""})
    assert not YearValuation.objects.exists()
    figure = assistance_figure(personas.enterprise_a)
    assert (figure.price_yuan_per_t, figure.savings_yuan) == (D("79.42"), D("79420.00"))


def test_it_refuses_a_bad_valuation_date(client, personas):
    client.force_login(personas.staff)
    response = client.post(valuation_url(2022), {"price_on": "2024-13-01"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["price_on"]
    assert not YearValuation.objects.exists()


@pytest.mark.parametrize("extra", [0, 6])
def test_it_pins_the_list_queries(client, personas, extra, django_assert_num_queries):
    for day in range(1, extra + 1):
        CarbonPrice.objects.create(on=date(2025, 1, day), yuan_per_t=D(90 + day))
    client.force_login(personas.staff)
    # session, user, the rows' count, the page of prices, the rule sets' years, and the
    # valuations: the chosen dates, the surrender deadlines, the closes up to the latest
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["table"].rows) == SEEDED + extra
    assert len(response.context["valuations"]) == 7


# Adding, changing and deleting a price -------------------------------------------------------


def test_it_adds_a_price_and_refuses_a_second_of_the_same_day_and_kind(client, personas):
    client.force_login(personas.staff)
    data = {"on": "2025-01-02", "kind": "close", "yuan_per_t": "98.10", "status": "S"}
    assert client.post(CREATE, {**data, "source": " 上海环交所 "}).status_code == 302
    price = close_of("2025-01-02")
    assert (price.yuan_per_t, price.status, price.source) == (D("98.10"), "S", "上海环交所")
    again = client.post(CREATE, {**data, "yuan_per_t": "1"})
    assert again.status_code == 400
    assert again.context["form"].errors == {
        "on": ["A price of this kind is already recorded for this date: change that one."]
    }
    refused = client.post(CREATE, {**data, "on": "2025-01-03", "yuan_per_t": "0"})
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["yuan_per_t"]
    assert close_of("2025-01-02").yuan_per_t == D("98.10")


def test_it_recomputes_the_savings_a_changed_or_deleted_close_valued(
    client, personas, django_capture_on_commit_callbacks
):
    assistance_gain(personas.enterprise_a, tonnes="100")
    price = close_of("2023-12-29")
    client.force_login(personas.staff)
    edit = reverse("allocation:price_update", args=[price.pk])
    with django_capture_on_commit_callbacks(execute=True):
        # The day and kind of a recorded price stay as they are, whatever is sent.
        response = client.post(
            edit, {"on": "2020-01-01", "kind": "close", "yuan_per_t": "80.00", "status": "V"}
        )
    assert response.status_code == 302
    price.refresh_from_db()
    assert (price.on, price.yuan_per_t) == (date(2023, 12, 29), D("80.00"))
    assert assistance_figure(personas.enterprise_a).savings_yuan == D("8000.00")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("allocation:price_delete", args=[price.pk])).status_code == 302
    assert not CarbonPrice.objects.filter(pk=price.pk).exists()
    figure = assistance_figure(personas.enterprise_a)
    assert (figure.price_yuan_per_t, figure.savings_yuan) == (None, None)


# The import ----------------------------------------------------------------------------------


def csv_file(text: str, name="prices.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


def upload(client, file, *, dry_run):
    data = {"file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


def test_it_checks_every_price_row_on_a_dry_run_and_imports_nothing(client, personas):
    text = (
        "date,kind,price (yuan/t),confidence,source\n"
        "2025-01-02,close,98.1,S,上海环交所\n"
        "2025-01-02,close,98.2,S,重复\n"
        "2025-13-01,close,98,S,\n"
        "2025-01-03,weekly,98,S,\n"
        "2025-01-06,close,-1,X,\n"
    )
    client.force_login(personas.staff)
    response = upload(client, csv_file(text), dry_run=True)
    assert response.status_code == 400
    errors = sorted((e.row, e.field) for e in response.context["report"].errors)
    assert errors == [
        (3, "Date"),
        (4, "Date"),
        (5, "Kind"),
        (6, "Confidence"),
        (6, "Price (yuan/t)"),
    ]
    assert "already on row 2" in response.context["report"].errors[0].message
    assert CarbonPrice.objects.count() == SEEDED


def test_it_imports_prices_adding_and_changing_them_and_recomputes_once_a_year(
    client, personas, django_capture_on_commit_callbacks
):
    assistance_gain(personas.enterprise_a, tonnes="10")
    text = (
        "日期,kind,yuan_per_t,status,source\n"
        "2023-12-29,Daily close,79.50,v,更正\n"
        "2025-01-02,,98.10,,\n"
        "2024-07-01,monthly_average,90.12,S,\n"
    )
    client.force_login(personas.staff)
    dry = upload(client, csv_file(text), dry_run=True)
    assert dry.status_code == 200
    assert (dry.context["report"].created, dry.context["report"].updated) == (2, 1)
    assert CarbonPrice.objects.count() == SEEDED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = upload(client, csv_file(text), dry_run=False)
    assert done.status_code == 200
    # The years the two closes may value (2022 and 2023; 2024 and 2025), each recomputed once.
    assert len(callbacks) == 4
    assert CarbonPrice.objects.count() == SEEDED + 2
    corrected = close_of("2023-12-29")
    assert (corrected.yuan_per_t, corrected.status, corrected.source) == (D("79.50"), "V", "更正")
    assert (close_of("2025-01-02").status, close_of("2025-01-02").kind) == ("?", "close")
    assert assistance_figure(personas.enterprise_a).savings_yuan == D("795.00")


def test_it_offers_a_price_template_the_import_accepts(client, personas):
    client.force_login(personas.staff)
    template = client.get(TEMPLATE)
    assert template["Content-Disposition"] == 'attachment; filename="carbon-price-import.xlsx"'
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
    assert headers == ["Date", "Kind", "Price (yuan/t)", "Confidence", "Source"]
    response = upload(client, SimpleUploadedFile("t.xlsx", template.content), dry_run=True)
    assert response.status_code == 200
    assert (response.context["report"].created, response.context["report"].updated) == (0, 1)
