"""Facilities API: what the schema fuzzing found (tests/api/test_schemathesis.py)."""

from tests.api.test_api_bad_input import HUGE, client_for


def test_a_profile_out_of_the_integer_range_is_404(facilities):
    client = client_for(facilities.classroom.world.user("principal1a"))
    assert client.get(f"/api/facility-profiles/{HUGE}/").status_code == 404


def test_a_room_with_a_school_out_of_the_integer_range_is_a_field_error(facilities):
    client = client_for(facilities.classroom.world.user("principal1a"))
    response = client.post("/api/rooms/", {"school": int(HUGE), "name": "Phòng 1", "kind": "group_room"},
                           format="json")
    assert response.status_code == 400, response.content
    assert "school" in response.json()
