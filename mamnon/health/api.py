"""API of the health domain, scoped like the pages: measurements and rounds (api_rounds), checks (api_checks)."""

from mamnon.health import api_checks, api_rounds


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    api_rounds.register(router)
    api_checks.register(router)
