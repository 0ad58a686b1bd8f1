"""The nutrition cut-offs are Rule rows with their legal basis; a unit's override changes the classification."""

import datetime as dt
from decimal import Decimal

from mamnon.core.models import Rule
from mamnon.health import selectors
from mamnon.health.default_rules import RULES


def test_every_rule_is_loaded_with_its_legal_basis(db):
    for code, value, _label, basis, since in RULES:
        row = Rule.objects.get(code=code, unit=None, effective_from=since)
        assert row.value == Decimal(str(value)) and basis and row.legal_basis == basis


def test_thresholds_are_who_by_default(db):
    t = selectors.thresholds_on(dt.date(2024, 1, 1))
    assert (t.low, t.severe, t.whz_overweight, t.whz_obese, t.baz_overweight, t.baz_obese, t.switch_months) == (
        -2, -3, 2, 3, 1, 2, 60)


def test_a_province_override_applies_below_it_only(world):
    Rule.objects.create(code="nutrition.baz_overweight", value=Decimal("1.5"), label="x", legal_basis="local",
                        effective_from=dt.date(2023, 1, 1), unit=world.units["D1"])
    day = dt.date(2024, 1, 1)
    assert selectors.thresholds_on(day, world.units["S1a"]).baz_overweight == 1.5
    assert selectors.thresholds_on(day, world.units["S2"]).baz_overweight == 1.0
    assert selectors.thresholds_on(dt.date(2022, 1, 1), world.units["S1a"]).baz_overweight == 1.0
