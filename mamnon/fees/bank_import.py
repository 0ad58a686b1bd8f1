"""Import of a bank statement (.xlsx or .csv, sao kê tài khoản): credits matched to statements by reference.

The file is read once; every row is checked (date, amount) before anything is written: one error and
nothing is recorded (the messages name the row and the column). Each credit whose description holds a
statement reference (``MN`` + yymm + ``C`` + child id, as the VietQR code puts it in the transfer) becomes a
transfer payment of that statement; the rest are listed as unmatched with the reason (no reference, an
unknown reference, a statement already paid or carried over, more than it owes, a transaction already
imported). Statements are read in one query, payments written in one bulk insert.

Two steps: ``preview_statement`` is the dry run (what would be recorded, what not and why, every error; it
writes nothing), ``import_statement`` the confirmation (one transaction, statements locked). The preview
hands the confirmation the file's SHA-256 and a fingerprint of its matches: a file changed since, a file
imported before (the same transactions, ``rows_key``, at the school) or statements paid meanwhile make the
confirmation refuse and record nothing. The views keep the uploaded file between the two steps (uploads.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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
class Match:
    """A credit matched to a statement: what the preview shows and the confirmation records."""

    row: int
    date: dt.date
    reference: str
    amount: Decimal
    statement_id: int
    child_name: str
    month: dt.date
    bank_ref: str
    description: str


@dataclass
class Result:
    rows: int = 0
    matched: list[Match] = field(default_factory=list)
    unmatched: list[tuple[int, str, Decimal, str]] = field(default_factory=list)  # (row, description, amount, why)
    errors: list[str] = field(default_factory=list)
    digest: str = ""  # SHA-256 of the file
    batch: object = None  # the BankImport written by the confirmation

    @property
    def matched_total(self) -> Decimal:
        return sum((m.amount for m in self.matched), Decimal(0))

    @property
    def plan_key(self) -> str:
        """A fingerprint of what the confirmation would record (row, statement, amount of each match): the
        preview hands it to the confirmation, which refuses when the statements changed meanwhile."""
        text = ";".join(f"{m.row}:{m.statement_id}:{m.amount}" for m in self.matched)
        return hashlib.sha256(f"{self.digest}|{text}".encode()).hexdigest()


class StalePreview(ValidationError):
    """The confirmation would not record what the preview showed (the file or the statements changed)."""


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


def check_upload(name: str, size: int) -> None:
    """The checks an upload passes before it is kept (the page's form and the API): not empty, at most 5 MB,
    a .xlsx or .csv name."""
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if not str(name or "").lower().endswith((".xlsx", ".csv")):
        raise ValidationError(_("Upload a .xlsx or .csv file."))


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rows_key(rows: list[Row]) -> str:
    """SHA-256 of the transactions the file holds (date, amount, description, bank number of every row): the
    same statement saved again (a new .xlsx differs in its bytes) has the same key."""
    text = "\n".join(f"{r.date.isoformat()}|{r.amount}|{r.description}|{r.bank_ref}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def _require_keeper(actor, school) -> None:
    if not services.may_keep_fees(actor, school):
        raise PermissionDenied(_("Only the school's accountant, principal or vice-principal keep its fees."))


def _already(school, digest: str) -> str | None:
    """The message when the same transactions were imported at the school before (``rows_key``), else None."""
    done = BankImport.objects.filter(school=school, sha256=digest).select_related("imported_by").first()
    if done is None:
        return None
    return _("This file was already imported on %(date)s by %(who)s: its payments are recorded.") % {
        "date": timezone.localtime(done.imported_at).strftime("%d/%m/%Y %H:%M"),
        "who": (done.imported_by.full_name or done.imported_by.username) if done.imported_by else "-"}


def _match(*, school, rows: list[Row], result: Result, lock: bool) -> dict[int, Statement]:
    """Fill ``result.matched`` / ``unmatched``; returns the statements touched (their ``paid`` increased in
    memory). Statements in one query (locked for the confirmation), earlier transactions in another."""
    refs = {}
    for row in rows:
        m = REFERENCE_RE.search(row.description.upper())
        refs[row.number] = f"MN{m.group(1)}C{int(m.group(2))}" if m else None
    qs = Statement.objects.select_related("carried_into", "child")
    if lock:
        qs = qs.select_for_update(of=("self",))
    statements = {s.reference: s for s in qs.filter(school=school, reference__in={r for r in refs.values() if r})}
    seen_refs = set(Payment.objects.filter(school=school, bank_ref__in={r.bank_ref for r in rows if r.bank_ref})
                    .values_list("bank_ref", flat=True))
    touched = {}
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
        result.matched.append(Match(row.number, row.date, ref, row.amount, statement.pk, statement.child.full_name,
                                    statement.month, row.bank_ref, row.description))
    return touched


def preview_statement(*, actor, school, file_name: str, data: bytes) -> Result:
    """The dry run: what the import would record, and every error; writes nothing.

    A file that cannot be read at all raises ValidationError; broken rows and a file imported before are
    listed in ``result.errors`` (the preview shows them with the rest)."""
    _require_keeper(actor, school)
    rows, errors = parse(file_name, data)
    result = Result(rows=len(rows), errors=list(errors), digest=digest_of(data))
    already = _already(school, rows_key(rows)) if rows else None
    if already:
        result.errors.insert(0, already)
    _match(school=school, rows=rows, result=result, lock=False)
    return result


@transaction.atomic
def import_statement(*, actor, school, file_name: str, data: bytes, expect_digest: str | None = None,
                     expect_plan: str | None = None) -> Result:
    """Parse, match and record, all or nothing; raises ValidationError (the messages) when any row is broken or
    the file was imported before, StalePreview when ``expect_digest`` / ``expect_plan`` (from the preview)
    no longer hold."""
    _require_keeper(actor, school)
    digest = digest_of(data)
    if expect_digest is not None and digest != expect_digest:
        raise StalePreview(_("The file changed since the preview: upload it again."))
    rows, errors = parse(file_name, data)
    if errors:
        raise ValidationError(errors)
    key = rows_key(rows)
    already = _already(school, key)
    if already:
        raise ValidationError(already)
    result = Result(rows=len(rows), digest=digest)
    touched = _match(school=school, rows=rows, result=result, lock=True)
    if expect_plan is not None and result.plan_key != expect_plan:
        raise StalePreview(_("The statements changed since the preview (a payment was recorded meanwhile): "
                             "nothing was recorded. Check the new preview and confirm again."))
    batch = BankImport.objects.create(school=school, file_name=file_name[:200], rows=len(rows),
                                      matched=len(result.matched), sha256=key, imported_by=actor)
    Payment.objects.bulk_create(
        [Payment(school=school, statement_id=m.statement_id, child_id=touched[m.statement_id].child_id,
                 amount=m.amount, method=Payment.Method.TRANSFER, paid_on=m.date, bank_ref=m.bank_ref,
                 description=m.description[:300], recorded_by=actor, bank_import=batch) for m in result.matched],
        batch_size=500)
    Statement.objects.bulk_update(list(touched.values()), ["paid"], batch_size=500)
    result.batch = batch
    return result
