"""School days, register locks, attendance rates and meal counts as plain arithmetic (no Django).

The school week is Monday to Friday. A calendar exception (holiday, closure, make-up day) set at a unit
applies to everything below it; where several units set the same date, the one deepest in the tree (the
school's own decision) wins, so a school can hold a make-up Saturday the province did not declare, or
close on a day its district kept open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

HOLIDAY = "holiday"
CLOSURE = "closure"
MAKE_UP = "make_up"
OFF_KINDS = (HOLIDAY, CLOSURE)
ONE_DAY = dt.timedelta(days=1)


def date_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def school_days(start: dt.date, end: dt.date, exceptions: Iterable[tuple[dt.date, str, int]]) -> list[dt.date]:
    """Monday-Friday from ``start`` to ``end`` (inclusive), minus holidays and closures, plus make-up days.

    ``exceptions`` are (date, kind, depth of the unit that set it); the deepest unit's entry wins.
    """
    chosen: dict[dt.date, tuple[int, str]] = {}
    for day, kind, depth in exceptions:
        if day not in chosen or depth > chosen[day][0]:
            chosen[day] = (depth, kind)
    out = []
    for day in date_range(start, end):
        entry = chosen.get(day)
        if entry is None:
            if day.weekday() < 5:
                out.append(day)
        elif entry[1] == MAKE_UP:
            out.append(day)
    return out


def count_days_in_ranges(days: Sequence[dt.date], ranges: Sequence[tuple[dt.date, dt.date]]) -> np.ndarray:
    """For each (first, last) range, how many of the sorted ``days`` fall in it (vectorised)."""
    if not ranges:
        return np.zeros(0, dtype=int)
    ordinals = np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))
    firsts = np.fromiter((a.toordinal() for a, _b in ranges), dtype=np.int64, count=len(ranges))
    lasts = np.fromiter((b.toordinal() for _a, b in ranges), dtype=np.int64, count=len(ranges))
    counts = np.searchsorted(ordinals, lasts, side="right") - np.searchsorted(ordinals, firsts, side="left")
    return np.maximum(counts, 0)


def rate(present: int, possible: int) -> float | None:
    """present / possible, or None when there was no school day to attend."""
    return present / possible if possible else None


# --- the register's lock ---------------------------------------------------------------------------

OPEN = "open"
REOPENED = "reopened"
LOCKED_PAST = "past"
LOCKED_HOUR = "after_hour"
FUTURE = "future"


def hour_to_time(hour: Decimal | float | int) -> dt.time:
    """A configured hour (17, 16.5) as a time of day."""
    minutes = int(round(float(hour) * 60))
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return dt.time(minutes // 60, minutes % 60)


def register_lock(
    *, day: dt.date, now_local: dt.datetime, lock_hour: Decimal | float | int, exempt: bool,
    reopened_until: dt.datetime | None,
) -> str:
    """Whether a register may be edited now, and if not why.

    Teachers edit today's register until the lock hour; past days are locked; a principal or
    vice-principal (``exempt``) edits any past day, and may reopen a day for teachers until
    ``reopened_until``. Nobody takes attendance for a day that has not come.
    """
    today = now_local.date()
    if day > today:
        return FUTURE
    if exempt:
        return OPEN
    if reopened_until is not None and now_local < reopened_until:
        return REOPENED
    if day < today:
        return LOCKED_PAST
    if now_local.time() >= hour_to_time(lock_hour):
        return LOCKED_HOUR
    return OPEN


# --- meal counts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """A child's time in a semi-boarding group (``last`` None while open)."""

    child_id: int
    band: str
    first: dt.date
    last: dt.date | None


@dataclass(frozen=True)
class AbsenceNotice:
    """A reported absence: a span of days and when the kitchen learnt of it."""

    child_id: int
    first: dt.date
    last: dt.date
    reported_at: dt.datetime


def meal_forecast(
    days: Sequence[dt.date], placements: Iterable[Placement], notices: Iterable[AbsenceNotice],
    cutoff_of: dict[dt.date, dt.datetime],
) -> dict[dt.date, dict[str, int]]:
    """Children expected to eat on each day, by age band.

    A child eats on a day when placed in a semi-boarding group that day, unless an absence covering the
    day was reported before the kitchen's cut-off of that day (``cutoff_of[day]``).
    """
    placements = list(placements)
    away: dict[dt.date, set[int]] = {d: set() for d in days}
    for n in notices:
        for d in days:
            if n.first <= d <= n.last and n.reported_at < cutoff_of[d]:
                away[d].add(n.child_id)
    out: dict[dt.date, dict[str, int]] = {}
    for d in days:
        seen: dict[str, set[int]] = {}
        for p in placements:
            if p.first <= d and (p.last is None or d <= p.last):
                eating = seen.setdefault(p.band, set())  # a band whose children are all away still shows 0
                if p.child_id not in away[d]:
                    eating.add(p.child_id)
        out[d] = {band: len(ids) for band, ids in sorted(seen.items())}
    return out
