import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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
