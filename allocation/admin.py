from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Benchmark, RuleSet


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "basis", "status", "plan")
    inlines = [BenchmarkInline]
