"""The MEAL_NORMS indicator family: per school, the share of served days whose menu meets the norms.

A served day is a (menu, weekday) of the period, up to today, with at least one dish, for each norm band; it
meets the norms when energy and the three energy shares are within the band's norm (mamnon.calc.nutrition).
Numerator: days that meet them; denominator: days served.

One SQL aggregate sums energy, protein, lipid and glucid per served day inside the database (grams of the
recipe, or the balanced portion where one is set, times the food's composition per 100 g: each dish's totals
once, then its servings); numpy then checks
every day against its band's norm and counts by school. The menu pages' analysis (``kitchen.selectors.analyse``)
reads the ration rows one by one because it shows every figure of a day; this family needs only four sums.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
from django.db import connection

from mamnon.calc import nutrition
from mamnon.indicators import registry
from mamnon.indicators.registry import SchoolValues, Window, family
from mamnon.indicators.services import stock_day, year_span
from mamnon.kitchen import selectors

# A band without a complete norm in force: every day passes (as in the menu analysis).
_NO_NORM = nutrition.Norm((0, 1e9), (0, 100), (0, 100), (0, 100)).as_array()


def day_totals(*, start: dt.date, end: dt.date, school_ids=None):
    """Per served day whose menu week overlaps [start, end]: (school, band, week, weekday, energy, protein,
    lipid, glucid).

    A dish's totals per band are summed once (a school's menus repeat a few dozen dishes thousands of times);
    a day adds up its dishes' totals, corrected where a balanced portion replaces a recipe's grams.
    """
    q = connection.ops.quote_name
    where = ["m.week_start >= %s", "m.week_start <= %s"]
    params: list = [connection.ops.adapt_datefield_value(selectors.monday(start)),
                    connection.ops.adapt_datefield_value(end)]
    if school_ids is not None:
        ids = [int(i) for i in school_ids] or [0]
        where.append(f"m.school_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    cols = ("energy_kcal", "protein_g", "lipid_g", "glucid_g")
    where_sql = " AND ".join(where)
    # exact decimal products per dish, then floating point over the (many) servings
    dish = ", ".join(f"CAST(SUM(di.grams * f.{c}) AS DOUBLE PRECISION) AS {c}" for c in cols)
    adj = ", ".join(f"CAST(SUM((mp.grams - di.grams) * f.{c}) AS DOUBLE PRECISION) AS {c}" for c in cols)
    day = ", ".join(f"SUM(COALESCE(d.{c}, 0) + COALESCE(a.{c}, 0)) / 100" for c in cols)
    sql = f"""
        WITH dish AS (
            SELECT di.dish_id, di.band, {dish}
            FROM {q('kitchen_dishingredient')} di JOIN {q('kitchen_food')} f ON f.id = di.food_id
            GROUP BY di.dish_id, di.band
        ), adj AS (
            SELECT mp.item_id, {adj}
            FROM {q('kitchen_menuportion')} mp
            JOIN {q('kitchen_menuitem')} mi ON mi.id = mp.item_id
            JOIN {q('kitchen_menu')} m ON m.id = mi.menu_id
            JOIN {q('kitchen_dishingredient')} di ON di.dish_id = mi.dish_id AND di.band = m.band
                 AND di.food_id = mp.food_id
            JOIN {q('kitchen_food')} f ON f.id = di.food_id
            WHERE {where_sql}
            GROUP BY mp.item_id
        )
        SELECT m.school_id, m.band, m.week_start, mi.weekday, {day}
        FROM {q('kitchen_menuitem')} mi
        JOIN {q('kitchen_menu')} m ON m.id = mi.menu_id
        JOIN dish d ON d.dish_id = mi.dish_id AND d.band = m.band
        LEFT JOIN adj a ON a.item_id = mi.id
        WHERE {where_sql}
        GROUP BY m.id, m.school_id, m.band, m.week_start, mi.weekday
    """
    with connection.cursor() as cur:
        cur.execute(sql, params + params)
        return cur.fetchall()


def _served_days(start: dt.date, last: dt.date, school_ids) -> dict[str, np.ndarray]:
    """``day_totals`` from ``start`` to ``last`` as columns: school, band, day (``date.toordinal``), energy,
    protein, lipid, glucid (a day whose foods all lack a figure sums to NULL: 0, as in the menu analysis)."""
    rows = day_totals(start=start, end=last, school_ids=school_ids)
    if not rows:
        return {}
    school, band, week, weekday, energy, protein, lipid, glucid = zip(*rows, strict=True)
    ordinal: dict = {}  # a few dozen distinct weeks (dates, or ISO strings from a raw SQLite cursor)

    def day_of(w, d):
        if w not in ordinal:
            ordinal[w] = (w if isinstance(w, dt.date) else dt.date.fromisoformat(str(w)[:10])).toordinal()
        return ordinal[w] + int(d)

    bands, band_idx = np.unique(np.array(band, dtype=str), return_inverse=True)
    return {"school": np.array(school, dtype=np.int64), "bands": bands, "band": band_idx.reshape(-1),
            "day": np.fromiter((day_of(w, d) for w, d in zip(week, weekday, strict=True)), dtype=np.int64,
                               count=len(rows)),
            **{k: np.nan_to_num(np.array(v, dtype=float)) for k, v in
               (("energy", energy), ("protein", protein), ("lipid", lipid), ("glucid", glucid))}}


# Days served and days meeting the norms add up over any split of a period: computed once per elementary
# part of the school year (the engine sums the parts), not again for every period that covers them. Inside
# a refresh the served days of the whole school year are read once and each part takes its own.
@family("MEAL_NORMS", sources=("kitchen.Menu", "kitchen.MenuItem", "kitchen.DishIngredient"), additive=True)
def meal_norms(window: Window, school_ids) -> dict[str, SchoolValues]:
    last = stock_day(window)  # a day is served once it has come: menus planned ahead count when they are eaten
    if last is None:
        return {"MEAL_NORMS": SchoolValues.from_rows([])}
    start, upto = window.start, last
    if registry.is_sharing() and window.school_year:
        first, end = year_span(window.school_year)
        if first <= window.start and window.end <= end:
            start, upto = first, stock_day(replace(window, start=first, end=end))
    ids_key = None if school_ids is None else tuple(sorted(int(i) for i in school_ids))
    days = registry.shared(("served_days", start, upto, ids_key), lambda: _served_days(start, upto, school_ids))
    if not days:
        return {"MEAL_NORMS": SchoolValues.from_rows([])}
    inside = (days["day"] >= window.start.toordinal()) & (days["day"] <= last.toordinal())
    if not inside.any():
        return {"MEAL_NORMS": SchoolValues.from_rows([])}
    table = np.array([(n.as_array() if (n := selectors.norm_for(str(b), on=window.end)) is not None else _NO_NORM)
                      for b in days["bands"]])
    passed = nutrition.meets_norms(days["energy"][inside], days["protein"][inside], days["lipid"][inside],
                                   days["glucid"][inside], table[days["band"][inside]])
    ids, inv = np.unique(days["school"][inside], return_inverse=True)
    inv = inv.reshape(-1)
    return {"MEAL_NORMS": SchoolValues(ids, np.bincount(inv, weights=passed.astype(float), minlength=len(ids)),
                                       np.bincount(inv, minlength=len(ids)).astype(float))}
