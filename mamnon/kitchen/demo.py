"""Demo kitchen: the starter catalogue plus demo-only staple foods (demo_foods.py: rounded illustrative values,
not the official table), shared dishes, a month of weekly menus for every school, and for Sao Sáng
its prices, suppliers and contracts, balanced menus, a month of purchases, store movements, inspections,
retained samples and published daily meal-money disclosures (25,000 VND of food money a day, seed 002).

Dishes are shared (nationwide rows) and every school runs the same four-week cycle shifted by its position, so
the city scale (~450 schools) writes menus in bulk (children.demo.bulk_copy) without a query per school.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model

from mamnon.children import demo as children_demo
from mamnon.children.demo import at, bulk_copy
from mamnon.core.demo import DemoContext, register
from mamnon.kitchen import demo_foods, selectors, services
from mamnon.kitchen.models import (
    Disclosure,
    Dish,
    DishIngredient,
    Food,
    FoodPrice,
    Inspection,
    KitchenSetting,
    Menu,
    MenuItem,
    Purchase,
    RetainedSample,
    StoreMove,
    Supplier,
    SupplierContract,
)
from mamnon.org.models import School

SAO_SANG_FOOD_MONEY = Decimal(25000)  # of the 28,000 VND daily meal fee (3,000 is fuel), seed 002
# Market prices per kg as bought (VND), Hải Phòng 2024-ish, by food code: the starter's cited foods and the
# demo-only staples (kitchen/demo_foods.py: rounded illustrative values, not the official table).
PRICES = {"MN-TRUNG-GA": 35000, "MN-TRUNG-VIT": 38000, "MN-TOM-DONG": 180000, "MN-TOM-BIEN": 220000,
          "MN-CUA-DONG": 90000, "MN-THIT-GA": 120000, "MN-THIT-VIT": 90000, "MN-CHUOI-TIEU": 25000,
          "DEMO-GAO-TE": 18000, "DEMO-MI-SOI": 40000, "DEMO-KHOAI-TAY": 20000, "DEMO-DAU-PHU": 30000,
          "DEMO-BI-DO": 15000, "DEMO-CA-ROT": 18000, "DEMO-CA-CHUA": 20000, "DEMO-RAU-MUONG": 15000,
          "DEMO-BAP-CAI": 12000, "DEMO-DAU-AN": 45000, "DEMO-THIT-LON-NAC": 130000, "DEMO-THIT-BO": 280000,
          "DEMO-CA": 90000, "DEMO-SUA-TUOI": 32000, "DEMO-SUA-BOT": 400000, "DEMO-DUONG": 22000}
OIL = "DEMO-DAU-AN"
PORK = "DEMO-THIT-LON-NAC"
# Dish: liquid, [(food code, creche g, kinder g)] net per child.
DISHES = {
    "Cơm trắng": (False, [("DEMO-GAO-TE", 65, 90)]),
    "Thịt lợn rim": (False, [(PORK, 30, 35), (OIL, 4, 5)]),
    "Thịt bò xào cà rốt": (False, [("DEMO-THIT-BO", 25, 30), ("DEMO-CA-ROT", 15, 20), (OIL, 4, 5)]),
    "Cá sốt cà chua": (False, [("DEMO-CA", 35, 40), ("DEMO-CA-CHUA", 15, 15), (OIL, 4, 5)]),
    "Trứng đúc thịt": (False, [("MN-TRUNG-GA", 20, 25), (PORK, 12, 12), (OIL, 4, 5)]),
    "Gà rim": (False, [("MN-THIT-GA", 35, 40), (OIL, 3, 4)]),
    "Tôm rim thịt": (False, [("MN-TOM-DONG", 15, 18), (PORK, 15, 15), (OIL, 3, 4)]),
    "Đậu phụ sốt thịt": (False, [("DEMO-DAU-PHU", 30, 35), (PORK, 12, 12), ("DEMO-CA-CHUA", 10, 10), (OIL, 4, 5)]),
    "Canh rau muống nấu thịt": (True, [("DEMO-RAU-MUONG", 20, 25), (PORK, 5, 5), (OIL, 2, 2)]),
    "Canh cua rau muống": (True, [("MN-CUA-DONG", 15, 20), ("DEMO-RAU-MUONG", 20, 25), (OIL, 2, 2)]),
    "Canh bắp cải nấu tôm": (True, [("DEMO-BAP-CAI", 30, 35), ("MN-TOM-BIEN", 5, 5), (OIL, 2, 2)]),
    "Canh bí đỏ nấu thịt": (True, [("DEMO-BI-DO", 30, 35), (PORK, 5, 5), (OIL, 2, 2)]),
    "Canh khoai tây cà rốt": (True, [("DEMO-KHOAI-TAY", 20, 25), ("DEMO-CA-ROT", 10, 10), (PORK, 5, 5),
                                     (OIL, 2, 2)]),
    "Rau muống xào": (False, [("DEMO-RAU-MUONG", 25, 30), (OIL, 4, 4)]),
    "Cải bắp xào": (False, [("DEMO-BAP-CAI", 25, 30), (OIL, 4, 4)]),
    "Chuối tiêu": (False, [("MN-CHUOI-TIEU", 50, 60)]),
    "Cháo thịt bí đỏ": (True, [("DEMO-GAO-TE", 30, 30), (PORK, 15, 15), ("DEMO-BI-DO", 15, 15), (OIL, 3, 3)]),
    "Cháo gà": (True, [("DEMO-GAO-TE", 30, 30), ("MN-THIT-GA", 15, 15), (OIL, 3, 3)]),
    "Mỳ nấu thịt cải bắp": (True, [("DEMO-MI-SOI", 30, 30), (PORK, 15, 15), ("DEMO-BAP-CAI", 10, 10), (OIL, 3, 3)]),
    "Sữa bò tươi": (True, [("DEMO-SUA-TUOI", 150, 180)]),
    "Sữa bột pha": (True, [("DEMO-SUA-BOT", 25, 30), ("DEMO-DUONG", 3, 3)]),
}
MAINS = ["Thịt lợn rim", "Cá sốt cà chua", "Trứng đúc thịt", "Thịt bò xào cà rốt", "Gà rim", "Tôm rim thịt",
         "Đậu phụ sốt thịt"]
SOUPS = ["Canh rau muống nấu thịt", "Canh bắp cải nấu tôm", "Canh cua rau muống", "Canh bí đỏ nấu thịt",
         "Canh khoai tây cà rốt"]
FRUITS = ["Chuối tiêu"]
AFTERNOON = ["Cháo thịt bí đỏ", "Cháo gà", "Mỳ nấu thịt cải bắp"]
SNACKS = ["Sữa bò tươi", "Sữa bột pha", "Sữa bò tươi", "Sữa bột pha", "Sữa bò tươi"]
WEEKS = 5  # the last four weeks and the coming one


def _day_dishes(cycle_day: int, band: str) -> list[tuple[str, str]]:
    """(meal, dish) of one day of the cycle: lunch rice, a main, a soup, stir-fried vegetables, fruit;
    creche an afternoon meal; everyone a snack."""
    k = cycle_day
    out = [("lunch", "Cơm trắng"), ("lunch", MAINS[k % len(MAINS)]), ("lunch", SOUPS[(k * 3) % len(SOUPS)]),
           ("lunch", FRUITS[k % len(FRUITS)])]
    out.append(("lunch", "Rau muống xào" if k % 2 else "Cải bắp xào"))
    if band == "creche":
        out.append(("afternoon", AFTERNOON[k % len(AFTERNOON)]))
    out.append(("snack", SNACKS[k % len(SNACKS)]))
    return out


def _demo_foods() -> None:
    """The demo-only staples (kitchen/demo_foods.py), nationwide rows like the starter's: loaded by the demo
    generator only, never by ``services.starter_load``."""
    existing = set(Food.objects.filter(unit__isnull=True).values_list("code", flat=True))
    Food.objects.bulk_create([Food(unit=None, **row) for row in demo_foods.rows() if row["code"] not in existing])


def _catalogue() -> tuple[dict, dict]:
    services.starter_load()
    _demo_foods()
    foods = dict(Food.objects.filter(unit__isnull=True).values_list("code", "id"))
    dishes = dict(Dish.objects.filter(unit__isnull=True).values_list("name", "id"))
    new = [Dish(unit=None, name=name, liquid=liquid) for name, (liquid, _rows) in DISHES.items() if name not in dishes]
    Dish.objects.bulk_create(new)
    dishes = dict(Dish.objects.filter(unit__isnull=True).values_list("name", "id"))
    have = set(DishIngredient.objects.filter(dish_id__in=dishes.values()).values_list("dish_id", "food_id", "band"))
    rows = []
    for name, (_liquid, items) in DISHES.items():
        for code, creche, kinder in items:
            for band, grams in (("creche", creche), ("kinder", kinder)):
                if (dishes[name], foods[code], band) not in have:
                    rows.append(DishIngredient(dish_id=dishes[name], food_id=foods[code], band=band, grams=grams))
    DishIngredient.objects.bulk_create(rows)
    return foods, dishes


def _menus(ctx: DemoContext, school_ids: list[int], today: dt.date, dishes: dict) -> None:
    first = selectors.monday(today) - dt.timedelta(weeks=WEEKS - 1)
    weeks = [first + dt.timedelta(weeks=w) for w in range(WEEKS)]
    existing = set(Menu.objects.filter(school_id__in=school_ids, week_start__in=weeks).values_list(
        "school_id", "band", "week_start"))
    menus = []
    for s in school_ids:
        for w in weeks:
            for band in ("creche", "kinder"):
                if (s, band, w) not in existing:
                    published = at(w - dt.timedelta(days=3), 15)  # the Friday before: before the Saturday deadline
                    menus.append(Menu(school_id=s, band=band, week_start=w, published_at=published))
    advance = ctx.progress("Thực đơn (menus)", len(menus))
    Menu.objects.bulk_create(menus, batch_size=2000)
    created = [(m.pk, m.school_id, m.band, m.week_start) for m in menus]

    def rows():
        for menu_id, school_id, band, week in created:
            shift = school_id % 20  # each school at its own place in the cycle
            for weekday in range(5):
                cycle_day = ((week - first).days // 7 * 5 + weekday + shift) % 20
                for meal, dish in _day_dishes(cycle_day, band):
                    yield (menu_id, school_id, weekday, meal, dishes[dish])
            advance()

    if menus:
        bulk_copy(MenuItem, ["menu_id", "school_id", "weekday", "meal", "dish_id"], rows())


def _prices(school_ids, foods: dict, rng) -> None:
    have = set(FoodPrice.objects.filter(school_id__in=school_ids).values_list("school_id", "food_id"))
    rows = []
    for s in school_ids:
        factor = Decimal(str(round(0.92 + 0.16 * ((s * 7919) % 100) / 100, 3)))
        for code, price in PRICES.items():
            if (s, foods[code]) not in have:
                value = (Decimal(price) * factor / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000
                rows.append((s, foods[code], value))
    bulk_copy(FoodPrice, ["school_id", "food_id", "price_per_kg"], rows)
    have_setting = set(KitchenSetting.objects.filter(school_id__in=school_ids).values_list("school_id", flat=True))
    bulk_copy(KitchenSetting, ["school_id", "effective_from", "food_money"],
              [(s, dt.date(2024, 9, 1), Decimal(20000 + 1000 * ((s * 31) % 11))) for s in school_ids
               if s not in have_setting])


def _sao_sang(ctx: DemoContext, school: School, today: dt.date, foods: dict) -> None:
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["bep.saosang", "ketoan.saosang",
                                                                       "pht.saosang"])}
    cook, accountant = users.get("bep.saosang"), users.get("ketoan.saosang")
    KitchenSetting.objects.update_or_create(school=school, effective_from=dt.date(2024, 9, 1),
                                            defaults={"food_money": SAO_SANG_FOOD_MONEY})
    suppliers = {
        "meat": Supplier.objects.create(school=school, name="HTX Chăn nuôi An Lão", phone="02253870111",
                                        certificate="Giấy chứng nhận cơ sở đủ điều kiện ATTP số 112/2023/ATTP-CNĐK"),
        "veg": Supplier.objects.create(school=school, name="HTX Rau an toàn Tân Dân", phone="02253870222",
                                       certificate="VietGAP số VG-0457"),
        "dry": Supplier.objects.create(school=school, name="Công ty TNHH Thực phẩm Hải An", phone="02253870333",
                                       certificate="Giấy chứng nhận cơ sở đủ điều kiện ATTP số 98/2024/ATTP-CNĐK"),
    }
    signed, start = dt.date(2024, 8, 20), dt.date(2024, 9, 1)
    SupplierContract.objects.bulk_create([
        SupplierContract(school=school, supplier=suppliers[kind], number=number, signed_on=signed, valid_from=start,
                         valid_to=today + dt.timedelta(days=days), goods=goods)
        for kind, number, days, goods in (
            ("meat", "01/2024/HĐ-TP", 20, "Thịt lợn, thịt bò, thịt gà, cá, tôm, cua, trứng"),
            ("veg", "02/2024/HĐ-TP", 200, "Rau, củ, quả"),
            ("dry", "03/2024/HĐ-TP", 200, "Gạo, mỳ, dầu ăn, đường, đỗ, sữa"))
    ])
    food_rows = {f.code: f for f in Food.objects.filter(unit__isnull=True)}
    for food in food_rows.values():
        kind = "meat" if food.group in ("meat", "fish", "egg") else "veg" if food.group in ("vegetable", "fruit") \
            else "dry"
        FoodPrice.objects.filter(school=school, food=food).update(supplier=suppliers[kind])
    # Balance Sao Sáng's menus (lowest cost meeting the norms) where the recipes alone miss them.
    for menu in Menu.objects.filter(school=school).select_related("school__unit"):
        services.menu_balance(menu=menu, apply=True)
    from mamnon.attendance import selectors as att

    days = att.school_days(school=school, start=today - dt.timedelta(days=31), end=today - dt.timedelta(days=1))
    advance = ctx.progress("Bếp Sao Sáng (purchases, samples)", len(days))
    purchases, moves, inspections, samples, disclosures = [], [], [], [], []
    by_id = {f.pk: f for f in food_rows.values()}
    month_rows = []
    for n, day in enumerate(days):
        counts = selectors.children_by_norm_band(att.meal_counts(school=school, day=day))
        ml = selectors.market_list(school=school, day=day, counts=counts)
        spent = Decimal(0)
        for line in ml.lines:
            food = by_id[line.food_id]
            qty = Decimal(str(round(line.buy_kg * (1 + ((n + line.food_id) % 5 - 2) / 100), 1) or 0.1))
            price = line.price_per_kg
            amount = (qty * price).quantize(Decimal(1), ROUND_HALF_UP)
            spent += amount
            supplier = next((s for s in suppliers.values() if s.name == line.supplier), None)
            purchases.append(Purchase(school=school, date=day, food=food, supplier=supplier, quantity_kg=qty,
                                      unit_price=price, amount=amount, received_by=cook))
            if food.dry:
                moves.append(StoreMove(school=school, date=day, food=food, kind="in", quantity_kg=qty, note="Nhập kho"))
                moves.append(StoreMove(school=school, date=day, food=food, kind="out",
                                       quantity_kg=(qty * Decimal("0.95")).quantize(Decimal("0.001")),
                                       note="Xuất kho chế biến"))
            inspections.append(Inspection(school=school, date=day, step=1, checked_at=dt.time(6, 30), item=food.name,
                                          supplier=supplier, quantity=f"{qty} kg",
                                          documents="Hóa đơn, phiếu giao hàng", sensory_ok=True, checked_by=cook))
        for meal, hour in (("lunch", 10), ("afternoon", 14)):
            inspections.append(Inspection(school=school, date=day, step=2, checked_at=dt.time(hour - 1, 0),
                                          item=f"Chế biến bữa {meal}", sensory_ok=True, checked_by=cook,
                                          note="Dụng cụ sạch, chín kỹ, đúng giờ"))
            inspections.append(Inspection(school=school, date=day, step=3, checked_at=dt.time(hour, 15),
                                          item=f"Chia suất bữa {meal}", sensory_ok=True, checked_by=cook))
            taken = at(day, hour, 30)
            samples.append(RetainedSample(school=school, date=day, meal=meal, dish=f"Món bữa {meal}", liquid=False,
                                          amount=Decimal(120), temperature_c=Decimal(4), taken_at=taken, taken_by=cook,
                                          discarded_at=taken + dt.timedelta(hours=25), discarded_by=cook))
        children = sum(counts.values())
        month_rows.append((day, children, spent))
        advance()
    Purchase.objects.bulk_create(purchases, batch_size=2000)
    StoreMove.objects.bulk_create(moves, batch_size=2000)
    Inspection.objects.bulk_create(inspections, batch_size=2000)
    RetainedSample.objects.bulk_create(samples, batch_size=2000)
    for day, children, spent in month_rows:
        disclosures.append(Disclosure(
            school=school, date=day, children=children, food_money=SAO_SANG_FOOD_MONEY,
            received=SAO_SANG_FOOD_MONEY * children, spent=spent, menu_text=selectors.menu_text(school=school, day=day),
            published_at=at(day, 16, 30), published_by=accountant))
    Disclosure.objects.bulk_create(disclosures)


@register("kitchen", 50)
def generate(ctx: DemoContext) -> None:
    org = ctx.data.get("org")
    if not org:
        return
    today = children_demo.demo_today()
    foods, dishes = _catalogue()
    school_ids = org["school_ids"] if ctx.scale != "national" else [org["sao_sang_id"]]
    _prices(school_ids, foods, ctx.rng)
    _menus(ctx, school_ids, today, dishes)
    school = School.objects.select_related("unit").get(pk=org["sao_sang_id"])
    _sao_sang(ctx, school, today, foods)
    ctx.data["kitchen"] = {"menus": Menu.objects.count()}
