"""The API's token authentication (mamnon.core.auth.TokenAuthentication): token, user and grants in one query,
with DRF's rules, and nothing kept between requests (a revoked token, account or membership counts at once)."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation
from rest_framework import authentication as drf_authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from mamnon.attendance import api as attendance_api
from mamnon.attendance.models import DayCount, GroupDay
from mamnon.children.models import Enrolment
from mamnon.core import scoping
from mamnon.core.auth import TokenAuthentication
from mamnon.core.roles import Role
from mamnon.org.models import Membership
from tests.attendance.test_attendance_api import DAY, api, kid
from tests.attendance.test_attendance_fixtures import MONDAY, add_children, clock  # noqa: F401


@pytest.mark.parametrize("key", ["admin", "nobody", "province", "principal1a", "teacher1a", "parent1a"])
def test_user_and_grants_are_those_of_the_orm(world, key, django_assert_num_queries):
    user = world.user(key)
    if key == "teacher1a":  # two grants, and an inactive one that must not count
        Membership.objects.create(user=user, unit=world.units["S1b"], role=Role.TEACHER)
        Membership.objects.create(user=user, unit=world.units["S2"], role=Role.TEACHER, active=False)
    token = Token.objects.create(user=user)
    with django_assert_num_queries(1):
        found, auth = TokenAuthentication().authenticate_credentials(token.key)
        grants = scoping.grants(found)  # primed: no second query
    fresh = get_user_model().objects.get(pk=user.pk)
    assert [(f.attname, getattr(found, f.attname)) for f in fresh._meta.concrete_fields] == [
        (f.attname, getattr(fresh, f.attname)) for f in fresh._meta.concrete_fields]
    assert grants == scoping.grants(fresh)
    assert len(grants) == {"admin": 0, "nobody": 0, "teacher1a": 2}.get(key, 1)
    assert (auth.key, auth.user_id, auth.created) == (token.key, user.pk, token.created)


def test_a_user_without_memberships_authenticates_with_no_grants(world):
    user = world.user("teacher1a")
    Membership.objects.filter(user=user).update(active=False)
    found, _token = TokenAuthentication().authenticate_credentials(Token.objects.create(user=user).key)
    assert found.pk == user.pk and scoping.grants(found) == ()


def _refusal(auth_class, key) -> str:
    with pytest.raises(AuthenticationFailed) as refused:
        auth_class().authenticate_credentials(key)
    return str(refused.value.detail)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_unknown_token_and_inactive_user_are_refused_as_drf_does(world, language):
    with translation.override(language):
        assert _refusal(TokenAuthentication, "0" * 40) == _refusal(drf_authentication.TokenAuthentication, "0" * 40)
        user = world.user("teacher1a")
        token = Token.objects.create(user=user)
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
        refusal = _refusal(TokenAuthentication, token.key)
        assert refusal == _refusal(drf_authentication.TokenAuthentication, token.key)
    if language == "vi":
        assert refusal == "Người dùng không còn hoạt động, hoặc đã bị xoá."  # DRF's catalogue


def test_revocations_count_on_the_next_request(classroom, clock):
    """No cache: a membership removed, an account deactivated or a token deleted between two requests."""
    g1 = classroom.groups["G1"]
    payload = {"group": g1.pk, "date": MONDAY.isoformat(), "marks": []}
    client = api(classroom.world, "teacher1a")
    assert client.post(DAY, payload, format="json").status_code == 200
    teacher = classroom.world.user("teacher1a")
    Membership.objects.filter(user=teacher).update(active=False)
    assert client.post(DAY, payload, format="json").status_code == 404  # no longer reaches the group
    Membership.objects.filter(user=teacher).update(active=True)
    assert client.post(DAY, payload, format="json").status_code == 200
    # refused: 403, as DRF answers when the first authentication class (the session's) sends no challenge
    get_user_model().objects.filter(pk=teacher.pk).update(is_active=False)
    assert client.post(DAY, payload, format="json").status_code == 403
    get_user_model().objects.filter(pk=teacher.pk).update(is_active=True)
    Token.objects.filter(user=teacher).delete()
    assert client.post(DAY, payload, format="json").status_code == 403
    assert APIClient().post(DAY, payload, format="json").status_code == 403
    assert GroupDay.history.filter(group_id=g1.pk).count() == 2  # only the two saves let through


# --- the register's hand-checked request body agrees with the serializer --------------------------------


@pytest.mark.parametrize("payload", [
    {"group": 7, "date": "2024-03-04"},
    {"group": 7, "date": "2024-03-04", "marks": []},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": 3}, {"child": 4, "status": "sick", "note": "Sốt"}]},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": 3, "status": "late", "note": ""}], "extra": 1},
    {"group": "7", "date": "2024-03-04"},
    {"group": True, "date": "2024-03-04"},
    {"group": 0, "date": "2024-03-04"},
    {"group": -3, "date": "2024-03-04"},
    {"group": 7.0, "date": "2024-03-04"},
    {"group": 7, "date": "2024-02-30"},
    {"group": 7, "date": "2024-3-4"},
    {"group": 7, "date": "04/03/2024"},
    {"group": 7, "date": "2024-03-04T08:00"},
    {"group": 7, "date": 20240304},
    {"group": 7},
    {"date": "2024-03-04"},
    {"group": 7, "date": "2024-03-04", "marks": "everyone"},
    {"group": 7, "date": "2024-03-04", "marks": None},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": 3, "status": "gone"}]},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": "3"}]},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": 3, "note": "x" * 201}]},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": 3, "note": None}]},
    {"group": 7, "date": "2024-03-04", "marks": [3]},
    {"group": 7, "date": "2024-03-04", "marks": [{"child": c} for c in range(1, 202)]},
    [{"group": 7}],
    "group=7",
])
def test_plain_check_gives_the_serializers_outcome(payload):
    plain = attendance_api._plain_day_request(payload, attendance_api._MARKS)
    serializer = attendance_api.GroupDaySerializer(data=payload)
    if plain is None:  # the request then goes through the serializer, whatever it says
        return
    assert serializer.is_valid(), serializer.errors
    v = serializer.validated_data
    assert plain == (v["group"], v["date"], v["marks"])


def test_the_plain_path_accepts_the_common_request(classroom, clock):
    body = {"group": classroom.groups["G1"].pk, "date": MONDAY.isoformat(),
            "marks": [{"child": kid(classroom, "K2"), "status": "sick"}]}
    assert attendance_api._plain_day_request(body, attendance_api._MARKS) is not None


def test_a_token_save_of_35_children_runs_a_fixed_number_of_queries(classroom, clock, django_assert_num_queries):
    g1 = classroom.groups["G1"]
    add_children(g1, 32)  # 35 children
    client = api(classroom.world, "teacher1a")
    children = list(Enrolment.objects.filter(group=g1).values_list("child_id", flat=True))
    assert len(children) == 35
    # the token with its user and grants, savepoint (the save's transaction), the register's context, its
    # children, the group day and the rows with their history (one statement on PostgreSQL, four on
    # SQLite), the day's counts, release
    writes = 1 if connection.vendor == "postgresql" else 4
    for n_sick in (5, 6):  # a first save (35 rows created) and a second one (one row changed)
        payload = {"group": g1.pk, "date": MONDAY.isoformat(),
                   "marks": [{"child": c, "status": "sick"} for c in children[:n_sick]]}
        with django_assert_num_queries(6 + writes):
            response = client.post(DAY, payload, format="json")
        assert response.status_code == 200, response.content
    assert response.json()["updated"] == 1 and response.json()["unchanged"] == 34
    assert DayCount.objects.get(group=g1, date=MONDAY).present == 29
