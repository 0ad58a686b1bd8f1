"""Statements of a school-month against hand-worked figures; payments; a statement paid twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamnon.attendance.models import AbsenceRequest, Attendance
from mamnon.fees import selectors, services
from mamnon.fees.models import Payment, Statement
from tests.fees.conftest import APRIL, MARCH

VN = dt.timezone(dt.timedelta(hours=7))


def mark(classroom, key, day, status="sick", at=None):
    child = classroom.children[key]
    group = child.enrolments.get().group
    row = Attendance.objects.create(school=group.school, group=group, child=child, date=day, status=status)
    if at is not None:
        Attendance.objects.filter(pk=row.pk).update(recorded_at=at)
    return row


def by_child(classroom, month):
    return {k: Statement.objects.filter(child=c, month=month).first() for k, c in classroom.children.items()}


def test_eaten_policy_month_by_hand(fees):
    c = fees.classroom
    for d in (4, 5, 6):
        mark(c, "K2", dt.date(2024, 3, d))
    mark(c, "K2", dt.date(2024, 3, 9))  # a Saturday: not a school day, not counted
    result = services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                          month=MARCH)
    assert result.created == 4  # K1, K2, K3 (G1) and K4 (G2): S1a's children
    assert by_child(c, MARCH)["K3"].total == 598000  # 5-year-old without support: 588,000 + 10,000
    s = by_child(c, MARCH)
    # K1: 21 days x 28,000 = 588,000 + 10,000 water - 160,000 (NĐ 105/2020: kindergarten child with a disability)
    assert (s["K1"].meal_amount, s["K1"].support_amount, s["K1"].total) == (588000, 160000, 438000)
    # K2: 18 days eaten x 28,000 = 504,000 + 10,000
    assert (s["K2"].days_eaten, s["K2"].total) == (18, 514000)
    # K4: creche, no support: 588,000 + 10,000
    assert s["K4"].total == 598000 and s["K4"].support_amount == 0
    assert s["K5"] is None and s["K6"] is None  # other schools
    assert s["K1"].reference == f"MN2403C{c.children['K1'].pk}"
    assert [ln.amount for ln in s["K1"].lines.all()] == [588000, 10000, -160000]


def test_refund_policy_month_by_hand(fees):
    c = fees.classroom
    fees.table.policy = "refund"
    fees.table.save()
    k2 = c.children["K2"]
    req = AbsenceRequest.objects.create(school=k2.school, child=k2, date_from=dt.date(2024, 3, 5),
                                        date_to=dt.date(2024, 3, 6), reason="ốm", requested_by=c.world.user("parent1a"))
    AbsenceRequest.objects.filter(pk=req.pk).update(requested_at=dt.datetime(2024, 3, 4, 20, 0, tzinfo=VN))
    mark(c, "K2", dt.date(2024, 3, 7), at=dt.datetime(2024, 3, 7, 10, 0, tzinfo=VN))  # after 9:00: no refund
    mark(c, "K2", dt.date(2024, 3, 8), at=dt.datetime(2024, 3, 8, 8, 0, tzinfo=VN))  # before: refund
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    s = by_child(c, MARCH)["K2"]
    # 21 x 28,000 = 588,000 - 3 days x 25,000 (food part) = 513,000 + 10,000
    assert (s.days_refunded, s.meal_amount, s.total) == (3, 513000, 523000)


def test_support_stops_after_nine_months(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    school = c.world.schools["S1a"]
    months = [dt.date(2023, m, 1) for m in (9, 10, 11, 12)] + [dt.date(2024, m, 1) for m in (1, 2, 3, 4, 5)]
    for m in months:
        services.statements_generate(actor=actor, school=school, month=m)
    k1 = c.children["K1"]
    supported = Statement.objects.filter(child=k1, support_amount__gt=0).count()
    assert supported == 9
    # The school year runs 05/09/2023-31/05/2024: nine months, each supported once; a regeneration of
    # May does not count May twice.
    services.statements_generate(actor=actor, school=school, month=dt.date(2024, 5, 1))
    assert Statement.objects.filter(child=k1, support_amount__gt=0).count() == 9


def test_generation_runs_a_fixed_number_of_queries(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    school = c.world.schools["S1a"]
    with CaptureQueriesContext(connection) as few:
        services.statements_generate(actor=actor, school=school, month=MARCH)
    for n in range(20):  # 20 more children in G1
        from mamnon.children.models import Child, Enrolment
        kid = Child.objects.create(school=school, full_name=f"ZZ-extra-{n}", birth_date=dt.date(2018, 5, 1), sex="M")
        Enrolment.objects.create(child=kid, group=c.groups["G1"], school=school, start_date=c.year.start_date)
        mark(c, "K2", dt.date(2024, 3, 11 + n % 5)) if n == 0 else None
    with CaptureQueriesContext(connection) as many:
        services.statements_generate(actor=actor, school=school, month=MARCH)
    assert Statement.objects.filter(school=school, month=MARCH).count() == 24
    assert len(many) <= len(few) + 3  # replacing the old statements costs a few, children none


def test_payment_then_a_second_payment_is_refused(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    services.statements_generate(actor=actor, school=c.world.schools["S1a"], month=MARCH)
    s = by_child(c, MARCH)["K2"]
    services.payment_record(actor=actor, statement=s, amount=500000, method="cash", paid_on=dt.date(2024, 4, 2))
    services.payment_record(actor=actor, statement=s, amount=Decimal(98000), method="transfer",
                            paid_on=dt.date(2024, 4, 3), bank_ref="FT123")
    s.refresh_from_db()
    assert s.paid == 598000 and s.is_paid
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=actor, statement=s, amount=598000, method="cash", paid_on=dt.date(2024, 4, 4))
    assert "already paid in full (598.000 đ)" in exc.value.message_dict["amount"][0]
    assert Payment.objects.filter(statement=s).count() == 2


def test_payment_refusals_write_nothing(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    services.statements_generate(actor=actor, school=c.world.schools["S1a"], month=MARCH)
    s = by_child(c, MARCH)["K4"]
    for amount, key in ((598001, "amount"), (0, "amount"), (-5, "amount"), ("12.5", "amount"), (1.5, "amount")):
        with pytest.raises(ValidationError) as exc:
            services.payment_record(actor=actor, statement=s, amount=amount, method="cash", paid_on=MARCH)
        assert key in exc.value.message_dict
    services.payment_record(actor=actor, statement=s, amount=1000, method="transfer", paid_on=MARCH, bank_ref="X1")
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=actor, statement=s, amount=1000, method="transfer", paid_on=MARCH,
                                bank_ref="X1")
    assert "bank_ref" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=c.world.user("teacher1a"), statement=s, amount=1000, method="cash",
                                paid_on=MARCH)
    s.refresh_from_db()
    assert s.paid == 1000 and Payment.objects.count() == 1


def test_balance_carried_into_next_month(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    school = c.world.schools["S1a"]
    services.statements_generate(actor=actor, school=school, month=MARCH)
    march = by_child(c, MARCH)
    services.payment_record(actor=actor, statement=march["K2"], amount=598000, method="cash", paid_on=APRIL)
    services.payment_record(actor=actor, statement=march["K4"], amount=98000, method="cash", paid_on=APRIL)
    services.statements_generate(actor=actor, school=school, month=APRIL)
    april = by_child(c, APRIL)
    # K4: 22 x 28,000 = 616,000 + 10,000 + 500,000 still owed on March
    assert (april["K4"].previous_balance, april["K4"].total) == (500000, 1126000)
    assert april["K2"].previous_balance == 0 and april["K2"].total == 626000
    march["K4"].refresh_from_db()
    assert march["K4"].carried_into_id == april["K4"].pk
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=actor, statement=march["K4"], amount=1000, method="cash", paid_on=APRIL)
    assert "carried into" in exc.value.message_dict["amount"][0]
    # Re-issuing April (nothing paid on it yet) frees March's balance and carries it again.
    services.statements_generate(actor=actor, school=school, month=APRIL)
    assert by_child(c, APRIL)["K4"].total == 1126000
    # The arrears list: what is owed and not carried.
    owed = list(selectors.arrears(actor, school=school))
    assert {s.child_id for s in owed} == {c.children[k].pk for k in ("K1", "K2", "K3", "K4")}


def test_paid_statements_are_kept_on_regeneration(fees):
    c = fees.classroom
    actor = c.world.user("accountant1a")
    school = c.world.schools["S1a"]
    services.statements_generate(actor=actor, school=school, month=MARCH)
    s = by_child(c, MARCH)["K1"]
    services.payment_record(actor=actor, statement=s, amount=1000, method="cash", paid_on=MARCH)
    result = services.statements_generate(actor=actor, school=school, month=MARCH)
    assert result.kept == [s.reference] and result.replaced == 3 and result.created == 3
    assert Statement.objects.filter(pk=s.pk).exists()


def test_no_fee_table_no_statements(fees):
    c = fees.classroom
    with pytest.raises(ValidationError) as exc:
        services.statements_generate(actor=c.world.user("principal1b"), school=c.world.schools["S1b"], month=MARCH)
    assert "no fee table" in exc.value.message_dict["month"][0]
    assert not Statement.objects.exists()


def test_fee_table_validation(fees):
    c = fees.classroom
    with pytest.raises(ValidationError) as exc:
        services.fee_table_save(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                school_year=c.year, food_per_day="25000.5", fuel_per_day=-3, policy="both",
                                bank_bin="97", bank_account="12", fees=[("", 1), ("Nước", -1)])
    assert set(exc.value.message_dict) == {"food_per_day", "fuel_per_day", "policy", "bank_bin", "fees"}
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    with pytest.raises(ValidationError) as exc:
        services.fee_table_save(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                school_year=c.year, food_per_day=25000, fuel_per_day=3000, policy="refund")
    assert "policy" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.fee_table_save(actor=c.world.user("principal2"), school=c.world.schools["S1a"],
                                school_year=c.year, food_per_day=25000, fuel_per_day=3000, policy="eaten")
