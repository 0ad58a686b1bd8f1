"""Load the catalogue again (mamnon/indicators/catalogue.py): the Vietnamese texts of every indicator."""

from django.db import migrations


def load(apps, schema_editor):
    from mamnon.indicators.catalogue import load_catalogue

    load_catalogue(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_indicator_texts_vi")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
