"""Bank statement import in two steps: the preview (dry run) writes nothing, the confirmation writes all or
nothing, refuses a stale preview, and another school's accountant reaches neither."""

import datetime as dt
import re

import pytest
from django.test import Client

from mamnon.core.roles import Role
from mamnon.fees import bank_import, services, uploads
from mamnon.fees.models import BankImport, Payment, Statement
from tests.conftest import make_user
from tests.fees.test_bank_import import xlsx

pytestmark = pytest.mark.usefixtures("media")  # uploads go to a temporary MEDIA_ROOT


def good_file(issued) -> bytes:
    # K1 owes 438,000 (NĐ 105 support), K2 and K3 598,000 each (tests/fees/conftest.py).
    return xlsx([
        ("02/04/2024", "FT101", 438000, f"PH chuyen tien {issued['K1'].reference}"),
        ("03/04/2024", "FT102", "598.000", f"hoc phi {issued['K2'].reference}"),
        ("03/04/2024", "FT103", 50000, "ung ho quy lop"),
    ])


def login(client, world, key):
    client.force_login(world.user(key))
    return client


def upload(client, school, data, name="saoke.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(f"/fees/import/?school={school.pk}", {"file": SimpleUploadedFile(name, data)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert r["Location"].startswith("/fees/import/preview/?token=")
    return r["Location"].split("token=")[1]


def hidden(body: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', body).group(1)


def nothing_written(issued):
    assert not Payment.objects.exists() and not BankImport.objects.exists()
    assert set(Statement.objects.values_list("paid", flat=True)) == {0}


def test_service_preview_writes_nothing(fees, issued):
    w = fees.world
    result = bank_import.preview_statement(actor=w.user("accountant1a"), school=w.schools["S1a"],
                                           file_name="saoke.xlsx", data=good_file(issued))
    assert [(m.row, m.statement_id, m.child_name, m.amount) for m in result.matched] == [
        (3, issued["K1"].pk, w.marker("child-K1"), 438000), (4, issued["K2"].pk, w.marker("child-K2"), 598000)]
    assert result.matched_total == 1036000
    assert [(r, why) for r, _d, _a, why in result.unmatched] == [(5, "no statement reference")]
    assert result.errors == []
    nothing_written(issued)


def test_preview_then_confirm_records_all(client, fees, issued):
    w = fees.world
    login(client, w, "accountant1a")
    token = upload(client, w.schools["S1a"], good_file(issued))
    nothing_written(issued)
    r = client.get(f"/fees/import/preview/?token={token}")
    body = r.content.decode()
    assert r.status_code == 200
    assert w.marker("child-K1") in body and issued["K1"].reference in body and "438.000 đ" in body
    assert "2 payments to record (1.036.000 đ), 1 rows not matched" in body
    assert "no statement reference" in body and "Record 2 payments" in body
    nothing_written(issued)  # looking at the preview records nothing
    form = {"token": token, "digest": hidden(body, "digest"), "plan": hidden(body, "plan")}
    r = client.post("/fees/import/confirm/", form)
    assert r.status_code == 302 and r["Location"] == f"/fees/import/?school={w.schools['S1a'].pk}"
    assert Payment.objects.filter(method="transfer").count() == 2
    batch = BankImport.objects.get()
    assert (batch.rows, batch.matched, batch.imported_by) == (3, 2, w.user("accountant1a"))
    k1, k2, k3 = (Statement.objects.get(pk=issued[k].pk) for k in ("K1", "K2", "K3"))
    assert k1.is_paid and k2.is_paid and k3.paid == 0
    r = client.get(r["Location"])
    assert "2 payments recorded (1.036.000 đ) from saoke.xlsx." in r.content.decode()
    # The upload is gone: a second click records nothing more.
    r = client.post("/fees/import/confirm/", form)
    assert r.status_code == 302 and Payment.objects.count() == 2
    # The same file uploaded again: the preview says it was imported and offers no confirmation.
    token = upload(client, w.schools["S1a"], good_file(issued), name="again.xlsx")
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    assert "This file was already imported on" in body and 'name="plan"' not in body
    r = client.post("/fees/import/confirm/", {"token": token, "digest": "", "plan": ""})
    assert Payment.objects.count() == 2 and BankImport.objects.count() == 1


def test_a_bad_row_blocks_everything(client, fees, issued):
    w = fees.world
    data = xlsx([
        ("02/04/2024", "FT101", 438000, issued["K1"].reference),
        ("31/02/2024", "FT102", 598000, issued["K2"].reference),  # no such day
    ])
    login(client, w, "accountant1a")
    token = upload(client, w.schools["S1a"], data)
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    assert "Row 4, column Ngày: not a date (dd/mm/yyyy)." in body
    assert 'name="plan"' not in body  # no confirmation offered
    # Posting the confirmation anyway records nothing, and says why.
    r = client.post("/fees/import/confirm/", {"token": token, "digest": bank_import.digest_of(data), "plan": ""},
                    follow=True)
    assert "Nothing was recorded. Row 4, column Ngày: not a date (dd/mm/yyyy)." in r.content.decode()
    nothing_written(issued)


def test_the_error_names_row_and_field_in_vietnamese(fees, issued, settings):
    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    data = xlsx([("02/04/2024", "FT101", "12,5", issued["K1"].reference)])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(w.user("accountant1a"))
    token = upload(client, w.schools["S1a"], data)
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    assert "Dòng 3, cột Số tiền: không phải số tiền nguyên (đồng)." in body
    nothing_written(issued)


def test_a_payment_recorded_after_the_preview_makes_it_stale(client, fees, issued):
    w = fees.world
    login(client, w, "accountant1a")
    token = upload(client, w.schools["S1a"], good_file(issued))
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    form = {"token": token, "digest": hidden(body, "digest"), "plan": hidden(body, "plan")}
    # Meanwhile K1's family pays in cash at the school.
    services.payment_record(actor=w.user("accountant1a"), statement=issued["K1"], amount=438000, method="cash",
                            paid_on=dt.date(2024, 4, 2))
    r = client.post("/fees/import/confirm/", form)
    body = r.content.decode()
    assert r.status_code == 409 and "The statements changed since the preview" in body
    assert Payment.objects.count() == 1 and not BankImport.objects.exists()  # only the cash payment
    # The new preview (same file, kept) shows K1's transfer unmatched; confirming it records K2's only.
    assert "already paid in full" in body and "Record 1 payment" in body
    r = client.post("/fees/import/confirm/", {"token": token, "digest": hidden(body, "digest"),
                                              "plan": hidden(body, "plan")})
    assert r.status_code == 302
    assert Statement.objects.get(pk=issued["K2"].pk).is_paid
    assert Payment.objects.filter(method="transfer").count() == 1


def test_a_file_changed_after_the_preview_is_refused(client, fees, issued):
    w = fees.world
    login(client, w, "accountant1a")
    token = upload(client, w.schools["S1a"], good_file(issued))
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    form = {"token": token, "digest": hidden(body, "digest"), "plan": hidden(body, "plan")}
    stored = uploads.get(token, user=w.user("accountant1a"))
    stored.path.write_bytes(xlsx([("02/04/2024", "FT101", 1000, issued["K1"].reference)]))
    r = client.post("/fees/import/confirm/", form)
    assert r.status_code == 409 and "The file changed since the preview" in r.content.decode()
    nothing_written(issued)


def test_service_refuses_a_stale_plan(fees, issued):
    w = fees.world
    data = good_file(issued)
    result = bank_import.preview_statement(actor=w.user("accountant1a"), school=w.schools["S1a"],
                                           file_name="s.xlsx", data=data)
    with pytest.raises(bank_import.StalePreview):
        bank_import.import_statement(actor=w.user("accountant1a"), school=w.schools["S1a"], file_name="s.xlsx",
                                     data=data, expect_digest=result.digest, expect_plan="0" * 64)
    nothing_written(issued)


def test_another_schools_accountant_reaches_neither_step(client, fees, issued):
    w = fees.world
    other_accountant = make_user("accountant2", unit=w.units["S2"], role=Role.ACCOUNTANT)
    login(client, w, "accountant1a")
    token = upload(client, w.schools["S1a"], good_file(issued))
    body = client.get(f"/fees/import/preview/?token={token}").content.decode()
    form = {"token": token, "digest": hidden(body, "digest"), "plan": hidden(body, "plan")}

    other = Client()
    other.cookies["django_language"] = "en"
    other.force_login(other_accountant)
    assert other.get(f"/fees/import/?school={w.schools['S1a'].pk}").status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = other.post(f"/fees/import/?school={w.schools['S1a'].pk}", {"file": SimpleUploadedFile("x.xlsx", b"x")})
    assert r.status_code == 404
    r = other.get(f"/fees/import/preview/?token={token}", follow=True)
    body = r.content.decode()
    assert "no longer available" in body and w.marker("child-K1") not in body
    r = other.post("/fees/import/confirm/", form)
    assert r.status_code == 302 and r["Location"] == "/fees/import/"
    nothing_written(issued)
    # The owner's upload is untouched and still confirms.
    assert client.post("/fees/import/confirm/", form).status_code == 302
    assert Payment.objects.count() == 2
    # Staff of the same school who do not keep its fees cannot use the import either.
    for key in ("teacher1a", "parent1a", "kitchen1a"):
        c = Client()
        c.force_login(w.user(key))
        assert c.get(f"/fees/import/?school={w.schools['S1a'].pk}").status_code == 404


def test_service_refuses_another_schools_accountant(fees, issued):
    from django.core.exceptions import PermissionDenied

    w = fees.world
    other = make_user("accountant2", unit=w.units["S2"], role=Role.ACCOUNTANT)
    for call in (bank_import.preview_statement, bank_import.import_statement):
        with pytest.raises(PermissionDenied):
            call(actor=other, school=w.schools["S1a"], file_name="s.xlsx", data=good_file(issued))
    nothing_written(issued)
