from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from . import calculations
from .models import AnnualReport, EmissionParameter, Holiday, VerificationCase


class CaseTable(tables.Table):
    enterprise = tables.Column(
        accessor="enterprise__name_zh",
        verbose_name=_("Enterprise"),
        linkify=lambda record: record.get_absolute_url(),
    )
    agency = tables.Column(accessor="agency__name_zh", verbose_name=_("Verification agency"))
    finding_count = tables.Column(verbose_name=_("Findings"), attrs={"td": {"class": "text-end"}})
    open_finding_count = tables.Column(
        verbose_name=_("Open findings"), attrs={"td": {"class": "text-end"}}
    )

    class Meta:
        model = VerificationCase
        fields = [
            "enterprise",
            "year",
            "agency",
            "status",
            "reported_emissions_t",
            "verified_emissions_t",
            "finding_count",
            "open_finding_count",
            "notified_on",
        ]
        order_by = ("-year", "enterprise")
        empty_text = _("No verification case matches these filters.")


class ParameterTable(tables.Table):
    edit = tables.LinkColumn(
        "verification:parameter_update",
        args=[tables.A("pk")],
        text=_("Edit"),
        orderable=False,
        verbose_name="",
        exclude_from_export=True,
    )

    class Meta:
        model = EmissionParameter
        fields = ["year", "kind", "fuel", "value", "status", "source", "edit"]
        order_by = ("-year", "kind")
        empty_text = _("No parameter recorded.")


class HolidayTable(tables.Table):
    edit = tables.LinkColumn(
        "verification:holiday_update",
        args=[tables.A("pk")],
        text=_("Edit"),
        orderable=False,
        verbose_name="",
        exclude_from_export=True,
    )

    class Meta:
        model = Holiday
        fields = ["date", "kind", "name", "edit"]
        order_by = ("date",)
        empty_text = _("No calendar exception recorded.")


class ReportTable(tables.Table):
    enterprise = tables.Column(
        accessor="enterprise__name_zh",
        verbose_name=_("Enterprise"),
        linkify=lambda record: record.get_absolute_url(),
    )

    class Meta:
        model = AnnualReport
        fields = ["enterprise", "year", "version", "status", "submitted_at", "reviewed_at"]
        order_by = ("-year", "enterprise", "-version")
        empty_text = _("No report matches these filters.")


def _percent(value) -> Decimal | str:
    return "—" if value is None else calculations.percent(value)


class ScorecardTable(tables.Table):
    """The agency scorecards as exported (?_export=xlsx): the page's figures, rounded as shown;
    an empty share is "—" (its columns take None as a value, not as an empty cell)."""

    agency = tables.Column(verbose_name=_("Verification agency"), empty_values=())
    cases = tables.Column(verbose_name=_("Cases"))
    on_time = tables.Column(verbose_name=_("On time"))
    late = tables.Column(verbose_name=_("Late"))
    not_due = tables.Column(verbose_name=_("Not yet due"))
    on_time_share = tables.Column(verbose_name=_("On time (%)"), empty_values=())
    findings = tables.Column(verbose_name=_("Findings"))
    findings_per_case = tables.Column(verbose_name=_("Findings per case"), empty_values=())
    findings_rectified = tables.Column(verbose_name=_("Findings rectified"))
    rectified_share = tables.Column(verbose_name=_("Rectified (%)"), empty_values=())
    objections = tables.Column(verbose_name=_("Objections"))
    objections_overturned = tables.Column(verbose_name=_("Objections upheld"))
    re_reviews = tables.Column(verbose_name=_("Re-reviews"))
    re_reviews_overturned = tables.Column(verbose_name=_("Re-reviews changing figures"))
    gain_t = tables.Column(verbose_name=_("Gains found (t)"))

    class Meta:
        orderable = False

    def value_agency(self, record) -> str:
        return str(record.agency) if record.agency is not None else str(_("Total"))

    def value_on_time_share(self, value):
        return _percent(value)

    def value_rectified_share(self, value):
        return _percent(value)

    def value_findings_per_case(self, value):
        return "—" if value is None else calculations.round_ratio(value)

    def value_gain_t(self, value):
        return calculations.round_t(value)
