"""Facility checks (Thông tư 13/2020/TT-BGDĐT and the area figures of facilities/default_rules.py) and the
equipment minimum of Thông tư 02/2010/TT-BGDĐT (amended by TT 34/2013), as pure functions on numpy arrays (no
Django import).

Every threshold comes in as an argument (the callers read them from ``core.Rule`` rows); nothing here
knows a figure of a regulation. The arrays are aligned: one entry per school (or per room, per group).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Check codes (the warnings shown per school; the messages live in the app, translated).
LAND_PER_CHILD = "land_per_child"
GROUP_ROOM_PER_CHILD = "group_room_per_child"
TOILET_PER_CHILD = "toilet_per_child"
MISSING_GROUP_ROOMS = "missing_group_rooms"
NO_KITCHEN = "no_kitchen"
NO_FUNCTION_ROOM = "no_function_room"
TEMPORARY_ROOMS = "temporary_rooms"
POOR_ROOMS = "poor_rooms"

SCHOOL_CHECKS = (LAND_PER_CHILD, GROUP_ROOM_PER_CHILD, TOILET_PER_CHILD, MISSING_GROUP_ROOMS, NO_KITCHEN,
                 NO_FUNCTION_ROOM, TEMPORARY_ROOMS, POOR_ROOMS)


@dataclass(frozen=True)
class Limits:
    """The figures the checks compare against (m² per child; rooms per group)."""

    land_per_child: float
    land_per_child_urban: float
    group_room_per_child: float
    toilet_per_child: float
    group_rooms_per_group: float = 1.0


@dataclass
class SchoolFacts:
    """Aligned arrays, one entry per school. Areas in m²; ``children`` enrolled on the day checked."""

    children: np.ndarray
    groups: np.ndarray
    urban: np.ndarray  # bool: inner-city land rule
    land_area: np.ndarray  # 0: not recorded (no land check)
    group_rooms: np.ndarray
    group_room_area: np.ndarray
    toilet_area: np.ndarray
    kitchens: np.ndarray
    function_rooms: np.ndarray
    temporary_rooms: np.ndarray
    poor_rooms: np.ndarray

    def __post_init__(self):
        for name in self.__dataclass_fields__:
            value = np.asarray(getattr(self, name), dtype=bool if name == "urban" else np.float64)
            setattr(self, name, value)
        n = len(self.children)
        if any(len(getattr(self, name)) != n for name in self.__dataclass_fields__):
            raise ValueError("every array of SchoolFacts must have one entry per school")


def per_child(area, children) -> np.ndarray:
    """Area per child (m²); NaN where there are no children (nothing to check)."""
    area = np.asarray(area, dtype=np.float64)
    children = np.asarray(children, dtype=np.float64)
    out = np.full(area.shape, np.nan)
    np.divide(area, children, out=out, where=children > 0)
    return out


def below(value, minimum) -> np.ndarray:
    """True where ``value`` is below ``minimum`` (NaN, i.e. nothing to check, is never below)."""
    value = np.asarray(value, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(value, nan=np.inf) < np.asarray(minimum, dtype=np.float64) - 1e-9


def school_checks(facts: SchoolFacts, limits: Limits) -> dict[str, np.ndarray]:
    """For each check code, a bool array: True where the school breaks the check (a warning).

    Land per child (TT 13/2020): the land-area minimum, lower in inner-city areas; no land area recorded
    means no check. Group rooms: the group rooms' total area per child and at least one group room per
    group. Toilets: total toilet area per child. A school with children needs a kitchen and a function
    room (physical / art education). Rooms built as temporary structures or in poor condition are flagged.
    """
    land_min = np.where(facts.urban, limits.land_per_child_urban, limits.land_per_child)
    land = np.where(facts.land_area > 0, per_child(facts.land_area, facts.children), np.nan)
    has_children = facts.children > 0
    return {
        LAND_PER_CHILD: below(land, land_min),
        GROUP_ROOM_PER_CHILD: below(per_child(facts.group_room_area, facts.children), limits.group_room_per_child),
        TOILET_PER_CHILD: below(per_child(facts.toilet_area, facts.children), limits.toilet_per_child),
        MISSING_GROUP_ROOMS: facts.group_rooms < np.ceil(facts.groups * limits.group_rooms_per_group - 1e-9),
        NO_KITCHEN: has_children & (facts.kitchens < 1),
        NO_FUNCTION_ROOM: has_children & (facts.function_rooms < 1),
        TEMPORARY_ROOMS: facts.temporary_rooms > 0,
        POOR_ROOMS: facts.poor_rooms > 0,
    }


def room_area_short(area, children, minimum_per_child) -> np.ndarray:
    """Per room: True where the room's area per child of its group is below the minimum."""
    return below(per_child(area, children), minimum_per_child)


# --- equipment (Thông tư 02/2010/TT-BGDĐT, sửa đổi bởi TT 34/2013) ---------------------------------------


def required_quantity(quantity, per_child, children) -> np.ndarray:
    """Quantity a group needs of each item: ``quantity`` per group, or ``quantity`` x children rounded up
    (a part of a piece is a whole piece: 0.5 per child for 25 children is 13)."""
    quantity = np.asarray(quantity, dtype=np.float64)
    children = np.asarray(children, dtype=np.float64)
    need = np.where(np.asarray(per_child, dtype=bool), quantity * children, quantity)
    return np.ceil(need - 1e-9).astype(np.int64)


def shortfall(required, usable) -> np.ndarray:
    """Pieces missing (never negative): required minus usable."""
    return np.maximum(np.asarray(required, dtype=np.int64) - np.asarray(usable, dtype=np.int64), 0)


def groups_meeting(group_index, short, n_groups: int) -> np.ndarray:
    """Per group (0..n_groups-1): True when none of its item lines (``group_index`` aligned with ``short``)
    has a shortfall. A group with no lines meets the minimum (its age band has no catalogue)."""
    missing = np.bincount(np.asarray(group_index, dtype=np.int64), weights=(np.asarray(short) > 0).astype(float),
                          minlength=n_groups)
    return missing == 0
