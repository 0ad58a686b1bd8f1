"""Facility indicator families on the hand-built scenario: per school and summed up the tree by hand."""

import datetime as dt

import pytest

from mamnon.facilities import selectors
from mamnon.facilities.indicators import equipment_family, facility_family
from mamnon.indicators.registry import Window, source_of
from tests.facilities.conftest import DAY

WINDOW = Window(code="2023-2024", kind="school_year", start=dt.date(2023, 9, 5), end=dt.date(2024, 5, 31),
                school_year="2023-2024")


def per_school(values, w):
    """{school key: (numerator, denominator)} for the schools present."""
    key_of = {s.pk: k for k, s in w.schools.items()}
    return {key_of[int(i)]: (float(n), float(d))
            for i, n, d in zip(values.school_ids, values.numerator, values.denominator, strict=True)}


def rollup(values, w, *keys):
    rows = per_school(values, w)
    return (sum(rows[k][0] for k in keys if k in rows), sum(rows[k][1] for k in keys if k in rows))


@pytest.mark.django_db
def test_facility_family_per_school_and_rolled_up(facilities):
    w = facilities.world
    out = facility_family(WINDOW, None)
    assert set(out) == {"KITCHEN_ONEWAY", "TOILET_STD", "INTERNET_SW", "ONLINE_MEETING", "WEBSITE", "LIBRARY",
                        "COMPUTER_ROOM", "GRASS_YARD"}
    # Kitchens: S1a 1 of 1 one-way, S1b 0 of 1, S2 has none (left out). District D1: 1/2; province 1/2.
    assert per_school(out["KITCHEN_ONEWAY"], w) == {"S1a": (1, 1), "S1b": (0, 1)}
    assert rollup(out["KITCHEN_ONEWAY"], w, "S1a", "S1b") == (1, 2)
    # Toilets: S1a 1 of 2 standard, S1b 1 of 1: D1 2/3.
    assert per_school(out["TOILET_STD"], w) == {"S1a": (1, 2), "S1b": (1, 1)}
    assert rollup(out["TOILET_STD"], w, "S1a", "S1b") == (2, 3)
    # Internet and software: only S1a (S1b has no software, S2 no profile): province 1/3.
    assert per_school(out["INTERNET_SW"], w) == {"S1a": (1, 1), "S1b": (0, 1), "S2": (0, 1)}
    assert rollup(out["INTERNET_SW"], w, "S1a", "S1b", "S2") == (1, 3)
    assert per_school(out["WEBSITE"], w) == {"S1a": (1, 1), "S1b": (0, 1), "S2": (1, 1)}
    assert per_school(out["ONLINE_MEETING"], w) == {"S1a": (0, 1), "S1b": (0, 1), "S2": (1, 1)}
    assert per_school(out["LIBRARY"], w) == {"S1a": (1, 1), "S1b": (0, 1), "S2": (0, 1)}
    assert per_school(out["COMPUTER_ROOM"], w) == {"S1a": (0, 1), "S1b": (1, 1), "S2": (0, 1)}
    # Grass: 60 of 100 m² and 0 of 50 m²: D1 60/150 = 40%.
    assert per_school(out["GRASS_YARD"], w) == {"S1a": (60, 100), "S1b": (0, 50)}
    assert rollup(out["GRASS_YARD"], w, "S1a", "S1b") == (60, 150)


@pytest.mark.django_db
def test_library_counts_public_schools_only(facilities):
    w = facilities.world
    school = w.schools["S2"]
    school.ownership = "private"
    school.save(update_fields=["ownership"])
    assert per_school(facility_family(WINDOW, None)["LIBRARY"], w) == {"S1a": (1, 1), "S1b": (0, 1)}


@pytest.mark.django_db
def test_equipment_family(facilities):
    w = facilities.world
    out = equipment_family(WINDOW, None)["EQUIP_MIN"]
    # G1 (3 children): A 2 >= 2 ok; B usable 3 - 1 = 2 < 3 short; E 2 >= 0.5 x 3 = 1.5 ok -> short.
    # G2: C 1 >= 1 -> meets. G3 (k4): D 0 < 1 -> short. G4 (k3): no list for k3 -> meets.
    assert per_school(out, w) == {"S1a": (1, 2), "S1b": (0, 1), "S2": (1, 1)}
    assert rollup(out, w, "S1a", "S1b") == (1, 3)  # district D1
    assert rollup(out, w, "S1a", "S1b", "S2") == (2, 4)  # province


@pytest.mark.django_db
def test_equipment_family_for_chosen_schools_and_repairs(facilities):
    w = facilities.world
    ids = [w.schools["S1a"].pk]
    assert per_school(equipment_family(WINDOW, ids)["EQUIP_MIN"], w) == {"S1a": (1, 2)}
    # One more usable B for G1 (3 usable for 3 children): G1 now meets.
    from mamnon.facilities.models import GroupEquipment

    GroupEquipment.objects.filter(group=facilities.classroom.groups["G1"], item=facilities.items["B"]).update(
        damaged=0)
    assert per_school(equipment_family(WINDOW, ids)["EQUIP_MIN"], w) == {"S1a": (2, 2)}


@pytest.mark.django_db
def test_per_child_item_rounds_up(facilities):
    from mamnon.facilities.models import GroupEquipment

    # E is 0.5 per child: 3 children need ceil(1.5) = 2; with 1 piece G1 falls short of E as well.
    GroupEquipment.objects.filter(group=facilities.classroom.groups["G1"], item=facilities.items["E"]).update(
        quantity=1)
    by_group = selectors.equipment_by_group(facilities.classroom.year, DAY)
    assert by_group[facilities.classroom.groups["G1"].pk] == (3, 2)  # 3 children, B and E short
    lines = selectors.group_lines([facilities.classroom.groups["G1"]], day=DAY)[facilities.classroom.groups["G1"].pk]
    assert {ln.item.code: (ln.required, ln.usable, ln.short) for ln in lines} == {
        "T-A": (2, 2, 0), "T-B": (3, 2, 1), "T-E": (2, 1, 1)}


def test_codes_are_registered():
    for code in ("EQUIP_MIN", "KITCHEN_ONEWAY", "TOILET_STD", "INTERNET_SW", "ONLINE_MEETING", "WEBSITE", "LIBRARY",
                 "COMPUTER_ROOM", "GRASS_YARD"):
        assert source_of(code) is not None, code
