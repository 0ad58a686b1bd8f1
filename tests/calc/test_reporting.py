"""Due dates, the validation-rule grammar and rates, against dates and sums worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from mamnon.calc import reporting as calc
from mamnon.calc.periods import parse_period


def due(kind, period, **kw):
    p = parse_period(period)
    return calc.due_date(kind, p.start, p.end, **kw)


@pytest.mark.parametrize("period,expected", [
    ("2023-2024/R1", dt.date(2023, 9, 20)),  # seed 002: round 1 results before 20/9/2023
    ("2023-2024/R2", dt.date(2023, 12, 20)),
    ("2023-2024/R3", dt.date(2024, 3, 20)),
])
def test_measurement_rounds_due_on_the_20th_of_their_month(period, expected):
    assert due("fixed_day", period, months="9,12,3", day=20) == expected


def test_semester_and_year_end_statistics():
    assert due("fixed_day", "2023-2024/HK1", months="12,5", day=10) == dt.date(2023, 12, 10)
    assert due("fixed_day", "2023-2024/HK2", months="12,5", day=10) == dt.date(2024, 5, 10)
    assert due("fixed_day", "2023-2024", months="5", day=10) == dt.date(2024, 5, 10)
    # 01.ĐN-MN: due 31 October of the school year's first calendar year.
    assert due("fixed_day", "2024-2025", months=10, day=31) == dt.date(2024, 10, 31)


def test_after_period_and_one_off():
    assert due("after_period", "2023-10", days_after=5) == dt.date(2023, 11, 5)
    assert due("after_period", "2023-12", days_after=0) == dt.date(2023, 12, 31)
    assert due("one_off", "2023-2024", date=dt.date(2024, 4, 2)) == dt.date(2024, 4, 2)


def test_every_month_when_no_month_is_given():
    assert due("fixed_day", "2023-10", day=25) == dt.date(2023, 10, 25)


def test_leap_day_waits_for_a_leap_year():
    assert due("fixed_day", "2022-2023", months="2", day=29) == dt.date(2024, 2, 29)


@pytest.mark.parametrize("kw", [
    {"kind": "fixed_day", "months": "2", "day": 30},
    {"kind": "fixed_day", "months": "4", "day": 31},
    {"kind": "fixed_day", "months": "13", "day": 1},
    {"kind": "fixed_day", "months": "x", "day": 1},
    {"kind": "fixed_day", "day": 31},  # not every month has a 31st
    {"kind": "fixed_day"},
    {"kind": "after_period"},
    {"kind": "one_off"},
    {"kind": "weekly"},
])
def test_rules_that_give_no_date(kw):
    kind = kw.pop("kind")
    with pytest.raises(calc.DueDateError):
        calc.check_due_rule(kind, **kw)


def test_parse_sum():
    terms = calc.parse_sum("a + b_2 - 3")
    assert [(t.sign, t.code, t.constant) for t in terms] == [(1, "a", 0), (1, "b_2", 0), (-1, None, 3)]
    assert calc.codes_of("enrolled_k3 + enrolled_k4") == {"enrolled_k3", "enrolled_k4"}


@pytest.mark.parametrize("text", ["", "a b", "a * b", "__import__('os')", "a + ", "A", "a; b", "1.5"])
def test_parse_sum_refuses_anything_else(text):
    with pytest.raises(calc.ExpressionError):
        calc.parse_sum(text)


def test_check_rule():
    values = {"c": 10, "k3": 20, "k4": 25, "k5": 30, "total": 85}
    assert calc.check_rule("c + k3 + k4 + k5", "=", "total", values) == (True, Decimal(85), Decimal(85))
    values["total"] = 86
    holds, left, right = calc.check_rule("c + k3 + k4 + k5", "=", "total", values)
    assert (holds, left, right) == (False, Decimal(85), Decimal(86))
    assert calc.check_rule("total", "<=", "k5 + 56", values)[0] is True
    assert calc.check_rule("total", "<", "k5 + 56", values)[0] is False
    # An empty field: the rule waits (the required-field check reports it).
    assert calc.check_rule("missing", "<=", "total", values) == (True, None, Decimal(86))


def test_rate_never_above_100():
    assert calc.rate(3, 4) == 75.0
    assert calc.rate(5, 4) == 100.0
    assert calc.rate(0, 0) is None
    assert calc.rate(1, 3) == 33.3
