"""The parent portal: parent1a (K1's guardian) sees and does things for K1 only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mamnon.attendance import handover_services as hs
from mamnon.attendance.models import AbsenceRequest, Attendance, Handover, Incident
from mamnon.children.models import Child, Enrolment, Guardian
from tests.attendance.test_handover import login, record_dropoff, today
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)


def _full_day(classroom, key, note):
    h = record_dropoff(classroom, key=key, temperature="36.5")
    return hs.handover_pickup(actor=classroom.world.user("principal1a"), group=h.group, child=h.child,
                              day=today(), guardian=classroom.guardians[key], day_notes=note)


def test_portal_shows_only_the_parents_own_child(classroom, client):
    _full_day(classroom, "K1", "ZZ-note-K1")
    _full_day(classroom, "K2", "ZZ-note-K2")
    login(client, classroom, "parent1a")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ZZ-child-K1" in body and "ZZ-note-K1" in body and "ZZ-guardian-K1" in body
    for marker in ("ZZ-child-K2", "ZZ-note-K2", "ZZ-guardian-K2", "ZZ-child-K3", "ZZ-child-K4", "ZZ-S2"):
        assert marker not in body, marker
    assert [card["child"].full_name for card in response.context["cards"]] == ["ZZ-child-K1"]
    # K1's page is served; K2's is not (and says nothing about her).
    assert client.get(reverse("portal:child", args=[classroom.children["K1"].pk])).status_code == 200
    for key in ("K2", "K5", "K6"):
        other = client.get(reverse("portal:child", args=[classroom.children[key].pk]))
        assert other.status_code == 404 and b"ZZ-child" not in other.content
        assert client.get(reverse("portal:absence-create", args=[classroom.children[key].pk])).status_code == 404


def test_portal_is_for_parents(classroom, client):
    for key in ("teacher1a", "principal1a", "district1"):
        login(client, classroom, key)
        assert client.get(reverse("portal:home")).status_code == 403, key
    client.logout()
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_parent_without_a_linked_child_sees_an_empty_portal(classroom, client):
    Guardian.objects.filter(user=classroom.world.user("parent1a")).update(user=None)
    login(client, classroom, "parent1a")
    body = client.get(reverse("portal:home")).content.decode()
    assert "No child is linked to your account yet" in body and "ZZ-child" not in body


def test_attendance_history_reads_only_the_childs_rows(classroom, client):
    k1, k2 = classroom.children["K1"], classroom.children["K2"]
    g1 = classroom.groups["G1"]
    month = today().replace(day=1)
    days = [month + dt.timedelta(days=i) for i in range(3)]
    for d, status in zip(days, ("present", "sick", "late"), strict=True):
        Attendance.objects.create(school=g1.school, group=g1, child=k1, date=d, status=status,
                                  note=f"ZZ-att-K1-{status}")
        Attendance.objects.create(school=g1.school, group=g1, child=k2, date=d, status="unexcused",
                                  note="ZZ-att-K2")
    login(client, classroom, "parent1a")
    response = client.get(reverse("portal:child", args=[k1.pk]), {"month": month.strftime("%Y-%m")})
    body = response.content.decode()
    assert "ZZ-att-K1-sick" in body and "ZZ-att-K2" not in body
    assert response.context["recorded"] == 3 and response.context["present"] == 2
    assert response.context["rate"] == 67
    # A month with nothing, and a month that does not parse, are both fine.
    assert client.get(reverse("portal:child", args=[k1.pk]), {"month": "2001-01"}).context["recorded"] == 0
    assert client.get(reverse("portal:child", args=[k1.pk]), {"month": "zz-13"}).status_code == 200


def test_the_schools_hotline_is_shown_prominently(classroom, client):
    school = classroom.world.schools["S1a"]
    login(client, classroom, "parent1a")
    assert "has not published its hotline number yet" in client.get(reverse("portal:home")).content.decode()
    school.phone = "02253123456"
    school.save()
    body = client.get(reverse("portal:home")).content.decode()
    assert 'href="tel:02253123456"' in body
    assert body.index("02253123456") < body.index("ZZ-child-K1"), "the hotline comes first"
    assert 'href="tel:02253123456"' in client.get(
        reverse("portal:child", args=[classroom.children["K1"].pk])).content.decode()


# --- absence requests -------------------------------------------------------------------------------------------


def _absence(classroom, client, key="K1", **data):
    login(client, classroom, "parent1a")
    defaults = {"date_from": today().strftime("%d/%m/%Y"), "date_to": today().strftime("%d/%m/%Y"),
                "reason": "Về quê", "sick": ""}
    return client.post(reverse("portal:absence-create", args=[classroom.children[key].pk]), {**defaults, **data})


def test_absence_request_from_the_portal(classroom, client):
    start, end = today() + dt.timedelta(days=1), today() + dt.timedelta(days=3)
    response = _absence(classroom, client, date_from=start.strftime("%d/%m/%Y"), date_to=end.strftime("%d/%m/%Y"),
                        reason="Sốt, đi khám", sick="on")
    assert response.status_code == 302
    request = AbsenceRequest.objects.get()
    assert (request.child, request.date_from, request.date_to) == (classroom.children["K1"], start, end)
    assert request.sick and request.reason == "Sốt, đi khám"
    assert request.requested_by == classroom.world.user("parent1a")
    assert request.school == classroom.world.schools["S1a"]
    assert "Sốt, đi khám" in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("data,field,words", [
    ({"date_from": "past"}, "date_from", "cannot start in the past"),
    ({"date_to": "before"}, "date_to", "before the first day"),
    ({"date_to": "long"}, "date_to", "at most 31 days"),
    ({"date_from": "far", "date_to": "far"}, "date_from", "at most 90 days ahead"),
    ({"reason": "   "}, "reason", ""),
    ({"date_from": "31/02/2025"}, "date_from", ""),
    ({"date_from": "tomorrow-ish"}, "date_from", ""),
])
def test_absence_request_rules(classroom, client, data, field, words):
    t = today()
    values = {"past": t - dt.timedelta(days=1), "before": t - dt.timedelta(days=1), "long": t + dt.timedelta(days=31),
              "far": t + dt.timedelta(days=91)}
    data = {k: values[v].strftime("%d/%m/%Y") if v in values else v for k, v in data.items()}
    response = _absence(classroom, client, **data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert words in " ".join(form.errors[field])
    assert not AbsenceRequest.objects.exists()


def test_absence_request_overlap_other_family_and_a_child_who_left(classroom, client):
    parent = classroom.world.user("parent1a")
    k1 = classroom.children["K1"]
    hs.absence_request_create(actor=parent, child=k1, date_from=today(), date_to=today() + dt.timedelta(days=2),
                              reason="Ốm")
    with pytest.raises(ValidationError) as exc:
        hs.absence_request_create(actor=parent, child=k1, date_from=today() + dt.timedelta(days=1),
                                  date_to=today() + dt.timedelta(days=5), reason="Ốm tiếp")
    assert "already announced" in exc.value.message_dict["date_from"][0]
    with pytest.raises(PermissionDenied):
        hs.absence_request_create(actor=parent, child=classroom.children["K2"], date_from=today(),
                                  date_to=today(), reason="x")
    assert _absence(classroom, client, key="K2").status_code == 404
    Child.objects.filter(pk=k1.pk).update(status="left")
    k1.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        hs.absence_request_create(actor=parent, child=k1, date_from=today() + dt.timedelta(days=10),
                                  date_to=today() + dt.timedelta(days=10), reason="x")
    assert "no longer enrolled" in exc.value.message_dict["child"][0]
    assert AbsenceRequest.objects.count() == 1


# --- PIN and confirmation ------------------------------------------------------------------------------------------


def test_parent_sets_the_pin_in_the_portal_and_uses_it(classroom, client):
    k1 = classroom.children["K1"]
    # parent1a is the guardian of a second child too: one PIN for both rows.
    sibling = Child.objects.create(school=k1.school, full_name="ZZ-child-K1-sibling", birth_date=dt.date(2019, 4, 4),
                                   sex="F")
    Enrolment.objects.create(child=sibling, group=classroom.groups["G1"], school=k1.school,
                             start_date=classroom.year.start_date)
    second = Guardian.objects.create(child=sibling, school=k1.school, full_name="ZZ-guardian-K1", relation="mother",
                                     user=classroom.world.user("parent1a"))
    login(client, classroom, "parent1a")
    url = reverse("portal:pin")
    assert client.get(url).status_code == 200
    for pin, again, words in (("1234", "1234", "too easy"), ("7777", "7777", "too easy"), ("12a4", "12a4", "4 digits"),
                              ("3691", "3692", "differ")):
        response = client.post(url, {"pin": pin, "pin_again": again})
        assert response.status_code == 400 and words in response.content.decode(), pin
    assert client.post(url, {"pin": "3691", "pin_again": "3691"}).status_code == 302
    for g in (classroom.guardians["K1"], second):
        g.refresh_from_db()
        assert check_password("3691", g.pin_hash)
    # Another family's guardian row is untouched.
    classroom.guardians["K2"].refresh_from_db()
    assert classroom.guardians["K2"].pin_hash == ""
    h = record_dropoff(classroom)
    hs.handover_confirm_pin(actor=classroom.world.user("teacher1a"), handover=h,
                            guardian=classroom.guardians["K1"], pin="3691")
    assert Handover.objects.get(pk=h.pk).confirm_method == "pin"


def test_portal_lists_incidents_about_the_child_only(classroom, client):
    from django.utils import timezone

    school = classroom.world.schools["S1a"]
    when = timezone.now() - dt.timedelta(hours=2)
    for key in ("K1", "K2"):
        hs.incident_create(actor=classroom.world.user("principal1a"), school=school, child=classroom.children[key],
                           occurred_at=when, place="Sân chơi", what=f"ZZ-incident-{key}")
    hs.incident_create(actor=classroom.world.user("principal1a"), school=school, occurred_at=when, place="Bếp",
                       what="ZZ-incident-school")
    assert Incident.objects.count() == 3
    login(client, classroom, "parent1a")
    body = client.get(reverse("portal:child", args=[classroom.children["K1"].pk])).content.decode()
    assert "ZZ-incident-K1" in body and "ZZ-incident-K2" not in body and "ZZ-incident-school" not in body


def test_a_suspended_parent_account_confirms_nothing(classroom):
    from mamnon.org.models import Membership

    h = record_dropoff(classroom)
    parent = classroom.world.user("parent1a")
    Membership.objects.filter(user=parent).update(active=False)
    parent = type(parent).objects.get(pk=parent.pk)  # grants are cached per user object
    with pytest.raises(ValidationError):
        hs.handover_confirm_portal(actor=parent, handover=h)
    with pytest.raises(PermissionDenied):
        hs.absence_request_create(actor=parent, child=classroom.children["K1"], date_from=today(), date_to=today(),
                                  reason="x")
    h.refresh_from_db()
    assert h.confirmed_at is None and not AbsenceRequest.objects.exists()
