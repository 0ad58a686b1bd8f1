"""Facilities API: scoped like the pages; writes through the services; errors are 400 with field names."""

import pytest
from rest_framework.test import APIClient

from mamnon.facilities.models import GroupEquipment, Room
from tests.cheap_hashing import cheap_argon2  # noqa: F401


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.mark.django_db
def test_rooms_are_scoped(facilities):
    w = facilities.world
    names = lambda user: {r["name"] for r in api(w.user(user)).get("/api/rooms/").json()["results"]}  # noqa: E731
    assert names("principal1a") == {w.marker(f"room-a-{k}") for k in ("group", "kitchen", "toilet1", "toilet2",
                                                                       "library", "office")}
    assert w.marker("room-b-kitchen") in names("district1") and w.marker("room-s2-meeting") not in names("district1")
    assert names("parent1a") == set()
    other = facilities.rooms["b-kitchen"].pk
    assert api(w.user("principal1a")).get(f"/api/rooms/{other}/").status_code == 404


@pytest.mark.django_db
def test_room_writes_by_the_principal_only(facilities):
    w = facilities.world
    site = w.schools["S1a"].sites.get()
    data = {"site": site.pk, "name": "Bếp mới", "kind": "kitchen", "area": "25.5", "one_way": True}
    r = api(w.user("principal1a")).post("/api/rooms/", data, format="json")
    assert r.status_code == 201, r.content
    assert Room.objects.get(name="Bếp mới").school == w.schools["S1a"]
    assert api(w.user("district1")).post("/api/rooms/", data, format="json").status_code in (400, 403)
    bad = api(w.user("principal1a")).post("/api/rooms/", {**data, "area": "0"}, format="json")
    assert bad.status_code == 400 and "area" in bad.json()
    pk = facilities.rooms["a-office"].pk
    assert api(w.user("district1")).patch(f"/api/rooms/{pk}/", {"name": "x"}, format="json").status_code == 404
    r = api(w.user("principal1a")).patch(f"/api/rooms/{pk}/", {"construction": "permanent"}, format="json")
    assert r.status_code == 200 and Room.objects.get(pk=pk).construction == "permanent"


@pytest.mark.django_db
def test_summary_and_inventory(facilities):
    w = facilities.world
    rows = api(w.user("district1")).get("/api/facility-summary/").json()["results"]
    by_name = {r["school_name"]: r for r in rows}
    assert set(by_name) == {w.marker("S1a"), w.marker("S1b")}
    assert by_name[w.marker("S1a")]["equipment_meeting"] == 1 and by_name[w.marker("S1a")]["equipment_groups"] == 2
    assert {x["code"] for x in by_name[w.marker("S1b")]["warnings"]} == {"toilet_per_child", "temporary_rooms",
                                                                         "poor_rooms"}
    g1 = facilities.classroom.groups["G1"]
    b = facilities.items["B"].pk
    c = api(w.user("principal1a"))
    r = c.post("/api/group-equipment/", {"group": g1.pk, "lines": [{"item": b, "quantity": 2, "damaged": 3}]},
               format="json")
    assert r.status_code == 400
    r = c.post("/api/group-equipment/", {"group": g1.pk, "lines": [{"item": b, "quantity": 5, "damaged": 0}]},
               format="json")
    assert r.status_code == 200 and GroupEquipment.objects.get(group=g1, item_id=b).quantity == 5
    teacher = api(w.user("teacher1a"))
    groups = {row["group"] for row in teacher.get("/api/group-equipment/").json()["results"]}
    assert groups == {g1.pk}
    assert teacher.post("/api/group-equipment/", {"group": g1.pk, "lines": []}, format="json").status_code == 403
    assert len(api(w.user("parent1a")).get("/api/equipment-items/").json()["results"]) == 5


@pytest.mark.django_db
def test_stocktake_and_purchase_plan_through_the_api(facilities):
    from mamnon.facilities.models import PurchasePlan, Stocktake

    w = facilities.world
    c = api(w.user("principal1a"))
    g1 = facilities.classroom.groups["G1"]
    b = facilities.items["B"].pk
    assert api(w.user("district1")).post("/api/stocktakes/", {"day": "2024-05-20"}, format="json").status_code == 400
    assert c.post("/api/stocktakes/", {"day": "20/05/2030"}, format="json").status_code == 400  # outside the year
    r = c.post("/api/stocktakes/", {"day": "20/05/2024"}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    bad = c.post(f"/api/stocktakes/{pk}/count/", {"group": g1.pk, "lines": [{"item": b, "counted": 1, "damaged": 2}]},
                 format="json")
    assert bad.status_code == 400
    ok = c.post(f"/api/stocktakes/{pk}/count/", {"group": g1.pk, "lines": [{"item": b, "counted": 3}]},
                format="json")
    assert ok.status_code == 200
    assert c.post(f"/api/stocktakes/{pk}/close/").status_code == 200
    assert Stocktake.objects.get(pk=pk).closed_at is not None
    assert GroupEquipment.objects.get(group=g1, item_id=b).usable == 3
    # S1a now meets the list everywhere: no plan to make (400); S1b is not hers.
    assert c.post("/api/purchase-plans/", {}, format="json").status_code == 400
    assert c.post("/api/purchase-plans/", {"school": w.schools["S1b"].pk}, format="json").status_code == 400
    r = api(w.user("principal1b")).post("/api/purchase-plans/", {}, format="json")
    assert r.status_code == 201 and [ln["quantity"] for ln in r.json()["lines"]] == [1]  # G3 needs one D
    assert PurchasePlan.objects.count() == 1
