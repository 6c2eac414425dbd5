"""The leadership briefing: the manager dashboard's summary as a bilingual A4 PDF.

`briefing_pdf({"zh-hans": payload_zh, "en": payload_en})` takes the summary payload built in
each language (the dashboard's contract: decimal strings, labels already translated) and
renders `dashboard/briefing.html` with WeasyPrint: the Chinese part first, then the English
part, each under its own language, with server-side SVG charts (no browser). Pure
presentation: no ORM, no request.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .charts import PALETTE, Series, bar_chart, bars, horizontal_bar_chart, stacked_month_chart
from .numbers import format_count, format_yuan, to_decimal

# The briefing's parts, in print order, and each one's `lang` attribute (zh-CN picks the
# Simplified Chinese face of Noto Sans CJK).
BRIEFING_LANGUAGES = ("zh-hans", "en")
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}
TEMPLATE = "dashboard/briefing.html"


def briefing_pdf(payloads: Mapping[str, dict]) -> bytes:
    """The PDF's bytes. `payloads` gives the summary built in each language of
    BRIEFING_LANGUAGES; a language it lacks is left out (at least one is needed)."""
    from weasyprint import HTML  # heavy: loaded when a briefing is rendered, not at start-up

    return HTML(string=briefing_html(payloads)).write_pdf()


def briefing_html(payloads: Mapping[str, dict]) -> str:
    parts = []
    for language in BRIEFING_LANGUAGES:
        if language in payloads:
            with translation.override(language):
                parts.append(briefing_part(language, payloads[language]))
    if not parts:
        raise ValueError(f"briefing_pdf needs a payload in one of {BRIEFING_LANGUAGES}")
    return render_to_string(TEMPLATE, {"parts": parts, "printed_at": timezone.now()})


def briefing_part(language: str, payload: dict) -> dict:
    """What one language's part shows, prepared under that language (active when called)."""
    return {
        "language": language,
        "lang": HTML_LANG[language],
        "p": payload,
        "computed_at": parse_datetime(payload.get("computed_at") or ""),
        "assistance_rows": assistance_rows(payload.get("assistance") or {}),
        "measures_total": {
            "tonnes": _total(payload.get("measures") or [], "tonnes"),
            "yuan": _total(payload.get("measures") or [], "yuan"),
        },
        "charts": briefing_charts(payload),
    }


def assistance_rows(assistance: dict) -> list[dict]:
    """On-site, remote and trainings: done, target (None when none was set) and the share of
    the target reached."""
    rows = []
    for key, label in (
        ("onsite", _("On-site assistance")),
        ("remote", _("Remote guidance")),
        ("trainings", _("Trainings")),
    ):
        figures = assistance.get(key) or {}
        done, target = figures.get("done") or 0, figures.get("target")
        share = Decimal(done) / Decimal(target) if target else None
        rows.append({"key": key, "label": label, "done": done, "target": target, "share": share})
    return rows


def briefing_charts(payload: dict) -> dict:
    """The briefing's four charts, worded in the active language."""
    months = payload.get("assistance_by_month") or []
    return {
        "measures": bar_chart(
            bars(payload.get("measures") or [], value="yuan", formatter=format_yuan),
            title=_("Savings by measure (yuan)"),
            empty_text=_("No savings recorded yet."),
        ),
        "enterprises": horizontal_bar_chart(
            bars(
                payload.get("by_enterprise") or [],
                value="yuan",
                label="name",
                formatter=format_yuan,
            ),
            title=_("Enterprises with the largest savings (yuan)"),
            empty_text=_("No enterprise has savings recorded yet."),
        ),
        "assistance": stacked_month_chart(
            [row["month"] for row in months],
            [
                Series(_("On-site"), _column(months, "onsite"), PALETTE[0]),
                Series(_("Remote"), _column(months, "remote"), PALETTE[1]),
            ],
            title=_("Assistance sessions by month"),
            empty_text=_("No assistance recorded in this period."),
        ),
        "shortfall": bar_chart(
            bars(
                payload.get("shortfall_distribution") or [], value="count", formatter=format_count
            ),
            title=_("Enterprises by allowance shortfall"),
            empty_text=_("No positions computed yet."),
        ),
    }


def _column(rows: list[dict], key: str) -> tuple[Decimal, ...]:
    return tuple(to_decimal(row.get(key)) or Decimal(0) for row in rows)


def _total(rows: list[dict], key: str) -> Decimal:
    return sum((to_decimal(row.get(key)) or Decimal(0) for row in rows), Decimal(0))
