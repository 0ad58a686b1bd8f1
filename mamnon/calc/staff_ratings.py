"""Overall rating under the professional standards of preschool teachers and principals. No Django import.

* Thông tư 26/2018/TT-BGDĐT (teachers), Điều 10 khoản 2: 15 criteria, each Chưa đạt / Đạt / Khá / Tốt.
  - Tốt: every criterion Khá or higher, at least 2/3 of them Tốt, and criteria 1, 3, 4, 5, 6, 7, 8, 9 Tốt;
  - Khá: every criterion Đạt or higher, at least 2/3 of them Khá or higher, and criteria 1, 3-9 Khá or higher;
  - Đạt: every criterion Đạt or higher;
  - Chưa đạt: any criterion Chưa đạt.
* Thông tư 25/2018/TT-BGDĐT (principals), the same four levels and shape; key criteria 1, 4, 5, 6, 7, 9, 11,
  13, 14, 15 (regulations.md section 3; the number of criteria is a rule, 15 by default).

The number of criteria, the share (2/3, as a numerator and a denominator so that 10 of 15 is exactly 2/3)
and the key criteria are configurable rules (mamnon/staff/default_rules.py); ``StandardSpec`` carries them.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_MET, MET, GOOD, EXCELLENT = 0, 1, 2, 3  # Chưa đạt, Đạt, Khá, Tốt
LEVELS = (NOT_MET, MET, GOOD, EXCELLENT)


@dataclass(frozen=True)
class StandardSpec:
    criteria: int
    key: frozenset[int]  # 1-based criterion numbers that must reach the level itself
    share_num: int = 2
    share_den: int = 3


TEACHER_TT26 = StandardSpec(criteria=15, key=frozenset({1, 3, 4, 5, 6, 7, 8, 9}))
PRINCIPAL_TT25 = StandardSpec(criteria=18, key=frozenset({1, 4, 5, 6, 7, 9, 11, 13, 14, 15}))


class RatingError(ValueError):
    """The criteria given cannot be rated: ``missing`` lists the 1-based numbers without a level,
    ``invalid`` those with a value that is not a level, ``extra`` says how many too many were given."""

    def __init__(self, *, missing=(), invalid=(), extra=0):
        self.missing = tuple(missing)
        self.invalid = tuple(invalid)
        self.extra = extra
        super().__init__(f"missing={self.missing} invalid={self.invalid} extra={self.extra}")


def check_levels(levels, spec: StandardSpec) -> list[int]:
    """The levels as ints, one per criterion, or RatingError naming what is missing or wrong."""
    levels = list(levels or [])
    extra = max(0, len(levels) - spec.criteria)
    padded = levels[: spec.criteria] + [None] * (spec.criteria - len(levels[: spec.criteria]))
    missing, invalid, out = [], [], []
    for number, value in enumerate(padded, start=1):
        if value is None or value == "":
            missing.append(number)
            continue
        try:
            level = int(value)
        except (TypeError, ValueError):
            invalid.append(number)
            continue
        if level not in LEVELS or str(value).strip() not in {str(level)}:
            invalid.append(number)
            continue
        out.append(level)
    if missing or invalid or extra:
        raise RatingError(missing=missing, invalid=invalid, extra=extra)
    return out


def overall(levels, spec: StandardSpec) -> int:
    """The overall level (NOT_MET .. EXCELLENT) of a complete set of criterion levels."""
    lv = check_levels(levels, spec)
    n = spec.criteria
    if min(lv) < MET:
        return NOT_MET

    def reaches(level: int) -> bool:
        if min(lv) < level - 1:  # Tốt needs all Khá or higher, Khá needs all Đạt or higher
            return False
        at_least = sum(1 for x in lv if x >= level)
        if at_least * spec.share_den < spec.share_num * n:  # at least 2/3 at the level
            return False
        return all(lv[k - 1] >= level for k in spec.key if 1 <= k <= n)

    if reaches(EXCELLENT):
        return EXCELLENT
    if reaches(GOOD):
        return GOOD
    return MET


def overall_array(levels, spec: StandardSpec):
    """``overall`` for many people at once: ``levels`` is an (n, criteria) integer array of complete ratings."""
    import numpy as np

    lv = np.asarray(levels, dtype=np.int64)
    if lv.ndim != 2 or lv.shape[1] != spec.criteria:
        raise ValueError(f"levels must have shape (n, {spec.criteria})")
    if lv.size and (lv.min() < NOT_MET or lv.max() > EXCELLENT):
        raise ValueError("levels must be 0-3")
    lowest = lv.min(axis=1) if lv.size else np.empty(0, dtype=np.int64)
    keys = [k - 1 for k in sorted(spec.key) if 1 <= k <= spec.criteria]

    def reaches(level):
        share = (lv >= level).sum(axis=1) * spec.share_den >= spec.share_num * spec.criteria
        key_ok = (lv[:, keys] >= level).all(axis=1) if keys else np.ones(len(lv), dtype=bool)
        return (lowest >= level - 1) & share & key_ok

    out = np.full(len(lv), MET, dtype=np.int64)
    out[reaches(GOOD)] = GOOD
    out[reaches(EXCELLENT)] = EXCELLENT
    out[lowest < MET] = NOT_MET
    return out
