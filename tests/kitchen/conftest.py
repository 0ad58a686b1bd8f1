"""Kitchen fixtures: test foods, prices, a dish set and a week's menus at S1a.

The test foods carry round, made-up values (not composition data) so the analysis tests can be worked by
hand; the shipped starter catalogue is checked separately (test_starter_crosscheck)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from mamnon.kitchen.models import Dish, DishIngredient, Food, FoodPrice, KitchenSetting, Menu, MenuItem, Supplier

WEEK = dt.date(2024, 3, 4)  # a Monday


@dataclass
class Kitchen:
    classroom: object
    school: object
    foods: dict = field(default_factory=dict)
    dishes: dict = field(default_factory=dict)
    menus: dict = field(default_factory=dict)
    supplier: object = None


# code, name, group, animal, dry, inedible %, kcal, protein, lipid, glucid (per 100 g): test values only.
TEST_FOODS = [
    ("T-RICE", "Gạo (thử)", "cereal", False, True, 0, 350, 8, 1, 76),
    ("T-PORK", "Thịt lợn (thử)", "meat", True, False, 2, 140, 19, 7, 0),
    ("T-OIL", "Dầu ăn (thử)", "fat", False, True, 0, 900, 0, 100, 0),
    ("T-NGOT", "Rau ngót (thử)", "vegetable", False, False, 23, 35, 5, 0, 3.5),
    ("T-EGG", "Trứng gà (thử)", "egg", True, False, 14, 165, 15, 12, 0.5),
    ("T-MILK", "Sữa bò (thử)", "milk", True, False, 0, 75, 4, 4.5, 5),
    ("T-BANANA", "Chuối (thử)", "fruit", False, False, 35, 100, 1.5, 0, 22),
    ("T-CARROT", "Cà rốt (thử)", "vegetable", False, False, 10, 40, 1.5, 0, 8),
]
RECIPES = {
    # dish: [(food code, creche g, kinder g)]
    "Cơm": [("T-RICE", 55, 70)],
    "Thịt lợn rim": [("T-PORK", 30, 35), ("T-OIL", 4, 5)],
    "Canh rau ngót": [("T-NGOT", 20, 25), ("T-OIL", 1, 1)],
    "Trứng đúc thịt": [("T-EGG", 20, 25), ("T-PORK", 10, 10), ("T-OIL", 3, 3)],
    "Sữa bò tươi": [("T-MILK", 150, 180)],
    "Chuối tiêu": [("T-BANANA", 60, 80)],
    "Cháo thịt": [("T-RICE", 30, 25), ("T-PORK", 15, 15), ("T-OIL", 3, 3), ("T-CARROT", 10, 10)],
}
PRICES = {"T-RICE": 18000, "T-PORK": 130000, "T-OIL": 45000, "T-NGOT": 20000, "T-EGG": 40000, "T-MILK": 32000,
          "T-BANANA": 25000, "T-CARROT": 18000}


def build_kitchen(classroom) -> Kitchen:
    fields = ("code", "name", "group", "animal", "dry", "inedible_pct", "energy_kcal", "protein_g", "lipid_g",
              "glucid_g")
    Food.objects.bulk_create([Food(unit=None, source="test", **dict(zip(fields, row, strict=True)))
                              for row in TEST_FOODS])
    school = classroom.world.schools["S1a"]
    k = Kitchen(classroom=classroom, school=school)
    k.foods = {f.code: f for f in Food.objects.filter(unit__isnull=True)}
    k.supplier = Supplier.objects.create(school=school, name="ZZ-supplier-S1a")
    for code, price in PRICES.items():
        FoodPrice.objects.create(school=school, food=k.foods[code], price_per_kg=price, supplier=k.supplier)
    KitchenSetting.objects.create(school=school, effective_from=dt.date(2023, 9, 1), food_money=Decimal(25000))
    for name, rows in RECIPES.items():
        dish = Dish.objects.create(unit=None, name=name)
        for code, creche, kinder in rows:
            DishIngredient.objects.create(dish=dish, food=k.foods[code], band="creche", grams=creche)
            DishIngredient.objects.create(dish=dish, food=k.foods[code], band="kinder", grams=kinder)
        k.dishes[name] = dish
    for band in ("creche", "kinder"):
        menu = Menu.objects.create(school=school, band=band, week_start=WEEK)
        for day in range(5):
            for dish in ("Cơm", "Thịt lợn rim", "Canh rau ngót"):
                MenuItem.objects.create(menu=menu, school=school, weekday=day, meal="lunch", dish=k.dishes[dish])
            MenuItem.objects.create(menu=menu, school=school, weekday=day, meal="snack", dish=k.dishes["Sữa bò tươi"])
            if band == "creche":
                MenuItem.objects.create(menu=menu, school=school, weekday=day, meal="afternoon",
                                        dish=k.dishes["Cháo thịt"])
        k.menus[band] = menu
    return k


@pytest.fixture
def kitchen(classroom) -> Kitchen:
    return build_kitchen(classroom)
