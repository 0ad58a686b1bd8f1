"""Facility figures as Rule rows, each with the text it comes from (loaded by migrations 0002 and 0003;
changed as data with a new effective date). What was read where is listed in docs/facilities.md,
"Sources of the figures".

* Thông tư 13/2020/TT-BGDĐT (Quy định tiêu chuẩn cơ sở vật chất trường mầm non, tiểu học, ...), signed
  26/05/2020, in force 11/07/2020 (Điều 2 of the circular). Its Điều 6 (mức tối thiểu, trường mầm non)
  requires one nurture/care/education room per group or class (khoản 2, khối phòng nuôi dưỡng, chăm sóc và
  giáo dục trẻ em). Read: https://lawnet.vn/giao-duc/en/minimum-facility-standards-for-preschools-in-vietnam-8425.html
  and the English text of the circular (Article 2, entry into force):
  https://evbn.org/thong-tu-132020ttbgddt-tieu-chuan-co-so-vat-chat-truong-mam-non-tieu-hoc-trung-hoc-co-so-1659421055
* Thông tư 23/2024/TT-BGDĐT (16/12/2024, in force 31/01/2025) amends TT 13/2020. Its Điều 1 khoản 4
  rewrites Điều 5 khoản 2 (school size): 9 to 30 groups (was 9 to 20); at least 5 in difficult areas, in
  communes under 5,000 people and in non-public schools; at least 3 on islands; at most 5 sites, 8 in
  difficult areas, 12 in special cases. Read:
  https://lawnet.vn/giao-duc/en/from-january-31-2025-can-preschools-increase-the-size-of-groups-and-classes-20235.html
  The 2020 figures stay as rows of core/default_rules.py (codes ``school_groups_*``, ``school_sites_*``, checked
  by the children app); the rows below add the 2025 figures under the same codes, so a year before
  31/01/2025 is checked against 20 groups and a later one against 30. No page read showed TT 23/2024
  changing a per-child area.
* The land area per child (12 m², 8 m²) is NOT a figure of TT 13/2020 as far as the pages read show: it is
  a condition for licensing a preschool's educational activity, Nghị định 46/2017/NĐ-CP as amended by
  Nghị định 135/2018/NĐ-CP (Điều 1 khoản 2): "at least 12 m² per child in lowland, delta and midland
  regions; 08 m² per child in municipal, urban and mountainous regions". Read:
  https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-kindergarten-must-ensure-the-construction-area-from-8-to-12m2-child-118771.html
  and https://giayphepthutuc.com/en/event/conditions-for-establishment-and-operation-of-preschool-in-vietnam-applicable-to-foreign-invested-enterprise
  The second page also names the old Preschool Charter (QĐ 14/2008/QĐ-BGDĐT, in force 03/05/2008, date read
  on https://ls1.hethongphapluat.com/decision-no-04-vbhn-bgddt-dated-december-24th-2015-on-enacting-the-preschool-charter.html)
  Điều 27 khoản 2 for the same figures; that date is the rows' effective date. NĐ 125/2024/NĐ-CP may since
  have replaced NĐ 46/2017 (not read).
* 1.5 m² per child is the figure NĐ 135/2018 sets for the care rooms of independent groups and classes
  ("at least 1.5 m² per a child"): https://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/vietnam-new-regulation-on-eligibility-requirements-for-establishment-of-independently-run-nursery-groups-or-preschool-classes-118755.html
  It is used here as the group-room minimum for schools too (an assumption, said in the label).
* 0.4 m² per child for toilets: the lower end of "0,4 m²/trẻ đến 0,6 m²/trẻ, không nhỏ hơn 12 m²" (per room),
  which two secondary pages attribute to the design standard TCVN 3907:2011 (a standard, not a regulation):
  https://worldkids.edu.vn/tieu-chuan-thiet-ke-nha-ve-sinh-truong-mam-non/ and
  https://compactviet.vn/tieu-chuan-vach-ngan-ve-sinh-truong-mam-non-chuyen-biet . The standard's own clause
  was not read (its text on thuvienphapluat.vn, TCVN/xay-dung/tcvn-3907-2011-...-901882, showed only 5.1-5.2.5),
  and no page read shows TT 13/2020 giving a per-child toilet area (it asks for a toilet joined to each group
  room, partition 1.20 m). The row keeps TT 13/2020's date, 11/07/2020, the day the room checks start; the label
  and basis say "chưa đối chiếu văn bản gốc". Migration 0005 rewrites the stored row's label and basis.
"""

import datetime as dt

TT13 = "Thông tư 13/2020/TT-BGDĐT, Quy định kèm theo, Điều 6 khoản 2 (mỗi nhóm, lớp có 01 phòng)"
TT23_SIZE = "Thông tư 23/2024/TT-BGDĐT, Điều 1 khoản 4 (sửa Điều 5 khoản 2 Quy định kèm TT 13/2020)"
ND135_LAND = ("Điều lệ trường mầm non (QĐ 14/2008/QĐ-BGDĐT) Điều 27 khoản 2; Nghị định 46/2017/NĐ-CP sửa đổi "
              "bởi Nghị định 135/2018/NĐ-CP, Điều 1 khoản 2 (điều kiện hoạt động giáo dục)")
ND135_ROOM = ("Nghị định 135/2018/NĐ-CP (điều kiện nhóm trẻ, lớp mẫu giáo độc lập: tối thiểu 1,5 m²/trẻ), "
              "áp dụng làm mức tối thiểu cho phòng nhóm/lớp của trường")
UNVERIFIED_TOILET = ("TCVN 3907:2011 (tiêu chuẩn thiết kế): phòng vệ sinh 0,4-0,6 m²/trẻ, không nhỏ hơn 12 m²/phòng, "
                     "theo trang thứ cấp; chưa đối chiếu văn bản gốc")
TOILET_LABEL = "Diện tích phòng vệ sinh tối thiểu (m²/trẻ; mức thấp của 0,4-0,6 theo TCVN 3907:2011, chưa đối chiếu)"

D_TT13 = dt.date(2020, 7, 11)  # TT 13/2020 Điều 2: có hiệu lực từ 11/07/2020
D_TT23 = dt.date(2025, 1, 31)  # TT 23/2024: có hiệu lực từ 31/01/2025
D_CHARTER_2008 = dt.date(2008, 5, 3)  # QĐ 14/2008/QĐ-BGDĐT (Điều lệ trường mầm non) có hiệu lực 03/05/2008
D_ND135 = dt.date(2018, 10, 4)  # NĐ 135/2018: ngày ký 04/10/2018; ngày hiệu lực chưa xác minh (xem docs)

RULES = [
    # code, value, meaning, legal basis, effective from
    ("facility.land_per_child", 12, "Diện tích khu đất bình quân tối thiểu ở đồng bằng, trung du (m²/trẻ)",
     ND135_LAND, D_CHARTER_2008),
    ("facility.land_per_child_urban", 8, "Diện tích khu đất bình quân tối thiểu ở thành phố, thị xã, miền núi "
     "(m²/trẻ)", ND135_LAND, D_CHARTER_2008),
    ("facility.group_room_per_child", "1.5", "Diện tích phòng nuôi dưỡng, chăm sóc, giáo dục tối thiểu (m²/trẻ)",
     ND135_ROOM, D_ND135),
    ("facility.toilet_per_child", "0.4", TOILET_LABEL, UNVERIFIED_TOILET, D_TT13),
    ("facility.group_rooms_per_group", 1, "Số phòng nuôi dưỡng, chăm sóc, giáo dục cho mỗi nhóm/lớp", TT13, D_TT13),
    # TT 23/2024: school size from 31/01/2025 (the 2020 rows are core's, same codes).
    ("school_groups_min", 9, "Số nhóm/lớp tối thiểu của trường mầm non", TT23_SIZE, D_TT23),
    ("school_groups_min_disadvantaged", 5, "Số nhóm/lớp tối thiểu ở vùng khó khăn, xã dưới 5.000 dân, trường "
     "dân lập, tư thục", TT23_SIZE, D_TT23),
    ("school_groups_min_island", 3, "Số nhóm/lớp tối thiểu của trường ở vùng hải đảo", TT23_SIZE, D_TT23),
    ("school_groups_max", 30, "Số nhóm/lớp tối đa của trường mầm non", TT23_SIZE, D_TT23),
    ("school_sites_max", 5, "Số điểm trường tối đa", TT23_SIZE, D_TT23),
    ("school_sites_max_disadvantaged", 8, "Số điểm trường tối đa ở vùng khó khăn", TT23_SIZE, D_TT23),
    ("school_sites_max_special", 12, "Số điểm trường tối đa ở vùng khó khăn, địa hình chia cắt (trường hợp đặc "
     "biệt)", TT23_SIZE, D_TT23),
]

# The rows shipped before the figures were checked (migration 0003 rewrites them): code -> old effective date.
SUPERSEDED = {code: dt.date(2020, 7, 10) for code in (
    "facility.land_per_child", "facility.land_per_child_urban", "facility.group_room_per_child",
    "facility.toilet_per_child", "facility.group_rooms_per_group")}
