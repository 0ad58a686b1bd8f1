"""Health API (api_checks)."""


def register(router) -> None:
    pass
