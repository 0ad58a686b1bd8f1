"""Drop-off and pick-up (đón - trả trẻ): the services and the phone-first page of a group's day.

The world (tests/conftest.py): teacher1a teaches G1 (K1, K2, K3) at S1a; K4 is in G2 at S1a (not hers);
parent1a is K1's guardian. Every name is a marker, so a page can be searched for what must not be there.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mamnon.attendance import handover_services as hs
from mamnon.attendance.models import Handover
from mamnon.children.models import AuthorisedPickup, Child, Enrolment, Guardian
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)

PLACEMENT = {"K1": "G1", "K2": "G1", "K3": "G1", "K4": "G2", "K5": "G3", "K6": "G4"}
# A few strokes of a finger, as the canvas posts them.
SIGNATURE = "M10 60 L20 50 L30 70 L40 40 L55 65 M70 30 L90 80"


# --- helpers shared with the other Part D test modules ---------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def group_of(classroom, key):
    return classroom.groups[PLACEMENT[key]]


def record_dropoff(classroom, key="K1", actor="teacher1a", **kwargs) -> Handover:
    kwargs.setdefault("brought_by", classroom.guardians[key])
    return hs.handover_dropoff(actor=classroom.world.user(actor), group=group_of(classroom, key),
                               child=classroom.children[key], day=kwargs.pop("day", today()), **kwargs)


def set_pin(classroom, key="K1", pin="2580", actor="principal1a"):
    hs.guardian_set_pin(actor=classroom.world.user(actor), guardians=[classroom.guardians[key]], pin=pin)
    classroom.guardians[key].refresh_from_db()
    return classroom.guardians[key]


def day_url(classroom, gkey="G1", **params) -> str:
    url = reverse("attendance:handover-day", args=[classroom.groups[gkey].pk])
    params.setdefault("date", today().strftime("%d/%m/%Y"))
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def login(client, classroom, key):
    client.force_login(classroom.world.user(key))
    return client


# --- drop-off ------------------------------------------------------------------------------------------------


def test_dropoff_records_the_state_and_the_parent_confirms_in_the_portal(classroom, client):
    h = record_dropoff(classroom, temperature="37,2", symptoms="", medicine="Paracetamol 250 mg",
                       medicine_dose="1 gói", medicine_time="11:00")
    h.refresh_from_db()
    assert str(h.temperature) == "37.2"
    assert (h.medicine, h.medicine_dose, h.medicine_time) == ("Paracetamol 250 mg", "1 gói", "11:00")
    assert h.dropoff_by == classroom.guardians["K1"]
    assert h.dropoff_recorded_by == classroom.world.user("teacher1a")
    assert h.confirmed_at is None
    assert h.history.first().history_user == classroom.world.user("teacher1a")

    login(client, classroom, "parent1a")
    home = client.get(reverse("portal:home")).content.decode()
    assert "Paracetamol 250 mg" in home and reverse("portal:confirm", args=[h.pk]) in home
    response = client.post(reverse("portal:confirm", args=[h.pk]))
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.confirm_method == Handover.Method.PORTAL
    assert h.confirmed_by == classroom.guardians["K1"] and h.confirmed_at is not None
    assert h.history.first().history_user == classroom.world.user("parent1a")
    # A second confirmation is refused and changes nothing.
    first_time = h.confirmed_at
    client.post(reverse("portal:confirm", args=[h.pk]))
    h.refresh_from_db()
    assert h.confirmed_at == first_time


def test_one_handover_row_per_child_and_day_and_a_correction_withdraws_the_confirmation(classroom):
    h = record_dropoff(classroom)
    hs.handover_confirm_portal(actor=classroom.world.user("parent1a"), handover=h)
    again = record_dropoff(classroom, state=Handover.State.UNWELL, symptoms="ho, sổ mũi", temperature="37.9")
    assert again.pk == h.pk
    assert Handover.objects.filter(child=classroom.children["K1"], date=today()).count() == 1
    again.refresh_from_db()
    # The guardian confirmed "normal"; the teacher now wrote "unwell": the confirmation no longer holds.
    assert again.state == "unwell" and again.confirmed_at is None and again.confirm_method == ""


@pytest.mark.parametrize("value", ["33.9", "42.1", "100", "-1", "3,7", "NaN", "abc"])
def test_temperature_out_of_range_is_refused_naming_the_field(classroom, value):
    with pytest.raises(ValidationError) as exc:
        record_dropoff(classroom, temperature=value)
    assert set(exc.value.message_dict) == {"temperature"}
    assert "temperature" in exc.value.message_dict["temperature"][0].lower()
    assert not Handover.objects.exists()


@pytest.mark.parametrize("value,stored", [("34.0", "34.0"), ("42", "42.0"), ("36,85", "36.9"), ("", None)])
def test_temperature_in_range_is_kept_to_one_decimal(classroom, value, stored):
    h = record_dropoff(classroom, temperature=value)
    h.refresh_from_db()
    assert (str(h.temperature) if h.temperature is not None else None) == stored


def test_temperature_error_on_the_page_names_the_field(classroom, client):
    login(client, classroom, "teacher1a")
    k1 = classroom.children["K1"]
    response = client.post(day_url(classroom), {
        "date": today().strftime("%d/%m/%Y"), "child": k1.pk, "action": "dropoff", "d-state": "normal",
        "d-temperature": "45", "d-brought_by": classroom.guardians["K1"].pk})
    assert response.status_code == 400
    form = response.context["panel"]["dropoff"]
    assert list(form.errors) == ["temperature"]
    assert "45" in form.errors["temperature"][0] and "34.0" in form.errors["temperature"][0]
    assert not Handover.objects.exists()


def test_medicine_needs_dose_and_time_and_unwell_needs_symptoms(classroom):
    with pytest.raises(ValidationError) as exc:
        record_dropoff(classroom, state="unwell", medicine="Siro ho")
    assert set(exc.value.message_dict) == {"symptoms", "medicine_dose", "medicine_time"}


def test_dropoff_refused_for_a_future_day_another_group_or_another_familys_guardian(classroom):
    with pytest.raises(ValidationError) as exc:
        record_dropoff(classroom, day=today() + dt.timedelta(days=1), at=dt.time(7, 30))
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # K4 is in G2, not in G1
        hs.handover_dropoff(actor=classroom.world.user("principal1a"), group=classroom.groups["G1"],
                            child=classroom.children["K4"], day=today())
    assert "child" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record_dropoff(classroom, brought_by=classroom.guardians["K2"])
    assert "brought_by" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a past day needs its time
        record_dropoff(classroom, day=today() - dt.timedelta(days=1))
    assert "time" in exc.value.message_dict
    assert not Handover.objects.exists()


def test_teacher_records_only_her_groups_and_offices_never(classroom, client):
    with pytest.raises(PermissionDenied):
        record_dropoff(classroom, key="K4", actor="teacher1a")
    with pytest.raises(PermissionDenied):
        record_dropoff(classroom, key="K1", actor="kitchen1a")
    assert not Handover.objects.exists()
    record_dropoff(classroom, key="K4", actor="principal1a")
    assert Handover.objects.count() == 1
    login(client, classroom, "teacher1a")
    assert client.get(day_url(classroom, "G2")).status_code == 404
    response = client.post(day_url(classroom, "G2"), {"child": classroom.children["K4"].pk, "action": "quick"})
    assert response.status_code == 404
    login(client, classroom, "district1")
    assert client.get(day_url(classroom, "G1")).status_code == 403
    login(client, classroom, "parent1a")
    assert client.get(day_url(classroom, "G1")).status_code == 403


# --- confirmation with the guardian's PIN ------------------------------------------------------------------


def test_pin_is_stored_hashed_and_the_right_pin_confirms(classroom):
    guardian = set_pin(classroom, pin="2580")
    assert guardian.pin_hash and "2580" not in guardian.pin_hash and check_password("2580", guardian.pin_hash)
    h = record_dropoff(classroom)
    hs.handover_confirm_pin(actor=classroom.world.user("teacher1a"), handover=h, guardian=guardian, pin="2580")
    h.refresh_from_db()
    assert h.confirm_method == Handover.Method.PIN and h.confirmed_by == guardian


def test_wrong_pins_are_refused_then_locked_for_the_day(classroom):
    guardian = set_pin(classroom, pin="2580")
    h = record_dropoff(classroom)
    teacher = classroom.world.user("teacher1a")
    for attempt in range(1, hs.PIN_MAX_ATTEMPTS + 1):
        with pytest.raises(ValidationError) as exc:
            hs.handover_confirm_pin(actor=teacher, handover=h, guardian=guardian, pin="1357")
        message = exc.value.message_dict["pin"][0]
        if attempt < hs.PIN_MAX_ATTEMPTS:
            assert f"{hs.PIN_MAX_ATTEMPTS - attempt} attempt" in message
        else:
            assert "locked" in message
    # Each wrong PIN left an audit row, by the teacher.
    failures = Handover.history.filter(id=h.pk, history_change_reason=hs.PIN_FAILED)
    assert failures.count() == hs.PIN_MAX_ATTEMPTS
    assert {f.history_user for f in failures} == {teacher}
    # Now even the right PIN is refused today...
    with pytest.raises(ValidationError) as exc:
        hs.handover_confirm_pin(actor=teacher, handover=h, guardian=guardian, pin="2580")
    assert "locked" in exc.value.message_dict["pin"][0]
    h.refresh_from_db()
    assert h.confirmed_at is None
    # ... but the guardian can still sign, and tomorrow's handover is a new one.
    hs.handover_confirm_signature(actor=teacher, handover=h, guardian=guardian, signature=SIGNATURE)
    h.refresh_from_db()
    assert h.confirm_method == Handover.Method.SIGNATURE


def test_pin_checks_before_counting(classroom):
    h = record_dropoff(classroom)
    teacher = classroom.world.user("teacher1a")
    guardian = classroom.guardians["K1"]
    with pytest.raises(ValidationError) as exc:  # no PIN set yet
        hs.handover_confirm_pin(actor=teacher, handover=h, guardian=guardian, pin="2580")
    assert "not set a PIN" in exc.value.message_dict["pin"][0]
    set_pin(classroom)
    for bad in ("12", "abcd", "12345", ""):
        with pytest.raises(ValidationError) as exc:
            hs.handover_confirm_pin(actor=teacher, handover=h, guardian=guardian, pin=bad)
        assert "4 digits" in exc.value.message_dict["pin"][0]
    assert hs.pin_failures(h) == 0


def test_pin_lockout_on_the_teachers_phone(classroom, client):
    set_pin(classroom, pin="2580")
    h = record_dropoff(classroom)
    login(client, classroom, "teacher1a")
    k1 = classroom.children["K1"]
    data = {"date": today().strftime("%d/%m/%Y"), "child": k1.pk, "action": "pin",
            "pin-guardian": classroom.guardians["K1"].pk, "pin-pin": "9753"}
    for attempt in range(1, hs.PIN_MAX_ATTEMPTS + 1):
        response = client.post(day_url(classroom), data)
        assert response.status_code == 400
        body = response.content.decode()
        if attempt < hs.PIN_MAX_ATTEMPTS:
            assert f"Wrong PIN. {hs.PIN_MAX_ATTEMPTS - attempt} attempt(s) left today." in body
        else:
            assert "PIN confirmation is locked for this child today" in body
    page = client.get(day_url(classroom, child=k1.pk)).content.decode()
    assert "PIN confirmation is locked" in page
    assert 'name="pin-pin"' not in page  # the PIN form is gone; the signature pad stays
    assert "<canvas" in page
    response = client.post(day_url(classroom), {**data, "pin-pin": "2580"})
    h.refresh_from_db()
    assert h.confirmed_at is None


# --- confirmation with a drawn signature ---------------------------------------------------------------------


def test_signature_confirmation_stores_a_small_svg(classroom, client):
    h = record_dropoff(classroom)
    login(client, classroom, "teacher1a")
    response = client.post(day_url(classroom), {
        "date": today().strftime("%d/%m/%Y"), "child": classroom.children["K1"].pk, "action": "signature",
        "sig-guardian": classroom.guardians["K1"].pk, "sig-signature": SIGNATURE})
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.confirm_method == Handover.Method.SIGNATURE and h.confirmed_by == classroom.guardians["K1"]
    assert h.signature_svg.startswith("<svg") and f'd="{SIGNATURE}"' in h.signature_svg
    assert hs.signature_path(h.signature_svg) == SIGNATURE
    # The page shows it as an image (data: URI), never as inline markup.
    page = client.get(day_url(classroom, child=classroom.children["K1"].pk)).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page


@pytest.mark.parametrize("signature,words", [
    ("", "empty"),
    ("   ", "empty"),
    ("M10 10", "empty"),  # a dot is not a signature
    ("M10 10 L" + " L".join(f"{i % 300} {i % 120}" for i in range(4000)), "too large"),
    ('M10 10 L20 20 L30 30"/><script>alert(1)</script>', "could not be read"),
    ("<svg onload=alert(1)>", "could not be read"),
])
def test_bad_signatures_are_refused(classroom, signature, words):
    h = record_dropoff(classroom)
    with pytest.raises(ValidationError) as exc:
        hs.handover_confirm_signature(actor=classroom.world.user("teacher1a"), handover=h,
                                      guardian=classroom.guardians["K1"], signature=signature)
    assert words in exc.value.message_dict["signature"][0]
    h.refresh_from_db()
    assert h.confirmed_at is None and h.signature_svg == ""


# --- another family ------------------------------------------------------------------------------------------


def test_a_parent_of_another_family_cannot_confirm(classroom, client):
    h2 = record_dropoff(classroom, key="K2")
    parent = classroom.world.user("parent1a")
    with pytest.raises(ValidationError) as exc:
        hs.handover_confirm_portal(actor=parent, handover=h2)
    assert "only the drop-off of your own children" in exc.value.messages[0]
    login(client, classroom, "parent1a")
    response = client.post(reverse("portal:confirm", args=[h2.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "only the drop-off of your own children" in body
    assert "ZZ-child-K2" not in body and "ZZ-guardian-K2" not in body
    # On the teacher's phone: K1's guardian (with her PIN) cannot confirm K2.
    set_pin(classroom, key="K1", pin="2580")
    with pytest.raises(ValidationError) as exc:
        hs.handover_confirm_pin(actor=classroom.world.user("teacher1a"), handover=h2,
                                guardian=classroom.guardians["K1"], pin="2580")
    assert "not registered as a guardian of this child" in exc.value.message_dict["guardian"][0]
    with pytest.raises(ValidationError):
        hs.handover_confirm_signature(actor=classroom.world.user("teacher1a"), handover=h2,
                                      guardian=classroom.guardians["K1"], signature=SIGNATURE)
    h2.refresh_from_db()
    assert h2.confirmed_at is None and h2.confirmed_by is None
    # A forged guardian id on the page is refused the same way.
    login(client, classroom, "teacher1a")
    response = client.post(day_url(classroom), {
        "date": today().strftime("%d/%m/%Y"), "child": classroom.children["K2"].pk, "action": "signature",
        "sig-guardian": classroom.guardians["K1"].pk, "sig-signature": SIGNATURE})
    assert response.status_code == 400
    h2.refresh_from_db()
    assert h2.confirmed_at is None


def test_confirmation_needs_a_recorded_dropoff(classroom):
    h = hs.handover_pickup(actor=classroom.world.user("teacher1a"), group=classroom.groups["G1"],
                           child=classroom.children["K1"], day=today(), guardian=classroom.guardians["K1"])
    with pytest.raises(ValidationError) as exc:
        hs.handover_confirm_portal(actor=classroom.world.user("parent1a"), handover=h)
    assert "not been recorded" in exc.value.messages[0]


# --- pick-up -------------------------------------------------------------------------------------------------------


def _pickup(classroom, actor="teacher1a", key="K1", **kwargs):
    return hs.handover_pickup(actor=classroom.world.user(actor), group=group_of(classroom, key),
                              child=classroom.children[key], day=today(), **kwargs)


def _person(classroom, name, *, valid_from=None, valid_to=None, key="K1"):
    child = classroom.children[key]
    return AuthorisedPickup.objects.create(child=child, school=child.school, full_name=name, relation="bác",
                                           valid_from=valid_from, valid_to=valid_to)


def test_pickup_by_a_guardian_with_the_days_notes(classroom):
    record_dropoff(classroom)
    h = _pickup(classroom, guardian=classroom.guardians["K1"], meals="Ăn hết suất", nap="Ngủ 2 tiếng",
                day_notes="Vui vẻ")
    h.refresh_from_db()
    assert h.pickup_guardian == classroom.guardians["K1"] and h.pickup_at is not None
    assert (h.meals, h.nap, h.day_notes) == ("Ăn hết suất", "Ngủ 2 tiếng", "Vui vẻ")
    assert h.pickup_override_by is None and h.pickup_recorded_by == classroom.world.user("teacher1a")


def test_pickup_by_an_authorised_person_valid_today(classroom):
    person = _person(classroom, "ZZ-pickup-aunt", valid_from=today() - dt.timedelta(days=3),
                     valid_to=today() + dt.timedelta(days=3))
    h = _pickup(classroom, person=person)
    h.refresh_from_db()
    assert h.pickup_person == person and h.pickup_override_by is None
    always = _person(classroom, "ZZ-pickup-grandpa")  # no period: always valid
    assert _pickup(classroom, person=always).pickup_person == always


def test_pickup_by_an_expired_authorised_person_is_refused(classroom):
    expired = _person(classroom, "ZZ-pickup-expired", valid_from=today() - dt.timedelta(days=30),
                      valid_to=today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        _pickup(classroom, person=expired)
    message = exc.value.message_dict["collected_by"][0]
    assert "ZZ-pickup-expired is not authorised" in message and "principal" in message
    assert not Handover.objects.exists()


def test_pickup_by_someone_not_on_the_list_is_refused_unless_the_principal_overrides(classroom, client):
    with pytest.raises(ValidationError) as exc:
        _pickup(classroom, other_name="ZZ-stranger")
    assert "not on the list of people who may collect" in exc.value.message_dict["collected_by"][0]
    with pytest.raises(ValidationError):  # another child's person is not on K1's list either
        _pickup(classroom, person=_person(classroom, "ZZ-K2-uncle", key="K2"))
    with pytest.raises(ValidationError) as exc:  # the principal, without a reason
        _pickup(classroom, actor="principal1a", other_name="ZZ-stranger")
    assert set(exc.value.message_dict) == {"override_reason"}
    assert not Handover.objects.exists()

    reason = "Mẹ gọi điện báo nhờ cô hàng xóm đón, đã xác minh qua video"
    h = _pickup(classroom, actor="vice1a", other_name="ZZ-stranger", override_reason=reason)
    h.refresh_from_db()
    vice = classroom.world.user("vice1a")
    assert h.pickup_other_name == "ZZ-stranger" and h.pickup_override_by == vice
    assert h.pickup_override_reason == reason
    record = h.history.filter(pickup_override_reason=reason).get()
    assert record.history_user == vice and record.pickup_override_by_id == vice.pk
    # On the page: the teacher gets the refusal with a clear message; the override field is not hers.
    login(client, classroom, "teacher1a")
    response = client.post(day_url(classroom), {
        "date": today().strftime("%d/%m/%Y"), "child": classroom.children["K2"].pk, "action": "pickup",
        "p-collected_by": "other", "p-other_name": "ZZ-stranger", "p-override_reason": "trust me"})
    assert response.status_code == 400
    assert "not on the list of people who may collect" in response.content.decode()
    assert not Handover.objects.filter(child=classroom.children["K2"]).exists()


def test_principal_override_through_the_page(classroom, client):
    expired = _person(classroom, "ZZ-pickup-expired", valid_to=today() - dt.timedelta(days=1))
    login(client, classroom, "principal1a")
    base = {"date": today().strftime("%d/%m/%Y"), "child": classroom.children["K1"].pk, "action": "pickup",
            "p-collected_by": f"p{expired.pk}"}
    page = client.get(day_url(classroom, child=classroom.children["K1"].pk)).content.decode()
    assert "not valid on this day" in page and 'name="p-override_reason"' in page
    assert client.post(day_url(classroom), base).status_code == 400
    response = client.post(day_url(classroom), {**base, "p-override_reason": "Giấy ủy quyền mới đang làm"})
    assert response.status_code == 302
    h = Handover.objects.get(child=classroom.children["K1"])
    assert h.pickup_person == expired and h.pickup_override_by == classroom.world.user("principal1a")


# --- the page of a group's day: a fixed number of queries ----------------------------------------------------


def _fill_group(classroom, gkey: str, total: int) -> list[Child]:
    """Add children (each with two guardians) to a group until it holds ``total``; half have arrived."""
    group = classroom.groups[gkey]
    existing = Enrolment.objects.filter(group=group, end_date__isnull=True).count()
    kids = []
    for n in range(existing, total):
        child = Child.objects.create(school=group.school, full_name=f"ZZ-child-{gkey}-{n}",
                                     birth_date=dt.date(2018, 1, 1) + dt.timedelta(days=n), sex="M")
        Enrolment.objects.create(child=child, group=group, school=group.school,
                                 start_date=classroom.year.start_date)
        for relation in ("mother", "father"):
            Guardian.objects.create(child=child, school=group.school, full_name=f"ZZ-g-{n}-{relation}",
                                    relation=relation, is_primary=relation == "mother")
        AuthorisedPickup.objects.create(child=child, school=group.school, full_name=f"ZZ-p-{n}")
        kids.append(child)
    for child in kids[::2]:
        hs.handover_dropoff(actor=classroom.world.user("principal1a"), group=group, child=child, day=today(),
                            temperature="36.6")
    return kids


def _count(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return response, len(ctx.captured_queries)


# session, user, grants, group, children, handovers, guardians, and for a teacher her assignment to the group.
GET_QUERIES = 8
# A one-tap drop-off: the page's reads (no teacher check for a principal), the enrolment check, the handover's
# get-or-create with its savepoints, its audit row, the scoping check of the written row, the session's message.
POST_QUERIES = 18


def test_group_page_of_35_children_runs_a_fixed_number_of_queries(classroom, client, django_assert_num_queries):
    _fill_group(classroom, "G1", 35)
    _fill_group(classroom, "G2", 3)
    login(client, classroom, "principal1a")
    with django_assert_num_queries(GET_QUERIES - 1):  # a principal: no teacher-assignment check
        response = client.get(day_url(classroom, "G1"))
    assert response.status_code == 200 and len(response.context["rows"]) == 35
    with django_assert_num_queries(GET_QUERIES - 1):
        small = client.get(day_url(classroom, "G2"))
    assert len(small.context["rows"]) == 3
    login(client, classroom, "teacher1a")
    with django_assert_num_queries(GET_QUERIES):
        response = client.get(day_url(classroom, "G1"))
    body = response.content.decode()
    assert body.count('class="handover-row') == 35 and "ZZ-child-K4" not in body
    # One child's panel open: her pick-up list (and, once she arrived, the PIN attempts), not one per child.
    with django_assert_num_queries(GET_QUERIES + 1):
        client.get(day_url(classroom, "G1", child=classroom.children["K1"].pk))
    record_dropoff(classroom, key="K1")
    with django_assert_num_queries(GET_QUERIES + 2):
        response = client.get(day_url(classroom, "G1", child=classroom.children["K1"].pk))
    assert response.context["panel"]["pin"] is not None


def test_group_page_post_runs_a_fixed_number_of_queries(classroom, client, django_assert_num_queries):
    _fill_group(classroom, "G1", 35)
    _fill_group(classroom, "G2", 3)
    login(client, classroom, "principal1a")
    counts = []
    for gkey, key in (("G1", "K2"), ("G2", "K4")):
        child = classroom.children[key]
        data = {"date": today().strftime("%d/%m/%Y"), "child": child.pk, "action": "quick",
                "q-brought_by": classroom.guardians[key].pk}
        response, n = _count(lambda d=data, g=gkey: client.post(day_url(classroom, g), d))
        assert response.status_code == 302, response.content.decode()[:500]
        assert Handover.objects.get(child=child).dropoff_at is not None
        counts.append(n)
    assert counts == [POST_QUERIES, POST_QUERIES], f"35-child group: {counts[0]}, 3-child group: {counts[1]}"
    with django_assert_num_queries(POST_QUERIES):
        client.post(day_url(classroom, "G1"), {"date": today().strftime("%d/%m/%Y"),
                                               "child": classroom.children["K3"].pk, "action": "quick"})
    # htmx answers with the child's row only, in a fixed number of queries too.
    k1 = classroom.children["K1"]
    data = {"date": today().strftime("%d/%m/%Y"), "child": k1.pk, "action": "dropoff", "d-state": "normal",
            "d-temperature": "36,7", "d-brought_by": classroom.guardians["K1"].pk}
    response, n = _count(lambda: client.post(day_url(classroom), data, HTTP_HX_REQUEST="true"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<article id="child-{k1.pk}"') and "36,7 °C" in body
    assert n <= 30, n


def test_quick_dropoff_and_day_page_badges(classroom, client):
    login(client, classroom, "teacher1a")
    k2 = classroom.children["K2"]
    response = client.post(day_url(classroom), {"date": today().strftime("%d/%m/%Y"), "child": k2.pk,
                                                "action": "quick", "q-brought_by": classroom.guardians["K2"].pk})
    assert response.status_code == 302 and f"child={k2.pk}" in response["Location"]
    h = Handover.objects.get(child=k2)
    assert h.state == "normal" and h.dropoff_by == classroom.guardians["K2"]
    page = client.get(day_url(classroom)).content.decode()
    row = re.search(rf'<article id="child-{k2.pk}".*?</article>', page, re.S).group(0)
    assert "status-arrived" in row and "Not confirmed" in row


# --- the printable book ----------------------------------------------------------------------------------------


def test_the_book_prints_like_the_paper_book(classroom, client):
    guardian = set_pin(classroom, pin="2580")
    h1 = record_dropoff(classroom, temperature="37.8", state="unwell", symptoms="ZZ-sym-ho",
                        medicine="ZZ-med-siro", medicine_dose="5 ml", medicine_time="10:30")
    hs.handover_confirm_signature(actor=classroom.world.user("teacher1a"), handover=h1, guardian=guardian,
                                  signature=SIGNATURE)
    hs.handover_pickup(actor=classroom.world.user("teacher1a"), group=classroom.groups["G1"],
                       child=classroom.children["K1"], day=today(), guardian=guardian, meals="ZZ-meal-het",
                       nap="ZZ-nap-ok", day_notes="ZZ-note-vui")
    record_dropoff(classroom, key="K2")
    login(client, classroom, "teacher1a")
    url = reverse("attendance:handover-book", args=[classroom.groups["G1"].pk])
    response = client.get(url, {"date": today().strftime("%d/%m/%Y")})
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3", "37,8 °C", "ZZ-sym-ho", "ZZ-med-siro", "5 ml",
                 "10:30", "ZZ-meal-het", "ZZ-nap-ok", "ZZ-note-vui", 'src="data:image/svg+xml;base64,',
                 today().strftime("%d/%m/%Y"), 'class="book"'):
        assert text in body, text
    assert "ZZ-child-K4" not in body
    # Print CSS: the navigation disappears on paper.
    css_text = Path(finders.find("mamnon/mamnon.css")).read_text()
    assert "@media print" in css_text and ".book-day" in css_text
    # A range of days, capped at a month; the other group's teacher and parents are refused.
    assert client.get(url, {"from": "01/01/2024", "to": "31/12/2024"}).context["errors"]
    assert client.get(reverse("attendance:handover-book", args=[classroom.groups["G2"].pk])).status_code == 404
    login(client, classroom, "parent1a")
    assert client.get(url).status_code == 403


def test_groups_page_counts_today(classroom, client):
    record_dropoff(classroom, key="K1")
    record_dropoff(classroom, key="K2")
    hs.handover_confirm_portal(actor=classroom.world.user("parent1a"), handover=Handover.objects.get(
        child=classroom.children["K1"]))
    login(client, classroom, "teacher1a")
    response = client.get(reverse("attendance:handover-groups"))
    groups = list(response.context["groups"])
    assert [g.name for g in groups] == ["ZZ-group-G1"]
    g1 = groups[0]
    assert (g1.enrolled, g1.arrived, g1.confirmed, g1.collected) == (3, 2, 1, 0)
    login(client, classroom, "principal1a")
    names = {g.name for g in client.get(reverse("attendance:handover-groups")).context["groups"]}
    assert names == {"ZZ-group-G1", "ZZ-group-G2"}


# --- the principal sets a guardian's PIN ------------------------------------------------------------------------


def test_principal_sets_a_guardians_pin_teacher_cannot(classroom, client):
    guardian = classroom.guardians["K2"]
    url = reverse("attendance:guardian-pin", args=[guardian.pk])
    login(client, classroom, "teacher1a")
    assert client.get(url).status_code in (403, 404)
    login(client, classroom, "principal1a")
    response = client.post(url, {"pin": "1111", "pin_again": "1111"})
    assert response.status_code == 400 and "too easy" in response.content.decode()
    response = client.post(url, {"pin": "4826", "pin_again": "4862"})
    assert response.status_code == 400 and "differ" in response.content.decode()
    assert client.post(url, {"pin": "4826", "pin_again": "4826"}).status_code == 302
    guardian.refresh_from_db()
    assert check_password("4826", guardian.pin_hash)
    login(client, classroom, "principal2")
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        hs.guardian_set_pin(actor=classroom.world.user("teacher1a"), guardians=[guardian], pin="4826")


def test_earlier_days_are_corrected_by_the_principal_only(classroom, client):
    yesterday = today() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        record_dropoff(classroom, day=yesterday, at=dt.time(7, 15))
    assert "principal" in exc.value.message_dict["date"][0]
    h = record_dropoff(classroom, actor="principal1a", day=yesterday, at=dt.time(7, 15))
    assert timezone.localtime(h.dropoff_at).strftime("%d/%m %H:%M") == yesterday.strftime("%d/%m 07:15")
    login(client, classroom, "teacher1a")
    page = client.get(day_url(classroom, date=yesterday.strftime("%d/%m/%Y"), child=classroom.children["K1"].pk))
    assert page.status_code == 200 and not page.context["can_write"]
    assert 'name="d-state"' not in page.content.decode()
    response = client.post(day_url(classroom), {"date": yesterday.strftime("%d/%m/%Y"),
                                                "child": classroom.children["K2"].pk, "action": "quick"})
    assert response.status_code == 403
    assert not Handover.objects.filter(child=classroom.children["K2"]).exists()
