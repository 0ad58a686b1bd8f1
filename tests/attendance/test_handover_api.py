"""API for handovers, absence requests and incidents: scoped like the pages, bad input is 400 (never 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from mamnon.attendance import handover_services as hs
from mamnon.attendance.models import AbsenceRequest, Handover, Incident
from tests.attendance.test_handover import SIGNATURE, record_dropoff, set_pin, today
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)


def api(classroom, key) -> APIClient:
    client = APIClient()
    client.force_authenticate(classroom.world.user(key))
    return client


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(response) -> set[str]:
    return {r["child_name"] for r in rows(response)}


@pytest.fixture
def day(classroom):
    """Drop-offs for K1, K2 (G1), K4 (G2) and K6 (S2) today."""
    for key, actor in (("K1", "teacher1a"), ("K2", "teacher1a"), ("K4", "principal1a"), ("K6", "principal2")):
        record_dropoff(classroom, key=key, actor=actor)
    return classroom


def test_handover_list_is_scoped(day):
    c = day
    assert names(api(c, "teacher1a").get("/api/handovers/")) == {"ZZ-child-K1", "ZZ-child-K2"}
    assert names(api(c, "principal1a").get("/api/handovers/")) == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K4"}
    assert names(api(c, "parent1a").get("/api/handovers/")) == {"ZZ-child-K1"}
    assert names(api(c, "principal2").get("/api/handovers/")) == {"ZZ-child-K6"}
    assert names(api(c, "district1").get("/api/handovers/")) == set()  # offices: no daily records
    by_group = api(c, "principal1a").get("/api/handovers/", {"group": c.groups["G2"].pk,
                                                             "date": today().strftime("%d/%m/%Y")})
    assert names(by_group) == {"ZZ-child-K4"}
    iso = api(c, "principal1a").get("/api/handovers/", {"date": today().isoformat(), "group": c.groups["G1"].pk})
    assert names(iso) == {"ZZ-child-K1", "ZZ-child-K2"}
    # Another school's group as a filter, or a detail outside the scope: nothing is revealed.
    response = api(c, "principal1a").get("/api/handovers/", {"group": c.groups["G4"].pk})
    assert response.status_code == 400 and b"ZZ-" not in response.content
    k6 = Handover.objects.get(child=c.children["K6"])
    assert api(c, "principal1a").get(f"/api/handovers/{k6.pk}/").status_code == 404
    k2 = Handover.objects.get(child=c.children["K2"])
    assert api(c, "parent1a").get(f"/api/handovers/{k2.pk}/").status_code == 404
    assert api(c, "parent1a").get("/api/handovers/", {"date": "not-a-date"}).status_code == 400


def test_dropoff_and_pickup_through_the_api(classroom):
    client = api(classroom, "teacher1a")
    k3 = classroom.children["K3"]
    payload = {"group": classroom.groups["G1"].pk, "child": k3.pk, "state": "unwell", "symptoms": "ho",
               "temperature": "37.6", "medicine": "Siro", "medicine_dose": "5 ml", "medicine_time": "10:00",
               "brought_by": classroom.guardians["K3"].pk}
    response = client.post("/api/handovers/dropoff/", payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["child"] == k3.pk and body["temperature"] == "37.6" and body["state"] == "unwell"
    assert body["confirmed_at"] is None and body["has_signature"] is False
    response = client.post("/api/handovers/pickup/", {"group": classroom.groups["G1"].pk, "child": k3.pk,
                                                      "other_name": "ZZ-stranger"}, format="json")
    assert response.status_code == 400 and "collected_by" in response.json()
    response = client.post("/api/handovers/pickup/", {"group": classroom.groups["G1"].pk, "child": k3.pk,
                                                      "guardian": classroom.guardians["K3"].pk, "meals": "hết"},
                           format="json")
    assert response.status_code == 200 and response.json()["meals"] == "hết"


@pytest.mark.parametrize("change,status,key", [
    ({"temperature": "50"}, 400, "temperature"),
    ({"temperature": "abc"}, 400, "temperature"),
    ({"temperature": "1e400"}, 400, "temperature"),
    ({"child": "K4"}, 400, "child"),  # not in G1
    ({"child": "K6"}, 400, "child"),  # another school: does not exist for her
    ({"group": "G4"}, 400, "group"),
    ({"brought_by": "K2"}, 400, "brought_by"),
    ({"state": "asleep"}, 400, "state"),
    ({"date": "31/02/2024"}, 400, "date"),
    ({"date": "future"}, 400, "date"),
    ({"medicine": "Siro"}, 400, "medicine_dose"),
    ({"time": "25:99"}, 400, "time"),
    ({"child": None}, 400, "child"),
    ({"child": [1, 2]}, 400, "child"),
])
def test_dropoff_bad_input_is_400(classroom, change, status, key):
    payload = {"group": classroom.groups["G1"].pk, "child": classroom.children["K1"].pk}
    for field, value in change.items():
        if not isinstance(value, str):
            pass
        elif value in classroom.children:
            value = classroom.children[value].pk if field == "child" else classroom.guardians[value].pk
        elif value in classroom.groups:
            value = classroom.groups[value].pk
        elif value == "future":
            value = (today() + dt.timedelta(days=2)).isoformat()
        payload[field] = value
    response = api(classroom, "teacher1a").post("/api/handovers/dropoff/", payload, format="json")
    assert response.status_code == status, response.content
    assert key in response.json(), response.json()
    assert not Handover.objects.exists()


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e999", '"37,5\\u0000"', "[]", "{}"])
def test_raw_json_temperatures_are_400(classroom, raw):
    body = f'{{"group": {classroom.groups["G1"].pk}, "child": {classroom.children["K1"].pk}, "temperature": {raw}}}'
    response = api(classroom, "teacher1a").post("/api/handovers/dropoff/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert not Handover.objects.exists()


def test_dropoff_refused_outside_the_teachers_groups(classroom):
    response = api(classroom, "teacher1a").post("/api/handovers/dropoff/", {
        "group": classroom.groups["G2"].pk, "child": classroom.children["K4"].pk}, format="json")
    assert response.status_code == 400  # G2 and K4 are not hers: they do not exist for her
    response = api(classroom, "kitchen1a").post("/api/handovers/dropoff/", {
        "group": classroom.groups["G1"].pk, "child": classroom.children["K1"].pk}, format="json")
    assert response.status_code == 403
    assert not Handover.objects.exists()


def test_confirm_through_the_api(day):
    c = day
    k1 = Handover.objects.get(child=c.children["K1"])
    k2 = Handover.objects.get(child=c.children["K2"])
    parent = api(c, "parent1a")
    assert parent.post(f"/api/handovers/{k2.pk}/confirm/", {"method": "portal"}, format="json").status_code == 404
    response = parent.post(f"/api/handovers/{k1.pk}/confirm/", {"method": "portal"}, format="json")
    assert response.status_code == 200 and response.json()["confirm_method"] == "portal"
    again = parent.post(f"/api/handovers/{k1.pk}/confirm/", {"method": "portal"}, format="json")
    assert again.status_code == 400 and "already confirmed" in str(again.json())
    teacher = api(c, "teacher1a")
    set_pin(c, key="K2", pin="2580")
    response = teacher.post(f"/api/handovers/{k2.pk}/confirm/",
                            {"method": "pin", "guardian": c.guardians["K2"].pk, "pin": "1111"}, format="json")
    assert response.status_code == 400 and "Wrong PIN" in response.json()["pin"][0]
    response = teacher.post(f"/api/handovers/{k2.pk}/confirm/",
                            {"method": "signature", "guardian": c.guardians["K2"].pk, "signature": ""},
                            format="json")
    assert response.status_code == 400 and "signature" in response.json()
    response = teacher.post(f"/api/handovers/{k2.pk}/confirm/",
                            {"method": "signature", "guardian": c.guardians["K2"].pk, "signature": SIGNATURE},
                            format="json")
    assert response.status_code == 200 and response.json()["has_signature"] is True
    # A teacher is not a guardian: she cannot confirm "in the portal" for a parent.
    k4 = Handover.objects.get(child=c.children["K4"])
    response = api(c, "principal1a").post(f"/api/handovers/{k4.pk}/confirm/", {"method": "portal"}, format="json")
    assert response.status_code == 400
    for bad in ({}, {"method": "telepathy"}, {"method": "pin"}, {"method": "pin", "guardian": "x"},
                {"method": "signature", "guardian": c.guardians["K4"].pk, "signature": "<svg/>"}):
        response = api(c, "principal1a").post(f"/api/handovers/{k4.pk}/confirm/", bad, format="json")
        assert response.status_code == 400, (bad, response.content)


def test_absence_requests_through_the_api(classroom):
    parent = api(classroom, "parent1a")
    start = (today() + dt.timedelta(days=1)).isoformat()
    response = parent.post("/api/absence-requests/", {"child": classroom.children["K1"].pk, "date_from": start,
                                                      "date_to": start, "reason": "Ốm", "sick": True}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["requested_by"] == classroom.world.user("parent1a").pk
    for bad in (
        {"child": classroom.children["K2"].pk, "date_from": start, "date_to": start, "reason": "x"},
        {"child": classroom.children["K6"].pk, "date_from": start, "date_to": start, "reason": "x"},
        {"child": classroom.children["K1"].pk, "date_from": "2020-01-01", "date_to": "2020-01-02", "reason": "x"},
        {"child": classroom.children["K1"].pk, "date_from": start, "date_to": "1999-01-01", "reason": "x"},
        {"child": classroom.children["K1"].pk, "date_from": start, "date_to": start, "reason": ""},
        {"child": classroom.children["K1"].pk, "date_from": "tomorrow", "date_to": start, "reason": "x"},
        {"child": "K1", "date_from": start, "date_to": start, "reason": "x"},
        {},
    ):
        response = parent.post("/api/absence-requests/", bad, format="json")
        assert response.status_code == 400, (bad, response.content)
        assert b"ZZ-child-K2" not in response.content and b"ZZ-child-K6" not in response.content
    assert AbsenceRequest.objects.count() == 1
    assert len(rows(parent.get("/api/absence-requests/"))) == 1
    assert rows(api(classroom, "principal2").get("/api/absence-requests/")) == []
    # A teacher may read, not announce for a parent (the principal may, taking a phone call).
    response = api(classroom, "teacher1a").post("/api/absence-requests/", {
        "child": classroom.children["K2"].pk, "date_from": start, "date_to": start, "reason": "x"}, format="json")
    assert response.status_code == 403
    response = api(classroom, "principal1a").post("/api/absence-requests/", {
        "child": classroom.children["K2"].pk, "date_from": start, "date_to": start, "reason": "Mẹ gọi điện"},
        format="json")
    assert response.status_code == 201


def test_incidents_through_the_api(classroom):
    when = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    staff = api(classroom, "principal1a")
    response = staff.post("/api/incidents/", {"school": classroom.world.schools["S1a"].pk,
                                              "child": classroom.children["K2"].pk, "occurred_at": when,
                                              "place": "Sân", "what": "ZZ-api-incident"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert Incident.objects.get(pk=pk).recorded_by == classroom.world.user("principal1a")
    response = staff.patch(f"/api/incidents/{pk}/", {"follow_up": "Gọi phụ huynh", "serious": True}, format="json")
    assert response.status_code == 200 and response.json()["serious"] is True
    response = staff.patch(f"/api/incidents/{pk}/", {"occurred_at": "2999-01-01T00:00:00"}, format="json")
    assert response.status_code == 400 and "occurred_at" in response.json()
    response = staff.patch(f"/api/incidents/{pk}/", {"school": classroom.world.schools["S1a"].pk + 10**6},
                           format="json")
    assert response.status_code == 400
    response = staff.patch(f"/api/incidents/{pk}/", {"school": 10**27}, format="json")  # was a 500 on SQLite
    assert response.status_code == 400 and "school" in response.json()
    # Reading: the district office without the child; another district nothing; the parent of K1 nothing.
    d1 = rows(api(classroom, "district1").get("/api/incidents/"))
    assert [r["what"] for r in d1] == ["ZZ-api-incident"] and d1[0]["child"] is None
    assert rows(api(classroom, "district2").get("/api/incidents/")) == []
    assert api(classroom, "district2").get(f"/api/incidents/{pk}/").status_code == 404
    assert rows(api(classroom, "parent1a").get("/api/incidents/")) == []
    # Writing: not for parents or offices; nothing outside the scope.
    for key in ("parent1a", "district1"):
        response = api(classroom, key).post("/api/incidents/", {
            "school": classroom.world.schools["S1a"].pk, "occurred_at": when, "place": "x", "what": "y"},
            format="json")
        assert response.status_code == 403, key
        assert api(classroom, key).patch(f"/api/incidents/{pk}/", {"what": "z"}, format="json").status_code == 404
    response = api(classroom, "principal2").post("/api/incidents/", {
        "school": classroom.world.schools["S1a"].pk, "occurred_at": when, "place": "x", "what": "y"},
        format="json")
    assert response.status_code == 400
    assert api(classroom, "principal1a").delete(f"/api/incidents/{pk}/").status_code == 405
    assert Incident.objects.count() == 1


_junk = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63),
                  st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
                  st.lists(st.integers(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(temperature=_junk, child=_junk, brought_by=_junk, date=_junk, time=_junk, signature=_junk)
def test_fuzzed_handover_input_never_fails(classroom, temperature, child, brought_by, date, time, signature):
    client = api(classroom, "teacher1a")
    payload = {"group": classroom.groups["G1"].pk, "child": child, "temperature": temperature,
               "brought_by": brought_by, "date": date, "time": time}
    response = client.post("/api/handovers/dropoff/", payload, format="json")
    assert response.status_code in (200, 400), response.content
    h = record_dropoff(classroom, key="K2") if not Handover.objects.filter(child=classroom.children["K2"]).exists() \
        else Handover.objects.get(child=classroom.children["K2"])
    response = client.post(f"/api/handovers/{h.pk}/confirm/", {
        "method": "signature", "guardian": classroom.guardians["K2"].pk, "signature": signature}, format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        Handover.objects.filter(pk=h.pk).update(confirmed_at=None, confirm_method="", signature_svg="")
    assert hs.pin_failures(h) == 0
