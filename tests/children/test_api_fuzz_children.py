"""Children API: what the schema fuzzing found (tests/api/test_schemathesis.py)."""

from rest_framework.test import APIClient

from tests.api.test_api_bad_input import HUGE, schema


def test_the_schema_lets_support_be_absent(classroom):
    client = APIClient()
    client.force_authenticate(classroom.world.user("principal1a"))
    child = schema(client)["components"]["schemas"]["Child"]
    assert "support" in child["properties"] and "support" not in child["required"]
    assert {"id", "full_name", "birth_date"} <= set(child["required"])
    # ... and it is absent for a teacher on a child without support data (K2), present on K1's.
    teacher = APIClient()
    teacher.force_authenticate(classroom.world.user("teacher1a"))
    assert "support" not in teacher.get(f"/api/children/{classroom.children['K2'].pk}/").json()
    assert "support" in client.get(f"/api/children/{classroom.children['K1'].pk}/").json()


def test_a_school_out_of_the_integer_range_is_a_field_error(classroom):
    client = APIClient()
    client.force_authenticate(classroom.world.user("principal1a"))
    response = client.post("/api/children/", {"school": int(HUGE), "full_name": "Nguyễn Văn An",
                                              "birth_date": "01/02/2020", "sex": "M"}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["school"]
    assert "9223372036854775807" in response.json()["school"][0]
