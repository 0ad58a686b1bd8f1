"""Schemathesis over every operation of the OpenAPI schema the app serves (``/api/schema/``).

Each operation is called in process through the Django WSGI application (no server), with a token
obtained from ``/api/token/``, as a principal and a teacher (every method) and as a parent (reads). A 5xx
answer is a bug (``not_a_server_error``); answers with a documented status must match their schema
(``response_schema_conformance``, ``content_type_conformance``).

Cost: generation is derandomised and small (four fuzzed cases per operation and role, positive and negative
modes), so the run is the same every time. Schemathesis' coverage phase is off: it builds about 28,000
boundary cases for this schema (some 65 per operation and role), minutes of requests and 40 s of collection
alone. A deeper run is one environment variable away (below). The world (units, schools, a classroom
of children) is built once per module inside an outer transaction that is rolled back at the end; every
request runs in a savepoint that is rolled back after it, so no write of one case leaks into the next.

Path identifiers: random integers would only ever reach 404. Half of the cases of an operation with an
``{id}``-like path parameter are sent to an object the caller can see (taken from the list endpoint of
the same resource, as that caller), so validation code behind ``PUT``/``PATCH``/actions is reached too.
"""

from __future__ import annotations

import itertools
import os
import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.conftest import PASSWORD, build_classroom, build_world, load_reference_data

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# A deeper local run: MAMNON_FUZZ_EXAMPLES=50 MAMNON_FUZZ_SEED=7 pytest tests/api/test_schemathesis.py
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": int(os.environ.get("MAMNON_FUZZ_SEED", "20240516")),
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": int(os.environ.get("MAMNON_FUZZ_EXAMPLES", "4")),
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": False}},
    }
)

# Loaded at collection: serving the schema reads no database (pytest-django would refuse it here).
APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP, config=CONFIG)

ROLES = ("principal1a", "teacher1a", "parent1a")

# Each case also runs inside pytest-django's per-test transaction (and this marker makes it create the
# test database at all).
pytestmark = pytest.mark.django_db


class Fuzzing:
    """Tokens and the identifiers each caller can see, for the module's world."""

    def __init__(self, tokens: dict[str, str], known: dict[str, dict[str, list]]):
        self.tokens = tokens
        self.known = known  # role -> list path ('/api/children/') -> identifiers seen there
        self.counter = itertools.count()


def _list_path(path: str) -> tuple[str, str] | None:
    """'/api/children/{id}/' -> ('/api/children/', 'id'); None when the path has no parameter."""
    if "{" not in path:
        return None
    head, rest = path.split("{", 1)
    return head, rest.split("}", 1)[0]


def _rows(data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    return data if isinstance(data, list) else []


@pytest.fixture(scope="module")
def fuzzing(django_db_setup, django_db_blocker):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp, transaction.atomic():
        for name, value in (("time_cost", 1), ("memory_cost", 64), ("parallelism", 1)):
            mp.setattr(Argon2PasswordHasher, name, value)
        load_reference_data()
        world = build_world()
        build_classroom(world)
        tokens, known = {}, {}
        for role in ROLES:
            response = APIClient().post("/api/token/", {"username": world.users[role].username,
                                                        "password": PASSWORD}, format="json")
            assert response.status_code == 200, response.content
            tokens[role] = response.json()["token"]
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[role]}")
            known[role] = {}
            for operation in SCHEMA.get_all_operations():
                path = operation.ok().path
                split = _list_path(path)
                if split is None or split[0] in known[role]:
                    continue
                listing = client.get(split[0], format="json")
                rows = _rows(listing.json()) if listing.status_code == 200 else []
                known[role][split[0]] = [r.get(split[1], r.get("id")) for r in rows if isinstance(r, dict)]
        # The app's own requests below run through the real WSGI handler, which would close the test's
        # connection at each request's start and end (Django's test client disconnects these too).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield Fuzzing(tokens, known)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            transaction.set_rollback(True)


def _call(fuzzing: Fuzzing, role: str, case) -> None:
    label = f"{case.method.upper()} {case.operation.path}"
    split = _list_path(case.operation.path)
    if split is not None and case.path_parameters and next(fuzzing.counter) % 2 == 0:
        seen = fuzzing.known[role].get(split[0]) or []
        if seen:
            case.path_parameters = {**case.path_parameters, split[1]: seen[next(fuzzing.counter) % len(seen)]}
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    got_request_exception.connect(record)
    try:
        with transaction.atomic():
            response = case.call(headers={"Authorization": f"Token {fuzzing.tokens[role]}"})
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(record)
    assert response.status_code < 500, (
        f"{label} as {role} -> {response.status_code}\n{case.as_curl_command()}\n" + "\n".join(errors)
    )
    case.validate_response(response, checks=CHECKS)


CHECKED = SCHEMA


@CHECKED.parametrize()
def test_principal(fuzzing, case):
    _call(fuzzing, "principal1a", case)


@CHECKED.parametrize()
def test_teacher(fuzzing, case):
    _call(fuzzing, "teacher1a", case)


@CHECKED.include(method="GET").parametrize()
def test_parent_reads(fuzzing, case):
    _call(fuzzing, "parent1a", case)
