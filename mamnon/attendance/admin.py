"""Administration of the school day's records (superusers; everyone else works through the pages)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mamnon.attendance.models import AbsenceRequest, Attendance, CalendarDay, GroupDay, Handover, Incident


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "unit", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    raw_id_fields = ["unit"]


@admin.register(GroupDay)
class GroupDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "group", "saved_by", "saved_at", "reopened_by", "reopened_until"]
    date_hierarchy = "date"
    raw_id_fields = ["school", "group", "saved_by", "reopened_by"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["date", "child", "group", "status", "recorded_by", "recorded_at"]
    list_filter = ["status"]
    date_hierarchy = "date"
    raw_id_fields = ["school", "group", "child", "recorded_by"]
    list_select_related = ["child", "group", "recorded_by"]


@admin.register(AbsenceRequest)
class AbsenceRequestAdmin(SimpleHistoryAdmin):
    list_display = ["child", "date_from", "date_to", "sick", "requested_at"]
    raw_id_fields = ["school", "child", "requested_by"]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ["date", "child", "group", "state", "confirmed_at", "pickup_at"]
    date_hierarchy = "date"
    raw_id_fields = ["school", "group", "child", "dropoff_by", "dropoff_recorded_by", "confirmed_by",
                     "pickup_guardian", "pickup_person", "pickup_override_by", "pickup_recorded_by"]


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_at", "school", "child", "place", "serious"]
    list_filter = ["serious"]
    raw_id_fields = ["school", "child", "group", "recorded_by"]
