"""Monthly statements against hand-worked figures (Sao Sáng's 28,000 đ a day = 25,000 food + 3,000 fuel)."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from mamnon.calc import fees

FEES = (("Nước uống", 10_000), ("Chăm sóc bán trú", 150_000))
ND105 = fees.SupportGrant("nd105", "Hỗ trợ ăn trưa", 160_000, 9)


def table(policy=fees.EATEN, **kw):
    return fees.FeeTable(food_per_day=25_000, fuel_per_day=3_000, policy=policy, monthly_fees=FEES, **kw)


def test_eaten_policy_by_hand():
    # 20 school days, 3 absent: 17 x 28,000 = 476,000; fees 160,000; support 160,000; balance 50,000.
    f = fees.statement(table(), fees.ChildMonth(20, absent_days=3, notified_days=2, supports=(ND105,),
                                                previous_balance=50_000))
    assert f.meal == Decimal(476_000)
    assert f.fees == Decimal(160_000)
    assert f.support == Decimal(160_000)
    assert f.total == Decimal(526_000)  # 476,000 + 160,000 - 160,000 + 50,000
    assert f.days_eaten == 17 and f.days_refunded == 0
    assert [line.amount for line in f.lines] == [476_000, 10_000, 150_000, -160_000, 50_000]
    assert all(isinstance(line.amount, Decimal) and line.amount == line.amount.to_integral_value()
               for line in f.lines)


def test_refund_policy_by_hand():
    # 20 x 28,000 = 560,000; 2 notified days x 25,000 (food only) = 50,000 back; + 160,000 fees = 670,000.
    f = fees.statement(table(fees.REFUND), fees.ChildMonth(20, absent_days=3, notified_days=2))
    assert f.meal == Decimal(510_000)
    assert f.total == Decimal(670_000)
    assert f.days_refunded == 2
    assert [line.kind for line in f.lines] == ["meal", "refund", "fee", "fee"]
    assert f.lines[1].amount == Decimal(-50_000)


def test_refund_of_the_whole_rate():
    f = fees.statement(table(fees.REFUND, refund_whole_rate=True), fees.ChildMonth(20, notified_days=2))
    assert f.meal == Decimal(20 * 28_000 - 2 * 28_000)


def test_never_both_policies():
    # The same month under each policy: the eaten one ignores notices, the refund one ignores plain absences.
    month = fees.ChildMonth(10, absent_days=4, notified_days=1)
    assert fees.statement(table(fees.EATEN), month).meal == Decimal(6 * 28_000)
    assert fees.statement(table(fees.REFUND), month).meal == Decimal(10 * 28_000 - 25_000)


def test_support_never_exceeds_the_charges_and_needs_months_left():
    t = fees.FeeTable(food_per_day=25_000, fuel_per_day=3_000, monthly_fees=(("Nước uống", 10_000),))
    f = fees.statement(t, fees.ChildMonth(2, absent_days=1, supports=(ND105,)))
    assert f.support == Decimal(28_000 + 10_000)
    assert f.total == 0
    used_up = fees.SupportGrant("nd105", "Hỗ trợ ăn trưa", 160_000, 0)
    assert fees.statement(t, fees.ChildMonth(20, supports=(used_up,))).support == 0
    # No billable day: no meal money, no fee, no support, only the balance.
    f = fees.statement(t, fees.ChildMonth(0, supports=(ND105,), previous_balance=70_000))
    assert (f.meal, f.fees, f.support, f.total) == (0, 0, 0, 70_000)


def test_two_supports_stack_within_the_cap():
    local = fees.SupportGrant("hp", "Hỗ trợ địa phương", 400_000, 9)
    f = fees.statement(table(), fees.ChildMonth(20, supports=(ND105, local)))
    charges = 20 * 28_000 + 160_000
    assert f.support == Decimal(min(charges, 560_000))


def test_vectorised_meal_amounts_agree():
    billable = np.array([20, 20, 5, 0])
    absent = np.array([3, 25, 0, 0])
    notified = np.array([2, 25, 1, 0])
    assert list(fees.meal_amounts(table(), billable, absent, notified)) == [476_000, 0, 140_000, 0]
    assert list(fees.meal_amounts(table(fees.REFUND), billable, absent, notified)) == [510_000, 60_000, 115_000, 0]


@pytest.mark.parametrize("bad", [1.5, 28000.0, Decimal("0.5"), "abc", None, True])
def test_money_is_whole_dong(bad):
    with pytest.raises(fees.MoneyError):
        fees.dong(bad)


def test_negative_amounts_refused():
    with pytest.raises(fees.MoneyError):
        fees.FeeTable(food_per_day=-1, fuel_per_day=0)
    with pytest.raises(fees.MoneyError):
        fees.FeeTable(food_per_day=1, fuel_per_day=0, policy="both")


def test_notified_days_follow_each_days_cutoff():
    tz = dt.timezone(dt.timedelta(hours=7))
    days = [dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 6)]
    cutoff = {d: dt.datetime.combine(d, dt.time(9), tzinfo=tz) for d in days}
    marks = [
        fees.Mark(1, days[0], dt.datetime(2024, 3, 4, 8, 30, tzinfo=tz)),  # before 9:00: refunded
        fees.Mark(1, days[1], dt.datetime(2024, 3, 5, 10, 0, tzinfo=tz)),  # after: not
        fees.Mark(2, dt.date(2024, 3, 9), dt.datetime(2024, 3, 9, 7, tzinfo=tz)),  # not a school day
    ]
    notices = [fees.Notice(2, days[0], days[2], dt.datetime(2024, 3, 4, 9, 30, tzinfo=tz))]  # late for the 4th
    out = fees.notified_days(days, cutoff, marks, notices)
    assert out == {1: {days[0]}, 2: {days[1], days[2]}}
