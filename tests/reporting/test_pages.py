"""Pages and API of reporting: who sees which report, the workflow through the pages, errors in Vietnamese."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mamnon.reporting import services
from mamnon.reporting.models import Report, Status

pytestmark = pytest.mark.django_db
VALUES = {"enrolled": "4", "measured": "4", "underweight": "1", "stunting": "1", "wasting": "0", "overweight": "0",
          "obese": "0"}


@pytest.fixture
def reports(round_form):
    services.reports_issue(form=round_form, period="2023-2024/R1")
    return {r.unit.code: r for r in Report.objects.filter(form=round_form).select_related("unit")}


def client_for(world, key):
    c = Client()
    c.force_login(world.user(key))
    return c


def test_inbox_lists_own_reports_and_overdue(reports, world):
    body = client_for(world, "principal1a").get(reverse("reporting:inbox")).content.decode()
    assert "ZZ-S1a" in body and "ZZ-S1b" not in body and "ZZ-S2" not in body
    assert "status-overdue" in body  # R1 was due 20/09/2023
    body = client_for(world, "district1").get(reverse("reporting:inbox")).content.decode()
    assert "ZZ-D1" in body and "ZZ-D2" not in body and "ZZ-S2" not in body


@pytest.mark.parametrize("key", ["teacher1a", "parent1a", "kitchen1a", "health1a", "nobody"])
def test_teachers_parents_and_staff_see_nothing(reports, world, key):
    c = client_for(world, key)
    assert c.get(reverse("reporting:inbox")).status_code == 404
    assert c.get(reverse("reporting:report-detail", args=[reports["S1a"].pk])).status_code == 404
    assert c.get(reverse("reporting:report-xlsx", args=[reports["S1a"].pk])).status_code == 404
    api = c.get("/api/reports/")
    assert api.status_code in (403, 404) or api.json()["results"] == []


@pytest.mark.parametrize("key,visible", [
    ("principal1a", {"S1a"}), ("vice1a", {"S1a"}), ("principal1b", {"S1b"}), ("principal2", {"S2"}),
    ("district1", {"S1a", "S1b", "D1"}), ("district2", {"S2", "D2"}),
    ("province", {"S1a", "S1b", "S2", "D1", "D2"}), ("commune1", {"S1a", "S1b"}),
    ("teacher1a", set()), ("parent1a", set()),
])
def test_report_scope_pages_and_api(reports, world, key, visible):
    c = client_for(world, key)
    for code, report in reports.items():
        status = c.get(reverse("reporting:report-detail", args=[report.pk])).status_code
        assert status == (200 if code in visible else 404), (key, code)
    api = c.get("/api/reports/?page_size=100")
    seen = {r["unit_name"].removeprefix("ZZ-") for r in api.json()["results"]} if api.status_code == 200 else set()
    assert seen == visible


def test_fill_submit_return_approve_through_the_pages(reports, world):
    report = reports["S1a"]
    url = reverse("reporting:report-detail", args=[report.pk])
    principal = client_for(world, "principal1a")
    # A bad value: nothing saved, the field named in Vietnamese.
    response = principal.post(url, {**VALUES, "measured": "nhiều"})
    assert response.status_code == 200
    assert "Số trẻ được cân đo, theo dõi biểu đồ" in response.content.decode()
    assert "nhập một số nguyên" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NOT_STARTED
    assert principal.post(url, VALUES).status_code == 302
    principal.post(reverse("reporting:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    # A teacher cannot act; another district cannot review (404, nothing changes).
    assert client_for(world, "district2").post(reverse("reporting:report-approve", args=[report.pk])).status_code \
        == 404
    officer = client_for(world, "district1")
    officer.post(reverse("reporting:report-return", args=[report.pk]), {"comment": "Kiểm tra số trẻ nhẹ cân"})
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    body = principal.get(url).content.decode()
    assert "Kiểm tra số trẻ nhẹ cân" in body
    principal.post(url, {**VALUES, "underweight": "0"})
    principal.post(reverse("reporting:report-submit", args=[report.pk]))
    officer.post(reverse("reporting:report-approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    # Locked: a post by the principal changes nothing.
    assert principal.post(url, {**VALUES, "enrolled": "9"}).status_code in (403, 404)
    report.refresh_from_db()
    assert report.values["enrolled"] == 4


def test_completeness_page_for_officers_only(reports, world, round_form):
    url = reverse("reporting:completeness", args=[round_form.pk, "2023-2024/R1"])
    body = client_for(world, "district1").get(url).content.decode()
    assert "ZZ-S1a" in body and "ZZ-S2" not in body
    assert client_for(world, "principal1a").get(url).status_code == 404
    assert client_for(world, "district1").get(url + f"?unit={world.units['D2'].pk}").status_code == 404
    bad = reverse("reporting:completeness", args=[round_form.pk, "2023-2024/R9"])
    assert client_for(world, "district1").get(bad).status_code == 404
    api = client_for(world, "province").get(f"/api/report-completeness/?form={round_form.pk}&period=2023-2024/R1")
    data = api.json()
    assert data["total"]["expected"] == 3 and data["total"]["submitted"] == 0
    assert {u["name"] for u in data["units"]} == {"ZZ-D1", "ZZ-D2"}
    assert client_for(world, "province").get(
        f"/api/report-completeness/?form={round_form.pk}&period=xx").status_code == 400


def test_api_workflow_and_errors(reports, world):
    report = reports["S1a"]
    principal = client_for(world, "principal1a")
    r = principal.post(f"/api/reports/{report.pk}/save/", {"values": {"enrolled": "x"}},
                       content_type="application/json")
    assert r.status_code == 400 and "enrolled" in r.json()
    r = principal.post(f"/api/reports/{report.pk}/save/", {"values": {**VALUES, "measured": "3"}},
                       content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "draft"
    r = principal.post(f"/api/reports/{report.pk}/submit/")
    assert r.status_code == 200 and r.json()["status"] == "submitted" and len(r.json()["warnings"]) == 1
    assert client_for(world, "teacher1a").post(f"/api/reports/{report.pk}/approve/").status_code == 404
    officer = client_for(world, "district1")
    assert officer.post(f"/api/reports/{report.pk}/return/", {"comment": ""},
                        content_type="application/json").status_code == 400
    r = officer.post(f"/api/reports/{report.pk}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert [e["action"] for e in r.json()["events"]] == ["saved", "submitted", "approved"]
    d1 = reports["D1"]
    r = officer.post(f"/api/reports/{d1.pk}/consolidate/")
    assert r.status_code == 200 and r.json()["values"]["measured"] == 3


def test_api_defines_a_form(world, classroom):
    officer = client_for(world, "district1")
    payload = {
        "unit": world.units["D1"].pk, "code": "hoc-sinh", "name": "Báo cáo nhanh", "target_level": "school",
        "period_type": "month", "due_kind": "after_period", "due_days_after": 5,
        "fields": [{"code": "enrolled", "label": "Tổng số trẻ", "source": "records", "records_query": "enrolled"},
                   {"code": "k5", "label": "Trẻ 5 tuổi", "source": "records", "records_query": "enrolled_k5"}],
        "rules": [{"left": "k5", "op": "<=", "right": "enrolled", "message": "Trẻ 5 tuổi không vượt tổng số"}],
    }
    bad = {**payload, "due_kind": "fixed_day", "due_months": "2", "due_day": 30,
           "rules": [{"left": "k5 * 2", "op": "<=", "right": "enrolled", "message": "x"}]}
    r = officer.post("/api/report-forms/", bad, content_type="application/json")
    assert r.status_code == 400
    assert "due_kind" in r.json() and "rules" in r.json()
    r = officer.post("/api/report-forms/", payload, content_type="application/json")
    assert r.status_code == 201, r.json()
    form_id = r.json()["id"]
    # Schools of D1 read it (they owe it); S2 under D2 does not; a principal cannot define forms.
    assert client_for(world, "principal1a").get(f"/api/report-forms/{form_id}/").status_code == 200
    assert client_for(world, "principal2").get(f"/api/report-forms/{form_id}/").status_code == 404
    assert client_for(world, "principal1a").post("/api/report-forms/", {**payload, "unit": world.units["S1a"].pk},
                                                 content_type="application/json").status_code == 404
    assert client_for(world, "district2").post("/api/report-forms/", {**payload, "code": "x2"},
                                               content_type="application/json").status_code == 400
    from mamnon.reporting.models import ReportForm

    form = ReportForm.objects.get(pk=form_id)
    # Issued at once for the current school year's months (09/2023 to 05/2024), to S1a and S1b, and D1 sums.
    assert Report.objects.filter(form=form, unit=world.units["S1a"]).count() == 9
    assert Report.objects.get(form=form, unit=world.units["S1a"], period="2023-10").due_date == dt.date(2023, 11, 5)
    assert not Report.objects.filter(form=form, unit=world.units["S2"]).exists()


def test_the_form_opens_pre_filled_from_the_records(reports, world):
    """S1a has 4 children enrolled (K1-K4): the empty report offers 4; saving keeps the offer beside the value."""
    url = reverse("reporting:report-detail", args=[reports["S1a"].pk])
    body = client_for(world, "principal1a").get(url).content.decode()
    assert 'name="enrolled" value="4"' in body
    client_for(world, "principal1a").post(url, {**VALUES, "enrolled": "5"})
    report = Report.objects.get(pk=reports["S1a"].pk)
    assert report.values["enrolled"] == 5 and report.prefilled["enrolled"] == 4


def test_a_zero_figure_reads_as_zero_not_as_a_blank(reports, world):
    """A submitted report is read-only: a figure of 0 shows as 0 (it used to show as "—", like an empty field)."""
    import re

    report = reports["S1a"]
    principal = client_for(world, "principal1a")
    principal.post(reverse("reporting:report-detail", args=[report.pk]), VALUES)
    principal.post(reverse("reporting:report-submit", args=[report.pk]))
    body = client_for(world, "district1").get(reverse("reporting:report-detail", args=[report.pk])).content.decode()
    cells = dict(re.findall(r'<label for="f-(\w+)">.*?</td>\s*<td>([^<]*)</td>', body, re.S))
    assert cells["wasting"] == "0" and cells["underweight"] == "1" and cells["enrolled"] == "4"
    assert "—" not in cells.values()
