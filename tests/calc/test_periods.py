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


def test_custom_year_start_and_end():
    # A province whose year runs 01/09 to 25/05, semester 1 ending 20/01.
    kwargs = {"year_start": (9, 1), "year_end": (5, 25), "hk1_end": (1, 20)}
    year = parse_period("2023-2024", **kwargs)
    assert (year.start, year.end) == (D(2023, 9, 1), D(2024, 5, 25))
    hk1 = parse_period("2023-2024/HK1", **kwargs)
    hk2 = parse_period("2023-2024/HK2", **kwargs)
    assert (hk1.start, hk1.end) == (D(2023, 9, 1), D(2024, 1, 20))
    assert (hk2.start, hk2.end) == (D(2024, 1, 21), D(2024, 5, 25))
    assert school_year_code(D(2023, 9, 1), year_start=(9, 1)) == "2023-2024"
    assert school_year_code(D(2023, 8, 31), year_start=(9, 1)) == "2022-2023"


def test_year_starting_in_august_puts_rounds_in_the_right_calendar_year():
    kwargs = {"year_start": (8, 15)}
    assert school_year_code(D(2023, 8, 15), **kwargs) == "2023-2024"
    assert school_year_code(D(2023, 8, 14), **kwargs) == "2022-2023"
    assert parse_period("2023-2024", **kwargs).start == D(2023, 8, 15)
    assert parse_period("2023-2024/R1", **kwargs).start == D(2023, 9, 1)
    assert parse_period("2023-2024/R2", **kwargs).start == D(2023, 12, 1)
    assert parse_period("2023-2024/R3", **kwargs).start == D(2024, 3, 1)


def test_semester_one_ending_in_december():
    """Some provinces close semester 1 before the new calendar year: the split is then in the first year."""
    kwargs = {"hk1_end": (12, 31)}
    hk1 = parse_period("2023-2024/HK1", **kwargs)
    hk2 = parse_period("2023-2024/HK2", **kwargs)
    assert (hk1.start, hk1.end) == (D(2023, 9, 5), D(2023, 12, 31))
    assert (hk2.start, hk2.end) == (D(2024, 1, 1), D(2024, 5, 31))


# --- properties --------------------------------------------------------------------------------


@given(year=st.integers(min_value=1000, max_value=9999), month=st.integers(min_value=1, max_value=12))
def test_month_period_covers_exactly_that_month(year, month):
    period = parse_period(f"{year:04d}-{month:02d}")
    days_in_month = calendar.monthrange(year, month)[1]
    assert period.kind == MONTH
    assert period.start == D(year, month, 1)
    assert period.end == D(year, month, days_in_month)
    assert (period.end - period.start).days + 1 == days_in_month


@given(year=st.integers(min_value=1000, max_value=9999), month=st.integers(min_value=13, max_value=99))
def test_month_numbers_above_twelve_are_refused(year, month):
    with pytest.raises(PeriodError):
        parse_period(f"{year:04d}-{month:02d}")


def _check_school_year(code, **kwargs):
    year, hk1, hk2, r1, r2, r3 = periods_of_school_year(code, **kwargs)
    assert year.kind == SCHOOL_YEAR and year.start < year.end
    # The two semesters split the year with no gap and no overlap.
    assert hk1.start == year.start
    assert hk1.start <= hk1.end
    assert hk2.start == hk1.end + dt.timedelta(days=1)
    assert hk2.start <= hk2.end
    assert hk2.end == year.end
    # Each round is one whole calendar month, in order, inside the months of the school year.
    # (R1 covers all of September even when the year opens on 05/09, so the check is on months.)
    first_month = year.start.replace(day=1)
    for rnd in (r1, r2, r3):
        assert rnd.kind == ROUND and rnd.school_year == code
        assert rnd.start.day == 1
        assert rnd.end == D(rnd.start.year, rnd.start.month, calendar.monthrange(rnd.start.year,
                                                                                 rnd.start.month)[1])
        assert first_month <= rnd.start and rnd.end <= year.end
    assert r1.end < r2.start and r2.end < r3.start
    assert [r.start.month for r in (r1, r2, r3)] == [9, 12, 3]
    # The semesters hold every day of the year exactly once, and school_year_code agrees with the year.
    for day in (year.start, hk1.end, hk2.start, year.end, r2.start, r3.end):
        assert hk1.contains(day) != hk2.contains(day)
        assert school_year_code(day, year_start=kwargs.get("year_start", (9, 5))) == code


@given(start_year=st.integers(min_value=1000, max_value=9998))
def test_school_year_contains_its_semesters_and_rounds(start_year):
    _check_school_year(f"{start_year}-{start_year + 1}")


@given(
    start_year=st.integers(min_value=1900, max_value=2200),
    year_start=st.tuples(st.integers(min_value=8, max_value=9), st.integers(min_value=1, max_value=28)),
    hk1_end=st.tuples(st.sampled_from([12, 1]), st.integers(min_value=1, max_value=28)),
    year_end=st.tuples(st.integers(min_value=5, max_value=6), st.integers(min_value=1, max_value=28)),
)
def test_custom_calendars_keep_the_semesters_inside_the_year(start_year, year_start, hk1_end, year_end):
    _check_school_year(f"{start_year}-{start_year + 1}", year_start=year_start, hk1_end=hk1_end,
                       year_end=year_end)
