"""Standard training level of preschool teachers and managers, and their retirement date. No Django import.

* Luật Giáo dục 2019, Điều 72 khoản 1 điểm a (in force 01/07/2020): a preschool teacher needs a college
  (cao đẳng) diploma in preschool pedagogy or higher. Before it, Luật Giáo dục 2005 Điều 77 asked for an
  intermediate (trung cấp) pedagogy diploma. The minimum level is a configurable rule by date
  (``staff.qual_min_level``), so the same code answers for any year.
* Nghị định 71/2020/NĐ-CP (amended by Nghị định 311/2025/NĐ-CP), Điều 2 and 4: the upgrading roadmap covers
  teachers recruited before 01/07/2020 who lack the standard and who, on 01/07/2020, still had at least
  7 years (84 months) of service before retirement age. Teachers with less time left are exempt; teachers
  recruited later must already meet the standard. Phase 1 (to 31/12/2025): at least 60% of those covered in
  training or trained; phase 2 (to 31/12/2030): 100%.
* Retirement age: Bộ luật Lao động 2019 Điều 169 and Nghị định 135/2020/NĐ-CP Điều 4: from 2021 men retire at
  60 years 3 months, plus 3 months a year up to 62 (2028); women at 55 years 4 months, plus 4 months a year up
  to 60 (2035). Before 2021: 60 and 55. The figures are rules (``staff.retire.*``).

Functions take numpy arrays (one entry per person) so a school's or a city's staff is classified at once;
dates are numpy ``datetime64[D]``; a missing date is ``NaT``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

# Training levels, as stored (StaffRecord.training_level): the order is the ranking.
NONE, INTERMEDIATE, COLLEGE, UNIVERSITY, MASTER, DOCTOR = 0, 1, 2, 3, 4, 5

# Statuses against the standard training level.
MEETS = "meets"  # at or above the standard
ROADMAP = "roadmap"  # below, covered by the upgrading roadmap (NĐ 71/2020), not yet in training
IN_TRAINING = "in_training"  # below, covered by the roadmap, in upgrading training now
EXEMPT = "exempt"  # below, less than 7 years of service left on 01/07/2020: not required to upgrade
BELOW = "below"  # below and not covered: recruited after 01/07/2020, or the roadmap is over
NOT_APPLICABLE = "n/a"  # not a teaching or managing position
STATUSES = (MEETS, IN_TRAINING, ROADMAP, EXEMPT, BELOW, NOT_APPLICABLE)


@dataclass(frozen=True)
class RetirementRules:
    """Retirement age in months by sex, stepping up each year from ``start_year`` to a cap."""

    base_male: int = 720  # 60 years, the age before the roadmap
    base_female: int = 660  # 55 years
    step_male: int = 3
    step_female: int = 4
    cap_male: int = 744  # 62 years
    cap_female: int = 720  # 60 years
    start_year: int = 2021


@dataclass(frozen=True)
class StandardRules:
    """The figures of the standard and the roadmap in force on a day (from Rule rows)."""

    min_level: int = COLLEGE
    law_date: dt.date = dt.date(2020, 7, 1)  # Luật Giáo dục 2019 in force: the roadmap's reference day
    service_left_months: int = 84  # NĐ 71/2020 Điều 2: at least 7 years before retirement
    roadmap_end: dt.date = dt.date(2030, 12, 31)  # NĐ 71/2020 Điều 4: phase 2 ends
    retirement: RetirementRules = RetirementRules()


def _months(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> months since 1970-01 (the day is dropped)."""
    return days.astype("datetime64[M]").astype(np.int64)


def retirement_dates(birth: np.ndarray, male: np.ndarray, rules: RetirementRules = RetirementRules()) -> np.ndarray:
    """The day each person reaches retirement age.

    The age depends on the year it is reached (the roadmap), so for each year from before the roadmap to the
    cap we test whether the person reaches that year's age within that year; the first such year wins.
    """
    birth = np.asarray(birth, dtype="datetime64[D]")
    male = np.asarray(male, dtype=bool)
    born_m = _months(birth)  # months since 1970-01 of the month of birth
    out = np.full(birth.shape, np.iinfo(np.int64).max, dtype=np.int64)
    for year in range(1970, 2101):
        k = max(0, year - rules.start_year + 1)
        age_m = np.where(male, np.minimum(rules.base_male + rules.step_male * k, rules.cap_male),
                         np.minimum(rules.base_female + rules.step_female * k, rules.cap_female))
        reach = born_m + age_m  # month index when that year's age is reached
        reach_year = 1970 + reach // 12
        hit = (out == np.iinfo(np.int64).max) & (reach_year <= year)
        out = np.where(hit, reach, out)
    out = np.where(np.isnat(birth), np.iinfo(np.int64).max, out)
    result = np.where(out == np.iinfo(np.int64).max, np.datetime64("NaT"),
                      out.astype("datetime64[M]").astype("datetime64[D]"))
    # Keep the day of birth: retirement is the day the age is reached.
    day_offset = (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    day_offset = np.where(np.isnat(birth), 0, day_offset)
    return np.where(np.isnat(result), result, result + day_offset.astype("timedelta64[D]"))


def months_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Completed months from ``start`` to ``end`` (negative when end is earlier)."""
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    months = _months(end) - _months(start)
    day_s = (start - start.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    day_e = (end - end.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    return months - (day_e < day_s)


def meets_standard(level: np.ndarray, pedagogy: np.ndarray, min_level: int) -> np.ndarray:
    """At or above the standard: a preschool-pedagogy diploma at ``min_level`` or higher (Luật GD 2019 Điều 72)."""
    return (np.asarray(level) >= min_level) & np.asarray(pedagogy, dtype=bool)


def standard_status(
    *, level, pedagogy, hired_on, birth, male, in_training, covered, on: dt.date, rules: StandardRules,
) -> np.ndarray:
    """Each person's status against the standard training level on ``on`` (one of STATUSES).

    ``covered``: the position is one the standard applies to (teachers and managers). A missing hiring date
    counts as recruited before the law (the usual case for records typed in from paper); a missing birth
    date gives no exemption.
    """
    level = np.asarray(level)
    covered = np.asarray(covered, dtype=bool)
    hired_on = np.asarray(hired_on, dtype="datetime64[D]")
    birth = np.asarray(birth, dtype="datetime64[D]")
    meets = meets_standard(level, pedagogy, rules.min_level)
    law = np.datetime64(rules.law_date, "D")
    before_law = np.isnat(hired_on) | (hired_on < law)
    retire = retirement_dates(birth, male, rules.retirement)
    left = np.where(np.isnat(retire), 10_000, months_between(np.full(birth.shape, law), retire))
    exempt = before_law & (left < rules.service_left_months)
    roadmap_open = on <= rules.roadmap_end
    out = np.full(level.shape, BELOW, dtype=object)
    out[before_law & roadmap_open] = ROADMAP
    out[before_law & roadmap_open & np.asarray(in_training, dtype=bool)] = IN_TRAINING
    out[exempt] = EXEMPT
    out[meets] = MEETS
    out[~covered] = NOT_APPLICABLE
    return out


def roadmap_progress(statuses: np.ndarray, upgraded) -> tuple[int, int]:
    """NĐ 71/2020 Điều 4 progress: (in training or upgraded, covered by the roadmap).

    Covered: those still below the standard under the roadmap, plus those who have since completed their
    upgrading (``upgraded``; they now meet the standard). The targets are 60% by 31/12/2025, 100% by 2030.
    """
    statuses = np.asarray(statuses, dtype=object)
    upgraded = np.asarray(upgraded, dtype=bool) & (statuses == MEETS)
    done = (statuses == IN_TRAINING) | upgraded
    covered = done | (statuses == ROADMAP)
    return int(done.sum()), int(covered.sum())


def one(**kwargs) -> str:
    """``standard_status`` for one person (scalars in, one status out)."""
    arrays = {}
    for key in ("level", "pedagogy", "male", "in_training", "covered"):
        arrays[key] = np.array([kwargs.pop(key)])
    for key in ("hired_on", "birth"):
        value = kwargs.pop(key)
        arrays[key] = np.array([value if value is not None else "NaT"], dtype="datetime64[D]")
    return str(standard_status(**arrays, **kwargs)[0])


def retirement_date(birth: dt.date | None, male: bool, rules: RetirementRules = RetirementRules()) -> dt.date | None:
    if birth is None:
        return None
    value = retirement_dates(np.array([birth], dtype="datetime64[D]"), np.array([male]), rules)[0]
    return None if np.isnat(value) else value.astype(dt.date)
