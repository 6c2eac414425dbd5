import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, GeneratingUnit, VerificationAgency


class EnterpriseTable(tables.Table):
    name_zh = tables.Column(linkify=True, verbose_name=_("Name (Chinese)"))
    unit_count = tables.Column(verbose_name=_("Units"), attrs={"td": {"class": "text-end"}})

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
    facility = tables.Column(accessor="facility__name_zh", verbose_name=_("Facility"))

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


class AgencyTable(tables.Table):
    name_zh = tables.Column(linkify=True, verbose_name=_("Name (Chinese)"))
    user_count = tables.Column(verbose_name=_("Users"))

    class Meta:
        model = VerificationAgency
        fields = ["name_zh", "name_en", "uscc", "contact_name", "phone", "user_count", "is_active"]
        empty_text = _("No verification agency matches these filters.")
