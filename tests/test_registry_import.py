"""Excel/CSV import: a dry run reports every bad row with its reason; any bad row → nothing
imported; a good file imports (creating or updating) with the history naming the actor."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from enterprises.models import Enterprise, Facility, GeneratingUnit

from .factories import valid_uscc

HEADER = ["name_zh", "name_en", "uscc", "district", "industry", "registry_account", "is_active"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("registry.xlsx", buffer.getvalue())


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("registry.csv", text.encode("utf-8-sig"))


def post(client, upload, *, kind="enterprises", dry_run=False):
    data = {"kind": kind, "file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("enterprises:import"), data)


GOOD_ROWS = [
    ["包头甲电力有限公司", "Baotou Jia Power", valid_uscc(1), "150203", "power", "NM001", "yes"],
    [
        "包头乙钢铁有限公司",
        "Baotou Yi Steel",
        valid_uscc(2),
        "Qingshan District",
        "Iron and steel",
        "",
        "1",
    ],
    ["包头丙稀土有限公司", "", valid_uscc(3), "九原区", "rare_earth", "", "是"],
]


def test_it_reports_every_bad_row_on_a_dry_run_and_imports_nothing(client, personas):
    rows = [
        GOOD_ROWS[0],
        ["坏代码企业", "", "91350100M000100Y4Z", "150203", "power", "", "1"],  # wrong check char
        ["", "", valid_uscc(4), "150203", "power", "", "1"],  # missing Chinese name
        ["无效区县企业", "", valid_uscc(5), "Beijing", "power", "", "1"],  # not a Baotou district
        ["重复企业", "", valid_uscc(1), "150203", "power", "", "1"],  # same code as row 2
    ]
    client.force_login(personas.staff)
    response = post(client, xlsx(rows), dry_run=True)
    report = response.context["report"]
    assert response.status_code == 400
    assert [e.row for e in report.errors] == [3, 4, 5, 6]
    messages = {e.row: e.message for e in report.errors}
    assert "should be 3" in messages[3]
    assert "required" in messages[4]
    assert "valid choice" in messages[5]
    assert "row 2" in messages[6]
    assert Enterprise.objects.count() == 2  # only the personas' A and B


def test_it_imports_nothing_when_a_real_run_has_a_bad_row(client, personas):
    rows = [GOOD_ROWS[0], ["坏代码企业", "", "91350100M000100Y4Z", "150203", "power", "", "1"]]
    client.force_login(personas.staff)
    response = post(client, xlsx(rows), dry_run=False)
    assert response.status_code == 400
    assert not Enterprise.objects.filter(uscc=GOOD_ROWS[0][2]).exists()


def test_it_checks_a_good_file_on_a_dry_run_without_writing(client, personas):
    client.force_login(personas.staff)
    response = post(client, xlsx(GOOD_ROWS), dry_run=True)
    report = response.context["report"]
    assert response.status_code == 200
    assert (report.row_count, report.created, report.updated, report.errors) == (3, 3, 0, [])
    assert Enterprise.objects.count() == 2


def test_it_imports_a_good_file_with_labels_in_either_language(client, personas):
    client.force_login(personas.staff)
    response = post(client, xlsx(GOOD_ROWS), dry_run=False)
    assert response.status_code == 200
    steel = Enterprise.objects.get(uscc=GOOD_ROWS[1][2])
    assert (steel.district, steel.industry) == ("150204", "steel")
    rare_earth = Enterprise.objects.get(uscc=GOOD_ROWS[2][2])
    assert rare_earth.district == "150207"
    assert rare_earth.history.get().history_user == personas.staff


def test_it_updates_existing_enterprises_by_credit_code(client, personas):
    a = personas.enterprise_a
    client.force_login(personas.staff)
    rows = [["甲企业（新名）", "", a.uscc, a.district, a.industry, "NM-A", "1"]]
    response = post(client, xlsx(rows))
    assert response.context["report"].updated == 1
    a.refresh_from_db()
    assert (a.name_zh, a.registry_account) == ("甲企业（新名）", "NM-A")


def test_it_accepts_chinese_headers_in_csv(client, personas):
    client.force_login(personas.staff)
    code = valid_uscc(9)
    # Chinese headers are the zh-hans labels; before the catalogue is compiled, English ones.
    text = f"name_zh,uscc,district,industry\n包头丁化工有限公司,{code},150202,chemicals\n"
    response = post(client, csv_file(text))
    assert response.status_code == 200
    assert Enterprise.objects.filter(uscc=code, is_active=True).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("registry.txt", b"hello"), "Excel (.xlsx) or CSV"),
        (SimpleUploadedFile("registry.xlsx", b"not a zip"), "not a readable Excel"),
        (SimpleUploadedFile("registry.csv", "名称".encode("gbk")), "UTF-8"),
        (SimpleUploadedFile("registry.csv", b"name_zh,uscc\n"), "no data rows"),
    ],
)
def test_it_explains_an_unreadable_file(client, personas, upload, message):
    client.force_login(personas.staff)
    response = post(client, upload)
    assert response.status_code == 400
    assert message in response.context["report"].errors[0].message


def test_it_rejects_an_oversize_file(client, personas, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(personas.staff)
    response = post(client, csv_file("name_zh,uscc\n甲,123\n"))
    assert "larger than" in response.context["report"].errors[0].message


UNIT_HEADER = [
    "enterprise_uscc",
    "facility",
    "code",
    "allocation_category",
    "capacity_mw",
    "main_fuel",
    "cooling",
    "operating_mode",
    "is_cfb",
]


def test_it_imports_units_creating_their_facility(client, personas):
    a = personas.enterprise_a
    rows = [
        [a.uscc, "自备电厂", "#1", "coal_above_300", "330", "coal", "air", "chp", ""],
        [
            a.uscc,
            "自备电厂",
            "#2",
            "Conventional coal, 300 MW and below",
            "300",
            "coal",
            "water",
            "condensing",
            "1",
        ],
    ]
    client.force_login(personas.staff)
    response = post(client, xlsx(rows, UNIT_HEADER), kind="units")
    assert response.status_code == 200, response.context["report"].errors
    facility = Facility.objects.get(enterprise=a, name_zh="自备电厂")
    assert sorted(facility.units.values_list("code", flat=True)) == ["#1", "#2"]
    assert GeneratingUnit.objects.get(code="#2").is_cfb is True


def test_it_reports_bad_unit_rows_and_imports_none(client, personas):
    a = personas.enterprise_a
    rows = [
        [a.uscc, "自备电厂", "#1", "coal_above_300", "330", "coal", "air", "chp", ""],
        [
            a.uscc,
            "自备电厂",
            "#2",
            "coal_above_300",
            "300",
            "coal",
            "air",
            "chp",
            "",
        ],  # 300 is not > 300
        [
            valid_uscc(99),
            "电厂",
            "#1",
            "gas",
            "100",
            "natural_gas",
            "water",
            "chp",
            "",
        ],  # unknown enterprise
        [
            a.uscc,
            "自备电厂",
            "#3",
            "gas",
            "100",
            "coal",
            "water",
            "chp",
            "",
        ],  # gas unit burning coal
    ]
    client.force_login(personas.staff)
    response = post(client, xlsx(rows, UNIT_HEADER), kind="units", dry_run=True)
    assert response.status_code == 400
    assert [e.row for e in response.context["report"].errors] == [3, 4, 5]
    assert not Facility.objects.filter(enterprise=a).exists()
    assert not GeneratingUnit.objects.exists()


def test_it_checks_a_file_in_queries_that_do_not_grow_with_its_rows(
    client, personas, django_assert_max_num_queries
):
    rows = [[f"企业{i}", "", valid_uscc(200 + i), "150203", "power", "", "1"] for i in range(40)]
    client.force_login(personas.staff)
    # session, user, existing credit codes in one query — and no query per row
    with django_assert_max_num_queries(3):
        response = post(client, xlsx(rows), dry_run=True)
    assert response.context["report"].row_count == 40
