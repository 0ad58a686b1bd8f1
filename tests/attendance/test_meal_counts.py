"""Meal counts for the kitchen: semi-boarding children, less absences reported before the cut-off, by age
band; the forecast; the page and the API with their scoping."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mamnon.attendance import selectors
from mamnon.attendance.models import AbsenceRequest, Attendance, CalendarDay
from mamnon.children.models import AgeBand, Group
from mamnon.core.models import Rule
from mamnon.org.models import School
from tests.attendance.test_attendance_fixtures import add_children, clock  # noqa: F401

TUE = dt.date(2024, 3, 5)


@pytest.fixture
def kitchen(classroom, clock):
    """S1a on Tuesday 05/03/2024, cut-off 09:00. G1 (5-year-olds, semi-boarding): K1, K2, K3. G2 (25-36
    months) does not eat at school. G5 (3-year-olds, semi-boarding): two children."""
    w = classroom.world
    g2 = classroom.groups["G2"]
    g2.semi_boarding = False
    g2.save()
    g5 = Group.objects.create(school=w.schools["S1a"], school_year=classroom.year, name="ZZ-group-G5",
                              age_band=AgeBand.K3)
    classroom.groups["G5"] = g5
    classroom.g5_children = add_children(g5, 2, prefix="ZZ-child-G5")
    classroom.school = School.objects.select_related("unit").get(pk=w.schools["S1a"].pk)
    return classroom


def ask_absence(classroom, child, first, last, *, at, clock, sick=False):
    clock.at(at.date(), at.hour, at.minute)
    return AbsenceRequest.objects.create(school=child.school, child=child, date_from=first, date_to=last,
                                         reason="Ốm", sick=sick, requested_by=classroom.world.user("parent1a"))


def mark_absent(classroom, child, group, day, status, *, at, clock):
    clock.at(at.date(), at.hour, at.minute)
    return Attendance.objects.create(school=group.school, group=group, child=child, date=day, status=status)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_counts_by_band_against_hand_counts(kitchen, clock, django_assert_num_queries):
    k = kitchen
    assert selectors.meal_counts(school=k.school, day=TUE) == {"k3": 2, "k5": 3}  # G2 is not semi-boarding
    # K1: absence asked the evening before (counts); K2: asked at 09:30, after the cut-off (still eats).
    ask_absence(k, k.children["K1"], TUE, TUE, at=at(TUE - dt.timedelta(days=1), 20), clock=clock)
    ask_absence(k, k.children["K2"], TUE, TUE, at=at(TUE, 9, 30), clock=clock)
    # K3 marked sick in the register at 08:30 (counts); a G5 child marked absent at 10:00 (still eats).
    mark_absent(k, k.children["K3"], k.groups["G1"], TUE, "sick", at=at(TUE, 8, 30), clock=clock)
    mark_absent(k, k.g5_children[0], k.groups["G5"], TUE, "unexcused", at=at(TUE, 10), clock=clock)
    # A late child eats.
    mark_absent(k, k.g5_children[1], k.groups["G5"], TUE, "late", at=at(TUE, 8), clock=clock)
    with django_assert_num_queries(3):  # calendar, rule, one aggregate
        counts = selectors.meal_counts(school=k.school, day=TUE)
    assert counts == {"k3": 2, "k5": 1}
    # A later cut-off (a school's own rule) takes K2's 09:30 request into account.
    Rule.objects.create(code="kitchen_cutoff_hour", value=10, label="x", effective_from=dt.date(2020, 1, 1),
                        unit=k.world.units["S1a"])
    assert selectors.meal_counts(school=k.school, day=TUE) == {"k3": 2, "k5": 0}


def test_an_absence_request_for_a_span_and_enrolment_dates(kitchen, clock):
    k = kitchen
    wed = TUE + dt.timedelta(days=1)
    ask_absence(k, k.g5_children[0], TUE, wed, at=at(TUE - dt.timedelta(days=3), 10), clock=clock)
    assert selectors.meal_counts(school=k.school, day=TUE)["k3"] == 1
    assert selectors.meal_counts(school=k.school, day=wed)["k3"] == 1
    assert selectors.meal_counts(school=k.school, day=wed + dt.timedelta(days=1))["k3"] == 2
    k.children["K1"].enrolments.update(end_date=TUE - dt.timedelta(days=1))  # left on Monday
    assert selectors.meal_counts(school=k.school, day=TUE)["k5"] == 2


def test_no_meals_on_a_day_off(kitchen):
    assert selectors.meal_counts(school=kitchen.school, day=dt.date(2024, 3, 9)) == {}  # Saturday
    CalendarDay.objects.create(unit=kitchen.world.units["P"], date=TUE, kind=CalendarDay.Kind.HOLIDAY)
    assert selectors.meal_counts(school=kitchen.school, day=TUE) == {}


def test_forecast_follows_calendar_and_requests(kitchen, clock, django_assert_num_queries):
    k = kitchen
    thu = dt.date(2024, 3, 7)
    CalendarDay.objects.create(unit=k.world.units["P"], date=thu, kind=CalendarDay.Kind.HOLIDAY)
    ask_absence(k, k.children["K2"], dt.date(2024, 3, 6), dt.date(2024, 3, 11), at=at(TUE, 7), clock=clock)
    clock.at(TUE, 7, 30)
    with django_assert_num_queries(5):
        forecast = selectors.meal_forecast(school=k.school, start=TUE, days=4)
    # Tue 05, Wed 06, (Thu 07 holiday), Fri 08, (weekend), Mon 11.
    assert forecast == [
        (TUE, {"k3": 2, "k5": 3}), (dt.date(2024, 3, 6), {"k3": 2, "k5": 2}),
        (dt.date(2024, 3, 8), {"k3": 2, "k5": 2}), (dt.date(2024, 3, 11), {"k3": 2, "k5": 2}),
    ]
    for day, counts in forecast:  # the forecast and the day's count agree
        assert selectors.meal_counts(school=k.school, day=day) == counts


def test_meals_page(kitchen, clock, client):
    clock.at(TUE, 8)
    client.force_login(kitchen.world.user("kitchen1a"))
    body = client.get(reverse("attendance:meals")).content.decode()
    assert 'data-count="meals">5<' in body
    client.force_login(kitchen.world.user("teacher1a"))
    body = client.get(reverse("attendance:meals")).content.decode()
    assert 'data-count="meals"' not in body


# --- the API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [
    ("kitchen1a", 200), ("principal1a", 200), ("vice1a", 200), ("district1", 200), ("province", 200),
    ("admin", 200), ("teacher1a", 404), ("parent1a", 404), ("accountant1a", 404), ("principal2", 404),
    ("district2", 404),
])
def test_meal_counts_api_is_scoped(kitchen, clock, client, who, status):
    clock.at(TUE, 8)
    api = APIClient()
    api.force_authenticate(kitchen.world.user(who))
    school = kitchen.world.schools["S1a"].pk
    response = api.get(f"/api/meal-counts/?school={school}&date=2024-03-05")
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json() == {"school": school, "date": "2024-03-05", "school_day": True,
                                   "counts": {"k3": 2, "k5": 3}, "total": 5}
        forecast = api.get(f"/api/meal-counts/forecast/?school={school}&date=2024-03-08&days=2").json()
        assert [d["date"] for d in forecast["days"]] == ["2024-03-08", "2024-03-11"]
        assert forecast["days"][0]["total"] == 5


def test_meal_counts_api_bad_input(kitchen, clock):
    api = APIClient()
    api.force_authenticate(kitchen.world.user("kitchen1a"))
    assert api.get("/api/meal-counts/?date=2024-03-05").json()["total"] == 5  # her only school
    api.force_authenticate(kitchen.world.user("district1"))
    assert "school" in api.get("/api/meal-counts/").json()  # two schools: which one?
    api.force_authenticate(kitchen.world.user("kitchen1a"))
    assert "date" in api.get(f"/api/meal-counts/?school={kitchen.school.pk}&date=05/13/2024").json()
    assert "days" in api.get(f"/api/meal-counts/forecast/?school={kitchen.school.pk}&days=99").json()
    # A school number beyond any integer column is refused on its field (was a 500 on SQLite; schemathesis).
    for path in ("/api/meal-counts/", "/api/meal-counts/forecast/"):
        response = api.get(f"{path}?school={10**21}&date=2024-03-05")
        assert response.status_code == 400 and "school" in response.json(), path
    saturday = api.get(f"/api/meal-counts/?school={kitchen.school.pk}&date=2024-03-09").json()
    assert saturday["school_day"] is False and saturday["total"] == 0
    assert APIClient().get(f"/api/meal-counts/?school={kitchen.school.pk}").status_code in (401, 403)
