"""The accountant's page of support eligibility records (NĐ 105/2020 Điều 7 khoản 1): entering them, the errors
naming the field, the statements following them, and who reaches which school's records."""

import datetime as dt

import pytest
from django.test import Client

from mamnon.core.roles import Role
from mamnon.fees import services
from mamnon.fees.models import Statement, SupportEligibility
from tests.conftest import make_user
from tests.fees.conftest import MARCH

PROOF = "Giấy chứng nhận con liệt sĩ số 45/GCN-LĐTBXH ngày 12/05/2021"


def login(client, world, key):
    client.force_login(world.user(key))
    return client


def url(w, school="S1a"):
    return f"/fees/eligibility/?school={w.schools[school].pk}"


def record(c, key="K3", start=dt.date(2024, 3, 1), end=None):
    child = c.children[key]
    return SupportEligibility.objects.create(school=child.school, child=child, situation="war_merit",
                                             evidence=PROOF, valid_from=start, valid_to=end)


def test_accountant_records_an_entitlement_and_the_statement_follows(client, fees):
    c = fees.classroom
    w = c.world
    login(client, w, "accountant1a")
    r = client.post(url(w), {"school": w.schools["S1a"].pk, "child": c.children["K3"].pk, "situation": "war_merit",
                             "evidence": PROOF, "valid_from": "01/03/2024", "valid_to": ""})
    assert r.status_code == 302
    row = SupportEligibility.objects.get()
    assert (row.child, row.valid_from, row.valid_to, row.recorded_by) == (
        c.children["K3"], dt.date(2024, 3, 1), None, w.user("accountant1a"))
    body = client.get(url(w)).content.decode()
    assert w.marker("child-K3") in body and PROOF in body and "01/03/2024" in body and "until further notice" in body
    services.statements_generate(actor=w.user("accountant1a"), school=w.schools["S1a"], month=MARCH)
    k3 = Statement.objects.get(child=c.children["K3"], month=MARCH)
    # 21 days x 28,000 + 10,000 water - 160,000 NĐ 105 lunch support
    assert (k3.support_amount, k3.total) == (160000, 438000)


def test_ending_an_entitlement(client, fees):
    c = fees.classroom
    w = c.world
    row = record(c)
    login(client, w, "accountant1a")
    assert client.get(f"/fees/eligibility/{row.pk}/").status_code == 200
    r = client.post(f"/fees/eligibility/{row.pk}/", {"child": c.children["K3"].pk, "situation": "war_merit",
                                                     "evidence": PROOF, "valid_from": "01/03/2024",
                                                     "valid_to": "31/03/2024"})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.valid_to == dt.date(2024, 3, 31)


@pytest.mark.parametrize("change,field,message", [
    ({"valid_to": "01/02/2024"}, "valid_to", "The end date cannot be before the start date."),
    ({"evidence": "  "}, "evidence", "This field is required."),
    ({"valid_from": "31/02/2024"}, "valid_from", "Enter a valid date."),
    ({"situation": "rich"}, "situation", "Select a valid choice."),
])
def test_bad_input_names_the_field_and_writes_nothing(client, fees, change, field, message):
    c = fees.classroom
    w = c.world
    login(client, w, "accountant1a")
    data = {"school": w.schools["S1a"].pk, "child": c.children["K3"].pk, "situation": "war_merit",
            "evidence": PROOF, "valid_from": "01/03/2024", "valid_to": ""} | change
    r = client.post(url(w), data)
    assert r.status_code == 400
    assert message in r.context["form"].errors[field][0]
    assert not SupportEligibility.objects.exists()


def test_overlapping_periods_refused_in_vietnamese(fees, settings):
    settings.LANGUAGE_CODE = "vi"
    c = fees.classroom
    w = c.world
    record(c, start=dt.date(2024, 1, 1), end=dt.date(2024, 5, 31))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(w.user("accountant1a"))
    r = client.post(url(w), {"school": w.schools["S1a"].pk, "child": c.children["K3"].pk, "situation": "war_merit",
                             "evidence": PROOF, "valid_from": "01/05/2024", "valid_to": ""})
    assert r.status_code == 400
    assert (f"{w.marker('child-K3')} đã có chế độ này từ 01/01/2024 đến 31/05/2024: các khoảng thời gian bị trùng."
            in r.content.decode())
    assert SupportEligibility.objects.count() == 1


def test_a_child_of_another_school_cannot_be_chosen(client, fees):
    c = fees.classroom
    w = c.world
    login(client, w, "accountant1a")
    r = client.post(url(w), {"school": w.schools["S1a"].pk, "child": c.children["K6"].pk, "situation": "war_merit",
                             "evidence": PROOF, "valid_from": "01/03/2024"})
    assert r.status_code == 400 and "Select a valid choice" in r.context["form"].errors["child"][0]
    assert w.marker("child-K6") not in r.content.decode()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:  # the service checks it too
        services.eligibility_save(actor=w.user("accountant1a"), school=w.schools["S1a"],
                                  child_id=c.children["K6"].pk, situation="war_merit", evidence=PROOF,
                                  valid_from=dt.date(2024, 3, 1))
    assert exc.value.message_dict == {"child": ["Choose a child of this school."]}
    assert not SupportEligibility.objects.exists()


@pytest.mark.parametrize("key,reads,writes", [
    ("accountant1a", True, True), ("principal1a", True, True), ("vice1a", True, True),
    ("district1", True, False), ("teacher1a", False, False), ("kitchen1a", False, False),
    ("parent1a", False, False), ("principal1b", False, False), ("principal2", False, False),
    ("district2", False, False),
])
def test_who_reaches_the_page(client, fees, key, reads, writes):
    c = fees.classroom
    w = c.world
    row = record(c)
    login(client, w, key)
    r = client.get(url(w))
    assert r.status_code == (200 if reads else 404)
    if reads:
        assert w.marker("child-K3") in r.content.decode()
        assert ('name="evidence"' in r.content.decode()) is writes
    r = client.post(url(w), {"school": w.schools["S1a"].pk, "child": c.children["K2"].pk, "situation": "war_merit",
                             "evidence": PROOF, "valid_from": "01/03/2024"})
    assert r.status_code == (302 if writes else 403 if reads else 404)
    assert client.get(f"/fees/eligibility/{row.pk}/").status_code == (200 if writes else 404)
    assert SupportEligibility.objects.count() == (2 if writes else 1)


def test_another_schools_accountant_sees_none_of_it(client, fees):
    c = fees.classroom
    w = c.world
    row = record(c)
    other = make_user("accountant2", unit=w.units["S2"], role=Role.ACCOUNTANT)
    client.force_login(other)
    r = client.get("/fees/eligibility/")  # her own school, empty
    assert r.status_code == 200 and w.marker("S2") in r.content.decode()
    assert w.marker("child-K3") not in r.content.decode() and PROOF not in r.content.decode()
    assert client.get(url(w)).status_code == 404
    assert client.get(f"/fees/eligibility/{row.pk}/").status_code == 404
    r = client.post(f"/fees/eligibility/{row.pk}/", {"child": c.children["K3"].pk, "situation": "war_merit",
                                                     "evidence": "x", "valid_from": "01/01/2020"})
    assert r.status_code == 404
    row.refresh_from_db()
    assert row.evidence == PROOF
