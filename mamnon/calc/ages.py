"""Age bands of Vietnamese preschool practice (pure; numpy for bulk).

Kindergarten classes go by birth year: in school year Y-(Y+1), 5-year-olds were born in Y-5, 4-year-olds
in Y-4, 3-year-olds in Y-3. Creche groups go by age in completed months at the start of the school year:
3-12, 13-24, 25-36 months (Thông tư 52/2020, Điều 15, for the bands and their maximum sizes).
Both rules are parameters so a province can configure them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

CRECHE_3_12 = "c3_12"
CRECHE_13_24 = "c13_24"
CRECHE_25_36 = "c25_36"
KINDER_3 = "k3"
KINDER_4 = "k4"
KINDER_5 = "k5"
TOO_YOUNG = "too_young"
TOO_OLD = "too_old"

CRECHE_BANDS = (CRECHE_3_12, CRECHE_13_24, CRECHE_25_36)
KINDER_BANDS = (KINDER_3, KINDER_4, KINDER_5)
BANDS = CRECHE_BANDS + KINDER_BANDS


def months_between(born: dt.date, on: dt.date) -> int:
    """Completed months of age on a day."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        months -= 1
    return months


def age_band(
    born: dt.date,
    school_year_start: dt.date,
    *,
    kinder_by_birth_year: bool = True,
    creche_min_months: int = 3,
) -> str:
    """The band a child belongs to in the school year starting on ``school_year_start``."""
    y = school_year_start.year
    if kinder_by_birth_year:
        by_year = {y - 5: KINDER_5, y - 4: KINDER_4, y - 3: KINDER_3}
        if born.year in by_year:
            return by_year[born.year]
        if born.year < y - 5:
            return TOO_OLD
    months = months_between(born, school_year_start)
    if not kinder_by_birth_year and months >= 36:
        years = months // 12
        return {3: KINDER_3, 4: KINDER_4, 5: KINDER_5}.get(years, TOO_OLD)
    if months < creche_min_months:
        return TOO_YOUNG
    if months <= 12:
        return CRECHE_3_12
    if months <= 24:
        return CRECHE_13_24
    return CRECHE_25_36


def age_bands(birth_dates: np.ndarray, school_year_start: dt.date) -> np.ndarray:
    """Vectorised ``age_band`` for datetime64[D] birth dates (kindergarten by birth year)."""
    born = np.asarray(birth_dates, dtype="datetime64[D]")
    years = born.astype("datetime64[Y]").astype(int) + 1970
    months_total = born.astype("datetime64[M]").astype(int)
    start_m = np.datetime64(school_year_start, "M").astype(int)
    day_of_month = (born - born.astype("datetime64[M]")).astype(int) + 1
    months = start_m - months_total - (school_year_start.day < day_of_month)
    y = school_year_start.year
    out = np.full(born.shape, TOO_YOUNG, dtype=object)
    out[months >= 3] = CRECHE_3_12
    out[months > 12] = CRECHE_13_24
    out[months > 24] = CRECHE_25_36
    out[years == y - 3] = KINDER_3
    out[years == y - 4] = KINDER_4
    out[years == y - 5] = KINDER_5
    out[years < y - 5] = TOO_OLD
    return out
