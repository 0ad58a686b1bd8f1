"""A report and a consolidation in the official layout: .xlsx and the print view share ``layout``.

The layout of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): the issuing body at
the top left (the unit above, then the unit), the national motto block at the top right, the place and date,
the title, the table, and the signature block (the preparer on the left, the head of the unit on the right).
The motto and the signature captions are fixed Vietnamese text of the official form, not interface strings.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from mamnon.core import clock
from mamnon.reporting import selectors
from mamnon.reporting.models import Report, Status

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
TITLE_ROW, HEADER_ROW = 6, 9
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True, name="Times New Roman", size=12)
_NORMAL = Font(name="Times New Roman", size=12)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass
class Layout:
    parent_name: str
    unit_name: str
    place_date: str
    title: str
    subtitle: str
    rows: list[tuple] = field(default_factory=list)  # ("section", text) | ("field", no, label, value)
    signer_title: str = ""
    signer_name: str = ""
    status: str = ""
    detail_units: list[str] = field(default_factory=list)  # consolidation: the units summed
    detail_rows: list[tuple[str, list]] = field(default_factory=list)  # (field label, value per unit)


def _signer_title(report: Report) -> str:
    return "HIỆU TRƯỞNG" if report.unit.level.is_school else "THỦ TRƯỞNG ĐƠN VỊ"


def layout(report: Report) -> Layout:
    unit = report.unit
    parent = unit.parent
    day = timezone.localtime(report.submitted_at).date() if report.submitted_at else clock.today()
    out = Layout(
        parent_name=(parent.name.upper() if parent else ""), unit_name=unit.name.upper(),
        place_date=f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        title=report.form.name.upper(),
        subtitle=_("Period: %(period)s — due %(due)s") % {"period": report.period,
                                                          "due": report.due_date.strftime("%d/%m/%Y")},
        signer_title=_signer_title(report),
        signer_name=(report.submitted_by.full_name or report.submitted_by.username) if report.submitted_by else "",
        status=report.get_status_display(),
    )
    section = None
    n = 0
    fields = list(report.form.fields.all())
    for f in fields:
        if f.section and f.section != section:
            section = f.section
            out.rows.append(("section", section))
        n += 1
        out.rows.append(("field", n, f.label, report.values.get(f.code)))
    if report.is_consolidation:
        paths = selectors._paths_at_end(report.form, report.period, report.unit)
        below = [uid for uid, p in paths.items() if p.startswith(report.unit.path)]
        parts = list(Report.objects.filter(form=report.form, period=report.period, is_consolidation=False,
                                           unit_id__in=below, status__in=[Status.SUBMITTED, Status.APPROVED])
                     .select_related("unit").order_by("unit__name"))
        out.detail_units = [p.unit.name for p in parts]
        out.detail_rows = [(f.label, [p.values.get(f.code) for p in parts]) for f in fields if f.kind != "text"]
    return out


def filename(report: Report) -> str:
    return f"{report.form.code}-{slugify(report.unit.code)}-{report.period.replace('/', '-')}.xlsx"


def _put(ws, row, col, value, *, font=_NORMAL, align=None, merge_to=None):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = font
    if align is not None:
        cell.alignment = align
    if merge_to:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
    return cell


def report_xlsx(report: Report) -> bytes:
    data = layout(report)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Report")[:31]
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["D"].width = 30
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _put(ws, 1, 1, data.parent_name, align=center, merge_to=2)
    _put(ws, 2, 1, data.unit_name, font=_BOLD, align=center, merge_to=2)
    _put(ws, 1, 3, MOTTO, font=_BOLD, align=center, merge_to=4)
    _put(ws, 2, 3, MOTTO_2, font=_BOLD, align=center, merge_to=4)
    _put(ws, 4, 3, data.place_date, font=Font(italic=True, name="Times New Roman", size=12), align=center,
         merge_to=4)
    _put(ws, TITLE_ROW, 1, data.title, font=Font(bold=True, name="Times New Roman", size=14), align=center,
         merge_to=4)
    ws.row_dimensions[TITLE_ROW].height = 36
    _put(ws, TITLE_ROW + 1, 1, data.subtitle, align=center, merge_to=4)
    for col, text in enumerate([_("No."), pgettext("report table", "Item"), _("Figure"), _("Note")], 1):
        cell = _put(ws, HEADER_ROW, col, text, font=_BOLD, align=center)
        cell.border = _BORDER
    r = HEADER_ROW + 1
    for row in data.rows:
        if row[0] == "section":
            _put(ws, r, 1, row[1], font=_BOLD, merge_to=4)
        else:
            _kind, no, label, value = row
            _put(ws, r, 1, no, align=center)
            _put(ws, r, 2, label, align=Alignment(wrap_text=True, vertical="center"))
            _put(ws, r, 3, value, align=Alignment(horizontal="right", vertical="center", wrap_text=True))
            _put(ws, r, 4, None)
        for col in range(1, 5):
            ws.cell(row=r, column=col).border = _BORDER
        r += 1
    r += 1
    _put(ws, r, 1, "NGƯỜI LẬP BIỂU", font=_BOLD, align=center, merge_to=2)
    _put(ws, r, 3, data.signer_title, font=_BOLD, align=center, merge_to=4)
    _put(ws, r + 1, 3, "(Ký, ghi rõ họ tên, đóng dấu)", font=Font(italic=True, name="Times New Roman", size=11),
         align=center, merge_to=4)
    _put(ws, r + 5, 3, data.signer_name, font=_BOLD, align=center, merge_to=4)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if data.detail_units:
        ds = wb.create_sheet(_("Units")[:31])
        _put(ds, 1, 1, data.title, font=_BOLD)
        _put(ds, 3, 1, pgettext("report table", "Item"), font=_BOLD, align=center).border = _BORDER
        ds.column_dimensions["A"].width = 50
        for j, name in enumerate(data.detail_units, 2):
            _put(ds, 3, j, name, font=_BOLD, align=center).border = _BORDER
            ds.column_dimensions[get_column_letter(j)].width = 16
        for i, (label, values) in enumerate(data.detail_rows, 4):
            _put(ds, i, 1, label).border = _BORDER
            for j, v in enumerate(values, 2):
                _put(ds, i, j, v).border = _BORDER
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
