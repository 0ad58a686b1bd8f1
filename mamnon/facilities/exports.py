"""Facilities exports (.xlsx): the summary per school in the sector-database (CSDL ngành) layout as far as
it is known (docs/facilities.md lists the assumptions), the room list, and purchase plans."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mamnon.facilities.models import PurchasePlan, Room
from mamnon.facilities.selectors import SchoolRow, totals

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_ROW, DATE_ROW, HEADER_ROW, FIRST_ROW = 2, 3, 5, 6
_BOLD = Font(bold=True)


def summary_columns() -> list[tuple[str, str]]:
    """(key, header) of the summary sheet, in order."""
    return [
        ("no", _("No.")), ("code", _("School code")), ("name", _("School")), ("ownership", _("Ownership")),
        ("children", _("Children")), ("groups", _("Groups/classes")), ("rooms", _("Rooms in use")),
        ("group_rooms", _("Group rooms")), ("permanent", _("Permanent")), ("semi_permanent", _("Semi-permanent")),
        ("temporary", _("Temporary")), ("function_rooms", _("Function rooms")), ("libraries", _("Library")),
        ("computer_rooms", _("Computer room")), ("meeting_rooms", _("Online meeting room")),
        ("kitchens", _("Kitchens")), ("kitchens_one_way", _("One-way kitchens")), ("toilets", _("Toilets")),
        ("toilets_std", _("Standard toilets")), ("land_area", _("Land area (m²)")), ("yard_area", _("Yard (m²)")),
        ("grass_area", _("Grass (m²)")), ("internet", _("Internet")), ("software", _("Management software")),
        ("website", _("Website")), ("cameras", _("Cameras")),
        ("equipment_meeting", _("Groups with the minimum equipment")), ("warnings", _("Warnings (TT 13/2020)")),
    ]


def _row_values(n: int, r: SchoolRow) -> dict:
    p = r.profile
    yes, no = _("Yes"), _("No")
    return {
        "no": n, "code": r.school.unit.code, "name": r.school.unit.name, "ownership": r.school.get_ownership_display(),
        "children": r.children, "groups": r.groups,
        **{k: r.room(k) for k in ("rooms", "group_rooms", "permanent", "semi_permanent", "temporary",
                                  "function_rooms", "libraries", "computer_rooms", "meeting_rooms", "kitchens",
                                  "kitchens_one_way", "toilets", "toilets_std")},
        "land_area": float(p.land_area) if p else 0, "yard_area": float(p.yard_area) if p else 0,
        "grass_area": float(p.grass_area) if p else 0, "internet": yes if p and p.internet else no,
        "software": p.management_software if p else "", "website": r.school.website, "cameras": p.cameras if p else 0,
        "equipment_meeting": f"{r.equipment_meeting}/{r.equipment_groups}",
        "warnings": "; ".join(msg for _code, msg in r.warnings),
    }


def summary_xlsx(rows: list[SchoolRow], *, unit_name: str, day: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Facilities")[:31]
    cols = summary_columns()
    ws.cell(row=1, column=1, value=unit_name).font = _BOLD
    ws.cell(row=TITLE_ROW, column=1, value=_("FACILITIES SUMMARY")).font = Font(bold=True, size=14)
    ws.cell(row=DATE_ROW, column=1, value=_("As at %(day)s") % {"day": day.strftime("%d/%m/%Y")})
    for c, (_key, header) in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=header)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = 30 if c == 3 else 12
    for n, r in enumerate(rows, start=1):
        values = _row_values(n, r)
        for c, (key, _header) in enumerate(cols, start=1):
            ws.cell(row=FIRST_ROW + n - 1, column=c, value=values[key])
    t = totals(rows)
    last = FIRST_ROW + len(rows)
    ws.cell(row=last, column=3, value=_("Total")).font = _BOLD
    sums = {"children": t["children"], "groups": t["groups"], "rooms": t["rooms"], "group_rooms": t["group_rooms"],
            "temporary": t["temporary"], "libraries": t["libraries"], "computer_rooms": t["computer_rooms"],
            "meeting_rooms": t["meeting_rooms"], "kitchens": t["kitchens"], "kitchens_one_way": t["kitchens_one_way"],
            "toilets": t["toilets"], "toilets_std": t["toilets_std"], "yard_area": float(t["yard"]),
            "grass_area": float(t["grass"]), "equipment_meeting": f"{t['equipment_meeting']}/{t['equipment_groups']}"}
    for c, (key, _header) in enumerate(cols, start=1):
        if key in sums:
            ws.cell(row=last, column=c, value=sums[key]).font = _BOLD
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=4)
    _rooms_sheet(wb, [r.school.pk for r in rows])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def room_columns() -> list[str]:
    return [_("School code"), _("School"), _("Site"), _("Room"), pgettext("room", "Kind"), _("Construction"),
            _("Area (m²)"), _("Condition"), _("Group"), _("In use"), _("One-way layout"), _("Clean water"),
            _("Signed food-supply contract"), _("Food-safety certificate"), _("Meets the standard")]


def _rooms_sheet(wb, school_ids) -> None:
    ws = wb.create_sheet(_("Rooms")[:31])
    ws.append(room_columns())
    for cell in ws[1]:
        cell.font = _BOLD
    yes, no = _("Yes"), _("No")
    kitchen, toilet = Room.Kind.KITCHEN, Room.Kind.TOILET
    qs = (Room.objects.filter(school_id__in=school_ids)
          .select_related("school__unit", "site", "group").order_by("school__unit__name", "site__name", "kind", "name"))
    for room in qs.iterator(chunk_size=2000):
        k = room.kind == kitchen
        ws.append([room.school.unit.code, room.school.unit.name, room.site.name, room.name, room.get_kind_display(),
                   room.get_construction_display(), float(room.area), room.get_condition_display(),
                   room.group.name if room.group_id else "", yes if room.in_use else no,
                   (yes if room.one_way else no) if k else "", (yes if room.clean_water else no) if k else "",
                   (yes if room.supply_contract else no) if k else "",
                   (yes if room.food_safety_cert else no) if k else "",
                   (yes if room.meets_standard else no) if room.kind == toilet else ""])


def plan_xlsx(plan: PurchasePlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Purchase plan")[:31]
    ws.cell(row=1, column=1, value=plan.school.unit.name).font = _BOLD
    ws.cell(row=2, column=1, value=plan.title).font = Font(bold=True, size=14)
    headers = [_("No."), _("Code"), _("Item"), _("Age band"), pgettext("equipment", "Unit"), _("Quantity"),
               _("Groups short"), _("Unit price (VND)"), _("Amount (VND)")]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=4, column=c, value=h).font = _BOLD
    total = 0
    lines = plan.lines.select_related("item").order_by("item__age_band", "item__code")
    for n, line in enumerate(lines, start=1):
        amount = int(line.unit_price * line.quantity) if line.unit_price is not None else None
        total += amount or 0
        ws.append([n, line.item.code, line.item.name, line.item.band_label, line.item.unit_name, line.quantity,
                   line.groups, int(line.unit_price) if line.unit_price is not None else None, amount])
    ws.append([None, None, _("Total"), None, None, None, None, None, total])
    ws.column_dimensions["C"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
