"""Children, groups and enrolment (urls_main) and Excel rosters (urls_roster)."""

from mamnon.children import urls_main, urls_roster

app_name = "children"
urlpatterns = urls_main.urlpatterns + urls_roster.urlpatterns
