"""Issue 8's "done when" in Debian's chromium: the measurement round-1 report from the school to the district.

A principal opens the report pre-filled from the round's measurements, overrides one figure and signs it off
(after the due date: late). The district officer sees who has not sent the report and who was late, opens the
submission beside what the data offered, returns it with a comment; the principal reads the comment, corrects
and resubmits; the officer approves it, sums the district's reports and downloads the consolidation (.xlsx,
read back with openpyxl). The principal then sees her month's duties and her inbox.

The figures are worked out by hand from the records built below (round 1 = September 2023, due 20/09/2023):

    S1a (D1)  G1: K1 normal, K2 underweight (weight-for-age moderate), K3 normal; G2: K4 not measured
              -> enrolled 4, measured 3, underweight 1, stunting 0
    S1b (D1)  G3: K5 stunted (height-for-age moderate)  -> enrolled 1, measured 1, underweight 0, stunting 1
              submitted on 18/09/2023 (on time), by the fixture
    S1c (D1)  a school opened under D1 with no children, which never reports
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from mamnon.health.models import Measurement, MeasurementRound
from mamnon.health.models import Status as Nutrition
from mamnon.org import services as org_services
from mamnon.org.models import School
from mamnon.reporting import catalogue, services
from mamnon.reporting.models import Duty, Report, Status
from tests.browser.test_roles import log_in
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import build_classroom, build_world

pytestmark = pytest.mark.browser

R1, R2 = "2023-2024/R1", "2023-2024/R2"
FORM_NAME = "Báo cáo kết quả cân đo, chấm biểu đồ tăng trưởng"
# S1a and S1b as the records give them (see the module docstring).
S1A = {"enrolled": 4, "measured": 3, "underweight": 1, "stunting": 0, "wasting": 0, "overweight": 0, "obese": 0}
S1B = {"enrolled": 1, "measured": 1, "underweight": 0, "stunting": 1, "wasting": 0, "overweight": 0, "obese": 0}
LABELS = {"enrolled": "Số trẻ đang học", "measured": "Số trẻ được cân đo, theo dõi biểu đồ",
          "underweight": "Trẻ suy dinh dưỡng thể nhẹ cân", "stunting": "Trẻ suy dinh dưỡng thể thấp còi"}
COMMENT = "Số trẻ nhẹ cân khác sổ cân đo đợt 1 (1 trẻ): đề nghị kiểm tra lại."


def _measure(school, child, group, rnd, *, wfa=Nutrition.NORMAL, hfa=Nutrition.NORMAL):
    Measurement.objects.create(school=school, child=child, group=group, round=rnd, date=dt.date(2023, 9, 12),
                               age_days=1500, wfa_status=wfa, hfa_status=hfa, wfh_status=Nutrition.NORMAL)


@pytest.fixture
def round_one(transactional_db):
    """The shared world and classroom (2023-2024 current), a third D1 school S1c, the round-1 form of the
    province issued for rounds 1 and 2, September's measurements, S1b's report submitted on time, and two
    duties of September: D1's for its schools and S1a's own."""
    w = build_world()
    c = build_classroom(w)
    s1c = org_services.school_create(code="S1c", name=w.marker("S1c"), parent=w.units["D1"],
                                     commune=w.units["C1"], ownership=School.Ownership.PUBLIC)
    (form,) = catalogue.install(w.units["P"], codes=["can-do"])
    for period in (R1, R2):
        services.reports_issue(form=form, period=period)
    rnd = MeasurementRound.objects.create(unit=w.units["D1"], school_year=c.year, number=1, name="Đợt 1",
                                          start_date=dt.date(2023, 9, 5), end_date=dt.date(2023, 9, 30),
                                          deadline=dt.date(2023, 9, 20))
    s1a, s1b, g1 = w.schools["S1a"], w.schools["S1b"], c.groups["G1"]
    _measure(s1a, c.children["K1"], g1, rnd)
    _measure(s1a, c.children["K2"], g1, rnd, wfa=Nutrition.MODERATE)
    _measure(s1a, c.children["K3"], g1, rnd)
    _measure(s1b, c.children["K5"], c.groups["G3"], rnd, hfa=Nutrition.MODERATE)
    # S1b reviewed what the data offered and signed off on 18/09/2023, two days before the deadline.
    s1b_report = Report.objects.get(form=form, period=R1, unit=s1b.unit)
    s1b_report = services.report_prefill(report=s1b_report)
    assert s1b_report.values == S1B  # the records say what the module docstring says
    services.report_submit(report=s1b_report, actor=w.user("principal1b"),
                           now=timezone.make_aware(dt.datetime(2023, 9, 18, 9, 0)))
    services.duty_create(actor=w.user("district1"), unit=w.units["D1"], month=dt.date(2023, 9, 1),
                         title="Nộp kế hoạch thực hiện giải pháp sáng tạo", due_date=dt.date(2023, 9, 30),
                         owner="Hiệu trưởng", deliverable="Kế hoạch", recipient="Phòng GD&ĐT",
                         for_units_below=True)
    services.duty_create(actor=w.user("principal1a"), unit=w.units["S1a"], month=dt.date(2023, 9, 1),
                         title="Cân đo, chấm biểu đồ tăng trưởng đợt 1", due_date=dt.date(2023, 9, 15),
                         owner="Nhân viên y tế", deliverable="Sổ theo dõi sức khỏe", recipient="Hiệu trưởng")
    return w, form, s1c


def _switch(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def _figure(page, code):
    """(the figure shown, what the data offered) on a report's page."""
    row = page.locator("table.report-fields tr", has=page.locator(f"label[for='f-{code}']"))
    cells = row.locator("td")
    field = cells.nth(1).locator("input")
    shown = field.input_value() if field.count() else cells.nth(1).inner_text().strip()
    return shown, cells.nth(2).inner_text().strip()


def _save_and_submit(page):
    with page.expect_navigation():
        page.click("form.card:has(table.report-fields) button[type=submit]")
    expect(page.locator("ul.messages li.success")).to_be_visible()
    with page.expect_navigation():
        page.click("form[action$='/submit/'] button[type=submit]")


def test_round_one_report_from_school_to_district(page, round_one):
    w, form, s1c = round_one
    s1a_report = Report.objects.get(form=form, period=R1, unit=w.units["S1a"])
    d1_report = Report.objects.get(form=form, period=R1, unit=w.units["D1"], is_consolidation=True)

    # 1. The principal opens round 1 from her inbox (overdue: due 20/09/2023): the figures come from the records.
    log_in(page, "principal1a")
    page.goto("/reporting/")
    row = page.locator("table tr", has_text=R1)
    expect(row).to_contain_text("20/09/2023")
    expect(row.locator(".status-overdue")).to_be_visible()
    with page.expect_navigation():
        row.locator("a", has_text=FORM_NAME).click()
    assert page.url.endswith(f"/reporting/r/{s1a_report.pk}/")
    for code, value in S1A.items():
        assert _figure(page, code) == (str(value), str(value)), code
    # She types 0 underweight children where the records hold one, and signs the report off (late).
    page.fill("input[name=underweight]", "0")
    _save_and_submit(page)
    expect(page.locator("dd .status-submitted")).to_be_visible()
    s1a_report.refresh_from_db()
    assert s1a_report.status == Status.SUBMITTED and s1a_report.values["underweight"] == 0
    assert s1a_report.prefilled["underweight"] == 1  # what the data offered, kept beside the figure

    # 2. The district officer: who has sent round 1, who was late, who has not sent it.
    _switch(page, "district1")
    page.goto("/reporting/forms/")
    with page.expect_navigation():
        page.locator("section.card", has_text=FORM_NAME).locator("a", has_text=R1).click()
    stats = page.locator("section.stats strong")
    assert [stats.nth(i).inner_text() for i in range(3)] == ["3", "2", "1"]  # expected, submitted, on time
    units = page.locator("section.card").last
    late, on_time, missing = (units.locator("tr", has_text=w.marker(k)) for k in ("S1a", "S1b", "S1c"))
    expect(late.locator(".status-submitted")).to_be_visible()
    expect(late.locator("td").nth(2)).to_have_text("muộn")
    expect(on_time.locator("td").nth(2)).to_have_text("✓")
    expect(missing.locator(".status-overdue")).to_be_visible()
    expect(missing.locator("td").nth(2)).to_have_text("")
    assert Report.objects.get(form=form, period=R1, unit=s1c.unit).status == Status.NOT_STARTED
    assert w.marker("S2") not in page.content()

    # 3. He opens S1a's submission: the figure beside what the data offered; he returns it with a comment.
    with page.expect_navigation():
        late.locator("a", has_text=w.marker("S1a")).click()
    assert page.url.endswith(f"/reporting/r/{s1a_report.pk}/")
    assert _figure(page, "underweight") == ("0", "1")
    assert _figure(page, "measured") == ("3", "3")
    page.fill("form[action$='/return/'] textarea[name=comment]", COMMENT)
    with page.expect_navigation():
        page.click("form[action$='/return/'] button[type=submit]")
    # Returned, even after the due date, shows as returned (docs/reporting.md, "Inbox").
    expect(page.locator("dd .status-returned")).to_be_visible()
    s1a_report.refresh_from_db()
    assert s1a_report.status == Status.RETURNED

    # 4. The principal sees the comment, corrects the figure and resubmits.
    _switch(page, "principal1a")
    page.goto(f"/reporting/r/{s1a_report.pk}/")
    expect(page.locator("dd .status-returned")).to_be_visible()
    expect(page.locator("section.card", has=page.locator("ul.plain")).last).to_contain_text(COMMENT)
    assert _figure(page, "underweight") == ("0", "1")
    page.fill("input[name=underweight]", "1")
    _save_and_submit(page)
    s1a_report.refresh_from_db()
    assert s1a_report.status == Status.SUBMITTED and s1a_report.values == S1A

    # 5. The officer approves it (from the reports submitted to him), then sums the district's reports.
    _switch(page, "district1")
    page.goto("/reporting/")
    review = page.locator("table tr", has_text=w.marker("S1a"))
    with page.expect_navigation():
        review.locator("a", has_text=FORM_NAME).click()
    with page.expect_navigation():
        page.click("form[action$='/approve/'] button[type=submit]")
    expect(page.locator("dd .status-approved")).to_be_visible()
    assert page.locator("input[name=underweight]").count() == 0  # approved: locked
    s1a_report.refresh_from_db()
    assert s1a_report.status == Status.APPROVED and s1a_report.approved_by == w.user("district1")

    page.goto(f"/reporting/forms/{form.pk}/{R1}/")
    with page.expect_navigation():
        page.click("section.stats a.primary")  # "our consolidated report"
    assert page.url.endswith(f"/reporting/r/{d1_report.pk}/")
    with page.expect_navigation():
        page.click("form[action$='/consolidate/'] button[type=submit]")
    expected = {code: S1A[code] + S1B[code] for code in S1A}
    assert expected == {"enrolled": 5, "measured": 4, "underweight": 1, "stunting": 1, "wasting": 0,
                        "overweight": 0, "obese": 0}
    for code, value in expected.items():
        assert _figure(page, code)[0] == str(value), code
    # One approved (S1a) and one submitted (S1b) report summed, S1c's missing: the history says so.
    expect(page.locator("section.card ul.plain").last).to_contain_text(
        "Đã cộng 1 báo cáo đã duyệt và 1 báo cáo đã nộp; 1 đơn vị chưa nộp.")
    d1_report.refresh_from_db()
    assert d1_report.values == expected

    # 6. The district consolidation as .xlsx: the sums, and one column per school that add up to them.
    with page.expect_download() as info:
        page.click("a[href$='/xlsx/']")
    download = info.value
    assert download.suggested_filename == f"can-do-d1-{R1.replace('/', '-')}.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    sheet = wb.worksheets[0]
    assert sheet["A2"].value == w.marker("D1").upper() and sheet["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    by_label = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=3).value
                for r in range(10, sheet.max_row + 1)}
    units_sheet = wb.worksheets[1]
    schools = [units_sheet.cell(row=3, column=j).value for j in range(2, units_sheet.max_column + 1)]
    assert schools == [w.marker("S1a"), w.marker("S1b")]  # S1c sent nothing
    per_school = {units_sheet.cell(row=r, column=1).value: [units_sheet.cell(row=r, column=j).value
                                                            for j in range(2, 4)]
                  for r in range(4, units_sheet.max_row + 1)}
    for code, label in LABELS.items():
        assert by_label[label] == expected[code], label
        assert per_school[label] == [S1A[code], S1B[code]], label
        assert sum(per_school[label]) == by_label[label], label

    # 7. The principal's September: her own duty, the district's duty for its schools, the report due that month.
    _switch(page, "principal1a")
    page.goto("/reporting/calendar/?month=2023-09")
    expect(page.locator("h1")).to_contain_text(w.marker("S1a"))
    expect(page.locator("h1")).to_contain_text("09/2023")
    duties = page.locator("section.card", has=page.locator("th", has_text="Người phụ trách")).locator("tbody tr")
    expect(duties).to_have_count(2)
    own = duties.filter(has_text="Cân đo, chấm biểu đồ tăng trưởng đợt 1")
    district = duties.filter(has_text="Nộp kế hoạch thực hiện giải pháp sáng tạo")
    expect(own).to_contain_text("15/09/2023")
    expect(own).to_contain_text("Nhân viên y tế")
    expect(district).to_contain_text("30/09/2023")
    expect(district).to_contain_text(w.marker("D1"))
    assert district.locator("select").count() == 0  # the district's duty is not hers to change
    due = page.locator("section.card li", has_text=FORM_NAME)
    expect(due).to_contain_text("20/09/2023")
    expect(due.locator(".status-approved")).to_be_visible()
    # She marks her duty done.
    with page.expect_navigation():
        own.locator("select[name=status]").select_option("done")
    assert Duty.objects.get(title="Cân đo, chấm biểu đồ tăng trưởng đợt 1").status == Duty.Status.DONE

    # 8. Her inbox: round 1 approved, round 2 (due 20/12/2023) overdue; nothing of another school.
    page.goto("/reporting/")
    owed = page.locator("section.card", has=page.locator("select[name=status]")).locator("tbody tr")
    expect(owed).to_have_count(2)
    expect(owed.filter(has_text=R1).locator(".status-approved")).to_be_visible()
    r2 = owed.filter(has_text=R2)
    expect(r2).to_contain_text("20/12/2023")
    expect(r2.locator(".status-overdue")).to_be_visible()
    body = page.content()
    assert w.marker("S1b") not in body and w.marker("S1c") not in body
    assert not page.problems, str(page.problems)
