"""Admin registrations (system administrators only); every change keeps its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mamnon.fees.models import FeeTable, MonthlyFee, Payment, Statement, SupportEligibility, SupportPolicy


class MonthlyFeeInline(admin.TabularInline):
    model = MonthlyFee
    extra = 0
    raw_id_fields = ["school"]


@admin.register(FeeTable)
class FeeTableAdmin(SimpleHistoryAdmin):
    list_display = ["school", "school_year", "food_per_day", "fuel_per_day", "policy"]
    raw_id_fields = ["school"]
    inlines = [MonthlyFeeInline]


@admin.register(SupportPolicy)
class SupportPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "amount_per_month", "max_months_per_year", "effective_from"]
    raw_id_fields = ["unit"]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "child", "month", "total", "paid"]
    raw_id_fields = ["school", "child", "table", "carried_into", "issued_by"]
    search_fields = ["reference"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "amount", "method", "paid_on", "bank_ref"]
    raw_id_fields = ["school", "statement", "child", "bank_import", "recorded_by"]


@admin.register(SupportEligibility)
class SupportEligibilityAdmin(SimpleHistoryAdmin):
    list_display = ["child", "situation", "evidence", "valid_from", "valid_to", "school"]
    raw_id_fields = ["school", "child", "recorded_by"]
