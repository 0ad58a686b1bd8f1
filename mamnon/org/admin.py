from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from mamnon.org.models import Membership, OrgLevel, OrgUnit, OrgUnitVersion, School, SchoolYear, Site, Staff


@admin.register(OrgLevel)
class OrgLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank", "is_school", "officer_role"]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "merged_into"]
    readonly_fields = ["path", "depth"]


@admin.register(OrgUnitVersion)
class OrgUnitVersionAdmin(admin.ModelAdmin):
    list_display = ["unit", "name", "parent", "valid_from", "valid_to", "change"]
    raw_id_fields = ["unit", "parent"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "ownership", "kind", "commune"]
    list_filter = ["ownership", "kind"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit", "commune"]
    inlines = [SiteInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Staff)
class StaffAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "unit", "position", "active"]
    search_fields = ["full_name"]
    raw_id_fields = ["unit", "user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "active"]
    list_filter = ["role", "active"]
    raw_id_fields = ["user", "unit"]


admin.site.register(SchoolYear, SimpleHistoryAdmin)
