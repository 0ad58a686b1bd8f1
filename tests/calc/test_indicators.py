"""Indicator arithmetic, roll-up and target status against values worked out by hand."""

import datetime as dt

import numpy as np
import pytest

from mamnon.calc import indicators as ci
from mamnon.calc.indicators import Point

D = dt.date
R1, R2, R3 = D(2023, 9, 30), D(2023, 12, 31), D(2024, 3, 31)


def test_values_never_average_percentages():
    # School A: 9 of 10 children; school B: 1 of 90. Their mean percentage is 45.6%; the true share is 10%.
    tree = ci.tree_from_paths([10, 11], ["1/2/10/", "1/2/11/"])
    rolled = ci.rollup(tree, [10, 11], [9, 1], [10, 90])
    i = list(rolled.units).index(2)
    assert ci.value("ratio", rolled.numerator[i], rolled.denominator[i]) == pytest.approx(10.0)


def test_rollup_sums_up_every_level_and_ignores_unplaced_schools():
    # P(1) > D1(2) > S4, S5 ; P > D2(3) > S6. School 5 reports nothing; school 99 is not in the tree.
    tree = ci.tree_from_paths([6, 4, 5], ["1/3/6/", "1/2/4/", "1/2/5/"])
    rolled = ci.rollup(tree, [4, 6, 99], [3, 5, 7], [10, 20, 30])
    got = {int(u): (n, d, s) for u, n, d, s in zip(rolled.units, rolled.numerator, rolled.denominator,
                                                   rolled.schools, strict=True)}
    assert got[1] == (8, 30, 2)
    assert got[2] == (3, 10, 1)
    assert got[3] == (5, 20, 1)
    assert got[5] == (0, 0, 0)
    vals = ci.values("ratio", rolled.numerator, rolled.denominator)
    assert np.isnan(vals[list(rolled.units).index(5)])


def test_rollup_refuses_a_school_placed_or_reported_twice():
    with pytest.raises(ValueError):
        ci.tree_from_paths([4, 4], ["1/2/4/", "1/3/4/"])
    tree = ci.tree_from_paths([4], ["1/2/4/"])
    with pytest.raises(ValueError):
        ci.rollup(tree, [4, 4], [1, 1], [2, 2])


def test_measures():
    assert ci.value("count", 3, 0) == 3
    assert ci.value("mean", 475, 16) == pytest.approx(29.6875)
    assert ci.value("ratio", 1, 0) is None


# --- statuses -------------------------------------------------------------------------------------------------


def reduce12(points, today, baseline=8.0):
    return ci.status(ci.REDUCE_VS_BASELINE, 1.2, points, period_end=R3, today=today, baseline=Point(R1, baseline))


def test_reduce_by_1_2_points_against_the_start_of_the_year():
    # Baseline (round 1, September) 8.0% underweight: the goal is 6.8% by round 3 (31/03/2024).
    # Round 2 at 7.5%: the line through 30/09 (8.0) and 31/12 (7.5) reaches 8.0 - 0.5 * 183/92 = 7.005 on
    # 31/03: above 6.8, at risk.
    assert reduce12([Point(R1, 8.0), Point(R2, 7.5)], D(2024, 1, 10)) == ci.AT_RISK
    # Round 2 at 7.3%: 8.0 - 0.7 * 183/92 = 6.608 <= 6.8, on track.
    assert reduce12([Point(R1, 8.0), Point(R2, 7.3)], D(2024, 1, 10)) == ci.ON_TRACK
    # Already at 6.8 in round 2: meets it.
    assert reduce12([Point(R1, 8.0), Point(R2, 6.8)], D(2024, 1, 10)) == ci.ON_TRACK
    # After the period: 6.8 achieved, 6.9 not.
    assert reduce12([Point(R1, 8.0), Point(R2, 7.3), Point(R3, 6.8)], D(2024, 4, 15)) == ci.ACHIEVED
    assert reduce12([Point(R1, 8.0), Point(R2, 7.3), Point(R3, 6.9)], D(2024, 4, 15)) == ci.NOT_ACHIEVED
    # Only the baseline measured yet: the latest (8.0) does not meet 6.8 and no line can be drawn.
    assert reduce12([Point(R1, 8.0)], D(2023, 10, 5)) == ci.AT_RISK
    # No baseline value: nothing to judge against.
    assert ci.status(ci.REDUCE_VS_BASELINE, 1.2, [Point(R2, 7.0)], period_end=R3, today=D(2024, 1, 1)) == ci.NO_DATA


def test_at_least_projects_from_the_first_value():
    end = D(2024, 5, 31)
    sep, octo = D(2023, 9, 30), D(2023, 10, 31)
    # 90 -> 92 in 31 days reaches 90 + 2 * 244/31 = 105.7 by 31/05: on track.
    assert ci.status(ci.AT_LEAST, 95, [Point(sep, 90), Point(octo, 92)], period_end=end,
                     today=D(2023, 11, 5)) == ci.ON_TRACK
    # 90 -> 90.5: 90 + 0.5 * 244/31 = 93.9 < 95: at risk.
    assert ci.status(ci.AT_LEAST, 95, [Point(sep, 90), Point(octo, 90.5)], period_end=end,
                     today=D(2023, 11, 5)) == ci.AT_RISK
    assert ci.status(ci.AT_LEAST, 95, [Point(sep, 96)], period_end=end, today=D(2023, 10, 5)) == ci.ON_TRACK
    assert ci.status(ci.AT_LEAST, 95, [Point(end, 94.99)], period_end=end, today=D(2024, 6, 1)) == ci.NOT_ACHIEVED
    assert ci.status(ci.AT_LEAST, 95, [], period_end=end, today=D(2024, 6, 1)) == ci.NO_DATA


def test_at_most_zero_and_counts():
    end = D(2024, 5, 31)
    assert ci.status(ci.AT_MOST, 20, [Point(end, 20)], period_end=end, today=D(2024, 6, 2)) == ci.ACHIEVED
    assert ci.status(ci.ZERO, None, [Point(D(2023, 9, 30), 0), Point(D(2023, 10, 31), 1)], period_end=end,
                     today=D(2023, 11, 2)) == ci.AT_RISK
    assert ci.status(ci.ZERO, None, [Point(end, 0)], period_end=end, today=D(2024, 6, 2)) == ci.ACHIEVED
    # A count once reached is achieved, even before the end (6 new national-standard schools).
    assert ci.status(ci.COUNT_AT_LEAST, 6, [Point(D(2023, 12, 31), 3), Point(D(2024, 1, 31), 6)], period_end=end,
                     today=D(2024, 2, 1)) == ci.ACHIEVED


def test_not_above_the_baseline():
    base = Point(R1, 5.0)
    assert ci.status(ci.NOT_ABOVE_BASELINE, None, [Point(R1, 5.0), Point(R2, 5.2)], period_end=R3,
                     today=D(2024, 1, 5), baseline=base) == ci.AT_RISK
    assert ci.status(ci.NOT_ABOVE_BASELINE, None, [Point(R1, 5.0), Point(R2, 4.9)], period_end=R3,
                     today=D(2024, 1, 5), baseline=base) == ci.ON_TRACK
    assert ci.status(ci.NOT_ABOVE_BASELINE, None, [Point(R3, 5.0)], period_end=R3, today=D(2024, 5, 1),
                     baseline=base) == ci.ACHIEVED


def test_reduce_per_year_over_a_plan():
    # Seed 001: underweight down 0.3 points a year from 2020-2021 (10.0%) over 2021-2025: 8.8% in 2024-2025.
    base = Point(D(2021, 5, 31), 10.0)
    end = D(2025, 5, 31)

    def index(day):
        return (day.year - 1) - 2020 if day.month < 9 else day.year - 2020

    pts = [Point(D(2022, 5, 31), 9.8), Point(D(2023, 5, 31), 9.5)]
    # 2022-2023 (2 years on) should be at 9.4; 9.5 misses it; the line 10.0 -> 9.5 over 730 days reaches
    # 10.0 - 0.5 * 1461/730 = 8.9993 by 31/05/2025, above 8.8: at risk.
    assert ci.status(ci.REDUCE_PER_YEAR, 0.3, pts, period_end=end, today=D(2023, 10, 1), baseline=base,
                     years_total=4, year_index=index) == ci.AT_RISK
    pts[-1] = Point(D(2023, 5, 31), 9.4)
    assert ci.status(ci.REDUCE_PER_YEAR, 0.3, pts, period_end=end, today=D(2023, 10, 1), baseline=base,
                     years_total=4, year_index=index) == ci.ON_TRACK
    final = [*pts, Point(D(2024, 5, 31), 9.1), Point(end, 8.8)]
    assert ci.status(ci.REDUCE_PER_YEAR, 0.3, final, period_end=end, today=D(2025, 6, 1), baseline=base,
                     years_total=4, year_index=index) == ci.ACHIEVED


def test_weaker_targets_in_the_cascade():
    assert ci.is_weaker((ci.AT_LEAST, 90), (ci.AT_LEAST, 95)) is True
    assert ci.is_weaker((ci.AT_LEAST, 98), (ci.AT_LEAST, 95)) is False
    assert ci.is_weaker((ci.AT_MOST, 3), (ci.ZERO, None)) is True
    assert ci.is_weaker((ci.REDUCE_VS_BASELINE, 1.0), (ci.REDUCE_VS_BASELINE, 1.2)) is True
    assert ci.is_weaker((ci.NOT_ABOVE_BASELINE, None), (ci.REDUCE_VS_BASELINE, 0.5)) is True
    assert ci.is_weaker((ci.AT_LEAST, 90), (ci.REDUCE_VS_BASELINE, 1.2)) is None
