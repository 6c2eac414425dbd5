"""The cost ledger's API: scoped as the ledger's pages, validated by the page's form, saved by
the page's service, append-only (a correction is a reversing entry)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from allocation import services
from allocation.models import ComplianceCost, CostCategory, CostEntry

D = Decimal
ENTRIES = "/api/v1/cost-entries/"
FEE = {
    "year": 2022,
    "category": "verification_consulting",
    "amount_yuan": "86000.00",
    "occurred_on": "2023-05-10",
    "description": "2022年度核查咨询费",
}


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _entry(enterprise, staff, **fields):
    values: dict = {
        "year": 2022,
        "category": CostCategory.FINES,
        "amount_yuan": D("20000"),
        "occurred_on": date(2023, 3, 1),
        "description": "罚款",
    } | fields
    return services.cost_entry_create(enterprise=enterprise, actor=staff, **values)


# role → list status, create status (with an enterprise in the body for staff)
MATRIX = [
    ("admin", 200, 201),
    ("staff", 200, 201),
    ("manager", 200, 403),
    ("enterprise_a_user", 200, 201),
    ("agency_user", 403, 403),
    ("district_reviewer", 403, 403),
]


@pytest.mark.parametrize(("persona", "reads", "writes"), MATRIX)
def test_it_scopes_the_ledger_by_role(client, personas, persona, reads, writes):
    _entry(personas.enterprise_a, personas.staff)
    _entry(personas.enterprise_b, personas.staff)
    client.force_login(getattr(personas, persona))
    listed = client.get(ENTRIES)
    assert listed.status_code == reads
    if reads == 200:
        names = {row["enterprise"] for row in listed.json()["results"]}
        expected = (
            {personas.enterprise_a.pk}
            if persona == "enterprise_a_user"
            else {personas.enterprise_a.pk, personas.enterprise_b.pk}
        )
        assert names == expected
    created = _post(client, ENTRIES, FEE | {"enterprise": personas.enterprise_a.pk})
    assert created.status_code == writes


def test_it_refuses_anonymous_callers(client, db):
    assert client.get(ENTRIES).status_code == 403
    assert _post(client, ENTRIES, FEE).status_code == 403


def test_it_enters_an_enterprises_cost_for_its_own_enterprise_only(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.enterprise_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            ENTRIES,
            FEE
            | {
                "enterprise": personas.enterprise_b.pk,  # ignored: its own enterprise's
                "category": "allowances_sold",
                "amount_yuan": "97490",
                "quantity_t": "1000",
            },
        )
    assert response.status_code == 201
    body = response.json()
    assert body["enterprise"] == personas.enterprise_a.pk
    assert body["amount_yuan"] == "-97490.00"  # revenue, signed by the service
    entry = CostEntry.objects.get()
    assert entry.created_by == personas.enterprise_a_user
    assert entry.history.get().history_user == personas.enterprise_a_user
    # The recompute ran on commit: the enterprise's compliance cost includes the revenue.
    assert ComplianceCost.objects.get(enterprise=personas.enterprise_a).cost_yuan == D("-97490")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_yuan": "-5"}, "amount_yuan"),
        ({"amount_yuan": "abc"}, "amount_yuan"),
        ({"year": 1900}, "year"),
        ({"category": "bribes"}, "category"),
        ({"quantity_t": "10"}, "quantity_t"),  # a fee carries no tonnes
        ({"occurred_on": "2023-02-30"}, "occurred_on"),
        ({"description": ""}, "description"),
        ({"description": ["a", "b"]}, "description"),
    ],
)
def test_it_answers_bad_input_with_400_and_saves_nothing(client, personas, change, field):
    client.force_login(personas.enterprise_a_user)
    response = _post(client, ENTRIES, FEE | change)
    assert response.status_code == 400
    assert field in response.json()
    assert not CostEntry.objects.exists()


def test_it_asks_staff_which_enterprise(client, personas):
    client.force_login(personas.staff)
    response = _post(client, ENTRIES, FEE)
    assert response.status_code == 400 and "enterprise" in response.json()


def test_it_reverses_an_entry_once(client, personas):
    entry = _entry(personas.enterprise_a, personas.staff)
    client.force_login(personas.enterprise_a_user)
    url = f"{ENTRIES}{entry.pk}/reverse/"
    assert _post(client, url, {}).status_code == 400  # a reason is required
    reversed_ = _post(client, url, {"reason": "录入错误"})
    assert reversed_.status_code == 201
    assert reversed_.json()["amount_yuan"] == "-20000.00"
    assert reversed_.json()["reverses"] == entry.pk
    again = _post(client, url, {"reason": "再次"})
    assert again.status_code == 400 and "non_field_errors" in again.json()
    detail = client.get(f"{ENTRIES}{entry.pk}/").json()
    assert detail["reversed_by"] == reversed_.json()["id"]


def test_it_hides_another_enterprises_entry(client, personas):
    entry = _entry(personas.enterprise_b, personas.staff)
    client.force_login(personas.enterprise_a_user)
    assert client.get(f"{ENTRIES}{entry.pk}/").status_code == 404
    assert _post(client, f"{ENTRIES}{entry.pk}/reverse/", {"reason": "x"}).status_code == 404


def test_it_lets_a_manager_read_but_not_reverse(client, personas):
    entry = _entry(personas.enterprise_a, personas.staff)
    client.force_login(personas.manager)
    assert client.get(f"{ENTRIES}{entry.pk}/").status_code == 200
    assert _post(client, f"{ENTRIES}{entry.pk}/reverse/", {"reason": "x"}).status_code == 403


def test_it_never_edits_or_deletes(client, personas):
    entry = _entry(personas.enterprise_a, personas.staff)
    client.force_login(personas.staff)
    url = f"{ENTRIES}{entry.pk}/"
    assert client.put(url, json.dumps(FEE), content_type="application/json").status_code == 405
    assert client.delete(url).status_code == 405


@pytest.mark.parametrize("rows", [1, 6])
def test_it_lists_in_a_fixed_number_of_queries(client, personas, django_assert_num_queries, rows):
    for _ in range(rows):
        _entry(personas.enterprise_a, personas.staff)
    client.force_login(personas.staff)
    # session, user; count, page of entries with their enterprise and reversals
    with django_assert_num_queries(4):
        response = client.get(f"{ENTRIES}?year=2022&category=fines")
    assert response.json()["count"] == rows
