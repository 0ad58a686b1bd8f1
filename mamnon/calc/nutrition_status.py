"""Nutrition status from WHO z-scores, and the checks on a change since the previous measurement.

Pure numpy, no Django. The cut-offs are parameters (``Thresholds``): in mamnon they are configurable
``Rule`` rows with their legal basis (``mamnon/health/default_rules.py``; regulations.md section 9):

==========================  =============  ===========  ==============  ==========
indicator                   moderate       severe       overweight      obese
==========================  =============  ===========  ==============  ==========
weight-for-age (WAZ)        < -2           < -3         (none)          (none)
length/height-for-age (HAZ) < -2           < -3         (none)          (none)
under 60 months: WHZ        wasting < -2   < -3         > +2            > +3
from 60 months: BMI-for-age thinness < -2  < -3         > +1            > +2
==========================  =============  ===========  ==============  ==========

Every comparison is strict: a z-score of exactly -2 is normal, exactly -3 is moderate, exactly +2 under
60 months is normal. The switch follows WHO's software: the 2006 standards while ``age_days / 30.4375`` is
under 60, the 2007 reference from 60.0 months (``mamnon.calc.growth``). From 60 months the third axis is
read from BMI-for-age (wasting is read as thinness); under 60 months from weight-for-length/height only.

A score that is missing (NaN) or flagged as biologically implausible gives ``NOT_ASSESSED``: WHO leaves
flagged values out of prevalence figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

DAYS_PER_MONTH = 30.4375

NOT_ASSESSED = 0
NORMAL = 1
MODERATE = 2  # underweight / stunted / wasted (thin) below the moderate cut-off
SEVERE = 3  # below the severe cut-off
OVERWEIGHT = 4  # weight-for-height axis only
OBESE = 5  # weight-for-height axis only

AXES = ("wfa", "hfa", "wfh")


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs (z-scores) and the age in months from which the 2007 reference (BMI-for-age) applies."""

    low: float = -2.0
    severe: float = -3.0
    whz_overweight: float = 2.0
    whz_obese: float = 3.0
    baz_overweight: float = 1.0
    baz_obese: float = 2.0
    switch_months: float = 60.0


def _floats(values, n: int | None = None) -> np.ndarray:
    arr = np.asarray(values if values is not None else np.nan, dtype=np.float64)
    if n is not None and arr.ndim == 0:
        arr = np.full(n, float(arr))
    return np.atleast_1d(arr)


def _flags(scores: Mapping, key: str, n: int) -> np.ndarray:
    flag = scores.get(f"flag_{key}")
    if flag is None:
        return np.zeros(n, dtype=bool)
    return np.broadcast_to(np.asarray(flag, dtype=bool), (n,))


def _low_side(z: np.ndarray, usable: np.ndarray, t: Thresholds) -> np.ndarray:
    out = np.full(z.shape, NOT_ASSESSED, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        out[usable] = NORMAL
        out[usable & (z < t.low)] = MODERATE
        out[usable & (z < t.severe)] = SEVERE
    return out


def classify(age_days, scores: Mapping, thresholds: Thresholds | None = None) -> dict[str, np.ndarray]:
    """Status codes (int8 arrays) under ``wfa``, ``hfa`` and ``wfh`` for each row, plus ``uses_bmi`` (bool).

    ``scores`` holds equal-length arrays under ``waz``, ``haz``, ``whz``, ``baz`` (as returned by
    ``mamnon.calc.growth.zscores``) and optionally the flags ``flag_waz``... ``age_days`` chooses WHZ or
    BMI-for-age for the third axis. Missing or flagged scores and missing ages give ``NOT_ASSESSED``.
    """
    t = thresholds or Thresholds()
    age = _floats(age_days)
    n = age.shape[0]
    z = {k: _floats(scores.get(k), n) for k in ("waz", "haz", "whz", "baz")}
    for k, arr in z.items():
        if arr.shape[0] != n:
            raise ValueError(f"{k} has {arr.shape[0]} rows, age_days {n}")
    ok = {k: np.isfinite(z[k]) & ~_flags(scores, k, n) for k in z}

    with np.errstate(invalid="ignore"):
        months = age / DAYS_PER_MONTH
        known_age = np.isfinite(months) & (months >= 0)
        older = known_age & (months >= t.switch_months)
    younger = known_age & ~older

    out = {
        "wfa": _low_side(z["waz"], ok["waz"], t),
        "hfa": _low_side(z["haz"], ok["haz"], t),
    }
    axis = np.where(older, z["baz"], z["whz"])
    usable = (younger & ok["whz"]) | (older & ok["baz"])
    over = np.where(older, t.baz_overweight, t.whz_overweight)
    obese = np.where(older, t.baz_obese, t.whz_obese)
    wfh = _low_side(axis, usable, t)
    with np.errstate(invalid="ignore"):
        wfh[usable & (axis > over)] = OVERWEIGHT
        wfh[usable & (axis > obese)] = OBESE
    out["wfh"] = wfh
    out["uses_bmi"] = older
    return out


# --- a change since the previous measurement --------------------------------------------------------------

CHANGE_OK = 0
HEIGHT_LOSS = 1  # shorter than before by more than the tolerance
HEIGHT_JUMP = 2  # grew faster than the limit per month
WEIGHT_JUMP = 4  # weight changed by more than the share allowed


@dataclass(frozen=True)
class ChangeLimits:
    """When a change since the previous measurement is worth a second look (local settings, not WHO's)."""

    height_loss_cm: float = 1.0
    height_gain_cm_per_month: float = 3.0
    weight_change_share: float = 0.2


def implausible_change(prev_age_days, prev_weight, prev_height, age_days, weight, height,
                       limits: ChangeLimits | None = None) -> np.ndarray:
    """Bit flags (int8) per row: HEIGHT_LOSS, HEIGHT_JUMP, WEIGHT_JUMP; 0 where nothing stands out or there is
    no previous measurement (NaN). Height gain is judged per month elapsed (at least one month)."""
    lim = limits or ChangeLimits()
    pa, pw, ph = _floats(prev_age_days), _floats(prev_weight), _floats(prev_height)
    a, w, h = _floats(age_days), _floats(weight), _floats(height)
    n = max(map(len, (pa, pw, ph, a, w, h)))
    pa, pw, ph, a, w, h = (np.broadcast_to(x, (n,)) for x in (pa, pw, ph, a, w, h))
    out = np.zeros(n, dtype=np.int8)
    with np.errstate(invalid="ignore", divide="ignore"):
        months = np.maximum((a - pa) / DAYS_PER_MONTH, 1.0)
        dh = h - ph
        out[dh < -lim.height_loss_cm] |= HEIGHT_LOSS
        out[dh / months > lim.height_gain_cm_per_month] |= HEIGHT_JUMP
        out[(pw > 0) & (np.abs(w - pw) / pw > lim.weight_change_share)] |= WEIGHT_JUMP
    return out
