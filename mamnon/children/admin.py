"""Admin registrations (system administrators only); every change keeps its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mamnon.children.models import (
    AuthorisedPickup,
    Child,
    ChildSupport,
    Enrolment,
    Group,
    GroupTeacher,
    Guardian,
    RuleOverride,
    Transfer,
)


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    fields = ["full_name", "relation", "phone", "is_primary", "user", "consent_at", "consent_version", "school"]
    raw_id_fields = ["user", "school"]


class PickupInline(admin.TabularInline):
    model = AuthorisedPickup
    extra = 0
    raw_id_fields = ["school"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["group", "school"]


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "birth_date", "sex", "school", "status"]
    list_filter = ["status", "sex"]
    search_fields = ["full_name", "name_folded", "personal_id"]
    raw_id_fields = ["school", "residence_commune"]
    list_select_related = ["school__unit"]
    inlines = [GuardianInline, PickupInline, EnrolmentInline]


@admin.register(ChildSupport)
class ChildSupportAdmin(SimpleHistoryAdmin):
    list_display = ["child", "disability_type", "disability_level", "poor_household", "near_poor_household",
                    "orphan"]
    raw_id_fields = ["child", "school"]
    list_select_related = ["child"]


@admin.register(Guardian)
class GuardianAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "relation", "phone", "child", "is_primary", "consent_at"]
    search_fields = ["full_name", "phone"]
    raw_id_fields = ["child", "school", "user"]
    list_select_related = ["child"]


@admin.register(AuthorisedPickup)
class AuthorisedPickupAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "relation", "child", "valid_from", "valid_to"]
    raw_id_fields = ["child", "school"]
    list_select_related = ["child"]


class GroupTeacherInline(admin.TabularInline):
    model = GroupTeacher
    extra = 0
    raw_id_fields = ["staff", "school"]


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "school_year", "age_band", "full_day", "semi_boarding", "active"]
    list_filter = ["school_year", "age_band", "active"]
    search_fields = ["name"]
    raw_id_fields = ["school", "site"]
    list_select_related = ["school__unit", "school_year"]
    inlines = [GroupTeacherInline]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["child", "group", "start_date", "end_date", "start_reason", "end_reason"]
    list_filter = ["start_reason", "end_reason"]
    raw_id_fields = ["child", "group", "school"]
    list_select_related = ["child", "group"]


@admin.register(Transfer)
class TransferAdmin(SimpleHistoryAdmin):
    list_display = ["child", "school", "to_school", "released_at", "accepted_at"]
    raw_id_fields = ["child", "school", "to_school", "released_by", "accepted_by"]
    list_select_related = ["child", "school__unit", "to_school__unit"]


@admin.register(RuleOverride)
class RuleOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["rule_code", "school", "group", "decided_by", "decided_at"]
    raw_id_fields = ["school", "group", "decided_by"]
    list_select_related = ["school__unit", "group", "decided_by"]
