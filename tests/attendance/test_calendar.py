"""The school calendar: Monday-Friday less holidays and closures of the school or any unit above it, plus
make-up days; the calendar page; the import of Vietnam's public holidays."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mamnon.attendance import selectors, services
from mamnon.attendance.models import CalendarDay
from mamnon.calc import holidays
from mamnon.calc import schooldays as calc
from mamnon.org.models import School
from tests.attendance.test_attendance_fixtures import clock  # noqa: F401

MON, TUE, WED, THU, FRI, SAT, SUN = (dt.date(2024, 3, d) for d in range(4, 11))
TWO_WEEKS = (MON, dt.date(2024, 3, 17))  # 04/03 (Mon) to 17/03 (Sun): 10 weekdays


def days(school, start=TWO_WEEKS[0], end=TWO_WEEKS[1]):
    return selectors.school_days(school=school, start=start, end=end)


def mark(world, unit_key, day, kind, note=""):
    return CalendarDay.objects.create(unit=world.units[unit_key], date=day, kind=kind, note=note)


def test_plain_weeks_are_monday_to_friday(world):
    got = days(world.schools["S1a"])
    assert len(got) == 10
    assert all(d.weekday() < 5 for d in got)
    assert selectors.school_days(school=world.schools["S1a"], start=SUN, end=SAT) == []


def test_a_province_holiday_applies_to_all_its_schools(world):
    mark(world, "P", WED, CalendarDay.Kind.HOLIDAY, "Ngày lễ của tỉnh")
    for key in ("S1a", "S1b", "S2"):
        got = days(world.schools[key])
        assert WED not in got and len(got) == 9, key


def test_a_district_closure_stays_in_its_district(world):
    mark(world, "D1", THU, CalendarDay.Kind.CLOSURE)
    assert THU not in days(world.schools["S1a"]) and THU not in days(world.schools["S1b"])
    assert THU in days(world.schools["S2"])


def test_a_make_up_saturday_counts_at_its_school_only(world):
    mark(world, "S1a", SAT, CalendarDay.Kind.MAKE_UP, "Học bù")
    assert SAT in days(world.schools["S1a"]) and len(days(world.schools["S1a"])) == 11
    assert SAT not in days(world.schools["S1b"])
    assert selectors.is_school_day(school=world.schools["S1a"], day=SAT)


def test_the_schools_own_entry_wins_over_the_units_above(world):
    mark(world, "D1", SAT, CalendarDay.Kind.MAKE_UP)  # the district makes up a day on Saturday ...
    mark(world, "S1b", SAT, CalendarDay.Kind.CLOSURE)  # ... S1b is closed that day (its building is repaired)
    assert SAT in days(world.schools["S1a"])
    assert SAT not in days(world.schools["S1b"])
    mark(world, "P", FRI, CalendarDay.Kind.HOLIDAY)
    mark(world, "S2", FRI, CalendarDay.Kind.MAKE_UP)
    assert FRI in days(world.schools["S2"]) and FRI not in days(world.schools["S1a"])


def test_one_query_for_the_exceptions(world, django_assert_num_queries):
    mark(world, "P", WED, CalendarDay.Kind.HOLIDAY)
    mark(world, "S1a", SAT, CalendarDay.Kind.MAKE_UP)
    with_unit = School.objects.select_related("unit").get(pk=world.schools["S1a"].pk)
    without_unit = School.objects.get(pk=world.schools["S1a"].pk)  # the path is read inside the same query
    expected = [d for d in calc.date_range(*TWO_WEEKS) if d.weekday() < 5 and d != WED] + [SAT]
    for school in (with_unit, without_unit):
        with django_assert_num_queries(1):
            got = selectors.school_days(school=school, start=MON, end=dt.date(2024, 6, 30))
        assert sorted(d for d in got if d <= TWO_WEEKS[1]) == sorted(expected)


def test_the_calc_rule_by_hand():
    exceptions = [(TUE, calc.HOLIDAY, 1), (TUE, calc.MAKE_UP, 3), (WED, calc.CLOSURE, 4), (SUN, calc.MAKE_UP, 4)]
    assert calc.school_days(MON, SUN, exceptions) == [MON, TUE, THU, FRI, SUN]


# --- the page ------------------------------------------------------------------------------------------


def page(unit, year=2024):
    return f"{reverse('attendance:calendar-unit', args=[unit.pk])}?year={year}"


def test_principal_manages_her_schools_calendar(world, client):
    s1a = world.units["S1a"]
    client.force_login(world.user("principal1a"))
    assert client.get(reverse("attendance:calendar")).url == reverse("attendance:calendar-unit", args=[s1a.pk])
    response = client.post(page(s1a), {"action": "add", "date": "08/03/2024", "kind": "closure", "note": "Sửa điện"})
    assert response.status_code == 302
    entry = CalendarDay.objects.get(unit=s1a, date=FRI)
    assert entry.kind == "closure" and entry.note == "Sửa điện"
    assert entry.history.get().history_user == world.user("principal1a")
    assert FRI not in days(world.schools["S1a"])
    body = client.get(page(s1a)).content.decode()
    assert "Sửa điện" in body and 'data-month="03">20<' in body  # 21 weekdays in March 2024, less one
    # A make-up day must fall on a weekend, a closure on a weekday: clear messages, nothing saved.
    body = client.post(page(s1a), {"action": "add", "date": "05/03/2024", "kind": "make_up"}).content.decode()
    assert "05/03/2024 is a weekday" in body
    body = client.post(page(s1a), {"action": "add", "date": "09/03/2024", "kind": "closure"}).content.decode()
    assert "09/03/2024 is a weekend day" in body
    assert CalendarDay.objects.count() == 1
    client.post(page(s1a), {"action": "delete", "entry": entry.pk})
    assert not CalendarDay.objects.exists()
    assert CalendarDay.history.filter(history_type="-").get().history_user == world.user("principal1a")


def test_inherited_days_show_who_set_them_by_level_not_by_name(world, client):
    mark(world, "P", WED, CalendarDay.Kind.HOLIDAY, "Ngày của tỉnh")
    client.force_login(world.user("principal1a"))
    body = client.get(page(world.units["S1a"])).content.decode()
    assert "Ngày của tỉnh" in body and world.levels["province"].name in body
    assert "ZZ-P" not in body  # the province is above her scope: its name is not hers to see
    assert "Remove" not in body  # not hers to remove either


def test_who_may_change_a_calendar(world, client):
    s1a, d1, p = world.units["S1a"], world.units["D1"], world.units["P"]
    add = {"action": "add", "date": "08/03/2024", "kind": "closure"}
    client.force_login(world.user("teacher1a"))
    body = client.get(page(s1a)).content.decode()
    assert client.get(page(s1a)).status_code == 200 and "Add a day" not in body
    assert client.post(page(s1a), add).status_code == 403
    client.force_login(world.user("principal2"))
    assert client.get(page(s1a)).status_code == 404
    client.force_login(world.user("district1"))
    assert client.post(page(d1), add).status_code == 302
    assert client.post(page(s1a), {**add, "date": "07/03/2024"}).status_code == 302  # a school below him
    assert client.get(page(p)).status_code == 404  # the province is above him
    assert set(CalendarDay.objects.values_list("unit__code", flat=True)) == {"D1", "S1a"}


def test_import_vietnams_public_holidays(world, client):
    client.force_login(world.user("province"))
    p = world.units["P"]
    response = client.post(page(p), {"action": "import", "year": 2024})
    assert response.status_code == 302
    expected = len(holidays.public_holidays(2024)) + len(holidays.weekend_workdays(2024))
    assert CalendarDay.objects.filter(unit=p).count() == expected
    assert CalendarDay.history.filter(history_user=world.user("province")).count() == expected
    s1b = world.schools["S1b"]
    tet = selectors.school_days(school=s1b, start=dt.date(2024, 2, 5), end=dt.date(2024, 2, 18))
    # Tết Giáp Thìn: 08/02 to 14/02/2024 off (Công văn/Thông báo of the year): only 05-07/02 and 15-16/02 remain.
    assert tet == [dt.date(2024, 2, d) for d in (5, 6, 7, 15, 16)]
    # 30/4 and 1/5 fall on Tuesday and Wednesday; Monday 29/4 was swapped for Saturday 04/05.
    may = selectors.school_days(school=s1b, start=dt.date(2024, 4, 29), end=dt.date(2024, 5, 5))
    assert may == [dt.date(2024, 5, 2), dt.date(2024, 5, 3), dt.date(2024, 5, 4)]
    # Importing again adds nothing.
    client.post(page(p), {"action": "import", "year": 2024})
    assert CalendarDay.objects.filter(unit=p).count() == expected
    assert "Import the public holidays of 2100" not in client.get(page(p, 2100)).content.decode()


def test_import_refuses_a_year_without_a_table(world):
    with pytest.raises(Exception, match="no public-holiday table for 2099"):
        services.calendar_import_public_holidays(actor=world.user("province"), unit=world.units["P"], year=2099)


def test_the_holiday_table():
    for year in holidays.years():
        got = dict(holidays.public_holidays(year))
        for fixed in ((1, 1), (4, 30), (5, 1), (9, 2)):
            assert dt.date(year, *fixed) in got, (year, fixed)
        assert sum(1 for name in got.values() if name == "Tết Nguyên Đán") == 1
        assert sum(1 for name in got.values() if name == "Ngày Giỗ Tổ Hùng Vương") == 1
    # Mùng 1 Tết, by year (Vietnamese lunisolar calendar): checked against the published calendars.
    tet = {y: next(d for d, n in holidays.public_holidays(y) if n == "Tết Nguyên Đán") for y in holidays.years()}
    assert tet[2023] == dt.date(2023, 1, 22) and tet[2024] == dt.date(2024, 2, 10)
    assert tet[2025] == dt.date(2025, 1, 29) and tet[2026] == dt.date(2026, 2, 17)
    assert all(d.weekday() == 5 for y in holidays.years() for d in holidays.weekend_workdays(y))
