from django.db import migrations


def load(apps, schema_editor):
    from mamnon.core.default_rules import load_default_rules

    load_default_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("kitchen", "0001_initial"), ("core", "0003_default_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
