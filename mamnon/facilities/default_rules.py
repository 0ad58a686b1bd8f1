"""Facility figures of Thông tư 13/2020/TT-BGDĐT (tiêu chuẩn cơ sở vật chất trường mầm non, mức tối thiểu),
as Rule rows (loaded by migration 0002_default_rules; changed as data with a new effective date).

The shared regulations digest (regulations.md section 1) verified only TT 13/2020 Điều 5 khoản 2 (school
size). The area figures below are the ones commonly quoted from TT 13/2020 Điều 6-7 (land per child, group
room, toilet): they are NOT verified against the gazette text, and each label says so, so that an
administrator checks them before relying on a warning. See docs/facilities.md.
"""

import datetime as dt

TT13_LAND = "Thông tư 13/2020/TT-BGDĐT, Điều 6 (diện tích khu đất) - chưa đối chiếu văn bản gốc"
TT13_ROOMS = "Thông tư 13/2020/TT-BGDĐT, Điều 7 (khối phòng nuôi dưỡng, chăm sóc và giáo dục trẻ) - chưa đối chiếu"
D = dt.date(2020, 7, 10)  # TT 13/2020 (signed 26/05/2020) in force

RULES = [
    ("facility.land_per_child", 12, "Diện tích khu đất tối thiểu (m²/trẻ)", TT13_LAND, D),
    ("facility.land_per_child_urban", 8, "Diện tích khu đất tối thiểu ở khu vực nội thành, nội thị (m²/trẻ)",
     TT13_LAND, D),
    ("facility.group_room_per_child", "1.5", "Diện tích phòng sinh hoạt chung tối thiểu (m²/trẻ)", TT13_ROOMS, D),
    ("facility.toilet_per_child", "0.4", "Diện tích phòng vệ sinh tối thiểu (m²/trẻ)", TT13_ROOMS, D),
    ("facility.group_rooms_per_group", 1, "Số phòng nhóm/lớp tối thiểu cho mỗi nhóm/lớp", TT13_ROOMS, D),
]
