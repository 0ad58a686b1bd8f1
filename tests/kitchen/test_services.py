"""Writes of the kitchen: imports all or nothing, bad input, food safety figures, store, disclosure."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mamnon.kitchen import importer, selectors, services
from mamnon.kitchen.models import Disclosure, Food, Menu, Purchase, RetainedSample, StoreMove

from .conftest import WEEK

MAPPING = {"code": "Mã", "name": "Tên", "energy_kcal": "Năng lượng", "protein_g": "Protein", "lipid_g": "Lipid",
           "glucid_g": "Glucid", "inedible_pct": "Thải bỏ", "animal": "Động vật", "calcium_mg": "Canxi"}


def _xlsx(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã", "Tên", "Năng lượng", "Protein", "Lipid", "Glucid", "Thải bỏ", "Động vật", "Canxi"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_xlsx_read_back(world):
    data = _xlsx([["X1", "Cá basa", 120, 17.5, 5.2, 0, 30, "x", 20],
                  ["X2", "Bí đỏ", 27, "0,3", 0.1, 6.1, 18, "", None]])
    created, updated = importer.foods_import(actor=world.user("admin"), data=data, filename="bang.xlsx",
                                             mapping=MAPPING)
    assert (created, updated) == (2, 0)
    fish = Food.objects.get(code="X1", unit__isnull=True)
    assert fish.animal and fish.inedible_pct == 30 and fish.calcium_mg == 20
    assert Food.objects.get(code="X2").protein_g == Decimal("0.3")


def test_import_keeps_an_unknown_inedible_share_blank(world):
    """A blank inedible share is "not known", not 0 %: the market list must be able to say so."""
    data = _xlsx([["X3", "Rau cải (không rõ thải bỏ)", 20, 2, 0.2, 3, None, "", None]])
    importer.foods_import(actor=world.user("admin"), data=data, filename="bang.xlsx", mapping=MAPPING)
    assert Food.objects.get(code="X3").inedible_pct is None


def test_market_list_says_when_the_inedible_share_is_unknown(kitchen, world):
    """Carrot without an inedible share: bought as its net weight, and the line says the share is unknown."""
    school, foods = kitchen.school, kitchen.foods
    Food.objects.filter(pk=foods["T-CARROT"].pk).update(inedible_pct=None)
    ml = selectors.market_list(school=school, day=WEEK, counts={"creche": 20, "kinder": 100})
    lines = {line.food_id: line for line in ml.lines}
    carrot, pork = lines[foods["T-CARROT"].pk], lines[foods["T-PORK"].pk]
    # carrot is only in the creche's afternoon porridge: 10 g x 20 children = 200 g net, bought as such
    assert (carrot.net_kg, carrot.buy_kg, carrot.inedible_unknown) == (0.2, 0.2, True)
    assert carrot.cost == Decimal(3600)  # 0.2 kg x 18,000 đ
    assert not pork.inedible_unknown and pork.buy_kg == pytest.approx(round(4400 / 0.98 / 1000, 3))


def test_import_broken_rows_writes_nothing(world):
    data = _xlsx([["X1", "Cá basa", 120, 17.5, 5.2, 0, 30, "x", 20], ["X2", "", -5, "abc", 1, 1, 120, "", 1]])
    with pytest.raises(importer.ImportFailed) as exc:
        importer.foods_import(actor=world.user("admin"), data=data, filename="bang.xlsx", mapping=MAPPING)
    text = " ".join(exc.value.messages)
    assert "3" in text  # row 3 named
    assert not Food.objects.filter(code__in=["X1", "X2"]).exists()


def test_import_csv_and_mapping_errors(world):
    data = "Mã;Tên;Năng lượng;Protein;Lipid;Glucid\nC1;Gạo;350;8,0;1;76,0\n".encode()
    mapping = {k: v for k, v in MAPPING.items() if k in ("code", "name", "energy_kcal", "protein_g", "lipid_g",
                                                           "glucid_g")}
    assert importer.foods_import(actor=world.user("admin"), data=data, filename="a.csv", mapping=mapping) == (1, 0)
    with pytest.raises(importer.ImportFailed):
        importer.foods_import(actor=world.user("admin"), data=data, filename="a.csv",
                              mapping={**mapping, "protein_g": "Đạm"})
    with pytest.raises(importer.ImportFailed):
        importer.foods_import(actor=world.user("admin"), data=b"x", filename="a.pdf", mapping=mapping)


def test_only_admin_imports_national_catalogue(world):
    with pytest.raises(PermissionDenied):
        importer.foods_import(actor=world.user("principal1a"), data=b"", filename="a.csv", mapping=MAPPING)


def test_retained_sample_rules(kitchen, world):
    school = kitchen.school
    taken = timezone.make_aware(dt.datetime(2024, 3, 4, 10, 30))
    bad = RetainedSample(school=school, date=dt.date(2024, 3, 4), meal="lunch", dish="Canh", liquid=True,
                         amount=Decimal(100), temperature_c=Decimal(10), taken_at=taken)
    with pytest.raises(ValidationError) as exc:
        services.sample_record(actor=world.user("kitchen1a"), sample=bad)
    assert set(exc.value.message_dict) == {"amount", "temperature_c"}
    ok = RetainedSample(school=school, date=dt.date(2024, 3, 4), meal="lunch", dish="Canh", liquid=True,
                        amount=Decimal(150), temperature_c=Decimal(4), taken_at=taken)
    services.sample_record(actor=world.user("kitchen1a"), sample=ok)
    with pytest.raises(ValidationError):
        services.sample_discard(actor=world.user("kitchen1a"), sample=ok, at=taken + dt.timedelta(hours=23))
    ok.refresh_from_db()
    services.sample_discard(actor=world.user("kitchen1a"), sample=ok, at=taken + dt.timedelta(hours=24))
    assert ok.discarded_by == world.user("kitchen1a")


def test_purchase_store_and_market_list(kitchen, world):
    school, foods = kitchen.school, kitchen.foods
    cook = world.user("kitchen1a")
    with pytest.raises(ValidationError):
        services.purchase_record(actor=cook, school=school, date=WEEK, food=foods["T-RICE"], quantity_kg=-1,
                                 unit_price=18000)
    p = services.purchase_record(actor=cook, school=school, date=WEEK, food=foods["T-RICE"], quantity_kg="10.5",
                                 unit_price=18000)
    assert p.amount == Decimal(189000)
    assert StoreMove.objects.filter(food=foods["T-RICE"], kind="in").count() == 1  # rice is dry goods
    services.store_take(actor=cook, school=school, date=WEEK, food=foods["T-RICE"], quantity_kg=4)
    assert dict(selectors.store_on_hand(school=school))[foods["T-RICE"].name] == Decimal("6.5")
    with pytest.raises(ValidationError):
        services.store_take(actor=cook, school=school, date=WEEK, food=foods["T-RICE"], quantity_kg=7)
    ml = selectors.market_list(school=school, day=WEEK, counts={"creche": 20, "kinder": 100})
    lines = {line.food_id: line for line in ml.lines}
    pork = lines[foods["T-PORK"].pk]
    # pork: creche 30 + 15 g, kinder 35 + 0 ... kinder lunch 35 g x 100 + creche (30 + 15) g x 20 = 4400 g net
    assert pork.net_kg == pytest.approx(4.4)
    assert pork.buy_kg == pytest.approx(round(4400 / 0.98 / 1000, 3))
    assert pork.cost == (Decimal(str(pork.buy_kg)) * 130000).quantize(Decimal(1))
    assert ml.total == sum(line.cost for line in ml.lines)
    assert "ZZ-supplier-S1a" in ml.by_supplier
    with pytest.raises(PermissionDenied):
        services.purchase_record(actor=world.user("teacher1a"), school=school, date=WEEK, food=foods["T-RICE"],
                                 quantity_kg=1, unit_price=1)


def test_disclosure_and_carry_over(kitchen, world):
    school, cook = kitchen.school, world.user("kitchen1a")
    services.purchase_record(actor=cook, school=school, date=WEEK, food=kitchen.foods["T-PORK"], quantity_kg=5,
                             unit_price=130000)
    d1 = services.disclosure_publish(actor=cook, school=school, day=WEEK, children=40)
    assert (d1.received, d1.spent, d1.difference) == (Decimal(1000000), Decimal(650000), Decimal(350000))
    assert "Thịt lợn rim" in d1.menu_text
    assert selectors.carry_over(school=school, day=WEEK + dt.timedelta(days=1)) == Decimal(350000)
    assert Disclosure.objects.count() == 1


def test_menu_publish_deadline_copy_rotate(kitchen, world):
    cook = world.user("kitchen1a")
    menu = kitchen.menus["kinder"]
    late = timezone.make_aware(dt.datetime(2024, 3, 2, 9, 0))  # the Saturday before
    vice = world.user("vice1a")
    with pytest.raises(ValidationError):
        services.menu_publish(actor=vice, menu=menu, now=late)
    with pytest.raises(PermissionDenied):  # the cook enters the menu; the school's manager approves it
        services.menu_publish(actor=cook, menu=menu, now=late - dt.timedelta(days=1))
    assert menu.published_at is None
    services.menu_publish(actor=vice, menu=menu, now=late - dt.timedelta(days=1))
    assert menu.published_at is not None
    with pytest.raises(ValidationError):
        services.menu_item_add(actor=cook, menu=menu, weekday=0, meal="snack", dish=kitchen.dishes["Chuối tiêu"])
    copies = services.menu_rotate(actor=cook, menus=[menu], first_week=WEEK + dt.timedelta(weeks=1), weeks=3)
    assert [m.week_start for m in copies] == [WEEK + dt.timedelta(weeks=k) for k in (1, 2, 3)]
    assert all(m.items.count() == menu.items.count() and m.published_at is None for m in copies)
    with pytest.raises(ValidationError):
        services.menu_copy(actor=cook, menu=menu, week_start=WEEK + dt.timedelta(weeks=1))
    with pytest.raises(ValidationError):
        services.menu_copy(actor=cook, menu=menu, week_start=WEEK + dt.timedelta(days=2))
    assert Menu.objects.filter(school=kitchen.school).count() == 5


def test_norms_are_rules_with_legal_basis(db):
    norm = selectors.norm_for("kinder", on=dt.date(2024, 3, 4))
    assert norm.energy == (615, 726) and norm.lipid_pct == (25, 35) and norm.glucid_pct == (52, 60)
    creche = selectors.norm_for("creche", on=dt.date(2024, 3, 4))
    assert creche.energy == (600, 651) and creche.lipid_pct == (30, 40)
    assert "28/2016" in selectors.norm_basis("kinder", on=dt.date(2024, 3, 4))
    assert selectors.norm_for("kinder", on=dt.date(2010, 1, 1)) is None  # before TT 28/2016


def test_purchase_decimal_amount(kitchen, world):
    p = services.purchase_record(actor=world.user("accountant1a"), school=kitchen.school, date=WEEK,
                                 food=kitchen.foods["T-NGOT"], quantity_kg="0.333", unit_price="20000")
    assert p.amount == Decimal(6660) and isinstance(p.amount, Decimal)
    assert Purchase.objects.count() == 1
