"""The monthly plan: own duties, the office's duties for its schools, report deadlines, roll-over, reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from mamnon.org import services as org
from mamnon.reporting import reminders, services
from mamnon.reporting.models import Duty

pytestmark = pytest.mark.django_db


@pytest.fixture
def duties(classroom, round_form):
    w, year = classroom.world, classroom.year
    services.reports_issue(form=round_form, period="2023-2024/R1")
    sept = dt.date(2023, 9, 1)
    own = Duty.objects.create(unit=w.units["S1a"], school_year=year, month=sept, due_date=dt.date(2023, 9, 30),
                              title="ZZ-duty-S1a", recipient="Phòng GD&ĐT", recurring=True)
    office = Duty.objects.create(unit=w.units["D1"], school_year=year, month=sept, title="ZZ-duty-D1",
                                 for_units_below=True)
    internal = Duty.objects.create(unit=w.units["D1"], school_year=year, month=sept, title="ZZ-duty-D1-internal")
    other = Duty.objects.create(unit=w.units["S2"], school_year=year, month=sept, title="ZZ-duty-S2")
    return {"own": own, "office": office, "internal": internal, "other": other}


def page(world, key, **params):
    c = Client()
    c.force_login(world.user(key))
    return c.get(reverse("reporting:calendar"), params)


def test_school_calendar_shows_own_and_office_duties_and_report_deadlines(duties, world):
    body = page(world, "principal1a", month="2023-09").content.decode()
    assert "ZZ-duty-S1a" in body and "ZZ-duty-D1" in body
    assert "ZZ-duty-D1-internal" not in body and "ZZ-duty-S2" not in body
    assert "Báo cáo kết quả cân đo, chấm biểu đồ tăng trưởng" in body and "20/09/2023" in body
    teacher = page(world, "teacher1a", month="2023-09").content.decode()
    assert "ZZ-duty-S1a" in teacher and "Báo cáo kết quả cân đo" not in teacher  # teachers: the plan, no reports
    assert page(world, "parent1a").status_code == 404
    assert page(world, "principal2", unit=world.units["S1a"].pk).status_code == 404
    assert page(world, "principal1a", month="2023-13").status_code == 200  # a clear message, not a 500


def test_status_only_by_the_unit(duties, world):
    with pytest.raises(PermissionDenied):
        services.duty_set_status(duty=duties["own"], actor=world.user("teacher1a"), status="done")
    with pytest.raises(PermissionDenied):
        services.duty_set_status(duty=duties["office"], actor=world.user("principal1a"), status="done")
    with pytest.raises(ValidationError):
        services.duty_set_status(duty=duties["own"], actor=world.user("principal1a"), status="finished")
    c = Client()
    c.force_login(world.user("principal1a"))
    c.post(reverse("reporting:duty-status", args=[duties["own"].pk]), {"status": "done"})
    duties["own"].refresh_from_db()
    assert duties["own"].status == "done"
    assert c.post(reverse("reporting:duty-status", args=[duties["other"].pk]), {"status": "done"}).status_code == 404
    api = c.get("/api/duties/").json()["results"]
    assert {d["title"] for d in api} == {"ZZ-duty-S1a", "ZZ-duty-D1"}


def test_recurring_duties_roll_over(duties, world, classroom):
    nxt = org.school_year_create(start_year=2024)
    assert services.duties_roll_over(unit=world.units["S1a"], from_year=classroom.year, to_year=nxt) == 1
    copy = Duty.objects.get(unit=world.units["S1a"], school_year=nxt)
    assert (copy.month, copy.due_date, copy.status) == (dt.date(2024, 9, 1), dt.date(2024, 9, 30), "planned")
    with pytest.raises(ValidationError):
        services.duties_roll_over(unit=world.units["S1a"], from_year=classroom.year, to_year=nxt)


def test_duty_reminder_email(duties, world):
    user = world.user("principal1a")
    user.email = "ht@example.org"
    user.save()
    mail.outbox.clear()
    reminders.send_reminders(dt.date(2023, 9, 27), issue=False)  # due 30/09, 3 days ahead
    body = next(m.body for m in mail.outbox if m.to == ["ht@example.org"])
    assert "ZZ-duty-S1a" in body and "30/09/2023" in body


def test_add_a_duty_through_the_page(duties, world):
    c = Client()
    c.force_login(world.user("principal1a"))
    url = reverse("reporting:calendar") + f"?unit={world.units['S1a'].pk}&month=2023-10"
    response = c.post(url, {"title": "Nộp kế hoạch chuyên đề", "due_date": "31/02/2023"})
    assert response.status_code == 200 and not Duty.objects.filter(title="Nộp kế hoạch chuyên đề").exists()
    c.post(url, {"title": "Nộp kế hoạch chuyên đề", "due_date": "15/10/2023", "recipient": "Phòng GD&ĐT"})
    duty = Duty.objects.get(title="Nộp kế hoạch chuyên đề")
    assert (duty.unit_id, duty.month, duty.due_date) == (world.units["S1a"].pk, dt.date(2023, 10, 1),
                                                        dt.date(2023, 10, 15))
    response = c.post(url, {"title": "x", "for_units_below": "on"})
    assert "Trường không có đơn vị trực thuộc" in response.content.decode()
    teacher = Client()
    teacher.force_login(world.user("teacher1a"))
    assert teacher.post(url, {"title": "y"}).status_code == 404
