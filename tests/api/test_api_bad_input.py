"""Bad input the fuzzing (tests/api/test_schemathesis.py) found: each answers 4xx naming the field, not 500."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)

HUGE = "971541815898447675392"  # over 2**63: SQLite cannot bind it, and a school's key is a foreign key


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/health-checks/", {"school": HUGE}, "school"),  # a school filter (ModelChoiceFilter)
    ("/api/programme-registrations/", {"unit": "-1.1083883605216302e+188"}, "unit"),  # a number filter
    ("/api/staff/", {"unit": f"1,{HUGE}"}, "unit"),
])
def test_a_filter_refuses_a_number_out_of_the_integer_range(world, path, params, field):
    response = client_for(world.user("principal1a")).get(path, params)
    assert response.status_code == 400, response.content
    assert response.json() == {field: [f"{field}: số quá lớn."]}


def test_a_filter_still_takes_ordinary_numbers(world):
    client = client_for(world.user("principal1a"))
    assert client.get("/api/staff/", {"unit": world.units["S1a"].pk}).status_code == 200
    assert client.get("/api/staff/", {"unit": "not-a-number"}).status_code == 400


@pytest.mark.parametrize("path", [f"/api/schools/{HUGE}/", "/api/schools/-1/", "/api/schools/1e3/"])
def test_a_school_detail_out_of_range_is_404(world, path):
    assert client_for(world.user("principal1a")).get(path).status_code == 404


def test_a_school_detail_in_range_is_served(world):
    school = world.schools["S1a"]
    response = client_for(world.user("principal1a")).get(f"/api/schools/{school.pk}/")
    assert response.status_code == 200 and response.json()["code"] == "S1a"
