"""Teacher norm of a preschool under Thông tư 19/2023/TT-BGDĐT, Điều 5 khoản 1. No Django import.

Per school and age band: the children of the band fill as many full-size groups as they can (the maximum
group size of Thông tư 52/2020 Điều 15), each full creche group (nhóm trẻ) counting 2.5 teachers and each full
kindergarten class (lớp mẫu giáo) 2.2; the children left over count 1 teacher per 6 / 8 / 10 (creche 3-12,
13-24, 25-36 months) or 11 / 14 / 16 (3-4, 4-5, 5-6 years) children. Mixed-age groups and classes count the
group norm (2.5 or 2.2) each. A school whose only group is below full size gets 2.0. Every figure comes in
``NormRules`` (configurable Rule rows); the reading of "full groups and leftover children" is in docs/staff.md.

Arrays are aligned per (school, band) row: ``school_ids``, ``bands``, ``groups`` (number of groups),
``children`` (children enrolled in them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CRECHE_BANDS = ("c3_12", "c13_24", "c25_36")
KINDER_BANDS = ("k3", "k4", "k5")
MIXED_CRECHE, MIXED_KINDER = "mixed_creche", "mixed_kinder"


@dataclass(frozen=True)
class NormRules:
    per_creche_group: float = 2.5
    per_kinder_class: float = 2.2
    single_group: float = 2.0
    group_max: dict = field(default_factory=lambda: {"c3_12": 15, "c13_24": 20, "c25_36": 25, "k3": 25, "k4": 30,
                                                      "k5": 35})
    children_per_teacher: dict = field(default_factory=lambda: {"c3_12": 6, "c13_24": 8, "c25_36": 10, "k3": 11,
                                                                 "k4": 14, "k5": 16})


@dataclass
class SchoolNorms:
    school_ids: np.ndarray
    norm: np.ndarray  # teachers the school is entitled to (float)
    groups: np.ndarray  # groups counted


def band_norm(band: str, groups: np.ndarray, children: np.ndarray, rules: NormRules) -> np.ndarray:
    """The norm of one age band's children and groups (vectorised over schools)."""
    groups = np.asarray(groups, dtype=np.float64)
    children = np.asarray(children, dtype=np.float64)
    if band == MIXED_CRECHE:
        return groups * rules.per_creche_group
    if band == MIXED_KINDER:
        return groups * rules.per_kinder_class
    top = float(rules.group_max[band])
    per_group = rules.per_creche_group if band in CRECHE_BANDS else rules.per_kinder_class
    full = np.floor(children / top)
    left = children - full * top
    return full * per_group + left / float(rules.children_per_teacher[band])


def school_norms(school_ids, bands, groups, children, rules: NormRules = NormRules()) -> SchoolNorms:
    """Sum the band norms per school, and apply the single-group rule."""
    school_ids = np.asarray(school_ids, dtype=np.int64)
    bands = np.asarray(bands, dtype=object)
    groups = np.asarray(groups, dtype=np.float64)
    children = np.asarray(children, dtype=np.float64)
    per_row = np.zeros(len(school_ids), dtype=np.float64)
    below_full = np.zeros(len(school_ids), dtype=bool)
    for band in np.unique(bands) if len(bands) else []:
        mask = bands == band
        per_row[mask] = band_norm(band, groups[mask], children[mask], rules)
        if band in rules.group_max:
            below_full[mask] = children[mask] < groups[mask] * rules.group_max[band]
    ids, inverse = np.unique(school_ids, return_inverse=True)
    norm = np.bincount(inverse, weights=per_row, minlength=len(ids))
    n_groups = np.bincount(inverse, weights=groups, minlength=len(ids))
    below = np.bincount(inverse, weights=below_full.astype(np.float64), minlength=len(ids)) > 0
    single = (n_groups == 1) & below
    norm = np.where(single, rules.single_group, norm)
    return SchoolNorms(school_ids=ids, norm=norm, groups=n_groups)
