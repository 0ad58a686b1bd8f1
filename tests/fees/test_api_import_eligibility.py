"""API of the bank-statement import (preview, then confirm) and of the support eligibility records: the page's
rules (tests/fees/test_bank_import_preview.py, test_eligibility_page.py) through /api/, per role, with the bad
inputs refused in Vietnamese and nothing written."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mamnon.children.models import ChildStatus
from mamnon.fees import services, uploads
from mamnon.fees.models import BankImport, Payment, Statement, SupportEligibility
from tests.fees.conftest import MARCH
from tests.fees.test_bank_import import xlsx

pytestmark = pytest.mark.usefixtures("media")  # uploads go to a temporary MEDIA_ROOT

PROOF = "Giấy chứng nhận con liệt sĩ số 45/GCN-LĐTBXH ngày 12/05/2021"
ROLES = ["teacher1a", "accountant1a", "principal1a", "district1", "district2", "parent1a"]
KEEPERS = {"accountant1a", "principal1a"}


def api(world, key, lang="en") -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_authenticate(world.user(key))
    return c


def good_file(issued) -> bytes:
    # K1 owes 438,000 (21 days x 28,000 + 10,000 water - 160,000 NĐ 105 support for K1's disability),
    # K2 598,000 (21 x 28,000 + 10,000): tests/fees/conftest.py.
    return xlsx([
        ("02/04/2024", "FT101", 438000, f"PH chuyen tien {issued['K1'].reference}"),
        ("03/04/2024", "FT102", "598.000", f"hoc phi {issued['K2'].reference}"),
        ("03/04/2024", "FT103", 50000, "ung ho quy lop"),
    ])


def preview(client, school, data, name="saoke.xlsx"):
    return client.post("/api/fee-imports/preview/", {"school": school.pk, "file": SimpleUploadedFile(name, data)},
                       format="multipart")


def nothing_written():
    assert not Payment.objects.exists() and not BankImport.objects.exists()
    assert set(Statement.objects.values_list("paid", flat=True)) == {0}


# --- the import ---------------------------------------------------------------------------------------


def test_preview_then_confirm(fees, issued):
    w = fees.world
    client = api(w, "accountant1a")
    r = preview(client, w.schools["S1a"], good_file(issued))
    assert r.status_code == 200, r.content
    body = r.json()
    assert [(m["row"], m["statement"], m["child_name"], m["amount"], m["bank_ref"]) for m in body["matched"]] == [
        (3, issued["K1"].pk, w.marker("child-K1"), "438000", "FT101"),
        (4, issued["K2"].pk, w.marker("child-K2"), "598000", "FT102")]
    assert body["matched"][0]["date"] == "2024-04-02" and body["matched"][0]["month"] == "2024-03-01"
    assert body["unmatched"] == [{"row": 5, "description": "ung ho quy lop", "amount": "50000",
                                  "reason": "no statement reference"}]
    assert (body["rows"], body["matched_total"], body["errors"], body["can_confirm"]) == (3, "1036000", [], True)
    nothing_written()  # the preview records nothing
    r = client.post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")}, format="json")
    assert r.status_code == 201, r.content
    done = r.json()
    assert (done["payments"], done["matched_total"], done["bank_import"]["rows"], done["bank_import"]["matched"]) \
        == (2, "1036000", 3, 2)
    assert sorted(Payment.objects.values_list("statement_id", "amount", "method", "bank_ref")) == sorted([
        (issued["K1"].pk, 438000, "transfer", "FT101"), (issued["K2"].pk, 598000, "transfer", "FT102")])
    assert Statement.objects.get(pk=issued["K1"].pk).is_paid and Statement.objects.get(pk=issued["K3"].pk).paid == 0
    # A second confirmation of the same upload finds it gone: 400 naming the token, nothing more recorded.
    r = client.post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")}, format="json")
    assert r.status_code == 400 and "no longer available" in r.json()["token"][0]
    assert Payment.objects.count() == 2
    # The imports are listed.
    assert [b["file_name"] for b in client.get("/api/fee-imports/").json()["results"]] == ["saoke.xlsx"]
    # The same statement uploaded again: refused at the preview, no token.
    r = preview(client, w.schools["S1a"], good_file(issued), name="again.xlsx")
    assert r.status_code == 400 and "already imported" in r.json()["file"][0]
    assert r.json()["preview"]["token"] is None


def test_csv_preview(fees, issued):
    w = fees.world
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Ngày", "Số tiền", "Nội dung", "Số tham chiếu"])
    writer.writerow(["05/04/2024", "598000", f"CK {issued['K3'].reference}", "FT7"])
    r = preview(api(w, "principal1a"), w.schools["S1a"], buf.getvalue().encode(), name="saoke.csv")
    assert r.status_code == 200, r.content
    assert [m["statement"] for m in r.json()["matched"]] == [issued["K3"].pk]
    nothing_written()


@pytest.mark.parametrize("name,data,message", [
    ("saoke.pdf", b"%PDF-1.4", "Hãy tải lên tệp .xlsx hoặc .csv."),
    ("saoke.xlsx", b"", "Tệp rỗng."),
    ("saoke.xlsx", b"not a workbook", "Tệp không phải là tệp .xlsx đọc được."),
])
def test_a_file_that_cannot_be_read_is_refused_in_vietnamese(fees, issued, settings, name, data, message):
    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    r = preview(api(w, "accountant1a", lang="vi"), w.schools["S1a"], data, name=name)
    assert r.status_code == 400
    assert r.json()["file"] == [message]
    nothing_written()
    assert not list(uploads._dir().iterdir())  # nothing kept either


def test_broken_rows_refused_naming_row_and_column_in_vietnamese(fees, issued, settings):
    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    data = xlsx([
        ("02/04/2024", "FT101", 438000, issued["K1"].reference),
        ("31/02/2024", "FT102", 598000, issued["K2"].reference),  # no such day
        ("03/04/2024", "FT103", "12,5", issued["K3"].reference),  # not whole đồng
    ])
    r = preview(api(w, "accountant1a", lang="vi"), w.schools["S1a"], data)
    assert r.status_code == 400
    assert r.json()["file"] == ["Dòng 4, cột Ngày: không phải ngày (dd/mm/yyyy).",
                                "Dòng 5, cột Số tiền: không phải số tiền nguyên (đồng)."]
    shown = r.json()["preview"]
    assert shown["can_confirm"] is False and shown["token"] is None
    assert [m["row"] for m in shown["matched"]] == [3]  # the good row is shown, not recorded
    nothing_written()


def test_a_stale_preview_is_refused_with_the_fresh_one(fees, issued, settings):
    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    client = api(w, "accountant1a", lang="vi")
    body = preview(client, w.schools["S1a"], good_file(issued)).json()
    # Meanwhile K1's family pays in cash at the school.
    services.payment_record(actor=w.user("accountant1a"), statement=issued["K1"], amount=438000, method="cash",
                            paid_on=dt.date(2024, 4, 2))
    r = client.post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")}, format="json")
    assert r.status_code == 400
    assert r.json()["plan"] == ["Các thông báo thu đã thay đổi sau khi xem trước (vừa có khoản nộp được ghi nhận): "
                                "chưa ghi nhận gì. Hãy kiểm tra bản xem trước mới và xác nhận lại."]
    assert Payment.objects.count() == 1 and not BankImport.objects.exists()  # only the cash payment
    fresh = r.json()["preview"]
    assert [m["statement"] for m in fresh["matched"]] == [issued["K2"].pk]
    assert "đã được thanh toán đủ" in [u for u in fresh["unmatched"] if u["row"] == 3][0]["reason"]
    # The fresh preview confirms: K2's transfer only.
    r = client.post("/api/fee-imports/confirm/", {k: fresh[k] for k in ("token", "digest", "plan")}, format="json")
    assert r.status_code == 201 and r.json()["payments"] == 1
    assert Payment.objects.filter(method="transfer").get().statement_id == issued["K2"].pk


def test_a_file_changed_after_the_preview_is_refused(fees, issued):
    w = fees.world
    client = api(w, "accountant1a")
    body = preview(client, w.schools["S1a"], good_file(issued)).json()
    uploads.get(body["token"], user=w.user("accountant1a")).path.write_bytes(
        xlsx([("02/04/2024", "FT101", 1000, issued["K1"].reference)]))
    r = client.post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")}, format="json")
    assert r.status_code == 400 and r.json()["digest"] == ["The file changed since the preview: upload it again."]
    nothing_written()


def test_confirm_needs_its_fields(fees, issued, settings):
    settings.LANGUAGE_CODE = "vi"
    r = api(fees.world, "accountant1a", lang="vi").post("/api/fee-imports/confirm/", {}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"token", "digest", "plan"}
    assert r.json()["token"] == ["Trường này là bắt buộc."]


@pytest.mark.parametrize("key", ROLES)
def test_import_per_role(fees, issued, key):
    w = fees.world
    # An upload of S1a's accountant, which nobody else may confirm.
    body = preview(api(w, "accountant1a"), w.schools["S1a"], good_file(issued)).json()
    assert body["token"]
    client = api(w, key)
    r = preview(client, w.schools["S1a"], good_file(issued))
    if key in KEEPERS:
        assert r.status_code == 200 and len(r.json()["matched"]) == 2
    else:  # teachers, parents and officers keep no school's fees
        assert r.status_code == 403 and "accountant, principal or vice-principal" in r.json()["detail"]
    r = client.post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")}, format="json")
    if key == "accountant1a":
        assert r.status_code == 201
    elif key in KEEPERS:  # the token is the uploader's own
        assert r.status_code == 400 and "no longer available" in r.json()["token"][0]
    else:
        assert r.status_code == 403
    if key != "accountant1a":
        nothing_written()
        # The owner's upload is untouched and still confirms.
        r = api(w, "accountant1a").post("/api/fee-imports/confirm/", {k: body[k] for k in ("token", "digest", "plan")},
                                        format="json")
        assert r.status_code == 201
    # Who reads the imports: the school's fee keepers and the officers above it.
    seen = api(w, key).get("/api/fee-imports/").json()["results"]
    assert len(seen) == (1 if key in KEEPERS | {"district1"} else 0)


def test_another_schools_keeper_cannot_preview_for_this_school(fees, issued, settings):
    settings.LANGUAGE_CODE = "vi"
    w = fees.world
    r = preview(api(w, "principal2", lang="vi"), w.schools["S1a"], good_file(issued))
    assert r.status_code == 400 and r.json() == {"school": ["Hãy chọn một trường mà bạn quản lý các khoản thu."]}
    nothing_written()


# --- support eligibility ------------------------------------------------------------------------------


def record(c, key="K3", start=dt.date(2024, 3, 1), end=None):
    child = c.children[key]
    return SupportEligibility.objects.create(school=child.school, child=child, situation="war_merit",
                                             evidence=PROOF, valid_from=start, valid_to=end)


def new_row(c, key="K2", **change):
    return {"child": c.children[key].pk, "situation": "war_merit", "evidence": PROOF, "valid_from": "01/03/2024",
            "valid_to": None} | change


@pytest.mark.parametrize("key", ROLES)
def test_eligibility_per_role(fees, key):
    c = fees.classroom
    w = c.world
    row = record(c)
    client = api(w, key)
    reads = key in KEEPERS | {"district1"}  # like the page: not teachers, not parents, not another district
    listed = client.get("/api/fee-eligibility/").json()["results"]
    assert [r["id"] for r in listed] == ([row.pk] if reads else [])
    if reads:
        assert listed[0] == {"id": row.pk, "school": w.schools["S1a"].pk, "child": c.children["K3"].pk,
                                  "child_name": w.marker("child-K3"), "situation": "war_merit",
                                  "situation_label": "Child of a martyr, war invalid or sick soldier",
                                  "evidence": PROOF, "valid_from": "2024-03-01", "valid_to": None}
    assert client.get(f"/api/fee-eligibility/{row.pk}/").status_code == (200 if reads else 404)
    writes = key in KEEPERS
    r = client.post("/api/fee-eligibility/", new_row(c), format="json")
    assert r.status_code == (201 if writes else 403), r.content
    r = client.patch(f"/api/fee-eligibility/{row.pk}/", {"evidence": "QĐ 12/QĐ-UBND ngày 01/02/2024"},
                     format="json")
    assert r.status_code == (200 if writes else 403)
    r = client.post(f"/api/fee-eligibility/{row.pk}/end/", {"valid_to": "31/05/2024"}, format="json")
    assert r.status_code == (200 if writes else 403)
    row.refresh_from_db()
    if writes:
        assert (row.evidence, row.valid_to) == ("QĐ 12/QĐ-UBND ngày 01/02/2024", dt.date(2024, 5, 31))
        added = SupportEligibility.objects.exclude(pk=row.pk).get()
        assert (added.child, added.valid_from, added.valid_to, added.recorded_by, added.school) == (
            c.children["K2"], dt.date(2024, 3, 1), None, w.user(key), w.schools["S1a"])
    else:
        assert (row.evidence, row.valid_to) == (PROOF, None)
        assert SupportEligibility.objects.count() == 1


def test_create_then_the_statement_follows(fees):
    c = fees.classroom
    w = c.world
    r = api(w, "accountant1a").post("/api/fee-eligibility/", new_row(c, "K3"), format="json")
    assert r.status_code == 201
    services.statements_generate(actor=w.user("accountant1a"), school=w.schools["S1a"], month=MARCH)
    k3 = Statement.objects.get(child=c.children["K3"], month=MARCH)
    # 21 days x 28,000 + 10,000 water - 160,000 NĐ 105 lunch support
    assert (k3.support_amount, k3.total) == (160000, 438000)


@pytest.mark.parametrize("change,field,message", [
    ({"valid_from": "01/05/2024"}, "valid_from",
     "{child} đã có chế độ này từ 01/01/2024 đến 31/05/2024: các khoảng thời gian bị trùng."),
    ({"valid_from": "01/03/2024", "valid_to": "01/02/2024"}, "valid_to",
     "Ngày kết thúc không được trước ngày bắt đầu."),
    ({"evidence": "  "}, "evidence", "Trường này không được bỏ trống."),
    ({"valid_from": "31/02/2024"}, "valid_from", None),
    ({"situation": "rich"}, "situation", "Hãy chọn đối tượng của trẻ."),
])
def test_bad_eligibility_input_refused_in_vietnamese(fees, settings, change, field, message):
    settings.LANGUAGE_CODE = "vi"
    c = fees.classroom
    w = c.world
    record(c, start=dt.date(2024, 1, 1), end=dt.date(2024, 5, 31))
    r = api(w, "accountant1a", lang="vi").post("/api/fee-eligibility/", new_row(c, "K3", **change), format="json")
    assert r.status_code == 400
    got = r.json()[field][0]
    if message is None:
        assert "Ngày" in got  # DRF's own Vietnamese message for a date it cannot read
    else:
        assert got == message.format(child=w.marker("child-K3"))
    assert SupportEligibility.objects.count() == 1


def test_overlap_refused_when_correcting_too(fees):
    c = fees.classroom
    w = c.world
    record(c, start=dt.date(2023, 9, 1), end=dt.date(2024, 1, 31))
    later = record(c, start=dt.date(2024, 3, 1))
    r = api(w, "accountant1a").patch(f"/api/fee-eligibility/{later.pk}/", {"valid_from": "01/01/2024"},
                                     format="json")
    assert r.status_code == 400 and "the periods overlap" in r.json()["valid_from"][0]
    r = api(w, "accountant1a").post(f"/api/fee-eligibility/{later.pk}/end/", {"valid_to": "01/02/2024"},
                                    format="json")
    assert r.status_code == 400 and r.json()["valid_to"] == ["The end date cannot be before the start date."]
    later.refresh_from_db()
    assert (later.valid_from, later.valid_to) == (dt.date(2024, 3, 1), None)


def test_a_child_of_another_school_or_who_left_cannot_be_chosen(fees):
    c = fees.classroom
    w = c.world
    client = api(w, "accountant1a")
    for key in ("K6", "K5"):  # S2's child, S1b's child
        r = client.post("/api/fee-eligibility/", new_row(c, key), format="json")
        assert r.status_code == 400 and r.json() == {"child": ["Choose a child of this school."]}
    c.children["K2"].status = ChildStatus.LEFT
    c.children["K2"].save()
    r = client.post("/api/fee-eligibility/", new_row(c, "K2"), format="json")
    assert r.status_code == 400 and r.json() == {"child": ["Choose a child of this school."]}
    assert not SupportEligibility.objects.exists()


def test_another_schools_principal_reaches_nothing(fees):
    c = fees.classroom
    w = c.world
    row = record(c)
    client = api(w, "principal2")
    assert client.get("/api/fee-eligibility/").json()["results"] == []
    assert client.get(f"/api/fee-eligibility/{row.pk}/").status_code == 404
    assert client.patch(f"/api/fee-eligibility/{row.pk}/", {"evidence": "x"}, format="json").status_code == 404
    assert client.post(f"/api/fee-eligibility/{row.pk}/end/", {"valid_to": "31/03/2024"},
                       format="json").status_code == 404
    row.refresh_from_db()
    assert (row.evidence, row.valid_to) == (PROOF, None)


def test_schema_lists_the_endpoints(fees):
    import yaml

    doc = yaml.safe_load(api(fees.world, "accountant1a").get("/api/schema/").content)
    paths = doc["paths"]
    for path, methods in {"/api/fee-imports/": {"get"}, "/api/fee-imports/preview/": {"post"},
                          "/api/fee-imports/confirm/": {"post"}, "/api/fee-eligibility/": {"get", "post"},
                          "/api/fee-eligibility/{id}/": {"get", "put", "patch"},
                          "/api/fee-eligibility/{id}/end/": {"post"}}.items():
        assert methods <= set(paths[path]), path
    upload = paths["/api/fee-imports/preview/"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["$ref"].endswith("/ImportUploadRequest")
    assert {"school", "file"} <= set(doc["components"]["schemas"]["ImportUploadRequest"]["properties"])
    assert {"token", "digest", "plan", "matched", "unmatched", "errors"} <= set(
        doc["components"]["schemas"]["Preview"]["properties"])
