"""The leadership briefing: its figures as printed, its server-side SVG charts, the bilingual
PDF rendered from the summary payload, the Celery task that renders it, and the pages that
request, follow and download it (bureau managers, staff and administrators only).
"""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from allocation.services import savings_recompute
from baotou_carbon.dashboard import services
from baotou_carbon.dashboard import summary as real_summary
from baotou_carbon.dashboard.briefing import briefing_pdf
from baotou_carbon.dashboard.charts import (
    Bar,
    Series,
    bar_chart,
    bars,
    horizontal_bar_chart,
    scale,
    stacked_month_chart,
)
from baotou_carbon.dashboard.models import Briefing, BriefingFile, BriefingStatus
from baotou_carbon.dashboard.numbers import format_share, format_tonnes, format_yuan
from baotou_carbon.dashboard.tasks import render_briefing
from enterprises.models import District

from .dashboard_payload import (
    SAMPLE_PAYLOAD,
    empty_payloads,
    sample_payload,
    sample_payloads,
)
from .factories import GainComponentFactory, VerificationCaseFactory

SVG = "{http://www.w3.org/2000/svg}"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def bar_rects(svg: str) -> list[ET.Element]:
    return [r for r in svg_tree(svg).iter(f"{SVG}rect") if r.get("class") == "bar"]


# Figures as printed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("118770.000", "118,770"),
        ("29615.500", "29,615.5"),
        ("12384.250", "12,384.25"),
        ("0.0005", "0.001"),  # rounded half up, once
        ("1234.5678", "1,234.568"),
        ("-0.0001", "0"),
        ("0.000", "0"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_it_prints_tonnes_with_separators_and_at_most_three_decimals(value, printed):
    assert format_tonnes(value) == printed


@pytest.mark.parametrize(
    ("value", "printed"),
    [("9432713.40", "9,432,713.40"), ("79.42", "79.42"), ("0", "0.00"), ("1.005", "1.01")],
)
def test_it_prints_yuan_with_two_decimals(value, printed):
    assert format_yuan(value) == printed


def test_it_prints_a_share_as_a_percentage():
    assert format_share("0.933") == "93.3%"
    assert format_share(None) == "—"


# SVG charts -----------------------------------------------------------------------------------


def test_it_draws_vertical_bars_proportional_to_their_values():
    svg = bar_chart(
        [Bar("A", Decimal(100), "100"), Bar("B", Decimal(50), "50"), Bar("C", Decimal(25), "25")],
        title="Savings",
        empty_text="Nothing",
    )
    heights = [Decimal(r.get("height")) for r in bar_rects(svg)]
    assert heights[0] > 0
    assert heights == [heights[0], heights[0] / 2, heights[0] / 4]
    # Each bar stands on the same baseline.
    assert len({Decimal(r.get("y")) + Decimal(r.get("height")) for r in bar_rects(svg)}) == 1


def test_it_draws_horizontal_bars_proportional_to_their_values():
    items = bars(SAMPLE_PAYLOAD["by_enterprise"], value="yuan", label="name", formatter=format_yuan)
    widths = [
        Decimal(r.get("width"))
        for r in bar_rects(horizontal_bar_chart(items, title="Top", empty_text="-"))
    ]
    largest = Decimal("3051316.40")
    for width, item in zip(widths, SAMPLE_PAYLOAD["by_enterprise"], strict=True):
        expected = widths[0] * Decimal(item["yuan"]) / largest
        assert abs(width - expected) <= Decimal("0.01")
    assert widths == sorted(widths, reverse=True)


def test_it_stacks_each_months_series_in_proportion_to_the_months_total():
    svg = stacked_month_chart(
        ["2023-01", "2023-02"],
        [
            Series("On-site", (Decimal(2), Decimal(4)), "#000"),
            Series("Remote", (Decimal(6), Decimal(4)), "#fff"),
        ],
        title="Assistance",
        empty_text="-",
    )
    heights = [Decimal(r.get("height")) for r in bar_rects(svg)]
    january = heights[0] + heights[1]
    february = heights[2] + heights[3]
    assert heights[1] == heights[0] * 3
    assert abs(february * 8 - january * 8) <= Decimal("0.02")  # both months total 8
    assert "2023-01 On-site 2, Remote 6" in svg_tree(svg).get("aria-label")


def test_it_escapes_labels_and_keeps_the_svg_well_formed():
    label = '<script>alert("x")</script> & Co\'s'
    svg = horizontal_bar_chart(
        [Bar(label, Decimal(1), "1.00")], title='Top "10" <b>', empty_text="-"
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    tree = svg_tree(svg)  # would raise on a stray & or <
    assert tree.get("aria-label").startswith('Top "10" <b>: ')
    assert any(label[:10] in (t.text or "") for t in tree.iter(f"{SVG}text"))
    assert tree.find(f"{SVG}title").text.endswith(f"{label}: 1.00")


def test_it_scales_with_decimals_only():
    assert scale(Decimal("0.001"), Decimal("118770"), 600) == Decimal("0.00")
    assert scale(Decimal("59385"), Decimal("118770"), 600) == Decimal("300.00")
    assert scale(Decimal("-5"), Decimal("10"), 600) == 0  # a negative value draws no bar
    assert scale(Decimal(5), Decimal(0), 600) == 0
    svg = bar_chart(
        [Bar("tiny", Decimal("0.000001"), "0"), Bar("big", Decimal("1E+9"), "1e9")],
        title="t",
        empty_text="-",
    )
    assert "E" not in "".join(r.get("height") + r.get("y") for r in bar_rects(svg))


@pytest.mark.parametrize("chart", ["bars", "hbars", "stacked"])
def test_it_draws_the_empty_variant_when_there_is_nothing_to_draw(chart):
    draw = {
        "bars": lambda items: bar_chart(items, title="Savings", empty_text="No savings yet."),
        "hbars": lambda items: horizontal_bar_chart(
            items, title="Savings", empty_text="No savings yet."
        ),
        "stacked": lambda items: stacked_month_chart(
            [], [], title="Savings", empty_text="No savings yet."
        ),
    }[chart]
    for items in ([], [Bar("A", Decimal(0), "0.00")]):
        svg = draw(items)
        tree = svg_tree(svg)
        assert "chart-empty" in tree.get("class")
        assert not bar_rects(svg)
        assert "No savings yet." in [t.text for t in tree.iter(f"{SVG}text")]
        assert tree.get("role") == "img"


def test_it_describes_each_chart_for_screen_readers():
    items = bars(SAMPLE_PAYLOAD["measures"], value="yuan", formatter=format_yuan)
    tree = svg_tree(bar_chart(items, title="Savings by measure", empty_text="-"))
    assert tree.get("role") == "img"
    assert tree.get("aria-label").startswith("Savings by measure: Verification: 9,432,713.40; ")


# The PDF --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return briefing_pdf(sample_payloads())


def test_it_renders_a_pdf_with_the_headline_figures_and_the_price_used(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-")
    text = pdf_text(sample_pdf)
    assert "118,770" in text
    assert "9,432,713.40" in text
    assert "79.42" in text
    assert "2023-12-29" in text
    assert "46" in text and "40" in text  # on-site assistance against its target


def test_it_prints_the_chinese_part_first_then_the_english_one(sample_pdf):
    text = pdf_text(sample_pdf)
    # Headings the catalogue translates already, and the payload's own Chinese labels.
    for chinese in ("合计", "旗县区", "行业", "核查", "昆都仑区", "包头铝业有限公司", "电解铝"):
        assert chinese in text, chinese
    assert text.index("昆都仑区") < text.index("Kundulun District")
    assert text.index("合计") < text.index("Total")
    assert "Headline figures" in text


def test_it_prints_the_chinese_headings(sample_pdf):
    text = pdf_text(sample_pdf)
    assert "核心指标" in text
    assert "分措施降本成效" in text


def test_it_prints_the_rankings_by_district_and_by_industry(sample_pdf):
    text = pdf_text(sample_pdf)
    assert "1 Donghe District 38,420 3,051,316.40" in text
    assert "2 Jiuyuan District 33,950.25 2,696,328.86" in text
    assert "1 Aluminium smelting 64,530.25 5,124,992.46" in text


def test_it_renders_a_year_with_nothing_recorded():
    text = pdf_text(briefing_pdf(empty_payloads()))
    assert "No savings by district yet." in text
    assert "No assistance recorded in this period." in text
    assert "No carbon price set for this year." in text


def test_it_names_the_district_a_briefing_is_limited_to():
    payload = sample_payload()
    payload.update(district=District.KUNDULUN.value, district_label="Kundulun District")
    assert "Data year 2022 · Kundulun District" in pdf_text(briefing_pdf({"en": payload}))


def test_it_refuses_a_briefing_without_a_payload():
    with pytest.raises(ValueError, match="needs a payload"):
        briefing_pdf({"fr": SAMPLE_PAYLOAD})


# The task -------------------------------------------------------------------------------------


class SummarySpy:
    """Wraps the real `dashboard_summary`: records each call (year, district, language) and
    first raises each of `errors` in turn (a database that went away, a bug)."""

    def __init__(self, errors=()):
        self.errors = list(errors)
        self.calls: list[tuple[int, str | None, str]] = []
        self.real = real_summary.dashboard_summary

    def __call__(self, *, year: int, district: str | None = None) -> dict:
        self.calls.append((year, district, translation.get_language()))
        if self.errors:
            raise self.errors.pop(0)
        return self.real(year=year, district=district)


@pytest.fixture
def summary(monkeypatch):
    def install(**kwargs) -> SummarySpy:
        spy = SummarySpy(**kwargs)
        monkeypatch.setattr(real_summary, "dashboard_summary", spy)
        return spy

    return install


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def queued(user, **fields) -> Briefing:
    fields.setdefault("year", 2022)
    return Briefing.objects.create(requested_by=user, **fields)


def steps(briefing: Briefing) -> list[tuple[str, str]]:
    return list(briefing.status_changes.values_list("from_status", "to_status"))


def test_it_renders_a_queued_briefing_from_the_summary_in_each_language(personas, summary, media):
    GainComponentFactory(
        case=VerificationCaseFactory(enterprise=personas.enterprise_a, year=2022),
        allocation_change_t=Decimal("0"),
        emissions_change_t=Decimal("118770"),
    )
    savings_recompute(year=2022)
    fake = summary()
    briefing = queued(personas.manager, district=District.KUNDULUN)
    assert render_briefing.delay(briefing.pk).get() is True
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE
    assert briefing.finished_at is not None
    assert fake.calls == [(2022, "150203", "zh-hans"), (2022, "150203", "en")]
    pdf = briefing.pdf
    assert pdf.content_type == "application/pdf"
    assert pdf.original_name == "baotou-carbon-briefing-2022-150203.pdf"
    assert pdf.uploaded_by == personas.manager
    with pdf.file.open("rb") as handle:
        data = handle.read()
    assert pdf.size == len(data)
    assert "118,770" in pdf_text(data)
    assert steps(briefing) == [("queued", "running"), ("running", "done")]


def test_it_asks_the_summary_for_the_city_when_no_district_is_set(personas, summary, media):
    fake = summary()
    render_briefing.delay(queued(personas.staff).pk)
    assert {call[1] for call in fake.calls} == {None}


def test_it_does_nothing_for_a_briefing_already_done_or_gone(personas, summary, media):
    fake = summary()
    briefing = queued(personas.manager)
    render_briefing.delay(briefing.pk)
    assert render_briefing.delay(briefing.pk).get() is False
    assert render_briefing.delay(briefing.pk + 1000).get() is False
    assert len(fake.calls) == 2  # the first run only
    assert BriefingFile.objects.count() == 1


def test_it_leaves_a_briefing_another_run_has_started(personas, summary, media):
    fake = summary()
    briefing = queued(personas.manager)
    Briefing.objects.filter(pk=briefing.pk).update(status=BriefingStatus.RUNNING)
    assert render_briefing.delay(briefing.pk).get() is False
    assert fake.calls == []


def test_it_marks_the_briefing_failed_with_the_error(personas, summary, media):
    summary(errors=[KeyError("by_district")])
    briefing = queued(personas.manager)
    assert render_briefing.delay(briefing.pk).get() is False
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED
    assert briefing.error == "KeyError: 'by_district'"
    assert briefing.finished_at is not None
    assert not BriefingFile.objects.exists()


def test_it_retries_a_transient_error_and_then_finishes(personas, summary, media):
    summary(errors=[OperationalError("the database went away")])
    briefing = queued(personas.manager)
    render_briefing.apply(args=[briefing.pk], throw=False)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE
    assert briefing.error == ""
    assert steps(briefing) == [
        ("queued", "running"),
        ("running", "queued"),
        ("queued", "running"),
        ("running", "done"),
    ]


def test_it_fails_when_the_last_retry_meets_a_transient_error_again(personas, summary, media):
    fake = summary(errors=[OperationalError("down")])
    briefing = queued(personas.manager)
    render_briefing.apply(args=[briefing.pk], retries=render_briefing.max_retries, throw=False)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED
    assert briefing.error == "OperationalError: down"
    assert len(fake.calls) == 1  # no further retry


@pytest.mark.date_sensitive(today="2024-06-01")
def test_it_renders_the_seeded_demo_with_its_118770_t(personas, media):
    # Fails at once (rather than after seeding) while the module is missing.
    from baotou_carbon.dashboard.summary import dashboard_summary  # noqa: F401

    call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())
    briefing = queued(personas.manager, year=2022)
    render_briefing.delay(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE, briefing.error
    with briefing.pdf.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "118,770" in text
    assert "核查" in text


# The pages ------------------------------------------------------------------------------------

PERSONAS = ["staff", "manager", "admin", "ent_a", "ent_b", "agency", "reviewer"]
ATTR = {
    "staff": "staff",
    "manager": "manager",
    "admin": "admin",
    "ent_a": "enterprise_a_user",
    "ent_b": "enterprise_b_user",
    "agency": "agency_user",
    "reviewer": "district_reviewer",
}
BUREAU = {"staff": 200, "manager": 200, "admin": 200}
OTHERS = {"ent_a": 403, "ent_b": 403, "agency": 403, "reviewer": 403}

# (url name, needs the briefing's pk, method, expected codes by persona)
MATRIX = [
    ("list", False, "get", {**BUREAU, **OTHERS}),
    ("create", False, "get", {**BUREAU, **OTHERS}),
    ("create", False, "post", {"staff": 302, "manager": 302, "admin": 302, **OTHERS}),
    ("detail", True, "get", {**BUREAU, **OTHERS}),
    ("download", True, "get", {**BUREAU, **OTHERS}),
]


@pytest.fixture
def done_briefing(personas, media) -> Briefing:
    """A briefing of someone else's, ready, rendered from the sample payload directly."""
    briefing = services.briefing_start(queued(personas.staff))
    return services.briefing_finish(briefing, pdf=briefing_pdf(sample_payloads()))


@pytest.mark.parametrize(
    ("name", "with_pk", "method", "expected"),
    MATRIX,
    ids=[f"{m[0]}-{m[2]}" for m in MATRIX],
)
def test_it_answers_each_persona_as_the_matrix_says(
    client, personas, done_briefing, name, with_pk, method, expected
):
    url = reverse(f"briefings:{name}", args=[done_briefing.pk] if with_pk else [])
    data = {"year": 2022, "district": ""} if method == "post" else None
    anonymous = getattr(client, method)(url, data)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    for persona in PERSONAS:
        client.force_login(getattr(personas, ATTR[persona]))
        response = getattr(client, method)(url, data)
        assert response.status_code == expected[persona], persona
    if method == "post":  # one new briefing per bureau persona's POST, none for the others
        assert Briefing.objects.count() == 1 + 3


def test_it_serves_the_pdf_as_a_private_attachment(client, personas, done_briefing):
    client.force_login(personas.manager)
    response = client.get(reverse("briefings:download", args=[done_briefing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="baotou-carbon-briefing-2022-city.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("status", [BriefingStatus.QUEUED, BriefingStatus.FAILED])
def test_it_has_nothing_to_download_before_the_briefing_is_ready(client, personas, status):
    briefing = queued(personas.manager)
    if status == BriefingStatus.FAILED:
        services.briefing_fail(briefing, error="boom")
    client.force_login(personas.manager)
    assert client.get(reverse("briefings:download", args=[briefing.pk])).status_code == 404


def test_it_answers_404_for_a_briefing_that_does_not_exist(client, personas):
    client.force_login(personas.manager)
    assert client.get(reverse("briefings:detail", args=[999_999])).status_code == 404


def test_it_requests_follows_and_downloads_a_briefing(
    client, personas, summary, media, django_capture_on_commit_callbacks
):
    GainComponentFactory(
        case=VerificationCaseFactory(enterprise=personas.enterprise_b, year=2022),
        allocation_change_t=Decimal("0"),
        emissions_change_t=Decimal("118770"),
    )
    savings_recompute(year=2022)
    summary()
    client.force_login(personas.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("briefings:create"), {"year": 2022, "district": District.QINGSHAN}
        )
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("briefings:detail", args=[briefing.pk])
    assert (briefing.year, briefing.district, briefing.requested_by) == (
        2022,
        District.QINGSHAN,
        personas.manager,
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-status="done"' in page.content
    assert b"hx-trigger" not in page.content  # ready: the page stops polling
    download = client.get(reverse("briefings:download", args=[briefing.pk]))
    assert "118,770" in pdf_text(b"".join(download.streaming_content))
    listing = client.get(reverse("briefings:list"))
    assert reverse("briefings:detail", args=[briefing.pk]).encode() in listing.content


def test_it_polls_a_briefing_being_prepared_every_two_seconds(client, personas):
    briefing = queued(personas.manager)
    client.force_login(personas.manager)
    page = client.get(reverse("briefings:detail", args=[briefing.pk]))
    assert b'hx-trigger="every 2s"' in page.content
    assert b"django_htmx/htmx-2.min.js" in page.content
    poll = client.get(reverse("briefings:detail", args=[briefing.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    assert b"<html" not in poll.content  # only the status block, swapped in place
    assert b'id="briefing-status"' in poll.content
    assert b'hx-trigger="every 2s"' in poll.content


def test_it_shows_a_failed_briefings_error_and_offers_it_again(client, personas):
    briefing = services.briefing_fail(queued(personas.manager, year=2021), error="KeyError: 'x'")
    client.force_login(personas.manager)
    page = client.get(reverse("briefings:detail", args=[briefing.pk]))
    assert b"KeyError: &#x27;x&#x27;" in page.content
    assert b"hx-trigger" not in page.content
    assert b'<option value="2021" selected>' in page.content


def test_it_refuses_a_year_outside_the_reporting_years(client, personas):
    client.force_login(personas.manager)
    response = client.post(reverse("briefings:create"), {"year": 1999, "district": ""})
    assert response.status_code == 400
    assert not Briefing.objects.exists()


def test_it_lists_only_the_users_own_briefings(client, personas):
    mine = queued(personas.manager, year=2021)
    theirs = queued(personas.staff, year=2020)
    client.force_login(personas.manager)
    content = client.get(reverse("briefings:list")).content
    assert reverse("briefings:detail", args=[mine.pk]).encode() in content
    assert reverse("briefings:detail", args=[theirs.pk]).encode() not in content


def test_it_lists_the_briefings_in_a_fixed_number_of_queries(
    client, personas, media, django_assert_num_queries
):
    for year in (2020, 2021):
        queued(personas.manager, year=year)
    services.briefing_finish(
        services.briefing_start(queued(personas.manager)), pdf=b"%PDF-1.7 tiny"
    )
    client.force_login(personas.manager)
    url = reverse("briefings:list")
    # 1 session, 2 user, 3 the user's recent briefings with their PDFs (one join)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


def test_it_shows_a_briefing_in_a_fixed_number_of_queries(
    client, personas, done_briefing, django_assert_num_queries
):
    client.force_login(personas.manager)
    url = reverse("briefings:detail", args=[done_briefing.pk])
    # 1 session, 2 user, 3 the briefing with its requester and PDF (one join)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


# Static files ---------------------------------------------------------------------------------


def test_it_collects_the_vendored_echarts_through_the_manifest_storage(settings, tmp_path):
    """Production hashes every static file and rewrites the references between them; a file
    naming a source map that is not there would fail here."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"vendor/echarts/echarts.min.js"' in manifest
    assert '"js/dashboard-charts.js"' in manifest
    assert (tmp_path / "vendor/echarts/LICENSE").exists()
