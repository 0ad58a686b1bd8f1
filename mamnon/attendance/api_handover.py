"""API viewsets; ``register`` adds them to the project router."""


def register(router) -> None:
    pass
