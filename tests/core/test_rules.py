"""Configurable rules: the row in force on a day, a unit's own row over the national one."""

import datetime as dt
from decimal import Decimal

from mamnon.core.models import Rule
from mamnon.core.rules import rule_value, rules_in_force


def test_charter_maxima_are_loaded_with_their_legal_basis(db):
    rows = rules_in_force([f"group_max.{b}" for b in ("c3_12", "c13_24", "c25_36", "k3", "k4", "k5")],
                          on=dt.date(2023, 9, 5))
    # Thông tư 52/2020, Điều 15: 15/20/25 for creche groups, 25/30/35 for kindergarten classes.
    assert {code: int(r.value) for code, r in rows.items()} == {
        "group_max.c3_12": 15, "group_max.c13_24": 20, "group_max.c25_36": 25,
        "group_max.k3": 25, "group_max.k4": 30, "group_max.k5": 35,
    }
    assert all("52/2020" in r.legal_basis for r in rows.values())


def test_effective_dates_choose_the_row(db):
    assert rule_value("group_max.mixed_creche", on=dt.date(2023, 9, 5)) is None  # TT 03/2024 not yet in force
    assert rule_value("group_max.mixed_creche", on=dt.date(2024, 9, 5)) == Decimal("20")
    Rule.objects.create(code="group_max.k5", value=33, label="x", legal_basis="y", effective_from=dt.date(2030, 1, 1))
    assert rule_value("group_max.k5", on=dt.date(2029, 12, 31)) == Decimal("35")
    assert rule_value("group_max.k5", on=dt.date(2030, 1, 1)) == Decimal("33")


def test_a_province_row_overrides_the_national_row_below_it_only(world):
    Rule.objects.create(code="kitchen_cutoff_hour", value=8, label="x", legal_basis="QĐ tỉnh",
                        effective_from=dt.date(2020, 1, 1), unit=world.units["D1"])
    day = dt.date(2024, 1, 10)
    assert rule_value("kitchen_cutoff_hour", on=day, unit=world.units["S1a"]) == Decimal("8")
    assert rule_value("kitchen_cutoff_hour", on=day, unit=world.units["S2"]) == Decimal("9")
    assert rule_value("kitchen_cutoff_hour", on=day) == Decimal("9")
