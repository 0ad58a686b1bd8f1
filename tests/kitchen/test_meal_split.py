"""The meal split (phân bố năng lượng các bữa): each meal's energy against its share of the day's recommended
energy (Chương trình GDMN, TT 28/2016), worked by hand from the fixture's test foods.

Reference energy = midpoint of the band's daily need: kindergarten (1230 + 1320) / 2 = 1275 kcal, creche
(930 + 1000) / 2 = 965 kcal. A meal outside its share is a warning; the day's pass mark is unchanged."""

import pytest
from rest_framework.test import APIClient

from mamnon.kitchen import selectors
from mamnon.kitchen.models import MenuItem

KINDER_LUNCH = 0.70 * 350 + 0.35 * 140 + 0.05 * 900 + 0.25 * 35 + 0.01 * 900  # 356.75 kcal
KINDER_SNACK = 1.80 * 75  # 135 kcal


def _meals(day):
    return {m.meal: m for m in day.meals}


@pytest.mark.django_db
def test_meal_norm_rows_loaded():
    norm = selectors.meal_norm_for("kinder", on=selectors.dt.date(2024, 3, 4))
    assert norm.daily_energy == (1230, 1320) and norm.reference_kcal == 1275
    assert norm.meals == {"lunch": (30, 35), "snack": (15, 25)}
    creche = selectors.meal_norm_for("creche", on=selectors.dt.date(2024, 3, 4))
    assert creche.meals == {"lunch": (30, 35), "afternoon": (25, 30), "snack": (5, 10)}


def test_kinder_monday_meals_below_their_share(kitchen):
    mon = selectors.analyse_menu(kitchen.menus["kinder"])[0]
    meals = _meals(mon)
    assert list(meals) == ["lunch", "snack"]
    assert meals["lunch"].energy == pytest.approx(KINDER_LUNCH)
    assert meals["lunch"].pct == pytest.approx(356.75 / 1275 * 100)  # 27.98 %
    assert meals["snack"].pct == pytest.approx(135 / 1275 * 100)  # 10.59 %
    assert meals["lunch"].ok is False and meals["snack"].ok is False
    assert [m.meal for m in mon.meal_warnings] == ["lunch", "snack"]
    # the meals add up to the day
    assert sum(m.energy for m in mon.meals) == pytest.approx(mon.totals["energy"])


def test_kinder_day_within_the_split(kitchen):
    menu = kitchen.menus["kinder"]
    # Tuesday: add egg-and-pork to lunch (+25 x 1.65 + 10 x 1.40 + 3 x 9 = 82.25 kcal) and a banana to the
    # snack (+80 x 1.00 = 80 kcal).
    MenuItem.objects.create(menu=menu, school=menu.school, weekday=1, meal="lunch",
                            dish=kitchen.dishes["Trứng đúc thịt"])
    MenuItem.objects.create(menu=menu, school=menu.school, weekday=1, meal="snack", dish=kitchen.dishes["Chuối tiêu"])
    tue = selectors.analyse_menu(menu)[1]
    meals = _meals(tue)
    assert meals["lunch"].energy == pytest.approx(KINDER_LUNCH + 82.25)
    assert meals["lunch"].pct == pytest.approx(439.0 / 1275 * 100)  # 34.43 %, within 30-35
    assert meals["snack"].pct == pytest.approx(215.0 / 1275 * 100)  # 16.86 %, within 15-25
    assert meals["lunch"].ok and meals["snack"].ok and tue.meal_warnings == []


def test_creche_monday_three_meals(kitchen):
    mon = selectors.analyse_menu(kitchen.menus["creche"])[0]
    meals = _meals(mon)
    assert list(meals) == ["lunch", "afternoon", "snack"]
    lunch = 0.55 * 350 + 0.30 * 140 + 0.04 * 900 + 0.20 * 35 + 0.01 * 900  # 286.5
    afternoon = 0.30 * 350 + 0.15 * 140 + 0.03 * 900 + 0.10 * 40  # 157
    snack = 1.50 * 75  # 112.5
    assert meals["lunch"].pct == pytest.approx(lunch / 965 * 100)  # 29.69 % < 30
    assert meals["afternoon"].pct == pytest.approx(afternoon / 965 * 100)  # 16.27 % < 25
    assert meals["snack"].pct == pytest.approx(snack / 965 * 100)  # 11.66 % > 10
    assert [m.ok for m in meals.values()] == [False, False, False]


def test_missing_meal_is_warned_and_unnamed_meal_unchecked(kitchen):
    menu = kitchen.menus["kinder"]
    menu.items.filter(weekday=2, meal="snack").delete()
    MenuItem.objects.create(menu=menu, school=menu.school, weekday=2, meal="breakfast",
                            dish=kitchen.dishes["Chuối tiêu"])
    wed = _meals(selectors.analyse_menu(menu)[2])
    assert wed["snack"].energy == 0 and wed["snack"].ok is False  # named by the norm, not served
    assert wed["breakfast"].ok is None and wed["breakfast"].norm is None  # served, no norm row


def test_api_and_page_show_the_split(kitchen, world, client):
    menu = kitchen.menus["kinder"]
    api = APIClient()
    api.force_authenticate(world.user("vice1a"))
    mon = api.get(f"/api/kitchen/menus/{menu.pk}/analysis/").json()[0]
    assert mon["meal_warnings"] == ["lunch", "snack"]
    lunch = mon["meals"][0]
    assert lunch["meal"] == "lunch" and lunch["norm_pct"] == [30.0, 35.0] and lunch["ok"] is False
    assert lunch["pct_of_day"] == pytest.approx(356.75 / 1275 * 100)
    client.force_login(world.user("vice1a"))
    page = client.get(f"/kitchen/menus/{menu.pk}/").content.decode()
    assert "28.0%" in page or "28,0%" in page
    assert "⚠" in page
