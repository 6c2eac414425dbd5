from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DeadlineSettings,
    EmissionParameter,
    Finding,
    GainComponent,
    Holiday,
    VerificationCase,
)


@admin.register(EmissionParameter)
class EmissionParameterAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "fuel", "value", "status", "source"]
    list_filter = ["year", "kind", "status"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]


@admin.register(DeadlineSettings)
class DeadlineSettingsAdmin(SimpleHistoryAdmin):
    pass


class TemplateItemInline(admin.TabularInline):
    model = ChecklistTemplateItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "is_active"]
    inlines = [TemplateItemInline]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


class GainInline(admin.TabularInline):
    model = GainComponent
    extra = 0


@admin.register(VerificationCase)
class VerificationCaseAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "year", "agency", "status"]
    list_filter = ["year", "status", "agency"]
    list_select_related = ["enterprise", "agency"]
    search_fields = ["enterprise__name_zh", "enterprise__uscc"]
    inlines = [ChecklistItemInline, FindingInline, GainInline]
