"""Attendance rates and the monthly sheet (print view and .xlsx) against counts made by hand."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from mamnon.attendance import exports, selectors
from mamnon.attendance.models import Attendance, CalendarDay
from mamnon.children.models import Enrolment
from mamnon.core.models import Rule
from tests.attendance.test_attendance_fixtures import clock  # noqa: F401

# March 2024, up to Friday 15/03: school days 01/03 (Fri), 04-07/03 and 11-15/03; 08/03 closed (S1a).
FIRST, LAST = dt.date(2024, 3, 1), dt.date(2024, 3, 15)
DAYS = [dt.date(2024, 3, d) for d in (1, 4, 5, 6, 7, 11, 12, 13, 14, 15)]
CLOSED = dt.date(2024, 3, 8)

# By hand. K1: sick on 05/03, present the other 9 -> 9/10. K2: late 04/03 and 06/03, unexcused 12-14/03,
# excused 15/03, present otherwise (4 days) -> 6/10. K3: admitted 11/03, present 11-15 -> 5/5.
# K4 (G2, 25-36 months): present 9, unexcused 07/03 -> 9/10.
PLAN = {
    "K1": {dt.date(2024, 3, 5): "sick"},
    "K2": {dt.date(2024, 3, 4): "late", dt.date(2024, 3, 6): "late", dt.date(2024, 3, 12): "unexcused",
           dt.date(2024, 3, 13): "unexcused", dt.date(2024, 3, 14): "unexcused", dt.date(2024, 3, 15): "excused"},
    "K3": {},
    "K4": {dt.date(2024, 3, 7): "unexcused"},
}
K3_ADMITTED = dt.date(2024, 3, 11)


@pytest.fixture
def march(classroom):
    w = classroom.world
    CalendarDay.objects.create(unit=w.units["S1a"], date=CLOSED, kind=CalendarDay.Kind.CLOSURE)
    Enrolment.objects.filter(child=classroom.children["K3"]).update(start_date=K3_ADMITTED)
    rows = []
    for key, exceptions in PLAN.items():
        child = classroom.children[key]
        group = classroom.groups["G1" if key != "K4" else "G2"]
        for day in DAYS:
            if key == "K3" and day < K3_ADMITTED:
                continue
            rows.append(Attendance(school=group.school, group=group, child=child, date=day,
                                   status=exceptions.get(day, "present")))
    # A row on the closed day (taken before the closure was declared) is not counted.
    rows.append(Attendance(school=group.school, group=classroom.groups["G1"], child=classroom.children["K2"],
                           date=CLOSED, status="present"))
    Attendance.objects.bulk_create(rows)
    return classroom


def test_rates_per_child_group_and_school(march, django_assert_num_queries):
    s1a = selectors.School.objects.select_related("unit").get(pk=march.world.schools["S1a"].pk)
    with django_assert_num_queries(4):  # school days, thresholds, enrolments, present counts
        report = selectors.attendance_rates(school=s1a, start=FIRST, end=dt.date(2024, 3, 31), today=LAST)
    assert report.school_day_count == 10 and report.end == LAST  # days after today do not count
    groups = {g.label: g for g in report.groups}
    g1, g2 = groups["ZZ-group-G1"], groups["ZZ-group-G2"]
    assert (g1.present, g1.possible) == (9 + 6 + 5, 10 + 10 + 5)
    assert g1.rate == pytest.approx(20 / 25) and g1.below  # 80% < 90% (5-year-olds)
    assert (g2.present, g2.possible) == (9, 10) and not g2.below  # 90% >= 85% (other ages)
    assert (report.overall.present, report.overall.possible) == (29, 35)
    assert [b.key for b in report.bands] == ["k5", "other"]
    assert report.groups_below == [g1]
    with_children = selectors.attendance_rates(school=s1a, start=FIRST, end=LAST, group=march.groups["G1"],
                                               today=LAST)
    children = {c.label.removeprefix("ZZ-child-"): (c.present, c.possible) for c in with_children.children}
    assert children == {"K1": (9, 10), "K2": (6, 10), "K3": (5, 5)}
    assert [c.label for c in with_children.children if c.below] == ["ZZ-child-K2"]
    # Up to Wednesday 06/03 only (01, 04, 05, 06/03): K1 3 of 4 (sick on the 5th), K2 4 of 4; K3 not admitted yet.
    early = selectors.attendance_rates(school=s1a, start=FIRST, end=LAST, group=march.groups["G1"],
                                       today=dt.date(2024, 3, 6))
    assert {c.label.removeprefix("ZZ-child-"): (c.present, c.possible) for c in early.children} == {
        "K1": (3, 4), "K2": (4, 4)}


def test_thresholds_are_rules(march):
    Rule.objects.create(code="attendance_rate_min.k5", value="0.75", label="x", effective_from=dt.date(2020, 1, 1),
                        unit=march.world.units["D1"])
    s1a = selectors.School.objects.select_related("unit").get(pk=march.world.schools["S1a"].pk)
    report = selectors.attendance_rates(school=s1a, start=FIRST, end=LAST, today=LAST)
    assert report.groups_below == []


def test_rates_page(march, clock, client):
    clock.at(LAST, 12)
    w = march.world
    client.force_login(w.user("principal1a"))
    url = reverse("attendance:rates")
    body = client.get(f"{url}?school={w.schools['S1a'].pk}&start=2024-03-01&end=2024-03-15").content.decode()
    assert re.search(r'data-rate="school">82[.,]9%', body)  # 29 / 35 (Vietnamese writes 82,9)
    assert f'class="below" data-group="{march.groups["G1"].pk}"' in body
    assert f'data-group="{march.groups["G2"].pk}"' in body
    client.force_login(w.user("teacher1a"))  # her group only
    body = client.get(f"{url}?school={w.schools['S1a'].pk}&start=2024-03-01&end=2024-03-15"
                      f"&group={march.groups['G1'].pk}").content.decode()
    assert "ZZ-group-G2" not in body and "ZZ-child-K2" in body
    assert client.get(f"{url}?school={w.schools['S1a'].pk}&group={march.groups['G2'].pk}").status_code == 404
    client.force_login(w.user("principal2"))
    assert client.get(f"{url}?school={w.schools['S1a'].pk}").status_code == 200
    assert "ZZ-" not in client.get(f"{url}?school={w.schools['S1a'].pk}").content.decode().replace("ZZ-S2", "")


def test_month_sheet_xlsx_matches_the_register(march, clock, client):
    clock.at(LAST, 12)
    client.force_login(march.world.user("teacher1a"))
    g1 = march.groups["G1"]
    response = client.get(f"{reverse('attendance:month-sheet-xlsx', args=[g1.pk])}?month=2024-03")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert "2024-03.xlsx" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws["A1"].value == "ZZ-S1a"
    assert "ZZ-group-G1" in ws["A3"].value and "03/2024" in ws["A3"].value
    # Header: day numbers 1..31 from column D, then the totals.
    days = [ws.cell(row=exports.HEADER_ROW, column=exports.FIRST_DAY_COL + i).value for i in range(31)]
    assert days == list(range(1, 32))
    totals_col = exports.FIRST_DAY_COL + 31
    rows = {}
    r = exports.FIRST_CHILD_ROW
    while ws.cell(row=r, column=1).value is not None:
        name = ws.cell(row=r, column=2).value.removeprefix("ZZ-child-")
        marks = [ws.cell(row=r, column=exports.FIRST_DAY_COL + i).value for i in range(31)]
        totals = [ws.cell(row=r, column=totals_col + j).value for j in range(6)]
        rows[name] = (marks, totals)
        r += 1
    assert set(rows) == {"K1", "K2", "K3"}
    k1_marks, k1_totals = rows["K1"]
    assert k1_marks[4] == "Ô" and k1_marks[0] == "x" and k1_marks[7] is None  # 05/03 sick, 01/03 present, 08/03
    assert k1_totals == [9, 0, 0, 1, 10, 90.0]  # present, excused, unexcused, sick, school days, rate
    k2_marks, k2_totals = rows["K2"]
    assert k2_marks[3] == "M" and k2_marks[11] == "K" and k2_marks[14] == "P"
    # K2's row on the closed 08/03 shows (it exists) but only school days count.
    assert k2_marks[7] == "x"
    assert k2_totals == [6, 1, 3, 0, 10, 60.0]
    assert rows["K3"][1][:5] == [5, 0, 0, 0, 5] and rows["K3"][0][9] is None  # 10/03, before admission
    per_day = [ws.cell(row=r, column=exports.FIRST_DAY_COL + i).value for i in range(31)]
    assert ws.cell(row=r, column=2).value == "Present per day"
    # 04/03: K1, K2 (late); K3 not yet admitted. 05/03: K2 only. 11/03: all three. Weekends: empty.
    assert (per_day[3], per_day[4], per_day[10], per_day[8]) == (2, 1, 3, None)


def test_month_sheet_print_view(march, clock, client):
    clock.at(LAST, 12)
    client.force_login(march.world.user("principal1a"))
    g1 = march.groups["G1"]
    body = client.get(f"{reverse('attendance:month-sheet', args=[g1.pk])}?month=03/2024").content.decode()
    assert "CHILDREN&#x27;S ATTENDANCE SHEET" in body or "CHILDREN'S ATTENDANCE SHEET" in body
    assert "ZZ-child-K1" in body and "month-sheet" in body
    assert body.count('class="mark-cell off"') == 3 * 11  # 10 weekend days and the closure, for 3 children
    client.force_login(march.world.user("parent1a"))
    assert client.get(reverse("attendance:month-sheet", args=[g1.pk])).status_code == 404
    assert client.get(reverse("attendance:month-sheet-xlsx", args=[g1.pk])).status_code == 404
