"""API of health checks, illnesses and medicine: scoped reads, writes through the services, counts for offices."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.english import english  # noqa: F401  (autouse: English answers)
from tests.health.test_checks import records  # noqa: F401  (fixture)


def api(classroom, who):
    c = APIClient()
    c.force_authenticate(classroom.world.user(who))
    return c


@pytest.mark.parametrize("who,children", [
    ("principal1a", {"K1", "K4"}), ("health1a", {"K1", "K4"}), ("teacher1a", {"K1"}), ("parent1a", {"K1"}),
    ("principal1b", {"K5"}), ("kitchen1a", set()), ("district1", set()), ("province", set()),
    ("admin", {"K1", "K4", "K5"}),
])
@pytest.mark.parametrize("endpoint", ["health-checks", "health-illnesses", "health-medicine"])
def test_reads_are_scoped(classroom, records, who, children, endpoint):  # noqa: F811
    by_pk = {c.pk: k for k, c in classroom.children.items()}
    answer = api(classroom, who).get(f"/api/{endpoint}/")
    assert answer.status_code == 200
    rows = answer.json()["results"] if isinstance(answer.json(), dict) else answer.json()
    assert {by_pk[r["child"]] for r in rows} == children


def test_create_through_the_services(classroom):
    k1, k4 = classroom.children["K1"], classroom.children["K4"]
    health = api(classroom, "health1a")
    answer = health.post("/api/health-checks/", {"child": k1.pk, "date": "10/10/2023", "examiner": "BS",
                                                 "eyes": "cận thị"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["group"] == classroom.groups["G1"].pk
    answer = health.post("/api/health-checks/", {"child": k1.pk, "date": "2099-01-01", "examiner": "BS"},
                         format="json")
    assert answer.status_code == 400 and answer.json()["date"] == ["The date 01/01/2099 is in the future."]
    # A teacher may not enter examinations, and a child beyond her groups does not exist for her.
    teacher = api(classroom, "teacher1a")
    answer = teacher.post("/api/health-checks/", {"child": k1.pk, "date": "2023-10-11", "examiner": "BS"},
                          format="json")
    assert answer.status_code == 400 and "child" in answer.json()
    answer = teacher.post("/api/health-illnesses/", {"child": k1.pk, "noticed_at": "2023-10-11T09:00:00+07:00",
                                                     "symptoms": "sốt", "temperature": "38.2"}, format="json")
    assert answer.status_code == 201, answer.json()
    answer = teacher.post("/api/health-illnesses/", {"child": k4.pk, "noticed_at": "2023-10-11T09:00:00+07:00",
                                                     "symptoms": "sốt"}, format="json")
    assert answer.status_code == 400 and "child" in answer.json()
    answer = teacher.post("/api/health-medicine/", {"child": k1.pk, "given_at": "2023-10-11T11:00:00+07:00",
                                                    "medicine": "Oresol", "dose": "1 gói"}, format="json")
    assert answer.status_code == 400 and list(answer.json()) == ["note"]
    assert api(classroom, "parent1a").post("/api/health-illnesses/", {}, format="json").status_code in (400, 403)


def test_counts_for_offices(classroom, records):  # noqa: F811
    rows = api(classroom, "district1").get("/api/health-check-counts/").json()
    assert {r["school_name"]: (r["examined"], r["illnesses"], r["doses"]) for r in rows} == {
        "ZZ-S1a": (2, 2, 2), "ZZ-S1b": (1, 1, 1)}
    assert api(classroom, "district2").get("/api/health-check-counts/").json()[0]["examined"] == 0
    assert api(classroom, "teacher1a").get("/api/health-check-counts/").json() == []


def test_schema_lists_the_endpoints(classroom):
    schema = api(classroom, "admin").get("/api/schema/").content.decode()
    for path in ("/api/health-checks/", "/api/health-illnesses/", "/api/health-medicine/",
                 "/api/health-check-counts/"):
        assert path in schema
