"""Bank statement import: real .xlsx and .csv files, matching by reference, all-or-nothing."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from mamnon.fees import bank_import, services
from mamnon.fees.models import BankImport, Payment, Statement
from tests.fees.conftest import MARCH


def xlsx(rows, title=("SAO KÊ TÀI KHOẢN", None)) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(title))
    ws.append(["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"])
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def issued(fees):
    c = fees.classroom
    services.statements_generate(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"], month=MARCH)
    return {k: Statement.objects.filter(child=c.children[k]).first() for k in ("K1", "K2", "K3", "K4")}


def test_xlsx_import_matches_by_reference(fees, issued):
    c = fees.classroom
    k1, k2, k4 = issued["K1"], issued["K2"], issued["K4"]
    data = xlsx([
        (dt.datetime(2024, 4, 2, 9, 15), "FT001", 438000, f"NGUYEN VAN A chuyen tien {k1.reference} tien an"),
        ("03/04/2024", "FT002", "300.000", f"MBVCB.123.{k2.reference.lower()}.CT"),  # lower case, glued
        ("03/04/2024", "FT003", 298000, f"{k2.reference} lan 2"),  # the rest of K2
        ("04/04/2024", "FT004", 700000, f"{k4.reference}"),  # more than owed: unmatched
        ("04/04/2024", "FT005", 50000, "ung ho quy lop"),  # no reference
        ("05/04/2024", "FT006", 1000, "MN2403C999999"),  # unknown reference
    ])
    result = bank_import.import_statement(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                          file_name="saoke.xlsx", data=data)
    assert [(m.row, m.reference) for m in result.matched] == [(3, k1.reference), (4, k2.reference),
                                                                (5, k2.reference)]
    assert [m.child_name for m in result.matched] == [c.children[k].full_name for k in ("K1", "K2", "K2")]
    assert [r for r, *_ in result.unmatched] == [6, 7, 8]
    assert "more than what statement" in result.unmatched[0][3]
    k1.refresh_from_db()
    k2.refresh_from_db()
    assert k1.is_paid and k2.is_paid and k2.paid == 598000
    assert Payment.objects.filter(method="transfer").count() == 3
    # The same file again is refused as a whole; a later statement repeating its transactions records
    # nothing new for them.
    with pytest.raises(ValidationError, match="already imported"):
        bank_import.import_statement(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                     file_name="saoke.xlsx", data=data)
    later = xlsx([(dt.datetime(2024, 4, 2, 9, 15), "FT001", 438000, f"chuyen tien {k1.reference}"),
                  ("03/04/2024", "FT002", "300.000", f"MBVCB.123.{k2.reference.lower()}.CT"),
                  ("06/04/2024", "FT007", 100000, k4.reference)])
    again = bank_import.import_statement(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                         file_name="saoke2.xlsx", data=later)
    assert [m.row for m in again.matched] == [5] and Payment.objects.count() == 4
    assert {why for *_x, why in again.unmatched} == {"transaction already imported"}


def test_csv_import(fees, issued):
    c = fees.classroom
    k3 = issued["K3"]
    text = f"Ngày;Số tiền;Diễn giải;Mã giao dịch\n02/04/2024;598000;HP {k3.reference};T1\n"
    result = bank_import.import_statement(actor=c.world.user("principal1a"), school=c.world.schools["S1a"],
                                          file_name="saoke.csv", data=text.encode("utf-8"))
    assert len(result.matched) == 1
    k3.refresh_from_db()
    assert k3.is_paid


def test_broken_rows_write_nothing(fees, issued):
    c = fees.classroom
    k1 = issued["K1"]
    data = xlsx([
        ("02/04/2024", "FT1", 438000, k1.reference),
        ("31/02/2024", "FT2", 1000, k1.reference),
        ("03/04/2024", "FT3", "12,5", k1.reference),
    ])
    with pytest.raises(ValidationError) as exc:
        bank_import.import_statement(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                     file_name="x.xlsx", data=data)
    assert exc.value.messages == ["Row 4, column Ngày: not a date (dd/mm/yyyy).",
                                  "Row 5, column Số tiền: not a whole amount of đồng."]
    assert not Payment.objects.exists() and not BankImport.objects.exists()
    k1.refresh_from_db()
    assert k1.paid == 0


@pytest.mark.parametrize("name,data", [("x.pdf", b"%PDF"), ("x.xlsx", b"not a zip"), ("x.csv", b"a,b\n1,2"),
                                       ("x.csv", "Ngày,Số tiền,Nội dung\n".encode("utf-16"))])
def test_unreadable_files(fees, name, data):
    c = fees.classroom
    with pytest.raises(ValidationError):
        bank_import.import_statement(actor=c.world.user("accountant1a"), school=c.world.schools["S1a"],
                                     file_name=name, data=data)
