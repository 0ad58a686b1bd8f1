"""Indicator texts in two languages: definition, numerator, denominator, covers and seeds become *_en (the
English texts they held) beside new *_vi; 0004 fills the Vietnamese ones from the catalogue. Also names the
stored values and refresh marks (verbose names, translated in the UI)."""

from django.db import migrations, models

TEXTS = [
    ("definition", "definition", models.TextField, {}),
    ("numerator", "numerator", models.CharField, {"max_length": 200}),
    ("denominator", "denominator", models.CharField, {"max_length": 200, "blank": True}),
    ("covers", "covers", models.CharField, {"max_length": 100}),
    ("seeds", "seed targets", models.CharField, {"max_length": 300}),
]


def _operations():
    ops = []
    for field, label, cls, kw in TEXTS:
        ops.append(migrations.RenameField("indicator", field, f"{field}_en"))
        ops.append(migrations.AlterField("indicator", f"{field}_en", cls(verbose_name=f"{label} (English)", **kw)))
        ops.append(migrations.AddField("indicator", f"{field}_vi",
                                       cls(verbose_name=f"{label} (Vietnamese)", default="", **kw),
                                       preserve_default=False))
    ops.append(migrations.AlterModelOptions("indicatorvalue", {
        "ordering": ["unit_id", "indicator_id", "period"], "verbose_name": "indicator value",
        "verbose_name_plural": "indicator values"}))
    ops.append(migrations.AlterModelOptions("refreshmark", {
        "verbose_name": "refresh mark", "verbose_name_plural": "refresh marks"}))
    return ops


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_catalogue")]
    operations = _operations()
