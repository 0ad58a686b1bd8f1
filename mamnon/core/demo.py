"""Registry of demo-data generators: each app registers one, `mamnon demo-data` runs them in order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

SCALES = ("small", "city", "national")


@dataclass
class DemoContext:
    scale: str
    seed: int
    rng: random.Random
    progress: Callable[[str, int], Callable[[int], None]]
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, password)
    data: dict = field(default_factory=dict)  # what one generator leaves for the next


@dataclass(frozen=True)
class Generator:
    name: str
    order: int
    func: Callable[[DemoContext], None]


_GENERATORS: dict[str, Generator] = {}


def register(name: str, order: int):
    """Decorator: ``@register("org", 10)`` on a function taking a DemoContext."""

    def wrap(func):
        _GENERATORS[name] = Generator(name, order, func)
        return func

    return wrap


def generators() -> list[Generator]:
    return sorted(_GENERATORS.values(), key=lambda g: g.order)
