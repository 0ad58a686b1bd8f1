"""The national toilet-area row (facility.toilet_per_child, 0.4 m² per child from 11/07/2020) gets the label and
legal basis of default_rules.py: the lower end of 0.4-0.6 m² per child (at least 12 m² per room) that secondary
pages attribute to TCVN 3907:2011, still not checked against the standard's own text. Value and date do not
change; rows a province or district added on its own unit are left alone."""

import datetime as dt

from django.db import migrations

CODE = "facility.toilet_per_child"
SINCE = dt.date(2020, 7, 11)
OLD_LABEL = "Diện tích phòng vệ sinh tối thiểu (m²/trẻ; chưa xác minh)"
OLD_BASIS = "TCVN 3907:2011 (tiêu chuẩn thiết kế; mức 0,4 m²/trẻ chưa đối chiếu văn bản gốc)"
LABEL = "Diện tích phòng vệ sinh tối thiểu (m²/trẻ; mức thấp của 0,4-0,6 theo TCVN 3907:2011, chưa đối chiếu)"
BASIS = ("TCVN 3907:2011 (tiêu chuẩn thiết kế): phòng vệ sinh 0,4-0,6 m²/trẻ, không nhỏ hơn 12 m²/phòng, "
         "theo trang thứ cấp; chưa đối chiếu văn bản gốc")


def forward(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Rule.objects.filter(code=CODE, unit=None, effective_from=SINCE).update(label=LABEL, legal_basis=BASIS)


def backward(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Rule.objects.filter(code=CODE, unit=None, effective_from=SINCE).update(label=OLD_LABEL, legal_basis=OLD_BASIS)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0004_urban_label")]
    operations = [migrations.RunPython(forward, backward)]
