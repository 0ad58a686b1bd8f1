"""A unit's scorecard as .xlsx: its targets with value and status, the units below side by side, and what each
indicator means (definition, numerator, denominator in the active language)."""

from __future__ import annotations

import io

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {"achieved": "C6EFCE", "on_track": "DDEBF7", "at_risk": "FFEB9C", "not_achieved": "FFC7CE",
         "no_data": "EDEDED"}
HEADER_ROW = 4  # the scorecard's header row; its lines follow


def filename(unit, year: str) -> str:
    return f"chi-tieu-{slugify(unit.code) or unit.pk}-{year}.xlsx"


def _num(v):
    return None if v is None else round(float(v), 2)


def scorecard_xlsx(unit, year, lines, below, values, status_label) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Scorecard")[:31]
    ws.cell(row=1, column=1, value=unit.name).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=_("School year %(year)s") % {"year": year})
    headers = [_("Code"), _("Indicator"), _("Target"), _("Set by"), _("Latest value"), _("Period"),
               _("Baseline"), _("Status")]
    for col, text in enumerate(headers, 1):
        ws.cell(row=HEADER_ROW, column=col, value=text).font = Font(bold=True)
    for r, line in enumerate(lines, HEADER_ROW + 1):
        t = line.target
        row = [t.indicator.code, t.indicator.name, t.describe(), t.unit.name, _num(line.latest), line.latest_period,
               _num(line.baseline), status_label(line.status)]
        for col, v in enumerate(row, 1):
            ws.cell(row=r, column=col, value=v)
        ws.cell(row=r, column=8).fill = PatternFill("solid", fgColor=FILLS[line.status])
    for col, width in zip("ABCDEFGH", (16, 48, 30, 28, 12, 14, 10, 14), strict=True):
        ws.column_dimensions[col].width = width

    sheet = wb.create_sheet(_("Units below")[:31])
    indicators = list(dict.fromkeys(line.target.indicator for line in lines))
    sheet.cell(row=1, column=1, value=_("Unit")).font = Font(bold=True)
    for col, ind in enumerate(indicators, 2):
        sheet.cell(row=1, column=col, value=f"{ind.code} ({ind.unit})").font = Font(bold=True)
    for r, u in enumerate(below, 2):
        sheet.cell(row=r, column=1, value=u.name)
        for col, ind in enumerate(indicators, 2):
            cell = values.get((u.pk, ind.pk))
            sheet.cell(row=r, column=col, value=_num(cell[0]) if cell else None)
    sheet.column_dimensions["A"].width = 40

    about = wb.create_sheet(_("Indicators")[:31])
    about_headers = [_("Code"), _("Indicator"), _("Definition"), _("Numerator"), _("Denominator"),
                     _("Unit of measure"), _("Regulation")]
    for col, text in enumerate(about_headers, 1):
        about.cell(row=1, column=col, value=text).font = Font(bold=True)
    for r, ind in enumerate(indicators, 2):  # the texts of the active language (Vietnamese unless English)
        for col, v in enumerate([ind.code, ind.name, ind.definition, ind.numerator, ind.denominator, ind.unit,
                                 ind.regulation], 1):
            about.cell(row=r, column=col, value=v)
    for col, width in zip("ABCDEFG", (16, 40, 60, 30, 30, 12, 40), strict=True):
        about.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
