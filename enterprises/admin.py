from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contact,
    Enterprise,
    EnterpriseApiToken,
    Facility,
    GeneratingUnit,
    KeyEmitterListing,
    VerificationAgency,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ListingInline(admin.TabularInline):
    model = KeyEmitterListing
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "uscc", "district", "industry", "is_active"]
    list_filter = ["district", "industry", "is_active"]
    search_fields = ["name_zh", "name_en", "uscc"]
    inlines = [ContactInline, ListingInline]


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "enterprise", "kind"]
    list_select_related = ["enterprise"]
    search_fields = ["name_zh", "enterprise__name_zh"]


@admin.register(GeneratingUnit)
class GeneratingUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "facility", "allocation_category", "capacity_mw", "main_fuel"]
    list_filter = ["allocation_category", "main_fuel"]
    list_select_related = ["facility"]


@admin.register(VerificationAgency)
class VerificationAgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "uscc", "is_active"]
    search_fields = ["name_zh", "uscc"]


@admin.register(EnterpriseApiToken)
class EnterpriseApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are issued on the enterprise's page (the key is shown there once); here they are
    only looked at."""

    list_display = [
        "name",
        "enterprise",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["enterprise", "user"]
    search_fields = ["name", "prefix", "enterprise__name_zh"]
    readonly_fields = [f.name for f in EnterpriseApiToken._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
