"""Staff API: what the schema fuzzing found (tests/api/test_schemathesis.py)."""

import pytest

from tests.api.test_api_bad_input import HUGE, client_for, schema


def test_a_record_out_of_the_integer_range_is_404(world, scenario):
    client = client_for(world.user("principal1a"))
    assert client.put(f"/api/staff-records/{HUGE}/", {"full_name": "X", "position": "teacher"},
                      format="json").status_code == 404
    assert client.get(f"/api/staff-records/{HUGE}/").status_code == 404
    assert client.get(f"/api/staff-records/{scenario.staff['T1'].pk}/").status_code == 200


def test_a_record_with_a_school_out_of_the_integer_range_is_a_field_error(world, scenario):
    response = client_for(world.user("principal1a")).post(
        "/api/staff-records/", {"school": int(HUGE), "full_name": "Vũ Thị Hà", "position": "teacher"},
        format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["school"]


@pytest.mark.parametrize("unit", ["²", "١٢x", "abc"])
def test_norms_refuse_a_unit_that_is_not_a_number(world, scenario, unit):
    # "²".isdigit() is true but int("²") fails: this was a 500.
    response = client_for(world.user("district1")).get("/api/staff-norms/", {"unit": unit})
    assert response.status_code == 400, response.content
    assert response.json() == {"unit": ["Không có đơn vị này."]}


def test_norms_schema_is_one_object(world, scenario):
    doc = schema(client_for(world.user("district1")))
    answer = doc["paths"]["/api/staff-norms/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/StaffNorms"}
    data = client_for(world.user("district1")).get("/api/staff-norms/").json()
    assert set(data) == set(doc["components"]["schemas"]["StaffNorms"]["properties"])


def test_a_training_level_is_documented_and_answered_as_a_number(world, scenario):
    client = client_for(world.user("principal1a"))
    doc = schema(client)
    assert doc["components"]["schemas"]["StaffRecord"]["properties"]["training_level"]["type"] == "integer"
    assert doc["components"]["schemas"]["StaffRecordWriteRequest"]["properties"]["training_level"]["type"] == \
        "integer"
    row = client.get(f"/api/staff-records/{scenario.staff['T1'].pk}/").json()
    assert isinstance(row["training_level"], int)
    # Other choice fields stay strings.
    assert doc["components"]["schemas"]["StaffRecord"]["properties"]["sex"]["type"] == "string"
