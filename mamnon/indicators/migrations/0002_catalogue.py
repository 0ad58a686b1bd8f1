"""Load the indicator catalogue (mamnon/indicators/catalogue.py) into Indicator rows."""

from django.db import migrations


def load(apps, schema_editor):
    from mamnon.indicators.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
