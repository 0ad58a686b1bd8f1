"""Health API: what the schema fuzzing found (tests/api/test_schemathesis.py)."""

import pytest

from tests.api.test_api_bad_input import client_for, schema


@pytest.mark.parametrize("unit", ["²", "³1", "-1"])
def test_statistics_refuse_a_unit_that_is_not_a_number(classroom, unit):
    # "²".isdigit() is true but int("²") fails: this was a 500.
    response = client_for(classroom.world.user("principal1a")).get("/api/growth-statistics/", {"unit": unit})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["unit"]


def test_statistics_schema_is_one_object(classroom):
    client = client_for(classroom.world.user("principal1a"))
    doc = schema(client)
    answer = doc["paths"]["/api/growth-statistics/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/Stats"}
    data = client.get("/api/growth-statistics/").json()
    assert data["by"] == "group" and data["unit"] == classroom.world.units["S1a"].pk
    assert set(data) == set(doc["components"]["schemas"]["Stats"]["properties"])
