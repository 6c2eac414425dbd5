from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attendee,
    Draw,
    FollowUp,
    Invitation,
    Target,
    Training,
    TrainingTopic,
    Visit,
)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["enterprise", "action", "owner", "due_on", "status"]
    readonly_fields = ["status"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["started_at", "mode", "status", "occasion"]
    list_filter = ["mode", "status", "occasion"]
    date_hierarchy = "started_at"
    filter_horizontal = ["enterprises", "staff"]
    inlines = [FollowUpInline]


@admin.register(Draw)
class DrawAdmin(SimpleHistoryAdmin):
    list_display = ["title", "drawn_at", "seed", "enterprise_count", "supersedes"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a published draw is never edited; a redraw replaces it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingTopic)
class TrainingTopicAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0


@admin.register(Training)
class TrainingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "title", "mode"]
    list_filter = ["mode"]
    inlines = [InvitationInline]


@admin.register(Attendee)
class AttendeeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "invitation", "attended"]
    list_select_related = ["invitation__enterprise", "invitation__training"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "measure", "target"]
    list_filter = ["year"]
