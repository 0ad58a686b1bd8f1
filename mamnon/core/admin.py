from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from mamnon.core.models import User


@admin.register(User)
class MamnonUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "phone", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = UserAdmin.fieldsets + (("mamnon", {"fields": ["full_name", "phone"]}),)
