"""Staff list as .xlsx in the layout of the sector database (CSDL ngành, csdl.moet.gov.vn), and its import.

The layout follows the columns the sector database's staff sheet collects as far as they are publicly known
(docs/staff.md lists what was assumed): one row per person, Vietnamese headers, values written as the database's
lists write them (Nam/Nữ, dân tộc by name, "Giáo viên", "Cao đẳng", "x" for yes). The headers are those of the
Vietnamese form whatever the interface language, so they are data here, not translated strings.

The import reads such a file (the header row may sit below a title; columns are found by name, in any order)
and is all-or-nothing: every row goes through ``services.record_save`` inside one transaction, and a single
error anywhere rolls everything back. Errors name the Excel row and the column ("Dòng 7, cột Ngày sinh: ...").
A row updates the person of the same name and date of birth at the school, or adds a new one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mamnon.calc import staff_standards as ss
from mamnon.calc.text import fold
from mamnon.children.ethnicity import ETHNIC_GROUPS
from mamnon.children.roster import CellError, clean_date, clean_ethnicity, clean_phone, clean_sex
from mamnon.org.models import School, Staff
from mamnon.staff import selectors, services
from mamnon.staff.models import AnnualRating, Employment, StaffRecord, StandardRating, TitleGrade, TrainingLevel

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Cán bộ, giáo viên, nhân viên"
TITLE_ROW, HEADER_ROW = 1, 3
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 2_000  # a school has at most a few hundred staff
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    imported: bool = True  # False: computed on export, ignored on import
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("number", "STT", 5, False),
    Column("full_name", "Họ và tên", 26, aliases=("ho ten",)),
    Column("birth_date", "Ngày sinh", 12, aliases=("ngay thang nam sinh",)),
    Column("sex", "Giới tính", 9),
    Column("ethnicity", "Dân tộc", 10),
    Column("phone", "Số điện thoại", 13, aliases=("dien thoai", "sdt")),
    Column("email", "Email", 22, aliases=("thu dien tu",)),
    Column("position", "Vị trí việc làm", 18, aliases=("chuc vu", "chuc vu/vi tri viec lam")),
    Column("employment", "Hình thức tuyển dụng", 18, aliases=("hinh thuc hop dong", "loai hop dong")),
    Column("hired_on", "Ngày tuyển dụng", 12),
    Column("joined_on", "Ngày về trường", 12),
    Column("title_grade", "Hạng chức danh nghề nghiệp", 14, aliases=("hang chuc danh", "hang")),
    Column("training_level", "Trình độ đào tạo", 14, aliases=("trinh do chuyen mon", "trinh do chuyen mon nghiep vu")),
    Column("major", "Chuyên ngành đào tạo", 22, aliases=("chuyen nganh",)),
    Column("preschool_pedagogy", "Sư phạm mầm non", 10, aliases=("su pham mam non (x)",)),
    Column("in_upgrade_training", "Đang học nâng chuẩn", 10),
    Column("party_member", "Đảng viên", 9),
    Column("party_joined_on", "Ngày vào Đảng", 12),
    Column("standard", "Đạt chuẩn trình độ đào tạo", 14, False),
    Column("rating", "Đánh giá chuẩn nghề nghiệp", 14, False),
    Column("annual", "Xếp loại viên chức", 18, False),
)
BY_KEY = {c.key: c for c in COLUMNS}

POSITION_LABEL = {
    Staff.Position.PRINCIPAL: "Hiệu trưởng", Staff.Position.VICE_PRINCIPAL: "Phó hiệu trưởng",
    Staff.Position.TEACHER: "Giáo viên", Staff.Position.NURSE: "Nhân viên y tế",
    Staff.Position.COOK: "Nhân viên nấu ăn",
    Staff.Position.ACCOUNTANT: "Kế toán", Staff.Position.CLERK: "Văn thư", Staff.Position.SECURITY: "Bảo vệ",
    Staff.Position.OTHER: "Khác", Staff.Position.OFFICER: "Chuyên viên",
}
POSITION_WORDS = {**{fold(v): k for k, v in POSITION_LABEL.items()}, "cap duong": Staff.Position.COOK,
                  "nau an": Staff.Position.COOK, "y te": Staff.Position.NURSE,
                  "giao vien mam non": Staff.Position.TEACHER,
                  "pho hieu truong": Staff.Position.VICE_PRINCIPAL}
EMPLOYMENT_LABEL = {Employment.CIVIL_SERVANT: "Viên chức", Employment.CONTRACT: "Hợp đồng lao động",
                    Employment.PRIVATE: "Ngoài công lập"}
EMPLOYMENT_WORDS = {**{fold(v): k for k, v in EMPLOYMENT_LABEL.items()}, "bien che": Employment.CIVIL_SERVANT,
                    "hop dong": Employment.CONTRACT, "tu thuc": Employment.PRIVATE}
LEVEL_LABEL = {TrainingLevel.NONE: "Chưa qua đào tạo", TrainingLevel.INTERMEDIATE: "Trung cấp",
               TrainingLevel.COLLEGE: "Cao đẳng", TrainingLevel.UNIVERSITY: "Đại học",
               TrainingLevel.MASTER: "Thạc sĩ", TrainingLevel.DOCTOR: "Tiến sĩ"}
LEVEL_WORDS = {**{fold(v): k for k, v in LEVEL_LABEL.items()}, "": TrainingLevel.NONE, "so cap": TrainingLevel.NONE,
               "thac sy": TrainingLevel.MASTER, "tien sy": TrainingLevel.DOCTOR}
RATING_LABEL = {0: "Chưa đạt", 1: "Đạt", 2: "Khá", 3: "Tốt"}
ANNUAL_LABEL = {AnnualRating.Result.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
                AnnualRating.Result.GOOD: "Hoàn thành tốt nhiệm vụ",
                AnnualRating.Result.COMPLETED: "Hoàn thành nhiệm vụ",
                AnnualRating.Result.NOT_COMPLETED: "Không hoàn thành nhiệm vụ"}
YES_WORDS = {"x", "co", "1", "yes", "dung", "true", "v"}
NO_WORDS = {"", "khong", "0", "no", "false", "-"}
SEX_LABEL = {"M": "Nam", "F": "Nữ"}
ETHNICITY_NAME = dict(ETHNIC_GROUPS)


class StaffFileError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header row...): the message says why."""


# --- export --------------------------------------------------------------------------------------------


def export_xlsx(staff_qs, *, user, title: str, on: dt.date | None = None) -> bytes:
    """The staff of ``staff_qs`` (already scoped) with their records, the standard status, the year's ratings."""
    on = on or selectors.today()
    rows = list(staff_qs.select_related("unit").order_by("unit__name", "position", "full_name", "pk"))
    records = selectors.visible_records(user, [s.pk for s in rows])
    status = selectors.statuses(rows, records, on=on)
    year = selectors.school_year_on(on)
    ratings = {r.staff_id: r.overall for r in StandardRating.objects.filter(
        staff__in=[s.pk for s in rows], school_year=year, overall__isnull=False)} if year else {}
    annual = {a.staff_id: a.result for a in AnnualRating.objects.filter(staff__in=[s.pk for s in rows],
                                                                        school_year=year)} if year else {}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.cell(row=TITLE_ROW, column=1, value=title).font = Font(bold=True, size=13)
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=col.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)

    def day(value):
        return value.strftime("%d/%m/%Y") if value else ""

    for n, s in enumerate(rows, start=1):
        r: StaffRecord | None = records.get(s.pk)
        st = status[s.pk].status
        values = {
            "number": n, "full_name": s.full_name, "phone": s.phone, "email": s.email,
            "position": POSITION_LABEL.get(s.position, ""),
            "standard": "" if st == ss.NOT_APPLICABLE else ("x" if st == ss.MEETS else ""),
            "rating": RATING_LABEL.get(ratings.get(s.pk), ""), "annual": ANNUAL_LABEL.get(annual.get(s.pk), ""),
        }
        if r is not None:
            values.update({
                "birth_date": day(r.birth_date), "sex": SEX_LABEL.get(r.sex, ""),
                "ethnicity": ETHNICITY_NAME.get(r.ethnicity, ""), "employment": EMPLOYMENT_LABEL.get(r.employment, ""),
                "hired_on": day(r.hired_on), "joined_on": day(r.joined_on),
                "title_grade": f"Hạng {r.title_grade}" if r.title_grade else "",
                "training_level": LEVEL_LABEL.get(r.training_level, ""), "major": r.major,
                "preschool_pedagogy": "x" if r.preschool_pedagogy else "",
                "in_upgrade_training": "x" if r.in_upgrade_training else "",
                "party_member": "x" if r.party_member else "", "party_joined_on": day(r.party_joined_on),
            })
        for i, col in enumerate(COLUMNS, start=1):
            ws.cell(row=HEADER_ROW + n, column=i, value=values.get(col.key, ""))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import --------------------------------------------------------------------------------------------


def _header_key(value) -> str:
    text = fold(str(value)) if value is not None else ""
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[*:]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


HEADER_KEYS = {}
for _col in COLUMNS:
    if _col.imported:
        for _name in (_col.header, *_col.aliases):
            HEADER_KEYS[_header_key(_name)] = _col.key


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _read(source) -> tuple[dict[int, str], list[tuple[int, tuple]]]:
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise StaffFileError(_("This workbook is too large to import. Split it into several files."))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise StaffFileError(_("This file is not an Excel workbook (.xlsx). Open it in Excel, save it as “Excel "
                               "Workbook (.xlsx)” and upload it again.")) from exc
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # whatever openpyxl trips on, the file is not a workbook we can read
        raise StaffFileError(_("This file is not an Excel workbook (.xlsx). Open it in Excel, save it as “Excel "
                               "Workbook (.xlsx)” and upload it again.")) from exc
    try:
        ws = next((w for w in wb.worksheets if fold(w.title) == fold(SHEET)), wb.worksheets[0])
        rows = list(ws.iter_rows(max_col=40, values_only=True))
    except Exception as exc:
        raise StaffFileError(_("The workbook cannot be read.")) from exc
    finally:
        wb.close()
    found = None
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns = {i: HEADER_KEYS[_header_key(v)] for i, v in enumerate(values)
                   if v is not None and _header_key(v) in HEADER_KEYS}
        if "full_name" in columns.values() and len(columns) >= 3:
            found = (index, columns)
            break
    if found is None:
        raise StaffFileError(_("No header row found: the sheet must name its columns (at least Họ và tên, "
                               "Ngày sinh, Vị trí việc làm) in one of its first rows."))
    number, columns = found
    if "position" not in columns.values():
        raise StaffFileError(_("Required column missing from the header row: %(column)s.") % {
            "column": BY_KEY["position"].header})
    data = [(n, v) for n, v in enumerate(rows[number:], start=number + 1)
            if any(x is not None and _text(x) for x in v)]
    if not data:
        raise StaffFileError(_("The sheet has a header row but no people below it."))
    if len(data) > MAX_ROWS:
        raise StaffFileError(_("The file has more than %(max)s rows. Split it into several files.") % {"max": MAX_ROWS})
    return columns, data


def _choice(words: dict, value, message: str, *, required: bool = False):
    key = fold(_text(value))
    if required and not key:
        raise CellError(_("this field is required."))
    key = re.sub(r"^hang\s+", "", key) if words is TITLE_WORDS else key
    if key in words:
        return words[key]
    raise CellError(message % {"value": _text(value)})


TITLE_WORDS = {"": "", "i": TitleGrade.GRADE_I, "ii": TitleGrade.GRADE_II, "iii": TitleGrade.GRADE_III,
               "1": TitleGrade.GRADE_I, "2": TitleGrade.GRADE_II, "3": TitleGrade.GRADE_III}


def _bool(value) -> bool:
    key = fold(_text(value))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise CellError(_("“%(value)s” is not yes or no: write x for yes, leave empty for no.") % {"value": _text(value)})


def _cleaners():
    def optional_date(v):
        return clean_date(v) if _text(v) else None

    return {
        "full_name": lambda v: _text(v),
        "birth_date": optional_date, "hired_on": optional_date, "joined_on": optional_date,
        "party_joined_on": optional_date,
        "sex": clean_sex, "ethnicity": clean_ethnicity, "phone": clean_phone,
        "email": lambda v: _text(v),
        "position": lambda v: _choice(POSITION_WORDS, v, _("“%(value)s” is not a position of the list (Hiệu trưởng, "
                                                           "Phó hiệu trưởng, Giáo viên, Nhân viên y tế, Nhân viên nấu "
                                                           "ăn, Kế toán, Văn thư, Bảo vệ, Khác)."), required=True),
        "employment": lambda v: _choice(EMPLOYMENT_WORDS, v, _("“%(value)s” is not a kind of employment (Viên chức, "
                                                               "Hợp đồng lao động, Ngoài công lập).")),
        "title_grade": lambda v: _choice(TITLE_WORDS, v, _("“%(value)s” is not a title grade (Hạng I, II or III).")),
        "training_level": lambda v: _choice(LEVEL_WORDS, v, _("“%(value)s” is not a training level (Trung cấp, Cao "
                                                              "đẳng, Đại học, Thạc sĩ, Tiến sĩ).")),
        "major": lambda v: _text(v),
        "preschool_pedagogy": _bool, "in_upgrade_training": _bool, "party_member": _bool,
    }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


KEEP_WHEN_BLANK = {"sex", "ethnicity", "employment", "training_level"}

def import_xlsx(source, *, actor, school: School, dry_run: bool = False) -> ImportResult:
    """Read, check and save every row, or none: ImportRefused lists every error (row and column)."""
    columns, data = _read(source)
    cleaners = _cleaners()
    errors: list[str] = []
    parsed: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    for number, values in data:
        row: dict = {}
        for index, key in columns.items():
            raw = values[index] if index < len(values) else None
            if key in KEEP_WHEN_BLANK and not _text(raw):
                continue  # unknown: the record keeps what it has (a new one its default)
            try:
                row[key] = cleaners[key](raw)
            except CellError as exc:
                errors.append(_("Row %(row)d, column %(column)s: %(message)s") % {
                    "row": number, "column": BY_KEY[key].header, "message": exc})
        if "full_name" in row and not row["full_name"]:
            errors.append(_("Row %(row)d, column %(column)s: this field is required.") % {
                "row": number, "column": BY_KEY["full_name"].header})
        key = (fold(row.get("full_name", "")), row.get("birth_date"))
        if key[0] and key in seen:
            errors.append(_("Row %(row)d, column %(column)s: the same person (name and date of birth) as row "
                            "%(other)d.") % {"row": number, "column": BY_KEY["full_name"].header,
                                             "other": seen[key]})
        seen.setdefault(key, number)
        parsed.append((number, row))
    if errors:
        raise ImportRefused(errors)
    existing = {(fold(s.full_name), r.birth_date if r else None): s for s in
                Staff.objects.filter(unit_id=school.pk).select_related("record")
                for r in [getattr(s, "record", None)]}
    result = ImportResult()
    try:
        with transaction.atomic():
            for number, row in parsed:
                match = existing.get((fold(row.get("full_name", "")), row.get("birth_date")))
                try:
                    with transaction.atomic():
                        if match is None:
                            services.record_save(actor=actor, school=school, **row)
                            result.created += 1
                        else:
                            services.record_save(actor=actor, staff=match, **row)
                            result.updated += 1
                except ValidationError as exc:
                    for key, messages in (exc.message_dict.items() if hasattr(exc, "error_dict")
                                          else [("", exc.messages)]):
                        column = BY_KEY[key].header if key in BY_KEY else key
                        for message in messages:
                            errors.append(_("Row %(row)d, column %(column)s: %(message)s") % {
                                "row": number, "column": column, "message": message})
            if errors:
                raise ImportRefused(errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


class _DryRun(Exception):
    """Raised inside the transaction to roll back a successful check (the preview)."""
