"""Facilities pages for a principal, a district officer, a teacher, a parent and another school's principal."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mamnon.facilities.models import FacilityProfile, GroupEquipment, PurchasePlan, Room, Stocktake
from tests.cheap_hashing import cheap_argon2  # noqa: F401


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_principal_lands_on_her_school_and_sees_only_it(facilities):
    w = facilities.world
    c = client_for(w.user("principal1a"))
    r = c.get(reverse("facilities:home"))
    assert r.status_code == 302 and r.url == reverse("facilities:school", args=[w.schools["S1a"].pk])
    page = c.get(r.url).content.decode()
    assert w.marker("room-a-kitchen") in page and w.marker("room-b-kitchen") not in page
    assert c.get(reverse("facilities:school", args=[w.schools["S1b"].pk])).status_code == 404


@pytest.mark.django_db
def test_district_officer_sees_the_rollup_of_his_schools(facilities):
    w = facilities.world
    c = client_for(w.user("district1"))
    page = c.get(reverse("facilities:home")).content.decode()
    assert w.marker("S1a") in page and w.marker("S1b") in page and w.marker("S2") not in page
    # D1: one-way kitchens 1/2, standard toilets 2/3 (conftest).
    assert "1/2" in page and "2/3" in page
    assert c.get(reverse("facilities:school", args=[w.schools["S2"].pk])).status_code == 404
    # He reads a school but does not change it.
    assert c.get(reverse("facilities:profile", args=[w.schools["S1a"].pk])).status_code == 403
    assert c.get(reverse("facilities:room-edit", args=[facilities.rooms["a-kitchen"].pk])).status_code == 404


@pytest.mark.django_db
def test_parent_sees_no_facilities_and_teacher_only_her_groups_equipment(facilities):
    w = facilities.world
    parent = client_for(w.user("parent1a"))
    assert parent.get(reverse("facilities:school", args=[w.schools["S1a"].pk])).status_code == 404
    own_group = facilities.classroom.groups["G1"]  # her child's group
    assert parent.get(reverse("facilities:group-equipment", args=[own_group.pk])).status_code == 404
    teacher = client_for(w.user("teacher1a"))
    g1, g2 = facilities.classroom.groups["G1"], facilities.classroom.groups["G2"]
    assert teacher.get(reverse("facilities:group-equipment", args=[g1.pk])).status_code == 200
    assert teacher.get(reverse("facilities:group-equipment", args=[g2.pk])).status_code == 404
    assert teacher.post(reverse("facilities:group-equipment", args=[g1.pk]), {}).status_code == 403


@pytest.mark.django_db
def test_principal_edits_profile_and_rooms_with_vietnamese_errors(facilities):
    w = facilities.world
    school = w.schools["S1a"]
    c = client_for(w.user("principal1a"))
    url = reverse("facilities:profile", args=[school.pk])
    with translation.override("vi"):
        r = c.post(url, {"land_area": "500", "yard_area": "100", "grass_area": "150", "cameras": "2"},
                   HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 200
    assert "Diện tích cỏ không thể lớn hơn diện tích sân" in r.content.decode()
    assert FacilityProfile.objects.get(school=school).land_area == 40  # nothing written
    r = c.post(url, {"land_area": "500", "yard_area": "100", "grass_area": "70", "cameras": "2", "internet": "on",
                     "management_software": "SMAS", "website": "https://zz-new.example.vn"})
    assert r.status_code == 302
    school.refresh_from_db()
    assert FacilityProfile.objects.get(school=school).land_area == 500 and school.website == "https://zz-new.example.vn"
    # A room on another school's site is refused, naming the field.
    other_site = w.schools["S1b"].sites.get()
    r = c.post(reverse("facilities:room-create", args=[school.pk]),
               {"site": other_site.pk, "name": "X", "kind": "office", "construction": "permanent", "area": "10",
                "condition": "good", "in_use": "on"})
    assert r.status_code == 200 and not Room.objects.filter(name="X").exists()
    site = school.sites.get()
    r = c.post(reverse("facilities:room-create", args=[school.pk]),
               {"site": site.pk, "name": "Phòng GDTC", "kind": "function_room", "construction": "permanent",
                "area": "80", "condition": "good", "in_use": "on"})
    assert r.status_code == 302 and Room.objects.filter(name="Phòng GDTC", school=school).exists()
    # Zero area is refused.
    r = c.post(reverse("facilities:room-edit", args=[facilities.rooms["a-office"].pk]),
               {"site": site.pk, "name": "VP", "kind": "office", "construction": "permanent", "area": "0",
                "condition": "good"})
    assert r.status_code == 200


@pytest.mark.django_db
def test_inventory_shortfall_plan_and_stocktake(facilities):
    w = facilities.world
    c = client_for(w.user("principal1a"))
    g1 = facilities.classroom.groups["G1"]
    items = facilities.items
    # Broken input: more damaged than held; nothing written.
    r = c.post(reverse("facilities:group-equipment", args=[g1.pk]),
               {f"q-{items['B'].pk}": "3", f"d-{items['B'].pk}": "5"})
    assert r.status_code == 200
    assert GroupEquipment.objects.get(group=g1, item=items["B"]).damaged == 1
    # Purchase plan from shortfalls: G1 needs 1 more B, G3 (S1b) is not S1a's. One line: B x 1.
    r = c.post(reverse("facilities:plan-create", args=[w.schools["S1a"].pk]))
    plan = PurchasePlan.objects.get()
    assert r.status_code == 302 and [(ln.item.code, ln.quantity, ln.groups) for ln in plan.lines.all()] == [
        ("T-B", 1, 1)]
    c.post(reverse("facilities:plan", args=[plan.pk]), {f"p-{plan.lines.get().pk}": "150.000"})
    data = c.get(reverse("facilities:plan-xlsx", args=[plan.pk])).content
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [ws.cell(row=5, column=k).value for k in (2, 6, 8, 9)] == ["T-B", 1, 150000, 150000]
    # Stocktake: count G1's B as 4 pieces, 0 damaged; closing writes it to the inventory.
    r = c.post(reverse("facilities:stocktake-start", args=[w.schools["S1a"].pk]), {"day": "2024-05-20"})
    take = Stocktake.objects.get()
    assert r.status_code == 302
    r = c.post(reverse("facilities:stocktake", args=[take.pk]) + f"?group={g1.pk}",
               {"group": g1.pk, f"c-{items['B'].pk}": "4", f"d-{items['B'].pk}": "0"})
    assert r.status_code == 302
    c.post(reverse("facilities:stocktake-close", args=[take.pk]))
    take.refresh_from_db()
    assert not take.is_open
    row = GroupEquipment.objects.get(group=g1, item=items["B"])
    assert (row.quantity, row.damaged) == (4, 0)
    assert GroupEquipment.objects.get(group=g1, item=items["A"]).quantity == 2  # not counted: unchanged


@pytest.mark.django_db
def test_summary_xlsx_read_back(facilities):
    from mamnon.facilities.exports import FIRST_ROW, HEADER_ROW

    w = facilities.world
    c = client_for(w.user("district1"))
    with translation.override("vi"):
        data = c.get(reverse("facilities:summary-xlsx"), HTTP_ACCEPT_LANGUAGE="vi").content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    header = [cell.value for cell in ws[HEADER_ROW]]
    assert ws.cell(row=1, column=1).value == w.marker("D1")
    rows = {ws.cell(row=r, column=3).value: [cell.value for cell in ws[r]] for r in (FIRST_ROW, FIRST_ROW + 1)}
    s1a = dict(zip(header, rows[w.marker("S1a")], strict=True))
    assert s1a["Trẻ"] == 4 and s1a["Bếp"] == 1 and s1a["Bếp một chiều"] == 1
    assert s1a["Nhà vệ sinh"] == 2 and s1a["Nhà vệ sinh đạt chuẩn"] == 1
    assert s1a["Nhóm/lớp có đủ thiết bị tối thiểu"] == "1/2"
    total = dict(zip(header, [cell.value for cell in ws[FIRST_ROW + 2]], strict=True))
    assert total["Trường"] == "Tổng" and total["Bếp một chiều"] == 1 and total["Nhà vệ sinh"] == 3
    assert w.marker("S2") not in str(list(ws.values))
    rooms = wb.worksheets[1]
    names = [row[3] for row in rooms.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 11 and w.marker("room-s2-meeting") not in names


@pytest.mark.django_db
def test_catalogue_import_page(facilities):
    w = facilities.world
    admin = client_for(w.user("admin"))
    body = "Mã,Tên thiết bị,Độ tuổi,Loại,Số lượng\nQ1,Bóng,4-5 tuổi,Đồ chơi,xyz\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = admin.post(reverse("facilities:catalogue"), {"file": SimpleUploadedFile("a.csv", body)},
                   HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 200 and "Dòng 2, cột Số lượng" in r.content.decode()
    officer = client_for(w.user("province"))
    assert officer.get(reverse("facilities:catalogue")).status_code == 200
    assert officer.post(reverse("facilities:catalogue"), {}).status_code == 403


@pytest.mark.django_db
def test_rollup_query_count_does_not_grow_with_schools(facilities, django_assert_max_num_queries):
    w = facilities.world
    c = client_for(w.user("province"))
    with django_assert_max_num_queries(20):
        r = c.get(reverse("facilities:home"))
    assert r.status_code == 200 and w.marker("S2") in r.content.decode()


@pytest.mark.django_db
def test_commune_officer_sees_the_schools_standing_in_his_commune(facilities):
    w = facilities.world
    page = client_for(w.user("commune1")).get(reverse("facilities:home")).content.decode()
    assert w.marker("S1a") in page and w.marker("S1b") in page and w.marker("S2") not in page


@pytest.mark.django_db
def test_bad_numbers_are_refused_without_a_server_error(facilities):
    w = facilities.world
    c = client_for(w.user("principal1a"))
    g1 = facilities.classroom.groups["G1"]
    b = facilities.items["B"].pk
    for value in ("abc", "-3", "99999999999"):
        r = c.post(reverse("facilities:group-equipment", args=[g1.pk]), {f"q-{b}": value, f"d-{b}": "0"})
        assert r.status_code == 200, value
    assert GroupEquipment.objects.get(group=g1, item_id=b).quantity == 3
    c.post(reverse("facilities:plan-create", args=[w.schools["S1a"].pk]))
    plan = PurchasePlan.objects.get()
    line = plan.lines.get()
    for value in ("abc", "1e30", "-5"):
        r = c.post(reverse("facilities:plan", args=[plan.pk]), {f"p-{line.pk}": value})
        assert r.status_code == 302, value
        line.refresh_from_db()
        assert line.unit_price is None, value


@pytest.mark.django_db
def test_school_page_shows_the_warnings_in_vietnamese(facilities):
    w = facilities.world
    page = client_for(w.user("principal1a")).get(reverse("facilities:school", args=[w.schools["S1a"].pk]),
                                                 HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ("Diện tích đất 40 m², bình quân 10 m²/trẻ, dưới mức tối thiểu 12 m² (Nghị định 46/2017, sửa đổi "
            "bởi Nghị định 135/2018).") in page
    assert "1 phòng nhóm/lớp cho 2 nhóm/lớp (Thông tư 13/2020: mỗi nhóm, lớp có 01 phòng)." in page
