"""The manager dashboard's figures for one data year (2022 = the verification of 2022 data), of
the city or one district: one payload the page, its charts, the Excel export, the summary API
and the leadership briefing all read, built from the apps' selectors only.

Every number is a decimal string (tonnes to three places, yuan to two), every label already in
the active language, and every figure carries the URL of the records behind it. The savings
come from the snapshot the recompute writes (`computed_at` says when).

The assistance figures cover the season in which the year's data is verified and surrendered:
from 1 January of the year after to 31 January of the year after that (the story's 2023-01-01
→ 2024-01-31 for 2022 data), never beyond today, against the targets of that season's first
year. Queries: 11 (see `tests/test_dashboard.py`), whatever the number of enterprises.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from allocation import selectors as allocation
from allocation.models import Measure, ReliefStatus
from assistance import selectors as assistance
from assistance.models import Measure as AssistanceMeasure
from assistance.models import Mode
from baotou_carbon.core.years import FIRST_YEAR
from enterprises.models import District, Industry
from verification import selectors as verification

TONNES = Decimal("0.001")
YUAN = Decimal("0.01")
RATIO = Decimal("0.001")

BUCKET_LABELS = {
    "none": lambda: _("No shortfall"),
    "under_5": lambda: _("Short by under 5%"),
    "5_to_10": lambda: _("Short by 5–10%"),
    "10_to_20": lambda: _("Short by 10–20%"),
    "over_20": lambda: _("Short by at least 20%"),
}


def _t(value: Decimal | None) -> str:
    return str((value or Decimal(0)).quantize(TONNES))


def _yuan(value: Decimal | None) -> str:
    return str((value or Decimal(0)).quantize(YUAN))


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def assistance_period(year: int, today: date) -> tuple[date, date]:
    """The season of the year's verification and compliance, up to today."""
    since, until = date(year + 1, 1, 1), date(year + 2, 1, 31)
    if since > today:  # the year's data is not yet verified: its own year so far
        since = date(year, 1, 1)
    return since, min(until, today)


def dashboard_summary(*, year: int, district: str | None = None) -> dict:
    today = timezone.localdate()
    district = district or None
    breakdown = allocation.savings_breakdown(year=year, district=district)
    top = allocation.top_savings_enterprises(year=year, district=district)
    positions = allocation.position_counts(year=year, district=district)
    relief = allocation.relief_counts(year=year, district=district)
    evidence = verification.evidence_completeness(year=year, today=today, district=district)
    since, until = assistance_period(year, today)
    help_ = assistance.assistance_summary(since=since, until=until, district=district)

    savings_url = "allocation:savings_list"
    price = breakdown.price_yuan_per_t
    return {
        "year": year,
        "district": district,
        "district_label": str(District(district).label) if district else None,
        "computed_at": breakdown.computed_at.isoformat() if breakdown.computed_at else None,
        "price": {
            "yuan_per_t": str(price) if price is not None else None,
            "on": breakdown.price_on.isoformat() if breakdown.price_on else None,
            "label": (
                _("CEA close on %(date)s") % {"date": breakdown.price_on.isoformat()}
                if breakdown.price_on
                else _("No carbon price recorded for this year's valuation")
            ),
        },
        "headline": {
            "gain_t": _t(breakdown.total.gain_t),
            "savings_yuan": _yuan(breakdown.total.savings_yuan),
            "relief_t": _t(breakdown.relief.gain_t),
            "relief_yuan": _yuan(breakdown.relief.savings_yuan),
            "shortfall_enterprises": positions["shortfall"] or 0,
            "projected_shortfall_enterprises": positions["projected_shortfall"] or 0,
            "listed_enterprises": evidence.listed,
            # The rows behind the headline: gains only, as the relief is shown beside them.
            "gain_url": _url(savings_url, year=year, counted="gains", district=district),
            "shortfall_url": _url(
                "allocation:position_list", year=year, status="shortfall", district=district
            ),
            "projected_url": _url("allocation:early_warning", year=year),
        },
        "assistance": {
            "period_start": since.isoformat(),
            "period_end": until.isoformat(),
            "onsite": {
                "done": help_.done[AssistanceMeasure.ON_SITE_VISITS],
                "target": help_.targets[AssistanceMeasure.ON_SITE_VISITS],
                "url": _url(
                    "assistance:visit_list",
                    mode=Mode.ON_SITE,
                    status="done",
                    since=since,
                    until=until,
                    district=district,
                ),
            },
            "remote": {
                "done": help_.done[AssistanceMeasure.REMOTE_SESSIONS],
                "target": help_.targets[AssistanceMeasure.REMOTE_SESSIONS],
                "url": _url(
                    "assistance:visit_list",
                    mode=Mode.REMOTE,
                    status="done",
                    since=since,
                    until=until,
                    district=district,
                ),
            },
            "trainings": {
                "done": help_.done[AssistanceMeasure.ON_SITE_TRAININGS]
                + help_.done[AssistanceMeasure.ONLINE_TRAININGS],
                "target": _sum_targets(
                    help_.targets[AssistanceMeasure.ON_SITE_TRAININGS],
                    help_.targets[AssistanceMeasure.ONLINE_TRAININGS],
                ),
                "url": _url("assistance:training_list", year=since.year),
            },
            "enterprises_covered": help_.enterprises_visited,
            "enterprises_listed": evidence.listed,
        },
        "relief_by_status": [
            {
                "status": status,
                "label": str(ReliefStatus(status).label),
                "count": relief.get(status, 0),
                "url": _url("allocation:relief_list", year=year, status=status),
            }
            for status in ReliefStatus.values
            if relief.get(status)
        ],
        "evidence": {
            "expected": evidence.expected,
            "submitted": evidence.submitted,
            "accepted": evidence.accepted,
            "share": str(evidence.share.quantize(RATIO)) if evidence.share is not None else None,
            "url": _url("verification:evidence_board", year=year),
        },
        "measures": [
            {
                "measure": measure,
                "label": str(Measure(measure).label),
                "tonnes": _t(totals.gain_t),
                "yuan": _yuan(totals.savings_yuan),
                "url": _url(savings_url, year=year, measure=measure, district=district),
            }
            for measure, totals in breakdown.by_measure.items()
        ],
        "by_enterprise": [
            {
                "enterprise_id": row["enterprise_id"],
                "name": _name(row["enterprise__name_zh"], row["enterprise__name_en"]),
                "tonnes": _t(row["gain_t"]),
                "yuan": _yuan(row["savings_yuan"]),
                "url": _url(
                    savings_url, year=year, counted="gains", enterprise=row["enterprise_id"]
                ),
            }
            for row in top
        ],
        "by_district": _ranking(breakdown.by_district, District, "district", year, district),
        "by_industry": _ranking(breakdown.by_industry, Industry, "industry", year, district),
        "assistance_by_month": [
            {"month": month.strftime("%Y-%m"), "onsite": on_site, "remote": remote}
            for month, on_site, remote in help_.by_month
        ],
        "shortfall_distribution": [
            {
                "bucket": name,
                "label": BUCKET_LABELS[name](),
                "count": positions[f"bucket:{name}"] or 0,
                "url": _url(
                    "allocation:position_list",
                    year=year,
                    status="shortfall" if name != "none" else None,
                    district=district,
                ),
            }
            for name, _low, _high in allocation.SHORTFALL_BUCKETS
        ],
    }


def _name(name_zh: str, name_en: str) -> str:
    """A name in the active language, falling back to the other."""
    english = (get_language() or "").startswith("en")
    return (name_en or name_zh) if english else (name_zh or name_en)


def _sum_targets(*targets: int | None) -> int | None:
    known = [t for t in targets if t is not None]
    return sum(known) if known else None


def _ranking(totals: dict, choices, key: str, year: int, district: str | None) -> list[dict]:
    """Gains (relief left out) by district or industry, each linking to its rows: of the
    dashboard's district too, when it shows one."""
    rows = sorted(totals.items(), key=lambda item: (-item[1].savings_yuan, item[0]))
    return [
        {
            "key": value,
            "label": str(choices(value).label) if value in choices.values else value,
            "tonnes": _t(total.gain_t),
            "yuan": _yuan(total.savings_yuan),
            "url": _url(
                "allocation:savings_list",
                **{"year": year, "counted": "gains", "district": district, key: value},
            ),
        }
        for value, total in rows
    ]


def dashboard_years() -> list[int]:
    """The data years the dashboard offers, latest first: every reporting year up to last
    year (the current year's data is verified next year)."""
    return list(range(timezone.localdate().year - 1, FIRST_YEAR - 1, -1))


def default_year() -> int:
    """The latest year with savings figures, else last year."""
    years = allocation.savings_years()
    return years[0] if years else timezone.localdate().year - 1
