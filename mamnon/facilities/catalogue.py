"""Import of the minimum equipment list (Thông tư 02/2010/TT-BGDĐT, amended by TT 34/2013) from .xlsx or .csv:
all or nothing.

One row per item and age band; columns (Vietnamese headers, any order, diacritics optional):

    Mã | Tên thiết bị | Độ tuổi | Loại | Lĩnh vực phát triển | Đơn vị tính | Số lượng | Tính theo | Nguồn

Every error names its row and column; a file with any error writes nothing. Rows whose (age band, code)
already exists update that item. The shipped starter subset (``data/equipment_starter.csv``) is read by
the same code.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mamnon.calc.text import fold
from mamnon.core import scoping
from mamnon.facilities.models import EquipmentItem

STARTER = Path(__file__).parent / "data" / "equipment_starter.csv"
MAX_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 50_000_000

COLUMNS = {  # key: (header, required)
    "code": (gettext_lazy("Code"), "Mã", True),
    "name": (gettext_lazy("Item name"), "Tên thiết bị", True),
    "age_band": (gettext_lazy("Age band"), "Độ tuổi", True),
    "category": (gettext_lazy("Category"), "Loại", True),
    "domain": (gettext_lazy("Development domain"), "Lĩnh vực phát triển", False),
    "unit_name": (pgettext_lazy("equipment", "Unit"), "Đơn vị tính", False),
    "quantity": (gettext_lazy("Quantity"), "Số lượng", True),
    "basis": (gettext_lazy("Counted per"), "Tính theo", False),
    "source": (gettext_lazy("Source"), "Nguồn", False),
}
HEADERS = [vi for _label, vi, _req in COLUMNS.values()]

BANDS = {
    "3-12 thang": "c3_12", "13-24 thang": "c13_24", "25-36 thang": "c25_36",
    "3-4 tuoi": "k3", "4-5 tuoi": "k4", "5-6 tuoi": "k5",
}
BAND_LABELS = {v: k for k, v in BANDS.items()}
# The circular's own headings: "Nhóm trẻ 12 - 24 tháng tuổi", "NHÓM TRẺ 24 – 36 THÁNG TUỔI (25 TRẺ)",
# "Lớp mẫu giáo 5 - 6 tuổi" (TT 02/2010/TT-BGDĐT Điều 1, as quoted on the pages in docs/facilities.md).
BANDS.update({"12-24 thang": "c13_24", "24-36 thang": "c25_36"})
CATEGORY_PREFIXES = (("do dung", EquipmentItem.Category.FURNITURE), ("thiet bi", EquipmentItem.Category.TEACHING),
                     ("do choi", EquipmentItem.Category.TEACHING), ("hoc lieu", EquipmentItem.Category.TEACHING),
                     ("sach", EquipmentItem.Category.BOOKS), ("tai lieu", EquipmentItem.Category.BOOKS))
DOMAIN_WORDS = (("the chat", "physical"), ("nhan thuc", "cognitive"), ("ngon ngu", "language"),
                ("tinh cam", "social"), ("xa hoi", "social"), ("tham my", "aesthetic"), ("chung", "general"))


class CatalogueFileError(Exception):
    """The file as a whole cannot be read (not .xlsx/.csv, empty, a required column missing)."""


@dataclass(frozen=True)
class Issue:
    row: int
    column: str | None
    reason: str

    @property
    def message(self) -> str:
        if self.column is None:
            return _("Row %(row)s: %(reason)s") % {"row": self.row, "reason": self.reason}
        return _("Row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row, "column": COLUMNS[self.column][1], "reason": self.reason}

    def __str__(self):
        return self.message


@dataclass
class Plan:
    rows: list[dict] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------------------------------------


def _norm(text) -> str:
    return " ".join(fold(str(text)).replace("–", "-").replace("—", "-").split()) if text is not None else ""


def _read_rows(source, filename: str) -> list[tuple[int, list]]:
    """(row number as the user sees it, values) of every row, header included."""
    name = (filename or "").lower()
    if hasattr(source, "seek"):
        source.seek(0)
    if name.endswith(".csv"):
        raw = source.read()
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise CatalogueFileError(_("The .csv file must be saved as UTF-8 text.")) from exc
        sample = raw[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(raw), delimiter=delimiter), start=1)]
    if not name.endswith(".xlsx"):
        raise CatalogueFileError(_("Upload an Excel workbook (.xlsx) or a .csv file."))
    import openpyxl

    try:
        with zipfile.ZipFile(source) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise CatalogueFileError(_("This workbook is too large to import."))
        source.seek(0)
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except CatalogueFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise CatalogueFileError(_("This file is not an Excel workbook (.xlsx) that can be read.")) from exc
    ws = wb.worksheets[0]
    out = [(n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    return out


def _header(rows) -> tuple[int, dict[int, str]]:
    wanted = {_norm(vi): key for key, (_label, vi, _req) in COLUMNS.items()}
    wanted.update({key: key for key in COLUMNS})
    for idx, (_number, values) in enumerate(rows[:10]):
        found = {i: wanted[_norm(v)] for i, v in enumerate(values) if _norm(v) in wanted}
        if "code" in found.values() and "name" in found.values():
            missing = [COLUMNS[k][1] for k, (_l, _v, req) in COLUMNS.items() if req and k not in found.values()]
            if missing:
                raise CatalogueFileError(_("Required columns are missing: %(cols)s.") % {"cols": ", ".join(missing)})
            return idx, found
    raise CatalogueFileError(_("No header row found: the first rows must name the columns %(cols)s.")
                             % {"cols": ", ".join(HEADERS)})


def _quantity(value) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        q = Decimal(str(value))
    else:
        try:
            q = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError(_("“%(v)s” is not a number.") % {"v": value}) from exc
    if not q.is_finite() or q <= 0:
        raise ValueError(_("The quantity must be greater than 0."))
    if q >= 100_000 or q != q.quantize(Decimal("0.01")):
        raise ValueError(_("The quantity must be below 100,000 with at most 2 decimals."))
    return q


def band_code(value) -> str | None:
    """The age band a cell names, in the list's own words or the short form; None when it names none."""
    text = re.sub(r"\(.*?\)", " ", _norm(value))  # "(25 tre)": the group size in the circular's headings
    text = " ".join(text.replace(" - ", "-").split())
    for prefix in ("nhom tre ", "lop mau giao ", "lop "):
        text = text.removeprefix(prefix)
    if text.endswith("thang tuoi"):
        text = text.removesuffix(" tuoi")
    return BANDS.get(text) or (text if text in BAND_LABELS else None)


def _choice(value, table, what) -> str:
    text = _norm(value)
    for prefix, code in table:
        if text.startswith(prefix) or prefix in text:
            return str(code)
    raise ValueError(_("“%(v)s” is not a known %(what)s.") % {"v": value, "what": what})


def _clean(number: int, raw: dict, plan: Plan) -> dict | None:
    out: dict = {}
    bad = False

    def err(col, reason):
        nonlocal bad
        plan.errors.append(Issue(number, col, reason))
        bad = True

    for key, (_label, _vi, required) in COLUMNS.items():
        value = raw.get(key)
        if required and (value is None or not str(value).strip()):
            err(key, _("This field is required."))
    if bad:
        return None
    out["code"] = str(raw["code"]).strip()[:30]
    out["name"] = str(raw["name"]).strip()[:200]
    out["age_band"] = band_code(raw["age_band"])
    if out["age_band"] is None:
        err("age_band", _("“%(v)s” is not an age band (3-12 tháng, 13-24 tháng, 25-36 tháng, 3-4 tuổi, 4-5 tuổi, "
                          "5-6 tuổi).") % {"v": raw["age_band"]})
    try:
        out["category"] = _choice(raw["category"], CATEGORY_PREFIXES, _("category"))
    except ValueError as exc:
        err("category", str(exc))
    domain = raw.get("domain")
    try:
        out["domain"] = (_choice(domain, DOMAIN_WORDS, _("development domain"))
                         if domain not in (None, "") else "general")
    except ValueError as exc:
        err("domain", str(exc))
    try:
        out["quantity"] = _quantity(raw["quantity"])
    except ValueError as exc:
        err("quantity", str(exc))
    basis = _norm(raw.get("basis"))
    if not basis or basis.startswith("nhom") or basis.startswith("lop") or basis == "group":
        out["basis"] = EquipmentItem.Basis.GROUP.value
    elif basis in ("tre", "moi tre", "child", "1 tre"):
        out["basis"] = EquipmentItem.Basis.CHILD.value
    else:
        err("basis", _("“%(v)s”: write “nhóm/lớp” or “trẻ”.") % {"v": raw.get("basis")})
    out["unit_name"] = (str(raw.get("unit_name") or "").strip() or "cái")[:30]
    out["source"] = str(raw.get("source") or "").strip()[:200]
    return None if bad else out


def build_plan(source, *, filename: str) -> Plan:
    rows = _read_rows(source, filename)
    if len(rows) > MAX_ROWS:
        raise CatalogueFileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    start, columns = _header(rows)
    plan = Plan()
    seen: dict[tuple[str, str], int] = {}
    for number, values in rows[start + 1:]:
        if all(v is None or not str(v).strip() for v in values):
            continue
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        row = _clean(number, raw, plan)
        if row is None:
            continue
        key = (row["age_band"], row["code"])
        if key in seen:
            plan.errors.append(Issue(number, "code", _("The code %(code)s appears again for this age band "
                                                       "(first on row %(first)s).")
                                     % {"code": row["code"], "first": seen[key]}))
            continue
        seen[key] = number
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        raise CatalogueFileError(_("The file has no items."))
    return plan


class CatalogueInvalid(Exception):
    def __init__(self, plan: Plan):
        super().__init__("; ".join(i.message for i in plan.errors[:5]))
        self.plan = plan


@transaction.atomic
def catalogue_import(*, plan: Plan, actor) -> tuple[int, int]:
    """Write a checked plan: (items created, items updated). Only administrators change the national list."""
    if actor is not None and not scoping.is_admin(actor):
        raise PermissionDenied(_("Only administrators may change the minimum equipment list."))
    if not plan.ok:
        raise CatalogueInvalid(plan)
    existing = {(i.age_band, i.code): i for i in EquipmentItem.objects.all()}
    new, changed = [], []
    fields = ["name", "category", "domain", "unit_name", "quantity", "basis", "source"]
    for row in plan.rows:
        item = existing.get((row["age_band"], row["code"]))
        if item is None:
            new.append(EquipmentItem(**row))
        else:
            for f in fields:
                setattr(item, f, row[f])
            item.active = True
            changed.append(item)
    if new:
        bulk_create_with_history(new, EquipmentItem, default_user=actor)
    if changed:
        bulk_update_with_history(changed, EquipmentItem, [*fields, "active"], default_user=actor)
    return len(new), len(changed)


def import_starter(*, actor=None) -> tuple[int, int]:
    """Load the shipped starter subset (demo data and new installations)."""
    with STARTER.open("rb") as fh:
        plan = build_plan(fh, filename=STARTER.name)
    return catalogue_import(plan=plan, actor=actor)


def template_workbook() -> bytes:
    """An empty .xlsx with the header row and one example row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh mục"
    ws.append(HEADERS)
    ws.append(["MG5-01", "Giá phơi khăn", "5-6 tuổi", "Đồ dùng", "Chung", "cái", 1, "nhóm/lớp",
               "Thông tư 02/2010/TT-BGDĐT"])
    for col in "ABCDEFGHI":
        ws.column_dimensions[col].width = 22
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
