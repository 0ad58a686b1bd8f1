"""The MEAL_NORMS indicator family: per school, the share of served days whose menu meets the norms.

A served day is a (menu, weekday) of the period with at least one dish, for each norm band; it meets the norms
when energy and the three energy shares are within the band's norm (mamnon.calc.nutrition). Numerator: days
that meet them; denominator: days served. One ration query and one analysis call for all schools.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from mamnon.indicators.registry import SchoolValues, Window, family
from mamnon.kitchen import selectors
from mamnon.kitchen.models import Menu


# Days served and days meeting the norms add up over any split of a period: computed once per elementary
# part of the school year (the engine sums the parts), not again for every period that covers them.
@family("MEAL_NORMS", sources=("kitchen.Menu", "kitchen.MenuItem", "kitchen.DishIngredient"), additive=True)
def meal_norms(window: Window, school_ids) -> dict[str, SchoolValues]:
    ration = selectors.ration_rows(school_ids=school_ids, start=window.start - dt.timedelta(days=6), end=window.end)
    menus = {m.pk: m for m in Menu.objects.filter(pk__in=set(ration.menu_id.tolist())).only("id", "week_start")}
    days = selectors.analyse(ration, menus=menus, on=window.end)
    in_window = [d for d in days if d.day is not None and window.start <= d.day <= window.end]
    if not in_window:
        return {"MEAL_NORMS": SchoolValues.from_rows([])}
    school_of = dict(zip(ration.menu_id.tolist(), ration.school_id.tolist(), strict=True))
    schools = np.array([school_of[d.menu_id] for d in in_window])
    passed = np.array([d.passed for d in in_window], dtype=float)
    ids, inv = np.unique(schools, return_inverse=True)
    return {"MEAL_NORMS": SchoolValues(ids, np.bincount(inv, weights=passed), np.bincount(inv))}
