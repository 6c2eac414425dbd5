from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class BureauUserAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "role",
        "enterprise",
        "agency",
        "district",
        "is_active",
    ]
    list_filter = ["role", "is_active", "district"]
    list_select_related = ["enterprise", "agency"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Role and binding"), {"fields": ("role", "enterprise", "agency", "district", "phone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and binding"), {"fields": ("role", "enterprise", "agency", "district")}),
    )
