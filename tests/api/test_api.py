"""The REST API: its OpenAPI schema and docs, token login, scoping of every endpoint, read-only methods."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from mamnon.org.models import Membership
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import PASSWORD

READ_ONLY_ENDPOINTS = ["units", "schools", "staff", "memberships", "school-years", "users"]


def token_for(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_as(world, key: str) -> APIClient:
    """A client authenticated with a token obtained through /api/token/ (not with a session)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.users[key].username)}")
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def codes(rows) -> set[str]:
    return {r["code"] for r in rows}


# --- schema and docs ---------------------------------------------------------------------------------


def test_schema_is_a_valid_openapi_3_document(db, client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    doc = yaml.safe_load(response.content)
    assert str(doc["openapi"]).startswith("3.")
    for path in ("/api/token/", "/api/units/", "/api/units/{id}/", "/api/schools/", "/api/staff/",
                 "/api/memberships/", "/api/users/", "/api/school-years/"):
        assert path in doc["paths"], f"{path} missing from the schema"
    assert {"tokenAuth", "cookieAuth"} <= set(doc["components"]["securitySchemes"])
    validate_schema(doc)  # raises on an invalid OpenAPI document
    as_json = client.get("/api/schema/", {"format": "json"})
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["openapi"] == doc["openapi"]


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    # --fail-on-warn turns any drf-spectacular warning (an unresolvable serializer field, a path
    # parameter without a type...) into an error; --validate checks the result against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert str(yaml.safe_load(out.read_text())["openapi"]).startswith("3.")


def test_docs_render_with_local_assets_only(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"' >]+)""", html)
    assert not external, f"the docs load assets from the network: {external}"
    assert not re.search(r"https?://[^\s\"'<>]*cdn", html, re.I), "the docs reference a CDN"
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    static_assets = [a for a in assets if a.startswith("/" + django_settings.STATIC_URL.strip("/") + "/")]
    assert static_assets, "the docs page links no static assets at all"
    for asset in static_assets:
        relative = asset.split("/", 2)[2].split("?")[0]
        assert finders.find(relative), f"{asset} is not among the static files"


# --- token login -------------------------------------------------------------------------------------


def test_token_login_gives_exactly_the_scope(world):
    client = api_as(world, "district1")
    rows = results(client.get("/api/units/"))
    assert codes(rows) == {"D1", "C1", "S1a", "S1b"}
    assert {r["name"] for r in rows} == {"ZZ-D1", "ZZ-C1", "ZZ-S1a", "ZZ-S1b"}
    # The token is the only credential: no session cookie was set by the token login.
    assert "sessionid" not in client.cookies


@pytest.mark.parametrize("typed", ["0912345678", "+84 912 345 678", "84912345678", "0912.345.678"])
def test_token_login_by_mobile_number(world, typed):
    user = world.users["district1"]
    user.phone = "0912345678"
    user.save()
    token = token_for(typed)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = results(client.get("/api/users/", {"username": "district1"}))
    assert [u["username"] for u in me] == ["district1"]
    assert codes(results(client.get("/api/units/"))) == {"D1", "C1", "S1a", "S1b"}


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "district1", "password": "wrong-password"},
        {"username": "no-such-user", "password": PASSWORD},
        {"username": "", "password": ""},
        {"username": "district1"},
        {},
        {"username": "0999999999", "password": PASSWORD},
        {"username": "x\x00y", "password": "p\x00"},
        {"username": ["district1"], "password": {"a": 1}},
    ],
)
def test_token_login_refuses_bad_credentials(world, payload):
    response = APIClient().post("/api/token/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body and "token" not in body
    assert set(body) & {"non_field_errors", "username", "password"}


def test_token_login_locks_out_after_repeated_failures(world):
    client = APIClient()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post("/api/token/", {"username": "district1", "password": "wrong"}, format="json")
        assert response.status_code in (400, 403, 429)
    # Even the right password is refused now. (DRF hands django-axes its own Request, so the refusal is
    # the serializer's 400 "unable to log in", not axes' 429 page; what matters is that no token is issued.)
    response = client.post("/api/token/", {"username": "district1", "password": PASSWORD}, format="json")
    assert response.status_code in (400, 403, 429), response.status_code
    assert "token" not in response.json(), "a locked-out account still received a token"
    # Another account from the same address is not locked.
    assert token_for("district2")


def test_get_on_token_endpoint_is_not_allowed(db):
    assert APIClient().get("/api/token/").status_code == 405


# --- scoping of each endpoint ------------------------------------------------------------------------


def test_anonymous_is_refused(db):
    client = APIClient()
    for endpoint in READ_ONLY_ENDPOINTS:
        response = client.get(f"/api/{endpoint}/")
        assert response.status_code in (401, 403), endpoint
    assert client.get("/api/").status_code in (401, 403)


def test_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/units/").status_code in (401, 403)


def test_principal_sees_only_her_school_with_its_sites(world):
    rows = results(api_as(world, "principal1a").get("/api/schools/"))
    assert [r["code"] for r in rows] == ["S1a"]
    assert rows[0]["id"] == world.schools["S1a"].pk
    assert [s["name"] for s in rows[0]["sites"]] == ["ZZ-site-S1a"]


def test_parent_sees_no_staff(world):
    client = api_as(world, "parent1a")
    response = client.get("/api/staff/")
    assert results(response) == []
    assert response.json()["count"] == 0
    assert client.get(f"/api/staff/{world.staff['S1a'].pk}/").status_code == 404


def test_teacher_sees_only_her_own_membership(world):
    rows = results(api_as(world, "teacher1a").get("/api/memberships/"))
    teacher = world.users["teacher1a"]
    assert rows == [{"id": Membership.objects.get(user=teacher).pk, "user": teacher.pk,
                     "unit": world.units["S1a"].pk, "role": "teacher", "active": True}]


def test_principal_sees_the_accounts_of_her_school(world):
    usernames = {u["username"] for u in results(api_as(world, "principal1a").get("/api/users/"))}
    school_users = {k for k in world.users if k.endswith("1a")}
    assert usernames == school_users
    assert "principal2" not in usernames and "principal1b" not in usernames and "admin" not in usernames


def test_staff_endpoint_for_district_officer(world):
    rows = results(api_as(world, "district1").get("/api/staff/"))
    assert {r["full_name"] for r in rows} == {"ZZ-staff-S1a", "ZZ-staff-S1b"}


def test_out_of_scope_details_are_404(world):
    client = api_as(world, "principal2")
    p1a = world.users["principal1a"]
    for url in (
        f"/api/units/{world.units['S1a'].pk}/",
        f"/api/units/{world.units['D2'].pk}/",  # her school's parent: named, not reachable
        f"/api/schools/{world.schools['S1a'].pk}/",
        f"/api/staff/{world.staff['S1a'].pk}/",
        f"/api/memberships/{Membership.objects.get(user=p1a).pk}/",
        f"/api/users/{p1a.pk}/",
        "/api/units/987654/",
        "/api/units/not-a-number/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"ZZ-" not in response.content
    # ... and the same details are served inside the scope.
    assert client.get(f"/api/schools/{world.schools['S2'].pk}/").json()["name"] == "ZZ-S2"


def test_filtering_by_an_out_of_scope_unit_reveals_nothing(world):
    client = api_as(world, "principal2")
    for endpoint, field in (("units", "parent"), ("staff", "unit"), ("memberships", "unit")):
        response = client.get(f"/api/{endpoint}/", {field: world.units["D1"].pk})
        assert response.status_code in (200, 400)
        assert b"ZZ-D1" not in response.content and b"ZZ-S1" not in response.content
        if response.status_code == 200:
            assert results(response) == []


def test_browsable_api_filter_form_lists_only_the_scope(world):
    client = APIClient()
    client.force_authenticate(world.users["principal2"])
    for endpoint in ("units", "staff", "memberships"):
        response = client.get(f"/api/{endpoint}/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        html = response.content.decode()
        assert "ZZ-S2" in html or endpoint != "units"
        for marker in ("ZZ-P", "ZZ-D1", "ZZ-C1", "ZZ-S1a", "ZZ-S1b"):
            assert not re.search(re.escape(marker) + r"(?![\w-])", html), f"{marker} in /api/{endpoint}/"


@pytest.mark.parametrize("endpoint", READ_ONLY_ENDPOINTS)
def test_write_methods_are_not_allowed(world, endpoint):
    client = api_as(world, "principal1a")
    detail_pk = {
        "units": world.units["S1a"].pk, "schools": world.schools["S1a"].pk, "staff": world.staff["S1a"].pk,
        "memberships": Membership.objects.get(user=world.users["principal1a"]).pk,
        "school-years": 987654, "users": world.users["principal1a"].pk,
    }[endpoint]
    list_url, detail_url = f"/api/{endpoint}/", f"/api/{endpoint}/{detail_pk}/"
    calls = [
        ("post", list_url), ("put", list_url), ("patch", list_url), ("delete", list_url),
        ("post", detail_url), ("put", detail_url), ("patch", detail_url), ("delete", detail_url),
    ]
    for method, url in calls:
        response = getattr(client, method)(url, {"name": "ZZ-hacked", "code": "X"}, format="json")
        assert response.status_code == 405, f"{method.upper()} {url} -> {response.status_code}"
    # Nothing changed.
    assert results(client.get("/api/units/"))[0]["name"] == "ZZ-S1a"


# --- fuzzing the query parameters ---------------------------------------------------------------------

_param = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(["", "0", "-1", "1e3", "null", "[]", "%00", "' OR 1=1 --", "district", "school", "1.5"]),
)


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(level_code=_param, parent=_param, page=_param)
def test_fuzzed_unit_filters_never_fail(world, level_code, parent, page):
    client = APIClient()
    client.force_authenticate(world.users["district1"])
    response = client.get("/api/units/", {"level__code": level_code, "parent": parent, "page": page})
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 200:
        assert codes(results(response)) <= {"D1", "C1", "S1a", "S1b"}
    for marker in (b"ZZ-P", b"ZZ-D2", b"ZZ-C2", b"ZZ-S2"):
        assert not re.search(re.escape(marker) + rb"(?![\w-])", response.content)
