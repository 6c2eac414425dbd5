"""The emission calculator: API, OpenAPI schema, the page for people, and the parameter rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from verification.models import EmissionParameter, Holiday

URL = "/api/v1/calculators/emissions/"
PAGE = reverse("verification:calculator")


def payload(**overrides):
    body = {
        "year": 2022,
        "fuels": [
            {
                "fuel": "coal",
                "consumption_t": "1000",
                "ncv_gj_per_t": "20",
                "carbon_content_tc_per_gj": "0.03",
            },
            {
                "fuel": "coal",
                "consumption_t": "1000",
                "ncv_gj_per_t": "20",
                "carbon_content_tc_per_gj": None,
            },
        ],
        "purchased_mwh": "100",
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def api(client, personas):
    client.force_login(personas.enterprise_a_user)
    return client


# Parameters seeded by the migration ---------------------------------------------------------


@pytest.mark.django_db
def test_it_seeds_the_domain_parameters_with_their_status():
    def value(year, kind, fuel=""):
        row = EmissionParameter.objects.get(year=year, kind=kind, fuel=fuel)
        return row.value, row.status

    assert value(2022, "default_carbon_content", "coal") == (Decimal("0.030850"), "S")
    assert value(2021, "default_carbon_content", "coal") == (Decimal("0.030850"), "S")
    assert value(2020, "default_carbon_content", "coal") == (Decimal("0.033560"), "S")
    assert value(2022, "oxidation_rate", "coal") == (Decimal("0.990000"), "S")
    assert value(2022, "grid_factor") == (Decimal("0.570300"), "S")
    assert value(2021, "grid_factor") == (Decimal("0.581000"), "?")
    assert all(row.source for row in EmissionParameter.objects.all())


# API -----------------------------------------------------------------------------------------


def test_it_answers_the_total_with_its_breakdown(api):
    # Worked in test_verification_calculations: 2 178 + 2 239.71 + 57.03 = 4 474.74 t.
    response = post(api, payload())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["emissions_t"] == "4474.740"
    assert body["combustion_t"] == "4417.710"
    assert body["indirect_t"] == "57.030"
    first, second = body["fuels"]
    assert (first["carbon_content_source"], first["emissions_t"]) == ("measured", "2178.000")
    assert (second["carbon_content_source"], second["carbon_content_tc_per_gj"]) == (
        "default",
        "0.030850",
    )
    assert second["oxidation_rate"] == "0.990000"
    assert body["electricity"] == {
        "purchased_mwh": "100.000",
        "grid_factor": "0.570300",
        "emissions_t": "57.030",
    }
    assert {p["kind"] for p in body["parameters"]} == {
        "default_carbon_content",
        "oxidation_rate",
        "grid_factor",
    }


def test_it_uses_the_edited_parameter_row_not_a_constant(api, personas):
    EmissionParameter.objects.filter(year=2022, kind="grid_factor").update(value=Decimal("1"))
    body = post(api, payload(fuels=[], purchased_mwh="100")).json()
    assert body["emissions_t"] == "100.000"


@pytest.mark.parametrize(
    ("change", "field_path"),
    [
        ({"year": "abc"}, ["year"]),
        ({"year": 1900}, ["year"]),
        ({"year": 2035}, ["year"]),  # no parameters recorded for that year
        ({"purchased_mwh": "-1"}, ["purchased_mwh"]),
        ({"purchased_mwh": "1e12"}, ["purchased_mwh"]),
        ({"purchased_mwh": "lots"}, ["purchased_mwh"]),
        (
            {"fuels": [{"fuel": "coal", "consumption_t": "-5", "ncv_gj_per_t": "20"}]},
            ["fuels", "0", "consumption_t"],
        ),
        (
            {"fuels": [{"fuel": "coal", "consumption_t": "x", "ncv_gj_per_t": "20"}]},
            ["fuels", "0", "consumption_t"],
        ),
        (
            {"fuels": [{"fuel": "coal", "consumption_t": "99999999999", "ncv_gj_per_t": "20"}]},
            ["fuels", "0", "consumption_t"],
        ),
        (
            {"fuels": [{"fuel": "coal", "consumption_t": "1", "ncv_gj_per_t": "2000"}]},
            ["fuels", "0", "ncv_gj_per_t"],
        ),
        (
            {
                "fuels": [
                    {
                        "fuel": "coal",
                        "consumption_t": "1",
                        "ncv_gj_per_t": "20",
                        "carbon_content_tc_per_gj": "3.085",
                    }
                ]
            },
            ["fuels", "0", "carbon_content_tc_per_gj"],
        ),
        (
            {"fuels": [{"fuel": "wood", "consumption_t": "1", "ncv_gj_per_t": "20"}]},
            ["fuels", "0", "fuel"],
        ),
        (
            {"fuels": [{"fuel": "coal_gangue", "consumption_t": "1", "ncv_gj_per_t": "12"}]},
            ["fuels", "0", "carbon_content_tc_per_gj"],
        ),  # no default for gangue, not measured
        ({"fuels": [{"fuel": "coal", "ncv_gj_per_t": "20"}]}, ["fuels", "0", "consumption_t"]),
    ],
)
def test_it_answers_bad_input_with_400_and_errors_per_field(api, change, field_path):
    response = post(api, payload(**change))
    assert response.status_code == 400
    errors = response.json()
    for key in field_path:
        assert key in errors, (key, response.json())
        errors = errors[key]
    assert errors, response.json()


def test_it_refuses_a_body_that_is_not_json(api):
    response = api.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, 403),
        ("staff", 200),
        ("manager", 200),
        ("admin", 200),
        ("enterprise_a_user", 200),
        ("agency_user", 200),
        ("district_reviewer", 200),
    ],
)
def test_it_serves_logged_in_users_only(client, personas, persona, expected):
    if persona:
        client.force_login(getattr(personas, persona))
    assert post(client, payload()).status_code == expected


def test_it_appears_in_the_openapi_schema(client, personas):
    client.force_login(personas.staff)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "calculate_emissions"
    assert "EmissionRequest" in schema["components"]["schemas"]
    assert "EmissionResult" in schema["components"]["schemas"]


# The page for people -------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "year": "2022",
        "purchased_mwh": "100",
        "fuels-TOTAL_FORMS": "3",
        "fuels-INITIAL_FORMS": "0",
        "fuels-MIN_NUM_FORMS": "0",
        "fuels-MAX_NUM_FORMS": "24",
        "fuels-0-fuel": "coal",
        "fuels-0-consumption_t": "1000",
        "fuels-0-ncv_gj_per_t": "20",
        "fuels-0-carbon_content_tc_per_gj": "0.03",
        "fuels-1-fuel": "coal",
        "fuels-1-consumption_t": "1000",
        "fuels-1-ncv_gj_per_t": "20",
        "fuels-1-carbon_content_tc_per_gj": "",
        "fuels-2-fuel": "coal",
    }
    data.update(overrides)
    return data


def test_it_shows_the_calculator_page_with_the_breakdown(client, personas):
    client.force_login(personas.enterprise_a_user)
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="emissions-total">4,474.740<' in html
    assert "0.03085" in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fuels-0-consumption_t": "-1"}, "consumption_t"),
        ({"fuels-0-consumption_t": "abc"}, "consumption_t"),
        ({"fuels-0-ncv_gj_per_t": "2000"}, "ncv_gj_per_t"),
        ({"fuels-0-carbon_content_tc_per_gj": "30.85"}, "carbon_content_tc_per_gj"),
        ({"year": "2035"}, "carbon_content_tc_per_gj"),
        ({"purchased_mwh": "-3"}, "purchased_mwh"),
    ],
)
def test_it_answers_bad_calculator_input_with_field_messages(client, personas, change, field):
    client.force_login(personas.enterprise_a_user)
    response = client.post(PAGE, form_data(**change))
    assert response.status_code == 400
    assert 'data-testid="emissions-total"' not in response.content.decode()
    assert "is-invalid" in response.content.decode()


def test_it_needs_a_login_for_the_calculator_page(client):
    assert client.get(PAGE).status_code == 302


# Reference data pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "list_status", "edit_status"),
    [
        ("staff", 200, 200),
        ("admin", 200, 200),
        ("manager", 200, 403),
        ("enterprise_a_user", 200, 403),
        ("agency_user", 200, 403),
        ("district_reviewer", 200, 403),
    ],
)
def test_it_lets_only_staff_edit_parameters_and_calendar(
    client, personas, persona, list_status, edit_status
):
    client.force_login(getattr(personas, persona))
    parameter = EmissionParameter.objects.get(year=2022, kind="grid_factor")
    holiday = Holiday.objects.create(date="2024-10-01", kind="holiday", name="国庆节")
    assert client.get(reverse("verification:parameters")).status_code == list_status
    assert client.get(reverse("verification:holidays")).status_code == list_status
    for url in [
        reverse("verification:parameter_create"),
        reverse("verification:parameter_update", args=[parameter.pk]),
        reverse("verification:holiday_create"),
        reverse("verification:holiday_update", args=[holiday.pk]),
        reverse("verification:deadlines"),
    ]:
        assert client.get(url).status_code == edit_status, url


def test_it_records_who_edited_a_parameter(client, personas):
    client.force_login(personas.staff)
    parameter = EmissionParameter.objects.get(year=2022, kind="grid_factor")
    response = client.post(
        reverse("verification:parameter_update", args=[parameter.pk]),
        {
            "year": 2022,
            "kind": "grid_factor",
            "fuel": "",
            "value": "0.5366",
            "status": "V",
            "source": "生态环境部 2024 公告",
        },
    )
    assert response.status_code == 302
    parameter.refresh_from_db()
    assert parameter.value == Decimal("0.536600")
    assert parameter.history.first().history_user == personas.staff


@pytest.mark.parametrize(
    "change",
    [
        {"value": "-1"},
        {"value": "abc"},
        {"kind": "oxidation_rate", "fuel": "coal", "year": 2021},  # duplicate of a seeded row
        {"kind": "oxidation_rate", "fuel": "coal", "year": 2030, "value": "1.5"},
        {"kind": "grid_factor", "fuel": "coal", "year": 2030},
    ],
)
def test_it_refuses_bad_parameters_and_saves_nothing(client, personas, change):
    client.force_login(personas.staff)
    before = EmissionParameter.objects.count()
    data = {
        "year": 2030,
        "kind": "grid_factor",
        "fuel": "",
        "value": "0.5",
        "status": "S",
        "source": "",
    }
    data.update(change)
    response = client.post(reverse("verification:parameter_create"), data)
    assert response.status_code == 400
    assert EmissionParameter.objects.count() == before


def test_it_pins_the_parameter_list_query_count(client, personas, django_assert_num_queries):
    client.force_login(personas.staff)
    # session, user, count, page of rows
    with django_assert_num_queries(4):
        assert client.get(reverse("verification:parameters")).status_code == 200


# Electricity alone, or nothing at all --------------------------------------------------------

# Three untouched lines: the fuel left at its initial choice, the numbers empty.
EMPTY_LINES = {
    f"fuels-{i}-{name}": ("coal" if name == "fuel" else "")
    for i in range(3)
    for name in ("fuel", "consumption_t", "ncv_gj_per_t", "carbon_content_tc_per_gj")
}


def test_it_calculates_purchased_electricity_alone_in_the_api_and_the_page(api):
    response = post(api, payload(fuels=[]))
    assert response.status_code == 200, response.json()
    assert response.json()["emissions_t"] == "57.030"  # 100 MWh × 0.5703
    empty_lines = EMPTY_LINES
    page = api.post(PAGE, form_data(**empty_lines))
    assert page.status_code == 200
    assert 'data-testid="emissions-total">57.030<' in page.content.decode()


def test_it_asks_once_for_a_fuel_line_or_electricity(api):
    response = post(api, payload(fuels=[], purchased_mwh="0"))
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    empty_lines = EMPTY_LINES
    page = api.post(PAGE, form_data(purchased_mwh="", **empty_lines))
    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("Enter at least one fuel line or the purchased electricity.") == 1


def test_it_shows_the_breakdown_with_labels_and_grouped_numbers(api):
    html = api.post(PAGE, form_data(**{"fuels-0-consumption_t": "100000"})).content.decode()
    assert ">Coal<" in html and ">coal<" not in html
    assert "100,000.000" in html  # consumption, grouped like the other tonnes
    assert "2,000,000.000" in html  # heat: 100 000 t × 20 GJ/t
    assert "FC (t)" not in html and "CC (tC/GJ)" not in html
    assert "S — reputable secondary material" in html  # the status label, not its code


def test_it_labels_the_fuel_cells_once(api):
    html = api.get(PAGE).content.decode()
    assert "<label" not in html.split("<tbody>")[1].split("</tbody>")[0]
    assert 'aria-label="Consumption (t)"' in html
    assert 'class="table-responsive"' in html
