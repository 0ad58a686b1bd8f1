"""Staff API: scoped like the pages; writes through the services with Vietnamese field errors."""

import pytest
from rest_framework.test import APIClient

from mamnon.staff.models import StandardRating, Training
from tests.staff.conftest import levels


def api(user, lang="vi") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_authenticate(user)
    return client


def names(response):
    assert response.status_code == 200, response.content
    return {r["full_name"].removeprefix("ZZ-person-") for r in response.json()["results"]}


def test_records_follow_the_scope(world, scenario):
    expect = {"principal1a": {"T1", "T2", "T3", "P", "V"}, "district1": {"T1", "T2", "T3", "P", "V", "W1"},
              "district2": {"X1"}, "teacher1a": {"T1"}, "parent1a": set(), "nobody": set()}
    for key, people in expect.items():
        assert names(api(world.user(key)).get("/api/staff-records/")) == people, key
    t1 = api(world.user("principal1a")).get(f"/api/staff-records/{scenario.staff['T1'].pk}/").json()
    assert t1["standard_status"] == "meets" and t1["retirement_date"] == "2050-04-02"
    assert api(world.user("principal2")).get(f"/api/staff-records/{scenario.staff['T1'].pk}/").status_code == 404


def test_write_record_and_errors(world, scenario):
    client = api(world.user("principal1a"))
    r = client.post("/api/staff-records/", {"full_name": "Vũ Thị Hà", "position": "teacher",
                                            "birth_date": "05/06/2031"}, format="json")
    assert r.status_code == 400 and "tương lai" in r.json()["birth_date"][0]
    r = client.post("/api/staff-records/", {"full_name": "Vũ Thị Hà", "position": "teacher",
                                            "birth_date": "05/06/1996", "training_level": 2,
                                            "preschool_pedagogy": True}, format="json")
    assert r.status_code == 201 and r.json()["standard_status"] == "meets"
    assert api(world.user("teacher1a")).post("/api/staff-records/", {"full_name": "X", "position": "teacher"},
                                             format="json").status_code == 403


def test_rating_endpoints(world, scenario):
    sc = scenario
    t1 = sc.staff["T1"].pk
    r = api(world.user("teacher1a")).post("/api/staff-ratings/self-assess/", {
        "staff": t1, "standard": "teacher", "levels": levels(3)[:13]}, format="json")
    assert r.status_code == 400 and "14, 15" in r.json()["self_levels"][0]
    r = api(world.user("teacher1a")).post("/api/staff-ratings/self-assess/", {
        "staff": t1, "standard": "teacher", "levels": levels(2)}, format="json")
    assert r.status_code == 200 and r.json()["self_overall"] == 2
    r = api(world.user("principal1a")).post("/api/staff-ratings/decide/", {
        "staff": t1, "standard": "teacher", "levels": levels(1)}, format="json")
    assert r.status_code == 200 and r.json()["overall"] == 1
    assert api(world.user("district2")).get("/api/staff-ratings/").json()["results"] == []
    # Another school's staff is not a valid choice for a principal.
    r = api(world.user("principal2")).post("/api/staff-ratings/decide/", {
        "staff": t1, "standard": "teacher", "levels": levels(1)}, format="json")
    assert r.status_code == 400 and "staff" in r.json()
    assert StandardRating.objects.count() == 1


def test_training_and_norms(world, scenario):
    client = api(world.user("vice1a"))
    r = client.post("/api/staff-trainings/", {"staff": scenario.staff["T2"].pk, "course": "STEAM", "topic": "steam",
                                              "hours": "12", "start_date": "10/10/2023",
                                              "end_date": "09/10/2023"}, format="json")
    assert r.status_code == 400 and "end_date" in r.json()
    assert not Training.objects.exists()
    r = api(world.user("district1")).get("/api/staff-norms/")
    data = r.json()
    assert r.status_code == 200 and data["total"]["norm"] == pytest.approx(7.61) and data["total"]["teachers"] == 7
    assert {s["name"] for s in data["schools"]} == {world.marker("S1a"), world.marker("S1b")}
    assert api(world.user("teacher1a")).get("/api/staff-norms/").status_code == 403


def test_schema_lists_the_endpoints(world):
    r = api(world.user("admin")).get("/api/schema/")
    body = r.content.decode()
    for path in ("/api/staff-records/", "/api/staff-ratings/decide/", "/api/staff-trainings/", "/api/staff-norms/"):
        assert path in body
