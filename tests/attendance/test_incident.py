"""Incidents (injuries and accidents at school): recorded by staff, read within scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mamnon.attendance import handover_services as hs
from mamnon.attendance.models import Incident
from tests.attendance.test_handover import login
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)


def _when(hours=2):
    return timezone.now() - dt.timedelta(hours=hours)


def _incident(classroom, *, actor="principal1a", school="S1a", key=None, what=None, **kwargs):
    return hs.incident_create(
        actor=classroom.world.user(actor), school=classroom.world.schools[school],
        child=classroom.children[key] if key else None, occurred_at=kwargs.pop("occurred_at", _when()),
        place=kwargs.pop("place", "Sân chơi"), what=what or f"ZZ-incident-{key or school}", **kwargs)


def _fmt(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_staff_record_an_incident_through_the_page(classroom, client):
    login(client, classroom, "principal1a")
    assert client.get(reverse("attendance:incident-create")).status_code == 200
    occurred = _when(3)
    response = client.post(reverse("attendance:incident-create"), {
        "school": classroom.world.schools["S1a"].pk, "child": classroom.children["K4"].pk,
        "group": classroom.groups["G2"].pk, "occurred_at": _fmt(occurred), "place": "Cầu trượt",
        "what": "ZZ-what-fell", "present": "Cô Lan, cô Hoa", "first_aid": "Sát trùng, băng vết xước",
        "parents_informed_at": _fmt(occurred + dt.timedelta(minutes=20)), "follow_up": "Theo dõi",
        "serious": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get()
    assert incident.child == classroom.children["K4"] and incident.recorded_by == classroom.world.user("principal1a")
    assert incident.present == "Cô Lan, cô Hoa" and not incident.serious
    assert incident.history.first().history_user == classroom.world.user("principal1a")
    detail = client.get(response["Location"]).content.decode()
    assert "ZZ-what-fell" in detail and "ZZ-child-K4" in detail
    listing = client.get(reverse("attendance:incident-list")).content.decode()
    assert "ZZ-what-fell" in listing
    # Completing it later: follow-up and seriousness, audited.
    edit = reverse("attendance:incident-edit", args=[incident.pk])
    response = client.post(edit, {
        "child": incident.child_id, "group": incident.group_id, "occurred_at": _fmt(occurred), "place": "Cầu trượt",
        "what": "ZZ-what-fell", "present": "", "first_aid": "", "parents_informed_at": "",
        "follow_up": "Đưa đi chụp X-quang", "serious": "on"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.serious and incident.follow_up == "Đưa đi chụp X-quang"
    assert incident.history.count() == 2


@pytest.mark.parametrize("change,field", [
    ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "occurred_at"),
    ({"parents_informed_at": timezone.now() - dt.timedelta(days=2)}, "parents_informed_at"),
    ({"what": "  "}, "what"),
    ({"place": ""}, "place"),
])
def test_incident_validation_names_the_field(classroom, change, field):
    with pytest.raises(ValidationError) as exc:
        _incident(classroom, key="K1", **change)
    assert field in exc.value.message_dict
    assert not Incident.objects.exists()


def test_incident_child_and_group_must_belong_to_the_school(classroom):
    with pytest.raises(ValidationError) as exc:
        _incident(classroom, key="K5")  # K5 is at S1b
    assert "child" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _incident(classroom, group=classroom.groups["G3"])
    assert "group" in exc.value.message_dict


def test_teachers_record_incidents_about_their_own_groups_children(classroom, client):
    assert _incident(classroom, actor="teacher1a", key="K1").recorded_by == classroom.world.user("teacher1a")
    with pytest.raises(PermissionDenied):
        _incident(classroom, actor="teacher1a", key="K4")
    with pytest.raises(PermissionDenied):
        _incident(classroom, actor="teacher1a")  # school-wide: the principal records it
    with pytest.raises(PermissionDenied):
        _incident(classroom, actor="district1", key="K1")
    with pytest.raises(PermissionDenied):
        _incident(classroom, actor="parent1a", key="K1")
    assert Incident.objects.count() == 1
    login(client, classroom, "teacher1a")
    response = client.post(reverse("attendance:incident-create"), {
        "school": classroom.world.schools["S1a"].pk, "occurred_at": _fmt(_when()), "place": "Lớp", "what": "x"})
    assert response.status_code == 400
    assert "only about the children of your groups" in response.content.decode()
    # K4 is not even offered to her.
    form = client.get(reverse("attendance:incident-create")).context["form"]
    assert set(form.fields["child"].queryset.values_list("full_name", flat=True)) == {
        "ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    for key in ("district1", "parent1a"):
        login(client, classroom, key)
        assert client.get(reverse("attendance:incident-create")).status_code == 403


def test_incident_scoping(classroom, client):
    _incident(classroom, key="K1")
    _incident(classroom, key="K2")
    _incident(classroom)  # school-wide, no child
    _incident(classroom, actor="principal1b", school="S1b", key="K5")
    _incident(classroom, actor="principal2", school="S2", key="K6")

    def whats(user_key):
        return {i.what for i in Incident.objects.for_user(classroom.world.user(user_key))}

    assert whats("parent1a") == {"ZZ-incident-K1"}
    assert whats("teacher1a") == {"ZZ-incident-K1", "ZZ-incident-K2"}
    assert whats("principal1a") == {"ZZ-incident-K1", "ZZ-incident-K2", "ZZ-incident-S1a"}
    assert whats("district2") == {"ZZ-incident-K6"}
    assert whats("principal2") == {"ZZ-incident-K6"}
    assert whats("district1") == {"ZZ-incident-K1", "ZZ-incident-K2", "ZZ-incident-S1a", "ZZ-incident-K5"}
    assert whats("nobody") == set()

    login(client, classroom, "parent1a")
    body = client.get(reverse("attendance:incident-list")).content.decode()
    assert "ZZ-incident-K1" in body and "ZZ-incident-K2" not in body and "ZZ-incident-S1a" not in body
    k2_incident = Incident.objects.get(what="ZZ-incident-K2")
    assert client.get(reverse("attendance:incident-detail", args=[k2_incident.pk])).status_code == 404
    # The office of another district: nothing at all.
    login(client, classroom, "district2")
    body = client.get(reverse("attendance:incident-list")).content.decode()
    assert "ZZ-incident-K1" not in body and "ZZ-S1a" not in body and "ZZ-incident-K6" in body
    assert client.get(reverse("attendance:incident-detail", args=[k2_incident.pk])).status_code == 404
    # The district's own office reads the incidents (the INCIDENTS indicator), not the children's names.
    login(client, classroom, "district1")
    body = client.get(reverse("attendance:incident-list")).content.decode()
    assert "ZZ-incident-K1" in body and "ZZ-child-K1" not in body and "ZZ-child-K5" not in body
    detail = client.get(reverse("attendance:incident-detail", args=[k2_incident.pk])).content.decode()
    assert "ZZ-incident-K2" in detail and "ZZ-child-K2" not in detail
    assert client.get(reverse("attendance:incident-edit", args=[k2_incident.pk])).status_code == 404


def test_incident_list_filters(classroom, client):
    _incident(classroom, key="K1", serious=True, what="ZZ-serious")
    _incident(classroom, key="K2", what="ZZ-minor", occurred_at=timezone.now() - dt.timedelta(days=40))
    login(client, classroom, "principal1a")
    url = reverse("attendance:incident-list")
    body = client.get(url, {"serious": "true"}).content.decode()
    assert "ZZ-serious" in body and "ZZ-minor" not in body
    since = (timezone.localdate() - dt.timedelta(days=7)).strftime("%d/%m/%Y")
    body = client.get(url, {"occurred_from": since}).content.decode()
    assert "ZZ-serious" in body and "ZZ-minor" not in body
    table = client.get(url, {"school": classroom.world.schools["S1a"].pk}, HTTP_HX_REQUEST="true")
    assert table.status_code == 200 and b"<html" not in table.content
    # Bad filter values never fail.
    for params in ({"occurred_from": "99/99/9999"}, {"school": "x"}, {"school": classroom.world.schools["S2"].pk},
                   {"page": "zz"}):
        assert client.get(url, params).status_code == 200
