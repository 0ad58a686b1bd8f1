"""Issue 7's "done when" in Debian's chromium: the district dashboard of the year's targets, computed from the
schools' records, drilled down to a school and its groups, exported; the principal's own dashboard and the list
of children behind a number; another school's dashboard is a 404 for her.

The world and classroom of tests/conftest.py, school year 2023-2024 (over: every status is final), with group
G2 made half-day and G3 given English. Worked out by hand from the enrolments (nobody leaves during the year):

    S1a  G1 5-year-olds, full day, no English: K1 K2 K3     G2 25-36 months (creche), half day: K4
    S1b  G3 4-year-olds, full day, English:    K5

    FULLDAY (children in full-day groups / children enrolled):
        S1a 3/4 = 75 %, S1b 1/1 = 100 %, D1 (3+1)/(4+1) = 80 %   (not the mean of the schools' 87.5 %)
        D1's own target >= 90 %  -> not achieved
    ENGLISH (kindergarten children in English classes / kindergarten children; K4 is in a creche group):
        S1a 0/3 = 0 %, S1b 1/1 = 100 %, D1 1/4 = 25 %
        the province's target >= 11 % (seed 000), offered to D1 -> achieved
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from mamnon.calc import indicators as calc
from mamnon.children.models import Group
from mamnon.indicators import services
from mamnon.indicators.models import Indicator, IndicatorValue
from tests.browser.test_roles import log_in
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import build_classroom, build_world

pytestmark = pytest.mark.browser

Y = "2023-2024"
FULLDAY = {"S1a": (3, 4), "S1b": (1, 1)}
ENGLISH = {"S1a": (0, 3), "S1b": (1, 1)}


def _pct(parts) -> float:
    return 100.0 * sum(n for n, _d in parts) / sum(d for _n, d in parts)


D1_FULLDAY, D1_ENGLISH = _pct(FULLDAY.values()), _pct(ENGLISH.values())
assert (D1_FULLDAY, D1_ENGLISH) == (80.0, 25.0)


def _vi(x: float, places: int = 2) -> str:
    """A number as the Vietnamese pages print it (decimal comma)."""
    return f"{x:.{places}f}".replace(".", ",")


@pytest.fixture
def district(transactional_db):
    w = build_world()
    c = build_classroom(w)
    Group.objects.filter(pk=c.groups["G2"].pk).update(full_day=False, semi_boarding=False)
    Group.objects.filter(pk=c.groups["G3"].pk).update(english=True)
    u = w.units
    services.target_set(actor=w.user("province"), unit=u["P"], indicator=Indicator.objects.get(code="ENGLISH"),
                        period=Y, comparison=calc.AT_LEAST, value=Decimal(11))
    services.target_set(actor=w.user("district1"), unit=u["D1"], indicator=Indicator.objects.get(code="FULLDAY"),
                        period=Y, comparison=calc.AT_LEAST, value=Decimal(90))
    assert not IndicatorValue.objects.exists()  # nothing computed yet: the officer does it on the page
    return w, c


def _scorecard_row(page, code):
    return page.locator("table.scorecard tbody tr", has=page.locator("small.meta", has_text=re.compile(f"^{code}$")))


def _below_row(page, name):
    return page.locator("table.below tbody tr", has=page.locator("a", has_text=re.compile(f"^{name}$")))


def test_district_dashboard_drill_down_export_and_principal(page, district):
    w, c = district
    d1, s1a, s1b = w.units["D1"], w.units["S1a"], w.units["S1b"]

    # 1. The district officer opens the indicators: his district's dashboard for the current year.
    log_in(page, "district1")
    page.goto("/indicators/")
    assert page.url.endswith(f"/indicators/unit/{d1.pk}/")
    expect(page.locator("h1")).to_contain_text(w.marker("D1"))
    expect(page.locator("h1")).to_contain_text(Y)
    fullday, english = _scorecard_row(page, "FULLDAY"), _scorecard_row(page, "ENGLISH")
    expect(fullday.locator("td").nth(1)).to_contain_text("90")
    expect(english.locator(".inherited")).to_contain_text(f"do {w.marker('P')} giao")  # the province's target
    expect(fullday.locator("td.num")).to_have_text("–")  # not computed yet

    # He recomputes the district's values from the schools' records.
    with page.expect_navigation():
        page.click(f"form[action$='/indicators/unit/{d1.pk}/refresh/?year={Y}'] button")
    expect(page.locator("ul.messages li.success")).to_contain_text("Đã tính lại")
    fullday, english = _scorecard_row(page, "FULLDAY"), _scorecard_row(page, "ENGLISH")
    expect(fullday.locator("td.num")).to_contain_text(_vi(D1_FULLDAY))
    expect(fullday.locator(".status")).to_have_text("Không đạt")  # 80 % < 90 %, the year is over
    expect(fullday.locator(".status.not-achieved")).to_be_visible()
    expect(english.locator("td.num")).to_contain_text(_vi(D1_ENGLISH))
    expect(english.locator(".status.achieved")).to_have_text("Đạt")
    # The schools side by side, ranked by FULLDAY: S1b (100) before S1a (75); nothing of district 2.
    names = page.locator("table.below tbody tr td:nth-child(2)").all_inner_texts()
    assert [n for n in names if n.startswith("ZZ-S")] == [w.marker("S1b"), w.marker("S1a")]
    columns = page.locator("table.below thead th").all_inner_texts()[2:]
    cells = {name: dict(zip(columns, _below_row(page, w.marker(name)).locator("td.num").all_inner_texts(),
                            strict=True))
             for name in ("S1a", "S1b")}
    for name in ("S1a", "S1b"):
        assert cells[name]["FULLDAY"] == _vi(_pct([FULLDAY[name]]), 1), name
        assert cells[name]["ENGLISH"] == _vi(_pct([ENGLISH[name]]), 1), name
    assert w.marker("S2") not in page.content() and w.marker("D2") not in page.content()

    # 2. Drill down: the school S1a (D1's target offered to it), then FULLDAY by group.
    with page.expect_navigation():
        _below_row(page, w.marker("S1a")).locator("a").click()
    assert page.url.endswith(f"/indicators/unit/{s1a.pk}/?year={Y}")
    expect(page.locator("nav.crumbs")).to_contain_text(w.marker("D1"))
    fullday = _scorecard_row(page, "FULLDAY")
    expect(fullday.locator(".inherited")).to_contain_text(f"do {w.marker('D1')} giao")
    expect(fullday.locator("td.num")).to_contain_text(_vi(75.0))
    with page.expect_navigation():
        fullday.locator("a").first.click()
    assert f"/indicators/unit/{s1a.pk}/FULLDAY/" in page.url
    groups = page.locator("h2 + .table-wrap table").last.locator("tbody tr")
    expect(groups).to_have_count(2)
    g1, g2 = (groups.filter(has_text=w.marker(g)) for g in ("group-G1", "group-G2"))
    assert g1.locator("td").all_inner_texts()[1:4] == ["3", "3", _vi(100.0)]
    assert g2.locator("td").all_inner_texts()[1:4] == ["0", "1", _vi(0.0)]

    # 3. He exports the district's scorecard.
    page.goto(f"/indicators/unit/{d1.pk}/?year={Y}")
    with page.expect_download() as info:
        page.click(f"a[href$='/indicators/unit/{d1.pk}/export.xlsx?year={Y}']")
    download = info.value
    assert download.suggested_filename == f"chi-tieu-d1-{Y}.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    card = wb.worksheets[0]
    assert card["A1"].value == w.marker("D1")
    lines = {card.cell(row=r, column=1).value: [x.value for x in card[r]] for r in range(5, card.max_row + 1)}
    assert set(lines) == {"FULLDAY", "ENGLISH"}
    # code, name, target, set by, latest value, its period (May 2024, the year's last month), baseline, status
    assert lines["FULLDAY"][3:6] == [w.marker("D1"), D1_FULLDAY, "2024-05"]
    assert lines["FULLDAY"][7] == "Không đạt"
    assert lines["ENGLISH"][3:6] == [w.marker("P"), D1_ENGLISH, "2024-05"]
    assert lines["ENGLISH"][7] == "Đạt"
    below = wb.worksheets[1]
    heads = [below.cell(row=1, column=j).value.split(" ")[0] for j in range(2, below.max_column + 1)]
    rows = {below.cell(row=r, column=1).value: dict(zip(heads, [x.value for x in below[r]][1:], strict=True))
            for r in range(2, below.max_row + 1)}
    assert rows[w.marker("S1a")] == {"FULLDAY": 75.0, "ENGLISH": 0.0}
    assert rows[w.marker("S1b")] == {"FULLDAY": 100.0, "ENGLISH": 100.0}
    assert w.marker("S2") not in rows

    # 4. The principal: her school's dashboard, the children behind FULLDAY in G1; S1b's dashboard is a 404.
    page.context.clear_cookies()
    log_in(page, "principal1a")
    page.goto("/indicators/")
    assert page.url.endswith(f"/indicators/unit/{s1a.pk}/")
    fullday, english = _scorecard_row(page, "FULLDAY"), _scorecard_row(page, "ENGLISH")
    expect(fullday.locator("td.num")).to_contain_text(_vi(75.0))
    expect(fullday.locator(".status.not-achieved")).to_be_visible()
    expect(english.locator("td.num")).to_contain_text(_vi(0.0))
    with page.expect_navigation():
        fullday.locator("a").first.click()
    g1 = page.locator("tr", has_text=w.marker("group-G1"))
    with page.expect_navigation():
        g1.locator("a", has_text="Trẻ").click()
    assert f"group={c.groups['G1'].pk}" in page.url
    listed = page.locator("main ol li a").all_inner_texts()
    assert listed == sorted(w.marker(f"child-{k}") for k in ("K1", "K2", "K3"))  # K4's group is half day
    assert not page.problems, str(page.problems)  # before the 404s below, which the console reports
    for other in (s1b, w.units["S2"], d1):
        for url in (f"/indicators/unit/{other.pk}/?year={Y}", f"/indicators/unit/{other.pk}/export.xlsx",
                    f"/indicators/unit/{other.pk}/FULLDAY/children/"):
            assert page.goto(url).status == 404, url
