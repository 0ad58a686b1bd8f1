"""Staff pages for a principal and a district officer, scoped; bad input gives Vietnamese errors, no 500."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from mamnon.staff import roster
from mamnon.staff.models import StandardRating, Training

D = dt.date


def page(client, world, who, name, *args, **params):
    client.force_login(world.user(who))
    return client.get(reverse(name, args=args), params)


def test_list_is_scoped(client, world, scenario):
    m = world.marker
    r = page(client, world, "principal1a", "staff:staff-list")
    body = r.content.decode()
    assert r.status_code == 200
    assert m("person-T1") in body and m("person-W1") not in body and m("person-X1") not in body
    assert "đạt chuẩn" in body  # the status badge
    r = page(client, world, "district1", "staff:staff-list")
    body = r.content.decode()
    assert m("person-T1") in body and m("person-W1") in body and m("person-X1") not in body
    r = page(client, world, "district2", "staff:staff-list")
    assert m("person-X1") in r.content.decode() and m("person-T1") not in r.content.decode()
    for who in ("teacher1a", "parent1a", "kitchen1a"):
        assert page(client, world, who, "staff:staff-list").status_code == 403


def test_detail(client, world, scenario):
    s = scenario.staff
    assert page(client, world, "principal1a", "staff:staff-detail", s["T1"].pk).status_code == 200
    assert page(client, world, "district1", "staff:staff-detail", s["T1"].pk).status_code == 200
    assert page(client, world, "district2", "staff:staff-detail", s["T1"].pk).status_code == 404
    assert page(client, world, "principal2", "staff:staff-detail", s["T1"].pk).status_code == 404
    # A teacher reads her own record (teacher1a is T1), not a colleague's.
    r = page(client, world, "teacher1a", "staff:staff-detail", s["T1"].pk)
    assert r.status_code == 200 and "02/04/1990" in r.content.decode()
    assert page(client, world, "teacher1a", "staff:staff-detail", s["T2"].pk).status_code == 403


def test_norms_page(client, world, scenario):
    r = page(client, world, "principal1a", "staff:norms")
    body = r.content.decode()
    assert r.status_code == 200 and world.marker("S1a") in body and world.marker("S1b") not in body
    assert "5.61" in body or "5,61" in body
    r = page(client, world, "district1", "staff:norms")
    body = r.content.decode()
    assert world.marker("S1b") in body and world.marker("S2") not in body
    assert "7.61" in body or "7,61" in body  # the district's total
    assert page(client, world, "district1", "staff:norms", unit=world.units["S2"].pk).status_code == 404


def test_create_record_with_impossible_date(client, world, scenario):
    client.force_login(world.user("principal1a"))
    before = Training.objects.count()
    r = client.post(reverse("staff:staff-create"), {
        "school": world.schools["S1a"].pk, "full_name": "Nguyễn Thị Mới", "position": "teacher", "sex": "F",
        "birth_date": "31/02/1990", "ethnicity": "01", "employment": "civil_servant", "training_level": "2"})
    assert r.status_code == 200 and "dd/mm/yyyy" in r.content.decode()
    r = client.post(reverse("staff:staff-create"), {
        "school": world.schools["S1a"].pk, "full_name": "Nguyễn Thị Mới", "position": "teacher", "sex": "F",
        "birth_date": "01/02/2030", "ethnicity": "01", "employment": "civil_servant", "training_level": "2"})
    assert r.status_code == 200 and "tương lai" in r.content.decode()
    r = client.post(reverse("staff:staff-create"), {
        "school": world.schools["S1a"].pk, "full_name": "Nguyễn Thị Mới", "position": "teacher", "sex": "F",
        "birth_date": "01/02/1995", "ethnicity": "01", "employment": "civil_servant", "training_level": "2",
        "preschool_pedagogy": "on"})
    assert r.status_code == 302
    # Another school's principal may not add staff to S1a (the school is not among her choices).
    client.force_login(world.user("principal2"))
    r = client.post(reverse("staff:staff-create"), {"school": world.schools["S1a"].pk, "full_name": "X",
                                                    "position": "teacher", "sex": "F", "ethnicity": "01",
                                                    "employment": "contract", "training_level": "0"})
    assert r.status_code == 200 and "school" in r.context["form"].errors
    assert Training.objects.count() == before


def test_rating_form_refuses_missing_criteria(client, world, scenario):
    s = scenario.staff
    client.force_login(world.user("teacher1a"))
    data = {"school_year": scenario.year.pk, **{f"c{n}": "3" for n in range(1, 15)}}  # criterion 15 missing
    r = client.post(reverse("staff:rating-self", args=[s["T1"].pk]), data)
    assert r.status_code == 200 and "tiêu chí 15 chưa có mức" in r.content.decode()
    assert not StandardRating.objects.exists()
    data["c15"] = "2"
    assert client.post(reverse("staff:rating-self", args=[s["T1"].pk]), data).status_code == 302
    client.force_login(world.user("principal1a"))
    r = client.post(reverse("staff:rating-decide", args=[s["T1"].pk]), {**data, "note": "Đạt yêu cầu"})
    assert r.status_code == 302
    assert StandardRating.objects.get().overall == 3  # 14 Tốt + criterion 15 Khá: Tốt


def test_export_reads_back(client, world, scenario):
    r = page(client, world, "district1", "staff:export", school=world.schools["S1a"].pk)
    assert r.status_code == 200 and r["Content-Type"] == roster.XLSX_TYPE
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[roster.HEADER_ROW]]
    assert header[:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=roster.HEADER_ROW + 1,
                                                                                 values_only=True)}
    t2 = rows[world.marker("person-T2")]
    assert t2["Trình độ đào tạo"] == "Đại học" and t2["Sư phạm mầm non"] == "x" and t2["Đảng viên"] == "x"
    assert t2["Ngày sinh"] == "02/04/1990" and t2["Vị trí việc làm"] == "Giáo viên"
    assert t2["Đạt chuẩn trình độ đào tạo"] == "x"
    assert rows[world.marker("person-T3")]["Đạt chuẩn trình độ đào tạo"] in ("", None)
    assert world.marker("person-W1") not in rows  # another school
    assert page(client, world, "district2", "staff:export", school=world.schools["S1a"].pk).status_code == 404
