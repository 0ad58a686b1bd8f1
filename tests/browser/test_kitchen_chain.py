"""The kitchen-to-fees chain in Debian's chromium: the cook enters next week's menu, the vice-principal approves and
publishes it, the accountant sets the fee table and issues the month's statements, and a parent sees the fee
(with its VietQR code) and the menu in the portal.

The expected figures are worked out here by hand: energy from the test foods' per-100 g values (tests/kitchen/
conftest.py), the month's fee from the Monday-to-Friday days of the month counted with the calendar module.
Skipped (with the reason) when chromium is missing, like every browser test (conftest.py here).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamnon.attendance.models import CalendarDay
from mamnon.children.models import AgeBand, Child, Enrolment, Group, Guardian
from mamnon.core.models import Rule
from mamnon.fees.models import FeeTable, Statement
from mamnon.kitchen.models import Menu
from mamnon.org import services as org_services
from tests.browser.test_roles import log_in
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import Classroom, build_world
from tests.kitchen.conftest import build_kitchen

pytestmark = pytest.mark.browser

# Monday's kindergarten meals and their energy from the test foods (kcal per 100 g x net grams / 100):
# lunch: Cơm (rice 70 g x 350) + Thịt lợn rim (pork 35 g x 140, oil 5 g x 900); snack: Sữa bò tươi (milk 180 g x 75)
MONDAY_KCAL = 70 * 350 / 100 + 35 * 140 / 100 + 5 * 900 / 100 + 180 * 75 / 100
assert MONDAY_KCAL == 474
DAILY_RATE = 25000 + 3000  # food + fuel, Sao Sáng (seed 002)
WATER = 10000


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đ"


def _weekdays(first: dt.date, last: dt.date) -> int:
    return sum(1 for d in range(first.day, last.day + 1) if dt.date(first.year, first.month, d).weekday() < 5)


@pytest.fixture
def chain(transactional_db):
    """A world whose current school year holds today: S1a with a semi-boarding kindergarten group, one child whose
    guardian is parent1a; the kitchen's test foods, prices and dishes."""
    today = timezone.localdate()
    w = build_world()
    year = org_services.school_year_create(start_year=today.year if today.month >= 9 else today.year - 1,
                                           current=True)
    school = w.schools["S1a"]
    group = Group.objects.create(school=school, school_year=year, name="ZZ-group-Lá", age_band=AgeBand.K5,
                                 semi_boarding=True)
    child = Child.objects.create(school=school, full_name="Nguyễn Minh An", birth_date=dt.date(today.year - 5, 3, 1),
                                 sex="M")
    Enrolment.objects.create(child=child, group=group, school=school, start_date=year.start_date)
    Guardian.objects.create(child=child, school=school, full_name="Trần Thị Bình", relation="mother",
                            phone="0912345678", user=w.user("parent1a"), is_primary=True)
    kitchen = build_kitchen(Classroom(world=w, year=year))
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)
    if today.weekday() >= 5:
        # A weekend run: next week's publication deadline (the Saturday before, TT 09/2024) has passed; the
        # school's own rule (a unit-level Rule row) moves it to the Monday so the chain can still run.
        Rule.objects.create(code="kitchen.menu_publish_days_before", value=0, label="test: publish by Monday",
                            effective_from=dt.date(2000, 1, 1), unit=school.unit)
    return w, year, school, child, kitchen, monday


def test_cook_vice_accountant_parent(page, chain):
    w, year, school, child, kitchen, monday = chain
    today = timezone.localdate()

    # 1. The cook creates next week's kindergarten menu and enters Monday's meals.
    log_in(page, "kitchen1a")
    page.goto(f"/kitchen/menus/?school={school.pk}")
    page.select_option("select[name=band]", "kinder")
    page.fill("input[name=week_start]", monday.isoformat())
    with page.expect_navigation():
        page.click("form:has(select[name=band]) button[type=submit]")
    menu = Menu.objects.get(school=school, band="kinder", week_start=monday)
    assert page.url.endswith(f"/kitchen/menus/{menu.pk}/")
    for meal, dish in (("lunch", "Cơm"), ("lunch", "Thịt lợn rim"), ("snack", "Sữa bò tươi")):
        page.select_option("select[name=weekday]", "0")
        page.select_option("select[name=meal]", meal)
        page.select_option("select[name=dish]", label=dish)
        with page.expect_navigation():
            page.click("form:has(input[name=action][value=add]) button[type=submit]")
    grid = page.locator("section.card table").first
    for dish in ("Cơm", "Thịt lợn rim", "Sữa bò tươi"):
        expect(grid).to_contain_text(dish)
    # The analysis on the page: Monday's energy as worked out above.
    monday_row = page.locator("table.analysis tbody tr").first
    assert monday_row.locator("td").nth(1).inner_text().strip() == "474"
    # The cook cannot publish: the page says who approves.
    expect(page.locator("#awaiting-approval")).to_be_visible()
    assert page.locator("input[name=action][value=publish]").count() == 0
    assert Menu.objects.get(pk=menu.pk).published_at is None

    # 2. The vice-principal approves and publishes it.
    page.context.clear_cookies()
    log_in(page, "vice1a")
    page.goto(f"/kitchen/menus/{menu.pk}/")
    with page.expect_navigation():
        page.click("form:has(input[name=action][value=publish]) button[type=submit]")
    expect(page.locator("span.ok").first).to_contain_text("✓")
    menu.refresh_from_db()
    assert menu.published_at is not None and menu.published_by == w.user("vice1a")
    assert page.locator("input[name=action][value=add]").count() == 0  # a published menu is closed

    # 3. The accountant sets the year's fee table (school days less notified absences) and issues the month.
    page.context.clear_cookies()
    log_in(page, "accountant1a")
    page.goto(f"/fees/table/?school={school.pk}&year={year.pk}")
    page.fill("input[name=food_per_day]", "25000")
    page.fill("input[name=fuel_per_day]", "3000")
    page.check("input[name=policy][value=refund]")
    page.fill("textarea[name=fees]", f"Nước uống = {WATER}")
    page.fill("input[name=bank_bin]", "970436")
    page.fill("input[name=bank_account]", "0011001932418")
    page.fill("input[name=account_name]", "TRUONG MAM NON SAO SANG")
    with page.expect_navigation():
        page.click("form:has(input[name=food_per_day]) button[type=submit]")
    assert FeeTable.objects.filter(school=school, school_year=year, food_per_day=25000).exists()
    month = today.replace(day=1)
    page.goto(f"/fees/?school={school.pk}&month={month:%Y-%m}")
    page.click("form[action$='/fees/generate/'] button[type=submit]")
    row = page.locator("table tbody tr", has_text="Nguyễn Minh An")
    expect(row).to_be_visible()
    # The month's fee, independently: Monday-Friday days of the month inside the school year (the world has no
    # holiday or closure), x 28,000 đ, plus the water fee.
    assert not CalendarDay.objects.exists()
    first = max(month, year.start_date)
    last = min(month.replace(day=calendar.monthrange(month.year, month.month)[1]), year.end_date)
    days = _weekdays(first, last)
    total = days * DAILY_RATE + WATER
    expect(row).to_contain_text(_vnd(total))
    statement = Statement.objects.get(child=child, month=month)
    assert (statement.billable_days, statement.total) == (days, total)

    # 4. The parent sees the fee, its VietQR code, and the published menu in the portal.
    page.context.clear_cookies()
    log_in(page, "parent1a")
    page.goto("/fees/portal/")
    row = page.locator("table tbody tr", has_text="Nguyễn Minh An")
    expect(row).to_contain_text(_vnd(total))
    expect(row).to_contain_text(f"{month:%m/%Y}")
    with page.expect_navigation():
        row.locator("a").first.click()
    expect(page.locator("body")).to_contain_text(statement.reference)
    assert page.locator("svg").count() >= 1  # the QR code
    page.goto("/kitchen/portal/")
    card = page.locator("section.card", has_text=monday.strftime("%d/%m/%Y"))
    expect(card).to_be_visible()
    for dish in ("Cơm", "Thịt lợn rim", "Sữa bò tươi"):
        expect(card).to_contain_text(dish)
    assert re.search(r"Thứ Hai|Monday", card.inner_text())
    assert not page.problems, str(page.problems)
