"""Roster template and exports: real .xlsx files re-opened with openpyxl; scoped like the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from mamnon.children import roster
from mamnon.children.models import Child, Enrolment, Group
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.children.test_roster_helpers import HEADERS, XLSX, confirm, counts, preview


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def login(client, classroom, who):
    client.force_login(classroom.world.user(who))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(response.content))


def data_rows(wb) -> list[tuple]:
    ws = wb[roster.DATA_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [r for r in rows[1:] if any(v is not None for v in r)]


def names(rows) -> set[str]:
    return {r[0] for r in rows}


def export_group(client, group):
    return client.get(reverse("children:roster-export-group", kwargs={"pk": group.pk}))


def export_school(client, school):
    return client.get(reverse("children:roster-export-school", kwargs={"pk": school.pk}))


# --- exports ---------------------------------------------------------------------------------------------


def test_group_export_has_that_groups_children_only(client, classroom):
    login(client, classroom, "principal1a")
    wb = sheet(export_group(client, classroom.groups["G1"]))
    rows = data_rows(wb)
    assert names(rows) == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    k1, g = classroom.children["K1"], classroom.guardians["K1"]
    (row,) = [r for r in rows if r[0] == k1.full_name]
    assert row == (k1.full_name, dt.datetime.combine(k1.birth_date, dt.time()), "Nam", "Kinh", None, None,
                   g.full_name, "Mẹ", g.phone, classroom.groups["G1"].name)
    assert wb[roster.DATA_SHEET]["B2"].number_format == "DD/MM/YYYY"


def test_export_reimports_as_likely_duplicates(client, classroom):
    """An export is a roster: its rows read back as the same children (flagged, since they exist)."""
    login(client, classroom, "principal1a")
    content = export_group(client, classroom.groups["G1"]).content
    response, _token = preview(client, content, school=classroom.world.schools["S1a"])
    plan = response.context["plan"]
    assert plan.ok
    assert {r.full_name for r in plan.rows} == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    assert [w.row for w in plan.warnings] == [2, 3, 4]  # each one already recorded at this school


def test_school_export_is_the_current_year(client, classroom):
    login(client, classroom, "principal1a")
    rows = data_rows(sheet(export_school(client, classroom.world.schools["S1a"])))
    assert names(rows) == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3", "ZZ-child-K4"}
    assert [r[9] for r in rows] == sorted(r[9] for r in rows)  # by group, then name


def test_child_who_left_is_not_in_the_current_roster(client, classroom):
    Enrolment.objects.filter(child=classroom.children["K2"]).update(end_date=dt.date(2023, 12, 1), end_reason="left")
    login(client, classroom, "principal1a")
    assert names(data_rows(sheet(export_group(client, classroom.groups["G1"])))) == {"ZZ-child-K1", "ZZ-child-K3"}


def test_teacher_exports_only_her_groups(client, classroom):
    login(client, classroom, "teacher1a")
    rows = data_rows(sheet(export_school(client, classroom.world.schools["S1a"])))
    assert names(rows) == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    assert {r[9] for r in rows} == {classroom.groups["G1"].name}
    assert names(data_rows(sheet(export_group(client, classroom.groups["G1"])))) == {
        "ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    assert export_group(client, classroom.groups["G2"]).status_code == 404


def test_parent_cannot_export(client, classroom):
    login(client, classroom, "parent1a")
    assert export_group(client, classroom.groups["G1"]).status_code == 403
    assert export_school(client, classroom.world.schools["S1a"]).status_code == 403
    assert client.get(reverse("children:roster-home")).status_code == 403


def test_other_schools_export_nothing_of_ours(client, classroom):
    login(client, classroom, "principal2")
    assert export_group(client, classroom.groups["G1"]).status_code == 404
    assert export_school(client, classroom.world.schools["S1a"]).status_code == 404


def test_office_export_has_no_family_contacts(client, classroom):
    """Guardians are visible to the school's staff only (Guardian.scope_view_roles): the district's export of a
    group has the children without guardians' names or phones."""
    login(client, classroom, "district1")
    rows = data_rows(sheet(export_group(client, classroom.groups["G1"])))
    assert names(rows) == {"ZZ-child-K1", "ZZ-child-K2", "ZZ-child-K3"}
    assert {(r[6], r[7], r[8]) for r in rows} == {(None, None, None)}


def test_export_query_count_does_not_grow_with_children(client, classroom, django_assert_max_num_queries):
    login(client, classroom, "teacher1a")
    g1 = classroom.groups["G1"]
    s1a = classroom.world.schools["S1a"]
    with django_assert_max_num_queries(8) as small:
        export_group(client, g1)
    for i in range(20):
        child = Child.objects.create(school=s1a, full_name=f"Thêm {i}", birth_date=dt.date(2018, 5, 1), sex="M")
        Enrolment.objects.create(child=child, group=g1, school=s1a, start_date=dt.date(2023, 9, 5))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = export_group(client, g1)
    assert len(data_rows(sheet(response))) == 23


def test_formula_like_text_stays_text(client, classroom):
    Child.objects.filter(pk=classroom.children["K1"].pk).update(address='=HYPERLINK("http://x","y")')
    login(client, classroom, "principal1a")
    ws = sheet(export_group(client, classroom.groups["G1"]))[roster.DATA_SHEET]
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x","y")']
    assert len(cells) == 1 and cells[0].data_type == "s"


# --- the template ----------------------------------------------------------------------------------------


def test_template_has_headers_lists_and_instructions(client, classroom):
    login(client, classroom, "principal1a")
    response = client.get(reverse("children:roster-template"))  # one school: no need to name it
    wb = sheet(response)
    assert wb.sheetnames == [roster.DATA_SHEET, roster.LISTS_SHEET, roster.HELP_SHEET]
    ws = wb[roster.DATA_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("0B7A75")
    assert ws.freeze_panes == "A2"
    assert ws["E2"].number_format == "@" and ws["I2"].number_format == "@"  # ids and phones keep leading zeros
    lists = wb[roster.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    column = {lists.cell(row=1, column=i).value: [lists.cell(row=r, column=i).value
                                                 for r in range(2, lists.max_row + 1)] for i in range(1, 5)}
    assert [v for v in column["Giới tính"] if v] == ["Nam", "Nữ"]
    assert len([v for v in column["Dân tộc"] if v]) == 54 and "Tày" in column["Dân tộc"]
    assert {v for v in column["Nhóm/lớp"] if v} == {classroom.groups["G1"].name, classroom.groups["G2"].name}
    validated = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert validated["C2"].formula1.endswith("$A$2:$A$3")  # sex
    assert validated["D2"].formula1.endswith("$B$2:$B$55")  # the 54 ethnic groups
    assert validated["J2"].formula1.endswith("$D$2:$D$3")  # the school's two groups
    assert validated["E2"].type == "textLength"
    help_text = " ".join(str(c.value) for row in wb[roster.HELP_SHEET].iter_rows() for c in row if c.value)
    assert "dd/mm/yyyy" in help_text and classroom.world.schools["S1a"].unit.name in help_text


def test_template_filled_in_imports(client, classroom):
    """The template itself (formatted empty rows, validations, hidden lists) is read back correctly."""
    login(client, classroom, "principal1a")
    wb = load_workbook(io.BytesIO(client.get(reverse("children:roster-template")).content))
    ws = wb[roster.DATA_SHEET]
    for r, values in enumerate([
        ("Hoàng Gia Bảo", "20/08/2018", "Nam", "Mường", "031218004321", "An Lão", "Hoàng Thị Mơ", "Mẹ", "0977123456",
         classroom.groups["G1"].name),
        ("Bùi Khánh Linh", dt.date(2021, 3, 3), "Nữ", "Kinh", None, None, None, None, None,
         classroom.groups["G2"].name),
    ], start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    before = counts()
    response, token = preview(client, out.getvalue(), school=classroom.world.schools["S1a"])
    plan = response.context["plan"]
    assert plan.ok and [r.row for r in plan.rows] == [2, 3]
    confirm(client, token)
    assert counts()[:3] == (before[0] + 2, before[1] + 1, before[2] + 2)
    assert Child.objects.get(full_name="Hoàng Gia Bảo").personal_id == "031218004321"


def test_template_for_a_school_with_several_managed(client, classroom):
    """An administrator names the school; an unknown or unmanaged school is a 404."""
    login(client, classroom, "admin")
    response = client.get(reverse("children:roster-template"))
    assert response.status_code == 302 and response["Location"] == reverse("children:roster-import")
    wb = sheet(client.get(reverse("children:roster-template"), {"school": classroom.world.schools["S2"].pk}))
    lists = wb[roster.LISTS_SHEET]
    assert [lists.cell(row=r, column=4).value for r in range(2, 4)] == [classroom.groups["G4"].name, None]
    login(client, classroom, "principal1a")
    assert client.get(reverse("children:roster-template"),
                      {"school": classroom.world.schools["S2"].pk}).status_code == 404


# --- the roster page ------------------------------------------------------------------------------------


def test_roster_home_links(client, classroom):
    login(client, classroom, "principal1a")
    html = client.get(reverse("children:roster-home")).content.decode()
    assert reverse("children:roster-import") in html and reverse("children:roster-template") in html
    for key in ("G1", "G2"):
        assert reverse("children:roster-export-group", kwargs={"pk": classroom.groups[key].pk}) in html
    login(client, classroom, "teacher1a")
    html = client.get(reverse("children:roster-home")).content.decode()
    assert reverse("children:roster-import") not in html
    assert reverse("children:roster-export-group", kwargs={"pk": classroom.groups["G1"].pk}) in html
    assert classroom.groups["G2"].name not in html
    assert Group.objects.count() == 4
