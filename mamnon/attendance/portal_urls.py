"""The parent portal: a parent's own children only."""

from mamnon.attendance import urls_portal

app_name = "portal"
urlpatterns = urls_portal.urlpatterns
