"""Where the computed indicators come from: each domain app registers its indicator families here.

A *family* is one function that computes several indicator codes at once from one domain's records, with
one SQL aggregate grouped by school (never a query per school or a loop per row), for a period. It returns,
per code, the numerator and denominator of every school it covers as aligned numpy arrays. The indicators
engine sums them up the organisation tree (numerators and denominators, never percentages), applies the
factor and the formulas of ``mamnon.calc.indicators``, and stores the values.

A domain app declares its families in ``mamnon/<app>/indicators.py``::

    from mamnon.indicators.registry import SchoolValues, Window, family

    @family("GROWTH_MONITORED", "UNDERWEIGHT", "STUNTING")
    def growth_family(window: Window, school_ids) -> dict[str, SchoolValues]:
        ...

and imports that module in its AppConfig.ready(). For a count indicator the denominator is all ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Window:
    """The period an indicator is computed for (see ``mamnon.calc.periods``): its string, kind and dates.

    ``round_number`` is set for a measurement-round period (``2023-2024/R1`` -> 1).
    """

    code: str
    kind: str
    start: dt.date
    end: dt.date
    school_year: str | None = None
    round_number: int | None = None


@dataclass
class SchoolValues:
    """Numerators and denominators per school, aligned arrays of equal length."""

    school_ids: np.ndarray  # int64
    numerator: np.ndarray  # float64
    denominator: np.ndarray  # float64

    def __post_init__(self):
        self.school_ids = np.asarray(self.school_ids, dtype=np.int64)
        self.numerator = np.asarray(self.numerator, dtype=np.float64)
        self.denominator = np.asarray(self.denominator, dtype=np.float64)
        if not (len(self.school_ids) == len(self.numerator) == len(self.denominator)):
            raise ValueError("school_ids, numerator and denominator must have the same length")

    @classmethod
    def from_rows(cls, rows) -> SchoolValues:
        """From ``(school_id, numerator, denominator)`` rows, as an aggregate query returns them."""
        rows = list(rows)
        if not rows:
            return cls(np.empty(0), np.empty(0), np.empty(0))
        ids, num, den = zip(*rows, strict=True)
        return cls(np.array(ids), np.array(num, dtype=np.float64), np.array(den, dtype=np.float64))


Family = Callable[[Window, Sequence[int] | None], dict[str, SchoolValues]]

_FAMILIES: dict[str, Family] = {}


def family(*codes: str, sources: Sequence[str] = (), stock: bool = False, additive: bool = False,
           yearly: bool = False, key: Callable[[Window], object] | None = None):
    """Decorator registering a function as the source of the given indicator codes.

    The function takes ``(window, school_ids)`` (``None``: every school) and returns ``{code: SchoolValues}``
    for the codes it was registered for. A code has exactly one source.

    ``sources`` (optional): the models the family reads, as ``"app_label.Model"``; saving or deleting one of
    their rows marks the school year dirty so the values are refreshed (bulk writes that bypass signals
    call ``mamnon.indicators.services.mark_dirty`` themselves, or rely on the periodic refresh).

    ``stock=True`` (optional): the family counts a stock on one day (children enrolled on the window's last
    day, or today while it runs) and nothing else of the window; the engine then calls it once per distinct
    (school year, day) and reuses the result for the windows that share it (a year, its semester 2, its last
    month and round all end on the same day).

    ``additive=True`` (optional): the family's figures over a window are the sums of its figures over any
    split of the window into consecutive parts (counts of days, of events). The engine then calls it once
    for each elementary part of a school year (between consecutive boundaries of its periods) and adds
    the parts up for the year, semesters, rounds and months, so each record is read once.

    ``yearly=True`` (optional): the family's figures are the same for every window of a school year (ratings
    and groups of the year, facility records read as they are now); the engine calls it once per school year.

    ``key`` (optional): ``key(window)`` names what the figures depend on; windows with equal keys share one
    call (a measurement round: the round's window and the school year, which reads its last round).
    """
    if sum((stock, additive, yearly, key is not None)) > 1:
        raise ValueError("a family is at most one of stock, additive, yearly and key")

    def wrap(func: Family) -> Family:
        for code in codes:
            if code in _FAMILIES and _FAMILIES[code] is not func:
                raise ValueError(f"indicator {code} already has a source: {_FAMILIES[code].__qualname__}")
            _FAMILIES[code] = func
        func.indicator_codes = codes
        func.indicator_sources = tuple(sources)
        func.indicator_stock = stock
        func.indicator_additive = additive
        func.indicator_yearly = yearly
        func.indicator_key = key
        for label in sources:
            _watch(label)
        return func

    return wrap


# --- what several calls of one refresh read alike ------------------------------------------------------------

_SHARED: ContextVar[dict | None] = ContextVar("indicators_shared", default=None)


def shared(key, compute: Callable[[], object]):
    """``compute()``, once per refresh for a given ``key``: what several families, or several calls of one
    family, read alike (the children in each group on each stock day of a school year, the staff and their
    trainings). A family asks for it with a key naming everything the result depends on; outside a refresh
    (no shared cache set up by the engine) it is computed afresh every time.
    """
    cache = _SHARED.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def is_sharing() -> bool:
    """True inside a refresh that shares results between calls (a family may then compute more at once)."""
    return _SHARED.get() is not None


@contextmanager
def sharing(cache: dict) -> Iterator[None]:
    """Within the block, ``shared`` keeps its results in ``cache`` (the engine's memo of one refresh)."""
    token = _SHARED.set(cache)
    try:
        yield
    finally:
        _SHARED.reset(token)


def _on_source_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    from mamnon.indicators.services import mark_dirty

    mark_dirty()


def _watch(label: str) -> None:
    """Saving or deleting a row of ``label`` marks the current school year dirty.

    Receivers are connected to the named models only (a receiver for every model would turn off Django's
    fast delete everywhere). Families are registered from AppConfig.ready(), when models are loaded.
    """
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    model = apps.get_model(label)
    post_save.connect(_on_source_change, sender=model, weak=False, dispatch_uid=f"indicators-dirty-save-{label}")
    post_delete.connect(_on_source_change, sender=model, weak=False, dispatch_uid=f"indicators-dirty-del-{label}")


# Optional drill-down below the school: per group, and the children behind a number.
GroupDetail = Callable[[Window, int], dict[int, tuple[float, float]]]
ChildList = Callable[[Window, int, int | None], object]
_GROUP_DETAIL: dict[str, GroupDetail] = {}
_CHILD_LIST: dict[str, ChildList] = {}


def group_detail(*codes: str):
    """Decorator: ``func(window, school_id) -> {code: {group_id: (numerator, denominator)}}`` (one query)."""

    def wrap(func):
        for code in codes:
            _GROUP_DETAIL[code] = func
        return func

    return wrap


def child_list(*codes: str):
    """Decorator: ``func(code, window, school_id, group_id or None) -> Child queryset`` (the numerator's children).

    The caller restricts the queryset to what the user may see (core.scoping).
    """

    def wrap(func):
        for code in codes:
            _CHILD_LIST[code] = func
        return func

    return wrap


def group_detail_of(code: str):
    return _GROUP_DETAIL.get(code)


def child_list_of(code: str):
    return _CHILD_LIST.get(code)


def source_of(code: str) -> Family | None:
    return _FAMILIES.get(code)


def computed_codes() -> set[str]:
    return set(_FAMILIES)


def families() -> dict[Family, tuple[str, ...]]:
    """Each registered function once, with the codes it computes."""
    out: dict[Family, tuple[str, ...]] = {}
    for func in _FAMILIES.values():
        out[func] = func.indicator_codes
    return out
