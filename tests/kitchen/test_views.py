"""The kitchen in the browser (Django's test client): the chain for the cook, the vice-principal, the
accountant and a parent, and nobody sees another school's kitchen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mamnon.kitchen import selectors
from mamnon.kitchen.models import Disclosure, Food, Inspection, Menu, Purchase, RetainedSample

from .conftest import WEEK


def _get(client, user, name, *args, **params):
    client.force_login(user)
    url = reverse(name, args=args)
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(url)


@pytest.mark.parametrize("name", ["kitchen:home", "kitchen:foods", "kitchen:dishes", "kitchen:menus",
                                  "kitchen:market", "kitchen:purchases", "kitchen:store", "kitchen:safety",
                                  "kitchen:safety-print", "kitchen:disclosures", "kitchen:settings",
                                  "kitchen:food-import", "kitchen:suppliers"])
def test_pages_open_for_the_cook(client, kitchen, name):
    r = _get(client, kitchen.classroom.world.user("kitchen1a"), name, school=kitchen.school.pk)
    assert r.status_code == 200, name


def test_menu_page_analysis_balance_publish(client, kitchen, world):
    menu = kitchen.menus["kinder"]
    r = _get(client, world.user("vice1a"), "kitchen:menu", menu.pk)
    assert r.status_code == 200
    assert "Thịt lợn rim" in r.content.decode()
    r = client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "balance"})
    assert r.status_code == 302
    assert menu.items.first().portions.exists()
    r = client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "add", "weekday": 9, "meal": "x",
                                                               "dish": 0})
    assert r.status_code == 400  # bad input: the form answers, nothing written
    r = client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "copy", "week_start": "11/03/2024",
                                                               "weeks": 2})
    assert r.status_code == 302
    assert Menu.objects.filter(school=kitchen.school, band="kinder").count() == 3
    assert _get(client, world.user("vice1a"), "kitchen:menu-print", menu.pk).status_code == 200


def test_market_purchase_safety_disclosure_chain(client, kitchen, world):
    cook = world.user("kitchen1a")
    s = kitchen.school.pk
    Food.objects.filter(pk=kitchen.foods["T-CARROT"].pk).update(inedible_pct=None)
    r = _get(client, cook, "kitchen:market", school=s, day=WEEK.isoformat(), print=1)
    assert r.status_code == 200
    assert r.content.decode().count("⚠ chưa có tỷ lệ thải bỏ") == 1  # carrot's line, in Vietnamese
    assert "Nhà trẻ 12-36 tháng: <strong>" in r.content.decode()  # the band's name, not its key
    client.post(f"{reverse('kitchen:purchases')}?day={WEEK.isoformat()}",
                {"school": s, "food": kitchen.foods["T-PORK"].pk, "quantity_kg": "4.5", "unit_price": "130000"})
    assert Purchase.objects.get().amount == Decimal(585000)
    r = client.post(f"{reverse('kitchen:purchases')}?day={WEEK.isoformat()}",
                    {"school": s, "food": kitchen.foods["T-PORK"].pk, "quantity_kg": "-1", "unit_price": "1"})
    assert r.status_code == 200 and Purchase.objects.count() == 1
    client.post(f"{reverse('kitchen:safety')}?day={WEEK.isoformat()}",
                {"school": s, "kind": "inspection", "date": WEEK.isoformat(), "step": 1, "checked_at": "06:30",
                 "item": "Thịt lợn nạc", "quantity": "4,5 kg", "documents": "Hóa đơn", "sensory_ok": "on"})
    assert Inspection.objects.get().checked_by == cook
    r = client.post(f"{reverse('kitchen:safety')}?day={WEEK.isoformat()}",
                    {"school": s, "kind": "sample", "date": WEEK.isoformat(), "meal": "lunch", "dish": "Canh",
                     "liquid": "on", "amount": "100", "temperature_c": "5", "taken_at": "2024-03-04T10:30"})
    assert r.status_code == 400 and "150" in r.content.decode()
    assert not RetainedSample.objects.exists()
    accountant = world.user("accountant1a")
    client.force_login(accountant)
    r = client.post(reverse("kitchen:disclosures"), {"school": s, "day": WEEK.isoformat(), "children": 30})
    assert r.status_code == 302
    d = Disclosure.objects.get()
    assert (d.received, d.spent) == (Decimal(750000), Decimal(585000))
    assert _get(client, accountant, "kitchen:disclosure-print", d.pk).status_code == 200


def test_parent_sees_own_school_disclosures_only(client, kitchen, world):
    Disclosure.objects.create(school=kitchen.school, date=WEEK, children=10, food_money=25000, received=250000,
                              spent=200000, menu_text="ZZ-menu-S1a", published_at=timezone.now())
    Disclosure.objects.create(school=kitchen.school, date=WEEK + dt.timedelta(days=1), children=10,
                              food_money=25000, received=250000, spent=200000, menu_text="ZZ-draft-S1a")
    Disclosure.objects.create(school=world.schools["S2"], date=WEEK, children=10, food_money=25000,
                              received=250000, spent=1, menu_text="ZZ-menu-S2", published_at=timezone.now())
    r = _get(client, world.user("parent1a"), "kitchen:portal-disclosures")
    text = r.content.decode()
    assert "ZZ-menu-S1a" in text and "ZZ-menu-S2" not in text and "ZZ-draft-S1a" not in text
    menu = kitchen.menus["kinder"]
    this_week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    Menu.objects.filter(pk=menu.pk).update(week_start=this_week, published_at=timezone.now())
    Menu.objects.filter(pk=kitchen.menus["creche"].pk).update(week_start=this_week)  # not published
    text = _get(client, world.user("parent1a"), "kitchen:portal-disclosures").content.decode()
    assert "Thịt lợn rim" in text and "Cháo thịt" not in text  # the creche menu is not published
    home = _get(client, world.user("parent1a"), "portal:home").content.decode()
    assert reverse("kitchen:portal-disclosures") in home
    # Parents never reach the kitchen's own pages.
    assert _get(client, world.user("parent1a"), "kitchen:purchases").status_code == 404


def test_other_school_and_teacher(client, kitchen, world):
    menu = kitchen.menus["kinder"]
    assert _get(client, world.user("principal2"), "kitchen:menu", menu.pk).status_code == 404
    assert _get(client, world.user("principal2"), "kitchen:market", school=kitchen.school.pk).status_code == 404
    assert _get(client, world.user("district2"), "kitchen:home", school=kitchen.school.pk).status_code == 404
    assert _get(client, world.user("district1"), "kitchen:home", school=kitchen.school.pk).status_code == 200
    # A teacher reads the menu but may not change it.
    assert _get(client, world.user("teacher1a"), "kitchen:menu", menu.pk).status_code == 200
    r = client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "publish"})
    assert r.status_code == 403
    assert Menu.objects.get(pk=menu.pk).published_at is None


def test_dish_ingredient_and_menu_item_removal(client, kitchen, world):
    cook = world.user("kitchen1a")
    client.force_login(cook)
    s = kitchen.school.pk
    r = client.post(reverse("kitchen:dishes"), {"school": s, "name": "ZZ-Canh chua"})
    assert r.status_code == 302
    from mamnon.kitchen.models import Dish

    dish = Dish.objects.get(name="ZZ-Canh chua")
    assert dish.unit_id == kitchen.school.pk
    url = f"{reverse('kitchen:dish', args=[dish.pk])}?school={s}"
    client.post(url, {"food": kitchen.foods["T-CARROT"].pk, "band": "kinder", "grams": "20"})
    r = client.post(url, {"food": kitchen.foods["T-CARROT"].pk, "band": "kinder", "grams": "20"})
    assert r.status_code == 200 and dish.ingredients.count() == 1  # the same food twice: a form error
    r = client.post(url, {"food": kitchen.foods["T-CARROT"].pk, "band": "creche", "grams": "-3"})
    assert dish.ingredients.count() == 1
    menu = kitchen.menus["creche"]
    n = menu.items.count()
    client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "remove", "item": "abc"})
    client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "remove", "item": menu.items.first().pk})
    assert menu.items.count() == n - 1
    # A shared dish is not the school's to change.
    shared = kitchen.dishes["Cơm"]
    r = client.post(f"{reverse('kitchen:dish', args=[shared.pk])}?school={s}",
                    {"food": kitchen.foods["T-CARROT"].pk, "band": "kinder", "grams": "20"})
    assert r.status_code == 403


def test_the_cook_enters_the_menu_and_the_vice_principal_approves_it(client, kitchen, world):
    menu = kitchen.menus["kinder"]
    Menu.objects.filter(pk=menu.pk).update(week_start=selectors.monday(timezone.localdate()) + dt.timedelta(weeks=2))
    r = _get(client, world.user("kitchen1a"), "kitchen:menu", menu.pk)
    body = r.content.decode()
    assert 'id="awaiting-approval"' in body and 'value="publish"' not in body
    assert client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "publish"}).status_code == 403
    assert Menu.objects.get(pk=menu.pk).published_at is None
    r = _get(client, world.user("vice1a"), "kitchen:menu", menu.pk)
    assert 'value="publish"' in r.content.decode()
    assert client.post(reverse("kitchen:menu", args=[menu.pk]), {"action": "publish"}).status_code == 302
    published = Menu.objects.get(pk=menu.pk)
    assert published.published_at is not None and published.published_by == world.user("vice1a")
