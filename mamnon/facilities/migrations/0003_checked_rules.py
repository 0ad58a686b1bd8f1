"""The facility rules as checked against the texts (see default_rules.py): the five rows shipped with effective
date 10/07/2020 get the legal basis and effective date of the text they come from; the school-size figures of
Thông tư 23/2024/TT-BGDĐT (in force 31/01/2025) are added. Values do not change. Rows a province or district
added on its own unit are left alone."""

import datetime as dt

from django.db import migrations

OLD = dt.date(2020, 7, 10)
CHARTER = ("Điều lệ trường mầm non (QĐ 14/2008/QĐ-BGDĐT) Điều 27 khoản 2; Nghị định 46/2017/NĐ-CP sửa đổi "
           "bởi Nghị định 135/2018/NĐ-CP, Điều 1 khoản 2 (điều kiện hoạt động giáo dục)")
ROWS = {
    "facility.land_per_child": (
        dt.date(2008, 5, 3), "Diện tích khu đất bình quân tối thiểu ở đồng bằng, trung du (m²/trẻ)", CHARTER),
    "facility.land_per_child_urban": (
        dt.date(2008, 5, 3), "Diện tích khu đất bình quân tối thiểu ở thành phố, thị xã, miền núi (m²/trẻ)",
        CHARTER),
    "facility.group_room_per_child": (
        dt.date(2018, 10, 4), "Diện tích phòng nuôi dưỡng, chăm sóc, giáo dục tối thiểu (m²/trẻ)",
        "Nghị định 135/2018/NĐ-CP (điều kiện nhóm trẻ, lớp mẫu giáo độc lập: tối thiểu 1,5 m²/trẻ), áp dụng làm "
        "mức tối thiểu cho phòng nhóm/lớp của trường"),
    "facility.toilet_per_child": (
        dt.date(2020, 7, 11), "Diện tích phòng vệ sinh tối thiểu (m²/trẻ; chưa xác minh)",
        "TCVN 3907:2011 (tiêu chuẩn thiết kế; mức 0,4 m²/trẻ chưa đối chiếu văn bản gốc)"),
    "facility.group_rooms_per_group": (
        dt.date(2020, 7, 11), "Số phòng nuôi dưỡng, chăm sóc, giáo dục cho mỗi nhóm/lớp",
        "Thông tư 13/2020/TT-BGDĐT, Quy định kèm theo, Điều 6 khoản 2 (mỗi nhóm, lớp có 01 phòng)"),
}


def forward(apps, schema_editor):
    from mamnon.core.default_rules import load_default_rules

    Rule = apps.get_model("core", "Rule")
    for code, (since, label, basis) in ROWS.items():
        old = Rule.objects.filter(code=code, unit=None, effective_from=OLD).first()
        if old is None:
            continue
        if Rule.objects.filter(code=code, unit=None, effective_from=since).exists():
            old.delete()
            continue
        old.effective_from, old.label, old.legal_basis = since, label, basis
        old.save(update_fields=["effective_from", "label", "legal_basis"])
    load_default_rules(Rule)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_default_rules")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
