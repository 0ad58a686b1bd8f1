"""API of growth monitoring: rounds, measurements (scores and statuses in the answers, writes through the service),
round statistics. Visibility per role, bad input as a 400 naming the field and the child, the schema.

Statuses are checked against WHO's figures worked by hand from the LMS rows (WHO 2007 reference, boys at 66
months: weight-for-age -3 SD 13.3 kg and -2 SD 15.0 kg; height-for-age -3 SD 98.7 cm and -2 SD 103.4 cm;
BMI-for-age -3 SD 12.1, -2 SD 13.0, +1 SD 16.7 and +2 SD 18.35 kg/m2), not against the code's output.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from rest_framework.test import APIClient

from mamnon.calc.growth import zscores
from mamnon.health import services
from mamnon.health.models import Measurement, MeasurementRound
from mamnon.health.services import Entry
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)

DAY = dt.date(2023, 9, 15)
TODAY = dt.date(2024, 4, 1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def kids(data, classroom):
    by_pk = {c.pk: k for k, c in classroom.children.items()}
    return {by_pk[r["child"]] for r in data}


@pytest.fixture
def measured(classroom, rounds):
    """Round 1: K1 (boy, 66 months) 12 kg 100 cm: severely underweight, stunted, thin; K2 normal; K3 (boy, 65
    months) 21 kg 110 cm, BMI 17.4: overweight, not obese; K4 and K5 normal. Round 2: K1 only, 18 kg 101 cm."""
    c = classroom

    def save(user, group, entries, rnd, day=DAY):
        services.measurements_save(actor=c.world.user(user), group_id=c.groups[group].pk, day=day, entries=entries,
                                   rnd=rnd, today=TODAY)

    k = c.children
    save("teacher1a", "G1", [Entry(k["K1"].pk, Decimal("12"), Decimal("100")),
                             Entry(k["K2"].pk, Decimal("19.5"), Decimal("112.4")),
                             Entry(k["K3"].pk, Decimal("21"), Decimal("110"))], rounds[1])
    save("principal1a", "G2", [Entry(k["K4"].pk, Decimal("12"), Decimal("86"), measured_lying=False)], rounds[1])
    save("principal1b", "G3", [Entry(k["K5"].pk, Decimal("16"), Decimal("103"))], rounds[1])
    save("teacher1a", "G1", [Entry(k["K1"].pk, Decimal("18"), Decimal("101"))], rounds[2], day=dt.date(2023, 12, 5))
    return c


# --- visibility ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "expected"), [
    ("teacher1a", {"K1", "K2", "K3"}),  # her group G1
    ("parent1a", {"K1"}),  # her child
    ("principal1a", {"K1", "K2", "K3", "K4"}),  # her school S1a
    ("health1a", {"K1", "K2", "K3", "K4"}),
    ("principal1b", {"K5"}),
    ("principal2", set()),
    ("district1", set()),  # offices read figures, not children's rows (Measurement.scope_view_roles)
    ("province", set()),
    ("kitchen1a", set()),
    ("admin", {"K1", "K2", "K3", "K4", "K5"}),
])
def test_measurements_follow_the_scope(measured, user, expected):
    data = rows(api(measured.world.user(user)).get("/api/measurements/", {"page_size": 100}))
    assert kids(data, measured) == expected


def test_retrieve_outside_the_scope_is_a_404(measured):
    w = measured.world
    k4_row = Measurement.objects.get(child=measured.children["K4"])
    for user in ("teacher1a", "parent1a", "district1", "principal1b"):
        assert api(w.user(user)).get(f"/api/measurements/{k4_row.pk}/").status_code == 404, user
    assert api(w.user("health1a")).get(f"/api/measurements/{k4_row.pk}/").status_code == 200


def test_filters_by_round_group_and_child(measured, rounds):
    client, c = api(measured.world.user("principal1a")), measured
    assert kids(rows(client.get("/api/measurements/", {"round": rounds[2].pk})), c) == {"K1"}
    assert kids(rows(client.get("/api/measurements/", {"round_number": 1, "school_year": "2023-2024"})), c) == {
        "K1", "K2", "K3", "K4"}
    assert kids(rows(client.get("/api/measurements/", {"group": c.groups["G2"].pk})), c) == {"K4"}
    assert len(rows(client.get("/api/measurements/", {"child": c.children["K1"].pk}))) == 2
    assert rows(client.get("/api/measurements/", {"outside_rounds": True})) == []


def test_statuses_in_the_answer(measured, rounds):
    c = measured
    data = rows(api(c.world.user("teacher1a")).get("/api/measurements/", {"round": rounds[1].pk}))
    by = {r["child"]: r for r in data}
    k1, k2, k3 = (by[c.children[k].pk] for k in ("K1", "K2", "K3"))
    # K1: 12 kg is below -3 SD (13.3 kg); 100 cm between -3 and -2 SD; BMI 12.0 below -3 SD (12.1).
    assert k1["statuses"] == {"wfa": "severe", "hfa": "moderate", "wfh": "severe"}
    assert k1["conditions"] == ["UNDERWEIGHT", "STUNTING", "WASTING"] and k1["uses_bmi"] is True
    assert k1["whz"] is None and k1["weight_kg"] == 12.0 and k1["height_cm"] == 100.0
    z = zscores(["M"], [k1["age_days"]], [12.0], [100.0])
    assert k1["waz"] == pytest.approx(z["waz"][0], abs=0.005) and k1["baz"] == pytest.approx(z["baz"][0], abs=0.005)
    assert k2["statuses"] == {"wfa": "normal", "hfa": "normal", "wfh": "normal"} and k2["conditions"] == []
    # K3: BMI 21 / 1.1**2 = 17.4, between +1 SD (16.7) and +2 SD (18.35): overweight, not obese.
    assert k3["statuses"]["wfh"] == "overweight" and k3["conditions"] == ["OVERWEIGHT"]
    assert k1["flags"] == [] and k1["child_name"] == c.children["K1"].full_name


# --- writes -------------------------------------------------------------------------------------------------


def test_teacher_creates_then_corrects_through_the_service(classroom, rounds):
    c, k1 = classroom, classroom.children["K1"]
    client = api(c.world.user("teacher1a"))
    body = {"child": k1.pk, "round": rounds[1].pk, "date": "15/09/2023", "weight_kg": "12,0", "height_cm": 100}
    response = client.post("/api/measurements/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["group"] == c.groups["G1"].pk and data["statuses"]["wfa"] == "severe"
    row = Measurement.objects.get(pk=data["id"])
    assert row.measured_by == c.world.user("teacher1a") and row.age_days == (DAY - k1.birth_date).days
    assert row.history.count() == 1
    # Entering the round's row again corrects it (200, same row).
    # 16 kg: above -2 SD (15.0 kg); BMI 16.0 below +1 SD; 100 cm still stunted.
    again = client.post("/api/measurements/", {**body, "weight_kg": 16}, format="json")
    assert again.status_code == 200 and again.json()["id"] == row.pk
    assert again.json()["statuses"]["wfa"] == "normal" and again.json()["conditions"] == ["STUNTING"]
    # PATCH changes one value; the scores follow.
    # PATCH changes one value; the scores follow (108 cm is above -2 SD; BMI 16 / 1.08**2 = 13.7 above -2 SD).
    patched = client.patch(f"/api/measurements/{row.pk}/", {"height_cm": "108"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["statuses"] == {"wfa": "normal", "hfa": "normal", "wfh": "normal"}
    assert patched.json()["weight_kg"] == 16.0 and patched.json()["conditions"] == []
    assert Measurement.objects.count() == 1
    # Delete.
    assert client.delete(f"/api/measurements/{row.pk}/").status_code == 204
    assert not Measurement.objects.exists()


def test_outside_the_rounds(classroom):
    k4 = classroom.children["K4"]
    client = api(classroom.world.user("health1a"))
    response = client.post("/api/measurements/", {"child": k4.pk, "date": "2023-10-02", "weight_kg": 12.1,
                                                  "height_cm": 86.5, "measured_lying": False}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["round"] is None and response.json()["statuses"]["wfh"] == "normal"
    moved = client.patch(f"/api/measurements/{response.json()['id']}/", {"date": "2023-10-03"}, format="json")
    assert moved.status_code == 400 and "date" in moved.json()


def test_who_may_write(measured, rounds):
    w, c = measured.world, measured
    body = {"child": c.children["K1"].pk, "round": rounds[3].pk, "date": "2024-03-04", "weight_kg": 18,
            "height_cm": 110}
    for user in ("parent1a", "district1", "kitchen1a"):
        assert api(w.user(user)).post("/api/measurements/", body, format="json").status_code == 403, user
    # A teacher cannot write a child outside her groups: the child is not hers (400 naming the field).
    other = api(w.user("teacher1a")).post("/api/measurements/", {**body, "child": c.children["K4"].pk},
                                          format="json")
    assert other.status_code == 400 and "child" in other.json()
    k4_row = Measurement.objects.get(child=c.children["K4"])
    assert api(w.user("teacher1a")).patch(f"/api/measurements/{k4_row.pk}/", {"weight_kg": 13},
                                          format="json").status_code == 404
    k1_row = Measurement.objects.filter(child=c.children["K1"]).first()
    assert api(w.user("parent1a")).patch(f"/api/measurements/{k1_row.pk}/", {"weight_kg": 13},
                                         format="json").status_code in (403, 404)
    assert api(w.user("principal2")).post("/api/measurements/", body, format="json").status_code == 400
    assert Measurement.objects.filter(round=rounds[3]).count() == 0


@pytest.mark.parametrize(("change", "field", "needle"), [
    ({"weight_kg": "-3"}, "weight_kg", "not a number"),
    ({"weight_kg": "abc"}, "weight_kg", "not a number"),
    ({"weight_kg": 300}, "weight_kg", "is not a child's weight"),
    ({"weight_kg": True}, "weight_kg", "not a number"),
    ({"height_cm": [1]}, "height_cm", "not a number"),
    ({"height_cm": 12}, "height_cm", "is not a child's height"),
    ({"weight_kg": None, "height_cm": None}, "weight_kg", "enter the weight, the height or both"),
    ({"date": "2017-09-15", "round": None}, "date", "before the date of birth"),
    ({"date": "2023-10-15"}, "date", "is outside"),
    ({"date": "2099-09-15", "round": None}, "date", "in the future"),
    ({"date": "31/02/2023"}, "date", ""),
    ({"round": 999999}, "round", "does not exist"),
    ({"child": 999999}, "child", "does not exist"),
    ({"note": "x" * 300}, "note", ""),
])
def test_bad_input_is_a_400_naming_the_field_and_child(classroom, rounds, change, field, needle):
    k1 = classroom.children["K1"]
    body = {"child": k1.pk, "round": rounds[1].pk, "date": "2023-09-15", "weight_kg": 18, "height_cm": 110,
            **change}
    response = api(classroom.world.user("teacher1a")).post("/api/measurements/", body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors and needle in " ".join(errors[field]), errors
    if field in ("weight_kg", "height_cm") or needle in ("before the date of birth",):
        assert k1.full_name in " ".join(errors[field])  # the message names the child
    assert not Measurement.objects.exists()


def test_errors_are_vietnamese(classroom, rounds, settings):
    """Vietnamese is the default (no language cookie)."""
    settings.LANGUAGE_CODE = "vi"
    k1 = classroom.children["K1"]
    body = {"child": k1.pk, "round": rounds[1].pk, "date": "2023-09-15", "weight_kg": 300, "height_cm": 110}
    response = api(classroom.world.user("teacher1a")).post("/api/measurements/", body, format="json")
    message = response.json()["weight_kg"][0]
    assert response.status_code == 400 and "cân nặng" in message and k1.full_name in message


def test_batch_is_all_or_nothing(classroom, rounds):
    c = classroom
    client = api(c.world.user("teacher1a"))
    body = {"group": c.groups["G1"].pk, "round": rounds[1].pk, "date": "15/09/2023", "entries": [
        {"child": c.children["K1"].pk, "weight_kg": 18, "height_cm": 110},
        {"child": c.children["K2"].pk, "weight_kg": 300, "height_cm": 110},
        {"child": c.children["K3"].pk, "weight_kg": "x", "height_cm": 110},
    ]}
    response = client.post("/api/measurements/batch/", body, format="json")
    assert response.status_code == 400
    text = " ".join(response.json()["entries"])
    assert c.children["K3"].full_name in text and "not a number" in text
    assert not Measurement.objects.exists()
    body["entries"][2]["weight_kg"] = "18,5"
    response = client.post("/api/measurements/batch/", body, format="json")
    assert response.status_code == 400 and c.children["K2"].full_name in response.json()["entries"][0]
    assert not Measurement.objects.exists()
    body["entries"][1]["weight_kg"] = 19
    response = client.post("/api/measurements/batch/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3 and len(response.json()["measurements"]) == 3
    other = client.post("/api/measurements/batch/", {**body, "group": c.groups["G2"].pk}, format="json")
    assert other.status_code == 400 and "group" in other.json()


# --- rounds -------------------------------------------------------------------------------------------------


def test_rounds_visible_below_and_defined_by_offices_and_schools(classroom, rounds):
    w = classroom.world
    made = api(w.user("district1")).post("/api/measurement-rounds/", {
        "number": 1, "name": "Đợt 1 quận", "start_date": "01/09/2023", "end_date": "2023-09-30",
        "deadline": "2023-09-20"}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["unit"] == w.units["D1"].pk and made.json()["school_year"] == "2023-2024"
    for user, n in (("teacher1a", 4), ("parent1a", 4), ("principal1b", 4), ("principal2", 3), ("district2", 3)):
        assert len(rows(api(w.user(user)).get("/api/measurement-rounds/"))) == n, user
    dup = api(w.user("district1")).post("/api/measurement-rounds/", {
        "number": 1, "name": "x", "start_date": "2023-09-01", "end_date": "2023-09-30", "deadline": "2023-09-20"},
        format="json")
    assert dup.status_code == 400 and "number" in dup.json()
    bad = api(w.user("principal1a")).post("/api/measurement-rounds/", {
        "number": 2, "name": "x", "start_date": "2023-12-10", "end_date": "2023-12-01", "deadline": "2023-12-20"},
        format="json")
    assert bad.status_code == 400 and "end_date" in bad.json()
    elsewhere = api(w.user("principal1a")).post("/api/measurement-rounds/", {
        "unit": w.units["D1"].pk, "number": 2, "name": "x", "start_date": "2023-12-01", "end_date": "2023-12-31",
        "deadline": "2023-12-20"}, format="json")
    assert elsewhere.status_code == 400 and "unit" in elsewhere.json()
    for user in ("teacher1a", "parent1a", "kitchen1a"):
        assert api(w.user(user)).post("/api/measurement-rounds/", {"number": 5}, format="json").status_code == 403
    # The province's round: the district may not change it; the province may.
    r1 = rounds[1].pk
    assert api(w.user("district1")).patch(f"/api/measurement-rounds/{r1}/", {"name": "x"},
                                          format="json").status_code == 403
    ok = api(w.user("province")).patch(f"/api/measurement-rounds/{r1}/", {"deadline": "2023-09-25"}, format="json")
    assert ok.status_code == 200 and MeasurementRound.objects.get(pk=r1).deadline == dt.date(2023, 9, 25)


# --- statistics ---------------------------------------------------------------------------------------------


def test_statistics_for_offices_and_schools(measured):
    w = measured.world
    data = api(w.user("district1")).get("/api/growth-statistics/", {"round": 2, "school_year": "2023-2024"}).json()
    assert data["unit"] == w.units["D1"].pk and data["by"] == "unit"
    assert {r["name"] for r in data["rows"]} == {w.units["S1a"].name, w.units["S1b"].name}
    t = data["total"]
    # Round 2 in D1: K1 of the 5 enrolled measured (20%), not underweight any more (0 of 1); round 1: 5 of 5,
    # underweight K1 (1 of 5 = 20%), overweight K3 (20%).
    assert (t["values"]["measured"], t["values"]["enrolled"], t["values"]["underweight"]) == (1, 5, 0)
    assert t["shares"]["measured"] == 20.0 and t["change"]["measured"] == -80.0
    assert t["shares"]["underweight"] == 0.0 and t["change"]["underweight"] == -20.0
    assert t["values"]["stunting"] == 1 and t["change"]["stunting"] == 80.0  # 1 of 1 against 1 of 5
    r1 = api(w.user("district1")).get("/api/growth-statistics/", {"round": 1}).json()["total"]
    assert r1["values"]["overweight"] == 1 and r1["shares"]["overweight"] == 20.0 and r1["change"]["overweight"] == 0
    school = api(w.user("principal1a")).get("/api/growth-statistics/", {"round": 1}).json()
    assert school["by"] == "group" and school["unit"] == w.units["S1a"].pk
    by = {r["name"]: r for r in school["rows"]}
    assert by[w.marker("group-G1")]["values"]["measured"] == 3 and by[w.marker("group-G2")]["values"]["enrolled"] == 1
    province = api(w.user("province")).get("/api/growth-statistics/", {"round": 1}).json()
    assert province["total"]["values"]["measured"] == 5 and province["total"]["values"]["enrolled"] == 6


def test_statistics_scope_and_bad_parameters(measured):
    w = measured.world
    for user, params in (("teacher1a", {}), ("parent1a", {}), ("kitchen1a", {}), ("district2", {"unit": w.units[
            "D1"].pk}), ("principal1a", {"unit": w.units["S1b"].pk}), ("principal1b", {"unit": w.units["D1"].pk})):
        assert api(w.user(user)).get("/api/growth-statistics/", params).status_code == 404, user
    for params, field in (({"round": "7"}, "round"), ({"school_year": "1999-2000"}, "school_year"),
                          ({"unit": "abc"}, "unit")):
        response = api(w.user("district1")).get("/api/growth-statistics/", params)
        assert response.status_code == 400 and field in response.json()


def test_schema_lists_the_endpoints(measured):
    doc = yaml.safe_load(api(measured.world.user("district1")).get("/api/schema/").content)
    for path in ("/api/measurements/", "/api/measurements/{id}/", "/api/measurements/batch/",
                 "/api/measurement-rounds/", "/api/measurement-rounds/{id}/", "/api/growth-statistics/"):
        assert path in doc["paths"], path
    assert "statuses" in doc["components"]["schemas"]["Measurement"]["properties"]
