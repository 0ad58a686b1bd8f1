"""Admin registrations (system administrators only); every change keeps its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mamnon.reporting.models import FormField, Report, ReportEvent, ReportForm, ValidationRule


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class ValidationRuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.register(ReportForm)
class ReportFormAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "unit", "period_type", "due_kind", "active"]
    list_filter = ["period_type", "active"]
    raw_id_fields = ["unit"]
    inlines = [FormFieldInline, ValidationRuleInline]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ["action", "actor", "comment", "at"]
    can_delete = False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["form", "unit", "period", "due_date", "status", "is_consolidation"]
    list_filter = ["status", "is_consolidation"]
    raw_id_fields = ["unit", "form", "submitted_by", "approved_by"]
    search_fields = ["unit__name", "period"]
    inlines = [ReportEventInline]
