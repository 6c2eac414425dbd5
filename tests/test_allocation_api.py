"""The allocation calculators' API: hand-worked answers from the seeded rule sets, 400 per field
on bad input, 403 when not logged in, JSON only, and both endpoints in the OpenAPI schema."""

import json

import pytest

ALLOCATION = "/api/v1/calculators/allocation/"
POSITION = "/api/v1/calculators/compliance-position/"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def api(client, personas):
    client.force_login(personas.enterprise_a_user)
    return client


def unit(**overrides):
    body = {
        "year": 2022,
        "unit_category": "coal_above_300",
        "cooling": "air",
        "supplied_mwh": "1000000",
        "heat_gj": "0",
        "heat_ratio": "0",
        "load_factor": "0.80",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def test_it_allocates_an_air_cooled_unit_at_the_80_percent_boundary(api):
    response = post(api, ALLOCATION, unit())
    assert response.status_code == 200
    body = response.json()
    # 0.8177 × 1,000,000 × 1.05 × 1 × (1 + 0.0014 × (85 − 80) = 1.007) = 864,595.095 t
    assert body["allocation_t"] == "864595.095"
    assert body["factors"]["power_benchmark"] == "0.8177"
    assert body["factors"]["f_cooling"] == "1.05"
    assert body["factors"]["f_load"] == "1.007"
    assert body["factors"]["electricity_mwh"] == "1000000"
    assert body["factors"]["basis"] == "supplied"
    assert body["applied"] == ["f_cooling", "f_load"]


def test_it_allocates_a_chp_unit_without_the_load_correction(api):
    body = unit(
        unit_category="coal_300_and_below",
        cooling="water",
        heat_gj="500000",
        heat_ratio="0.25",
        load_factor="0.60",
    )
    response = post(api, ALLOCATION, body)
    assert response.status_code == 200, response.json()
    # 0.8729 × 1,000,000 × 1 × (1 − 0.22 × 0.25 = 0.945) × 1 = 824,890.5
    # + 0.1105 × 500,000 = 55,250 → 880,140.5 t (F_load does not apply to CHP in 2022)
    assert response.json()["allocation_t"] == "880140.500"
    assert response.json()["applied"] == ["f_heat"]


def test_it_allocates_a_gas_unit_on_gross_generation_in_2023(api):
    body = unit(
        year=2023,
        unit_category="gas",
        supplied_mwh=None,
        generated_mwh="200000",
        heat_gj="10000",
        heat_ratio="0.1",
        load_factor=None,
    )
    response = post(api, ALLOCATION, body)
    assert response.status_code == 200, response.json()
    # 0.3305 × 200,000 = 66,100 (no heat correction from 2023) + 0.0536 × 10,000 = 536
    assert response.json()["allocation_t"] == "66636.000"
    assert response.json()["factors"]["basis"] == "generated"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit_category": "coal_unknown"}, "unit_category"),
        ({"cooling": "sea"}, "cooling"),
        ({"supplied_mwh": None}, "supplied_mwh"),
        ({"generated_mwh": "100"}, "generated_mwh"),
        ({"load_factor": None}, "load_factor"),
        ({"load_factor": "1.2"}, "load_factor"),
        ({"heat_ratio": "-0.1"}, "heat_ratio"),
        ({"supplied_mwh": "abc"}, "supplied_mwh"),
        ({"year": 2018}, "year"),
        ({"year": 1900}, "year"),
    ],
)
def test_it_answers_400_with_the_field_at_fault(api, overrides, field):
    response = post(api, ALLOCATION, unit(**overrides))
    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()


def test_it_names_the_basis_the_year_wants(api):
    response = post(api, ALLOCATION, unit(year=2023))
    assert response.status_code == 400
    assert "gross generation" in response.json()["generated_mwh"][0]


@pytest.mark.parametrize(
    ("allocation", "emissions", "expected"),
    [
        # 2022: 700,000 against 1,000,000 → capped at 80% (top-up 100,000), shortfall 200,000
        # = 20% ≥ 10%: advance at most 50% = 100,000 t from the 2023 pre-allocation.
        (
            "700000",
            "1000000",
            {
                "gap_cap_top_up_t": "100000.000",
                "shortfall_t": "200000.000",
                "shortfall_ratio": "0.200000",
                "advance_eligible": True,
                "advance_max_t": "100000.000",
                "advance_source_year": 2023,
                "ccer_max_t": "50000.000",
            },
        ),
        # 9.99% short: not eligible.
        (
            "900100",
            "1000000",
            {"shortfall_ratio": "0.099900", "advance_eligible": False, "advance_max_t": "0.000"},
        ),
        # exactly 10%: eligible for 50,000 t.
        (
            "900000",
            "1000000",
            {"shortfall_ratio": "0.100000", "advance_eligible": True, "advance_max_t": "50000.000"},
        ),
        # surplus
        ("1100000", "1000000", {"shortfall_t": "0.000", "surplus_t": "100000.000"}),
    ],
)
def test_it_answers_the_compliance_position(api, allocation, emissions, expected):
    body = {"year": 2022, "allocation_t": allocation, "verified_emissions_t": emissions}
    response = post(api, POSITION, body)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert {key: answer[key] for key in expected} == expected


def test_it_exempts_gas_units_and_offers_no_advance_from_2023(api):
    gas = post(
        api,
        POSITION,
        {"year": 2022, "allocation_t": "700", "verified_emissions_t": "1000", "gas_only": True},
    ).json()
    assert (gas["shortfall_t"], gas["adjusted_allocation_t"]) == ("0.000", "1000.000")
    later = post(
        api, POSITION, {"year": 2023, "allocation_t": "700", "verified_emissions_t": "1000"}
    ).json()
    assert (later["shortfall_ratio"], later["advance_eligible"]) == ("0.200000", False)


def test_it_refuses_bad_position_input_per_field(api):
    response = post(
        api, POSITION, {"year": 2022, "allocation_t": "-1", "verified_emissions_t": "x"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"allocation_t", "verified_emissions_t"}


def test_it_refuses_strangers_and_anything_but_json(client, personas):
    assert post(client, ALLOCATION, unit()).status_code == 403
    assert post(client, POSITION, {}).status_code == 403
    client.force_login(personas.agency_user)
    form_encoded = client.post(ALLOCATION, unit())
    assert form_encoded.status_code == 415
    assert post(client, ALLOCATION, unit()).status_code == 200


def test_it_documents_both_calculators_with_their_errors(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path in (ALLOCATION, POSITION):
        responses = schema["paths"][path]["post"]["responses"]
        assert {"200", "400", "403"} <= set(responses)
