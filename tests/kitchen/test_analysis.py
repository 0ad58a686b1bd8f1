"""Analysis of stored menus against hand-computed sums; balancing checked against the norms independently."""

from decimal import Decimal

import numpy as np
import pytest

from mamnon.kitchen import selectors, services


def test_kinder_monday_by_hand(kitchen):
    days = selectors.analyse_menu(kitchen.menus["kinder"])
    assert len(days) == 5
    mon = days[0]
    # Rice 70 g, pork 35 + oil 5 + rau ngót 25 + oil 1, milk 180 g (the fixture's test values per 100 g).
    energy = 0.70 * 350 + 0.35 * 140 + 0.06 * 900 + 0.25 * 35 + 1.80 * 75
    protein = 0.70 * 8 + 0.35 * 19 + 0.25 * 5 + 1.80 * 4
    lipid = 0.70 * 1 + 0.35 * 7 + 0.06 * 100 + 1.80 * 4.5
    glucid = 0.70 * 76 + 0.25 * 3.5 + 1.80 * 5
    assert mon.totals["energy"] == pytest.approx(energy)
    assert mon.totals["protein"] == pytest.approx(protein)
    assert mon.totals["lipid"] == pytest.approx(lipid)
    assert mon.totals["glucid"] == pytest.approx(glucid)
    macro = 4 * protein + 9 * lipid + 4 * glucid
    assert mon.shares[1] == pytest.approx(900 * lipid / macro)
    animal_p = 0.35 * 19 + 1.80 * 4
    assert mon.animal_protein_pct == pytest.approx(animal_p / protein * 100)
    # cost: rice 70 g x 18 = 1260; pork 35/0.98 g x 130 = 4642.857; oil 6 g x 45 = 270;
    # rau ngót 25/0.77 g x 20 = 649.35; milk 180 g x 32 = 5760 -> 12582.2 -> 12582 đ
    assert mon.cost == Decimal(12582)
    assert mon.budget == Decimal(25000)
    assert mon.checks["energy"] is (615 <= energy <= 726)


def test_balance_meets_norms_and_apply(kitchen, world):
    menu = kitchen.menus["kinder"]
    result, ration = services.menu_balance(menu=menu, apply=True, actor=world.user("kitchen1a"))
    assert result.feasible, result.shortfalls
    days = selectors.analyse_menu(menu)
    for day in days:
        e = day.totals["energy"]
        assert 615 - 1 <= e <= 726 + 1  # portions stored to 0.1 g
        p, lip, g = day.totals["protein"], day.totals["lipid"], day.totals["glucid"]
        macro = 4 * p + 9 * lip + 4 * g
        assert 13 - 0.1 <= 400 * p / macro <= 20 + 0.1
        assert 25 - 0.1 <= 900 * lip / macro <= 35 + 0.1
        assert 52 - 0.1 <= 400 * g / macro <= 60 + 0.1
        assert day.cost <= Decimal(25000)
    assert np.all(result.grams >= np.nan_to_num(ration.grams) * 0.7 - 1e-6)


def test_balance_infeasible_names_the_norm(kitchen):
    menu = kitchen.menus["creche"]
    # Only milk on Monday: the creche energy norm cannot be met.
    menu.items.exclude(dish__name="Sữa bò tươi").delete()
    result, _ration = services.menu_balance(menu=menu)
    assert not result.feasible
    assert {s.constraint for s in result.shortfalls} >= {"energy_min"}
