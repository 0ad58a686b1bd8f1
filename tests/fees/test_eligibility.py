"""The children of martyrs and war invalids (NĐ 105/2020 Điều 7 khoản 1): a fees-side eligibility record with its
proof and period; the NĐ 105 lunch support follows it, by hand."""

import datetime as dt

import pytest
from django.db import IntegrityError

from mamnon.core import scoping
from mamnon.fees import selectors, services
from mamnon.fees.models import Statement, SupportEligibility, SupportPolicy
from tests.fees.conftest import MARCH


def _eligible(c, key, start, end=None):
    child = c.children[key]
    return SupportEligibility.objects.create(
        school=child.school, child=child, situation="war_merit", valid_from=start, valid_to=end,
        evidence="Giấy chứng nhận gia đình liệt sĩ số 123/GCN, 01/02/2020")


def _generate(c):
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    return {k: Statement.objects.filter(child=ch, month=MARCH).first() for k, ch in c.children.items()}


def test_national_policy_names_the_situation(fees):
    assert SupportPolicy.objects.get(code="nd105-an-trua").for_war_merit is True


def test_martyrs_child_gets_the_lunch_support(fees):
    c = fees.classroom
    _eligible(c, "K3", dt.date(2024, 3, 15))  # covers part of March: the month counts
    _eligible(c, "K4", dt.date(2024, 1, 1))  # creche child: NĐ 105 lunch support is for kindergarten only
    s = _generate(c)
    # K3: 21 days x 28,000 = 588,000 + 10,000 water - 160,000 support
    assert (s["K3"].support_amount, s["K3"].total) == (160000, 438000)
    assert s["K4"].support_amount == 0 and s["K4"].total == 598000


def test_eligibility_outside_the_month_gives_nothing(fees):
    c = fees.classroom
    _eligible(c, "K3", dt.date(2023, 9, 1), dt.date(2024, 2, 29))  # ended before March
    _eligible(c, "K2", dt.date(2024, 4, 1))  # starts after March
    inputs = selectors.eligibility_in_month([c.children["K3"].pk, c.children["K2"].pk], dt.date(2024, 3, 1),
                                            dt.date(2024, 3, 31))
    assert inputs == {}
    s = _generate(c)
    assert s["K3"].support_amount == 0 and s["K3"].total == 598000


def test_support_counted_once_when_two_situations_apply(fees):
    c = fees.classroom
    _eligible(c, "K1", dt.date(2024, 1, 1))  # K1 already has a disability: still one NĐ 105 grant
    s = _generate(c)
    assert (s["K1"].support_amount, s["K1"].total) == (160000, 438000)


def test_period_must_be_ordered(fees):
    with pytest.raises(IntegrityError):
        _eligible(fees.classroom, "K3", dt.date(2024, 3, 15), dt.date(2024, 3, 1))


def test_scoped_to_the_school(fees):
    c = fees.classroom
    row = _eligible(c, "K3", dt.date(2024, 3, 1))
    assert scoping.restrict(SupportEligibility.objects.all(), c.world.user("accountant1a")).filter(pk=row.pk).exists()
    assert not scoping.restrict(SupportEligibility.objects.all(), c.world.user("principal2")).filter(pk=row.pk).exists()
