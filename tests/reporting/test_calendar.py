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
    # Once only: a second run copies nothing; a later year is required.
    assert services.duties_roll_over(unit=world.units["S1a"], from_year=classroom.year, to_year=nxt) == 0
    assert Duty.objects.filter(unit=world.units["S1a"], school_year=nxt).count() == 1
    with pytest.raises(ValidationError):
        services.duties_roll_over(unit=world.units["S1a"], from_year=nxt, to_year=classroom.year)
    with pytest.raises(PermissionDenied):
        services.duties_roll_over(unit=world.units["S1a"], from_year=classroom.year, to_year=nxt,
                                  actor=world.user("teacher1a"))


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


def test_rollover_copies_only_what_is_missing_and_shifts_29_february(world, classroom):
    year = classroom.year
    nxt = org.school_year_create(start_year=2024)
    s1a = world.units["S1a"]
    Duty.objects.create(unit=s1a, school_year=year, month=dt.date(2024, 2, 1), due_date=dt.date(2024, 2, 29),
                        title="Báo cáo tháng 2", recurring=True)
    Duty.objects.create(unit=s1a, school_year=year, month=dt.date(2023, 10, 1), title="Một lần", recurring=False)
    Duty.objects.create(unit=s1a, school_year=year, month=dt.date(2023, 11, 1), title="Ngày 20/11", recurring=True)
    # The new plan already holds one of them (added by hand): it is not copied twice.
    Duty.objects.create(unit=s1a, school_year=nxt, month=dt.date(2024, 11, 1), title="Ngày 20/11")
    assert services.duties_roll_over(unit=s1a, from_year=year, to_year=nxt) == 1
    feb = Duty.objects.get(school_year=nxt, title="Báo cáo tháng 2")
    assert (feb.month, feb.due_date, feb.recurring) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28), True)
    assert not Duty.objects.filter(school_year=nxt, title="Một lần").exists()


def test_rollover_page(duties, world, classroom):
    nxt = org.school_year_create(start_year=2024)
    url = reverse("reporting:calendar-rollover") + f"?unit={world.units['S1a'].pk}"
    c = Client()
    c.force_login(world.user("principal1a"))
    body = c.get(url).content.decode()
    assert "2023-2024" in body and "2024-2025" in body
    response = c.post(url, {"from_year": classroom.year.pk, "to_year": nxt.pk}, follow=True)
    assert "1 nhiệm vụ lặp lại đã được chép vào kế hoạch năm học 2024-2025" in response.content.decode()
    assert Duty.objects.filter(unit=world.units["S1a"], school_year=nxt).count() == 1
    again = c.post(url, {"from_year": classroom.year.pk, "to_year": nxt.pk}, follow=True).content.decode()
    assert "Không có gì để chép" in again
    backwards = c.post(url, {"from_year": nxt.pk, "to_year": classroom.year.pk}).content.decode()
    assert "năm học sau năm 2024-2025" in backwards
    assert c.post(url, {"from_year": "x", "to_year": nxt.pk}).status_code == 200  # a message, not a 500
    # Teachers and other schools' principals do not roll over S1a's plan; an office rolls over its own.
    for key in ("teacher1a", "principal2", "parent1a"):
        other = Client()
        other.force_login(world.user(key))
        assert other.get(url).status_code == 404
        assert other.post(url, {"from_year": classroom.year.pk, "to_year": nxt.pk}).status_code == 404
    district = Client()
    district.force_login(world.user("district1"))
    assert district.get(reverse("reporting:calendar-rollover") + f"?unit={world.units['D1'].pk}").status_code == 200
    assert district.post(reverse("reporting:calendar-rollover") + f"?unit={world.units['D1'].pk}",
                         {"from_year": classroom.year.pk, "to_year": nxt.pk}).status_code == 302
    assert Duty.objects.filter(unit=world.units["D1"], school_year=nxt).count() == 0  # D1 has none recurring


def test_rollover_command(duties, world, classroom):
    from io import StringIO

    from django.core.management import CommandError, call_command

    nxt = org.school_year_create(start_year=2024)
    Duty.objects.create(unit=world.units["S2"], school_year=classroom.year, month=dt.date(2023, 12, 1),
                        title="ZZ-duty-S2-yearly", recurring=True)
    out = StringIO()
    call_command("duties", "rollover", "--from", "2023", "--to", "2024-2025", "--unit", "D1", stdout=out,
                 verbosity=0)
    assert "1 duties copied into 2024-2025 for 1 of 1 units" in out.getvalue()
    assert not Duty.objects.filter(unit=world.units["S2"], school_year=nxt).exists()  # outside --unit D1
    out = StringIO()
    call_command("duties", "rollover", "--from", "2023-2024", "--to", "2024", stdout=out, verbosity=0)
    assert "1 duties copied into 2024-2025 for 1 of 2 units (1 already had them)" in out.getvalue()
    assert Duty.objects.get(unit=world.units["S2"], school_year=nxt).month == dt.date(2024, 12, 1)
    with pytest.raises(CommandError, match="no school year"):
        call_command("duties", "rollover", "--from", "2019", "--to", "2024", verbosity=0)
    with pytest.raises(CommandError, match="later"):
        call_command("duties", "rollover", "--from", "2024", "--to", "2023", verbosity=0)
    with pytest.raises(CommandError, match="no unit"):
        call_command("duties", "rollover", "--from", "2023", "--to", "2024", "--unit", "ZZ-nowhere", verbosity=0)


def test_forms_deadlines_appear_in_the_units_calendars_before_reports_are_issued(world, classroom, forms):
    """The province's forms: the schools see their due dates, the districts their consolidations' and the
    province the deadlines it set, without any report issued; issued reports replace the computed line."""
    from mamnon.reporting.models import Report

    assert not Report.objects.exists()
    school = page(world, "principal1a", month="2023-12").content.decode()
    # Round 2 due 20/12; the semester statistics 10/12 (seed 002).
    assert "20/12/2023" in school and "10/12/2023" in school and "Báo cáo kết quả cân đo" in school
    district = page(world, "district1", month="2023-12").content.decode()
    assert "25/12/2023" in district and "tổng hợp" in district  # round 2 + 5 days to consolidate
    province = page(world, "province", month="2023-12").content.decode()
    assert "20/12/2023" in province and "giao cho các đơn vị trực thuộc" in province
    teacher = page(world, "teacher1a", month="2023-12").content.decode()
    assert "Báo cáo kết quả cân đo" not in teacher
    services.reports_issue(form=forms["can-do"], period="2023-2024/R2")
    school = page(world, "principal1a", month="2023-12").content.decode()
    assert school.count("Báo cáo kết quả cân đo, chấm biểu đồ tăng trưởng") == 1  # the report, once
    report = Report.objects.get(unit=world.units["S1a"], period="2023-2024/R2")
    assert reverse("reporting:report-detail", args=[report.pk]) in school


def test_duty_reminders_in_the_app_for_the_unit_and_the_units_below(world, classroom):
    from mamnon.reporting.models import DutyReminder

    year = classroom.year
    office = Duty.objects.create(unit=world.units["D1"], school_year=year, month=dt.date(2023, 11, 1),
                                 due_date=dt.date(2023, 11, 25), title="ZZ-giao-ban", for_units_below=True)
    own = Duty.objects.create(unit=world.units["S1a"], school_year=year, month=dt.date(2023, 11, 1),
                              due_date=dt.date(2023, 11, 24), title="ZZ-own")
    Duty.objects.create(unit=world.units["S1a"], school_year=year, month=dt.date(2023, 11, 1),
                        due_date=dt.date(2023, 11, 24), title="ZZ-done", status="done")
    result = reminders.send_reminders(dt.date(2023, 11, 22), issue=False)
    got = {(r.duty.title, r.user.username, r.kind) for r in DutyReminder.objects.select_related("duty", "user")}
    assert {("ZZ-giao-ban", u, "due_soon") for u in ("district1", "principal1a", "vice1a", "principal1b",
                                                     "commune1")} <= got
    assert ("ZZ-own", "principal1a", "due_soon") in got and ("ZZ-own", "vice1a", "due_soon") in got
    assert not any(t == "ZZ-done" for t, _u, _k in got)
    assert not any(u in ("principal2", "district2", "teacher1a") for _t, u, _k in got)
    assert result["duty_reminders"] == len(got)
    # Not twice; the day after the date, the unit (only) is told it is overdue.
    assert reminders.send_reminders(dt.date(2023, 11, 23), issue=False)["duty_reminders"] == 0
    reminders.send_reminders(dt.date(2023, 11, 26), issue=False)
    overdue = {(r.duty.title, r.user.username) for r in DutyReminder.objects.filter(kind="overdue")
               .select_related("duty", "user")}
    assert overdue == {("ZZ-giao-ban", "district1")}
    reminders.send_reminders(dt.date(2023, 11, 25), issue=False)  # ZZ-own is one day late: overdue
    assert DutyReminder.objects.filter(duty=own, kind="overdue").count() == 2
    # In the app: the principal's inbox and calendar list them; dismissing hides them; nobody else's.
    c = Client()
    c.force_login(world.user("principal1a"))
    body = c.get(reverse("reporting:inbox")).content.decode()
    assert "ZZ-giao-ban" in body and "ZZ-own" in body
    for mine in DutyReminder.objects.filter(user=world.user("principal1a"), duty=own):
        c.post(reverse("reporting:duty-reminder-read", args=[mine.pk]))
    assert "ZZ-own" not in c.get(reverse("reporting:inbox")).content.decode()
    assert "ZZ-giao-ban" in c.get(reverse("reporting:calendar"), {"month": "2023-11"}).content.decode()
    theirs = DutyReminder.objects.get(user=world.user("district1"), duty=office, kind="due_soon")
    c.post(reverse("reporting:duty-reminder-read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read is False
    # Marking the duty done ends its reminders in the app.
    services.duty_set_status(duty=office, actor=world.user("district1"), status="done")
    assert "ZZ-giao-ban" not in c.get(reverse("reporting:inbox")).content.decode()
