from django.db import migrations


def load(apps, schema_editor):
    from mamnon.fees.default_support import load_default_support

    load_default_support(apps.get_model("fees", "SupportPolicy"))


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
