"""Measurements of a round from Excel: the template (the school's children, prefilled) and the import.

All-or-nothing, like the rosters (``mamnon.children.roster``): every row is checked first (child of the school
enrolled in a group on the day, date within the round and not before birth, numbers that can be a child's), the
errors name the row and the column, and the rows are saved in one transaction through
``services.measurements_save`` (z-scores and statuses in bulk). The column headers are part of the file format
and stay Vietnamese in every UI language.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from mamnon.calc.text import fold
from mamnon.children.models import Enrolment
from mamnon.children.roster import CellError, clean_date
from mamnon.health import selectors, services
from mamnon.health.forms import NumberError, parse_number
from mamnon.health.models import MeasurementRound
from mamnon.org.models import School

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ROWS = 5_000
SHEET = "Cân đo"
# key, header (Vietnamese: part of the format), width
COLUMNS = [
    ("child", "Mã trẻ", 10), ("name", "Họ và tên", 28), ("group", "Nhóm/lớp", 16), ("birth", "Ngày sinh", 12),
    ("sex", "Giới tính", 9), ("date", "Ngày cân đo (dd/mm/yyyy)", 14), ("weight", "Cân nặng (kg)", 12),
    ("height", "Chiều cao (cm)", 12), ("lying", "Đo nằm (x)", 9), ("oedema", "Phù (x)", 8), ("note", "Ghi chú", 24),
]
HEADER = {fold(h).split(" (")[0]: k for k, h, _w in COLUMNS}
LABEL = {k: h.split(" (")[0] for k, h, _w in COLUMNS}
REQUIRED = ("child", "date", "weight", "height")


class ImportInvalid(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages[:3]))
        self.messages = messages


def _default_day(rnd: MeasurementRound) -> dt.date:
    return min(max(selectors.local_today(), rnd.start_date), rnd.end_date)


def template(*, school: School, rnd: MeasurementRound) -> bytes:
    """The school's children enrolled on the round's day, one row each, ready for the weights and heights."""
    day = _default_day(rnd)
    rows = (Enrolment.objects.filter(selectors.enrolled_on(day), school=school, group__school_year=rnd.school_year)
            .order_by("group__name", "child__name_folded")
            .values_list("child_id", "child__full_name", "group__name", "child__birth_date", "child__sex"))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for col, (_k, header, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6F4F3")
        ws.column_dimensions[cell.column_letter].width = width
    for r, (cid, name, group, born, sex) in enumerate(rows, 2):
        lying = "x" if (day - born).days < 731 else ""
        for col, value in enumerate((cid, name, group, born.strftime("%d/%m/%Y"), "Nam" if sex == "M" else "Nữ",
                                     day.strftime("%d/%m/%Y"), None, None, lying, None, None), 1):
            ws.cell(row=r, column=col, value=value)
    ws.freeze_panes = "C2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read(source) -> tuple[dict[int, str], list[tuple[int, tuple]]]:
    try:
        with zipfile.ZipFile(source) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ImportInvalid([_("This workbook is too large to import.")])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportInvalid([_("This file is not an Excel workbook (.xlsx).")]) from None
    source.seek(0)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # whatever openpyxl trips on, the file is not a workbook we can read
        raise ImportInvalid([_("This file is not an Excel workbook (.xlsx).")]) from None
    try:
        ws = next((s for s in wb.worksheets if fold(s.title) == fold(SHEET)), wb.worksheets[0])
        header_row, columns = None, {}
        rows = []
        for number, values in enumerate(ws.iter_rows(max_col=30, values_only=True), 1):
            if header_row is None:
                found = {i: HEADER[fold(str(v)).split(" (")[0].strip()] for i, v in enumerate(values)
                         if v is not None and fold(str(v)).split(" (")[0].strip() in HEADER}
                if "child" in found.values():
                    header_row, columns = number, found
                elif number >= 10:
                    break
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise ImportInvalid([_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}])
    except ImportInvalid:
        raise
    except Exception:  # a damaged sheet
        raise ImportInvalid([_("This file is not an Excel workbook (.xlsx).")]) from None
    finally:
        wb.close()
    if header_row is None:
        raise ImportInvalid([_("No header row with the column “Mã trẻ” found: download the template and fill it in.")])
    missing = [LABEL[k] for k in REQUIRED if k not in columns.values()]
    if missing:
        raise ImportInvalid([_("Required column(s) missing from the header row: %(columns)s.")
                             % {"columns": ", ".join(missing)}])
    return columns, rows


def _cell(values: tuple, columns: dict[int, str], key: str):
    for i, k in columns.items():
        if k == key:
            return values[i] if i < len(values) else None
    return None


def _flag(value) -> bool:
    return value is not None and str(value).strip().lower() in ("x", "1", "có", "co", "yes", "true")


def import_file(source, *, school: School, rnd: MeasurementRound, actor) -> int:
    """Check every row, then save them all (or nothing). Returns the number of measurements saved."""
    columns, rows = _read(source)
    today = selectors.local_today()
    errors: list[str] = []
    parsed = []
    for number, values in rows:
        where = _("Row %(n)d") % {"n": number}
        raw_id = _cell(values, columns, "child")
        weight_raw, height_raw = _cell(values, columns, "weight"), _cell(values, columns, "height")
        if weight_raw in (None, "") and height_raw in (None, ""):
            continue  # a child not measured: allowed, nothing to save
        try:
            child_id = int(str(raw_id).strip())
        except (TypeError, ValueError):
            errors.append(_("%(row)s, column %(col)s: “%(value)s” is not a child's code from the template.")
                          % {"row": where, "col": LABEL["child"], "value": raw_id or ""})
            continue
        try:
            day = clean_date(_cell(values, columns, "date"))
        except CellError as exc:
            errors.append(_("%(row)s, column %(col)s: %(reason)s") % {"row": where, "col": LABEL["date"],
                                                                      "reason": exc})
            continue
        try:
            weight = parse_number(weight_raw, field=_("%(row)s, column %(col)s") % {"row": where,
                                                                                    "col": LABEL["weight"]})
            height = parse_number(height_raw, field=_("%(row)s, column %(col)s") % {"row": where,
                                                                                    "col": LABEL["height"]})
        except NumberError as exc:
            errors.append(str(exc))
            continue
        if day > today or not rnd.start_date <= day <= rnd.end_date:
            errors.append(_("%(row)s, column %(col)s: %(day)s is outside %(round)s (%(first)s to %(last)s) or in "
                            "the future.") % {"row": where, "col": LABEL["date"], "day": day.strftime("%d/%m/%Y"),
                                              "round": rnd.name, "first": rnd.start_date.strftime("%d/%m/%Y"),
                                              "last": rnd.end_date.strftime("%d/%m/%Y")})
            continue
        entry = services.Entry(child_id=child_id, weight_kg=weight, height_cm=height,
                               measured_lying=True if _flag(_cell(values, columns, "lying")) else None,
                               oedema=_flag(_cell(values, columns, "oedema")),
                               note=str(_cell(values, columns, "note") or "").strip(), label=where)
        parsed.append((number, day, entry))
    # The children and their groups on each day: two queries for the whole file.
    ids = {e.child_id for _n, _d, e in parsed}
    enrol = defaultdict(list)
    for cid, gid, start, end, born, name in (Enrolment.objects.filter(
            child_id__in=ids, school=school, group__school_year=rnd.school_year)
            .values_list("child_id", "group_id", "start_date", "end_date", "child__birth_date", "child__full_name")):
        enrol[cid].append((gid, start, end, born, name))
    batches: dict[tuple[int, dt.date], list] = defaultdict(list)
    seen: dict[int, int] = {}
    for number, day, entry in parsed:
        where = entry.label
        spans = enrol.get(entry.child_id)
        if not spans:
            errors.append(_("%(row)s, column %(col)s: no child with code %(id)s in %(school)s this school year.")
                          % {"row": where, "col": LABEL["child"], "id": entry.child_id, "school": school.unit.name})
            continue
        if entry.child_id in seen:
            errors.append(_("%(row)s: the child is already on row %(other)d.") % {"row": where,
                                                                                  "other": seen[entry.child_id]})
            continue
        seen[entry.child_id] = number
        group = next((g for g, s, e, _b, _n in spans if s <= day and (e is None or e >= day)), None)
        born, name = spans[0][3], spans[0][4]
        entry.label = f"{where} ({name})"
        if group is None:
            errors.append(_("%(row)s: %(name)s is not enrolled in a group on %(day)s.")
                          % {"row": where, "name": name, "day": day.strftime("%d/%m/%Y")})
            continue
        if entry.measured_lying is None:
            entry.measured_lying = (day - born).days < 731 if _cell_missing(columns, "lying") else False
        errors += services.check_entry(entry, name=name, birth_date=born, day=day)
        batches[(group, day)].append(entry)
    if errors:
        raise ImportInvalid(errors)
    if not batches:
        raise ImportInvalid([_("No row has a weight or a height to import.")])
    saved = 0
    try:
        with transaction.atomic():
            for (group, day), entries in batches.items():
                result = services.measurements_save(actor=actor, group_id=group, day=day, entries=entries, rnd=rnd,
                                                    today=today)
                saved += result.created + result.updated
    except ValidationError as exc:
        raise ImportInvalid([m for ms in exc.message_dict.values() for m in ms]) from None
    return saved


def _cell_missing(columns: dict[int, str], key: str) -> bool:
    return key not in columns.values()

