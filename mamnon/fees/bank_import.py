"""Import of a bank statement (.xlsx or .csv, sao kê tài khoản): credits matched to statements by reference.

The file is read once; every row is checked (date, amount) before anything is written: one error and
nothing is recorded (the messages name the row and the column). Each credit whose description holds a
statement reference (``MN`` + yymm + ``C`` + child id, as the VietQR code puts it in the transfer) becomes a
transfer payment of that statement; the rest are listed as unmatched with the reason (no reference, an
unknown reference, a statement already paid or carried over, more than it owes, a transaction already
imported). Statements are read in one query, payments written in one bulk insert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from mamnon.calc.text import fold
from mamnon.fees import services
from mamnon.fees.models import BankImport, Payment, Statement

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 15
REFERENCE_RE = re.compile(r"MN\s?(\d{4})\s?C\s?(\d{1,10})", re.IGNORECASE)

# Column key -> (label in messages, folded header names seen on Vietnamese banks' statements)
COLUMNS = {
    "date": ("Ngày", ("ngay", "ngay giao dich", "ngay gd", "ngay hieu luc", "ngay ghi so", "date",
                      "transaction date")),
    "amount": ("Số tiền", ("so tien", "so tien ghi co", "ghi co", "so tien co", "credit", "amount", "phat sinh co",
                           "so tien (vnd)")),
    "description": ("Nội dung", ("noi dung", "dien giai", "mo ta", "noi dung giao dich", "noi dung chuyen khoan",
                                 "description", "details")),
    "bank_ref": ("Số tham chiếu", ("so tham chieu", "ma giao dich", "so but toan", "ma gd", "reference",
                                   "so giao dich", "transaction id")),
}
REQUIRED = ("date", "amount", "description")


@dataclass
class Row:
    number: int
    date: dt.date
    amount: Decimal
    description: str
    bank_ref: str


@dataclass
class Result:
    rows: int = 0
    matched: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (row, reference, amount)
    unmatched: list[tuple[int, str, Decimal, str]] = field(default_factory=list)  # (row, description, amount, why)
    errors: list[str] = field(default_factory=list)

    @property
    def matched_total(self) -> Decimal:
        return sum((a for _r, _ref, a in self.matched), Decimal(0))


def _header_key(value) -> str:
    text = fold(str(value)) if value is not None else ""
    text = re.sub(r"[*:]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _read_table(name: str, data: bytes) -> list[list]:
    if name.lower().endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook gets the same message
            raise ValidationError(_("The file is not a readable .xlsx workbook.")) from None
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS)]
    if name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The .csv file must be saved as UTF-8.")) from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [r for r in csv.reader(io.StringIO(text), dialect)][: MAX_ROWS + HEADER_SEARCH_ROWS]
    raise ValidationError(_("Upload a .xlsx or .csv file."))


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().split(" ")[0]
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _amount(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # openpyxl reads every number cell as int or float; a float must hold whole đồng.
        return Decimal(int(value)) if value.is_integer() else None
    text = re.sub(r"\s|đ|VND|vnd", "", str(value))
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d == d.to_integral_value() else None


def parse(name: str, data: bytes) -> tuple[list[Row], list[str]]:
    """The rows of the file, and the errors (each naming its row and column)."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    table = _read_table(name, data)
    header_at, columns = None, {}
    for i, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        found = {}
        for j, cell in enumerate(row):
            key = _header_key(cell)
            for col, (_label, names) in COLUMNS.items():
                if key in names and col not in found:
                    found[col] = j
        if all(c in found for c in REQUIRED):
            header_at, columns = i, found
            break
    if header_at is None:
        raise ValidationError(_("No header row with the columns Ngày, Số tiền and Nội dung was found in the first "
                                "%(n)d rows.") % {"n": HEADER_SEARCH_ROWS})
    rows, errors = [], []

    def cell(row, col):
        j = columns.get(col)
        return row[j] if j is not None and j < len(row) else None

    for i, raw in enumerate(table[header_at + 1:], start=header_at + 2):
        if all(v is None or str(v).strip() == "" for v in raw):
            continue
        number_errors = []
        day = _date(cell(raw, "date"))
        if day is None:
            number_errors.append(_("Row %(row)d, column %(column)s: not a date (dd/mm/yyyy).")
                                 % {"row": i, "column": COLUMNS["date"][0]})
        amount = _amount(cell(raw, "amount"))
        if amount is None:
            number_errors.append(_("Row %(row)d, column %(column)s: not a whole amount of đồng.")
                                 % {"row": i, "column": COLUMNS["amount"][0]})
        errors += number_errors
        if not number_errors:
            rows.append(Row(i, day, amount, str(cell(raw, "description") or "").strip(),
                            str(cell(raw, "bank_ref") or "").strip()[:60]))
    return rows, errors


@transaction.atomic
def import_statement(*, actor, school, file_name: str, data: bytes) -> Result:
    """Parse, match and record; raises ValidationError (the messages) when any row is broken."""
    from django.core.exceptions import PermissionDenied

    if not services.may_keep_fees(actor, school):
        raise PermissionDenied(_("Only the school's accountant, principal or vice-principal keep its fees."))
    rows, errors = parse(file_name, data)
    if errors:
        raise ValidationError(errors)
    result = Result(rows=len(rows))
    refs = {}
    for row in rows:
        m = REFERENCE_RE.search(row.description.upper())
        refs[row.number] = f"MN{m.group(1)}C{int(m.group(2))}" if m else None
    locked = Statement.objects.select_for_update(of=("self",)).select_related("carried_into")
    statements = {s.reference: s for s in locked.filter(school=school, reference__in={r for r in refs.values() if r})}
    seen_refs = set(Payment.objects.filter(school=school, bank_ref__in={r.bank_ref for r in rows if r.bank_ref})
                    .values_list("bank_ref", flat=True))
    payments, touched = [], {}
    for row in rows:
        ref = refs[row.number]
        if row.amount <= 0:
            result.unmatched.append((row.number, row.description, row.amount, _("not a credit")))
            continue
        if row.bank_ref and row.bank_ref in seen_refs:
            result.unmatched.append((row.number, row.description, row.amount, _("transaction already imported")))
            continue
        if ref is None:
            result.unmatched.append((row.number, row.description, row.amount, _("no statement reference")))
            continue
        statement = statements.get(ref)
        if statement is None:
            result.unmatched.append((row.number, row.description, row.amount,
                                     _("no statement %(ref)s at this school") % {"ref": ref}))
            continue
        why = services.check_payable(statement, row.amount)
        if why:
            result.unmatched.append((row.number, row.description, row.amount, why))
            continue
        statement.paid += row.amount
        touched[statement.pk] = statement
        if row.bank_ref:
            seen_refs.add(row.bank_ref)
        payments.append(Payment(school=school, statement=statement, child_id=statement.child_id, amount=row.amount,
                                method=Payment.Method.TRANSFER, paid_on=row.date, bank_ref=row.bank_ref,
                                description=row.description[:300], recorded_by=actor))
        result.matched.append((row.number, ref, row.amount))
    batch = BankImport.objects.create(school=school, file_name=file_name[:200], rows=len(rows),
                                      matched=len(payments), imported_by=actor)
    for p in payments:
        p.bank_import = batch
    Payment.objects.bulk_create(payments, batch_size=500)
    Statement.objects.bulk_update(list(touched.values()), ["paid"], batch_size=500)
    return result
