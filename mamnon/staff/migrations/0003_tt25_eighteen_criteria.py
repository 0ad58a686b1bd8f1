"""The principal standard (Thông tư 25/2018/TT-BGDĐT) has 18 criteria, not 15 (Điều 4 to 8; see
staff/criteria.py and docs/staff.md). The national rule row ``staff.tt25.criteria`` shipped as 15 becomes 18,
the tt25 rows get the clause they come from, key flags 16-18 (not key) are added, and principal ratings
stored with 15 levels get three empty ones (criteria 16-18 not rated). Their overall rating, decided under
the old count, is kept as decided. Rows a province or district set on its own unit are left alone."""

from django.db import migrations

TT25 = "Thông tư 25/2018/TT-BGDĐT, Điều 10 khoản 2 (chuẩn hiệu trưởng cơ sở giáo dục mầm non; 18 tiêu chí, Điều 4-8)"


def forward(apps, schema_editor):
    from mamnon.core.default_rules import load_default_rules

    Rule = apps.get_model("core", "Rule")
    Rule.objects.filter(code="staff.tt25.criteria", unit=None, value=15).update(value=18)
    Rule.objects.filter(code__startswith="staff.tt25.", unit=None).update(legal_basis=TT25)
    load_default_rules(Rule)
    Rating = apps.get_model("staff", "StandardRating")
    changed = []
    for r in Rating.objects.filter(standard="principal").only("pk", "levels", "self_levels"):
        dirty = False
        for field in ("levels", "self_levels"):
            value = getattr(r, field)
            if isinstance(value, list) and len(value) == 15:
                setattr(r, field, value + [None, None, None])
                dirty = True
        if dirty:
            changed.append(r)
    Rating.objects.bulk_update(changed, ["levels", "self_levels"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_default_rules")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
