"""The compliance-cost ledger (DOMAIN §1): entries in Decimal yuan per enterprise and year,
entered by the enterprise or staff with their documents, never edited in place but corrected
by a reversing entry; its list with the totals and the compliance cost's breakdown; the Excel
import with its dry run; and the savings snapshot recomputed after each change."""

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import strip_tags
from openpyxl import Workbook, load_workbook

from allocation import services
from allocation import urls as allocation_urls
from allocation.models import ComplianceCost, CostCategory, CostDocument, CostEntry
from baotou_carbon.core import imports as core_imports

from .factories import CostEntryFactory, EnterpriseFactory

D = Decimal
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
LIST = reverse("allocation:cost_list")
CREATE = reverse("allocation:cost_create")
IMPORT = reverse("allocation:cost_import")
TEMPLATE = reverse("allocation:cost_import_template")

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def pdf(name="发票.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def detail(entry):
    return reverse("allocation:cost_detail", args=[entry.pk])


def entry_of(personas, *, category=CostCategory.ALLOWANCES_BOUGHT, amount="7942.00", **kwargs):
    """Enterprise A's entry, entered by its user through the service."""
    return services.cost_entry_create(
        enterprise=personas.enterprise_a,
        year=kwargs.pop("year", 2022),
        category=category,
        amount_yuan=D(amount),
        occurred_on=kwargs.pop("occurred_on", "2023-12-20"),
        description=kwargs.pop("description", "购买配额"),
        actor=personas.enterprise_a_user,
        quantity_t=kwargs.pop("quantity_t", D(100) if category == "allowances_bought" else None),
        **kwargs,
    )


def form_data(**overrides):
    data = {
        "year": "2022",
        "category": "allowances_sold",
        "amount_yuan": "3971.00",
        "quantity_t": "50",
        "occurred_on": "2023-12-28",
        "description": "出售富余配额",
    }
    data.update(overrides)
    return data


# Permission matrix ---------------------------------------------------------------------------

# staff, admin, manager, enterprise A (the owner), enterprise B, agency, district reviewer
READ = (200, 200, 200, 200, 404, 404, 404)
EDIT = (302, 302, 403, 302, 404, 404, 404)
ENTER = (200, 200, 403, 200, 200, 403, 403)
GET_MATRIX = {
    "list": (200, 200, 200, 200, 200, 403, 403),
    "create": ENTER,
    "import": ENTER,
    "template": ENTER,
    "detail": READ,
    "document": READ,
}


def get_url(view, personas):
    fixed = {"list": LIST, "create": CREATE, "import": IMPORT, "template": TEMPLATE}
    if view in fixed:
        return fixed[view]
    entry = entry_of(personas, uploads=[pdf()])
    if view == "document":
        return reverse("allocation:cost_document", args=[entry.documents.get().pk])
    return detail(entry)


@pytest.mark.parametrize("view", list(GET_MATRIX))
def test_it_applies_the_permission_matrix_to_the_pages(client, personas, view):
    target = get_url(view, personas)
    assert client.get(target).status_code == 302  # to the login page
    for persona, expected in zip(PERSONAS, GET_MATRIX[view], strict=True):
        client.force_login(getattr(personas, persona))
        assert client.get(target).status_code == expected, persona


POST_MATRIX = {
    "cost_reverse": lambda: {"reason": "金额录错"},
    "cost_document_add": lambda: {"uploads": pdf()},
}


@pytest.mark.parametrize("view", list(POST_MATRIX))
def test_it_applies_the_permission_matrix_to_the_forms(client, personas, view):
    anonymous = entry_of(personas)
    target = reverse(f"allocation:{view}", args=[anonymous.pk])
    assert client.post(target, POST_MATRIX[view]()).status_code == 302  # to the login page
    assert client.get(target).status_code == 405  # POST only
    assert CostEntry.objects.count() == 1
    for persona, expected in zip(PERSONAS, EDIT, strict=True):
        entry = entry_of(personas)
        client.force_login(getattr(personas, persona))
        response = client.post(reverse(f"allocation:{view}", args=[entry.pk]), POST_MATRIX[view]())
        assert response.status_code == expected, persona
        changed = entry.documents.exists() or CostEntry.objects.filter(reverses=entry).exists()
        assert changed == (expected == 302), persona


def test_it_never_shows_enterprise_a_s_entries_to_enterprise_b(client, personas):
    entry = entry_of(personas, uploads=[pdf()])
    client.force_login(personas.enterprise_b_user)
    html = client.get(LIST).content.decode()
    assert personas.enterprise_a.name_zh not in html
    assert "No cost entry matches these filters." in html
    assert client.get(LIST, {"enterprise": personas.enterprise_a.pk}).status_code == 200
    rows = client.get(LIST, {"enterprise": personas.enterprise_a.pk}).context["table"].rows
    assert len(rows) == 0
    assert client.get(detail(entry)).status_code == 404
    document = entry.documents.get()
    assert client.get(reverse("allocation:cost_document", args=[document.pk])).status_code == 404


def test_it_offers_no_edit_or_delete_page():
    urls = {pattern.name for pattern in allocation_urls.urlpatterns}
    assert not {name for name in urls if name.startswith("cost_") and "edit" in name}
    assert not {name for name in urls if name.startswith("cost_") and "delete" in name}


# Entering a cost -----------------------------------------------------------------------------


def test_it_enters_revenue_negative_for_the_user_s_own_enterprise(client, personas):
    client.force_login(personas.enterprise_a_user)
    assert "id_enterprise" not in client.get(CREATE).content.decode()
    response = client.post(CREATE, form_data(enterprise=personas.enterprise_b.pk))
    entry = CostEntry.objects.get()
    assert response.status_code == 302
    assert response.url == detail(entry)
    assert (entry.enterprise, entry.amount_yuan, entry.quantity_t, entry.created_by) == (
        personas.enterprise_a,  # its own, whatever the form said
        D("-3971.00"),
        D(50),
        personas.enterprise_a_user,
    )


def test_it_lets_staff_choose_the_enterprise_and_attach_documents(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        CREATE,
        form_data(
            enterprise=personas.enterprise_b.pk,
            category="fines",
            quantity_t="",
            amount_yuan="20000",
            uploads=[pdf("罚单.pdf"), pdf("收据.pdf")],
        ),
    )
    entry = CostEntry.objects.get()
    assert response.status_code == 302
    assert (entry.enterprise, entry.category, entry.amount_yuan) == (
        personas.enterprise_b,
        "fines",
        D("20000.00"),
    )
    assert sorted(entry.documents.values_list("original_name", flat=True)) == [
        "收据.pdf",
        "罚单.pdf",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "fines"}, "quantity_t", "Only allowances bought or sold carry tonnes."),
        ({"amount_yuan": "-5"}, "amount_yuan", "greater than or equal to 0.01"),
        ({"amount_yuan": "0"}, "amount_yuan", "greater than or equal to 0.01"),
        ({"amount_yuan": "1.005"}, "amount_yuan", "no more than 2 decimal places"),
        ({"year": "2012"}, "year", "greater than or equal to 2013"),
        ({"description": ""}, "description", "This field is required."),
        ({"occurred_on": "2023-02-30"}, "occurred_on", "Enter a valid date."),
    ],
)
def test_it_refuses_a_bad_entry_next_to_its_field_and_saves_nothing(
    client, personas, media, overrides, field, message
):
    client.force_login(personas.staff)
    data = form_data(enterprise=personas.enterprise_a.pk, uploads=[pdf()], **overrides)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert CostEntry.objects.count() == 0
    assert CostDocument.objects.count() == 0


def test_it_refuses_a_file_of_another_kind_and_saves_nothing(client, personas):
    client.force_login(personas.enterprise_a_user)
    fake = SimpleUploadedFile("发票.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(CREATE, form_data(uploads=[fake]))
    assert response.status_code == 400
    assert "uploads" in response.context["form"].errors
    assert CostEntry.objects.count() == 0


def test_it_refuses_tonnes_on_a_fee_in_the_service_too(personas):
    with pytest.raises(Exception, match="Only allowances bought or sold carry tonnes"):
        services.cost_entry_create(
            enterprise=personas.enterprise_a,
            year=2022,
            category=CostCategory.FINES,
            amount_yuan=D(100),
            quantity_t=D(1),
            occurred_on="2023-01-01",
            description="x",
            actor=personas.staff,
        )
    assert CostEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("category", "amount"),
    [("allowances_sold", "100.00"), ("fines", "-100.00"), ("other", "0")],
)
def test_it_refuses_a_wrong_sign_in_the_database(personas, category, amount):
    with pytest.raises(IntegrityError), transaction.atomic():
        CostEntry.objects.create(
            enterprise=personas.enterprise_a,
            year=2022,
            category=category,
            amount_yuan=D(amount),
            occurred_on="2023-01-01",
            description="直接写入",
            created_by=personas.staff,
        )


# Reversing an entry --------------------------------------------------------------------------


def test_it_reverses_an_entry_once_with_the_opposite_amount(client, personas):
    entry = entry_of(personas, category="allowances_sold", amount="3971.00", quantity_t=D(50))
    client.force_login(personas.enterprise_a_user)
    page = client.get(detail(entry))
    assert page.context["caps"].reverse
    response = client.post(reverse("allocation:cost_reverse", args=[entry.pk]), {"reason": "重复"})
    assert response.status_code == 302
    reversal = CostEntry.objects.get(reverses=entry)
    assert (reversal.amount_yuan, reversal.quantity_t, reversal.category, reversal.year) == (
        D("3971.00"),
        D(50),
        "allowances_sold",
        2022,
    )
    assert "重复" in reversal.description
    assert sum(CostEntry.objects.values_list("amount_yuan", flat=True)) == 0
    # The original now links to its reversal, and the reversal back.
    html = client.get(detail(entry)).content.decode()
    assert detail(reversal) in html
    assert 'data-testid="reverse-form"' not in html
    assert detail(entry) in client.get(detail(reversal)).content.decode()
    # Once only.
    again = client.post(reverse("allocation:cost_reverse", args=[entry.pk]), {"reason": "再次"})
    assert again.status_code == 400
    assert "This entry has already been reversed." in again.content.decode()
    assert CostEntry.objects.count() == 2


def test_it_does_not_reverse_a_reversal(client, personas):
    entry = entry_of(personas)
    reversal = services.cost_entry_reverse(entry=entry, reason="错", actor=personas.staff)
    client.force_login(personas.staff)
    assert not client.get(detail(reversal)).context["caps"].reverse
    response = client.post(reverse("allocation:cost_reverse", args=[reversal.pk]), {"reason": "x"})
    assert response.status_code == 400
    assert "A reversal cannot be reversed" in response.content.decode()
    assert CostEntry.objects.count() == 2


def test_it_asks_why_an_entry_is_reversed(client, personas):
    entry = entry_of(personas)
    client.force_login(personas.staff)
    response = client.post(reverse("allocation:cost_reverse", args=[entry.pk]), {"reason": " "})
    assert response.status_code == 400
    assert response.context["reverse_form"].errors == {"reason": ["Say why the entry is reversed."]}
    assert CostEntry.objects.count() == 1


# Documents -----------------------------------------------------------------------------------


def test_it_adds_documents_and_serves_them_as_private_attachments(client, personas):
    entry = entry_of(personas)
    client.force_login(personas.enterprise_a_user)
    response = client.post(
        reverse("allocation:cost_document_add", args=[entry.pk]), {"uploads": [pdf()]}
    )
    assert response.status_code == 302
    document = entry.documents.get()
    served = client.get(reverse("allocation:cost_document", args=[document.pk]))
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == PDF
    refused = client.post(reverse("allocation:cost_document_add", args=[entry.pk]), {})
    assert refused.status_code == 400
    assert refused.context["document_form"].errors == {"uploads": ["Choose at least one file."]}


# The list ------------------------------------------------------------------------------------


def test_it_filters_the_list_and_totals_the_years_by_category(client, personas):
    bought = entry_of(personas, category="allowances_bought", amount="7942.00")
    entry_of(personas, category="allowances_sold", amount="1000.00", quantity_t=D(10))
    entry_of(personas, category="energy_conservation", amount="5000.00", quantity_t=None)
    CostEntryFactory(enterprise=personas.enterprise_b, year=2021, amount_yuan=D("300.00"))
    client.force_login(personas.staff)
    response = client.get(LIST)
    assert len(response.context["table"].rows) == 4
    assert [t.year for t in response.context["totals"]] == [2022, 2021]
    assert response.context["totals"][0].breakdown.cost_yuan == D("11942.00")
    assert response.context["breakdown"] is None
    filtered = client.get(LIST, {"category": "allowances_bought"})
    assert [r.record for r in filtered.context["table"].rows] == [bought]
    assert len(client.get(LIST, {"year": "2021"}).context["table"].rows) == 1
    assert len(client.get(LIST, {"q": "乙企业"}).context["table"].rows) == 1
    export = client.get(LIST, {"year": "2022", "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 4  # the header and the three rows of 2022


def test_it_shows_the_compliance_cost_with_its_breakdown_for_one_enterprise_and_year(
    client, personas
):
    entry_of(personas, category="energy_conservation", amount="5000.00", quantity_t=None)
    entry_of(personas, category="allowances_bought", amount="7942.00")
    entry_of(personas, category="allowances_sold", amount="1000.00", quantity_t=D(10))
    entry_of(personas, category="fines", amount="200.00", quantity_t=None)
    entry_of(personas, category="asset_management", amount="300.00", quantity_t=None)
    wrong = entry_of(personas, category="other", amount="999.00", quantity_t=None)
    services.cost_entry_reverse(entry=wrong, reason="录错", actor=personas.staff)
    entry_of(personas, category="verification_consulting", amount="400.00", quantity_t=None)
    client.force_login(personas.staff)
    response = client.get(LIST, {"enterprise": personas.enterprise_a.pk, "year": "2022"})
    cost = response.context["breakdown"]["cost"]
    assert (
        cost.reduction_yuan,
        cost.bought_yuan,
        cost.sold_yuan,
        cost.fines_yuan,
        cost.management_yuan,
        cost.other_yuan,
        cost.cost_yuan,
    ) == (D(5000), D(7942), D(1000), D(200), D(300), D(400), D("12842.00"))
    html = response.content.decode()
    formula = html.split('data-testid="cost-formula">')[1].split("</p>")[0]
    assert " ".join(strip_tags(formula).split()) == (
        "5,000.00 + 7,942.00 − 1,000.00 + 200.00 + 300.00 + 400.00 = 12,842.00 yuan"
    )
    # An enterprise user names only the year: its own enterprise is meant.
    client.force_login(personas.enterprise_a_user)
    own = client.get(LIST, {"year": "2022"})
    assert own.context["breakdown"]["cost"].cost_yuan == D("12842.00")


def test_it_marks_reversed_entries_and_reversals_in_the_list(client, personas):
    entry = entry_of(personas)
    reversal = services.cost_entry_reverse(entry=entry, reason="错", actor=personas.staff)
    client.force_login(personas.staff)
    html = client.get(LIST).content.decode()
    assert f"Reversed by #{reversal.pk}" in html
    assert f"Reversal of #{entry.pk}" in html
    assert f'href="{detail(reversal)}" data-testid="correction"' in html


def test_it_shows_an_empty_state(client, personas):
    client.force_login(personas.enterprise_a_user)
    html = client.get(LIST).content.decode()
    assert "No cost entry matches these filters." in html
    assert "Nothing to total." in html


@pytest.mark.parametrize("entries", [1, 8])
def test_it_pins_the_list_queries(client, personas, entries, django_assert_num_queries):
    for index in range(entries):
        entry = CostEntryFactory(enterprise=EnterpriseFactory(), year=2013 + index)
        if index % 2:
            CostEntryFactory(
                enterprise=entry.enterprise,
                year=entry.year,
                amount_yuan=-entry.amount_yuan,
                reverses=entry,
            )
    client.force_login(personas.staff)
    # session, user, the rows' count, the page's rows with enterprise and correction links,
    # the totals per year and category, the enterprise filter's choices
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["table"].rows) == entries + entries // 2


def test_it_pins_the_list_queries_with_the_breakdown(client, personas, django_assert_num_queries):
    for _ in range(5):
        CostEntryFactory(enterprise=personas.enterprise_a)
    client.force_login(personas.staff)
    params = {"enterprise": personas.enterprise_a.pk, "year": "2022"}
    # session, user, the filter's enterprise, the rows' count, the page's rows, the totals,
    # the breakdown's sums, the enterprise filter's choices
    with django_assert_num_queries(8):
        response = client.get(LIST, params)
    assert response.context["breakdown"]["cost"].cost_yuan == D("5000.00")


# The savings recompute -----------------------------------------------------------------------


def test_it_recomputes_the_compliance_cost_after_an_entry_and_its_reversal(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.enterprise_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CREATE, form_data(category="allowances_bought", amount_yuan="7942", quantity_t="100")
        )
    snapshot = ComplianceCost.objects.get(enterprise=personas.enterprise_a, year=2022)
    assert snapshot.cost_yuan == D("7942.00")
    assert snapshot.by_category == {"allowances_bought": "7942.00"}
    entry = CostEntry.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("allocation:cost_reverse", args=[entry.pk]), {"reason": "撤销"})
    snapshot = ComplianceCost.objects.get(enterprise=personas.enterprise_a, year=2022)
    assert snapshot.cost_yuan == D("0.00")


# The import ----------------------------------------------------------------------------------


def workbook(rows, headers=None, name="costs.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(
        headers
        or [
            "enterprise",
            "year",
            "category",
            "amount_yuan",
            "quantity_t",
            "occurred_on",
            "description",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file, *, dry_run):
    data = {"file": file}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


def test_it_checks_every_row_on_a_dry_run_and_imports_nothing(client, personas):
    code = personas.enterprise_a.uscc
    file = workbook(
        [
            [code, 2022, "allowances_bought", "7942", "100", "2023-12-20", "购买配额"],
            [code, 2022, "Fines", "500", "3", "2023-06-01", "罚款"],  # tonnes on a fine
            ["不存在的企业", 2022, "fines", "500", "", "2023-06-01", "罚款"],
            [code, 2022, "no such category", "-5", "", "2023-06-01", "x"],
        ]
    )
    client.force_login(personas.staff)
    response = upload(client, file, dry_run=True)
    assert response.status_code == 400
    errors = [(e.row, e.field, e.message) for e in response.context["report"].errors]
    assert (3, "Allowances traded (t)", "Only allowances bought or sold carry tonnes.") in errors
    assert (4, "Enterprise", "No enterprise has this credit code or name.") in errors
    assert {e[0] for e in errors} == {3, 4, 5}
    assert {e[1] for e in errors if e[0] == 5} == {"Category", "Amount (yuan)"}
    assert CostEntry.objects.count() == 0


def test_it_imports_nothing_when_a_real_run_has_a_bad_row(client, personas):
    code = personas.enterprise_a.uscc
    file = workbook(
        [
            [code, 2022, "allowances_bought", "7942", "100", "2023-12-20", "购买配额"],
            [code, 2022, "fines", "abc", "", "2023-06-01", "罚款"],
        ]
    )
    client.force_login(personas.staff)
    response = upload(client, file, dry_run=False)
    assert response.status_code == 400
    assert [e.row for e in response.context["report"].errors] == [3]
    assert CostEntry.objects.count() == 0


def test_it_imports_a_good_file_with_headers_and_labels_in_chinese(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.staff)
    chinese = client.get(TEMPLATE, HTTP_ACCEPT_LANGUAGE="zh-hans")
    template_headers = [c.value for c in load_workbook(io.BytesIO(chinese.content)).active[1]]
    assert template_headers[0] != "Enterprise"  # written in the user's language
    rows = [
        [
            personas.enterprise_a.uscc,
            2022,
            "allowances_sold",
            "3971",
            "50",
            datetime(2023, 12, 28),
            "出售",
            "ignored",
        ],
        [personas.enterprise_b.name_zh, 2022, "Fines", "500.5", None, "2023-06-01", "罚款", ""],
    ]
    file = workbook(rows, headers=[*template_headers, "备注"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, file, dry_run=False)
    assert response.status_code == 200, response.context["report"].errors
    assert response.context["report"].created == 2
    amounts = dict(CostEntry.objects.values_list("enterprise__name_zh", "amount_yuan"))
    assert amounts == {"甲企业": D("-3971.00"), "乙企业": D("500.50")}
    sold = CostEntry.objects.get(category="allowances_sold")
    assert str(sold.occurred_on) == "2023-12-28"
    assert ComplianceCost.objects.get(enterprise=personas.enterprise_a, year=2022).cost_yuan == D(
        "-3971.00"
    )


def test_it_keeps_an_enterprise_user_s_import_to_its_own_enterprise(client, personas):
    file = workbook(
        [
            ["", 2022, "fines", "100", "", "2023-06-01", "罚款"],
            [personas.enterprise_a.name_zh, 2022, "fines", "100", "", "2023-06-01", "罚款"],
            [personas.enterprise_b.uscc, 2022, "fines", "100", "", "2023-06-01", "罚款"],
        ]
    )
    client.force_login(personas.enterprise_a_user)
    response = upload(client, file, dry_run=True)
    assert response.status_code == 400
    assert [(e.row, e.message) for e in response.context["report"].errors] == [
        (4, "You may import costs only for your own enterprise.")
    ]
    good = workbook([["", 2022, "fines", "100", "", "2023-06-01", "罚款"]])
    assert upload(client, good, dry_run=False).status_code == 200
    assert CostEntry.objects.get().enterprise == personas.enterprise_a


def test_it_refuses_a_file_with_too_many_rows(client, personas, settings):
    settings.IMPORT_MAX_ROWS = 2
    row = [personas.enterprise_a.uscc, 2022, "fines", "1", "", "2023-06-01", "罚款"]
    client.force_login(personas.staff)
    response = upload(client, workbook([row, row, row]), dry_run=True)
    assert response.status_code == 400
    assert "more than 2 data rows" in response.context["report"].errors[0].message
    assert upload(client, workbook([row, row]), dry_run=True).status_code == 200


def test_it_reads_only_the_header_s_columns(personas):
    file = workbook([["a", "b", "c", "d", "e", "f", "g", "stray"]])
    rows = core_imports.read_rows(file)
    assert list(rows[0]) == [
        "enterprise",
        "year",
        "category",
        "amount_yuan",
        "quantity_t",
        "occurred_on",
        "description",
    ]


def test_it_offers_a_template_workbook_the_import_accepts(client, personas):
    client.force_login(personas.enterprise_a_user)
    response = client.get(TEMPLATE)
    assert response["Content-Disposition"] == 'attachment; filename="cost-ledger-import.xlsx"'
    response = upload(client, SimpleUploadedFile("t.xlsx", response.content), dry_run=True)
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert 'data-testid="import-dry-run"' in response.content.decode()
    assert CostEntry.objects.count() == 0
