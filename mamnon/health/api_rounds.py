"""Health API (api_rounds)."""


def register(router) -> None:
    pass
