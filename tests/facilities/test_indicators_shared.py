"""EQUIP_MIN inside a refresh (equipment read once a year, children counted once for all the year's stock
days, ``registry.shared``) against the family called for one window at a time, with G1 changing size."""

import datetime as dt
from decimal import Decimal

import pytest

from mamnon.children.models import Child, ChildStatus, Enrolment
from mamnon.facilities.indicators import equipment_family
from mamnon.facilities.models import EquipmentItem, GroupEquipment
from mamnon.indicators import periods, registry

pytestmark = pytest.mark.django_db


def per_school(values, w):
    key_of = {s.pk: k for k, s in w.schools.items()}
    return {key_of[int(i)]: (float(n), float(d))
            for i, n, d in zip(values.school_ids, values.numerator, values.denominator, strict=True)}


@pytest.fixture
def growing(facilities):
    """G1 (k5) has 3 children until 31/12/2023, 4 from 01/01/2024 (K9 joins) and 2 from 01/03/2024 (K2 and K3
    leave on 29/02). Its holdings: A 2 of 2 per group; B 1 per child, 3 pieces, 1 damaged -> 2 usable; E 0.5
    per child, 2 pieces -> enough for 4 children; F 0.3 per child (new, 0.3 x 2 = 0.6 -> needs 1), 1 piece."""
    c = facilities.classroom
    s1a = c.world.schools["S1a"]
    k9 = Child.objects.create(school=s1a, full_name=c.world.marker("child-K9"), birth_date=dt.date(2018, 6, 1),
                              sex="F", status=ChildStatus.ENROLLED)
    Enrolment.objects.create(child=k9, group=c.groups["G1"], school=s1a, start_date=dt.date(2024, 1, 1))
    Enrolment.objects.filter(child__in=[c.children["K2"], c.children["K3"]]).update(end_date=dt.date(2024, 2, 29))
    f = EquipmentItem.objects.create(code="T-F", name="Test item F", age_band="k5", category="teaching",
                                     quantity=Decimal("0.3"), basis="child")
    GroupEquipment.objects.create(school=s1a, group=c.groups["G1"], item=f, quantity=1, damaged=0)
    return facilities


def test_equipment_in_a_refresh_equals_each_window_alone(growing):
    w = growing.world
    windows = periods.windows_of("2023-2024")
    with registry.sharing({}):
        shared = {win.code: per_school(equipment_family(win, None)["EQUIP_MIN"], w) for win in windows}
    for win in windows:
        assert shared[win.code] == per_school(equipment_family(win, None)["EQUIP_MIN"], w), win.code
    # G1 short of B (2 usable) with 3 children (31/12) and 4 (31/01); with 2 (31/03) B is enough, F too
    # (0.3 x 2 = 0.6 <= 1 usable; 0.3 x 4 = 1.2 > 1 in January), E (0.5 x 2 = 1 <= 2): G1 meets the list.
    assert shared["2023-12"]["S1a"] == (1, 2)
    assert shared["2024-01"]["S1a"] == (1, 2)
    assert shared["2024-03"]["S1a"] == (2, 2)
    assert shared["2023-2024"]["S1a"] == (2, 2)
