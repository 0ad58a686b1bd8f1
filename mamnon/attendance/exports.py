"""Exports of the school day: the monthly attendance sheet (bảng theo dõi trẻ đến lớp) as .xlsx."""

from __future__ import annotations

import io

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from mamnon.attendance.models import AttendanceStatus
from mamnon.attendance.selectors import MARKS, MonthSheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where things are, so that readers (and tests) find them.
TITLE_ROW, HEADER_ROW, WEEKDAY_ROW, FIRST_CHILD_ROW = 2, 5, 6, 7
FIRST_DAY_COL = 4  # A: no., B: name, C: date of birth, D..: the days

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_OFF = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center")


def weekday_labels() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def total_columns() -> list[tuple[str, str]]:
    """(key, header) of the totals after the day columns."""
    return [
        ("present", _("Present (late included)")),
        (AttendanceStatus.EXCUSED, _("Absent, excused")),
        (AttendanceStatus.UNEXCUSED, _("Absent, unexcused")),
        (AttendanceStatus.SICK, _("Absent, sick")),
        ("possible", _("School days")),
        ("percent", _("Rate (%)")),
    ]


def month_sheet_filename(group, year: int, month: int) -> str:
    return f"diem-danh-{slugify(group.name) or group.pk}-{year:04d}-{month:02d}.xlsx"


def month_sheet_xlsx(sheet: MonthSheet, *, school_name: str, group) -> bytes:
    """The sheet as a workbook: child rows x day columns with the marks, totals per child and per day."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{sheet.month:02d}-{sheet.year:04d}"
    n_days = len(sheet.days)
    totals = total_columns()
    last_col = FIRST_DAY_COL + n_days + len(totals) - 1

    ws.cell(row=1, column=1, value=school_name).font = _BOLD
    title = ws.cell(row=TITLE_ROW, column=1, value=_("CHILDREN'S ATTENDANCE SHEET"))
    title.font = Font(bold=True, size=14)
    title.alignment = _CENTER
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last_col)
    ws.cell(row=3, column=1, value=_("Group: %(group)s — Month: %(month)02d/%(year)04d")
            % {"group": group.name, "month": sheet.month, "year": sheet.year})
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last_col)

    headers = [_("No."), _("Full name"), _("Date of birth")]
    for col, text in enumerate(headers, 1):
        ws.cell(row=HEADER_ROW, column=col, value=text)
        ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=WEEKDAY_ROW, end_column=col)
    labels = weekday_labels()
    for i, day in enumerate(sheet.days):
        col = FIRST_DAY_COL + i
        ws.cell(row=HEADER_ROW, column=col, value=day.day)
        ws.cell(row=WEEKDAY_ROW, column=col, value=labels[day.weekday()])
        ws.column_dimensions[get_column_letter(col)].width = 4
    for j, (_key, text) in enumerate(totals):
        col = FIRST_DAY_COL + n_days + j
        ws.cell(row=HEADER_ROW, column=col, value=text)
        ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=WEEKDAY_ROW, end_column=col)
        ws.column_dimensions[get_column_letter(col)].width = 10
    for row in (HEADER_ROW, WEEKDAY_ROW):
        for col in range(1, last_col + 1):
            cell = ws.cell(row=row, column=col)
            cell.font, cell.alignment, cell.border = _BOLD, Alignment(horizontal="center", vertical="center",
                                                                      wrap_text=True), _BORDER

    r = FIRST_CHILD_ROW
    for n, child in enumerate(sheet.rows, 1):
        ws.cell(row=r, column=1, value=n)
        ws.cell(row=r, column=2, value=child.full_name)
        ws.cell(row=r, column=3, value=child.birth_date.strftime("%d/%m/%Y"))
        for i, mark in enumerate(child.marks):
            ws.cell(row=r, column=FIRST_DAY_COL + i, value=mark or None)
        values = {"present": child.present, "possible": child.possible, "percent": child.percent,
                  **{s: child.counts[s] for s in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED,
                                                  AttendanceStatus.SICK)}}
        for j, (key, _text) in enumerate(totals):
            ws.cell(row=r, column=FIRST_DAY_COL + n_days + j, value=values[key])
        r += 1
    total_row = r
    ws.cell(row=total_row, column=2, value=_("Present per day")).font = _BOLD
    for i, n in enumerate(sheet.day_present):
        ws.cell(row=total_row, column=FIRST_DAY_COL + i, value=n)
    ws.cell(row=total_row, column=FIRST_DAY_COL + n_days, value=sheet.total_present).font = _BOLD
    ws.cell(row=total_row, column=FIRST_DAY_COL + n_days + 4, value=sheet.total_possible).font = _BOLD
    ws.cell(row=total_row, column=FIRST_DAY_COL + n_days + 5, value=sheet.percent).font = _BOLD

    for row in range(FIRST_CHILD_ROW, total_row + 1):
        for col in range(1, last_col + 1):
            cell = ws.cell(row=row, column=col)
            cell.border = _BORDER
            if col >= FIRST_DAY_COL:
                cell.alignment = _CENTER
            day_index = col - FIRST_DAY_COL
            if 0 <= day_index < n_days and not sheet.is_school_day[day_index]:
                cell.fill = _OFF
    for i in range(n_days):
        if not sheet.is_school_day[i]:
            ws.cell(row=HEADER_ROW, column=FIRST_DAY_COL + i).fill = _OFF
            ws.cell(row=WEEKDAY_ROW, column=FIRST_DAY_COL + i).fill = _OFF

    legend_row = total_row + 2
    legend = "; ".join(f"{mark}: {label}" for mark, label in legend_items())
    ws.cell(row=legend_row, column=2, value=_("Marks") + ": " + legend + ". " + _("Grey: not a school day."))
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = ws.cell(row=FIRST_CHILD_ROW, column=FIRST_DAY_COL)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def legend_items() -> list[tuple[str, str]]:
    labels = {
        AttendanceStatus.PRESENT: _("present"),
        AttendanceStatus.LATE: _("late (counts as present)"),
        AttendanceStatus.EXCUSED: _("absent, excused"),
        AttendanceStatus.UNEXCUSED: _("absent, unexcused"),
        AttendanceStatus.SICK: _("absent, sick"),
    }
    return [(MARKS[s], labels[s]) for s in MARKS]
