"""Staff import from the sector-database layout: all or nothing, errors naming row and column (in Vietnamese)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from mamnon.org.models import Staff
from mamnon.staff import roster
from mamnon.staff.models import StaffRecord

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Vị trí việc làm", "Trình độ đào tạo",
          "Sư phạm mầm non", "Đảng viên", "Ngày tuyển dụng", "Hạng chức danh nghề nghiệp"]


def workbook(rows, *, title="Danh sách cán bộ") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


GOOD = [
    [1, "Phạm Thị Lan", "12/03/1988", "Nữ", "Kinh", "Giáo viên", "Đại học", "x", "x", dt.date(2010, 9, 1), "Hạng II"],
    [2, "Hoàng Văn Nam", dt.datetime(1979, 5, 6), "Nam", "Tày", "Bảo vệ", "", "", "", None, ""],
]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_import_creates_and_updates(scenario, world):
    school = world.schools["S1a"]
    before = Staff.objects.filter(unit=school.unit).count()
    result = roster.import_xlsx(workbook(GOOD), actor=world.user("principal1a"), school=school)
    assert (result.created, result.updated) == (2, 0)
    lan = StaffRecord.objects.get(staff__full_name="Phạm Thị Lan")
    assert (lan.training_level, lan.preschool_pedagogy, lan.party_member, lan.title_grade) == (3, True, True, "II")
    assert lan.birth_date == dt.date(1988, 3, 12) and lan.hired_on == dt.date(2010, 9, 1)
    assert StaffRecord.objects.get(staff__full_name="Hoàng Văn Nam").ethnicity == "02"
    # The same file again: the same people (name and date of birth) are updated, not duplicated.
    changed = [list(GOOD[0]), GOOD[1]]
    changed[0][8] = ""
    result = roster.import_xlsx(workbook(changed), actor=world.user("principal1a"), school=school)
    assert (result.created, result.updated) == (0, 2)
    assert Staff.objects.filter(unit=school.unit).count() == before + 2
    assert StaffRecord.objects.get(staff__full_name="Phạm Thị Lan").party_member is False


def test_broken_rows_import_nothing(scenario, world):
    school = world.schools["S1a"]
    before = Staff.objects.count()
    rows = [
        GOOD[0],
        [2, "Lê Thị B", "30/02/1990", "Nữ", "Kinh", "Giáo viên", "Cao đẳng", "x", "", None, ""],
        [3, "Lê Thị C", "01/01/1990", "Nữ", "Kinh", "Hiệu phó", "Cao đẳng", "x", "", None, ""],
        [4, "Lê Thị D", "01/01/1990", "Nữ", "Kinh", "Giáo viên", "Cử nhân", "có lẽ", "", None, "Hạng IV"],
        [5, "Lê Thị E", "01/01/2015", "Nữ", "Kinh", "Giáo viên", "Cao đẳng", "x", "", None, ""],
        [6, "Lê Thị G", "01/01/1990", "Nữ", "Kinh", "Giáo viên", "Cao đẳng", "x", "", dt.date(2000, 1, 1), ""],
    ]
    with pytest.raises(roster.ImportRefused) as err:
        roster.import_xlsx(workbook(rows), actor=world.user("principal1a"), school=school)
    errors = err.value.errors
    text = "\n".join(errors)
    assert "Dòng 5, cột Ngày sinh:" in text  # row 2 of data is Excel row 5 (title, blank, header)
    assert "Dòng 6, cột Vị trí việc làm:" in text
    assert "Dòng 7, cột Trình độ đào tạo:" in text and "Dòng 7, cột Sư phạm mầm non:" in text
    assert "Dòng 7, cột Hạng chức danh nghề nghiệp:" in text
    assert Staff.objects.count() == before  # nothing at all, not even the good first row
    # With the cells fixed, the service's checks run (an age of 11, recruited at 10): still nothing written.
    with pytest.raises(roster.ImportRefused) as err:
        roster.import_xlsx(workbook([GOOD[0], rows[4], rows[5]]), actor=world.user("principal1a"), school=school)
    text = "\n".join(err.value.errors)
    assert "Dòng 5, cột Ngày sinh:" in text and "Dòng 6, cột Ngày tuyển dụng:" in text
    assert Staff.objects.count() == before


def test_the_same_person_twice_is_refused(scenario, world):
    with pytest.raises(roster.ImportRefused) as err:
        roster.import_xlsx(workbook([GOOD[0], GOOD[1], GOOD[0]]), actor=None, school=world.schools["S1a"])
    assert err.value.errors == ["Dòng 6, cột Họ và tên: trùng người (họ tên và ngày sinh) với dòng 4."]


@pytest.mark.parametrize("content", [b"", b"not an excel file", b"PK\x03\x04broken"])
def test_not_a_workbook(scenario, world, content):
    with pytest.raises(roster.StaffFileError):
        roster.import_xlsx(io.BytesIO(content), actor=None, school=world.schools["S1a"])


def test_no_header(scenario, world):
    wb = Workbook()
    wb.active.append(["a", "b"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(roster.StaffFileError) as err:
        roster.import_xlsx(out, actor=None, school=world.schools["S1a"])
    assert "dòng tiêu đề" in str(err.value)


def test_export_then_import_round_trip(client, world, scenario):
    client.force_login(world.user("principal1a"))
    exported = client.get(reverse("staff:export"), {"school": world.schools["S1a"].pk}).content
    before = Staff.objects.count()
    # Upload: checked, nothing written; then confirmed: every row updates its person (T4 and the cook have
    # no record, so no date of birth: matched by name with no date).
    r = client.post(reverse("staff:import"), {"school": world.schools["S1a"].pk,
                                              "file": _upload(exported)})
    assert r.status_code == 200 and r.context["preview"] is not None, r.context.get("errors")
    assert Staff.objects.count() == before
    r = client.post(reverse("staff:import"), {"confirm": "1"})
    assert r.status_code == 302
    assert Staff.objects.count() == before


def test_import_view_shows_errors(client, world, scenario):
    client.force_login(world.user("principal1a"))
    bad = workbook([[1, "Lê Thị B", "30/02/1990", "Nữ", "Kinh", "Giáo viên", "Cao đẳng", "x", "", None, ""]])
    r = client.post(reverse("staff:import"), {"school": world.schools["S1a"].pk, "file": _upload(bad.getvalue())})
    assert r.status_code == 200 and "Dòng 4, cột Ngày sinh" in r.content.decode()
    client.force_login(world.user("teacher1a"))
    assert client.get(reverse("staff:import")).status_code == 403


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ds.xlsx", data, content_type=roster.XLSX_TYPE)
