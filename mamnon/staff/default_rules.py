"""The figures of the staff regulations as initial Rule rows (shared/domain/regulations.md, sections 2 and 3).

Loaded by the data migration 0002_default_rules; changed as data with a new effective date.
"""

import datetime as dt

LAW_2005 = "Luật Giáo dục 2005, Điều 77 (trung cấp sư phạm đối với giáo viên mầm non)"
LAW_2019 = "Luật Giáo dục 2019, Điều 72 khoản 1 điểm a (cao đẳng sư phạm mầm non trở lên)"
ND71 = "Nghị định 71/2020/NĐ-CP, Điều 2 và 4 (sửa đổi bởi Nghị định 311/2025/NĐ-CP)"
RETIRE = "Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP, Điều 4"
TT26 = "Thông tư 26/2018/TT-BGDĐT, Điều 10 khoản 2 (chuẩn nghề nghiệp giáo viên mầm non)"
TT25 = "Thông tư 25/2018/TT-BGDĐT, Điều 10 khoản 2 (chuẩn hiệu trưởng cơ sở giáo dục mầm non; 18 tiêu chí, Điều 4-8)"
TT19 = "Thông tư 19/2023/TT-BGDĐT, Điều 5 khoản 1 (định mức giáo viên mầm non)"
TTLT06 = "Thông tư liên tịch 06/2015/TTLT-BGDĐT-BNV, Điều 5 (lớp 2 buổi/ngày; thay bởi TT 19/2023)"

D_TT2018 = dt.date(2018, 11, 23)
D_TT19 = dt.date(2023, 12, 16)
D_TTLT06 = dt.date(2015, 5, 1)
TT26_KEYS = {1, 3, 4, 5, 6, 7, 8, 9}
TT25_KEYS = {1, 4, 5, 6, 7, 9, 11, 13, 14, 15}
BANDS = (("c3_12", 6, "nhóm trẻ 3-12 tháng"), ("c13_24", 8, "nhóm trẻ 13-24 tháng"),
         ("c25_36", 10, "nhóm trẻ 25-36 tháng"), ("k3", 11, "lớp mẫu giáo 3-4 tuổi"),
         ("k4", 14, "lớp mẫu giáo 4-5 tuổi"), ("k5", 16, "lớp mẫu giáo 5-6 tuổi"))


def _standard(code, basis, keys, label, count):
    rows = [
        (f"staff.{code}.criteria", count, f"Số tiêu chí của {label}", basis, D_TT2018),
        (f"staff.{code}.share_num", 2, f"{label}: tỉ lệ tiêu chí đạt mức (tử số, 2/3)", basis, D_TT2018),
        (f"staff.{code}.share_den", 3, f"{label}: tỉ lệ tiêu chí đạt mức (mẫu số, 2/3)", basis, D_TT2018),
    ]
    rows += [(f"staff.{code}.key.{n:02d}", int(n in keys),
              f"{label}: tiêu chí {n} phải đạt mức xếp loại Tốt/Khá (1 = có, 0 = không)", basis, D_TT2018)
             for n in range(1, count + 1)]
    return rows


RULES = [
    # code, value, meaning, legal basis, effective from
    ("staff.qual_min_level", 1, "Trình độ chuẩn được đào tạo của giáo viên mầm non (1 = trung cấp, 2 = cao đẳng)",
     LAW_2005, dt.date(2006, 1, 1)),
    ("staff.qual_min_level", 2, "Trình độ chuẩn được đào tạo của giáo viên mầm non (1 = trung cấp, 2 = cao đẳng)",
     LAW_2019, dt.date(2020, 7, 1)),
    ("staff.roadmap.service_left_months", 84, "Thời gian công tác còn lại tối thiểu (tháng) tính từ 01/7/2020 để "
     "thuộc đối tượng nâng chuẩn", ND71, dt.date(2020, 8, 18)),
    ("staff.roadmap.end_year", 2030, "Năm kết thúc lộ trình nâng chuẩn (giai đoạn 2: 100%)", ND71,
     dt.date(2020, 8, 18)),
    ("staff.roadmap.phase1_end_year", 2025, "Năm kết thúc giai đoạn 1 của lộ trình nâng chuẩn", ND71,
     dt.date(2020, 8, 18)),
    ("staff.roadmap.phase1_share", "0.60", "Tỉ lệ giáo viên thuộc đối tượng nâng chuẩn đã/đang đào tạo hết giai đoạn 1",
     ND71, dt.date(2020, 8, 18)),
    ("staff.roadmap.phase2_share", "1.00", "Tỉ lệ giáo viên thuộc đối tượng nâng chuẩn đã/đang đào tạo hết giai đoạn 2",
     ND71, dt.date(2020, 8, 18)),
    ("staff.retire.base_months.M", 720, "Tuổi nghỉ hưu của nam trước lộ trình (tháng; 60 tuổi)", RETIRE,
     dt.date(2021, 1, 1)),
    ("staff.retire.base_months.F", 660, "Tuổi nghỉ hưu của nữ trước lộ trình (tháng; 55 tuổi)", RETIRE,
     dt.date(2021, 1, 1)),
    ("staff.retire.step_months.M", 3, "Tuổi nghỉ hưu của nam tăng mỗi năm (tháng)", RETIRE, dt.date(2021, 1, 1)),
    ("staff.retire.step_months.F", 4, "Tuổi nghỉ hưu của nữ tăng mỗi năm (tháng)", RETIRE, dt.date(2021, 1, 1)),
    ("staff.retire.cap_months.M", 744, "Tuổi nghỉ hưu tối đa của nam theo lộ trình (tháng; 62 tuổi)", RETIRE,
     dt.date(2021, 1, 1)),
    ("staff.retire.cap_months.F", 720, "Tuổi nghỉ hưu tối đa của nữ theo lộ trình (tháng; 60 tuổi)", RETIRE,
     dt.date(2021, 1, 1)),
    ("staff.retire.start_year", 2021, "Năm bắt đầu lộ trình điều chỉnh tuổi nghỉ hưu", RETIRE, dt.date(2021, 1, 1)),
    *_standard("tt26", TT26, TT26_KEYS, "chuẩn nghề nghiệp giáo viên mầm non", 15),
    *_standard("tt25", TT25, TT25_KEYS, "chuẩn hiệu trưởng cơ sở giáo dục mầm non", 18),
    ("staff.norm.per_creche_group", "2.5", "Định mức giáo viên mỗi nhóm trẻ đủ số trẻ", TTLT06, D_TTLT06),
    ("staff.norm.per_kinder_class", "2.2", "Định mức giáo viên mỗi lớp mẫu giáo 2 buổi/ngày đủ số trẻ", TTLT06,
     D_TTLT06),
    ("staff.norm.per_creche_group", "2.5", "Định mức giáo viên mỗi nhóm trẻ đủ số trẻ", TT19, D_TT19),
    ("staff.norm.per_kinder_class", "2.2", "Định mức giáo viên mỗi lớp mẫu giáo đủ số trẻ", TT19, D_TT19),
    ("staff.norm.single_group", "2.0", "Định mức giáo viên của trường chỉ có một nhóm/lớp không đủ số trẻ "
     "(chi tiết chưa xác minh)", TT19, D_TT19),
    *[(f"staff.norm.children_per_teacher.{band}", n, f"Số trẻ tính 1 giáo viên ({label}, trẻ còn dư)", TTLT06,
       D_TTLT06) for band, n, label in BANDS],
    *[(f"staff.norm.children_per_teacher.{band}", n, f"Số trẻ tính 1 giáo viên ({label}, trẻ còn dư)", TT19, D_TT19)
      for band, n, label in BANDS],
]
