"""Monthly fee statements as plain arithmetic (no Django): meal money by the school's policy, monthly fees,
support, the previous balance.

Money is whole Vietnamese đồng. Inputs are checked to be whole đồng (``dong`` refuses fractions and
floats); the arithmetic is on exact integers (numpy int64 for a whole school-month, Python ints for one
child), so nothing is ever rounded: whole đồng x whole days stays whole. The one place a figure could be
fractional, support capped at what the month charges, is a minimum of whole numbers. Results come back as
``Decimal`` with no fractional digits.

The two policies (a school chooses one per school year, never both):

- ``eaten``: meal money = days actually eaten x daily rate, where the days eaten are the child's billable
  school days (enrolled in a semi-boarding group) less the days marked absent in the register.
- ``refund``: meal money = billable school days x daily rate - refunded days x refund per day, where a day
  is refunded when the kitchen learnt of the absence before its cut-off (Rule ``kitchen_cutoff_hour``: the
  same rule as the meal count, attendance.selectors.meal_counts). The refund per day is the food part of the
  fee by default (the fuel is spent whether or not the child eats); a school may refund the whole rate.

Monthly service fees are charged in full for a month with at least one billable day (no prorating).
Support (e.g. Nghị định 105/2020/NĐ-CP, Điều 7: 160,000 đ a month for eligible kindergarten children, for
the months actually attended, at most 9 months a school year) is granted for a month with at least one
billable day while the child has months left, and all support together never exceeds what the month
charges (meal money + fees): support is not paid out as cash through the statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np

EATEN = "eaten"
REFUND = "refund"
POLICIES = (EATEN, REFUND)

MEAL, REFUND_LINE, FEE, SUPPORT, BALANCE = "meal", "refund", "fee", "support", "balance"


class MoneyError(ValueError):
    pass


def dong(value) -> int:
    """A whole amount of đồng as an int; refuses floats, fractions and non-numbers."""
    if isinstance(value, float):
        raise MoneyError("money is never a float")
    if isinstance(value, bool):
        raise MoneyError("not an amount")
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise MoneyError(f"not an amount: {value!r}") from None
    if not d.is_finite() or d != d.to_integral_value():
        raise MoneyError(f"not a whole number of đồng: {value!r}")
    return int(d)


def as_decimal(n: int) -> Decimal:
    return Decimal(int(n))


@dataclass(frozen=True)
class FeeTable:
    """A school's fee table for a school year."""

    food_per_day: int
    fuel_per_day: int
    policy: str = EATEN
    refund_whole_rate: bool = False  # refund policy: refund the whole daily rate, not only the food part
    monthly_fees: tuple[tuple[str, int], ...] = ()  # (label, amount)

    def __post_init__(self):
        if self.policy not in POLICIES:
            raise MoneyError(f"unknown policy {self.policy!r}")
        for v in (self.food_per_day, self.fuel_per_day, *(a for _l, a in self.monthly_fees)):
            if dong(v) < 0:
                raise MoneyError("negative amount")

    @property
    def daily_rate(self) -> int:
        return dong(self.food_per_day) + dong(self.fuel_per_day)

    @property
    def refund_per_day(self) -> int:
        return self.daily_rate if self.refund_whole_rate else dong(self.food_per_day)

    @property
    def fees_total(self) -> int:
        return sum(dong(a) for _l, a in self.monthly_fees)


@dataclass(frozen=True)
class SupportGrant:
    """A support policy a child is eligible for this month (``months_left`` in the school year)."""

    code: str
    label: str
    amount: int
    months_left: int


@dataclass(frozen=True)
class ChildMonth:
    billable_days: int  # school days enrolled in a semi-boarding group of the school
    absent_days: int = 0  # of those, marked absent (policy eaten)
    notified_days: int = 0  # of those, absence known before the cut-off (policy refund)
    supports: tuple[SupportGrant, ...] = ()
    previous_balance: int = 0


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    quantity: int
    unit_amount: Decimal
    amount: Decimal  # signed: support and refunds negative


@dataclass
class Figures:
    meal: Decimal
    fees: Decimal
    support: Decimal
    previous_balance: Decimal
    total: Decimal
    days_eaten: int
    days_refunded: int
    lines: list[Line] = field(default_factory=list)


def meal_amounts(table: FeeTable, billable: np.ndarray, absent: np.ndarray, notified: np.ndarray) -> np.ndarray:
    """Meal money per child (int64 đồng), for arrays of billable, absent and notified days."""
    billable = np.asarray(billable, dtype=np.int64)
    if table.policy == EATEN:
        eaten = billable - np.minimum(np.asarray(absent, dtype=np.int64), billable)
        return eaten * table.daily_rate
    refunded = np.minimum(np.asarray(notified, dtype=np.int64), billable)
    return billable * table.daily_rate - refunded * table.refund_per_day


def statement(table: FeeTable, month: ChildMonth, labels: dict[str, str] | None = None) -> Figures:
    """One child's month: the lines and the totals."""
    labels = labels or {}
    billable = int(month.billable_days)
    if billable < 0 or month.absent_days < 0 or month.notified_days < 0:
        raise MoneyError("negative day count")
    lines: list[Line] = []
    rate = table.daily_rate
    if table.policy == EATEN:
        eaten = billable - min(month.absent_days, billable)
        refunded = 0
        lines.append(Line(MEAL, labels.get(MEAL, "Meals eaten"), eaten, as_decimal(rate), as_decimal(eaten * rate)))
    else:
        eaten = billable
        refunded = min(month.notified_days, billable)
        lines.append(Line(MEAL, labels.get(MEAL, "School days"), billable, as_decimal(rate),
                          as_decimal(billable * rate)))
        if refunded:
            per = table.refund_per_day
            lines.append(Line(REFUND_LINE, labels.get(REFUND_LINE, "Absences notified before the cut-off"),
                              refunded, as_decimal(-per), as_decimal(-refunded * per)))
    meal = int(meal_amounts(table, np.array([billable]), np.array([month.absent_days]),
                            np.array([month.notified_days]))[0])
    fees = 0
    if billable > 0:
        for label, amount in table.monthly_fees:
            a = dong(amount)
            fees += a
            lines.append(Line(FEE, label, 1, as_decimal(a), as_decimal(a)))
    charges = meal + fees
    support = 0
    if billable > 0:
        for grant in month.supports:
            if grant.months_left <= 0:
                continue
            a = min(dong(grant.amount), charges - support)
            if a <= 0:
                break
            support += a
            lines.append(Line(SUPPORT, grant.label, 1, as_decimal(-a), as_decimal(-a)))
    previous = dong(month.previous_balance)
    if previous:
        lines.append(Line(BALANCE, labels.get(BALANCE, "Previous balance"), 1, as_decimal(previous),
                          as_decimal(previous)))
    total = charges - support + previous
    return Figures(as_decimal(meal), as_decimal(fees), as_decimal(support), as_decimal(previous), as_decimal(total),
                   eaten if table.policy == EATEN else billable - refunded, refunded, lines)


# --- refunds: which absences the kitchen knew of before its cut-off ----------------------------------


@dataclass(frozen=True)
class Mark:
    """An absence marked in the register (child, day, when it was recorded)."""

    child_id: int
    day: dt.date
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Notice:
    """A parent's absence request (child, first and last day, when it was made)."""

    child_id: int
    first: dt.date
    last: dt.date
    requested_at: dt.datetime


def notified_days(days: Sequence[dt.date], cutoff_of: dict[dt.date, dt.datetime], marks: Iterable[Mark],
                  notices: Iterable[Notice]) -> dict[int, set[dt.date]]:
    """For each child, the school days whose absence was known before that day's cut-off.

    ``days`` are the school days the child could be billed for; the rows are absences only (a few per
    child and month), so this is linear in what was reported, not in children x days.
    """
    wanted = set(days)
    out: dict[int, set[dt.date]] = {}
    for m in marks:
        if m.day in wanted and m.recorded_at < cutoff_of[m.day]:
            out.setdefault(m.child_id, set()).add(m.day)
    ordered = sorted(wanted)
    for n in notices:
        for d in ordered:
            if n.first <= d <= n.last and n.requested_at < cutoff_of[d]:
                out.setdefault(n.child_id, set()).add(d)
    return out
