"""Teacher norm of TT 19/2023 Điều 5, worked by hand (full groups by the TT 52/2020 maxima, then leftovers)."""

import numpy as np
import pytest

from mamnon.calc.teacher_norms import NormRules, band_norm, school_norms


def test_sao_sang_by_hand():
    # Seed 002: creche 2 groups / 55; 3-year-olds 5 / 130; 4-year-olds 4 / 117; 5-year-olds 5 / 173.
    # c25_36: 55 = 2 x 25 + 5   -> 2 x 2.5 + 5/10  = 5.5
    # k3:    130 = 5 x 25 + 5   -> 5 x 2.2 + 5/11  = 11.454545...
    # k4:    117 = 3 x 30 + 27  -> 3 x 2.2 + 27/14 = 8.528571...
    # k5:    173 = 4 x 35 + 33  -> 4 x 2.2 + 33/16 = 10.8625
    norms = school_norms([7, 7, 7, 7], ["c25_36", "k3", "k4", "k5"], [2, 5, 4, 5], [55, 130, 117, 173])
    assert norms.school_ids.tolist() == [7]
    assert norms.norm[0] == pytest.approx(5.5 + 11 + 5 / 11 + 6.6 + 27 / 14 + 8.8 + 33 / 16)
    assert norms.norm[0] == pytest.approx(36.3456, abs=1e-4)
    assert norms.groups[0] == 16


def test_single_group_schools_and_mixed_groups():
    # School 1: one 4-5 class of 20 (below 30): 2.0. School 2: one full 4-5 class of 30: 2.2.
    # School 3: two mixed kindergarten classes (2.2 each) and a creche 13-24 group of 12 (12/8 = 1.5): 5.9.
    norms = school_norms([1, 2, 3, 3], ["k4", "k4", "mixed_kinder", "c13_24"], [1, 1, 2, 1], [20, 30, 40, 12])
    assert norms.school_ids.tolist() == [1, 2, 3]
    assert norms.norm.tolist() == pytest.approx([2.0, 2.2, 5.9])


def test_band_norm_uses_the_rules():
    rules = NormRules(per_kinder_class=2.0, children_per_teacher={**NormRules().children_per_teacher, "k5": 10})
    # 80 five-year-olds: 2 full classes of 35 (2 x 2.0) + 10 left (10/10): 5.0
    assert band_norm("k5", np.array([3]), np.array([80]), rules).tolist() == [5.0]


def test_no_groups():
    norms = school_norms([], [], [], [])
    assert len(norms.school_ids) == 0
