"""Pages and API: who sees which statements; the QR code on a statement decodes to its payload."""

import datetime as dt

import numpy as np
import pytest
import segno
import zxingcpp
from rest_framework.test import APIClient

from mamnon.calc import vietqr
from mamnon.fees import selectors, services
from mamnon.fees.models import Payment, Statement
from tests.conftest import PASSWORD
from tests.fees.conftest import MARCH


@pytest.fixture
def issued(fees):
    c = fees.classroom
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    return {k: Statement.objects.filter(child=c.children[k]).first() for k in ("K1", "K2", "K3", "K4")}


def login(client, world, key):
    client.force_login(world.user(key))
    return client


def test_qr_code_decodes_to_the_payload(issued):
    s = issued["K1"]
    payload = selectors.qr_payload(s)
    assert vietqr.parse(payload).amount == s.total and vietqr.parse(payload).reference == s.reference
    matrix = np.pad(np.array(list(segno.make(payload, error="m").matrix), dtype=np.uint8), 4)
    image = np.kron(np.where(matrix, 0, 255).astype(np.uint8), np.ones((5, 5), dtype=np.uint8))
    decoded = zxingcpp.read_barcodes(image)
    assert [d.text for d in decoded] == [payload]
    svg = selectors.qr_svg(payload)
    assert svg.startswith("<svg") and "path" in svg


def test_statement_page_for_the_accountant_and_a_payment(client, fees, issued):
    w = fees.world
    s = issued["K2"]
    login(client, w, "accountant1a")
    r = client.get(f"/fees/statements/{s.pk}/")
    assert r.status_code == 200 and b"<svg" in r.content and s.reference.encode() in r.content
    r = client.post(f"/fees/statements/{s.pk}/", {"amount": 598000, "method": "cash", "paid_on": "02/04/2024"})
    assert r.status_code == 302
    r = client.post(f"/fees/statements/{s.pk}/", {"amount": 598000, "method": "cash", "paid_on": "02/04/2024"})
    assert r.status_code == 400 and "already paid in full" in r.content.decode()
    assert Payment.objects.count() == 1


def test_vietnamese_message_for_a_statement_paid_twice(fees, issued, settings):
    from django.test import Client

    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    s = issued["K4"]
    services.payment_record(actor=w.user("accountant1a"), statement=s, amount=598000, method="cash", paid_on=MARCH)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(w.user("accountant1a"))
    r = client.post(f"/fees/statements/{s.pk}/", {"amount": 1000, "method": "cash", "paid_on": "02/04/2024"})
    assert r.status_code == 400
    assert "đã được thanh toán đủ" in r.content.decode()


def test_index_generate_and_import_pages(client, fees, issued):
    w = fees.world
    login(client, w, "accountant1a")
    r = client.get(f"/fees/?school={w.schools['S1a'].pk}&month=2024-03")
    assert r.status_code == 200 and w.marker("child-K1").encode() in r.content
    r = client.post("/fees/generate/", {"school": w.schools["S1a"].pk, "month": "2024-04"})
    assert r.status_code == 302 and Statement.objects.filter(month=dt.date(2024, 4, 1)).count() == 4
    r = client.get(f"/fees/import/?school={w.schools['S1a'].pk}")
    assert r.status_code == 200
    r = client.get(f"/fees/arrears/?school={w.schools['S1a'].pk}")
    assert r.status_code == 200 and w.marker("child-K4").encode() in r.content
    r = client.get(f"/fees/table/?school={w.schools['S1a'].pk}&year={fees.classroom.year.pk}")
    assert r.status_code == 200
    r = client.post(f"/fees/table/?school={w.schools['S1a'].pk}&year={fees.classroom.year.pk}", {
        "food_per_day": 25000, "fuel_per_day": 3000, "policy": "refund", "fees": "Nước uống = 10000"})
    assert r.status_code == 400  # statements exist: the policy cannot change mid-year


@pytest.mark.parametrize("key,allowed", [("principal1b", False), ("principal2", False), ("teacher1a", False),
                                         ("district2", False), ("district1", True), ("principal1a", True),
                                         ("vice1a", True), ("parent1a", False)])
def test_statement_pages_scoped(client, fees, issued, key, allowed):
    login(client, fees.world, key)
    r = client.get(f"/fees/statements/{issued['K2'].pk}/")
    assert r.status_code == (200 if allowed else 404)
    r = client.get(f"/fees/?school={fees.world.schools['S1a'].pk}")
    assert r.status_code == (200 if allowed else 404)


def test_officer_reads_but_cannot_pay(client, fees, issued):
    login(client, fees.world, "district1")
    r = client.post(f"/fees/statements/{issued['K2'].pk}/", {"amount": 1, "method": "cash", "paid_on": "02/04/2024"})
    assert r.status_code == 403


def test_parent_sees_own_child_only_in_the_portal(client, fees, issued):
    w = fees.world
    login(client, w, "parent1a")
    r = client.get("/fees/portal/")
    assert r.status_code == 200
    body = r.content.decode()
    assert w.marker("child-K1") in body and w.marker("child-K2") not in body
    r = client.get(f"/fees/portal/{issued['K1'].pk}/")
    assert r.status_code == 200 and "<svg" in r.content.decode()
    assert client.get(f"/fees/portal/{issued['K2'].pk}/").status_code == 404
    assert client.get(f"/fees/statements/{issued['K2'].pk}/").status_code == 404
    assert "/fees/portal/" in client.get("/portal/").content.decode()


def api(world, key):
    c = APIClient()
    c.force_authenticate(world.user(key))
    return c


def test_api_statements_scoped(fees, issued):
    w = fees.world
    ids = {k: s.pk for k, s in issued.items()}
    got = {r["id"] for r in api(w, "accountant1a").get("/api/fee-statements/").json()["results"]}
    assert got == set(ids.values())
    got = [r for r in api(w, "parent1a").get("/api/fee-statements/").json()["results"]]
    assert [r["id"] for r in got] == [ids["K1"]] and got[0]["vietqr"].startswith("000201")
    assert api(w, "principal2").get("/api/fee-statements/").json()["results"] == []
    assert api(w, "district2").get("/api/fee-statements/").json()["results"] == []
    assert len(api(w, "district1").get("/api/fee-statements/").json()["results"]) == 4
    assert len(api(w, "principal2").get("/api/fee-tables/").json()["results"]) == 0
    assert len(api(w, "principal1a").get("/api/fee-tables/").json()["results"]) == 1


def test_api_payments(fees, issued):
    w = fees.world
    s = issued["K3"]
    r = api(w, "accountant1a").post("/api/fee-payments/", {"statement": s.pk, "amount": "598000", "method": "transfer",
                                                           "paid_on": "02/04/2024", "bank_ref": "FT9"}, format="json")
    assert r.status_code == 201, r.content
    r = api(w, "accountant1a").post("/api/fee-payments/", {"statement": s.pk, "amount": "1000", "method": "cash",
                                                           "paid_on": "02/04/2024"}, format="json")
    assert r.status_code == 400 and "amount" in r.json()
    for key in ("parent1a", "district1", "principal2"):
        r = api(w, key).post("/api/fee-payments/", {"statement": issued["K1"].pk, "amount": "1000", "method": "cash",
                                                    "paid_on": "02/04/2024"}, format="json")
        assert r.status_code in (400, 403)
    assert Payment.objects.count() == 1
    assert len(api(w, "parent1a").get("/api/fee-payments/").json()["results"]) == 0


def test_password_constant_is_used(fees):
    assert PASSWORD
