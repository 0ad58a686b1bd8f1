"""The reporting demo (small scale) and the walk-through of issue 8's "done when", on the demo's own data."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mamnon.calc.periods import school_year_code
from mamnon.children import demo as children_demo
from mamnon.core.models import User
from mamnon.org.models import OrgUnit
from mamnon.reporting import selectors
from mamnon.reporting.models import Reminder, Report, ReportForm, Status


def pinned_today() -> dt.date:
    start = int(school_year_code(dt.date.today())[:4])
    return dt.date(start, 9, 5) + dt.timedelta(days=46)  # 21 October: round 1 is past due, 01.ĐN-MN is not


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()


def login(username):
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_demo_reports_in_every_state(demo):
    today = pinned_today()
    year = school_year_code(today)
    r1 = Report.objects.filter(form__code="can-do", period=f"{year}/R1", is_consolidation=False)
    assert r1.count() >= 7
    statuses = [selectors.display_status(r, today) for r in r1]
    assert Status.SUBMITTED in statuses and "overdue" in statuses
    assert set(statuses) <= {Status.SUBMITTED, Status.APPROVED, Status.RETURNED, "overdue"}
    assert [r.on_time() for r in r1].count(False) >= 1  # someone was late
    assert all(r.first_submitted_at.date() <= today for r in r1 if r.first_submitted_at)
    sao_sang = r1.get(unit__code="MN-SAOSANG")
    assert sao_sang.status == Status.SUBMITTED and sao_sang.on_time() and sao_sang.values["enrolled"] == 475
    # Nothing is submitted for a period that has not started.
    assert not Report.objects.filter(period=f"{year}/R3", first_submitted_at__isnull=False).exists()
    assert Reminder.objects.filter(user__username="ht.saosang").exists()
    form = ReportForm.objects.get(code="can-do")
    total, rows, _units = selectors.completeness(form, f"{year}/R1", form.unit)
    assert total.expected == r1.count() and 0 < total.submitted <= total.expected
    assert sum(r.expected for r in rows) == total.expected


def test_walk_through(demo):
    """The An Lão officer sees who has not sent round 1, returns Sao Sáng's report with a comment, approves the
    corrected one and exports the district consolidation; Sao Sáng's principal sees her inbox."""
    year = school_year_code(pinned_today())
    period = f"{year}/R1"
    form = ReportForm.objects.get(code="can-do")
    officer = login("pgd.anlao")
    body = officer.get(reverse("reporting:completeness", args=[form.pk, period])).content.decode()
    assert "Trường Mầm non Sao Sáng" in body and "Vĩnh Bảo" not in body
    assert "status-overdue" in body and "muộn" in body  # one school has sent nothing, one was late
    report = Report.objects.get(form=form, period=period, unit__code="MN-SAOSANG")
    inbox = officer.get(reverse("reporting:inbox")).content.decode()
    assert reverse("reporting:report-detail", args=[report.pk]) in inbox
    officer.post(reverse("reporting:report-return", args=[report.pk]), {"comment": "Đề nghị kiểm tra số trẻ thấp còi"})
    principal = login("ht.saosang")
    assert "Đề nghị kiểm tra số trẻ thấp còi" in principal.get(
        reverse("reporting:report-detail", args=[report.pk])).content.decode()
    values = {k: str(v) for k, v in report.values.items()}
    values["stunting"] = str(int(values["stunting"]) - 1)
    principal.post(reverse("reporting:report-detail", args=[report.pk]), values)
    principal.post(reverse("reporting:report-submit", args=[report.pk]))
    officer.post(reverse("reporting:report-approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    district = OrgUnit.objects.get(code="PGD-ANLAO")
    consolidation = Report.objects.get(form=form, period=period, unit=district)
    officer.post(reverse("reporting:report-consolidate", args=[consolidation.pk]))
    consolidation.refresh_from_db()
    assert consolidation.values["enrolled"] >= 475
    response = officer.get(reverse("reporting:report-xlsx", args=[consolidation.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert "Trường Mầm non Sao Sáng" in [c.value for c in wb.worksheets[1][3]]
    # The principal's inbox lists her reports (and never another school's).
    inbox = principal.get(reverse("reporting:inbox")).content.decode()
    assert "Sao Sáng" in inbox and "Quang Trung" not in inbox


def test_sao_sang_month_plan(demo):
    """Seed 002's plan in the demo year: October holds the health check; September's measurement is done."""
    principal = login("ht.saosang")
    october = pinned_today().replace(day=1)
    body = principal.get(reverse("reporting:calendar"), {"month": f"{october:%Y-%m}"}).content.decode()
    assert "Tổ chức khám sức khỏe cho CBGVNV và trẻ đầu năm học" in body
    september = principal.get(reverse("reporting:calendar"), {"month": f"{october.year}-09"}).content.decode()
    assert "Cân đo, chấm biểu đồ đợt I" in september and f"20/09/{october.year}" in september
    # The An Lão office's duty for its schools shows in November, with the office's name.
    november = principal.get(reverse("reporting:calendar"), {"month": f"{october.year}-11"}).content.decode()
    assert "Giao ban cán bộ quản lý các trường mầm non" in november and "Phòng GD&amp;ĐT huyện An Lão" in november
    assert login("phuhuynh.saosang").get(reverse("reporting:calendar")).status_code == 404


def test_demo_programmes(demo):
    """Seed 003's programme (the city) and seed 004's scheme review (Vĩnh Bảo) with registrations and scores;
    Sao Sáng's principal sees her registration, its photo and score, not another district's."""
    from mamnon.reporting import programmes
    from mamnon.reporting.models import Evidence, Initiative, Programme, Registration

    city = Programme.objects.get(name="Xây dựng trường mầm non lấy trẻ làm trung tâm")
    scheme = Programme.objects.get(name__startswith="Sơ kết Đề án")
    assert city.criteria.count() == 5 and programmes.programme_maximum(city) == 80  # 10×2 + 10×2 + 10 + 10×2 + 10
    assert scheme.unit.code == "PGD-VINHBAO" and scheme.registration_deadline.strftime("%d/%m") == "30/10"
    for p in (city, scheme):
        rows = list(programmes.with_totals(Registration.objects.filter(programme=p)))
        assert len(rows) >= 2 and sum(r.total is not None for r in rows) == len(rows) - 1
        assert all(r.total is None or 0 < r.total <= programmes.programme_maximum(p) for r in rows)
    principal = login("ht.saosang")
    mine = Registration.objects.get(programme=city, unit__name__contains="Sao Sáng")
    page = principal.get(reverse("reporting:programme-detail", args=[city.pk])).content.decode()
    assert mine.title in page
    assert principal.get(reverse("reporting:programme-detail", args=[scheme.pk])).status_code == 404
    evidence = Evidence.objects.get(registration=mine)
    response = principal.get(reverse("reporting:evidence-file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login("ht.quangtrung").get(reverse("reporting:evidence-file", args=[evidence.pk])).status_code == 404
    assert login("pgd.vinhbao").get(reverse("reporting:evidence-file", args=[evidence.pk])).status_code == 404
    in_city_library = Initiative.objects.get(library_unit=city.unit)
    assert in_city_library.title in login("gv.saosang").get(reverse("reporting:library")).content.decode()
