"""MEAL_NORMS: the share of served days whose menu meets the norms, per school, counted by hand."""

import datetime as dt

from mamnon.indicators.registry import Window, source_of
from mamnon.kitchen import selectors

from .conftest import WEEK


def test_meal_norms_family(kitchen):
    family = source_of("MEAL_NORMS")
    window = Window(code="2024-03", kind="month", start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31))
    values = family(window, None)["MEAL_NORMS"]
    days = selectors.analyse_menu(kitchen.menus["kinder"]) + selectors.analyse_menu(kitchen.menus["creche"])
    assert list(values.school_ids) == [kitchen.school.pk]
    assert values.denominator[0] == 10  # 5 days x 2 bands in March
    assert values.numerator[0] == sum(d.passed for d in days)
    # A window without menus gives no row.
    empty = family(Window(code="2024-05", kind="month", start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31)),
                   None)["MEAL_NORMS"]
    assert len(empty.school_ids) == 0
    assert WEEK.month == 3
