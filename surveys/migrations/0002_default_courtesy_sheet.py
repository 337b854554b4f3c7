from django.db import migrations

from surveys.defaults import create_sheet


def create_default_sheet(apps, schema_editor):
    Sheet = apps.get_model("surveys", "CourtesySheet")
    if not Sheet.objects.exists():
        create_sheet(Sheet, apps.get_model("surveys", "CourtesyItem"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_default_sheet, migrations.RunPython.noop)]
