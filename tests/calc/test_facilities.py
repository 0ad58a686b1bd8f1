"""calc.facilities on hand-worked cases (figures worked out by hand in the comments, not by the code)."""

import numpy as np
import pytest

from mamnon.calc import facilities as calc

LIMITS = calc.Limits(land_per_child=12, land_per_child_urban=8, group_room_per_child=1.5, toilet_per_child=0.4)


def facts(**overrides):
    base = dict(children=[100], groups=[4], urban=[False], land_area=[1200], group_rooms=[4], group_room_area=[150],
                toilet_area=[40], kitchens=[1], function_rooms=[1], temporary_rooms=[0], poor_rooms=[0])
    base.update(overrides)
    return calc.SchoolFacts(**base)


def hits(**overrides):
    return {code: bool(arr[0]) for code, arr in calc.school_checks(facts(**overrides), LIMITS).items()}


def test_a_school_exactly_at_every_minimum_has_no_warning():
    # 1200 m² / 100 children = 12 m²; 150 / 100 = 1.5 m²; 40 / 100 = 0.4 m²: all exactly at the minimum.
    assert not any(hits().values())


def test_land_per_child_rural_and_urban():
    # 1100 m² / 100 children = 11 m²: below 12 (rural), above 8 (inner city).
    assert hits(land_area=[1100])[calc.LAND_PER_CHILD]
    assert not hits(land_area=[1100], urban=[True])[calc.LAND_PER_CHILD]
    # 700 / 100 = 7 m² is below 8 even in the inner city.
    assert hits(land_area=[700], urban=[True])[calc.LAND_PER_CHILD]
    # No land area recorded: no check.
    assert not hits(land_area=[0])[calc.LAND_PER_CHILD]


def test_group_room_and_toilet_area_per_child():
    # 149 m² / 100 = 1.49 < 1.5; 39 m² / 100 = 0.39 < 0.4.
    h = hits(group_room_area=[149], toilet_area=[39])
    assert h[calc.GROUP_ROOM_PER_CHILD] and h[calc.TOILET_PER_CHILD]


def test_rooms_kitchen_function_room_and_construction():
    h = hits(group_rooms=[3], kitchens=[0], function_rooms=[0], temporary_rooms=[2], poor_rooms=[1])
    assert h[calc.MISSING_GROUP_ROOMS] and h[calc.NO_KITCHEN] and h[calc.NO_FUNCTION_ROOM]
    assert h[calc.TEMPORARY_ROOMS] and h[calc.POOR_ROOMS]


def test_a_school_without_children_is_not_checked_per_child():
    h = hits(children=[0], groups=[0], group_rooms=[0], group_room_area=[0], toilet_area=[0], kitchens=[0],
             function_rooms=[0])
    assert not any(h.values())


def test_arrays_of_several_schools_and_limits_per_school():
    f = calc.SchoolFacts(children=[10, 10], groups=[1, 1], urban=[False, False], land_area=[100, 100],
                         group_rooms=[1, 1], group_room_area=[15, 15], toilet_area=[4, 4], kitchens=[1, 1],
                         function_rooms=[1, 1], temporary_rooms=[0, 0], poor_rooms=[0, 0])
    # A province override of 9 m² for the second school: 100 / 10 = 10 m² is below 12 but not below 9.
    limits = calc.Limits(land_per_child=np.array([12.0, 9.0]), land_per_child_urban=8, group_room_per_child=1.5,
                         toilet_per_child=0.4)
    assert calc.school_checks(f, limits)[calc.LAND_PER_CHILD].tolist() == [True, False]


def test_required_quantity_rounds_parts_of_a_piece_up():
    # 1 per group -> 1; 0.5 per child x 25 children = 12.5 -> 13; 1 per child x 25 -> 25; 0.5 x 24 = 12.
    req = calc.required_quantity([1, 0.5, 1, 0.5], [False, True, True, True], [25, 25, 25, 24])
    assert req.tolist() == [1, 13, 25, 12]


def test_shortfall_and_groups_meeting():
    short = calc.shortfall([2, 13, 1], [2, 10, 5])
    assert short.tolist() == [0, 3, 0]
    # Lines of groups 0, 0, 1; group 2 has no line at all (meets vacuously).
    assert calc.groups_meeting([0, 0, 1], [0, 3, 0], 3).tolist() == [False, True, True]


def test_mismatched_arrays_are_refused():
    with pytest.raises(ValueError):
        calc.SchoolFacts(children=[1, 2], groups=[1], urban=[False], land_area=[0], group_rooms=[0],
                         group_room_area=[0], toilet_area=[0], kitchens=[0], function_rooms=[0], temporary_rooms=[0],
                         poor_rooms=[0])
