"""The attendance API: a whole group's day in one POST through the same service, scoped lists, and field
errors for bad input."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import pytest
import yaml
from rest_framework.test import APIClient

from mamnon.attendance.models import Attendance, GroupDay
from tests.attendance.test_attendance_fixtures import MONDAY, clock  # noqa: F401
from tests.conftest import PASSWORD

DAY = "/api/attendance/day/"


def api(world, key) -> APIClient:
    client = APIClient()
    token = client.post("/api/token/", {"username": world.user(key).username, "password": PASSWORD}, format="json")
    assert token.status_code == 200, token.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    return client


def kid(classroom, key):
    return classroom.children[key].pk


def test_teacher_saves_a_whole_day_with_a_token(classroom, clock):
    g1 = classroom.groups["G1"]
    client = api(classroom.world, "teacher1a")
    payload = {"group": g1.pk, "date": MONDAY.isoformat(),
               "marks": [{"child": kid(classroom, "K2"), "status": "sick", "note": "Sốt"},
                         {"child": kid(classroom, "K3"), "status": "late"}]}
    response = client.post(DAY, payload, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["created"], data["present"], data["absent"]) == (3, 2, 1)
    assert dict(Attendance.objects.filter(group=g1).values_list("child_id", "status")) == {
        kid(classroom, "K1"): "present", kid(classroom, "K2"): "sick", kid(classroom, "K3"): "late"}
    assert GroupDay.objects.get(group=g1, date=MONDAY).saved_by == classroom.world.user("teacher1a")
    again = client.post(DAY, payload, format="json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert Attendance.objects.count() == 3


@pytest.mark.parametrize("payload, field", [
    ({"date": "2024-03-04"}, "group"),
    ({"group": 1, "date": "04-03-2024x"}, "date"),
    ({"group": 1, "date": "2024-03-04", "marks": [{"child": 1, "status": "gone"}]}, "marks"),
    ({"group": 1, "date": "2024-03-04", "marks": "everyone"}, "marks"),
    ({"group": 1, "date": "2024-03-04", "marks": [{"status": "sick"}]}, "marks"),
])
def test_bad_input_is_a_400_with_the_field_named(classroom, clock, payload, field):
    if "group" in payload:
        payload = {**payload, "group": classroom.groups["G1"].pk}
    response = api(classroom.world, "teacher1a").post(DAY, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Attendance.objects.exists()


def test_mark_errors_point_at_the_mark(classroom, clock):
    client = api(classroom.world, "teacher1a")
    payload = {"group": classroom.groups["G1"].pk, "date": "2024-03-04",
               "marks": [{"child": kid(classroom, "K1")}, {"child": kid(classroom, "K2"), "status": "gone"},
                         {"child": "K3", "note": "x" * 201}]}
    errors = client.post(DAY, payload, format="json").json()["marks"]
    assert errors[0] == {} and list(errors[1]) == ["status"] and set(errors[2]) == {"child", "note"}
    assert not Attendance.objects.exists()


def test_service_errors_are_400s_too(classroom, clock):
    client = api(classroom.world, "teacher1a")
    g1 = classroom.groups["G1"]
    outsider = kid(classroom, "K4")  # in G2
    response = client.post(DAY, {"group": g1.pk, "date": "2024-03-04", "marks": [{"child": outsider}]}, format="json")
    assert response.status_code == 400
    assert f"child #{outsider} is not enrolled" in response.json()["marks"][0]
    response = client.post(DAY, {"group": g1.pk, "date": "2024-03-09"}, format="json")  # a Saturday
    assert response.status_code == 400 and "not a school day" in response.json()["date"][0]
    clock.at(MONDAY, 18)
    response = client.post(DAY, {"group": g1.pk, "date": "2024-03-04"}, format="json")
    assert response.status_code == 400 and "locked" in response.json()["date"][0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["parent1a", "kitchen1a", "principal2", "district1"])
def test_outsiders_cannot_save(classroom, clock, who):
    response = api(classroom.world, who).post(DAY, {"group": classroom.groups["G1"].pk, "date": "2024-03-04"},
                                              format="json")
    assert response.status_code == 404
    assert not Attendance.objects.exists()
    assert APIClient().post(DAY, {"group": 1, "date": "2024-03-04"}, format="json").status_code in (401, 403)


def test_list_is_scoped_and_filtered(classroom, clock):
    w = classroom.world
    principal = api(w, "principal1a")
    for key in ("G1", "G2"):
        assert principal.post(DAY, {"group": classroom.groups[key].pk, "date": "2024-03-04"},
                              format="json").status_code == 200

    def children(key, query=""):
        response = api(w, key).get(f"/api/attendance/{query}")
        assert response.status_code == 200, response.content
        return {row["child"] for row in response.json()["results"]}

    g1_kids = {kid(classroom, k) for k in ("K1", "K2", "K3")}
    assert children("principal1a") == g1_kids | {kid(classroom, "K4")}
    assert children("principal1a", f"?group={classroom.groups['G1'].pk}&date=2024-03-04") == g1_kids
    assert children("principal1a", "?date=2024-03-05") == set()
    assert children("teacher1a") == g1_kids
    assert children("parent1a") == {kid(classroom, "K1")}
    assert children("principal2") == set()
    # A group outside the caller's scope is not a valid filter value.
    assert api(w, "principal2").get(f"/api/attendance/?group={classroom.groups['G1'].pk}").status_code == 400


def test_schema_describes_the_new_endpoints(db, client):
    doc = yaml.safe_load(client.get("/api/schema/").content)
    for path in ("/api/attendance/", "/api/attendance/day/", "/api/meal-counts/", "/api/meal-counts/forecast/"):
        assert path in doc["paths"], path
    assert "post" in doc["paths"]["/api/attendance/day/"]
