"""The school day: calendar and attendance (urls_day), handovers and incidents (urls_handover)."""

from mamnon.attendance import urls_day, urls_handover

app_name = "attendance"
urlpatterns = urls_day.urlpatterns + urls_handover.urlpatterns
