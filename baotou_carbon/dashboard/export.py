"""The dashboard's figures as an Excel workbook: the same payload, one sheet per table."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook


def safe_cell(value):
    """Text a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def summary_workbook(payload: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Headline")[:31]
    head, help_ = payload["headline"], payload["assistance"]
    rows = [
        (_("Data year"), payload["year"]),
        (_("District"), payload["district_label"] or _("The whole city")),
        (_("Allowance gains (t)"), head["gain_t"]),
        (_("Savings (yuan)"), head["savings_yuan"]),
        (_("Carbon price (yuan/t)"), payload["price"]["yuan_per_t"]),
        (_("Price used"), payload["price"]["label"]),
        (_("Enterprises in shortfall"), head["shortfall_enterprises"]),
        (_("Enterprises projected in shortfall"), head["projected_shortfall_enterprises"]),
        (_("Listed enterprises"), head["listed_enterprises"]),
        (_("Assistance period"), f"{help_['period_start']} – {help_['period_end']}"),
        (_("On-site assistance"), help_["onsite"]["done"]),
        (_("On-site assistance target"), help_["onsite"]["target"]),
        (_("Remote assistance"), help_["remote"]["done"]),
        (_("Remote assistance target"), help_["remote"]["target"]),
        (_("Trainings"), help_["trainings"]["done"]),
        (_("Trainings target"), help_["trainings"]["target"]),
        (_("Enterprises visited"), help_["enterprises_covered"]),
        (_("Monthly evidence expected"), payload["evidence"]["expected"]),
        (_("Monthly evidence accepted"), payload["evidence"]["accepted"]),
        (_("Computed at"), payload["computed_at"]),
    ]
    for label, value in rows:
        sheet.append([safe_cell(label), safe_cell(value)])
    tables = [
        (_("By measure"), "measures", "label"),
        (_("By enterprise"), "by_enterprise", "name"),
        (_("By district"), "by_district", "label"),
        (_("By industry"), "by_industry", "label"),
    ]
    for title, key, label in tables:
        table = book.create_sheet(title[:31])
        table.append([_("Name"), _("Gain (t)"), _("Savings (yuan)")])
        for row in payload[key]:
            table.append([safe_cell(row[label]), row["tonnes"], row["yuan"]])
    months = book.create_sheet(_("Assistance by month")[:31])
    months.append([_("Month"), _("On-site"), _("Remote")])
    for row in payload["assistance_by_month"]:
        months.append([row["month"], row["onsite"], row["remote"]])
    output = BytesIO()
    book.save(output)
    return output.getvalue()
