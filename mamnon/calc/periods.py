"""Period strings used everywhere in mamnon, and the dates they cover.

    2023-2024        school year (05/09/2023 - 31/05/2024 by default)
    2023-2024/HK1    semester 1 (start of the year - 15/01), /HK2 (16/01 - end of the year)
    2023-2024/R1     measurement round 1 (September), R2 (December), R3 (March): the rounds schools weigh
                     and measure in (regulations.md section 9; seed 002 sends results before 20/9, 20/12, 20/3)
    2023-09          a month
    2023             a calendar year
    2021-2025        a multi-year plan (any span longer than one year)

The school-year dates are parameters, so a province that starts on another day gets its own calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

SCHOOL_YEAR = "school_year"
SEMESTER = "semester"
ROUND = "round"
MONTH = "month"
YEAR = "year"
MULTI_YEAR = "multi_year"

# (month, day) defaults; a SchoolYear row may override them.
DEFAULT_YEAR_START = (9, 5)
DEFAULT_YEAR_END = (5, 31)
DEFAULT_HK1_END = (1, 15)
ROUND_MONTHS = {1: 9, 2: 12, 3: 3}

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{4})/HK([12])$"), SEMESTER),
    (re.compile(r"^(\d{4})-(\d{4})/R([123])$"), ROUND),
    (re.compile(r"^(\d{4})-(\d{4})$"), "span"),
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTH),
    (re.compile(r"^(\d{4})$"), YEAR),
]


class PeriodError(ValueError):
    """A period string that mamnon does not understand."""


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def school_year(self) -> str | None:
        if self.kind in (SCHOOL_YEAR, SEMESTER, ROUND):
            return self.code[:9]
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def school_year_code(day: dt.date, year_start: tuple[int, int] = DEFAULT_YEAR_START) -> str:
    """The school year a day falls in; days of the summer break belong to the year that just ended."""
    first = dt.date(day.year, *year_start)
    # June to the start day belongs to the previous year's summer: report it with the year just ended.
    y = day.year if day >= first else day.year - 1
    return f"{y}-{y + 1}"


def parse_period(
    code: str,
    *,
    year_start: tuple[int, int] = DEFAULT_YEAR_START,
    year_end: tuple[int, int] = DEFAULT_YEAR_END,
    hk1_end: tuple[int, int] = DEFAULT_HK1_END,
) -> Period:
    """Parse a period string into its kind and inclusive dates, or raise PeriodError."""
    if not isinstance(code, str):
        raise PeriodError(f"period must be text, not {type(code).__name__}")
    text = code.strip()
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        a = int(m.group(1))
        if kind == YEAR:
            return Period(text, YEAR, dt.date(a, 1, 1), dt.date(a, 12, 31))
        if kind == MONTH:
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise PeriodError(f"{text!r}: month {month} is not between 01 and 12")
            return Period(text, MONTH, dt.date(a, month, 1), _month_end(a, month))
        b = int(m.group(2))
        if kind == "span":
            if b == a + 1:
                return Period(text, SCHOOL_YEAR, dt.date(a, *year_start), dt.date(b, *year_end))
            if b > a + 1:
                return Period(text, MULTI_YEAR, dt.date(a, 1, 1), dt.date(b, 12, 31))
            raise PeriodError(f"{text!r}: the second year must come after the first")
        if b != a + 1:
            raise PeriodError(f"{text!r}: a school year runs from one year to the next (e.g. 2023-2024)")
        n = int(m.group(3))
        if kind == SEMESTER:
            # Semester 1 usually ends in January of the second year; a calendar that ends it in
            # December (on or after the start day) ends it in the first year.
            split = dt.date(a if tuple(hk1_end) >= tuple(year_start) else b, *hk1_end)
            if n == 1:
                return Period(text, SEMESTER, dt.date(a, *year_start), split)
            return Period(text, SEMESTER, split + dt.timedelta(days=1), dt.date(b, *year_end))
        month = ROUND_MONTHS[n]
        y = a if month >= year_start[0] else b
        return Period(text, ROUND, dt.date(y, month, 1), _month_end(y, month))
    raise PeriodError(
        f"{text!r} is not a period: use 2023-2024, 2023-2024/HK1, 2023-2024/R1, 2023-09, 2023 or 2021-2025"
    )


def periods_of_school_year(code: str, **kwargs) -> list[Period]:
    """The school year, its two semesters and its three measurement rounds."""
    parse_period(code, **kwargs)  # validate
    return [parse_period(f"{code}{suffix}", **kwargs) for suffix in ("", "/HK1", "/HK2", "/R1", "/R2", "/R3")]
