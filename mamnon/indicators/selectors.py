"""Reads of the indicators domain: the cascade of targets, scorecards with statuses, the units below.

Every function runs a fixed number of queries whatever the number of units below (pinned in the tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from mamnon.calc import indicators as calc
from mamnon.calc import periods as P
from mamnon.core import clock
from mamnon.indicators import periods
from mamnon.indicators.models import Indicator, IndicatorValue, Target
from mamnon.org.models import OrgUnit


def ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(p) for p in unit.path.split("/") if p and int(p) != unit.pk]


def _covers(target_period: str, school_year: str) -> bool:
    """Does a target's period (a school year or a multi-year plan) cover the school year?"""
    if target_period == school_year:
        return True
    try:
        p = P.parse_period(target_period)
    except P.PeriodError:
        return False
    return p.kind == P.MULTI_YEAR and school_year in periods.school_years_of_plan(target_period)


def targets_for(unit: OrgUnit, school_year: str) -> tuple[list[Target], list[Target]]:
    """(the unit's own targets covering the year, the targets offered by the units above and not taken).

    Offered: for each indicator and period, the nearest unit above's target (one query for the whole chain).
    """
    chain = [*ancestor_ids(unit), unit.pk]
    rows = [t for t in Target.objects.filter(unit_id__in=chain).select_related("indicator", "unit")
            if _covers(t.period, school_year)]
    own = [t for t in rows if t.unit_id == unit.pk]
    taken = {(t.indicator_id, t.period) for t in own}
    depth = {uid: i for i, uid in enumerate(chain)}
    offered: dict[tuple, Target] = {}
    for t in sorted((t for t in rows if t.unit_id != unit.pk), key=lambda t: -depth[t.unit_id]):
        key = (t.indicator_id, t.period)
        if key not in taken and key not in offered:
            offered[key] = t
    order = lambda t: (t.indicator.order, t.period)  # noqa: E731
    return sorted(own, key=order), sorted(offered.values(), key=order)


def targets_offered(unit: OrgUnit, period: str) -> list[Target]:
    _own, offered = targets_for(unit, period if P.parse_period(period).kind == P.SCHOOL_YEAR
                                else periods.school_years_of_plan(period)[0])
    return [t for t in offered if t.period == period]


def weaker_below(unit: OrgUnit, targets: list[Target]) -> dict[int, list[Target]]:
    """For each of ``targets`` (the unit's), the targets of units below that are less demanding (one query)."""
    if not targets:
        return {}
    keys = {(t.indicator_id, t.period): t for t in targets}
    below = Target.objects.filter(
        unit__path__startswith=unit.path, indicator_id__in={k[0] for k in keys}, period__in={k[1] for k in keys},
    ).exclude(unit=unit).select_related("unit", "indicator")
    out: dict[int, list[Target]] = {}
    for t in below:
        upper = keys.get((t.indicator_id, t.period))
        if upper is None:
            continue
        lower_value = None if t.value is None else float(t.value)
        upper_value = None if upper.value is None else float(upper.value)
        if calc.is_weaker((t.comparison, lower_value), (upper.comparison, upper_value)):
            out.setdefault(upper.pk, []).append(t)
    return out


@dataclass
class Line:
    """One row of a scorecard: a target, its series of values and its status."""

    target: Target
    inherited: bool
    series: list[tuple[str, float | None]] = field(default_factory=list)
    latest: float | None = None
    latest_period: str = ""
    baseline: float | None = None
    status: str = calc.NO_DATA
    weaker: list[Target] = field(default_factory=list)


def _baseline_year_index(baseline_period: str):
    start = int(baseline_period[:4])

    def index(day: dt.date) -> int:
        return int(P.school_year_code(day)[:4]) - start

    return index


def target_status(target: Target, values: dict[tuple[str, str], float | None], *, school_year: str,
                  today: dt.date) -> Line:
    """Status of one target from already-loaded values ``{(code, period): value}``."""
    ind = target.indicator
    series_codes = periods.series_of(ind.tracked_by, target.period)
    series = [(c, values.get((ind.code, c))) for c in series_codes]
    points = [calc.Point(periods.end_of(c), v) for c, v in series
              if v is not None and periods.start_of(c) <= today]
    baseline = None
    if target.baseline_period:
        b = values.get((ind.code, target.baseline_period))
        if b is not None:
            baseline = calc.Point(periods.end_of(target.baseline_period), b)
    kwargs = {}
    if target.comparison == calc.REDUCE_PER_YEAR and target.baseline_period:
        end_year = periods.parse(target.period).end.year
        kwargs = {"years_total": end_year - 1 - int(target.baseline_period[:4]),
                  "year_index": _baseline_year_index(target.baseline_period)}
    status = calc.status(target.comparison, None if target.value is None else float(target.value), points,
                         period_end=periods.end_of(series_codes[-1]), today=today, baseline=baseline, **kwargs)
    line = Line(target=target, inherited=False, series=series, status=status,
                baseline=None if baseline is None else baseline.value)
    if points:
        last = points[-1]
        line.latest = last.value
        line.latest_period = next(c for c, v in series if v is not None and periods.end_of(c) == last.day)
    return line


def needed_periods(targets: list[Target]) -> set[str]:
    out: set[str] = set()
    for t in targets:
        out.update(periods.series_of(t.indicator.tracked_by, t.period))
        if t.baseline_period:
            out.add(t.baseline_period)
    return out


def scorecard(unit: OrgUnit, school_year: str, *, today: dt.date | None = None) -> list[Line]:
    """The unit's targets (own, and those offered from above) with values and status: four queries."""
    today = today or clock.today()
    own, offered = targets_for(unit, school_year)
    targets = own + offered
    vals = dict(
        ((code, period), value) for code, period, value in IndicatorValue.objects.filter(
            unit=unit, indicator_id__in={t.indicator_id for t in targets}, period__in=needed_periods(targets),
        ).values_list("indicator__code", "period", "value")
    )
    weaker = weaker_below(unit, own)
    lines = []
    for t in targets:
        line = target_status(t, vals, school_year=school_year, today=today)
        line.inherited = t.unit_id != unit.pk
        line.weaker = weaker.get(t.pk, [])
        lines.append(line)
    return lines


def units_below(unit: OrgUnit):
    return OrgUnit.objects.filter(parent=unit, active=True).select_related("level").order_by("name")


def values_below(unit: OrgUnit, indicator_ids, period: str) -> tuple[list[OrgUnit], dict[tuple[int, int], tuple]]:
    """The units directly below and their values for the indicators in one period: two queries.

    Returns (units, {(unit_id, indicator_id): (value, numerator, denominator)}).
    """
    units = list(units_below(unit))
    rows = IndicatorValue.objects.filter(unit__parent=unit, indicator_id__in=list(indicator_ids), period=period)
    return units, {(u, i): (v, n, d) for u, i, v, n, d in rows.values_list(
        "unit_id", "indicator_id", "value", "numerator", "denominator")}


def trend(unit: OrgUnit, indicator: Indicator, period_codes: list[str]) -> list[tuple[str, float | None]]:
    vals = dict(IndicatorValue.objects.filter(unit=unit, indicator=indicator, period__in=period_codes)
                .values_list("period", "value"))
    return [(c, vals.get(c)) for c in period_codes]


def visible_units(user):
    """Units the user may open a dashboard for (their memberships' units and everything below)."""
    return OrgUnit.objects.for_user(user).filter(Q(active=True))
