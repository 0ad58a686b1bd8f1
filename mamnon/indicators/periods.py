"""The periods indicators are computed and tracked for, on the period strings of ``mamnon.calc.periods``.

A school year's dates come from its ``SchoolYear`` row when there is one (a province may start on another
day); otherwise from the defaults. Within a school year values exist for the year, its two semesters, its
three measurement rounds and its months (September to May).
"""

from __future__ import annotations

import datetime as dt

from mamnon.calc import periods as P
from mamnon.indicators.registry import Window


def _year_dates(school_year: str) -> dict:
    from mamnon.org.models import SchoolYear

    row = SchoolYear.objects.filter(code=school_year).values("start_date", "end_date").first()
    if not row:
        return {}
    return {"year_start": (row["start_date"].month, row["start_date"].day),
            "year_end": (row["end_date"].month, row["end_date"].day)}


def parse(code: str, *, dates: dict | None = None) -> P.Period:
    """A period string parsed with its school year's own dates (raises calc.periods.PeriodError)."""
    probe = P.parse_period(code)
    if dates is None:
        dates = _year_dates(probe.school_year) if probe.school_year else {}
    return P.parse_period(code, **dates) if dates else probe


def window(code: str, *, dates: dict | None = None) -> Window:
    period = parse(code, dates=dates)
    round_number = int(code[-1]) if period.kind == P.ROUND else None
    school_year = period.school_year
    if school_year is None and period.kind == P.MONTH:
        # by the month's last day: September belongs to the year that starts on 5 September, not the one before
        school_year = P.school_year_code(period.end, **({"year_start": dates["year_start"]} if dates else {}))
    return Window(code=period.code, kind=period.kind, start=period.start, end=period.end,
                  school_year=school_year, round_number=round_number)


def school_year_of(window: Window):
    """The ``SchoolYear`` row a window belongs to: by its code, else the latest year overlapping it."""
    from mamnon.org.models import SchoolYear

    if window.school_year:
        year = SchoolYear.objects.filter(code=window.school_year).first()
        if year is not None:
            return year
    return (SchoolYear.objects.filter(start_date__lte=window.end, end_date__gte=window.start)
            .order_by("-start_date").first())


def months_of(school_year: str, *, dates: dict | None = None) -> list[str]:
    year = parse(school_year, dates=dates)
    out, day = [], dt.date(year.start.year, year.start.month, 1)
    while day <= year.end:
        out.append(f"{day:%Y-%m}")
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def periods_of(school_year: str) -> list[str]:
    """Every period of a school year that values are stored for: year, HK1, HK2, R1-R3, then the months."""
    P.parse_period(school_year)
    return [school_year, f"{school_year}/HK1", f"{school_year}/HK2", f"{school_year}/R1", f"{school_year}/R2",
            f"{school_year}/R3", *months_of(school_year)]


def windows_of(school_year: str) -> list[Window]:
    dates = _year_dates(school_year)
    return [window(code, dates=dates) for code in periods_of(school_year)]


def school_years_of_plan(plan: str) -> list[str]:
    """The school years a multi-year plan tracks: '2021-2025' -> 2021-2022 ... 2024-2025."""
    period = P.parse_period(plan)
    if period.kind == P.SCHOOL_YEAR:
        return [plan]
    a, b = int(plan[:4]), int(plan[5:9])
    return [f"{y}-{y + 1}" for y in range(a, b)]


def series_of(tracked_by: str, period: str) -> list[str]:
    """The periods a target's values are followed over: months, rounds or years of the target's period."""
    p = P.parse_period(period)
    if p.kind == P.MULTI_YEAR:
        return school_years_of_plan(period)
    if tracked_by == "round":
        return [f"{period}/R1", f"{period}/R2", f"{period}/R3"]
    if tracked_by == "month":
        return months_of(period, dates={})  # the default calendar: no query in loops over targets
    return [period]


def end_of(code: str) -> dt.date:
    """The last day of a period on the default calendar (no query: used in loops over series)."""
    return P.parse_period(code).end


def start_of(code: str) -> dt.date:
    return P.parse_period(code).start
