"""Growth monitoring in Debian's chromium, the round workflow end to end: a district officer creates the year's
three rounds, a teacher types her group's weights and heights with the keyboard (htmx shows each row's z-scores
and status), the principal reads the school's figures and downloads the round report, the district officer reads
the district's figures (counts, never a child's chart), and a parent sees the child's growth chart in the portal.

The expected z-scores are worked out here from WHO's published 2007 reference rows (below), not by the app.
Skipped (with the reason) when chromium is missing, like every browser test (conftest.py here).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from mamnon.health import services
from mamnon.health.models import Measurement, MeasurementRound
from tests.browser.test_roles import log_in
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import build_classroom, build_world

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MAMNON_SCREENSHOTS")  # a directory: keep screenshots of the pages for a look

DAY = dt.date(2023, 9, 30)  # measured on the last day of round 1 of 2023-2024
# WHO Reference 2007, 5-19 years (WHO's wfa_boys/girls_z_WHO2007_exp.txt, hfa_boys/girls_z_WHO2007_exp.txt):
# (sex, month) -> (L, M, S). Weight-for-age and height-for-age at 66 and 67 months.
WFA_2007 = {("M", 66): (-0.2548, 19.3940, 0.13178), ("M", 67): (-0.2653, 19.5765, 0.13213),
            ("F", 66): (-0.4834, 19.1276, 0.14569), ("F", 67): (-0.4864, 19.3004, 0.14624)}
HFA_2007 = {("M", 66): (1, 112.9110, 0.04203), ("M", 67): (1, 113.4280, 0.04211),
            ("F", 66): (1, 112.1753, 0.04399), ("F", 67): (1, 112.6767, 0.04407)}
Z_RE = re.compile(r"[+-]\d+,\d\d")


def _shot(pg, name):
    if SHOTS:
        pg.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _lms(table, sex: str, age_days: int) -> tuple[float, float, float]:
    """WHO's monthly rows interpolated linearly at age_days / 30.4375 months (between 66 and 67 here)."""
    months = age_days / 30.4375
    assert 66 <= months < 67, months
    t = months - 66
    lo, hi = table[(sex, 66)], table[(sex, 67)]
    return tuple(a + t * (b - a) for a, b in zip(lo, hi, strict=True))


def _value_at_z(table, sex: str, age_days: int, z: float) -> float:
    """The measurement whose LMS z-score is ``z``: X = M (1 + L S z)^(1/L) (M (1 + S z) when L = 1)."""
    ll, m, s = _lms(table, sex, age_days)
    return m * (1 + ll * s * z) ** (1 / ll)


def _zs(page, child_pk) -> list[float]:
    """The z-scores the grid shows for a row, in order (W/A, H/A, BMI/A), '+0,01' read as 0.01."""
    texts = page.locator(f"#fb-{child_pk} .z").all_inner_texts()
    return [float(Z_RE.search(t).group().replace(",", ".")) for t in texts]


def _comma(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _expect_404(page, url: str) -> None:
    """``url`` answers 404; the browser's console lines about that 404 (and the error page's favicon) are expected."""
    before = len(page.problems.console_errors)
    assert page.goto(url).status == 404, url
    page.wait_for_load_state("networkidle")  # Django's plain 404 page has no icon: chromium asks /favicon.ico
    del page.problems.console_errors[before:]


def _stats_row(page, name: str) -> str:
    return page.locator("table tbody tr", has_text=name).inner_text()


def test_round_workflow_end_to_end(page, live_server):
    classroom = build_classroom(build_world())
    w, g1 = classroom.world, classroom.groups["G1"]
    k1, k2, k3 = (classroom.children[k] for k in ("K1", "K2", "K3"))
    assert (k1.sex, k2.sex) == ("M", "F")
    age1, age2 = (DAY - k1.birth_date).days, (DAY - k2.birth_date).days

    # 1. The district officer creates the three usual rounds of the school year from the rounds page.
    log_in(page, "district1")
    page.click("nav a[href='/health/rounds/']")
    expect(page.locator("main")).to_contain_text("Năm học này chưa có đợt cân đo nào.")
    page.select_option("select[name='def-unit']", str(w.units["D1"].pk))
    with page.expect_navigation():
        page.click("button:has-text('Tạo ba đợt cân đo')")
    expect(page.locator(".messages")).to_contain_text("Đã tạo 3 đợt cân đo.")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    first = rows.nth(0).inner_text()
    assert "Cân đo lần 1 (tháng 9)" in first and "01/09/2023 – 30/09/2023" in first and "20/09/2023" in first
    assert "20/12/2023" in rows.nth(1).inner_text() and "20/03/2024" in rows.nth(2).inner_text()
    rounds = {r.number: r for r in MeasurementRound.objects.filter(unit=w.units["D1"], school_year=classroom.year)}
    assert sorted(rounds) == [1, 2, 3] and rounds[1].deadline == dt.date(2023, 9, 20)
    _shot(page, "health-rounds")

    # 2. The teacher sees the district's round, opens her group's grid and types with the keyboard.
    page.context.clear_cookies()
    log_in(page, "teacher1a")
    page.goto("/health/rounds/")
    with page.expect_navigation():
        page.click("a:has-text('Cân đo lần 1 (tháng 9)')")
    assert w.marker("group-G2") not in page.inner_text("main")  # not her group
    with page.expect_navigation():
        page.click(f"a[href='/health/rounds/{rounds[1].pk}/groups/{g1.pk}/']")
    expect(page.locator(".grid tbody tr")).to_have_count(3)
    page.fill("#grid-date", DAY.isoformat())
    # K1 at WHO's median weight and height for his age; K2 at -2.5 SD of weight-for-age, median height.
    w1, h1 = _value_at_z(WFA_2007, "M", age1, 0), _value_at_z(HFA_2007, "M", age1, 0)
    w2, h2 = _value_at_z(WFA_2007, "F", age2, -2.5), _value_at_z(HFA_2007, "F", age2, 0)
    page.focus(f"input[name='weight-{k1.pk}']")
    for value in (w1, h1, w2, h2):  # Tab goes weight -> height -> next child's weight (other fields skip)
        page.keyboard.type(_comma(value))
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == f"weight-{k3.pk}"
    # K3: an absurd weight (250 kg) and a height.
    page.keyboard.type("250")
    page.keyboard.press("Tab")
    page.keyboard.type("110")
    page.keyboard.press("Tab")
    # htmx: every row's feedback appears without a page load.
    expect(page.locator(f"#fb-{k1.pk} .z")).to_have_count(3)  # W/A, H/A and (from 60 months) BMI/A
    expect(page.locator(f"#fb-{k1.pk} .z").nth(1)).to_have_text(Z_RE)
    expect(page.locator(f"#fb-{k2.pk} .z").nth(1)).to_have_text(Z_RE)
    waz1, haz1, _baz1 = _zs(page, k1.pk)
    assert abs(waz1) <= 0.05 and abs(haz1) <= 0.05, (waz1, haz1)
    assert page.locator(f"#fb-{k1.pk} .statuses .badge").all_inner_texts() == ["bình thường"] * 3
    waz2, haz2, _baz2 = _zs(page, k2.pk)
    assert abs(waz2 + 2.5) <= 0.05 and abs(haz2) <= 0.05, (waz2, haz2)
    statuses2 = page.locator(f"#fb-{k2.pk} .statuses .badge").all_inner_texts()
    assert statuses2[0] == "SDD nhẹ cân" and statuses2[1] == "bình thường", statuses2
    expect(page.locator(f"#fb-{k3.pk} .errors")).to_contain_text(f"{w.marker('child-K3')}, cân nặng: 250 kg")
    _shot(page, "health-grid-typed")
    # Saving with the absurd row: the Vietnamese error names the child and the field, and nothing is saved.
    with page.expect_navigation():
        page.click("button:has-text('Lưu kết quả cân đo')")
    error = page.locator("ul.errors.card")
    expect(error).to_contain_text(
        f"{w.marker('child-K3')}, cân nặng: 250 kg không phải cân nặng của trẻ (từ 1,5 đến 60 kg).")
    assert not Measurement.objects.exists()
    # What was typed is kept; the teacher clears K3's row and saves again.
    assert page.input_value(f"input[name='weight-{k1.pk}']") == _comma(w1)
    page.fill(f"input[name='weight-{k3.pk}']", "")
    page.fill(f"input[name='height-{k3.pk}']", "")
    with page.expect_navigation():
        page.click("button:has-text('Lưu kết quả cân đo')")
    expect(page.locator(".messages")).to_contain_text("Đã lưu: 2 kết quả mới, 0 kết quả được sửa.")
    saved = {m.child_id: m for m in Measurement.objects.all()}
    assert set(saved) == {k1.pk, k2.pk} and saved[k1.pk].round == rounds[1] and saved[k1.pk].date == DAY
    assert abs(saved[k1.pk].waz) <= 0.05 and abs(saved[k2.pk].waz + 2.5) <= 0.05
    expect(page.locator(f"#row-{k1.pk}.saved #fb-{k1.pk} .z")).to_have_count(3)
    _shot(page, "health-grid-saved")
    assert not page.problems, str(page.problems)

    # 3. The principal reads the school's figures: G1 2 measured of 3 enrolled, 1 underweight; G2 0 of 1.
    page.context.clear_cookies()
    log_in(page, "principal1a")
    page.goto("/health/rounds/")
    with page.expect_navigation():
        page.click("a:has-text('Thống kê cân đo')")
    expect(page.locator("h1")).to_contain_text(w.marker("S1a"))
    g1_row = _stats_row(page, w.marker("group-G1"))
    assert "2 / 3" in g1_row and "1 · 50,0%" in g1_row, g1_row  # underweight: 1 of the 2 assessed
    assert "0 / 1" in _stats_row(page, w.marker("group-G2"))
    total = page.locator("table tfoot tr").inner_text()
    assert "2 / 4" in total and "1 · 50,0%" in total, total
    _shot(page, "health-stats-school")
    with page.expect_download() as info:
        page.click("a:has-text('Báo cáo kết quả cân đo (.xlsx)')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as fh:
        ws = load_workbook(io.BytesIO(fh.read())).active
    by_name = {row[1]: row for row in ws.iter_rows(min_row=6, values_only=True) if row[1]}
    # Columns: No., group, enrolled, measured, measured %, underweight, underweight %, of which severe, ...
    assert by_name[w.marker("group-G1")][2:6] == (3, 2, pytest.approx(200 / 3, abs=0.01), 1), by_name
    assert by_name[w.marker("group-G1")][7] == 0
    assert by_name["Tổng"][2:6] == (4, 2, 50, 1)
    assert w.marker("S1a") in str(ws.cell(row=1, column=1).value)

    # 4. The district officer reads the district's figures (the school's counts), never a child's chart.
    page.context.clear_cookies()
    log_in(page, "district1")
    page.goto("/health/stats/")
    expect(page.locator("h1")).to_contain_text(w.marker("D1"))
    s1a = _stats_row(page, w.marker("S1a"))
    assert "2 / 4" in s1a and "1 · 50,0%" in s1a, s1a
    assert "0 / 1" in _stats_row(page, w.marker("S1b"))
    assert w.marker("S2") not in page.inner_text("main")  # another district
    assert w.marker("child-K1") not in page.inner_text("main")
    _expect_404(page, f"/health/children/{k1.pk}/chart/")
    with page.expect_navigation():
        page.goto(f"/health/stats/?unit={w.units['S1a'].pk}&year={classroom.year.code}&round=1")
    assert "2 / 3" in _stats_row(page, w.marker("group-G1"))  # drills down to the school's groups: counts only
    assert w.marker("child-K1") not in page.inner_text("main")
    _shot(page, "health-stats-district")

    # 5. The parent opens the portal, then the child's page, then the growth chart: K1's point on the curves.
    page.context.clear_cookies()
    log_in(page, "parent1a")
    page.goto("/portal/")
    with page.expect_navigation():
        page.click(f"#child-{k1.pk} h2 a")
    with page.expect_navigation():
        page.click("a:has-text('Biểu đồ tăng trưởng')")
    svg = page.locator(".chart-box svg.growth-chart")
    expect(svg).to_be_visible()
    expect(svg.locator("circle.child-point")).to_have_count(1)
    assert svg.locator("polyline.sd-curve").count() >= 5  # -3, -2, 0, +2, +3
    assert w.marker("child-K1") in page.inner_text("main") and "30/09/2023" in page.inner_text("main")
    _shot(page, "health-chart-portal")
    _expect_404(page, f"/health/children/{k2.pk}/chart/")  # not their child
    assert not page.problems, str(page.problems)


def test_teacher_cannot_open_another_groups_grid(page):
    """The grid of a group that is not hers answers 404 in the browser too; the rounds exist via the service."""
    classroom = build_classroom(build_world())
    w = classroom.world
    made = services.rounds_create_defaults(actor=w.user("district1"), unit=w.units["D1"], school_year=classroom.year)
    log_in(page, "teacher1a")
    _expect_404(page, f"/health/rounds/{made[0].pk}/groups/{classroom.groups['G2'].pk}/")
    response = page.goto(f"/health/rounds/{made[0].pk}/groups/{classroom.groups['G1'].pk}/")
    assert response.status == 200 and page.locator(".grid tbody tr").count() == 3
    assert not page.problems, str(page.problems)
