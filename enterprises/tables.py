import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, GeneratingUnit, VerificationAgency

NOWRAP = {"td": {"class": "text-nowrap"}}
# Secondary columns step aside on a phone; exports keep every column.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class YesNoExportMixin:
    """Booleans show as a tick on the page and as Yes/No in an export."""

    def value_is_active(self, value) -> str:
        return str(_("Yes") if value else _("No"))


class EnterpriseTable(YesNoExportMixin, tables.Table):
    name_zh = tables.Column(linkify=True, verbose_name=_("Name (Chinese)"))
    name_en = tables.Column(attrs=WIDE_ONLY)
    uscc = tables.Column(attrs={"td": {"class": "text-nowrap font-monospace small"}})
    district = tables.Column(attrs=NOWRAP)
    industry = tables.Column(attrs=WIDE_ONLY)
    registry_account = tables.Column(attrs=WIDE_ONLY)
    unit_count = tables.Column(
        verbose_name=_("Units"),
        attrs={
            "td": {"class": "text-end d-none d-md-table-cell"},
            "th": {"class": "d-none d-md-table-cell"},
        },
    )
    is_active = tables.BooleanColumn(attrs=NOWRAP)

    class Meta:
        model = Enterprise
        fields = [
            "name_zh",
            "name_en",
            "uscc",
            "district",
            "industry",
            "registry_account",
            "unit_count",
            "is_active",
        ]
        order_by = "name_zh"
        empty_text = _("No enterprise matches these filters.")


class UnitTable(tables.Table):
    enterprise = tables.Column(
        accessor="facility__enterprise__name_zh",
        verbose_name=_("Enterprise"),
        linkify=lambda record: record.facility.enterprise.get_absolute_url(),
    )
    enterprise_uscc = tables.Column(
        accessor="facility__enterprise__uscc", verbose_name=_("Credit code"), visible=False
    )
    facility = tables.Column(
        accessor="facility__name_zh", verbose_name=_("Facility"), attrs=WIDE_ONLY
    )
    code = tables.Column(attrs=NOWRAP)
    capacity_mw = tables.Column(attrs={"td": {"class": "text-end text-nowrap"}})
    cooling = tables.Column(attrs=WIDE_ONLY)
    operating_mode = tables.Column(attrs=WIDE_ONLY)
    is_cfb = tables.BooleanColumn(attrs=WIDE_ONLY)

    class Meta:
        model = GeneratingUnit
        fields = [
            "enterprise",
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
        order_by = ("enterprise", "code")
        empty_text = _("No generating unit matches these filters.")

    def value_is_cfb(self, value) -> str:
        return str(_("Yes") if value else _("No"))


class AgencyTable(YesNoExportMixin, tables.Table):
    name_zh = tables.Column(linkify=True, verbose_name=_("Name (Chinese)"))
    name_en = tables.Column(attrs=WIDE_ONLY)
    uscc = tables.Column(attrs={"td": {"class": "text-nowrap font-monospace small"}})
    user_count = tables.Column(verbose_name=_("Users"), attrs=WIDE_ONLY)
    is_active = tables.BooleanColumn(attrs=NOWRAP)

    class Meta:
        model = VerificationAgency
        fields = ["name_zh", "name_en", "uscc", "contact_name", "phone", "user_count", "is_active"]
        empty_text = _("No verification agency matches these filters.")
