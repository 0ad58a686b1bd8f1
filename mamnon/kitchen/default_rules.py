"""The kitchen's figures of the regulations, as Rule rows (loaded by migration 0002; see core.default_rules).

Nutrition norms per norm band (regulations.md section 5): Chương trình Giáo dục mầm non, Thông tư 17/2009
amended by Thông tư 28/2016 (consolidated in VBHN 01/2021/VBHN-BGDĐT), on the basis of the Vietnamese RNI
2016 (Quyết định 2615/QĐ-BYT). Codes are ``norm.<band>.<key>``: energy at school (kcal per child per day), the
recommended energy of the whole day, the shares of energy from protein, lipid and glucid (%), and the meal
split (% of the day's recommended energy). The older TT 17/2009 values are deliberately absent.

Food safety (regulations.md section 14): Quyết định 1246/QĐ-BYT (31/03/2017), sample retention.
Menu publication: Thông tư 09/2024/TT-BGDĐT (before the Saturday of the week before).
Rows are the Rule shape ``(code, value, label, legal_basis, effective_from)``; administrators change them
as data, with a new effective date, and a province or school may override them.
"""

import datetime as dt

TT28 = "Chương trình GDMN (TT 17/2009/TT-BGDĐT, sửa đổi bởi TT 28/2016/TT-BGDĐT; VBHN 01/2021/VBHN-BGDĐT)"
D2017 = dt.date(2017, 2, 13)  # TT 28/2016 (signed 30/12/2016) in force
QD1246 = "Quyết định 1246/QĐ-BYT (31/03/2017), hướng dẫn kiểm thực ba bước và lưu mẫu thức ăn"
D1246 = dt.date(2017, 3, 31)
TT09 = "Thông tư 09/2024/TT-BGDĐT (công khai thực đơn trước thứ Bảy của tuần trước)"
D09 = dt.date(2024, 7, 19)
LOCAL = "Quy định của đơn vị (cấu hình)"

# band: (school energy min, max), (daily energy min, max), protein %, lipid %, glucid %, meal split
_NORMS = {
    # 6-12 months: the table gives 420 kcal at school; 490 is 70 % of the 700 kcal daily upper need.
    "infant_3_6": ((330, 350), (500, 550), (13, 20), (30, 40), (47, 50)),
    "infant_6_12": ((420, 490), (600, 700), (13, 20), (30, 40), (47, 50)),
    "creche": ((600, 651), (930, 1000), (13, 20), (30, 40), (47, 50)),
    "kinder": ((615, 726), (1230, 1320), (13, 20), (25, 35), (52, 60)),
}
_BAND_LABEL = {"infant_3_6": "nhà trẻ 3-6 tháng", "infant_6_12": "nhà trẻ 6-12 tháng",
               "creche": "nhà trẻ 12-36 tháng", "kinder": "mẫu giáo 3-6 tuổi"}
_MEAL_LABEL = {"lunch": "trưa", "afternoon": "chiều", "snack": "phụ"}
# Meals at school, % of the day's recommended energy: creche lunch 30-35, afternoon meal 25-30, snack 5-10;
# kindergarten lunch 30-35, snack 15-25.
_MEALS = {
    "infant_3_6": {"lunch": (30, 35), "afternoon": (25, 30), "snack": (5, 10)},
    "infant_6_12": {"lunch": (30, 35), "afternoon": (25, 30), "snack": (5, 10)},
    "creche": {"lunch": (30, 35), "afternoon": (25, 30), "snack": (5, 10)},
    "kinder": {"lunch": (30, 35), "snack": (15, 25)},
}


def _norm_rows():
    rows = []
    for band, (school, day, protein, lipid, glucid) in _NORMS.items():
        label = _BAND_LABEL[band]
        for key, (lo, hi), what in (("energy", school, "Năng lượng tại trường (kcal/trẻ/ngày)"),
                                    ("daily_energy", day, "Nhu cầu năng lượng cả ngày (kcal/trẻ)"),
                                    ("protein_pct", protein, "Tỉ lệ năng lượng do protein (%)"),
                                    ("lipid_pct", lipid, "Tỉ lệ năng lượng do lipid (%)"),
                                    ("glucid_pct", glucid, "Tỉ lệ năng lượng do glucid (%)")):
            rows.append((f"norm.{band}.{key}_min", lo, f"{what}, tối thiểu, {label}", TT28, D2017))
            rows.append((f"norm.{band}.{key}_max", hi, f"{what}, tối đa, {label}", TT28, D2017))
        for meal, (lo, hi) in _MEALS[band].items():
            name = _MEAL_LABEL[meal]
            rows.append((f"norm.{band}.meal.{meal}_min", lo, f"Bữa {name}: % nhu cầu năng lượng cả ngày, tối thiểu, "
                         f"{label}", TT28, D2017))
            rows.append((f"norm.{band}.meal.{meal}_max", hi, f"Bữa {name}: % nhu cầu năng lượng cả ngày, tối đa, "
                         f"{label}", TT28, D2017))
    return rows


RULES = [
    *_norm_rows(),
    ("kitchen.sample_min_g", 100, "Lượng mẫu lưu tối thiểu món rắn, khô (g)", QD1246, D1246),
    ("kitchen.sample_min_ml", 150, "Lượng mẫu lưu tối thiểu món lỏng (ml)", QD1246, D1246),
    ("kitchen.sample_temp_min", 2, "Nhiệt độ bảo quản mẫu lưu, tối thiểu (°C)", QD1246, D1246),
    ("kitchen.sample_temp_max", 8, "Nhiệt độ bảo quản mẫu lưu, tối đa (°C)", QD1246, D1246),
    ("kitchen.sample_hours", 24, "Thời gian lưu mẫu tối thiểu (giờ)", QD1246, D1246),
    ("kitchen.menu_publish_days_before", 2, "Công khai thực đơn tuần trước thứ Bảy của tuần trước "
     "(số ngày trước thứ Hai)", TT09, D09),
    ("kitchen.balance_range", "0.30", "Khoảng điều chỉnh định lượng khi cân đối thực đơn (±, phần của định lượng)",
     LOCAL, dt.date(2000, 1, 1)),
    ("kitchen.contract_reminder_days", 30, "Nhắc hợp đồng cung cấp thực phẩm sắp hết hạn trước (ngày)", LOCAL,
     dt.date(2000, 1, 1)),
]
