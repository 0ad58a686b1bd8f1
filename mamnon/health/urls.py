"""Health pages: rounds, measurements and statistics (urls_rounds); charts and health checks (urls_checks)."""

from mamnon.health import urls_checks, urls_rounds

app_name = "health"
urlpatterns = urls_rounds.urlpatterns + urls_checks.urlpatterns
