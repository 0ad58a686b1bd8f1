"""The round report (báo cáo kết quả cân đo) as .xlsx, in the layout schools send the district office:
one row per group (a school's report) or per unit below (an office's), children enrolled and measured, each
status as count and share, the change in points against round 1, and the total row."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from mamnon.health.stats import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_ROW, HEAD_ROW, SUB_ROW, FIRST_ROW = 2, 4, 5, 6

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def columns() -> list[tuple[str, str, str, str]]:
    """(group header, sub header, kind, key): kind is 'n' (count), 'p' (share %), 'd' (change in points)."""
    n, p, d = _("Number"), _("%"), _("Change vs round 1 (points)")
    return [
        (_("Children enrolled"), "", "n", "enrolled"),
        (_("Weighed and measured"), n, "n", "measured"), (_("Weighed and measured"), p, "p", "measured"),
        (_("Underweight (weight-for-age < -2SD)"), n, "n", "underweight"),
        (_("Underweight (weight-for-age < -2SD)"), p, "p", "underweight"),
        (_("Underweight (weight-for-age < -2SD)"), _("of which severe"), "n", "underweight_severe"),
        (_("Underweight (weight-for-age < -2SD)"), d, "d", "underweight"),
        (_("Stunted (height-for-age < -2SD)"), n, "n", "stunting"),
        (_("Stunted (height-for-age < -2SD)"), p, "p", "stunting"),
        (_("Stunted (height-for-age < -2SD)"), _("of which severe"), "n", "stunting_severe"),
        (_("Stunted (height-for-age < -2SD)"), d, "d", "stunting"),
        (_("Wasted / thin"), n, "n", "wasting"), (_("Wasted / thin"), p, "p", "wasting"),
        (_("Overweight or obese"), n, "n", "overweight"), (_("Overweight or obese"), p, "p", "overweight"),
        (_("Overweight or obese"), d, "d", "overweight"),
        (_("Obese"), n, "n", "obese"), (_("Obese"), p, "p", "obese"),
    ]


def _value(row, kind: str, key: str):
    if kind == "n":
        return row.values[key]
    return (row.shares if kind == "p" else row.change)[key]


def round_report(table: Table, *, unit, year: str, number: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Round %(n)d") % {"n": number}
    cols = columns()
    last = 2 + len(cols)
    ws.cell(row=1, column=1, value=unit.name).font = _BOLD
    title = ws.cell(row=TITLE_ROW, column=1, value=_(
        "RESULTS OF WEIGHING AND MEASURING, ROUND %(n)d, SCHOOL YEAR %(year)s") % {"n": number, "year": year})
    title.font = Font(bold=True, size=13)
    title.alignment = _CENTER
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last)
    ws.cell(row=3, column=1, value=_("WHO growth standards 2006 (under 60 months) and reference 2007 (from 60 "
                                     "months); shares of the children assessed on each indicator."))
    first_label = _("Group") if unit.is_school else _("Unit")
    for col, text in ((1, _("No.")), (2, first_label)):
        ws.cell(row=HEAD_ROW, column=col, value=text)
        ws.merge_cells(start_row=HEAD_ROW, start_column=col, end_row=SUB_ROW, end_column=col)
    start = 3
    for i, (head, sub, _kind, _key) in enumerate(cols):
        col = 3 + i
        if i == 0 or cols[i - 1][0] != head:
            start = col
            ws.cell(row=HEAD_ROW, column=col, value=head)
        if i + 1 == len(cols) or cols[i + 1][0] != head:
            if col > start:
                ws.merge_cells(start_row=HEAD_ROW, start_column=start, end_row=HEAD_ROW, end_column=col)
            elif not sub:
                ws.merge_cells(start_row=HEAD_ROW, start_column=col, end_row=SUB_ROW, end_column=col)
        if sub:
            ws.cell(row=SUB_ROW, column=col, value=sub)
    r = FIRST_ROW
    for n, row in enumerate(table.rows, 1):
        ws.cell(row=r, column=1, value=n)
        ws.cell(row=r, column=2, value=row.name)
        for i, (_h, _s, kind, key) in enumerate(cols):
            ws.cell(row=r, column=3 + i, value=_value(row, kind, key))
        r += 1
    ws.cell(row=r, column=2, value=_("Total")).font = _BOLD
    for i, (_h, _s, kind, key) in enumerate(cols):
        ws.cell(row=r, column=3 + i, value=_value(table.total, kind, key)).font = _BOLD
    for row in ws.iter_rows(min_row=HEAD_ROW, max_row=r, max_col=last):
        for cell in row:
            cell.border = _BORDER
            if cell.row <= SUB_ROW:
                cell.alignment = _CENTER
                cell.font = _BOLD
            elif cell.column > 2 and isinstance(cell.value, float):
                cell.number_format = "0.00"
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 30
    for col in range(3, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
