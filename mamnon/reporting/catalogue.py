"""The report forms mamnon ships, as data: an office installs them for the units below it.

Each entry names its source (seed, regulation); docs/reporting.md says what was assumed. ``install`` is
idempotent (forms are matched on the owner and code; fields and rules are replaced while no report exists).
Field labels are Vietnamese, as on the paper forms; they are data, not interface strings.
"""

from __future__ import annotations

from django.db import transaction

from mamnon.org.models import OrgLevel, OrgUnit
from mamnon.reporting.models import FormField, ReportForm, ValidationRule

TT25 = "Thông tư 25/2024/TT-BGDĐT, biểu 01.ĐN-MN (số liệu tại 30/9, hạn 31/10)"
SEED002 = "Kế hoạch năm học 2023-2024 của trường MN Sao Sáng (seed 002), phần lịch công tác"
SEED004 = "Hướng dẫn sơ kết Đề án chăm sóc vì sự phát triển toàn diện trẻ em 2018-2025 (seed 004), PGD Vĩnh Bảo"

# field: (code, label, section, kind, source, source detail, required)
R, IND, T = "records", "indicator", "typed"

_ENROLMENT = [
    ("groups", "Tổng số nhóm, lớp", "Nhóm, lớp", "integer", R, "groups", True),
    ("groups_creche", "Số nhóm trẻ", "Nhóm, lớp", "integer", R, "groups_creche", True),
    ("groups_kinder", "Số lớp mẫu giáo", "Nhóm, lớp", "integer", R, "groups_kinder", True),
    ("groups_mixed", "Trong đó: nhóm, lớp ghép", "Nhóm, lớp", "integer", R, "groups_mixed", False),
    ("groups_full_day", "Nhóm, lớp học 2 buổi/ngày", "Nhóm, lớp", "integer", R, "groups_full_day", False),
    ("enrolled", "Tổng số trẻ", "Trẻ em", "integer", R, "enrolled", True),
    ("enrolled_creche", "Trẻ nhà trẻ", "Trẻ em", "integer", R, "enrolled_creche", True),
    ("enrolled_k3", "Trẻ mẫu giáo 3-4 tuổi", "Trẻ em", "integer", R, "enrolled_k3", True),
    ("enrolled_k4", "Trẻ mẫu giáo 4-5 tuổi", "Trẻ em", "integer", R, "enrolled_k4", True),
    ("enrolled_k5", "Trẻ mẫu giáo 5-6 tuổi", "Trẻ em", "integer", R, "enrolled_k5", True),
    ("enrolled_mixed", "Trẻ học lớp mẫu giáo ghép", "Trẻ em", "integer", R, "enrolled_mixed_kinder", False),
    ("enrolled_girls", "Trong tổng số: trẻ nữ", "Trẻ em", "integer", R, "enrolled_girls", False),
    ("enrolled_ethnic", "Trong tổng số: trẻ dân tộc thiểu số", "Trẻ em", "integer", R, "enrolled_ethnic_minority",
     False),
    ("enrolled_disabled", "Trong tổng số: trẻ khuyết tật học hòa nhập", "Trẻ em", "integer", R,
     "enrolled_disabled", False),
    ("enrolled_full_day", "Trẻ học 2 buổi/ngày", "Trẻ em", "integer", R, "enrolled_full_day", False),
    ("enrolled_boarding", "Trẻ ăn bán trú tại trường", "Trẻ em", "integer", R, "enrolled_semi_boarding", False),
]
_ENROLMENT_RULES = [
    ("enrolled_creche + enrolled_k3 + enrolled_k4 + enrolled_k5 + enrolled_mixed", "=", "enrolled", "error",
     "Số trẻ theo độ tuổi phải cộng lại bằng tổng số trẻ"),
    ("groups_creche + groups_kinder", "=", "groups", "error",
     "Số nhóm trẻ và lớp mẫu giáo phải bằng tổng số nhóm, lớp"),
    ("groups_mixed", "<=", "groups", "error", "Số nhóm, lớp ghép không vượt tổng số nhóm, lớp"),
    ("enrolled_girls", "<=", "enrolled", "error", "Số trẻ nữ không vượt tổng số trẻ"),
    ("enrolled_ethnic", "<=", "enrolled", "error", "Số trẻ dân tộc thiểu số không vượt tổng số trẻ"),
    ("enrolled_disabled", "<=", "enrolled", "error", "Số trẻ khuyết tật không vượt tổng số trẻ"),
    ("enrolled_full_day", "<=", "enrolled", "error", "Số trẻ học 2 buổi/ngày không vượt tổng số trẻ"),
    ("enrolled_boarding", "<=", "enrolled", "error", "Số trẻ ăn bán trú không vượt tổng số trẻ"),
    ("enrolled_boarding", ">=", "enrolled_full_day", "warning",
     "Thường mọi trẻ học 2 buổi/ngày đều ăn bán trú: kiểm tra lại"),
]
_STAFF = [
    ("staff_managers", "Cán bộ quản lý", "Đội ngũ", "integer", R, "staff_managers", True),
    ("staff_teachers", "Giáo viên", "Đội ngũ", "integer", R, "staff_teachers", True),
    ("staff_teachers_qualified", "Giáo viên đạt trình độ chuẩn được đào tạo trở lên", "Đội ngũ", "integer", R,
     "staff_teachers_qualified", False),
    ("staff_employees", "Nhân viên", "Đội ngũ", "integer", R, "staff_employees", False),
]
_STAFF_RULES = [
    ("staff_teachers_qualified", "<=", "staff_teachers", "error",
     "Giáo viên đạt chuẩn không vượt tổng số giáo viên"),
]
_NUTRITION = [
    ("measured", "Số trẻ được cân đo, theo dõi biểu đồ", "Dinh dưỡng", "integer", IND, "GROWTH_MONITORED", True),
    ("underweight", "Trẻ suy dinh dưỡng thể nhẹ cân", "Dinh dưỡng", "integer", IND, "UNDERWEIGHT", True),
    ("stunting", "Trẻ suy dinh dưỡng thể thấp còi", "Dinh dưỡng", "integer", IND, "STUNTING", True),
    ("wasting", "Trẻ suy dinh dưỡng thể gầy còm", "Dinh dưỡng", "integer", IND, "WASTING", False),
    ("overweight", "Trẻ thừa cân", "Dinh dưỡng", "integer", IND, "OVERWEIGHT", True),
    ("obese", "Trẻ béo phì", "Dinh dưỡng", "integer", IND, "OBESE", True),
]
_NUTRITION_RULES = [
    ("measured", "<=", "enrolled", "error", "Số trẻ được cân đo không vượt số trẻ đang học"),
    ("measured", ">=", "enrolled", "warning", "Còn trẻ chưa được cân đo"),
    ("underweight", "<=", "measured", "error", "Số trẻ nhẹ cân không vượt số trẻ được cân đo"),
    ("stunting", "<=", "measured", "error", "Số trẻ thấp còi không vượt số trẻ được cân đo"),
    ("wasting + overweight + obese", "<=", "measured", "error",
     "Gầy còm, thừa cân và béo phì (theo cân nặng/chiều cao) không vượt số trẻ được cân đo"),
]

FORMS = [
    {
        "code": "can-do", "name": "Báo cáo kết quả cân đo, chấm biểu đồ tăng trưởng",
        "description": "Kết quả từng đợt cân đo (đợt 1 tháng 9, đợt 2 tháng 12, đợt 3 tháng 3); số liệu lấy "
                       "từ sổ cân đo của nhà trường.",
        "legal_basis": SEED002 + "; Thông tư 52/2020/TT-BGDĐT Điều 23 (theo dõi sức khỏe)",
        "period_type": "round", "due_kind": "fixed_day", "due_months": "9,12,3", "due_day": 20,
        "fields": [("enrolled", "Số trẻ đang học", "Dinh dưỡng", "integer", R, "enrolled", True), *_NUTRITION],
        "rules": _NUTRITION_RULES,
    },
    {
        "code": "thong-ke-hoc-ky", "name": "Thống kê số liệu thực hiện nhiệm vụ học kỳ",
        "description": "Học kỳ I nộp trước 10/12, học kỳ II (cuối năm) trước 10/5.",
        "legal_basis": SEED002, "period_type": "semester", "due_kind": "fixed_day", "due_months": "12,5",
        "due_day": 10,
        "fields": [*_ENROLMENT, *_STAFF], "rules": [*_ENROLMENT_RULES, *_STAFF_RULES],
    },
    {
        "code": "thong-ke-cuoi-nam", "name": "Thống kê số liệu cuối năm học",
        "description": "Tổng hợp số liệu cuối năm học, nộp trước 10/5.",
        "legal_basis": SEED002, "period_type": "school_year", "due_kind": "fixed_day", "due_months": "5",
        "due_day": 10,
        "fields": [*_ENROLMENT,
                   ("k5_completed", "Trẻ 5 tuổi hoàn thành chương trình giáo dục mầm non", "Trẻ em", "integer", T,
                    "", True),
                   *_STAFF, *_NUTRITION],
        "rules": [*_ENROLMENT_RULES, *_STAFF_RULES, *_NUTRITION_RULES,
                  ("k5_completed", "<=", "enrolled_k5", "error",
                   "Số trẻ 5 tuổi hoàn thành chương trình không vượt số trẻ 5-6 tuổi")],
    },
    {
        "code": "01-dn-mn", "name": "Báo cáo thống kê giáo dục mầm non đầu năm học (biểu 01.ĐN-MN)",
        "description": "Số liệu tại thời điểm 30/9, hạn nộp 31/10. Các chỉ tiêu theo những gì đã biết của "
                       "biểu (xem docs/reporting.md).",
        "legal_basis": TT25, "period_type": "school_year", "due_kind": "fixed_day", "due_months": "10",
        "due_day": 31, "as_of": (9, 30),
        "fields": [
            ("schools", "Số trường", "Trường", "integer", R, "schools", True),
            ("school_standard", "Trường đạt chuẩn quốc gia (1 nếu đạt)", "Trường", "integer", T, "", False),
            *_ENROLMENT, *_STAFF,
            ("underweight", "Trẻ suy dinh dưỡng thể nhẹ cân", "Dinh dưỡng", "integer", IND, "UNDERWEIGHT", False),
            ("stunting", "Trẻ suy dinh dưỡng thể thấp còi", "Dinh dưỡng", "integer", IND, "STUNTING", False),
            ("overweight", "Trẻ thừa cân, béo phì", "Dinh dưỡng", "integer", T, "", False),
            ("rooms_solid", "Phòng học kiên cố", "Cơ sở vật chất", "integer", T, "", False),
            ("rooms_semi_solid", "Phòng học bán kiên cố", "Cơ sở vật chất", "integer", T, "", False),
            ("rooms_temporary", "Phòng học tạm, nhờ, mượn", "Cơ sở vật chất", "integer", T, "", False),
        ],
        "rules": [*_ENROLMENT_RULES, *_STAFF_RULES,
                  ("school_standard", "<=", "schools", "error", "Số trường đạt chuẩn không vượt số trường"),
                  ("underweight", "<=", "enrolled", "error", "Số trẻ nhẹ cân không vượt tổng số trẻ"),
                  ("stunting", "<=", "enrolled", "error", "Số trẻ thấp còi không vượt tổng số trẻ")],
    },
    {
        "code": "de-an-dang-ky", "name": "Đăng ký mô hình phối hợp với phụ huynh (sơ kết Đề án)",
        "description": "Mỗi cơ sở đăng ký mô hình phối hợp với phụ huynh và các lực lượng xã hội để tạo điểm "
                       "nhấn sơ kết Đề án.",
        "legal_basis": SEED004, "period_type": "one_off", "due_kind": "one_off", "due_date": "2023-10-30",
        "consolidate": False,
        "fields": [
            ("model_name", "Tên mô hình đăng ký", "Đăng ký", "text", T, "", True),
            ("model_content", "Nội dung, cách thức thực hiện", "Đăng ký", "text", T, "", True),
            ("model_partners", "Lực lượng phối hợp (phụ huynh, đoàn thể...)", "Đăng ký", "text", T, "", False),
        ],
        "rules": [],
    },
    {
        "code": "de-an-so-ket", "name": "Báo cáo sơ kết Đề án “Chăm sóc vì sự phát triển toàn diện trẻ em "
                                        "trong những năm đầu đời tại gia đình và cộng đồng giai đoạn 2018-2025”",
        "description": "Theo mẫu gợi ý đính kèm hướng dẫn sơ kết; nộp trước 02/4/2024.",
        "legal_basis": SEED004, "period_type": "one_off", "due_kind": "one_off", "due_date": "2024-04-02",
        "consolidate": False,
        "fields": [
            ("models_run", "Số mô hình điểm phối hợp với phụ huynh đang duy trì", "Kết quả", "integer", T, "", True),
            ("activities", "Số hoạt động truyền thông (sân chơi, hội thi, câu lạc bộ...)", "Kết quả", "integer", T,
             "", True),
            ("initiatives", "Số sáng kiến, giải pháp sáng tạo về thực hiện Đề án", "Kết quả", "integer", T, "",
             True),
            ("staff_trained", "Lượt cán bộ quản lý, giáo viên được bồi dưỡng", "Kết quả", "integer", T, "", False),
            ("parents_reached", "Lượt phụ huynh được tư vấn, truyền thông", "Kết quả", "integer", T, "", False),
            ("results", "Kết quả nổi bật", "Đánh giá", "text", T, "", True),
            ("difficulties", "Khó khăn, hạn chế", "Đánh giá", "text", T, "", False),
            ("proposals", "Đề xuất, kiến nghị", "Đánh giá", "text", T, "", False),
            ("commendations", "Tập thể, cá nhân đề nghị biểu dương", "Đánh giá", "text", T, "", False),
        ],
        "rules": [],
    },
]


@transaction.atomic
def install(owner: OrgUnit, codes=None, *, target_level: OrgLevel | None = None) -> list[ReportForm]:
    """Create (or refresh) the shipped forms ``codes`` (all when None) as forms of ``owner``."""
    import datetime as dt

    target_level = target_level or OrgLevel.objects.get(is_school=True)
    out = []
    for spec in FORMS:
        if codes is not None and spec["code"] not in codes:
            continue
        as_of = spec.get("as_of") or (None, None)
        defaults = {
            "name": spec["name"], "description": spec["description"], "legal_basis": spec["legal_basis"],
            "target_level": target_level, "consolidate": spec.get("consolidate", True),
            "period_type": spec["period_type"], "due_kind": spec["due_kind"],
            "due_months": spec.get("due_months", ""), "due_day": spec.get("due_day"),
            "due_days_after": spec.get("due_days_after"),
            "due_date": dt.date.fromisoformat(spec["due_date"]) if spec.get("due_date") else None,
            "as_of_month": as_of[0], "as_of_day": as_of[1],
        }
        form, _created = ReportForm.objects.update_or_create(unit=owner, code=spec["code"], defaults=defaults)
        form.full_clean()
        if not form.reports.exists():
            form.fields.all().delete()
            form.rules.all().delete()
            FormField.objects.bulk_create(
                FormField(form=form, code=code, label=label, section=section, order=i, kind=kind,
                          required=required, source=source,
                          indicator_code=detail if source == IND else "",
                          indicator_part="numerator" if source == IND else "",
                          records_query=detail if source == R else "",
                          summable=kind != "text")
                for i, (code, label, section, kind, source, detail, required) in enumerate(spec["fields"])
            )
            ValidationRule.objects.bulk_create(
                ValidationRule(form=form, left=left, op=op, right=right, severity=severity, message=message)
                for left, op, right, severity, message in spec["rules"]
            )
        out.append(form)
    return out
