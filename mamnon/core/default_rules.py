"""The figures of the regulations mamnon checks, as initial Rule rows (see shared/domain/regulations.md).

Loaded by a data migration; administrators and provinces change them as data, with a new effective date.
"""

import datetime as dt

TT52 = "Thông tư 52/2020/TT-BGDĐT (Điều lệ trường mầm non), Điều 15"
TT13 = "Thông tư 13/2020/TT-BGDĐT, Điều 5 khoản 2"
TT19 = "Thông tư 19/2023/TT-BGDĐT, Điều 5"
TT03_2024 = "Thông tư 03/2024/TT-BGDĐT, Phụ lục 2 (chỉ số 1102)"
TT13_2018 = "Thông tư 13/2018/TT-BGDĐT"
NATSTD = "Tiêu chuẩn trường mầm non đạt chuẩn quốc gia mức độ 1 (Thông tư 19/2018/TT-BGDĐT)"
LOCAL = "Quy định của đơn vị (cấu hình)"

D2020 = dt.date(2021, 2, 15)  # TT 52/2020 (signed 31/12/2020) in force
OLD_CHARTER = "Điều lệ trường mầm non trước TT 52/2020 (VBHN 04/2015/VBHN-BGDĐT), cùng các mức sĩ số"
D2015 = dt.date(2015, 1, 1)

RULES = [
    # code, value, meaning, legal basis, effective from
    *[(f"group_max.{band}", n, f"Sĩ số tối đa ({band})", OLD_CHARTER, D2015)
      for band, n in (("c3_12", 15), ("c13_24", 20), ("c25_36", 25), ("k3", 25), ("k4", 30), ("k5", 35))],
    ("group_max.c3_12", 15, "Sĩ số tối đa nhóm trẻ 3-12 tháng", TT52, D2020),
    ("group_max.c13_24", 20, "Sĩ số tối đa nhóm trẻ 13-24 tháng", TT52, D2020),
    ("group_max.c25_36", 25, "Sĩ số tối đa nhóm trẻ 25-36 tháng", TT52, D2020),
    ("group_max.k3", 25, "Sĩ số tối đa lớp mẫu giáo 3-4 tuổi", TT52, D2020),
    ("group_max.k4", 30, "Sĩ số tối đa lớp mẫu giáo 4-5 tuổi", TT52, D2020),
    ("group_max.k5", 35, "Sĩ số tối đa lớp mẫu giáo 5-6 tuổi", TT52, D2020),
    ("group_max.mixed_creche", 20, "Sĩ số tối đa nhóm trẻ ghép", TT03_2024, dt.date(2024, 5, 1)),
    ("group_max.mixed_kinder", 35, "Sĩ số tối đa lớp mẫu giáo ghép (chưa xác minh; mặc định bằng lớp 5-6 tuổi)",
     TT52, D2020),
    ("group_mixed_fraction", "0.5", "Dưới tỉ lệ này của sĩ số tối đa thì được tổ chức nhóm/lớp ghép", TT52, D2020),
    ("group_disability_reduction", 5, "Mỗi trẻ khuyết tật học hòa nhập giảm sĩ số tối đa", TT19, dt.date(2023, 12, 16)),
    ("group_disability_max", 2, "Số trẻ khuyết tật tối đa mỗi nhóm/lớp hòa nhập",
     "Thông tư 03/2018/TT-BGDĐT", dt.date(2018, 3, 16)),
    ("school_groups_min", 9, "Số nhóm/lớp tối thiểu của trường mầm non", TT13, dt.date(2020, 7, 10)),
    ("school_groups_min_disadvantaged", 5, "Số nhóm/lớp tối thiểu ở vùng khó khăn", TT13, dt.date(2020, 7, 10)),
    ("school_groups_max", 20, "Số nhóm/lớp tối đa của trường mầm non", TT13, dt.date(2020, 7, 10)),
    ("school_sites_max", 5, "Số điểm trường tối đa", TT13, dt.date(2020, 7, 10)),
    ("school_sites_max_disadvantaged", 8, "Số điểm trường tối đa ở vùng khó khăn", TT13, dt.date(2020, 7, 10)),
    ("independent_group_children_max", 70, "Số trẻ tối đa của nhóm trẻ/lớp mẫu giáo độc lập tư thục", TT13_2018,
     dt.date(2018, 8, 23)),
    ("attendance_rate_min.k5", "0.90", "Tỉ lệ chuyên cần tối thiểu trẻ 5 tuổi", NATSTD, dt.date(2018, 10, 10)),
    ("attendance_rate_min.other", "0.85", "Tỉ lệ chuyên cần tối thiểu các độ tuổi khác", NATSTD, dt.date(2018, 10, 10)),
    ("attendance_lock_hour", 17, "Giờ khóa sổ điểm danh trong ngày đối với giáo viên", LOCAL, dt.date(2000, 1, 1)),
    ("kitchen_cutoff_hour", 9, "Giờ chốt suất ăn: báo vắng sau giờ này vẫn tính suất", LOCAL, dt.date(2000, 1, 1)),
]


def all_default_rules() -> list[tuple]:
    """The rows above and every app's own: an app lists its figures in ``mamnon/<app>/default_rules.py``
    (a ``RULES`` list in the same shape) and loads them with a data migration calling
    ``load_default_rules`` (which adds only what is missing)."""
    import importlib
    import importlib.util

    from django.apps import apps

    rows = list(RULES)
    for config in apps.get_app_configs():
        name = f"{config.name}.default_rules"
        if config.name.startswith("mamnon.") and name != __name__ and importlib.util.find_spec(name):
            rows += importlib.import_module(name).RULES
    return rows


def load_default_rules(rule_model) -> int:
    """Create the rows that are missing (by code and effective date); returns how many were added."""
    from decimal import Decimal

    added = 0
    for code, value, label, basis, since in all_default_rules():
        _rule, created = rule_model.objects.get_or_create(
            code=code, effective_from=since, unit=None,
            defaults={"value": Decimal(str(value)), "label": label, "legal_basis": basis},
        )
        added += created
    return added
