"""Health checks, illnesses and medicine given at school: services (all or nothing, errors), pages, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mamnon.attendance.models import Handover
from mamnon.health import services_checks as services
from mamnon.health.models import HealthCheck, Illness, MedicineDose
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.english import english  # noqa: F401  (autouse: English pages)

DAY = dt.date(2023, 10, 10)


def record(classroom, key="K1", who="health1a", day=DAY, **kw):
    kw.setdefault("examiner", "BS. ZZ-examiner")
    return services.health_check_record(actor=classroom.world.user(who), child=classroom.children[key], date=day,
                                        **kw)


def at(day, hour=9, minute=30):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- services ---------------------------------------------------------------------------------------------------


def test_record_a_check(classroom):
    check = record(classroom, teeth="sâu răng ZZ-teeth-K1", referral=True, referral_to="Nha khoa")
    assert check.group == classroom.groups["G1"] and check.school == classroom.world.schools["S1a"]
    assert [label for label, _text in check.findings] == ["Teeth"]
    assert check.recorded_by == classroom.world.user("health1a")
    assert check.history.count() == 1


@pytest.mark.parametrize("day,field,message", [
    (dt.date(2099, 1, 1), "date", "The date 01/01/2099 is in the future."),
    (dt.date(2017, 1, 1), "date", "The date 01/01/2017 is before the child's birth (01/03/2018)."),
    (None, "date", "Enter a date as dd/mm/yyyy."),
])
def test_bad_dates(classroom, day, field, message):
    with pytest.raises(ValidationError) as exc:
        record(classroom, day=day)
    assert exc.value.message_dict[field] == [message]
    assert not HealthCheck.objects.exists()


def test_bad_dates_in_vietnamese(classroom):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        record(classroom, day=dt.date(2017, 1, 1))
    assert exc.value.message_dict["date"] == ["Ngày 01/01/2017 trước ngày sinh của trẻ (01/03/2018)."]


def test_check_needs_examiner_and_referral_place_and_one_per_day(classroom):
    with pytest.raises(ValidationError) as exc:
        record(classroom, examiner=" ", referral=True)
    assert set(exc.value.message_dict) == {"examiner", "referral_to"}
    record(classroom)
    with pytest.raises(ValidationError) as exc:
        record(classroom)
    assert exc.value.message_dict["date"] == ["This child already has an examination on 10/10/2023."]
    assert HealthCheck.objects.count() == 1


@pytest.mark.parametrize("who,key", [("teacher1a", "K1"), ("parent1a", "K1"), ("kitchen1a", "K1"),
                                     ("principal1b", "K1"), ("district1", "K1"), ("health1a", "K5")])
def test_who_may_not_record_a_check(classroom, who, key):
    with pytest.raises(PermissionDenied):
        record(classroom, key=key, who=who)


def test_group_examination_is_all_or_nothing(classroom):
    g1 = classroom.groups["G1"]
    k1, k2, k3 = (classroom.children[k].pk for k in ("K1", "K2", "K3"))
    rows = {k1: {"eyes": "cận thị"}, k2: {"referral": True}, k3: {}}  # K2: referred but not where to
    with pytest.raises(ValidationError) as exc:
        services.health_checks_record_group(actor=classroom.world.user("health1a"), group=g1, date=DAY,
                                            examiner="Trạm y tế", rows=rows)
    assert exc.value.message_dict[f"c{k2}-referral_to"] == ["ZZ-child-K2: Say where the child is referred to."]
    assert not HealthCheck.objects.exists()
    # A child of another group cannot be slipped in.
    with pytest.raises(ValidationError) as exc:
        services.health_checks_record_group(actor=classroom.world.user("health1a"), group=g1, date=DAY,
                                            examiner="Trạm y tế", rows={classroom.children["K4"].pk: {}})
    assert not HealthCheck.objects.exists()
    rows[k2]["referral_to"] = "Bệnh viện Nhi"
    created = services.health_checks_record_group(actor=classroom.world.user("health1a"), group=g1, date=DAY,
                                                  examiner="Trạm y tế", rows=rows)
    assert len(created) == 3
    assert HealthCheck.objects.get(child_id=k1).eyes == "cận thị"
    assert HealthCheck.objects.get(child_id=k2).referral_to == "Bệnh viện Nhi"
    with pytest.raises(PermissionDenied):
        services.health_checks_record_group(actor=classroom.world.user("teacher1a"), group=g1, date=DAY,
                                            examiner="x", rows={k1: {}})


def test_illness(classroom):
    k1 = classroom.children["K1"]
    illness = services.illness_record(actor=classroom.world.user("teacher1a"), child=k1, noticed_at=at(DAY),
                                      symptoms="sốt", temperature="38,5", parents_informed=True)
    assert illness.temperature == pytest.approx(38.5) and illness.group == classroom.groups["G1"]
    with pytest.raises(ValidationError) as exc:
        services.illness_record(actor=classroom.world.user("teacher1a"), child=k1, noticed_at=at(DAY),
                                symptoms="", temperature="48")
    assert set(exc.value.message_dict) == {"symptoms", "temperature"}
    with pytest.raises(ValidationError) as exc:
        services.illness_record(actor=classroom.world.user("teacher1a"), child=k1,
                                noticed_at=timezone.now() + dt.timedelta(days=1), symptoms="ho")
    assert "noticed_at" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # K4 is not in her group
        services.illness_record(actor=classroom.world.user("teacher1a"), child=classroom.children["K4"],
                                noticed_at=at(DAY), symptoms="ho")
    assert Illness.objects.count() == 1


def test_medicine_linked_to_the_parents_request(classroom):
    k1, k2 = classroom.children["K1"], classroom.children["K2"]
    request = Handover.objects.create(school=k1.school, group=classroom.groups["G1"], child=k1, date=DAY,
                                      medicine="Paracetamol 250mg", medicine_dose="1 gói", medicine_time="11:00")
    teacher = classroom.world.user("teacher1a")
    dose = services.medicine_give(actor=teacher, child=k1, given_at=at(DAY, 11), medicine="", dose="",
                                  handover=request)
    assert (dose.medicine, dose.dose, dose.handover) == ("Paracetamol 250mg", "1 gói", request)
    assert list(request.medicine_doses.all()) == [dose]
    # The request is another day's, or another child's: refused.
    with pytest.raises(ValidationError) as exc:
        services.medicine_give(actor=teacher, child=k1, given_at=at(DAY + dt.timedelta(days=1)), medicine="",
                               dose="", handover=request)
    assert "handover" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.medicine_give(actor=teacher, child=k2, given_at=at(DAY), medicine="x", dose="y", handover=request)
    assert exc.value.message_dict["handover"] == ["The parents' request is for another child."]
    # Without a request, someone must have agreed.
    with pytest.raises(ValidationError) as exc:
        services.medicine_give(actor=teacher, child=k1, given_at=at(DAY), medicine="Oresol", dose="1 gói")
    assert list(exc.value.message_dict) == ["note"]
    services.medicine_give(actor=teacher, child=k1, given_at=at(DAY), medicine="Oresol", dose="1 gói",
                           note="Mẹ đồng ý qua điện thoại")
    assert MedicineDose.objects.count() == 2


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def records(classroom):
    """A check, an illness and a dose for K1 (S1a, G1), K4 (S1a, G2) and K5 (S1b)."""
    out = {}
    for key, who in (("K1", "health1a"), ("K4", "health1a"), ("K5", "principal1b")):
        child = classroom.children[key]
        record(classroom, key=key, who=who, teeth=f"ZZ-teeth-{key}")
        services.illness_record(actor=classroom.world.user(who), child=child, noticed_at=at(DAY),
                                symptoms=f"ZZ-ill-{key}")
        out[key] = services.medicine_give(actor=classroom.world.user(who), child=child, given_at=at(DAY),
                                          medicine=f"ZZ-med-{key}", dose="1", note="ok")
    return out


def history(client, classroom, key):
    return client.get(reverse("health:child-health", args=[classroom.children[key].pk]))


@pytest.mark.parametrize("who,sees,hidden", [
    ("principal1a", ["K1", "K4"], ["K5"]),
    ("health1a", ["K1", "K4"], ["K5"]),
    ("teacher1a", ["K1"], ["K4", "K5"]),
    ("parent1a", ["K1"], ["K4", "K5"]),
    ("principal1b", ["K5"], ["K1", "K4"]),
    ("kitchen1a", [], ["K1", "K4", "K5"]),
    ("district1", [], ["K1", "K4", "K5"]),
    ("province", [], ["K1", "K4", "K5"]),
])
def test_child_health_history_scoping(classroom, records, client, who, sees, hidden):
    client.force_login(classroom.world.user(who))
    for key in sees:
        body = history(client, classroom, key).content.decode()
        assert f"ZZ-teeth-{key}" in body and f"ZZ-ill-{key}" in body and f"ZZ-med-{key}" in body
    for key in hidden:
        response = history(client, classroom, key)
        assert response.status_code == 404 and b"ZZ-" not in response.content


def test_officers_see_counts_only(classroom, records, client):
    client.force_login(classroom.world.user("district1"))
    response = client.get(reverse("health:check-home"))
    assert response.status_code == 200
    counts = {r["school"].unit.code: r for r in response.context["counts"]}
    assert set(counts) == {"S1a", "S1b"}  # not S2 (another district)
    assert (counts["S1a"]["examined"], counts["S1a"]["illnesses"], counts["S1a"]["doses"]) == (2, 2, 2)
    assert counts["S1a"]["enrolled"] == 4 and counts["S1b"]["examined"] == 1
    body = response.content.decode()
    assert "ZZ-teeth" not in body and "ZZ-child" not in body and "ZZ-ill" not in body
    assert not HealthCheck.objects.for_user(classroom.world.user("district1")).exists()
    assert not Illness.objects.for_user(classroom.world.user("province")).exists()
    # A teacher gets her groups, no per-school counts.
    client.force_login(classroom.world.user("teacher1a"))
    response = client.get(reverse("health:check-home"))
    assert [g.pk for g, _n in response.context["groups"]] == [classroom.groups["G1"].pk]
    assert response.context["counts"] == []


def test_group_page_and_entry(classroom, client):
    g1 = classroom.groups["G1"]
    client.force_login(classroom.world.user("health1a"))
    page = client.get(reverse("health:check-group", args=[g1.pk]))
    assert page.status_code == 200 and page.context["can_enter"]
    entry_url = reverse("health:check-group-entry", args=[g1.pk])
    assert client.get(entry_url).status_code == 200
    k1, k2, k3 = (classroom.children[k].pk for k in ("K1", "K2", "K3"))
    data = {"date": "10/10/2023", "examiner": "Trạm y tế", f"c{k1}-examined": "1", f"c{k1}-eyes": "ZZ-eyes",
            f"c{k2}-examined": "1", f"c{k2}-referral": "1"}
    response = client.post(entry_url, data)
    assert response.status_code == 200  # K2 referred without a place: nothing saved
    assert "ZZ-child-K2: Say where the child is referred to." in response.content.decode()
    assert not HealthCheck.objects.exists()
    data[f"c{k2}-referral_to"] = "Bệnh viện"
    response = client.post(entry_url, data)
    assert response.status_code == 302
    assert set(HealthCheck.objects.values_list("child_id", flat=True)) == {k1, k2}  # K3 unticked
    bad = client.post(entry_url, {**data, "date": "31/02/2023"})
    assert bad.status_code == 200 and "Enter a date as dd/mm/yyyy." in bad.content.decode()
    # Teachers read the group's page but do not enter examinations; another school's group is not found.
    client.force_login(classroom.world.user("teacher1a"))
    assert client.get(reverse("health:check-group", args=[g1.pk])).status_code == 200
    assert client.get(entry_url).status_code == 404
    assert client.get(reverse("health:check-group", args=[classroom.groups["G2"].pk])).status_code == 404
    client.force_login(classroom.world.user("principal1b"))
    assert client.get(reverse("health:check-group", args=[g1.pk])).status_code == 404


def test_forms_for_one_child(classroom, client):
    k1 = classroom.children["K1"]
    client.force_login(classroom.world.user("health1a"))
    response = client.post(reverse("health:check-create", args=[k1.pk]),
                           {"date": "01/01/2017", "examiner": "BS"})
    assert response.status_code == 200
    assert "before the child&#x27;s birth" in response.content.decode()
    response = client.post(reverse("health:check-create", args=[k1.pk]),
                           {"date": "10/10/2023", "examiner": "BS", "skin": "ZZ-skin"})
    assert response.status_code == 302 and HealthCheck.objects.get().skin == "ZZ-skin"
    response = client.post(reverse("health:illness-create", args=[k1.pk]),
                           {"date": "10/10/2023", "time": "10:15", "symptoms": "ho", "temperature": "37,8"})
    assert response.status_code == 302
    response = client.post(reverse("health:medicine-create", args=[k1.pk]),
                           {"date": "10/10/2099", "time": "10:15", "medicine": "x", "dose": "1", "note": "n"})
    assert response.status_code == 200 and "is in the future" in response.content.decode()
    assert MedicineDose.objects.count() == 0
    # A parent reads but never writes.
    client.force_login(classroom.world.user("parent1a"))
    assert client.get(reverse("health:check-create", args=[k1.pk])).status_code == 403
    assert client.get(reverse("health:illness-create", args=[k1.pk])).status_code == 403
    assert history(client, classroom, "K1").status_code == 200
