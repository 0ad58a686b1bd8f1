"""Nutrition status from z-scores: hand-worked cases at every cut-off (regulations.md section 9)."""

import numpy as np
import pytest

from mamnon.calc import nutrition_status as ns
from mamnon.calc.nutrition_status import MODERATE, NORMAL, NOT_ASSESSED, OBESE, OVERWEIGHT, SEVERE

NAN = np.nan
YOUNG = 1000  # 32.9 months: WHO 2006, weight-for-height
OLD = 2000  # 65.7 months: WHO 2007, BMI-for-age


def one(age, waz=NAN, haz=NAN, whz=NAN, baz=NAN, **flags):
    out = ns.classify([age], {"waz": [waz], "haz": [haz], "whz": [whz], "baz": [baz], **flags})
    return int(out["wfa"][0]), int(out["hfa"][0]), int(out["wfh"][0])


@pytest.mark.parametrize("z, expected", [
    (-1.99, NORMAL), (-2.0, NORMAL), (-2.01, MODERATE), (-2.99, MODERATE), (-3.0, MODERATE), (-3.01, SEVERE),
    (0.0, NORMAL), (4.0, NORMAL), (NAN, NOT_ASSESSED),
])
def test_weight_and_height_for_age_cut_offs(z, expected):
    for age in (YOUNG, OLD):
        wfa, hfa, _ = one(age, waz=z, haz=z)
        assert (wfa, hfa) == (expected, expected)


@pytest.mark.parametrize("z, expected", [
    (-3.01, SEVERE), (-3.0, MODERATE), (-2.0, NORMAL), (1.0, NORMAL), (1.5, NORMAL), (2.0, NORMAL),
    (2.01, OVERWEIGHT), (3.0, OVERWEIGHT), (3.01, OBESE),
])
def test_under_60_months_weight_for_height(z, expected):
    # BMI-for-age is ignored under 60 months, even when it says otherwise.
    assert one(YOUNG, whz=z, baz=-4.0)[2] == expected


@pytest.mark.parametrize("z, expected", [
    (-3.01, SEVERE), (-3.0, MODERATE), (-2.0, NORMAL), (1.0, NORMAL), (1.01, OVERWEIGHT), (2.0, OVERWEIGHT),
    (2.01, OBESE), (3.5, OBESE),
])
def test_from_60_months_bmi_for_age(z, expected):
    assert one(OLD, baz=z, whz=-4.0)[2] == expected


def test_switch_at_exactly_60_months():
    # 60 months = 1826.25 days: 1826 is the last day of the 2006 standards, 1827 the first of the 2007 reference.
    z = {"whz": [1.5, 1.5], "baz": [1.5, 1.5]}
    out = ns.classify([1826, 1827], z)
    assert out["wfh"].tolist() == [NORMAL, OVERWEIGHT]  # +1.5: normal by WHZ, overweight by BMI-for-age
    assert out["uses_bmi"].tolist() == [False, True]


def test_missing_axis_score_is_not_assessed_not_borrowed():
    assert one(YOUNG, whz=NAN, baz=3.5)[2] == NOT_ASSESSED
    assert one(OLD, whz=3.5, baz=NAN)[2] == NOT_ASSESSED
    assert one(NAN, waz=-2.5, whz=-2.5, baz=-2.5) == (MODERATE, NOT_ASSESSED, NOT_ASSESSED)


def test_flagged_scores_are_not_assessed():
    out = one(YOUNG, waz=-6.5, haz=-2.5, whz=5.5, flag_waz=[True], flag_haz=[False], flag_whz=[True])
    assert out == (NOT_ASSESSED, MODERATE, NOT_ASSESSED)


def test_thresholds_are_parameters():
    t = ns.Thresholds(low=-1.5, severe=-2.5, whz_overweight=1.0, whz_obese=2.0, switch_months=61)
    out = ns.classify([1830, 1830], {"waz": [-1.6, -2.6], "haz": [0, 0], "whz": [1.5, 2.5], "baz": [0, 0]}, t)
    assert out["wfa"].tolist() == [MODERATE, SEVERE]
    assert out["wfh"].tolist() == [OVERWEIGHT, OBESE]  # 1830 days is 60.1 months: still WHZ with switch at 61


def test_vectorised_mixed_rows():
    ages = np.array([300, 1500, 1900, 2100])
    scores = {"waz": np.array([-2.5, 0.1, -3.2, 1.0]), "haz": np.array([-1.0, -2.2, -3.5, 0.0]),
              "whz": np.array([-2.1, 2.5, 0.0, 0.0]), "baz": np.array([0.0, 0.0, 1.2, -2.4])}
    out = ns.classify(ages, scores)
    assert out["wfa"].tolist() == [MODERATE, NORMAL, SEVERE, NORMAL]
    assert out["hfa"].tolist() == [NORMAL, MODERATE, SEVERE, NORMAL]
    assert out["wfh"].tolist() == [MODERATE, OVERWEIGHT, OVERWEIGHT, MODERATE]
    assert out["wfa"].dtype == np.int8


def test_implausible_change():
    flags = ns.implausible_change(
        prev_age_days=[1000, 1000, 1000, 1000, NAN],
        prev_weight=[14.0, 14.0, 14.0, 14.0, NAN], prev_height=[95.0, 95.0, 95.0, 95.0, NAN],
        age_days=[1091, 1091, 1091, 1091, 1091],  # about 3 months later
        weight=[14.5, 14.5, 17.0, 14.5, 14.5], height=[93.5, 105.0, 96.0, 94.5, 96.0],
    )
    # -1.5 cm: loss; +10 cm in 3 months: jump; +3 kg of 14 (21%): weight; -0.5 cm within tolerance; no previous.
    assert flags.tolist() == [ns.HEIGHT_LOSS, ns.HEIGHT_JUMP, ns.WEIGHT_JUMP, 0, 0]
