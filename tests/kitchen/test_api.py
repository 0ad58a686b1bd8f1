"""The kitchen API: scoped like the pages, analyses and market lists with hand-checked figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mamnon.kitchen.models import Disclosure, Food

from .conftest import WEEK


@pytest.fixture
def api():
    return APIClient()


def test_menu_analysis_and_scope(api, kitchen, world):
    menu = kitchen.menus["kinder"]
    api.force_authenticate(world.user("vice1a"))
    r = api.get(f"/api/kitchen/menus/{menu.pk}/analysis/")
    assert r.status_code == 200
    mon = r.json()[0]
    assert mon["date"] == WEEK.isoformat()
    assert mon["totals"]["energy"] == pytest.approx(0.70 * 350 + 0.35 * 140 + 0.06 * 900 + 0.25 * 35 + 1.80 * 75)
    assert mon["cost"] == 12582 and mon["food_money"] == 25000
    api.force_authenticate(world.user("principal2"))
    assert api.get(f"/api/kitchen/menus/{menu.pk}/analysis/").status_code == 404
    menus = api.get("/api/kitchen/menus/").json()
    assert (menus.get("results", menus) if isinstance(menus, dict) else menus) == []


def test_market_list_api(api, kitchen, world):
    api.force_authenticate(world.user("kitchen1a"))
    Food.objects.filter(pk=kitchen.foods["T-CARROT"].pk).update(inedible_pct=None)
    r = api.get(f"/api/kitchen/market-list/?school={kitchen.school.pk}&date={WEEK.isoformat()}")
    assert r.status_code == 200
    unknown = {line["name"] for line in r.json()["lines"] if line["inedible_unknown"]}
    assert unknown == {"Cà rốt (thử)"}
    assert api.get(f"/api/kitchen/market-list/?school={kitchen.school.pk}&date=32/13/2024").status_code == 400
    api.force_authenticate(world.user("principal2"))
    r = api.get(f"/api/kitchen/market-list/?school={kitchen.school.pk}&date={WEEK.isoformat()}")
    assert r.status_code == 404


def test_disclosures_parents_see_published_only(api, kitchen, world):
    Disclosure.objects.create(school=kitchen.school, date=WEEK, children=10, food_money=25000, received=250000,
                              spent=200000, published_at=timezone.now())
    Disclosure.objects.create(school=kitchen.school, date=WEEK + dt.timedelta(days=1), children=1, food_money=25000,
                              received=25000, spent=0)
    api.force_authenticate(world.user("parent1a"))
    rows = api.get("/api/kitchen/disclosures/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [r["date"] for r in rows] == [WEEK.isoformat()]
    assert Decimal(rows[0]["difference"]) == Decimal(50000)
    api.force_authenticate(world.user("accountant1a"))
    rows = api.get("/api/kitchen/disclosures/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert len(rows) == 2
    api.force_authenticate(world.user("principal2"))
    rows = api.get("/api/kitchen/disclosures/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert rows == []


def test_foods_visible_to_all_signed_in(api, kitchen, world):
    api.force_authenticate(world.user("principal2"))
    rows = api.get("/api/kitchen/foods/?code=T-RICE").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert rows[0]["name"] == "Gạo (thử)"
    api.force_authenticate(None)
    assert api.get("/api/kitchen/foods/").status_code in (401, 403)
