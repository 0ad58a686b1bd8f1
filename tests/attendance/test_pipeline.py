"""The register's save in psycopg's pipeline mode (PostgreSQL, outside a caller's transaction), and the check of
persistent connections that replaced CONN_HEALTH_CHECKS' ``SELECT 1``.

Transactional tests: the pipeline path is taken only when no transaction is open, which the usual test
transaction would prevent. Only on PostgreSQL (elsewhere the save runs in ``transaction.atomic`` as before).
"""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import time

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection

from mamnon.attendance import services
from mamnon.attendance.models import Attendance, DayCount, GroupDay
from mamnon.attendance.services import Mark
from tests.attendance.test_attendance_api import DAY, api, kid
from tests.attendance.test_attendance_fixtures import MONDAY, add_children, clock  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pipeline mode is PostgreSQL's"),
]


def history(group):
    return sorted(Attendance.history.filter(group_id=group.pk, date=MONDAY).values_list("child_id", "history_type",
                                                                                        "status"))


def test_the_save_takes_the_pipeline_path_and_writes_rows_audit_and_counts(classroom, clock, monkeypatch):
    g1 = classroom.groups["G1"]
    teacher = classroom.world.user("teacher1a")
    taken = []
    real = services._pipelined
    monkeypatch.setattr(services, "_pipelined", lambda conn: taken.append(real(conn)) or taken[-1])
    k1, k2, k3 = (kid(classroom, k) for k in ("K1", "K2", "K3"))

    result = services.attendance_save(actor=teacher, group_id=g1.pk, day=MONDAY,
                                      marks=[Mark(k2, "sick", "Sốt"), Mark(k3, "late")])
    assert taken == [True]
    assert (result.created, result.updated, result.unchanged, result.present, result.absent) == (3, 0, 0, 2, 1)
    assert dict(Attendance.objects.filter(group=g1, date=MONDAY).values_list("child_id", "status")) == {
        k1: "present", k2: "sick", k3: "late"}
    assert history(g1) == sorted([(k1, "+", "present"), (k2, "+", "sick"), (k3, "+", "late")])
    assert GroupDay.objects.get(group=g1, date=MONDAY).saved_by == teacher
    assert GroupDay.history.filter(group_id=g1.pk, date=MONDAY).count() == 1
    count = DayCount.objects.get(group=g1, date=MONDAY)
    assert (count.present, count.registered) == (2, 3)
    assert connection.get_autocommit() and not connection.in_atomic_block  # left as Django expects

    # a second save through the API: one row changed, one audit row more, the counts follow
    response = api(classroom.world, "teacher1a").post(DAY, {"group": g1.pk, "date": MONDAY.isoformat(), "marks": [
        {"child": k2, "status": "sick", "note": "Sốt"}, {"child": k3, "status": "unexcused"}]}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["updated"], response.json()["unchanged"]) == (1, 2)
    assert history(g1) == sorted([(k1, "+", "present"), (k2, "+", "sick"), (k3, "+", "late"),
                                  (k3, "~", "unexcused")])
    count.refresh_from_db()
    assert (count.present, count.registered) == (1, 3)


def test_a_failing_write_leaves_nothing_behind(classroom, clock, monkeypatch):
    """The writes and the counts are one implicit transaction: a statement failing after the rows were written
    (here the counts, made to divide by zero) takes the rows, the audit and the day row back with it."""
    g1 = classroom.groups["G1"]
    real_counts = services.day_counts_refresh

    def failing_counts(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / (SELECT count(*) - count(*) FROM attendance_attendance)")

    monkeypatch.setattr(services, "day_counts_refresh", failing_counts)
    with pytest.raises(DataError):
        services.attendance_save(actor=classroom.world.user("teacher1a"), group_id=g1.pk, day=MONDAY,
                                 marks=[Mark(kid(classroom, "K2"), "sick")])
    assert not Attendance.objects.filter(group=g1).exists()
    assert not Attendance.history.filter(group_id=g1.pk).exists()
    assert not GroupDay.objects.filter(group=g1).exists() and not GroupDay.history.filter(group_id=g1.pk).exists()
    assert not DayCount.objects.filter(group=g1).exists()
    monkeypatch.setattr(services, "day_counts_refresh", real_counts)
    services.attendance_save(actor=classroom.world.user("teacher1a"), group_id=g1.pk, day=MONDAY, marks=[])
    assert Attendance.objects.filter(group=g1).count() == 3  # the connection is usable afterwards


def test_refusals_in_the_pipeline_write_nothing_and_answer_as_before(classroom, clock):
    g1 = classroom.groups["G1"]
    clock.at(MONDAY, 18)  # after the lock hour
    with pytest.raises(ValidationError) as exc:
        services.attendance_save(actor=classroom.world.user("teacher1a"), group_id=g1.pk, day=MONDAY, marks=[])
    assert "locked" in str(exc.value)
    clock.at(MONDAY, 9)
    outsider = api(classroom.world, "teacher1a")
    other = classroom.groups["G3"]  # another school's group: not found for this teacher
    assert outsider.post(DAY, {"group": other.pk, "date": MONDAY.isoformat()}, format="json").status_code == 404
    bad = outsider.post(DAY, {"group": g1.pk, "date": MONDAY.isoformat(),
                              "marks": [{"child": kid(classroom, "K2"), "status": "sick"},
                                        {"child": kid(classroom, "K2"), "status": "late"}]}, format="json")
    assert bad.status_code == 400 and "marked twice" in str(bad.json())
    assert not Attendance.objects.exists() and not GroupDay.objects.exists() and not DayCount.objects.exists()
    ok = outsider.post(DAY, {"group": g1.pk, "date": MONDAY.isoformat()}, format="json")
    assert ok.status_code == 200 and ok.json()["created"] == 3


def test_a_save_of_35_children_sends_the_same_statements(classroom, clock, django_assert_num_queries):
    """The pipeline changes how the statements travel, not which: context, children, the actor's grants (read
    once; the token authentication primes them on the API), the writes, the counts."""
    g1 = classroom.groups["G1"]
    add_children(g1, 32)
    teacher = classroom.world.user("teacher1a")
    with django_assert_num_queries(5):
        result = services.attendance_save(actor=teacher, group_id=g1.pk, day=MONDAY, marks=[])
    assert result.created == 35
    with django_assert_num_queries(3):  # nothing changed: no write, no recount (the grants read again)
        assert services.attendance_save(actor=teacher, group_id=g1.pk, day=MONDAY, marks=[]).unchanged == 35


def test_a_connection_the_server_closed_is_replaced_before_the_request(classroom, clock, monkeypatch):
    """A persistent connection terminated by the server (as on a restart) costs no failed request."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    client = api(classroom.world, "teacher1a")
    g1 = classroom.groups["G1"]
    body = {"group": g1.pk, "date": MONDAY.isoformat()}
    assert client.post(DAY, body, format="json").status_code == 200
    pid = connection.connection.info.backend_pid  # kept open after the request
    with psycopg.connect(_dsn(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # the backend's exit is asynchronous
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
            time.sleep(0.02)
    response = client.post(DAY, body, format="json")
    assert response.status_code == 200, response.content
    assert connection.connection.info.backend_pid != pid
    # an open, healthy connection is kept from one request to the next
    pid = connection.connection.info.backend_pid
    assert client.post(DAY, body, format="json").status_code == 200
    assert connection.connection.info.backend_pid == pid
    connection.close()


def _dsn() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(dbname="postgres", user=s["USER"], password=s["PASSWORD"] or None,
                                          host=s["HOST"] or None, port=s["PORT"] or None)
