"""Nutrient arithmetic against sums worked by hand."""

import numpy as np
import pytest

from mamnon.calc import nutrition as n

# energy, protein, lipid, glucid, fibre, Ca, Fe, vit A, B1, C per 100 g: round test values, not
# composition data
RICE = [350, 8, 1, 76, 0.5, 30, 1.0, 0, 0.1, 0]
PORK = [140, 19, 7, 0, 0, 10, 1.0, 2, 0.9, 1]
OIL = [900, 0, 100, 0, 0, 0, 0, 0, 0, 0]


def test_one_day_by_hand():
    # 60 g rice + 30 g lean pork + 5 g oil.
    a = n.analyse(groups=[0, 0, 0], grams=[60, 30, 5], composition=[RICE, PORK, OIL], animal=[False, True, False],
                  inedible_pct=[0, 2, 0], price_per_kg=[18000, 120000, 40000],
                  norms=[[600, 651], [13, 20], [30, 40], [47, 50]], budget=25000)
    # energy: 0.6*350 + 0.3*140 + 0.05*900 = 210 + 42 + 45 = 297
    assert a.totals[0, n.ENERGY] == pytest.approx(297)
    # protein: 0.6*8 + 0.3*19 = 4.8 + 5.7 = 10.5; lipid 0.6 + 2.1 + 5 = 7.7; glucid 0.6*76 = 45.6
    assert a.totals[0, n.PROTEIN] == pytest.approx(10.5)
    assert a.totals[0, n.LIPID] == pytest.approx(7.7)
    assert a.totals[0, n.GLUCID] == pytest.approx(45.6)
    # kcal: P 42, L 69.3, G 182.4 -> total 293.7
    assert a.shares[0] == pytest.approx([42 / 293.7 * 100, 69.3 / 293.7 * 100, 182.4 / 293.7 * 100])
    assert a.shares[0].sum() == pytest.approx(100)
    # animal protein 5.7 of 10.5; animal lipid 2.1 of 7.7
    assert a.animal_protein_pct[0] == pytest.approx(5.7 / 10.5 * 100)
    assert a.animal_lipid_pct[0] == pytest.approx(2.1 / 7.7 * 100)
    # Ca 18 + 3 = 21 mg; Fe 0.6 + 0.3 = 0.9 mg
    assert a.totals[0, n.CALCIUM] == pytest.approx(21)
    assert a.totals[0, n.IRON] == pytest.approx(0.9)
    # cost: rice 60 g = 1080 đ; pork 30/0.98 g = 30.6122 g x 120 đ/g = 3673.47; oil 5 g = 200 -> 4953.47
    assert a.cost[0] == pytest.approx(1080 + 30 / 0.98 * 120 + 200)
    assert a.budget_ok[0]
    # 297 kcal is far below 600: energy fails; lipid 23.6 % fails (30-40); protein 14.3 % passes
    assert list(a.checks[0]) == [False, True, False, False]
    assert not a.passed[0]


def test_groups_are_independent():
    a = n.analyse(groups=[1, 0, 1], grams=[100, 100, 50], composition=[RICE, PORK, RICE], animal=[0, 1, 0],
                  inedible_pct=[0, 0, 0], price_per_kg=[0, 0, 0], norms=[[0, 1e9], [0, 100], [0, 100], [0, 100]],
                  budget=0)
    assert a.totals[:, n.ENERGY] == pytest.approx([140, 350 * 1.5])
    assert a.passed.all()


def test_purchase_grams_and_vitamin_a():
    assert n.purchase_grams([80], [20])[0] == pytest.approx(100)
    assert n.vitamin_a_re([700, np.nan], [0, 6000]) == pytest.approx([700, 1000])
