"""The refresh on the hand-built scenario (tests/indicators/conftest.py): every figure worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from mamnon.attendance.models import Attendance
from mamnon.indicators import registry, services
from mamnon.indicators.models import Indicator, IndicatorValue, RefreshMark
from mamnon.org import services as org_services

pytestmark = pytest.mark.django_db


def got(unit, code, period):
    row = IndicatorValue.objects.filter(unit=unit, indicator__code=code, period=period).first()
    return None if row is None else (row.numerator, row.denominator, None if row.value is None else round(row.value, 2))


@pytest.fixture
def refreshed(scenario):
    services.values_refresh(school_year="2023-2024")
    return scenario


def test_children_indicators_at_each_level(refreshed):
    u = refreshed.world.units
    r2 = "2023-2024/R2"
    # FULLDAY: S1a 3 of 4, S1b 1 of 1, S2 1 of 3 (K6 only); D1 4/5, D2 1/3, province 5/8.
    assert got(u["S1a"], "FULLDAY", r2) == (3, 4, 75.0)
    assert got(u["S1b"], "FULLDAY", r2) == (1, 1, 100.0)
    assert got(u["S2"], "FULLDAY", r2) == (1, 3, 33.33)
    assert got(u["D1"], "FULLDAY", r2) == (4, 5, 80.0)
    assert got(u["D2"], "FULLDAY", r2) == (1, 3, 33.33)
    assert got(u["P"], "FULLDAY", r2) == (5, 8, 62.5)
    # 5-year-olds: G1's three all full day, G5's two not: province 3/5.
    assert got(u["D1"], "FULLDAY_5Y", r2) == (3, 3, 100.0)
    assert got(u["D2"], "FULLDAY_5Y", r2) == (0, 2, 0.0)
    assert got(u["P"], "FULLDAY_5Y", r2) == (3, 5, 60.0)
    # English: kindergarten children 3 (S1a) + 1 (S1b) + 3 (S2); only K5 in an English class.
    assert got(u["D1"], "ENGLISH", r2) == (1, 4, 25.0)
    assert got(u["P"], "ENGLISH", r2) == (1, 7, 14.29)
    # Public share: S2 is private.
    assert got(u["P"], "ENR_PUBLIC_SHARE", r2) == (5, 8, 62.5)
    # Groups: S1a 1 of 2 semi-boarding, S1b 1/1, S2 2/2.
    assert got(u["D1"], "SEMI_BOARDING", r2) == (2, 3, 66.67)
    assert got(u["P"], "SEMI_BOARDING", r2) == (4, 5, 80.0)
    # Children per group: D1 5 children / 3 groups; province 8 / 5; groups per school 5 / 3.
    assert got(u["D1"], "CLASS_SIZE", r2) == (5, 3, 1.67)
    assert got(u["P"], "CLASS_SIZE", r2) == (8, 5, 1.6)
    assert got(u["P"], "SCHOOL_SIZE", r2) == (5, 3, 1.67)
    # Inclusion: K1 (disability) enrolled; K6's support row records no disability.
    assert got(u["P"], "INCLUSION", r2) == (1, 1, 100.0)
    # January: K8 left on 31/12, so S2 has 2 children.
    assert got(u["S2"], "FULLDAY", "2024-01") == (1, 2, 50.0)
    assert got(u["P"], "FULLDAY", "2024-01") == (5, 7, 71.43)


def test_attendance_rate(refreshed):
    u = refreshed.world.units
    # October: S1a 3 present of 4 child-days, S2 1 (late counts) of 2; province 4/6.
    assert got(u["S1a"], "ATTENDANCE", "2023-10") == (3, 4, 75.0)
    assert got(u["D2"], "ATTENDANCE", "2023-10") == (1, 2, 50.0)
    assert got(u["P"], "ATTENDANCE", "2023-10") == (4, 6, 66.67)
    assert got(u["P"], "ATTENDANCE_5Y", "2023-10") == (4, 6, 66.67)
    assert got(u["P"], "ATTENDANCE", "2023-2024/HK1") == (4, 6, 66.67)
    # November has no register: no child-days, no value (a computed 0/0 is not stored).
    assert got(u["P"], "ATTENDANCE", "2023-11") is None


def test_rollup_equals_the_sum_of_parts(refreshed):
    u = refreshed.world.units
    for code in registry.computed_codes():
        for period in ("2023-2024/R2", "2023-10", "2023-2024"):
            parts = IndicatorValue.objects.filter(indicator__code=code, period=period,
                                                  unit__in=[u["S1a"], u["S1b"], u["S2"]])
            top = IndicatorValue.objects.filter(indicator__code=code, period=period, unit=u["P"]).first()
            if top is None:  # nothing below either: a computed 0/0 is not stored
                assert not parts.exists(), (code, period)
                continue
            assert top.numerator == sum(p.numerator for p in parts)
            assert top.denominator == sum(p.denominator for p in parts)


def test_values_record_when_and_from_what(refreshed):
    v = IndicatorValue.objects.get(unit=refreshed.world.units["P"], indicator__code="FULLDAY", period="2023-2024")
    assert v.source == IndicatorValue.Source.COMPUTED and v.schools == 3 and v.computed_at is not None
    assert RefreshMark.objects.get(school_year="2023-2024").dirty_since is None


def test_a_school_merged_mid_year_is_counted_once(scenario):
    u = scenario.world.units
    org_services.units_merge(sources=[u["S1b"]], target=u["S1a"], effective=dt.date(2024, 1, 1))
    services.values_refresh(school_year="2023-2024")
    # December: S1b still stood on its own.
    assert got(u["S1b"], "FULLDAY", "2023-2024/R2") == (1, 1, 100.0)
    assert got(u["S1a"], "FULLDAY", "2023-2024/R2") == (3, 4, 75.0)
    # January: S1b's child counts under S1a (and once in D1 and the province).
    assert got(u["S1a"], "FULLDAY", "2024-01") == (4, 5, 80.0)
    assert got(u["D1"], "FULLDAY", "2024-01") == (4, 5, 80.0)
    assert got(u["P"], "FULLDAY", "2024-01") == (5, 7, 71.43)


def test_a_school_moved_mid_year_counts_where_it_stood(scenario):
    u = scenario.world.units
    org_services.unit_move(unit=u["S2"], new_parent=u["D1"], effective=dt.date(2024, 1, 1))
    services.values_refresh(school_year="2023-2024")
    assert got(u["D2"], "FULLDAY", "2023-2024/R2") == (1, 3, 33.33)
    assert got(u["D1"], "FULLDAY", "2023-2024/R2") == (4, 5, 80.0)
    assert got(u["D1"], "FULLDAY", "2024-01") == (5, 7, 71.43)
    assert got(u["D2"], "FULLDAY", "2024-01") is None  # no school left in D2: no value at all
    assert got(u["P"], "FULLDAY", "2024-01") == (5, 7, 71.43)


def test_declarations_roll_up_and_override(scenario):
    w = scenario.world
    u = w.units
    admin = w.user("admin")
    new = Indicator.objects.get(code="NEW_SCHOOLS")
    d1 = services.declared_value_submit(actor=w.user("district1"), unit=u["D1"], indicator=new, period="2023-2024",
                                        numerator=Decimal(2))
    d2 = services.declared_value_submit(actor=w.user("district2"), unit=u["D2"], indicator=new, period="2023-2024",
                                        numerator=Decimal(1))
    services.values_refresh(school_year="2023-2024")
    assert got(u["P"], "NEW_SCHOOLS", "2023-2024") is None  # not yet approved
    for dv in (d1, d2):
        services.declared_value_review(actor=w.user("province"), declared=dv, approve=True)
    # An independent group that keeps no records declares its own figure: it replaces the computed one.
    fullday = Indicator.objects.get(code="FULLDAY")
    s2 = services.declared_value_submit(actor=w.user("principal2"), unit=u["S2"], indicator=fullday,
                                        period="2023-2024/R2", numerator=Decimal(3), denominator=Decimal(4))
    services.declared_value_review(actor=admin, declared=s2, approve=True)
    services.values_refresh(school_year="2023-2024")
    assert got(u["D1"], "NEW_SCHOOLS", "2023-2024") == (2, 1, 2.0)
    assert got(u["P"], "NEW_SCHOOLS", "2023-2024") == (3, 2, 3.0)
    assert got(u["S1a"], "NEW_SCHOOLS", "2023-2024") is None
    assert got(u["D2"], "FULLDAY", "2023-2024/R2") == (3, 4, 75.0)
    assert got(u["P"], "FULLDAY", "2023-2024/R2") == (7, 9, 77.78)
    assert IndicatorValue.objects.get(unit=u["P"], indicator=fullday, period="2023-2024/R2").source == "mixed"
    # The province declares its own total: it stands for its whole tree.
    p = services.declared_value_submit(actor=w.user("province"), unit=u["P"], indicator=new, period="2023-2024",
                                       numerator=Decimal(5))
    services.declared_value_review(actor=admin, declared=p, approve=True)
    services.values_refresh(school_year="2023-2024")
    assert got(u["P"], "NEW_SCHOOLS", "2023-2024")[2] == 5.0
    assert got(u["D1"], "NEW_SCHOOLS", "2023-2024")[2] == 2.0


def test_refresh_of_one_unit_leaves_the_rest(refreshed):
    u = refreshed.world.units
    before = IndicatorValue.objects.get(unit=u["P"], indicator__code="FULLDAY", period="2023-2024/R2").computed_at
    services.values_refresh(period="2023-2024/R2", unit=u["D1"])
    assert got(u["D1"], "FULLDAY", "2023-2024/R2") == (4, 5, 80.0)
    assert IndicatorValue.objects.get(unit=u["P"], indicator__code="FULLDAY", period="2023-2024/R2").computed_at \
        == before
    assert RefreshMark.objects.get(school_year="2023-2024").dirty_since is not None


def test_a_change_in_the_records_marks_the_year_dirty(refreshed):
    services._LAST_MARK.clear()
    from mamnon.children.models import Group

    Group.objects.filter(pk=refreshed.groups["G2"].pk).first().save()
    assert services.dirty_years() == ["2023-2024"]


def test_declared_codes_become_computed_when_a_family_registers(scenario, monkeypatch):
    u = scenario.world.units
    monkeypatch.setattr(registry, "_FAMILIES", dict(registry._FAMILIES))

    @registry.family("NEWS")
    def news(window, school_ids):
        return {"NEWS": registry.SchoolValues([u["S1a"].pk, u["S2"].pk], [2, 3], [1, 1])}

    assert Indicator.objects.get(code="NEWS").is_computed
    services.values_refresh(period="2023-10")
    assert got(u["P"], "NEWS", "2023-10") == (5, 2, 5.0)
    assert got(u["S1b"], "NEWS", "2023-10") is None  # no school of S1b reported: 0/0, not stored


def test_refresh_command(scenario, capsys):
    from django.core.management import CommandError, call_command

    u = scenario.world.units
    call_command("indicators", "refresh", "--period", "2023-2024/R2", "--unit", "D1")
    assert got(u["D1"], "FULLDAY", "2023-2024/R2") == (4, 5, 80.0)
    assert got(u["P"], "FULLDAY", "2023-2024/R2") is None  # only D1's subtree
    assert "values stored" in capsys.readouterr().out
    call_command("indicators", "refresh", "--dirty")
    assert got(u["P"], "FULLDAY", "2023-2024/R2") == (5, 8, 62.5)
    with pytest.raises(CommandError):
        call_command("indicators", "refresh", "--period", "2023-13")
    with pytest.raises(CommandError):
        call_command("indicators", "refresh", "--unit", "NO-SUCH-UNIT")


def test_september_belongs_to_the_year_that_starts_in_it():
    """The school year runs from 05/09 by default (calc.periods.DEFAULT_YEAR_START; a SchoolYear row may set
    other dates); the month 2023-09 starts on 01/09, before it, and still belongs to 2023-2024 (its figures
    are that year's first month)."""
    from mamnon.indicators import periods

    w = periods.window("2023-09", dates={"year_start": (9, 5), "year_end": (5, 31)})
    assert w.school_year == "2023-2024"
    assert periods.window("2024-05", dates={"year_start": (9, 5), "year_end": (5, 31)}).school_year == "2023-2024"
    assert periods.window("2023-08", dates={"year_start": (9, 5), "year_end": (5, 31)}).school_year == "2022-2023"


def test_a_second_refresh_writes_what_changed_and_removes_what_vanished(refreshed):
    """October 2023: S2's register holds K7 late then absent (1 of 2). Marking the absence 'present' changes S2,
    D2 and P; S1a's value stays as it was; deleting S2's rows makes S2's October a 0/0, which is not kept."""
    from django.db import connection

    u = refreshed.world.units
    before = {v.unit_id: v for v in IndicatorValue.objects.filter(indicator__code="ATTENDANCE", period="2023-10")}
    row = Attendance.objects.get(child=refreshed.children["K7"], date=dt.date(2023, 10, 3))
    row.status = "present"
    row.save()
    services.values_refresh(school_year="2023-2024")
    assert got(u["S2"], "ATTENDANCE", "2023-10") == (2, 2, 100.0)
    assert got(u["P"], "ATTENDANCE", "2023-10") == (5, 6, 83.33)
    s1a = IndicatorValue.objects.get(unit=u["S1a"], indicator__code="ATTENDANCE", period="2023-10")
    assert (s1a.numerator, s1a.denominator) == (3, 4)
    if connection.vendor == "postgresql":  # merged: the unchanged row is the same row, untouched
        assert s1a.pk == before[u["S1a"].pk].pk and s1a.computed_at == before[u["S1a"].pk].computed_at
    Attendance.objects.filter(child=refreshed.children["K7"]).delete()
    services.values_refresh(school_year="2023-2024")
    assert got(u["S2"], "ATTENDANCE", "2023-10") is None
    assert got(u["P"], "ATTENDANCE", "2023-10") == (3, 4, 75.0)
