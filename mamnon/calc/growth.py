"""WHO child growth z-scores: weight-for-age, length/height-for-age, weight-for-length/height, BMI-for-age.

Pure numpy, no Django. ``zscores()`` follows WHO's own R packages rule by rule:

* ``anthro`` (WHO Child Growth Standards 2006) while the age in months, ``age_days / 30.4375`` unrounded, is
  under 60;
* ``anthroplus`` (WHO Reference 2007) from 60 months: height-for-age and BMI-for-age under 229 months,
  weight-for-age under 121 months, L, M and S interpolated linearly between the monthly rows.

The rules, with the R source each one comes from (WorldHealthOrganization/anthro R/z-score.R,
R/z-score-helper.R, R/z-score-weight-for-lenhei.R, R/utils.R; WorldHealthOrganization/anthroplus R/zscores.R):

* ages in days round half up (``round_up`` in utils.R: ``rest >= 0.5`` rounds up), not half to even;
* a standing height under 9 months (``age_in_months < 9``, unrounded) is treated as position unknown
  (z-score.R, ``measure_implausible``);
* a standing height under 731 days gets +0.7 cm, a recumbent length from 731 days -0.7 cm
  (``adjust_lenhei``); the adjusted value is used for every indicator, BMI included;
* z = ((y/M)^L - 1) / (S L) (``compute_zscore``); for weight-for-age, weight-for-length/height and
  BMI-for-age beyond +/-3 the restricted extension 3 + (y - SD3pos) / (SD3pos - SD2pos) and
  -3 + (y - SD3neg) / (SD2neg - SD3neg) (``compute_zscore_adjusted``); never for length/height-for-age;
* weight-for-length (45-110 cm) below 731 days, weight-for-height (65-120 cm) from 731 days, chosen by the
  rounded age, looked up with the adjusted length/height, L, M and S interpolated between the 0.1 cm rows
  (``low = trunc(h * 10) / 10``, ``diff = (h - low) / 0.1``); nothing outside the table's range and only
  under 60 months. Without an age WHO still computes it, choosing the table by the position, or by
  h < 87 cm when the position is unknown; so does this function;
* oedema removes weight-for-age, weight-for-length/height and BMI-for-age;
* z-scores are rounded to 2 decimals as R's ``round(z, 2)`` does (R >= 4.0 ``fround``), and the flags are
  read from the rounded values: length/height-for-age |z| > 6, weight-for-age z < -6 or z > 5,
  weight-for-length/height and BMI-for-age |z| > 5 (both packages use the same limits).

Where this module is stricter than the R code (documented in tests/calc/test_growth.py): any non-finite,
zero or negative weight, height or age gives NaN (R raises on negative ages and, through the squared height,
computes a BMI-for-age for a negative height), and a recumbent length from 60 months is converted to height
(-0.7 cm) like under 60 months, since anthroplus expects standing height.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["DAYS_PER_MONTH", "FLAG_LIMITS", "KEYS", "zscores"]

DATA_DIR = Path(__file__).resolve().parent / "data"

DAYS_PER_MONTH = 30.4375  # WHO's ANTHRO_DAYS_OF_MONTH = 365.25 / 12
KEYS = ("waz", "haz", "whz", "baz", "flag_waz", "flag_haz", "flag_whz", "flag_baz")
# (low, high): flagged when z < low or z > high, on the z-score rounded to 2 decimals.
FLAG_LIMITS = {"waz": (-6.0, 5.0), "haz": (-6.0, 6.0), "whz": (-5.0, 5.0), "baz": (-5.0, 5.0)}

LAST_DAY_2006 = 1826  # round_up(age) for every age under 60.0 months (1826.25 days)
STANDARDS_UNTIL_MONTHS = 60.0  # 2006 standards below, 2007 reference from here
REF2007_FIRST_MONTH = 60
HFA_BFA_2007_UNTIL = 229.0  # anthroplus 1.1.0: age < 229 months
WFA_2007_UNTIL = 121.0  # anthroplus 1.1.0: age < 121 months
LENGTH_UNTIL_DAY = 731  # length (lying) below, height (standing) from here
POSITION_KNOWN_FROM_MONTHS = 9.0
LYING_STANDING_CM = 0.7
WFL_RANGE = (45.0, 110.0)
WFH_RANGE = (65.0, 120.0)
UNKNOWN_AGE_LENGTH_BELOW_CM = 87.0

CHUNK = 1 << 15  # rows per block: every temporary stays in cache
_THREADS = max(1, min(4, os.cpu_count() or 1))


# ---------------------------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class _LMS:
    """L, M, S columns laid out for one gather per row: [block of sex 1][block of sex 2][NaN][NaN]."""

    L: np.ndarray
    M: np.ndarray
    S: np.ndarray
    block: int  # rows per sex
    sentinel: int  # first NaN row; sentinel + 1 is NaN too, so index + 1 is always valid
    l_is_one: bool  # every L is 1 (length/height-for-age): z = (y/M - 1) / S exactly as (y/M)^1


@dataclass(frozen=True)
class _Tables:
    wfa: _LMS  # 2006 days 0-1826, then 2007 months 60-121
    hfa: _LMS  # 2006 days 0-1826, then 2007 months 60-229
    bfa: _LMS  # same layout as hfa
    wflh: _LMS  # WFL 45.0-110.0 + pad, WFH 65.0-120.0 + pad
    days_2006: int  # rows of the 2006 part of an age block (1827)
    wfl_rows: int  # rows of the WFL part of a wflh block including its pad row (652)


def _read_csv(name: str) -> np.ndarray:
    table = np.loadtxt(DATA_DIR / name, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
    if table.shape[1] != 5:
        raise ValueError(f"{name}: expected 5 columns (sex, key, l, m, s)")
    return table


def _rows(table: np.ndarray, sex: int, first_key: float, step: float, last_key: float) -> np.ndarray:
    """The (l, m, s) rows of one sex from first_key to last_key, checking they are contiguous."""
    part = table[table[:, 0] == sex]
    keys = np.round(part[:, 1] / step).astype(np.int64)
    want = np.arange(round(first_key / step), round(last_key / step) + 1)
    pos = np.searchsorted(keys, want)
    if pos.max(initial=0) >= len(keys) or not np.array_equal(keys[np.minimum(pos, len(keys) - 1)], want):
        raise ValueError(f"table rows for sex {sex} do not cover {first_key}..{last_key}")
    return part[pos, 2:5]


def _layout(blocks: list[np.ndarray]) -> _LMS:
    block = blocks[0].shape[0]
    if any(b.shape[0] != block for b in blocks):
        raise ValueError("both sexes need the same rows")
    lms = np.vstack([*blocks, np.full((2, 3), np.nan)])
    L, M, S = (np.ascontiguousarray(lms[:, i]) for i in range(3))
    return _LMS(L, M, S, block, 2 * block, bool(np.all(L[: 2 * block] == 1.0)))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    def age_table(name06: str, name07: str, last_month: float) -> _LMS:
        t06, t07 = _read_csv(name06), _read_csv(name07)
        return _layout(
            [
                np.vstack([_rows(t06, sex, 0, 1, LAST_DAY_2006), _rows(t07, sex, REF2007_FIRST_MONTH, 1, last_month)])
                for sex in (1, 2)
            ]
        )

    wfl, wfh = _read_csv("wfl_2006.csv"), _read_csv("wfh_2006.csv")
    blocks = []
    for sex in (1, 2):
        low = _rows(wfl, sex, WFL_RANGE[0], 0.1, WFL_RANGE[1])
        high = _rows(wfh, sex, WFH_RANGE[0], 0.1, WFH_RANGE[1])
        # Each part gets a copy of its last row, read (with weight 0) when the height is the table's last value.
        blocks.append(np.vstack([low, low[-1:], high, high[-1:]]))
    return _Tables(
        wfa=age_table("wfa_2006.csv", "wfa_2007.csv", WFA_2007_UNTIL),
        hfa=age_table("lhfa_2006.csv", "hfa_2007.csv", HFA_BFA_2007_UNTIL),
        bfa=age_table("bfa_2006.csv", "bfa_2007.csv", HFA_BFA_2007_UNTIL),  # must share hfa's layout
        wflh=_layout(blocks),
        days_2006=LAST_DAY_2006 + 1,
        wfl_rows=round((WFL_RANGE[1] - WFL_RANGE[0]) * 10) + 2,
    )


# ---------------------------------------------------------------------------------------------------------------
# Inputs


def _as_text(values: np.ndarray) -> np.ndarray:
    """Lower-case, stripped text of each value (None -> 'none', nan -> 'nan')."""
    if values.dtype.kind == "S":
        values = np.char.decode(values, "utf-8", "replace")
    elif values.dtype.kind != "U":
        values = values.astype(str)
    return np.char.lower(np.char.strip(values))


def _codes(values, table: dict[str, int], numeric, default: int) -> np.ndarray:
    """Map an array-like of codes to int8 through `table` (text) or `numeric` (numbers, booleans)."""
    if values is None:
        return np.full((), default, dtype=np.int8)
    arr = np.asarray(values)
    if arr.dtype.kind == "O":  # True/False/None, numbers and None: as floats (None -> NaN) when they all convert
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            pass
    if arr.dtype.kind in "biuf":
        with np.errstate(invalid="ignore"):
            return np.asarray(numeric(arr), dtype=np.int8)
    if arr.dtype.kind == "U" and arr.dtype.itemsize == 4:  # one character: look its code point up
        lookup = np.full(128, default, dtype=np.int8)
        for key, code in table.items():
            if len(key) == 1:
                lookup[[ord(key), ord(key.upper())]] = code
        points = arr.view(np.uint32)
        return lookup.take(np.minimum(points, 127))  # 127 (DEL) is no code
    text = _as_text(arr)
    out = np.full(arr.shape, default, dtype=np.int8)
    for key, code in table.items():
        out[text == key] = code
    return out


_SEX_TEXT = {"m": 0, "1": 0, "1.0": 0, "f": 1, "2": 1, "2.0": 1}
_POSITION_TEXT = {"l": 1, "true": 1, "1": 1, "1.0": 1, "h": 0, "false": 0, "0": 0, "0.0": 0}
_OEDEMA_TEXT = {"y": 1, "yes": 1, "true": 1, "1": 1, "1.0": 1}


def _sex_numeric(x):
    if x.dtype == bool:  # True/False is no sex code
        return np.full(x.shape, -1)
    return np.where(x == 1, 0, np.where(x == 2, 1, -1))


def _position_numeric(x):
    return np.where(x == 1, 1, np.where(x == 0, 0, -1))  # True/1 lying, False/0 standing, NaN or other unknown


def _oedema_numeric(x):
    return x == 1  # WHO's numeric codes: 1 = oedema, 2 = none; True == 1


def _floats(values) -> np.ndarray:
    """Float64 array; None and anything that is not a number become NaN, never an exception."""
    if values is None:
        return np.array(np.nan)
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        arr = np.asarray(values, dtype=object)

        def one(v):
            try:
                return float(v)
            except (TypeError, ValueError):
                return np.nan

        return np.frompyfunc(one, 1, 1)(arr).astype(np.float64)


# ---------------------------------------------------------------------------------------------------------------
# Arithmetic, each step as WHO's R code does it


def _r_round2_exact(x: np.ndarray) -> np.ndarray:
    """R's round(x, 2) (nmath/fround.c since R 4.0.0): the nearer of the two 2-decimal neighbours, ties to even."""
    ax = np.abs(x)
    x10 = ax * 100.0
    i10 = np.floor(x10)
    xd = i10 / 100.0
    xu = np.ceil(x10) / 100.0
    du = xu - ax
    dd = ax - xd
    half = i10 * 0.5
    odd = np.floor(half) != half  # fmod(i10, 2) == 1 for the non-negative whole number i10, without slow fmod
    take_up = (du < dd) | (odd & (du == dd))
    out = np.copysign(np.where(take_up, xu, xd), x)
    big = ax >= 2.0**43  # fround returns x when log10(x) + digits > DBL_DIG
    out[big] = x[big]
    return out


def _r_round2(x: np.ndarray) -> np.ndarray:
    """R's round(x, 2), fast: rint(100 x) / 100 agrees with it except within a hair of a tie or for huge |x|.

    Those rows (a handful, if any) are redone with the exact rule; non-finite values become NaN.
    """
    x10 = x * 100.0
    r10 = np.rint(x10)
    out = r10 / 100.0
    odd_rows = np.flatnonzero((np.abs(x10 - r10) > 0.4999) | (np.abs(x) >= 2.0**43))  # NaN stays NaN
    if odd_rows.size:
        fixed = _r_round2_exact(x[odd_rows])
        fixed[~np.isfinite(fixed)] = np.nan
        out[odd_rows] = fixed
    return out


def _gather(table: _LMS, idx: np.ndarray, sub: np.ndarray | None, frac: np.ndarray | None):
    """L, M, S at row idx; on the rows `sub`, interpolated towards row idx + 1 by frac (x + diff * (upper - x))."""
    L = None if table.l_is_one else table.L.take(idx)
    M, S = table.M.take(idx), table.S.take(idx)
    if sub is not None and sub.size:
        i1 = idx[sub] + 1
        for col, arr in ((table.M, M), (table.S, S)) + (() if L is None else ((table.L, L),)):
            low = arr[sub]
            arr[sub] = low + frac * (col.take(i1) - low)
    return L, M, S


def _zscore(y: np.ndarray, L: np.ndarray | None, M: np.ndarray, S: np.ndarray, restricted: bool) -> np.ndarray:
    """((y / M)^L - 1) / (S L); with `restricted`, WHO's linear extension beyond +/-3 SD. L None means L = 1."""
    if L is None:
        return (y / M - 1.0) / S  # ((y / m)^1 - 1) / (s * 1), bit for bit
    z = (np.power(y / M, L) - 1.0) / (S * L)
    if restricted:
        out = np.flatnonzero(np.abs(z) > 3.0)
        if out.size:
            yo, lo, mo, so = y[out], L[out], M[out], S[out]

            def sd(k):
                return mo * np.power(1.0 + lo * so * k, 1.0 / lo)

            sd3p, sd3n = sd(3.0), sd(-3.0)
            ext_high = 3.0 + (yo - sd3p) / (sd3p - sd(2.0))
            ext_low = -3.0 + (yo - sd3n) / (sd(-2.0) - sd3n)
            z[out] = np.where(z[out] > 3.0, ext_high, ext_low)
    return z


def _finish(z: np.ndarray, key: str, out: dict, sl: slice) -> None:
    z = _r_round2(z)
    out[key][sl] = z
    low, high = FLAG_LIMITS[key]
    if low == -high:
        np.greater(np.abs(z), high, out=out["flag_" + key][sl])
    else:
        out["flag_" + key][sl] = (z < low) | (z > high)


def _block(tables: _Tables, sexc, age, weight, height, pos, oedema, out: dict, sl: slice) -> None:
    sexc, age, weight, height, pos, oedema = sexc[sl], age[sl], weight[sl], height[sl], pos[sl], oedema[sl]

    age_ok = (age >= 0.0) & (age < np.inf)
    months = age / DAYS_PER_MONTH
    day = np.floor(age)
    day += (age - day) >= 0.5  # round half up
    lying_age = age_ok & (day < LENGTH_UNTIL_DAY)
    standing_age = age_ok ^ lying_age

    # +0.7 cm for standing under 731 days, except under 9 months (position then unknown); -0.7 cm lying from 731.
    clen = height.copy()
    np.add(clen, LYING_STANDING_CM, out=clen, where=lying_age & (pos == 0) & (months >= POSITION_KNOWN_FROM_MONTHS))
    np.subtract(clen, LYING_STANDING_CM, out=clen, where=standing_age & (pos == 1))
    # Invalid or missing inputs become NaN here, and NaN carries through to the z-scores.
    c = np.where((height > 0.0) & (height < np.inf) & (clen > 0.0), clen, np.nan)
    weight_ok = (weight > 0.0) & (weight < np.inf)
    if oedema.any():
        weight_ok &= ~oedema
    w = np.where(weight_ok, weight, np.nan)

    # Age rows: 2006 by rounded day, 2007 by month, interpolated between trunc(m) and trunc(m) + 1.
    sex_ok = sexc >= 0
    sex_row = sexc.astype(np.intp)
    is06 = age_ok & (months < STANDARDS_UNTIL_MONTHS)
    is07 = age_ok ^ is06
    sub07 = np.flatnonzero(is07)
    if sub07.size:
        mlow = np.trunc(months)
        age_pos = np.where(is07, mlow + (tables.days_2006 - REF2007_FIRST_MONTH), day)
        frac07 = months[sub07] - mlow[sub07]
    else:
        age_pos, frac07 = day, None
    ok06 = sex_ok & is06

    def age_index(table: _LMS, until_months: float) -> np.ndarray:
        ok = ok06 | (sex_ok & is07 & (months < until_months)) if sub07.size else ok06
        return np.where(ok, sex_row * table.block + age_pos, table.sentinel).astype(np.intp)

    t = tables.wfa
    L, M, S = _gather(t, age_index(t, WFA_2007_UNTIL), sub07, frac07)
    _finish(_zscore(w, L, M, S, True), "waz", out, sl)

    t = tables.hfa  # no restricted extension for length/height-for-age
    idx = age_index(t, HFA_BFA_2007_UNTIL)
    L, M, S = _gather(t, idx, sub07, frac07)
    _finish(_zscore(c, L, M, S, False), "haz", out, sl)

    t = tables.bfa  # same rows as height-for-age
    L, M, S = _gather(t, idx, sub07, frac07)
    cm = c / 100.0
    _finish(_zscore(w / (cm * cm), L, M, S, True), "baz", out, sl)

    # Weight-for-length below 731 days, weight-for-height from 731 days, under 60 months; without an age,
    # length when measured lying, or, position unknown, under 87 cm.
    t = tables.wflh
    use_wfl = lying_age
    age_missing = np.isnan(age)
    if age_missing.any():
        use_wfl = use_wfl | (age_missing & ((pos == 1) | ((pos == -1) & (c < UNKNOWN_AGE_LENGTH_BELOW_CM))))
        ok = sex_ok & (is06 | age_missing)
    else:
        ok = ok06
    ok = ok & np.where(use_wfl, (c >= WFL_RANGE[0]) & (c <= WFL_RANGE[1]), (c >= WFH_RANGE[0]) & (c <= WFH_RANGE[1]))
    tenth = np.trunc(c * 10.0)
    first = np.where(use_wfl, WFL_RANGE[0] * 10.0, WFH_RANGE[0] * 10.0 - tables.wfl_rows)
    idx = np.where(ok, sex_row * t.block + (tenth - first), t.sentinel).astype(np.intp)
    diff = (c - tenth / 10.0) / 0.1
    sub = np.flatnonzero(diff > 0.0)  # R interpolates only when diff > 0
    L, M, S = _gather(t, idx, sub, diff[sub])
    _finish(_zscore(w, L, M, S, True), "whz", out, sl)


# ---------------------------------------------------------------------------------------------------------------
# Public API

_executor: tuple[int, ThreadPoolExecutor] | None = None


def _pool() -> ThreadPoolExecutor:
    """The module's worker threads, made anew in a forked child (a gunicorn worker has none of its parent's)."""
    global _executor
    if _executor is None or _executor[0] != os.getpid():
        _executor = (os.getpid(), ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="mamnon-growth"))
    return _executor[1]


def zscores(sex, age_days, weight_kg, height_cm, measured_lying=None, oedema=None) -> dict[str, np.ndarray]:
    """WHO z-scores for each row of equal-length array-likes (scalars are broadcast).

    sex: 'M'/'F' (any case, also 'm'/'f'), or 1 (male) / 2 (female); anything else gives NaN.
    age_days: age in days at measurement (fractions allowed; WHO rounds half up).
    weight_kg, height_cm: weight in kilograms, recumbent length or standing height in centimetres.
    measured_lying: True for recumbent length, False for standing height, None when unknown
        (also 'L'/'H' text); a scalar applies to every row.
    oedema: True where the child has bilateral pitting oedema (also 'y'/'n', or WHO's 1/2); None means none.

    Returns float64 arrays 'waz', 'haz', 'whz', 'baz' (NaN where the indicator is not defined for that row
    or an input is missing or invalid) rounded to 2 decimals as WHO's R packages report them, and boolean
    arrays 'flag_waz', 'flag_haz', 'flag_whz', 'flag_baz' for biologically implausible values.
    Never raises for bad values; only inputs whose lengths cannot be broadcast together raise ValueError.
    """
    columns = [
        _codes(sex, _SEX_TEXT, _sex_numeric, -1),
        _floats(age_days),
        _floats(weight_kg),
        _floats(height_cm),
        _codes(measured_lying, _POSITION_TEXT, _position_numeric, -1),
        _codes(oedema, _OEDEMA_TEXT, _oedema_numeric, 0),
    ]
    shape = np.broadcast_shapes(*(c.shape for c in columns))
    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    sexc, ages, weights, heights, pos, oed = (
        np.ascontiguousarray(np.broadcast_to(c, shape).reshape(n)) for c in columns
    )
    oed = oed.astype(bool)

    tables = _tables()
    out = {key: np.empty(n, dtype=np.float64) for key in ("waz", "haz", "whz", "baz")}
    out.update({"flag_" + key: np.empty(n, dtype=bool) for key in ("waz", "haz", "whz", "baz")})

    slices = [slice(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]

    def run(sl: slice) -> None:
        with np.errstate(all="ignore"):
            _block(tables, sexc, ages, weights, heights, pos, oed, out, sl)

    if len(slices) <= 1 or _THREADS == 1:
        for sl in slices:
            run(sl)
    else:
        list(_pool().map(run, slices))
    return {key: out[key] for key in KEYS}
