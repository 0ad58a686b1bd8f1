from django.db import migrations


def update(apps, schema_editor):
    from mamnon.fees.default_support import update_legal_basis

    update_legal_basis(apps.get_model("fees", "SupportPolicy"))


class Migration(migrations.Migration):
    """The NĐ 105/2020 policy's legal basis names khoản 1 (who) and khoản 2 (how much) of Điều 7."""

    dependencies = [("fees", "0004_bank_import_sha256")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
