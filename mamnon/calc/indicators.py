"""Indicator arithmetic, roll-up up the organisation tree and target status: pure numpy, no Django.

Values are always computed from *summed* numerators and denominators (DHIS2's rule): a district's share of
children in full-day groups is the district's children in such groups over the district's children, never
the mean of its schools' percentages.

Targets (chỉ tiêu) compare a value in one of the ways the seeds use (shared/domain/targets-from-seeds.md):
``>= x``, ``<= x``, ``= 0``, ``count >= n``, reduce by x points against a baseline period (the start of the
year), reduce by x points a year over a multi-year plan (seed 001, 2021-2025), not above the baseline
("khống chế"). Each comparison becomes a *goal* and a direction, and the status follows the issue's rules:

* achieved: the period is over and the target is met, or a target that can only be met once (a count) is met;
* on track: the latest value meets it, or the straight line from the baseline through the latest value
  reaches it by the end of the period;
* at risk: otherwise, while the period is open;
* not achieved: the period is over and it is not met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RATIO, COUNT, MEAN = "ratio", "count", "mean"

AT_LEAST = "at_least"
AT_MOST = "at_most"
ZERO = "zero"
COUNT_AT_LEAST = "count_at_least"
REDUCE_VS_BASELINE = "reduce_vs_baseline"
REDUCE_PER_YEAR = "reduce_per_year"
NOT_ABOVE_BASELINE = "not_above_baseline"
COMPARISONS = (AT_LEAST, AT_MOST, ZERO, COUNT_AT_LEAST, REDUCE_VS_BASELINE, REDUCE_PER_YEAR, NOT_ABOVE_BASELINE)

ACHIEVED, ON_TRACK, AT_RISK, NOT_ACHIEVED, NO_DATA = "achieved", "on_track", "at_risk", "not_achieved", "no_data"

EPS = 1e-9


# --- values ------------------------------------------------------------------------------------------------


def value(measure: str, numerator: float, denominator: float, factor: float = 100.0) -> float | None:
    """One value: a count is its numerator; a ratio or mean needs a positive denominator."""
    if measure == COUNT:
        return float(numerator)
    if denominator is None or denominator <= 0:
        return None
    return float(numerator) / float(denominator) * (factor if measure == RATIO else 1.0)


def values(measure: str, numerator: np.ndarray, denominator: np.ndarray, factor: float = 100.0) -> np.ndarray:
    """Vectorised ``value``: NaN where a ratio or mean has no denominator."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    if measure == COUNT:
        return num.copy()
    out = np.full(num.shape, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok] * (factor if measure == RATIO else 1.0)
    return out


# --- roll-up -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tree:
    """Each school paired with every unit it counts towards (itself and its ancestors), as flat arrays."""

    schools: np.ndarray  # the schools placed in the tree, sorted
    units: np.ndarray  # every unit that receives a value, sorted
    pair_school: np.ndarray  # index into ``schools``
    pair_unit: np.ndarray  # index into ``units``


def tree_from_paths(school_ids: Sequence[int], paths: Sequence[str]) -> Tree:
    """Pairs from each school's materialised path (``'1/4/9/'``: the school 9 counts for units 1, 4 and 9).

    A school appears once, so a unit moved or merged during the year is counted under one place only.
    """
    ids = np.asarray(school_ids, dtype=np.int64)
    if len(ids) != len(set(ids.tolist())):
        raise ValueError("a school may be placed only once in the tree")
    order = np.argsort(ids)
    ids = ids[order]
    paths = [paths[i] for i in order]
    parts = [[int(p) for p in path.split("/") if p] for path in paths]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    flat = np.fromiter((u for p in parts for u in p), dtype=np.int64, count=int(lengths.sum()))
    units, pair_unit = np.unique(flat, return_inverse=True)
    pair_school = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
    return Tree(schools=ids, units=units, pair_school=pair_school, pair_unit=pair_unit.astype(np.int64))


@dataclass
class Rolled:
    units: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    schools: np.ndarray  # how many schools contributed to each unit


def rollup(tree: Tree, school_ids, numerator, denominator) -> Rolled:
    """Sum numerators and denominators of schools up to every unit above them.

    Schools absent from the tree (closed before the period, outside the scope) are ignored; a school
    reported twice is an error. Units with no contributing school get zeros and ``schools == 0``.
    """
    ids = np.asarray(school_ids, dtype=np.int64)
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("a school's figures were reported twice")
    n = len(tree.schools)
    school_num = np.zeros(n)
    school_den = np.zeros(n)
    present = np.zeros(n)
    if len(ids) and n:
        pos = np.searchsorted(tree.schools, ids)
        pos_clipped = np.minimum(pos, n - 1)
        ok = (pos < n) & (tree.schools[pos_clipped] == ids)
        school_num[pos[ok]] = num[ok]
        school_den[pos[ok]] = den[ok]
        present[pos[ok]] = 1.0
    m = len(tree.units)
    w_num = school_num[tree.pair_school]
    w_den = school_den[tree.pair_school]
    return Rolled(
        units=tree.units,
        numerator=np.bincount(tree.pair_unit, weights=w_num, minlength=m),
        denominator=np.bincount(tree.pair_unit, weights=w_den, minlength=m),
        schools=np.bincount(tree.pair_unit, weights=present[tree.pair_school], minlength=m).astype(np.int64),
    )


# --- targets -----------------------------------------------------------------------------------------------


def needs_value(comparison: str) -> bool:
    return comparison not in (ZERO, NOT_ABOVE_BASELINE)


def needs_baseline(comparison: str) -> bool:
    return comparison in (REDUCE_VS_BASELINE, REDUCE_PER_YEAR, NOT_ABOVE_BASELINE)


@dataclass(frozen=True)
class Goal:
    level: float
    up: bool  # True: the value must reach at least ``level``; False: at most

    def met(self, v: float | None) -> bool:
        if v is None or np.isnan(v):
            return False
        return v >= self.level - EPS if self.up else v <= self.level + EPS


def goal(comparison: str, x: float | None, *, baseline: float | None = None, years: int = 1) -> Goal | None:
    """The level a value must reach (or stay under) by the end of the period; None without a baseline.

    ``years``: for a per-year reduction, how many yearly steps separate the baseline from the point judged.
    """
    if comparison in (AT_LEAST, COUNT_AT_LEAST):
        return Goal(float(x), True)
    if comparison == AT_MOST:
        return Goal(float(x), False)
    if comparison == ZERO:
        return Goal(0.0, False)
    if baseline is None or np.isnan(baseline):
        return None
    if comparison == REDUCE_VS_BASELINE:
        return Goal(baseline - float(x), False)
    if comparison == REDUCE_PER_YEAR:
        return Goal(baseline - float(x) * years, False)
    if comparison == NOT_ABOVE_BASELINE:
        return Goal(baseline, False)
    raise ValueError(f"unknown comparison {comparison!r}")


@dataclass(frozen=True)
class Point:
    day: dt.date  # the end of the period the value belongs to
    value: float


def _project(start: Point, latest: Point, day: dt.date) -> float | None:
    span = (latest.day - start.day).days
    if span <= 0:
        return None
    return start.value + (latest.value - start.value) * (day - start.day).days / span


def status(
    comparison: str,
    x: float | None,
    points: Sequence[Point],
    *,
    period_end: dt.date,
    today: dt.date,
    baseline: Point | None = None,
    years_total: int = 1,
    year_index=None,
) -> str:
    """The status of one target from its series of values (sorted by day, missing values left out).

    ``baseline``: the value of the baseline period (required by the reduce / not-above kinds; for the other
    kinds the line starts at the first point when no baseline is given). ``years_total``: for a per-year
    reduction, the yearly steps from the baseline to the end of the plan; ``year_index(day)`` gives the steps
    from the baseline to a point (to judge the latest value against that year's level).
    """
    points = [p for p in points if p.value is not None and not np.isnan(p.value)]
    if not points:
        return NO_DATA
    base_value = baseline.value if baseline is not None else None
    final = goal(comparison, x, baseline=base_value, years=years_total)
    if final is None:
        return NO_DATA
    latest = points[-1]
    if today > period_end:
        return ACHIEVED if final.met(latest.value) else NOT_ACHIEVED
    if comparison == COUNT_AT_LEAST and any(final.met(p.value) for p in points):
        return ACHIEVED  # a count once reached stays reached (new schools, e-schools, model sites)
    now = final
    if comparison == REDUCE_PER_YEAR and year_index is not None:
        now = goal(comparison, x, baseline=base_value, years=year_index(latest.day))
    if now.met(latest.value):
        return ON_TRACK
    start = baseline if baseline is not None else points[0]
    projected = _project(start, latest, period_end)
    if projected is not None and final.met(projected):
        return ON_TRACK
    return AT_RISK


# --- the cascade ---------------------------------------------------------------------------------------------


def _normal(comparison: str, x: float | None) -> tuple[str, float]:
    if comparison in (AT_LEAST, COUNT_AT_LEAST):
        return "up", float(x)
    if comparison == AT_MOST:
        return "down", float(x)
    if comparison == ZERO:
        return "down", 0.0
    if comparison == NOT_ABOVE_BASELINE:
        return "reduce", 0.0
    if comparison == REDUCE_VS_BASELINE:
        return "reduce", float(x)
    return "reduce_year", float(x)


def is_weaker(lower: tuple[str, float | None], upper: tuple[str, float | None]) -> bool | None:
    """Is the lower unit's target (comparison, value) less demanding than the upper unit's?

    None when the two cannot be compared (different kinds of comparison, e.g. a percentage and a reduction).
    """
    lk, lx = _normal(*lower)
    uk, ux = _normal(*upper)
    if lk != uk:
        return None
    if lk == "up":
        return lx < ux - EPS
    if lk == "down":
        return lx > ux + EPS
    return lx < ux - EPS  # reductions: a smaller cut is weaker
