"""A group's register: defaults, reasons, re-saving, concurrent saves, school days, locks, reopening,
who may take it, and a fixed number of queries for a 35-child group."""

# ruff: noqa: F811  (the shared fixtures are imported by name; pytest injects them as arguments)

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from mamnon.attendance import selectors, services
from mamnon.attendance.models import AbsenceRequest, Attendance, AttendanceStatus, CalendarDay, GroupDay
from mamnon.attendance.services import Mark
from mamnon.children.models import Enrolment, Group
from mamnon.core import scoping
from mamnon.core.models import Rule
from tests.attendance.test_attendance_fixtures import MONDAY, add_children, clock  # noqa: F401

P, L, E, U, S = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED,
                 AttendanceStatus.UNEXCUSED, AttendanceStatus.SICK)


def url(group, day=MONDAY):
    return f"{reverse('attendance:register', args=[group.pk])}?date={day.isoformat()}"


def post_url(group):
    return reverse("attendance:register", args=[group.pk])


def statuses(group, day=MONDAY) -> dict[str, str]:
    return {a.child.full_name.removeprefix("ZZ-child-"): a.status
            for a in Attendance.objects.filter(group=group, date=day).select_related("child")}


def save(user, group, marks=(), day=MONDAY):
    return services.attendance_save(actor=user, group_id=group.pk, day=day, marks=list(marks))


@pytest.fixture
def g1(classroom):
    return classroom.groups["G1"]


def kid(classroom, key):
    return classroom.children[key].pk


# --- saving --------------------------------------------------------------------------------------------


def test_everyone_is_present_by_default(classroom, g1, clock, client):
    client.force_login(classroom.world.user("teacher1a"))
    page = client.get(url(g1))
    assert page.status_code == 200
    body = page.content.decode()
    for key in ("K1", "K2", "K3"):
        assert f'name="status-{kid(classroom, key)}" value="present" checked' in body
    assert "ZZ-child-K4" not in body  # G2's child
    response = client.post(post_url(g1), {"date": MONDAY.isoformat()})
    assert response.status_code == 302
    assert statuses(g1) == {"K1": P, "K2": P, "K3": P}
    gd = GroupDay.objects.get(group=g1, date=MONDAY)
    assert gd.saved_by == classroom.world.user("teacher1a")
    history = Attendance.history.filter(group_id=g1.pk, date=MONDAY)
    assert history.count() == 3
    assert {h.history_type for h in history} == {"+"}
    assert {h.history_user_id for h in history} == {classroom.world.user("teacher1a").pk}
    assert GroupDay.history.filter(group_id=g1.pk).count() == 1


def test_absent_reasons_and_late_counts_as_present(classroom, g1, clock, client):
    client.force_login(classroom.world.user("teacher1a"))
    client.post(post_url(g1), {
        "date": MONDAY.isoformat(), f"status-{kid(classroom, 'K1')}": "late",
        f"status-{kid(classroom, 'K2')}": "excused", f"note-{kid(classroom, 'K2')}": "Về quê",
        f"status-{kid(classroom, 'K3')}": "present",
    })
    assert statuses(g1) == {"K1": L, "K2": E, "K3": P}
    assert Attendance.objects.get(child_id=kid(classroom, "K2"), date=MONDAY).note == "Về quê"
    result = save(classroom.world.user("teacher1a"), g1,
                  [Mark(kid(classroom, "K1"), L), Mark(kid(classroom, "K2"), U), Mark(kid(classroom, "K3"), S)])
    assert (result.present, result.absent) == (1, 2)  # late is present
    assert statuses(g1) == {"K1": L, "K2": U, "K3": S}


def test_resaving_updates_the_same_rows_and_only_the_changed_ones(classroom, g1, clock):
    teacher = classroom.world.user("teacher1a")
    save(teacher, g1, [Mark(kid(classroom, "K2"), E)])
    before = {a.child_id: (a.pk, a.recorded_at) for a in Attendance.objects.filter(group=g1)}
    clock.at(MONDAY, 9, 30)
    result = save(teacher, g1, [Mark(kid(classroom, "K2"), S)])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    after = {a.child_id: (a.pk, a.recorded_at) for a in Attendance.objects.filter(group=g1)}
    assert {c: pk for c, (pk, _t) in after.items()} == {c: pk for c, (pk, _t) in before.items()}
    assert after[kid(classroom, "K1")][1] == before[kid(classroom, "K1")][1]  # untouched: time kept
    assert after[kid(classroom, "K2")][1] > before[kid(classroom, "K2")][1]
    assert Attendance.objects.filter(date=MONDAY).count() == 3
    k2_history = Attendance.history.filter(child_id=kid(classroom, "K2")).order_by("history_date")
    assert [(h.history_type, h.status) for h in k2_history] == [("+", E), ("~", S)]


def test_two_teachers_saving_at_once_never_duplicate_rows(classroom, g1, clock, monkeypatch):
    """Both read the register before either writes: the second save upserts onto the first's rows."""
    teacher, principal = classroom.world.user("teacher1a"), classroom.world.user("principal1a")
    stale = selectors.register_rows(group=g1.pk, day=MONDAY)  # what both saw: nothing recorded yet
    save(teacher, g1, [Mark(kid(classroom, "K1"), S)])
    monkeypatch.setattr(selectors, "register_rows_result", lambda found: list(stale))
    result = save(principal, g1, [Mark(kid(classroom, "K1"), E), Mark(kid(classroom, "K2"), L)])
    assert result.created == 3  # it believed the rows were new ...
    assert Attendance.objects.filter(date=MONDAY).count() == 3  # ... and still no duplicate
    assert statuses(g1) == {"K1": E, "K2": L, "K3": P}
    assert GroupDay.objects.filter(group=g1, date=MONDAY).count() == 1
    assert GroupDay.objects.get(group=g1, date=MONDAY).saved_by == principal
    # The constraint itself refuses a second row for a child and day.
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(school=g1.school, group=g1, child_id=kid(classroom, "K1"), date=MONDAY)


def test_children_listed_are_those_enrolled_that_day(classroom, g1, clock, client):
    k3 = Enrolment.objects.get(child_id=kid(classroom, "K3"))
    k3.end_date = MONDAY - dt.timedelta(days=1)  # left on Sunday
    k3.save()
    late_comer = add_children(g1, 1, start=MONDAY + dt.timedelta(days=1), prefix="ZZ-child-late")[0]
    rows = selectors.register_rows(group=g1.pk, day=MONDAY)
    assert [r.full_name for r in rows] == ["ZZ-child-K1", "ZZ-child-K2"]
    save(classroom.world.user("teacher1a"), g1)
    assert set(statuses(g1)) == {"K1", "K2"}
    with pytest.raises(ValidationError) as exc:
        save(classroom.world.user("teacher1a"), g1, [Mark(late_comer.pk, S)])
    assert f"child #{late_comer.pk} is not enrolled" in str(exc.value)
    # Tuesday: the late comer is listed.
    assert len(selectors.register_rows(group=g1.pk, day=MONDAY + dt.timedelta(days=1))) == 3


def test_bad_marks_name_the_child_and_change_nothing(classroom, g1, clock, client):
    client.force_login(classroom.world.user("teacher1a"))
    response = client.post(post_url(g1), {"date": MONDAY.isoformat(), f"status-{kid(classroom, 'K2')}": "gone"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ZZ-child-K2: “gone” is not a status" in body
    assert not Attendance.objects.exists() and not GroupDay.objects.exists()
    response = client.post(post_url(g1), {"date": MONDAY.isoformat(), "status-abc": "present"})
    assert "does not name a child" in response.content.decode()
    response = client.post(post_url(g1), {"date": MONDAY.isoformat(), f"note-{kid(classroom, 'K1')}": "x" * 201,
                                          f"status-{kid(classroom, 'K1')}": "sick"})
    assert "ZZ-child-K1: the note is longer than 200 characters" in response.content.decode()
    assert not Attendance.objects.exists()


def test_parents_absence_request_is_the_default(classroom, g1, clock, client):
    AbsenceRequest.objects.create(school=g1.school, child_id=kid(classroom, "K2"), date_from=MONDAY,
                                  date_to=MONDAY + dt.timedelta(days=2), reason="Sốt", sick=True,
                                  requested_by=classroom.world.user("parent1a"))
    rows = {r.full_name: r for r in selectors.register_rows(group=g1.pk, day=MONDAY)}
    assert rows["ZZ-child-K2"].status == S and rows["ZZ-child-K2"].requested == S
    assert rows["ZZ-child-K1"].status == P
    client.force_login(classroom.world.user("teacher1a"))
    body = client.get(url(g1)).content.decode()
    assert f'name="status-{kid(classroom, "K2")}" value="sick" checked' in body


# --- school days ---------------------------------------------------------------------------------------


def test_only_school_days(classroom, g1, clock, client):
    teacher = classroom.world.user("teacher1a")
    saturday = MONDAY - dt.timedelta(days=2)
    clock.at(saturday, 8)
    with pytest.raises(ValidationError) as exc:
        save(teacher, g1, day=saturday)
    assert "02/03/2024 is not a school day" in str(exc.value)
    clock.at(MONDAY, 8)
    CalendarDay.objects.create(unit=classroom.world.units["P"], date=MONDAY, kind=CalendarDay.Kind.HOLIDAY)
    with pytest.raises(ValidationError):
        save(classroom.world.user("principal1a"), g1)
    client.force_login(teacher)
    body = client.get(url(g1)).content.decode()
    assert "Not a school day" in body and 'name="status-' not in body
    assert not Attendance.objects.exists()


def test_future_days_are_refused_for_everyone(classroom, g1, clock):
    with pytest.raises(ValidationError) as exc:
        save(classroom.world.user("principal1a"), g1, day=MONDAY + dt.timedelta(days=1))
    assert "has not come yet" in str(exc.value)


# --- locks and reopening -------------------------------------------------------------------------------


def test_lock_after_the_hour_for_teachers_not_principals(classroom, g1, clock, client):
    teacher, principal = classroom.world.user("teacher1a"), classroom.world.user("principal1a")
    clock.at(MONDAY, 16, 59)
    save(teacher, g1)
    clock.at(MONDAY, 17, 0)  # Rule attendance_lock_hour = 17 (Asia/Ho_Chi_Minh)
    with pytest.raises(ValidationError) as exc:
        save(teacher, g1, [Mark(kid(classroom, "K1"), S)])
    assert exc.value.message_dict["date"][0].startswith("The register locked at 17:00")
    assert statuses(g1)["K1"] == P
    client.force_login(teacher)
    body = client.get(url(g1)).content.decode()
    assert "The register locked at 17:00" in body and "Save the register" not in body
    save(principal, g1, [Mark(kid(classroom, "K1"), S)])  # not bound by the lock
    assert statuses(g1)["K1"] == S
    # Past days: locked for the teacher, open to the principal.
    clock.at(MONDAY + dt.timedelta(days=1), 7)
    with pytest.raises(ValidationError) as exc:
        save(teacher, g1)
    assert "is locked" in exc.value.message_dict["date"][0]
    save(classroom.world.user("vice1a"), g1, [Mark(kid(classroom, "K2"), E)])
    assert statuses(g1)["K2"] == E


def test_lock_hour_is_a_rule_a_school_can_change(classroom, g1, clock):
    Rule.objects.create(code="attendance_lock_hour", value="10.5", label="x", effective_from=dt.date(2020, 1, 1),
                        unit=classroom.world.units["S1a"])
    clock.at(MONDAY, 10, 29)
    save(classroom.world.user("teacher1a"), g1)
    clock.at(MONDAY, 10, 31)
    with pytest.raises(ValidationError, match="10:30"):
        save(classroom.world.user("teacher1a"), g1)


def test_principal_reopens_with_a_reason_then_the_teacher_edits(classroom, g1, clock, client):
    teacher, principal = classroom.world.user("teacher1a"), classroom.world.user("principal1a")
    clock.at(MONDAY + dt.timedelta(days=1), 8)
    client.force_login(principal)
    reopen = reverse("attendance:register-reopen", args=[g1.pk])
    client.post(reopen, {"date": MONDAY.isoformat(), "reason": "", "hours": 2})
    assert not GroupDay.objects.exists()  # no reason, no reopening
    response = client.post(reopen, {"date": MONDAY.isoformat(), "reason": "Cô giáo quên lưu sổ", "hours": 2})
    assert response.status_code == 302
    gd = GroupDay.objects.get(group=g1, date=MONDAY)
    assert gd.reopened_by == principal and gd.reopen_reason == "Cô giáo quên lưu sổ"
    assert gd.reopened_until == clock.now() + dt.timedelta(hours=2)
    audit = GroupDay.history.get(group_id=g1.pk, date=MONDAY)
    assert audit.history_user == principal and audit.history_change_reason == "Cô giáo quên lưu sổ"
    save(teacher, g1, [Mark(kid(classroom, "K3"), S)])
    assert statuses(g1)["K3"] == S
    gd.refresh_from_db()
    assert gd.reopen_reason == "Cô giáo quên lưu sổ" and gd.saved_by == teacher  # the save keeps the reopening
    clock.at(MONDAY + dt.timedelta(days=1), 10, 1)  # past reopened_until
    with pytest.raises(ValidationError):
        save(teacher, g1)
    # A teacher cannot reopen.
    client.force_login(teacher)
    assert client.post(reopen, {"date": MONDAY.isoformat(), "reason": "tự mở lại", "hours": 2}).status_code == 403


# --- who may take the register ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher1a", "parent1a", "principal2", "kitchen1a", "nobody"])
def test_outsiders_get_404_on_group_1(classroom, g1, clock, client, who):
    if who == "teacher1a":
        g1 = classroom.groups["G2"]  # teacher1a teaches G1, not G2
    client.force_login(classroom.world.user(who))
    if who != "kitchen1a":  # kitchen staff read registers of their school, never write them
        assert client.get(url(g1)).status_code == 404
    assert client.post(post_url(g1), {"date": MONDAY.isoformat()}).status_code == 404
    with pytest.raises(Group.DoesNotExist):
        save(classroom.world.user(who), g1)
    assert not Attendance.objects.exists()


def test_officers_and_kitchen_read_without_saving(classroom, g1, clock, client):
    for who in ("district1", "kitchen1a"):
        client.force_login(classroom.world.user(who))
        body = client.get(url(g1)).content.decode()
        assert "ZZ-child-K1" in body and "Save the register" not in body and "disabled" in body


def test_register_rule_agrees_with_scoping(classroom, clock):
    """register_groups(write=True) is scoping's CHANGE rule for Attendance, applied to groups."""
    admin = classroom.world.user("principal1a")
    for key in ("G1", "G2", "G3", "G4"):
        g = classroom.groups[key]
        for e in Enrolment.objects.filter(group=g):
            Attendance.objects.create(school=g.school, group=g, child_id=e.child_id, date=MONDAY, recorded_by=admin)
    for key, user in classroom.world.users.items():
        by_scoping = set(Attendance.objects.for_user(user, scoping.CHANGE).values_list("group_id", flat=True))
        ours = set(selectors.register_groups(user, write=True).values_list("pk", flat=True))
        assert ours == by_scoping, key


def test_one_group_rule_agrees_with_the_queryset_rule(classroom):
    """may_take_register (one group, used by the save path) == register_groups (lists), for everyone."""
    teacher_groups = {}
    for key, user in classroom.world.users.items():
        for write in (False, True):
            listed = set(selectors.register_groups(user, write=write).values_list("pk", flat=True))
            for gkey, group in classroom.groups.items():
                ctx = selectors.register_context(user, group.pk, MONDAY, write=write)
                assert (ctx is not None) == (group.pk in listed), (key, gkey, write)
                teacher_groups.setdefault(key, set()).update({gkey} if ctx and write else set())
    assert teacher_groups["teacher1a"] == {"G1"} and teacher_groups["parent1a"] == set()
    assert teacher_groups["principal1a"] == {"G1", "G2"} and teacher_groups["district1"] == set()


def test_register_context_reads_calendar_and_rules_like_the_selectors(classroom):
    w = classroom.world
    sat = MONDAY + dt.timedelta(days=5)
    CalendarDay.objects.create(unit=w.units["D1"], date=sat, kind=CalendarDay.Kind.MAKE_UP)
    CalendarDay.objects.create(unit=w.units["S1b"], date=sat, kind=CalendarDay.Kind.CLOSURE)
    CalendarDay.objects.create(unit=w.units["P"], date=MONDAY, kind=CalendarDay.Kind.HOLIDAY)
    Rule.objects.create(code="attendance_lock_hour", value=15, label="x", effective_from=dt.date(2020, 1, 1),
                        unit=w.units["P"])
    Rule.objects.create(code="attendance_lock_hour", value=12, label="x", effective_from=dt.date(2020, 1, 1),
                        effective_to=dt.date(2023, 12, 31), unit=w.units["S1b"])  # expired
    Rule.objects.create(code="attendance_lock_hour", value=16, label="x", effective_from=dt.date(2024, 1, 1),
                        unit=w.units["D2"])
    admin = w.user("admin")
    for key in ("G1", "G2", "G3", "G4"):
        group = classroom.groups[key]
        school = selectors.School.objects.select_related("unit").get(pk=group.school_id)
        for day in (MONDAY, MONDAY + dt.timedelta(days=1), sat):
            ctx = selectors.register_context(admin, group.pk, day, write=True)
            assert ctx.school_day == selectors.is_school_day(school=school, day=day), (key, day)
            assert ctx.lock_hour == selectors.lock_hour(school_unit=school.unit, day=day), (key, day)
    assert selectors.register_context(admin, classroom.groups["G4"].pk, MONDAY, write=True).lock_hour == 16
    assert selectors.register_context(admin, classroom.groups["G3"].pk, MONDAY, write=True).lock_hour == 15


# --- a fixed number of queries --------------------------------------------------------------------------


@pytest.fixture
def big_group(classroom):
    g1 = classroom.groups["G1"]
    add_children(g1, 32)  # 3 + 32 = 35, the charter's maximum for 5-year-olds
    return g1


def test_register_of_35_children_runs_a_fixed_number_of_queries(classroom, big_group, clock, client,
                                                                 django_assert_num_queries):
    client.force_login(classroom.world.user("teacher1a"))
    # session, user, grants, the register's context (group, calendar, lock rule, day row), the children
    with django_assert_num_queries(5):
        response = client.get(url(big_group))
    assert response.content.decode().count('value="present" checked') == 35
    data = {"date": MONDAY.isoformat()}
    data.update({f"status-{c.child_id}": "sick" for c in Enrolment.objects.filter(group=big_group)[:5]})
    # session, user, savepoint (the save's transaction), grants, context, children, the group day and the
    # rows with their history (one statement on PostgreSQL, four on SQLite), the day's counts (one
    # statement), release (the message travels in a cookie)
    writes = 2 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(7 + writes):
        response = client.post(post_url(big_group), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(group=big_group, date=MONDAY).count() == 35
    assert Attendance.objects.filter(group=big_group, date=MONDAY, status=S).count() == 5
    # The same numbers for the 1-child group G2 (as the principal, who reaches both).
    client.force_login(classroom.world.user("principal1a"))
    for group in (classroom.groups["G2"], big_group):
        with django_assert_num_queries(5):
            client.get(url(group))
        with django_assert_num_queries(7 + writes):
            client.post(post_url(group), {"date": MONDAY.isoformat()})


def test_day_groups_page(classroom, big_group, clock, client, django_assert_num_queries):
    save(classroom.world.user("teacher1a"), big_group, [Mark(kid(classroom, "K1"), S)])
    client.force_login(classroom.world.user("principal1a"))
    with django_assert_num_queries(5):  # session, user, grants, count, page
        body = client.get(f"{reverse('attendance:day-groups')}?date={MONDAY.isoformat()}").content.decode()
    assert "ZZ-group-G1" in body and "ZZ-group-G2" in body and "ZZ-group-G3" not in body
    client.force_login(classroom.world.user("teacher1a"))
    body = client.get(f"{reverse('attendance:day-groups')}?date={MONDAY.isoformat()}").content.decode()
    assert "ZZ-group-G1" in body and "ZZ-group-G2" not in body
    assert ">34<" in body  # present in G1: 35 less K1 (sick)


# --- the groups' day counts (attendance.DayCount) -------------------------------------------------------


def day_count(group, day=MONDAY) -> tuple[int, int] | None:
    from mamnon.attendance.models import DayCount

    row = DayCount.objects.filter(group=group, date=day).values_list("present", "registered").first()
    return tuple(row) if row else None


def test_day_counts_follow_every_save_a_move_and_a_single_row_edit(classroom, g1, clock):
    from mamnon.children.services import move_between_groups

    teacher, principal = classroom.world.user("teacher1a"), classroom.world.user("principal1a")
    g2 = classroom.groups["G2"]
    save(teacher, g1, [Mark(kid(classroom, "K1"), L), Mark(kid(classroom, "K2"), S)])
    assert day_count(g1) == (2, 3)  # K1 late (present), K2 sick, K3 present
    save(teacher, g1, [Mark(kid(classroom, "K2"), E), Mark(kid(classroom, "K3"), U)])
    assert day_count(g1) == (1, 3)
    save(principal, g2, [])
    assert day_count(g2) == (1, 1)  # K4
    # K1 moves to G2 that morning; G2's register now holds her row, and G1's count loses it
    move_between_groups(actor=principal, child=classroom.children["K1"], to_group=g2, on=MONDAY,
                        override_reason="Lớp ghép tạm thời")
    save(principal, g2, [Mark(kid(classroom, "K1"), S)])
    assert Attendance.objects.get(child_id=kid(classroom, "K1"), date=MONDAY).group_id == g2.pk
    assert day_count(g2) == (1, 2)
    assert day_count(g1) == (0, 2)  # K2 excused, K3 unexcused
    # a single row changed through the ORM (the admin) recounts its group's day
    row = Attendance.objects.get(child_id=kid(classroom, "K3"), date=MONDAY)
    row.status = P
    row.save()
    assert day_count(g1) == (1, 2)
    row.delete()
    assert day_count(g1) == (0, 1)
    # every count equals the rows', recounted from scratch
    services.day_counts_refresh()
    assert day_count(g1) == (0, 1) and day_count(g2) == (1, 2)
