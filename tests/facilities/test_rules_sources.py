"""The facility figures against the texts they were read in (facilities/default_rules.py, docs/facilities.md):
value, legal basis and effective date; TT 23/2024/TT-BGDĐT's school size applies from 31/01/2025 only."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from mamnon.core.models import Rule
from mamnon.facilities import selectors


def national(code, on):
    return (Rule.objects.filter(code=code, unit=None, effective_from__lte=on)
            .order_by("-effective_from").first())


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "value", "since", "basis"), [
    # NĐ 46/2017 amended by NĐ 135/2018 (and the 2008 charter, Điều 27 khoản 2): 12 m² lowland, delta, midland;
    # 8 m² city, town, mountainous.
    ("facility.land_per_child", "12", dt.date(2008, 5, 3), "135/2018"),
    ("facility.land_per_child_urban", "8", dt.date(2008, 5, 3), "135/2018"),
    # NĐ 135/2018: care rooms of independent groups at least 1.5 m² per child.
    ("facility.group_room_per_child", "1.5", dt.date(2018, 10, 4), "135/2018"),
    # Not found in any text read: labelled as unverified.
    ("facility.toilet_per_child", "0.4", dt.date(2020, 7, 11), "chưa đối chiếu"),
    # TT 13/2020 Điều 6: one room per group or class; TT 13/2020 in force 11/07/2020 (its Điều 2).
    ("facility.group_rooms_per_group", "1", dt.date(2020, 7, 11), "13/2020"),
])
def test_area_rules_cite_their_text(code, value, since, basis):
    rows = list(Rule.objects.filter(code=code, unit=None))
    assert [(r.value, r.effective_from) for r in rows] == [(Decimal(value), since)]
    assert basis in rows[0].legal_basis
    # Nothing left at the unverified date the first version shipped with.
    assert not Rule.objects.filter(code=code, effective_from=dt.date(2020, 7, 10)).exists()


@pytest.mark.django_db
def test_tt23_2024_school_size_applies_from_31_01_2025():
    # TT 13/2020 Điều 5 khoản 2: 9-20 groups; TT 23/2024 Điều 1 khoản 4 (in force 31/01/2025): 9-30.
    assert national("school_groups_max", dt.date(2025, 1, 30)).value == 20
    assert national("school_groups_max", dt.date(2025, 1, 31)).value == 30
    assert "23/2024" in national("school_groups_max", dt.date(2025, 9, 5)).legal_basis
    assert national("school_groups_min", dt.date(2025, 9, 5)).value == 9
    assert national("school_groups_min_island", dt.date(2025, 9, 5)).value == 3
    assert national("school_groups_min_island", dt.date(2024, 9, 5)) is None
    assert national("school_sites_max_special", dt.date(2025, 9, 5)).value == 12
    assert national("school_sites_max", dt.date(2025, 9, 5)).value == 5


@pytest.mark.django_db
def test_limits_by_date_use_the_rows_in_force():
    limits = selectors.limits_for(["x"], on=dt.date(2024, 9, 5))
    assert (limits.land_per_child[0], limits.land_per_child_urban[0], limits.group_room_per_child[0],
            limits.toilet_per_child[0], limits.group_rooms_per_group[0]) == (12, 8, 1.5, 0.4, 1)
    # Before NĐ 135/2018 there is no group-room figure (no check), the land figures apply.
    old = selectors.limits_for(["x"], on=dt.date(2015, 9, 5))
    assert old.land_per_child[0] == 12 and old.group_room_per_child[0] != old.group_room_per_child[0]  # NaN


@pytest.mark.django_db
def test_migration_rewrites_rows_shipped_at_the_old_date():
    Rule.objects.filter(code="facility.land_per_child", unit=None).delete()
    Rule.objects.create(code="facility.land_per_child", unit=None, value=12, effective_from=dt.date(2020, 7, 10),
                        label="old", legal_basis="Thông tư 13/2020/TT-BGDĐT, Điều 6 - chưa đối chiếu")
    migration = importlib.import_module("mamnon.facilities.migrations.0003_checked_rules")
    migration.forward(apps, None)
    row = Rule.objects.get(code="facility.land_per_child", unit=None)
    assert (row.effective_from, row.value) == (dt.date(2008, 5, 3), 12)
    assert "135/2018" in row.legal_basis and "Điều 27" in row.legal_basis
