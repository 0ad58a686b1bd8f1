"""API of the reporting domain, scoped like the pages."""


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
