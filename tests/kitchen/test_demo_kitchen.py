"""The kitchen demo at small scale: a month of menus for every school, Sao Sáng's purchases and disclosures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from mamnon.children import demo as children_demo
from mamnon.kitchen import selectors
from mamnon.kitchen.models import Disclosure, Food, Menu, MenuItem, Purchase, RetainedSample
from mamnon.org.demo import SAO_SANG_CODE
from mamnon.org.models import School


def pinned_today() -> dt.date:
    from mamnon.calc.periods import school_year_code

    start = int(school_year_code(dt.date.today())[:4])
    return dt.date(start, 9, 5) + dt.timedelta(days=46)


@pytest.fixture
def demo(db, capsys, monkeypatch):
    monkeypatch.setattr(children_demo, "demo_today", pinned_today)
    call_command("demo_data", scale="small", seed=7, verbosity=0)
    capsys.readouterr()
    return School.objects.select_related("unit").get(unit__code=SAO_SANG_CODE)


def test_kitchen_demo(demo):
    from mamnon.kitchen import demo_foods, starter

    assert Food.objects.filter(unit__isnull=True).count() == len(starter.FOODS) + len(demo_foods.FOODS)
    # The demo staples are marked as illustrative, never as the official table.
    demo_rows = Food.objects.filter(code__startswith="DEMO-")
    assert demo_rows.count() == len(demo_foods.FOODS) >= 12
    assert set(demo_rows.values_list("source", flat=True)) == {
        "Giá trị minh họa cho dữ liệu demo (làm tròn), không phải số liệu chính thức của Bảng thành phần thực "
        "phẩm Việt Nam 2007; hãy nhập bảng chính thức."}
    assert not demo_rows.filter(calcium_mg__isnull=False).exists()
    schools = School.objects.count()
    assert Menu.objects.values("school").distinct().count() == schools
    assert Menu.objects.filter(school=demo).count() == 10  # 5 weeks x 2 bands
    d = Disclosure.objects.filter(school=demo).order_by("date").last()
    assert d.food_money == Decimal(25000) and d.received == d.children * 25000
    assert d.spent == selectors.spent_on(school=demo, day=d.date) > 0
    assert Purchase.objects.filter(school=demo).count() > 100
    assert RetainedSample.objects.filter(school=demo, amount__lt=100).count() == 0
    # Sao Sáng's balanced menus (rice, a protein dish, soup and vegetables, fruit, milk) meet the norms on most
    # days, and every day has rice and a dish of animal protein at lunch.
    days = [x for m in Menu.objects.filter(school=demo) for x in selectors.analyse_menu(m)]
    assert len(days) == 50  # 5 weeks x 5 days x 2 bands
    assert sum(x.passed for x in days) >= 0.9 * len(days)
    assert all(x.cost <= x.budget for x in days)  # within the 25,000 VND of food money
    lunches = MenuItem.objects.filter(menu__school=demo, meal="lunch")
    assert set(lunches.filter(dish__name="Cơm trắng").values_list("menu_id", "weekday")) == set(
        lunches.values_list("menu_id", "weekday"))
    with_animal = set(lunches.filter(dish__ingredients__food__animal=True).values_list("menu_id", "weekday"))
    assert with_animal == set(lunches.values_list("menu_id", "weekday"))
