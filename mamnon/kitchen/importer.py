"""Import of a food composition table from .xlsx or .csv, with column mapping, all or nothing.

The user maps each field to a column header of the file (``mapping``: field -> header); every row is checked
first, and any error (named by row number and field, in Vietnamese) leaves the catalogue untouched.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.calc.text import fold
from mamnon.core import scoping
from mamnon.kitchen.models import Food, FoodGroup

NUMBER_FIELDS = ("inedible_pct", "energy_kcal", "protein_g", "lipid_g", "glucid_g", "fibre_g", "calcium_mg",
                 "iron_mg", "retinol_ug", "beta_carotene_ug", "vitamin_b1_mg", "vitamin_c_mg")
REQUIRED = ("code", "name", "energy_kcal", "protein_g", "lipid_g", "glucid_g")
FIELDS = ("code", "name", "group", "animal", *NUMBER_FIELDS)
LABELS = {
    "code": gettext_lazy("code"), "name": gettext_lazy("name"), "group": gettext_lazy("food group"),
    "animal": gettext_lazy("of animal origin"), "inedible_pct": gettext_lazy("inedible share (%)"),
    "energy_kcal": gettext_lazy("energy (kcal)"), "protein_g": gettext_lazy("protein (g)"),
    "lipid_g": gettext_lazy("lipid (g)"), "glucid_g": gettext_lazy("glucid (g)"), "fibre_g": gettext_lazy("fibre (g)"),
    "calcium_mg": gettext_lazy("calcium (mg)"), "iron_mg": gettext_lazy("iron (mg)"),
    "retinol_ug": gettext_lazy("vitamin A, retinol (µg)"), "beta_carotene_ug": gettext_lazy("beta-carotene (µg)"),
    "vitamin_b1_mg": gettext_lazy("vitamin B1 (mg)"), "vitamin_c_mg": gettext_lazy("vitamin C (mg)"),
}
TRUE_WORDS = {"1", "x", "co", "true", "yes", "dong vat", "animal", "dv"}
MAX_ROWS = 5000


class ImportFailed(ValidationError):
    pass


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Headers and (row number, values) of the first sheet of an .xlsx, or of a .csv (UTF-8, comma or
    semicolon)."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed(_("The .csv file must be in UTF-8.")) from exc
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    elif name.endswith(".xlsx"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise ImportFailed(_("This is not a readable .xlsx file.")) from exc
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        raise ImportFailed(_("Choose an .xlsx or .csv file."))
    if not rows:
        raise ImportFailed(_("The file is empty."))
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [(n + 2, r) for n, r in enumerate(rows[1:]) if any(v not in (None, "") for v in r)]
    if len(body) > MAX_ROWS:
        raise ImportFailed(_("At most %(n)s rows at a time.") % {"n": MAX_ROWS})
    return headers, body


def _number(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and raw.strip() in ("", "-")):
        return None
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return Decimal(text)


def _group(raw) -> str:
    key = fold(str(raw or "")).strip()
    if not key:
        return FoodGroup.VEGETABLE
    for value, label in FoodGroup.choices:
        if key in (value, fold(str(label))):
            return value
    raise ValueError


def build(headers, body, mapping: dict[str, str]) -> list[dict]:
    """Checked rows, or ImportFailed listing every error by row and field."""
    errors = []
    for field in REQUIRED:
        if not mapping.get(field):
            errors.append(_("Map a column to the field “%(field)s”.") % {"field": LABELS[field]})
    col = {}
    for field, header in mapping.items():
        if not header:
            continue
        if header not in headers:
            errors.append(_("The file has no column “%(header)s”.") % {"header": header})
        else:
            col[field] = headers.index(header)
    if errors:
        raise ImportFailed(errors)
    out, seen = [], {}
    for number, values in body:
        row, bad = {}, False

        def value(field, values=values):
            i = col.get(field)
            return values[i] if i is not None and i < len(values) else None

        def err(field, message, number=number):
            errors.append(_("Row %(row)s, %(field)s: %(message)s") % {"row": number, "field": LABELS[field],
                                                                         "message": message})

        for field in ("code", "name"):
            text = str(value(field) or "").strip()
            if not text:
                err(field, _("required."))
                bad = True
            row[field] = text
        for field in NUMBER_FIELDS:
            try:
                num = _number(value(field))
            except (InvalidOperation, ValueError):
                err(field, _("not a number."))
                bad = True
                continue
            if num is None and field in REQUIRED:
                err(field, _("required."))
                bad = True
            elif num is not None and num < 0:
                err(field, _("may not be negative."))
                bad = True
            elif num is not None and field == "inedible_pct" and num >= 100:
                err(field, _("must be below 100."))
                bad = True
            row[field] = num
        try:
            row["group"] = _group(value("group"))
        except ValueError:
            err("group", _("unknown food group."))
            bad = True
        row["animal"] = fold(str(value("animal") or "")).strip() in TRUE_WORDS
        if row["code"] in seen:
            err("code", _("the same code as row %(row)s.") % {"row": seen[row["code"]]})
            bad = True
        seen.setdefault(row["code"], number)
        if not bad:
            out.append(row)
    if errors:
        raise ImportFailed(errors)
    return out


def foods_import(*, actor, data: bytes, filename: str, mapping: dict[str, str], unit=None, source: str = ""
                 ) -> tuple[int, int]:
    """Import into the nationwide catalogue (``unit`` None: administrators) or a unit's own; returns (created,
    updated). All or nothing."""
    if actor is not None:
        if unit is None and not scoping.is_admin(actor):
            raise PermissionDenied(_("Only administrators change the nationwide catalogue."))
        if unit is not None and not scoping.is_admin(actor) and not any(
                unit.path.startswith(g.path) and g.role in Food.scope_change_roles for g in scoping.grants(actor)):
            raise PermissionDenied(_("You may not change this unit's catalogue."))
    headers, body = read_table(data, filename)
    rows = build(headers, body, mapping)
    existing = {f.code: f for f in Food.objects.filter(unit=unit, code__in=[r["code"] for r in rows])}
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            food = existing.get(row["code"]) or Food(unit=unit, code=row["code"])
            for key, val in row.items():
                setattr(food, key, val)
            food.source = source or food.source or filename
            updated += food.pk is not None
            created += food.pk is None
            food.save()
    return created, updated
