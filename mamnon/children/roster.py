"""Excel rosters (danh sách trẻ, .xlsx): the template, the import with its preview, the export.

The import reads the file once with openpyxl's read-only (streaming) parser, validates every row against
sets loaded by a fixed number of queries (the groups of the school's current year, personal ids already
recorded, children of the school with the same folded names, enrolment counts, class-size rules) and writes
Child, Guardian and Enrolment rows with their history in bulk inserts inside ONE transaction: a file with
any error writes nothing. The same functions serve the views (views_roster.py) and bench/roster_import.py.

The column headers are part of the file format and stay Vietnamese in every UI language; the reasons in
the error messages are English msgids translated with the rest of the UI.

Between the preview and the confirmation the uploaded file stays on the server (MEDIA_ROOT/imports), bound
to the user and the school by a random token; the confirmation re-reads that file, never a payload sent
back by the browser.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import sqlite3
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mamnon.calc import ages
from mamnon.calc.text import fold
from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.children.models import (
    PERSONAL_ID_RE,
    AgeBand,
    Child,
    ChildStatus,
    Enrolment,
    Group,
    Guardian,
    Sex,
)
from mamnon.children.selectors import band_fits
from mamnon.core import clock, scoping
from mamnon.core.models import VN_MOBILE_RE, normalize_phone, validate_vn_mobile
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role
from mamnon.core.rules import rules_in_force
from mamnon.org.models import School, SchoolYear

# --- the file format ---------------------------------------------------------------------------------

DATA_SHEET = "Danh sách trẻ"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a 5,000-row roster is about 250 KB
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # refuse zip bombs before openpyxl inflates anything
MAX_ROWS = 10_000  # data rows per file
HEADER_SEARCH_ROWS = 10  # the header may sit below a title of a few rows
MAX_COLUMNS = 40
TRAILING_EMPTY_ROWS = 2_000  # formatted but empty rows after the data: stop reading
BATCH_SIZE = 1_000  # rows per multi-row INSERT (SQLite; PostgreSQL uses COPY)
IMPORT_REASON = "Excel roster import"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template's header row
    label: str  # as errors name the column ("Dòng 7, cột Ngày sinh: ...")
    required: bool  # the header must be present (the cells may still be optional)
    width: int
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", "Họ và tên", True, 28, ("ho ten", "ho ten tre", "ho va ten tre", "ten tre")),
    Column("birth_date", "Ngày sinh (dd/mm/yyyy)", "Ngày sinh", True, 16, ("ngay thang nam sinh",)),
    Column("sex", "Giới tính (Nam/Nữ)", "Giới tính", True, 12),
    Column("ethnicity", "Dân tộc", "Dân tộc", False, 14),
    Column("personal_id", "Mã định danh", "Mã định danh", False, 17,
           ("ma dinh danh ca nhan", "so dinh danh", "so dinh danh ca nhan")),
    Column("address", "Địa chỉ", "Địa chỉ", False, 34, ("dia chi thuong tru", "noi o")),
    Column("guardian_name", "Họ tên phụ huynh", "Họ tên phụ huynh", False, 26,
           ("ho va ten phu huynh", "phu huynh", "ho ten cha/me")),
    Column("guardian_relation", "Quan hệ", "Quan hệ", False, 10, ("quan he voi tre",)),
    Column("guardian_phone", "Số điện thoại phụ huynh", "Số điện thoại phụ huynh", False, 20,
           ("sdt phu huynh", "so dien thoai", "dien thoai phu huynh", "dien thoai", "sdt")),
    Column("group", "Nhóm/lớp", "Nhóm/lớp", True, 18, ("nhom", "lop", "nhom lop", "ten nhom/lop")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
LABEL = {c.key: c.label for c in COLUMNS}


def _header_key(value) -> str:
    """'Ngày sinh (dd/mm/yyyy)*', ' NGÀY SINH: ' and 'ngay sinh' all become 'ngay sinh'."""
    text = fold(str(value)) if value is not None else ""
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[*:]", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


HEADER_KEYS: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.header, _col.label, *_col.aliases):
        HEADER_KEYS[_header_key(_name)] = _col.key

SEX_WORDS = {"nam": Sex.MALE, "m": Sex.MALE, "trai": Sex.MALE, "male": Sex.MALE,
             "nu": Sex.FEMALE, "f": Sex.FEMALE, "gai": Sex.FEMALE, "female": Sex.FEMALE}
SEX_LABEL = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}


def _ethnicity_key(text: str) -> str:
    return re.sub(r"[\s\-'’]", "", fold(text))


ETHNICITY_BY_KEY: dict[str, str] = {_ethnicity_key(name): code for code, name in ETHNIC_GROUPS}
# Other names in common use (the GSO list's names are the official ones).
ETHNICITY_BY_KEY.update({"viet": "01", "khmer": "05", "mong": "08", "hmong": "08", "meo": "08", "ede": "12"})
ETHNICITY_NAME = dict(ETHNIC_GROUPS)

# Relations: first the written word as is ('Bà' is a grandmother, 'Ba' a father in the South), then folded.
RELATION_EXACT = {
    "mẹ": Guardian.Relation.MOTHER, "má": Guardian.Relation.MOTHER, "mạ": Guardian.Relation.MOTHER,
    "bố": Guardian.Relation.FATHER, "cha": Guardian.Relation.FATHER, "ba": Guardian.Relation.FATHER,
    "tía": Guardian.Relation.FATHER,
    "ông": Guardian.Relation.GRANDPARENT, "bà": Guardian.Relation.GRANDPARENT,
}
RELATION_FOLDED = {
    "me": Guardian.Relation.MOTHER, "mother": Guardian.Relation.MOTHER,
    "bo": Guardian.Relation.FATHER, "father": Guardian.Relation.FATHER,
    "ong": Guardian.Relation.GRANDPARENT, "ong ba": Guardian.Relation.GRANDPARENT,
    "ong noi": Guardian.Relation.GRANDPARENT, "ba noi": Guardian.Relation.GRANDPARENT,
    "ong ngoai": Guardian.Relation.GRANDPARENT, "ba ngoai": Guardian.Relation.GRANDPARENT,
    "grandparent": Guardian.Relation.GRANDPARENT,
    "khac": Guardian.Relation.OTHER, "nguoi giam ho": Guardian.Relation.OTHER,
    "nguoi giam ho khac": Guardian.Relation.OTHER, "other": Guardian.Relation.OTHER,
}
RELATION_LABEL = {
    Guardian.Relation.MOTHER: "Mẹ", Guardian.Relation.FATHER: "Bố",
    Guardian.Relation.GRANDPARENT: "Ông/Bà", Guardian.Relation.OTHER: "Khác",
}
RELATION_CHOICES_VI = ["Mẹ", "Bố", "Ông", "Bà", "Khác"]

DATE_RE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
NAME_MAX = Child._meta.get_field("full_name").max_length
ADDRESS_MAX = Child._meta.get_field("address").max_length
GUARDIAN_NAME_MAX = Guardian._meta.get_field("full_name").max_length
BAND_OUTSIDE = {
    ages.TOO_YOUNG: gettext_lazy("younger than 3 months at the start of the school year"),
    ages.TOO_OLD: gettext_lazy("past preschool age"),
}


# --- results ---------------------------------------------------------------------------------------------


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster (not an .xlsx, empty, a required column missing)."""


@dataclass(frozen=True)
class Issue:
    """An error or a warning about one cell (``column`` set) or one row (``column`` None)."""

    row: int
    column: str | None  # a Column.key
    reason: str

    @property
    def message(self) -> str:
        if self.column is None:
            return _("Row %(row)s: %(reason)s") % {"row": self.row, "reason": self.reason}
        return _("Row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row, "column": LABEL[self.column], "reason": self.reason,
        }

    def __str__(self):
        return self.message


@dataclass
class RosterRow:
    """One data row of the file, cleaned; ``group`` is the Group it goes to."""

    row: int
    raw: dict[str, object]
    full_name: str = ""
    name_folded: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    ethnicity: str = KINH
    personal_id: str | None = None
    address: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    group: Group | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, column: str | None, reason: str) -> None:
        self.errors.append(Issue(self.row, column, reason))

    def warn(self, column: str | None, reason: str) -> None:
        self.warnings.append(Issue(self.row, column, reason))

    @property
    def sex_label(self) -> str:
        return SEX_LABEL.get(self.sex, "")

    @property
    def ethnicity_name(self) -> str:
        return ETHNICITY_NAME.get(self.ethnicity, "")

    @property
    def relation_label(self) -> str:
        return RELATION_LABEL.get(self.guardian_relation, "")

    def error_columns(self) -> set[str]:
        return {i.column for i in self.errors if i.column}

    def cells(self) -> list[tuple[str, bool]]:
        """Each column as the preview shows it (cleaned when valid, as typed when wrong) and whether it is wrong."""
        bad = self.error_columns()
        cleaned = {
            "full_name": self.full_name,
            "birth_date": self.birth_date.strftime("%d/%m/%Y") if self.birth_date else "",
            "sex": self.sex_label, "ethnicity": self.ethnicity_name, "personal_id": self.personal_id or "",
            "address": self.address, "guardian_name": self.guardian_name,
            "guardian_relation": self.relation_label if self.guardian_name else "",
            "guardian_phone": self.guardian_phone, "group": self.group.name if self.group else "",
        }
        return [(_text(self.raw.get(c.key)) if c.key in bad else cleaned[c.key], c.key in bad) for c in COLUMNS]


@dataclass
class RosterPlan:
    """What an import would do: every row cleaned, with its errors and warnings."""

    school: School
    year: SchoolYear | None
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings about the whole file (class sizes)
    groups: list[Group] = field(default_factory=list)
    header_row: int | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for r in self.rows for issue in r.errors]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for r in self.rows for issue in r.warnings]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    def per_group(self) -> list[tuple[Group, int]]:
        counts = Counter(r.group.pk for r in self.rows if r.group is not None and not r.errors)
        return [(g, counts[g.pk]) for g in self.groups if counts[g.pk]]


@dataclass(frozen=True)
class ImportResult:
    children: int
    guardians: int
    enrolments: int


# --- reading the workbook ----------------------------------------------------------------------------------


def _not_xlsx() -> RosterFileError:
    return RosterFileError(_(
        "This file is not an Excel workbook (.xlsx). Open it in Excel, save it as “Excel Workbook (.xlsx)” "
        "and upload it again."
    ))


def _check_archive(source) -> None:
    """An .xlsx is a zip archive: refuse other files, and archives that would inflate beyond reason."""
    try:
        with zipfile.ZipFile(source) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx() from exc
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise RosterFileError(_("This workbook is too large to import. Split it into several files."))


def _rewind(source) -> None:
    if hasattr(source, "seek"):
        source.seek(0)


def _is_empty(values: Iterable) -> bool:
    return all(v is None or (type(v) is str and not v.strip()) for v in values)


def _pick_sheet(workbook):
    for ws in workbook.worksheets:
        if fold(ws.title) == fold(DATA_SHEET):
            return ws
    return workbook.worksheets[0]


def _find_header(rows: list[tuple[int, tuple]]) -> tuple[int, dict[int, str]]:
    """The header row among the first rows: the first that names the child's full name and another column."""
    best: tuple[int, dict[int, str]] | None = None
    for number, values in rows:
        found = {i: HEADER_KEYS[_header_key(v)] for i, v in enumerate(values)
                 if v is not None and _header_key(v) in HEADER_KEYS}
        if len(found) >= 2 and "full_name" in found.values():
            return number, found
        if best is None and len(found) >= 2:
            best = (number, found)
    if best is not None:
        return best
    expected = ", ".join(c.label for c in COLUMNS if c.required)
    raise RosterFileError(_(
        "No header row found in the first sheet. The first row must name the columns (at least %(columns)s): "
        "download the template and copy your data into it."
    ) % {"columns": expected})


@contextmanager
def _data_sheet(source):
    """The roster's sheet of an .xlsx (read-only), with every failure of openpyxl turned into RosterFileError."""
    _rewind(source)
    _check_archive(source)
    _rewind(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # whatever openpyxl trips on, the file is not a workbook we can read
        raise _not_xlsx() from exc
    try:
        if not workbook.worksheets:
            raise RosterFileError(_("The workbook has no sheet."))
        yield _pick_sheet(workbook)
    except RosterFileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid archive
        raise _not_xlsx() from exc
    finally:
        workbook.close()


def _read_header(ws) -> tuple[int, dict[int, str]]:
    head = list(enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True),
                          start=1))
    if not head or all(_is_empty(v) for _n, v in head):
        raise RosterFileError(_("The first sheet is empty."))
    header_row, columns = _find_header(head)
    repeated = [LABEL[k] for k, n in Counter(columns.values()).items() if n > 1]
    if repeated:
        raise RosterFileError(_("The column %(columns)s appears more than once in the header row.")
                              % {"columns": ", ".join(repeated)})
    missing = [c.label for c in COLUMNS if c.required and c.key not in set(columns.values())]
    if missing:
        raise RosterFileError(_("Required column(s) missing from the header row: %(columns)s.")
                              % {"columns": ", ".join(missing)})
    return header_row, columns


def read_sheet(source) -> tuple[int, dict[int, str], list[tuple[int, tuple]]]:
    """Header row number, {column index: column key} and the non-empty data rows (Excel row number, values).

    ``source`` is a path or a binary file object. Raises RosterFileError for what is not a usable roster.
    """
    with _data_sheet(source) as ws:
        header_row, columns = _read_header(ws)
        # The data: only the columns up to the last known header (a second, narrower pass).
        data: list[tuple[int, tuple]] = []
        empty_run = 0
        rows = ws.iter_rows(min_row=header_row + 1, max_col=max(columns) + 1, values_only=True)
        for number, values in enumerate(rows, start=header_row + 1):
            if _is_empty(values):
                empty_run += 1
                if empty_run >= TRAILING_EMPTY_ROWS:  # formatted but empty rows after the data
                    break
                continue
            empty_run = 0
            data.append((number, values))
            if len(data) > MAX_ROWS:
                raise RosterFileError(_("The file has more than %(max)s rows of children. Split it into several "
                                        "files.") % {"max": MAX_ROWS})
    if not data:
        raise RosterFileError(_("The sheet has a header row but no children below it."))
    return header_row, columns, data


def check_file(source) -> None:
    """A quick look at an upload (the archive, the sheet, the header row) before it is kept for the preview."""
    with _data_sheet(source) as ws:
        _read_header(ws)
    _rewind(source)


# --- cleaning cells ----------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text: numbers without '.0', dates as dd/mm/yyyy, white space collapsed."""
    if value is None:
        return ""
    if type(value) is str:
        return " ".join(value.split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


class CellError(ValueError):
    """A cell's value is wrong; the message is the reason (translated)."""


def clean_date(value) -> dt.date:
    """Real Excel dates, or text typed as dd/mm/yyyy (also with '.' or '-'), or yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or isinstance(value, int | float):
        raise CellError(_("“%(value)s” is a number, not a date: type the date as dd/mm/yyyy.")
                        % {"value": _text(value)})
    text = _text(value)
    match = DATE_RE.match(text)
    if match:
        day, month, year = (int(x) for x in match.groups())
    else:
        match = ISO_DATE_RE.match(text)
        if not match:
            raise CellError(_("“%(value)s” is not a date in the form dd/mm/yyyy.") % {"value": text})
        year, month, day = (int(x) for x in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a real date (there is no such day).") % {"value": text}) from exc


def clean_sex(value) -> str:
    key = fold(_text(value))
    if key in SEX_WORDS:
        return SEX_WORDS[key]
    raise CellError(_("“%(value)s” is not a sex: write Nam or Nữ (or M or F).") % {"value": _text(value)})


def clean_ethnicity(value) -> str:
    """By name ('Tày', 'tay', 'Khơ-me', 'Khmer') or by the statistics office's code ('02', 2)."""
    text = _text(value)
    if not text:
        return KINH
    if text.isdigit() and 1 <= int(text) <= len(ETHNIC_GROUPS):
        return f"{int(text):02d}"
    code = ETHNICITY_BY_KEY.get(_ethnicity_key(text))
    if code is None:
        raise CellError(_("“%(value)s” is not one of the 54 ethnic groups (write its name, e.g. Kinh, Tày, "
                          "or its code 01 to 54).") % {"value": text})
    return code


def clean_personal_id(value) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.\-]", "", _text(value))
    if not text:
        return None
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a personal identification number (12 digits).") % {"value": text})
    if not PERSONAL_ID_RE.match(text):
        raise CellError(_(
            "“%(value)s” has %(n)s digits; a personal identification number has exactly 12 (format the column "
            "as Text so that Excel keeps the leading zeros)."
        ) % {"value": text, "n": len(text)})
    return text


def clean_phone(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) == 9:  # a number cell: Excel dropped the leading zero of 0912345678
            text = "0" + text
    else:
        text = _text(value)
    if not text:
        return ""
    phone = normalize_phone(text) or ""
    if not VN_MOBILE_RE.match(phone):
        try:
            validate_vn_mobile(text)
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from exc
        raise CellError(_("“%(value)s” is not a Vietnamese mobile number.") % {"value": text})
    return phone


def clean_relation(value) -> str:
    text = _text(value)
    if not text:
        return Guardian.Relation.OTHER
    exact = RELATION_EXACT.get(text.lower())
    if exact is not None:
        return exact
    folded = RELATION_FOLDED.get(fold(text))
    if folded is not None:
        return folded
    raise CellError(_("“%(value)s” is not a relation: write Mẹ, Bố, Ông, Bà or Khác.") % {"value": text})


def _band_label(band: str) -> str:
    if band in BAND_OUTSIDE:
        return str(BAND_OUTSIDE[band])
    return str(AgeBand(band).label)


# --- the plan ----------------------------------------------------------------------------------------------


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).order_by("-start_date").first()


def _chunks(items: list, size: int = 2_000) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _group_index(groups: list[Group]) -> dict[str, Group]:
    """Group names, exact first then folded ('Lớp Chồi 1' is also 'lop choi 1')."""
    index: dict[str, Group] = {}
    for g in groups:
        index.setdefault(fold(g.name), g)
    for g in groups:
        index[g.name.strip()] = g
    return index


def _clean_row(number: int, raw: dict[str, object], *, today: dt.date, year: SchoolYear,
               groups: dict[str, Group]) -> RosterRow:
    row = RosterRow(row=number, raw=raw)
    name = _text(raw.get("full_name"))
    if not name:
        row.error("full_name", _("the child's full name is empty."))
    elif len(name) > NAME_MAX:
        row.error("full_name", _("the name is longer than %(max)s characters.") % {"max": NAME_MAX})
    else:
        row.full_name, row.name_folded = name, fold(name)

    if _text(raw.get("birth_date")) == "":
        row.error("birth_date", _("the date of birth is empty."))
    else:
        try:
            born = clean_date(raw.get("birth_date"))
        except CellError as exc:
            row.error("birth_date", str(exc))
        else:
            if born > today:
                row.error("birth_date", _("%(date)s is in the future.") % {"date": born.strftime("%d/%m/%Y")})
            else:
                row.birth_date = born

    for key, cleaner, attr in (
        ("sex", clean_sex, "sex"), ("ethnicity", clean_ethnicity, "ethnicity"),
        ("personal_id", clean_personal_id, "personal_id"), ("guardian_phone", clean_phone, "guardian_phone"),
        ("guardian_relation", clean_relation, "guardian_relation"),
    ):
        if key == "sex" and _text(raw.get("sex")) == "":
            row.error("sex", _("the sex is empty: write Nam or Nữ."))
            continue
        try:
            setattr(row, attr, cleaner(raw.get(key)))
        except CellError as exc:
            row.error(key, str(exc))

    row.address = _text(raw.get("address"))
    if len(row.address) > ADDRESS_MAX:
        row.error("address", _("the address is longer than %(max)s characters.") % {"max": ADDRESS_MAX})
    row.guardian_name = _text(raw.get("guardian_name"))
    if len(row.guardian_name) > GUARDIAN_NAME_MAX:
        row.error("guardian_name", _("the name is longer than %(max)s characters.") % {"max": GUARDIAN_NAME_MAX})
    elif not row.guardian_name and (row.guardian_phone or _text(raw.get("guardian_relation"))):
        row.error("guardian_name", _("the guardian's name is empty although a relation or phone is given."))

    group_name = _text(raw.get("group"))
    if not group_name:
        row.error("group", _("the group is empty."))
    else:
        group = groups.get(group_name) or groups.get(fold(group_name))
        if group is None:
            row.error("group", _("there is no group “%(group)s” in school year %(year)s at this school.")
                      % {"group": group_name, "year": year.code})
        else:
            row.group = group
            if row.birth_date is not None:
                band = ages.age_band(row.birth_date, year.start_date)
                if not band_fits(band, group.age_band):
                    row.error("group", _(
                        "a child born on %(born)s is “%(band)s” in school year %(year)s, but %(group)s is a "
                        "group for “%(group_band)s”."
                    ) % {"born": row.birth_date.strftime("%d/%m/%Y"), "band": _band_label(band),
                         "year": year.code, "group": group.name, "group_band": group.get_age_band_display()})
    return row


def build_plan(source, *, school: School, today: dt.date | None = None) -> RosterPlan:
    """Read and validate a roster for ``school``; nothing is written.

    Queries: the current year, the groups, personal ids already recorded and possible duplicates (in
    chunks of 2,000), enrolment counts and class-size rules: a fixed handful, never one per row.
    """
    today = today or clock.today()
    year = current_year()
    plan = RosterPlan(school=school, year=year)
    if year is None:
        plan.file_errors.append(_("There is no current school year: an administrator must create it first."))
        return plan
    plan.groups = list(Group.objects.filter(school=school, school_year=year, active=True).order_by("name"))
    try:
        plan.header_row, columns, data = read_sheet(source)
    except RosterFileError as exc:
        plan.file_errors.append(str(exc))
        return plan
    groups = _group_index(plan.groups)
    for number, values in data:
        raw = dict.fromkeys(COLUMN_BY_KEY)
        raw.update({key: values[i] if i < len(values) else None for i, key in columns.items()})
        plan.rows.append(_clean_row(number, raw, today=today, year=year, groups=groups))
    _check_personal_ids(plan)
    _flag_duplicates(plan)
    _class_size_notes(plan)
    return plan


def _check_personal_ids(plan: RosterPlan) -> None:
    """Duplicate personal ids are errors, in the file and against every child recorded (the id is unique)."""
    first_row: dict[str, int] = {}
    for r in plan.rows:
        if r.personal_id is None:
            continue
        if r.personal_id in first_row:
            r.error("personal_id", _("the personal identification number %(id)s is also in row %(first)s.")
                    % {"id": r.personal_id, "first": first_row[r.personal_id]})
        else:
            first_row[r.personal_id] = r.row
    ids = list(first_row)
    known: set[str] = set()
    for chunk in _chunks(ids):
        known.update(Child.objects.filter(personal_id__in=chunk).values_list("personal_id", flat=True))
    for r in plan.rows:
        if r.personal_id in known:
            # Which child or school holds it is not said: it may be outside the user's scope.
            r.error("personal_id", _("the personal identification number %(id)s is already recorded for another "
                                     "child.") % {"id": r.personal_id})


def _flag_duplicates(plan: RosterPlan) -> None:
    """Likely duplicates, same folded name, date of birth and guardian phone: warnings, not errors."""
    first_row: dict[tuple, int] = {}
    keyed = [r for r in plan.rows if r.name_folded and r.birth_date]
    for r in keyed:
        key = (r.name_folded, r.birth_date, r.guardian_phone)
        if key in first_row:
            r.warn(None, _("same name, date of birth and guardian phone as row %(first)s: is this the same "
                           "child?") % {"first": first_row[key]})
        else:
            first_row[key] = r.row
    names = sorted({r.name_folded for r in keyed})
    existing: set[tuple] = set()
    for chunk in _chunks(names):
        for name, born, phone in Child.objects.filter(school=plan.school, name_folded__in=chunk).values_list(
            "name_folded", "birth_date", "guardians__phone"
        ):
            existing.add((name, born, phone or ""))
    for r in keyed:
        if (r.name_folded, r.birth_date, r.guardian_phone) in existing:
            r.warn(None, _("a child with the same name, date of birth and guardian phone is already recorded at "
                           "this school."))


def _class_size_notes(plan: RosterPlan) -> None:
    """Groups the import would push above the charter's maximum (Thông tư 52/2020, Điều 15): a warning, the
    principal decides (the override with its reason is recorded on the group's page)."""
    adding = Counter(r.group.pk for r in plan.rows if r.group is not None and not r.errors)
    if not adding:
        return
    current = dict(
        Enrolment.objects.filter(group_id__in=list(adding), end_date__isnull=True)
        .order_by().values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )
    codes = {f"group_max.{g.age_band}" for g in plan.groups if g.pk in adding}
    rules = rules_in_force(codes, on=plan.year.start_date, unit=plan.school.unit)
    for g in plan.groups:
        rule = rules.get(f"group_max.{g.age_band}")
        total = current.get(g.pk, 0) + adding.get(g.pk, 0)
        if rule is not None and adding.get(g.pk) and total > rule.value:
            plan.notes.append(_(
                "Group %(group)s would have %(total)s children, above the maximum of %(max)s (%(basis)s)."
            ) % {"group": g.name, "total": total, "max": int(rule.value), "basis": rule.legal_basis})


# --- the import (service) ----------------------------------------------------------------------------------


class RosterInvalid(ValidationError):
    """The roster has errors: nothing was written. ``plan`` says which."""

    def __init__(self, plan: RosterPlan):
        super().__init__(_("The roster has errors; nothing was imported."), code="roster_invalid")
        self.plan = plan


def default_start_date(year: SchoolYear, today: dt.date | None = None) -> dt.date:
    """Admission date of an import: today, kept within the school year."""
    today = today or clock.today()
    return min(max(today, year.start_date), year.end_date)


def _adapter(field):
    """How a value of ``field`` goes to the database (what Field.get_db_prep_save does, without the per-value
    dispatch through the insert compiler)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def _adapt(field, value):
    adapt = _adapter(field)
    return adapt(value) if adapt is not None and value is not None else value


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if hasattr(raw, "getlimit"):  # the real SQLITE_LIMIT_VARIABLE_NUMBER (Django assumes 999)
            return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 999


def _insert(model, columns: list[str], rows: list[tuple], *, constant: dict, returning: bool = False) -> list[int]:
    """Insert ``rows`` (values for ``columns``) with ``constant`` values and every other column's default.

    Returns the new primary keys, in the rows' order, when ``returning``. PostgreSQL: the keys are reserved
    from the table's sequence first (safe with concurrent writers) and the rows go through COPY, several
    times faster than multi-row INSERTs whose thousands of parameters the server must plan. Other databases
    (SQLite): multi-row INSERT ... RETURNING, whose order Django's own bulk_create relies on.
    """
    meta = model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    auto_pk = meta.pk.attname if isinstance(meta.pk, models.AutoField | models.BigAutoField) else None
    rest = [a for a in fields if a not in columns and a not in constant and a != auto_pk]
    fixed_names = [*constant, *rest]
    fixed = [*constant.values(), *(fields[a].get_default() for a in rest)]
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    if connection.vendor == "postgresql":
        ids: list[int] = []
        if returning:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [meta.db_table, meta.pk.column, len(rows)])
                ids = [r[0] for r in cursor.fetchall()]
            columns = [meta.pk.attname, *columns]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        names = ", ".join(qn(fields[a].column) for a in [*columns, *fixed_names])
        # The raw cursor's COPY: wrap_database_errors turns psycopg's errors into Django's (IntegrityError).
        with connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *fixed))
        return ids

    fixed = [_adapt(fields[n], v) for n, v in zip(fixed_names, fixed, strict=True)]
    adapters = [_adapter(fields[c]) for c in columns]
    dated = [i for i, a in enumerate(adapters) if a is not None]
    names = ", ".join(qn(fields[a].column) for a in [*columns, *fixed_names])
    width = len(columns) + len(fixed)
    per_statement = max(1, min(BATCH_SIZE, _max_params() // width))
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    suffix = f" RETURNING {qn(meta.pk.column)}" if returning else ""
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            params: list = []
            for row in chunk:
                if dated:
                    row = list(row)
                    for i in dated:
                        if row[i] is not None:
                            row[i] = adapters[i](row[i])
                params.extend(row)
                params.extend(fixed)
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}{suffix}", params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    if returning and len(ids) != len(rows):
        raise IntegrityError(f"{meta.label}: {len(rows)} rows inserted, {len(ids)} keys returned")
    return ids


def _insert_with_history(model, columns: list[str], rows: list[tuple], *, constant: dict, actor,
                         when: dt.datetime) -> list[int]:
    """Insert the rows and their creation rows in the change log (django-simple-history's table), by ``actor``."""
    ids = _insert(model, columns, rows, constant=constant, returning=True)
    history = model.history.model
    kept = {f.attname for f in history._meta.concrete_fields}
    keep = [i for i, c in enumerate(columns) if c in kept]
    h_columns = [model._meta.pk.attname, *(columns[i] for i in keep)]
    h_rows = [(pk, *(row[i] for i in keep)) for pk, row in zip(ids, rows, strict=True)]
    h_constant = {k: v for k, v in constant.items() if k in kept}
    h_constant.update(history_date=when, history_change_reason=IMPORT_REASON, history_type="+",
                      history_user_id=getattr(actor, "pk", None))
    _insert(history, h_columns, h_rows, constant=h_constant)
    return ids


def roster_import(*, plan: RosterPlan, actor, start_date: dt.date | None = None) -> ImportResult:
    """Create the plan's children, their guardians (no consent given yet) and enrolments, all or nothing.

    Bulk inserts in one transaction, each record with its creation row in the change log (history_user: the
    acting user, history_change_reason: IMPORT_REASON, history_type '+'): the rows ``bulk_create_with_history``
    would write. That helper is not used because Django's insert compiler prepares every value of every model
    instance one by one: for 5,000 rows (~30,000 records and history rows) it took about 4 s of CPU, over the
    3 s budget by itself; ``_insert`` writes the same rows (COPY on PostgreSQL, multi-row INSERT on SQLite)
    in about a tenth of that. ``Child.save`` is bypassed too, so ``name_folded`` is set here with ``fold``.
    """
    if not plan.ok:
        raise RosterInvalid(plan)
    year = plan.year
    start_date = start_date or default_start_date(year)
    if not year.start_date <= start_date <= year.end_date:
        raise ValidationError(_("The admission date must fall within school year %(year)s.") % {"year": year.code},
                              code="start_outside_year")
    now = timezone.now()
    school_id = plan.school.pk
    rows = plan.rows
    with transaction.atomic():
        child_ids = _insert_with_history(
            Child, ["full_name", "name_folded", "birth_date", "sex", "ethnicity", "personal_id", "address"],
            [(r.full_name, r.name_folded, r.birth_date, r.sex, r.ethnicity, r.personal_id, r.address) for r in rows],
            constant={"school_id": school_id, "status": ChildStatus.ENROLLED, "created_at": now,
                      "residence_commune_id": None, "photo": ""},
            actor=actor, when=now,
        )
        guardian_rows = [(cid, r.guardian_name, r.guardian_relation, r.guardian_phone)
                         for r, cid in zip(rows, child_ids, strict=True) if r.guardian_name]
        if guardian_rows:
            _insert_with_history(
                Guardian, ["child_id", "full_name", "relation", "phone"], guardian_rows,
                constant={"school_id": school_id, "is_primary": True, "user_id": None, "consent_at": None,
                          "consent_version": "", "pin_hash": ""},
                actor=actor, when=now,
            )
        _insert_with_history(
            Enrolment, ["child_id", "group_id"], [(cid, r.group.pk) for r, cid in zip(rows, child_ids, strict=True)],
            constant={"school_id": school_id, "start_date": start_date, "end_date": None,
                      "start_reason": Enrolment.Reason.ADMITTED, "end_reason": "", "note": IMPORT_REASON},
            actor=actor, when=now,
        )
    return ImportResult(children=len(child_ids), guardians=len(guardian_rows), enrolments=len(child_ids))


def roster_import_file(source, *, school: School, actor, start_date: dt.date | None = None,
                       today: dt.date | None = None) -> tuple[RosterPlan, ImportResult]:
    """Read, validate and import in one call (the confirmation and the benchmark): RosterInvalid on errors."""
    plan = build_plan(source, school=school, today=today)
    return plan, roster_import(plan=plan, actor=actor, start_date=start_date)


# --- who may do what -------------------------------------------------------------------------------------


def importable_schools(user) -> QuerySet[School]:
    """Schools whose roster ``user`` may import: their principal and vice-principals (administrators: all)."""
    if scoping.is_admin(user):
        return School.objects.all()
    ids = [g.unit_id for g in scoping.grants(user) if g.role in SCHOOL_MANAGER_ROLES and g.is_school]
    if not ids:
        return School.objects.none()
    return scoping.restrict(School.objects.filter(pk__in=ids), user, scoping.CHANGE)


def can_export(user) -> bool:
    """Rosters carry families' contacts: parents do not export (not even their child's group).

    What the others export is narrowed by scoping like the pages (a teacher: her groups only).
    """
    return scoping.is_admin(user) or any(g.role != Role.PARENT for g in scoping.grants(user))


# --- writing workbooks -------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="0B7A75")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="9FB3C8")
TEXT_COLUMNS = {"personal_id", "guardian_phone"}


def _set(ws, row: int, col: int, value):
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a name or address starting with '=' must stay text, never become a formula
    return cell


def _header(ws) -> None:
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _col(key: str) -> str:
    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)


def _to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_workbook(*, school: School, year: SchoolYear | None, group_names: list[str],
                      rows: int = 1000) -> bytes:
    """The empty roster with its header, drop-down lists (sex, ethnicity, relation, the school's groups of the
    current year) and an instructions sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _header(ws)
    last = rows + 1
    for key in TEXT_COLUMNS:  # keep leading zeros of ids and phones
        for r in range(2, last + 1):
            ws[f"{_col(key)}{r}"].number_format = "@"
    for r in range(2, last + 1):
        ws[f"{_col('birth_date')}{r}"].number_format = "DD/MM/YYYY"

    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    columns = {
        "A": ("Giới tính", ["Nam", "Nữ"]),
        "B": ("Dân tộc", [name for _code, name in ETHNIC_GROUPS]),
        "C": ("Quan hệ", RELATION_CHOICES_VI),
        "D": ("Nhóm/lớp", group_names),
    }
    for letter, (title, values) in columns.items():
        lists[f"{letter}1"] = title
        for i, value in enumerate(values, start=2):
            _set(lists, i, ord(letter) - 64, value)

    def validation(letter: str, n: int, key: str, title: str, strict: bool = True) -> None:
        if n == 0:
            return
        dv = DataValidation(type="list", formula1=f"='{LISTS_SHEET}'!${letter}$2:${letter}${n + 1}",
                            allow_blank=True, showErrorMessage=True, errorStyle="stop" if strict else "warning",
                            errorTitle=title, error="Chọn một giá trị trong danh sách.")
        ws.add_data_validation(dv)
        dv.add(f"{_col(key)}2:{_col(key)}{last}")

    validation("A", 2, "sex", "Giới tính")
    validation("B", len(ETHNIC_GROUPS), "ethnicity", "Dân tộc", strict=False)
    validation("C", len(RELATION_CHOICES_VI), "guardian_relation", "Quan hệ", strict=False)
    validation("D", len(group_names), "group", "Nhóm/lớp")
    pid = DataValidation(type="textLength", operator="equal", formula1="12", allow_blank=True,
                         showErrorMessage=True, errorStyle="warning", errorTitle="Mã định danh",
                         error="Mã định danh cá nhân gồm đúng 12 chữ số.")
    ws.add_data_validation(pid)
    pid.add(f"{_col('personal_id')}2:{_col('personal_id')}{last}")
    born = DataValidation(type="date", operator="lessThanOrEqual", formula1="TODAY()", allow_blank=True,
                          showInputMessage=True, promptTitle="Ngày sinh", prompt="Nhập theo dạng dd/mm/yyyy",
                          showErrorMessage=True, errorStyle="warning", errorTitle="Ngày sinh",
                          error="Ngày sinh phải là một ngày có thật, không sau hôm nay (dd/mm/yyyy).")
    ws.add_data_validation(born)
    born.add(f"{_col('birth_date')}2:{_col('birth_date')}{last}")

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 30
    help_ws.column_dimensions["B"].width = 90
    year_code = year.code if year else ""
    lines = [
        ("Danh sách trẻ", f"{school.unit.name} — năm học {year_code}"),
        ("", ""),
        ("Cách dùng", "Mỗi trẻ một dòng trong trang “Danh sách trẻ”, bắt đầu từ dòng 2. Không đổi tên cột."),
        ("", "Tải tệp lên mamnon: xem trước mọi dòng và mọi lỗi, rồi xác nhận. Tệp có lỗi thì không dòng nào "
             "được nhập (nhập tất cả hoặc không nhập gì)."),
        ("", ""),
        ("Họ và tên *", "Họ và tên đầy đủ của trẻ, có dấu."),
        ("Ngày sinh *", "dd/mm/yyyy, ví dụ 05/03/2019 (ô ngày của Excel hoặc chữ đều được)."),
        ("Giới tính *", "Nam hoặc Nữ (hoặc M / F)."),
        ("Dân tộc", "Tên dân tộc (Kinh, Tày, Thái, Mường, ...) hoặc mã 01–54 của Tổng cục Thống kê. "
                    "Để trống: Kinh."),
        ("Mã định danh", "Mã định danh cá nhân, đúng 12 chữ số; không trùng với trẻ khác. Để trống nếu chưa có."),
        ("Địa chỉ", "Nơi ở hiện tại."),
        ("Họ tên phụ huynh", "Cha, mẹ hoặc người giám hộ liên hệ chính."),
        ("Quan hệ", "Mẹ, Bố, Ông, Bà hoặc Khác."),
        ("Số điện thoại phụ huynh", "Số di động Việt Nam 10 chữ số (03, 05, 07, 08, 09...); +84 cũng được."),
        ("Nhóm/lớp *", "Tên nhóm/lớp của năm học hiện tại, đúng như trong danh sách. Tuổi của trẻ phải hợp "
                       "với độ tuổi của nhóm/lớp (mẫu giáo theo năm sinh, nhà trẻ theo tháng tuổi đầu năm học)."),
        ("", ""),
        ("Trùng lặp", "Trẻ cùng họ tên, ngày sinh và số điện thoại phụ huynh với trẻ khác sẽ được cảnh báo "
                      "khi xem trước."),
        ("Nhóm/lớp hiện có", ", ".join(group_names) or "(chưa có nhóm/lớp nào trong năm học hiện tại)"),
        ("", ""),
        ("Ví dụ", "Nguyễn Văn An | 05/03/2019 | Nam | Kinh | 031219001234 | Thị trấn An Lão | Nguyễn Thị Hoa "
                  "| Mẹ | 0912345678 | (tên nhóm/lớp)"),
    ]
    for i, (a, b) in enumerate(lines, start=1):
        _set(help_ws, i, 1, a).font = Font(bold=True)
        _set(help_ws, i, 2, b).alignment = Alignment(wrap_text=True, vertical="top")
    wb.active = 0
    return _to_bytes(wb)


@dataclass
class ExportRow:
    child: Child
    group_name: str
    guardian: Guardian | None


def roster_export_rows(user, groups: QuerySet[Group], *, current_only: bool) -> list[ExportRow]:
    """The children of ``groups`` as ``user`` may see them (scoping on every model): three queries.

    Guardians are a school's business: offices get the children without family contacts (Guardian's scope).
    """
    enrolments = scoping.restrict(Enrolment.objects.filter(group__in=groups), user)
    if current_only:
        enrolments = enrolments.filter(end_date__isnull=True)
    visible = scoping.restrict(Child.objects.all(), user).values("pk")
    enrolments = (
        enrolments.filter(child_id__in=visible)
        .select_related("child", "group")
        .order_by("group__name", "child__name_folded", "child__birth_date", "child_id", "-start_date")
    )
    rows: list[ExportRow] = []
    seen: set[int] = set()
    for e in enrolments:
        if e.child_id not in seen:
            seen.add(e.child_id)
            rows.append(ExportRow(e.child, e.group.name, None))
    first_guardian: dict[int, Guardian] = {}
    if seen:
        for g in scoping.restrict(Guardian.objects.filter(child_id__in=[r.child.pk for r in rows]), user).order_by(
            "child_id", "-is_primary", "full_name", "pk"
        ):
            first_guardian.setdefault(g.child_id, g)
    for r in rows:
        r.guardian = first_guardian.get(r.child.pk)
    return rows


def export_workbook(rows: list[ExportRow], *, title: str) -> bytes:
    """The roster in the template's columns, so that an export can be corrected and imported elsewhere."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _header(ws)
    for n, r in enumerate(rows, start=2):
        c, g = r.child, r.guardian
        values = {
            "full_name": c.full_name, "birth_date": c.birth_date, "sex": SEX_LABEL.get(c.sex, c.sex),
            "ethnicity": ETHNICITY_NAME.get(c.ethnicity, c.ethnicity), "personal_id": c.personal_id or "",
            "address": c.address, "guardian_name": g.full_name if g else "",
            "guardian_relation": RELATION_LABEL.get(g.relation, "") if g else "",
            "guardian_phone": g.phone if g else "", "group": r.group_name,
        }
        for i, column in enumerate(COLUMNS, start=1):
            cell = _set(ws, n, i, values[column.key])
            if column.key == "birth_date":
                cell.number_format = "DD/MM/YYYY"
            elif column.key in TEXT_COLUMNS:
                cell.number_format = "@"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(rows) + 1, 1)}"
    wb.properties.title = title
    return _to_bytes(wb)


# --- uploads kept between the preview and the confirmation -------------------------------------------------

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
UPLOAD_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path
    user_id: int
    school_id: int
    start_date: dt.date
    filename: str
    created: float


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path]:
    d = upload_dir()
    return d / f"{token}.xlsx", d / f"{token}.json"


def purge_uploads(now: float | None = None) -> int:
    """Delete uploads older than a day (abandoned previews); returns how many files went."""
    now = now or time.time()
    removed = 0
    for path in upload_dir().iterdir():
        try:
            if now - path.stat().st_mtime > UPLOAD_TTL_SECONDS:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def upload_store(upload, *, user, school: School, start_date: dt.date) -> str:
    """Keep an uploaded file for its preview; the token is bound to the user and the school."""
    purge_uploads()
    token = secrets.token_urlsafe(32)
    data_path, meta_path = _paths(token)
    with open(data_path, "xb") as out:
        chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
        for chunk in chunks:
            out.write(chunk)
    meta = {"user": user.pk, "school": school.pk, "start_date": start_date.isoformat(),
            "filename": str(getattr(upload, "name", ""))[:200], "created": time.time()}
    with open(meta_path, "x", encoding="utf-8") as out:
        json.dump(meta, out)
    return token


def _load(token: str, meta_path: Path, data_path: Path, user) -> StoredUpload | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or time.time() - meta.get("created", 0) > UPLOAD_TTL_SECONDS:
        return None
    if not data_path.exists():
        return None
    return StoredUpload(token, data_path, meta["user"], meta["school"], dt.date.fromisoformat(meta["start_date"]),
                        meta.get("filename", ""), meta["created"])


def upload_get(token: str | None, *, user) -> StoredUpload | None:
    """The user's own pending upload, or None (unknown, expired, someone else's, malformed token)."""
    if not token or not TOKEN_RE.match(token):
        return None
    data_path, meta_path = _paths(token)
    return _load(token, meta_path, data_path, user)


def upload_claim(token: str | None, *, user) -> StoredUpload | None:
    """Take the upload for its confirmation: a second confirmation of the same file finds nothing."""
    if not token or not TOKEN_RE.match(token):
        return None
    data_path, meta_path = _paths(token)
    claimed = meta_path.with_suffix(".claimed")
    if upload_get(token, user=user) is None:
        return None
    try:
        os.rename(meta_path, claimed)  # atomic: only one request wins
    except FileNotFoundError:
        return None
    return _load(token, claimed, data_path, user)


def upload_discard(token: str) -> None:
    if not TOKEN_RE.match(token or ""):
        return
    data_path, meta_path = _paths(token)
    for path in (data_path, meta_path, meta_path.with_suffix(".claimed")):
        path.unlink(missing_ok=True)


__all__ = [
    "COLUMNS", "ImportResult", "Issue", "RosterFileError", "RosterInvalid", "RosterPlan", "RosterRow",
    "build_plan", "can_export", "check_file", "default_start_date", "export_workbook", "importable_schools",
    "read_sheet", "roster_export_rows", "roster_import", "roster_import_file", "template_workbook",
    "upload_claim", "upload_discard", "upload_get", "upload_store",
]
