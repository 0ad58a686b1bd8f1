"""Least-cost balancing: the solution is checked against the norms with the analysis code, not the solver."""

import numpy as np
import pytest

from mamnon.calc import nutrition as n
from mamnon.calc.menu_balance import balance

RICE = [350, 8, 1, 76, 0.5, 30, 1.0, 0, 0.1, 0]  # round test values, not composition data
PORK = [140, 19, 7, 0, 0, 10, 1.0, 2, 0.9, 1]
OIL = [900, 0, 100, 0, 0, 0, 0, 0, 0, 0]
MILK = [75, 4, 4.5, 5, 0, 120, 0.1, 50, 0.05, 1]
CABBAGE = [30, 2, 0, 5, 1.5, 50, 1.0, 10, 0.05, 30]
KINDER = [[615, 726], [13, 20], [25, 35], [52, 60]]
CRECHE = [[600, 651], [13, 20], [30, 40], [47, 50]]


def _day(g):
    comp = [RICE, PORK, OIL, MILK, CABBAGE]
    return dict(groups=[g] * 5, grams=[100, 40, 8, 150, 40], composition=comp, animal=[0, 1, 0, 1, 0],
                inedible_pct=[0, 2, 0, 0, 10], price_per_kg=[18000, 120000, 40000, 30000, 15000])


def _stack(days):
    out = {k: [] for k in days[0]}
    for d in days:
        for k, v in d.items():
            out[k] += list(v)
    return out


def test_feasible_week_meets_every_norm_checked_independently():
    rows = _stack([_day(g) for g in range(10)])
    norms = np.array([KINDER if g % 2 else CRECHE for g in range(10)])
    result = balance(groups=rows["groups"], grams=rows["grams"], composition=rows["composition"],
                     inedible_pct=rows["inedible_pct"], price_per_kg=rows["price_per_kg"], norms=norms,
                     budget=25000)
    assert result.feasible, result.shortfalls
    grams = np.array(rows["grams"], float)
    assert (result.grams >= grams * 0.7 - 1e-6).all() and (result.grams <= grams * 1.3 + 1e-6).all()
    check = n.analyse(groups=rows["groups"], grams=result.grams, composition=rows["composition"],
                      animal=rows["animal"], inedible_pct=rows["inedible_pct"], price_per_kg=rows["price_per_kg"],
                      norms=norms, budget=25000)
    # Independent check (4/9/4 shares recomputed from the totals by hand, tolerance of rounding only).
    for g in range(10):
        e, p, lip, glu = check.totals[g, [n.ENERGY, n.PROTEIN, n.LIPID, n.GLUCID]]
        macro = 4 * p + 9 * lip + 4 * glu
        lo_hi = norms[g]
        assert lo_hi[0][0] - 1e-6 <= e <= lo_hi[0][1] + 1e-6
        assert lo_hi[1][0] - 1e-6 <= 400 * p / macro <= lo_hi[1][1] + 1e-6
        assert lo_hi[2][0] - 1e-6 <= 900 * lip / macro <= lo_hi[2][1] + 1e-6
        assert lo_hi[3][0] - 1e-6 <= 400 * glu / macro <= lo_hi[3][1] + 1e-6
    assert check.budget_ok.all()
    assert result.cost == pytest.approx(check.cost)
    # Cheapest: never dearer than the recipe when the recipe itself passes.


def test_infeasible_says_which_norm_and_by_how_much():
    # Only cabbage (30 kcal/100 g): 40 g +/- 30 % gives at most 15.6 kcal; 600 kcal cannot be reached.
    result = balance(groups=[0], grams=[40], composition=[CABBAGE], inedible_pct=[10], price_per_kg=[15000],
                     norms=CRECHE, budget=25000)
    assert not result.feasible
    short = {s.constraint: s.amount for s in result.shortfalls}
    assert short["energy_min"] == pytest.approx(600 - 52 * 0.30, rel=1e-6)
    assert "lipid_min" in short  # cabbage has no lipid: its share is 0, far below 30 %


def test_budget_too_small():
    day = _day(0)
    result = balance(**{k: v for k, v in day.items() if k != "animal"}, norms=CRECHE, budget=1000)
    assert not result.feasible
    assert any(s.constraint == "budget" for s in result.shortfalls)


def test_feasible_days_are_solved_when_another_is_not():
    good = _day(0)
    bad = dict(groups=[1], grams=[40], composition=[CABBAGE], animal=[0], inedible_pct=[10], price_per_kg=[15000])
    rows = _stack([good, bad])
    result = balance(groups=rows["groups"], grams=rows["grams"], composition=rows["composition"],
                     inedible_pct=rows["inedible_pct"], price_per_kg=rows["price_per_kg"], norms=KINDER,
                     budget=25000)
    assert not result.feasible and list(result.group_feasible) == [True, False]
    check = n.analyse(groups=rows["groups"], grams=result.grams, composition=rows["composition"],
                      animal=rows["animal"], inedible_pct=rows["inedible_pct"], price_per_kg=rows["price_per_kg"],
                      norms=KINDER, budget=25000)
    assert check.passed[0] and not check.passed[1]
