from django.db import migrations

DEFAULT_ITEMS = [
    ("접속신속", 10),
    ("맞이인사", 10),
    ("연결태도", 10),
    ("언어표현", 10),
    ("경청태도", 10),
    ("적극안내", 10),
    ("응대태도", 10),
    ("종료인사", 15),
    ("통화종료", 5),
    ("전체만족", 10),
]


def create_default_sheet(apps, schema_editor):
    Sheet = apps.get_model("surveys", "CourtesySheet")
    Item = apps.get_model("surveys", "CourtesyItem")
    if Sheet.objects.exists():
        return
    sheet = Sheet.objects.create(name="전화친절도 기본 평가표", threshold=80, active=True)
    Item.objects.bulk_create(
        [
            Item(sheet=sheet, order=order, name=name, max_points=points)
            for order, (name, points) in enumerate(DEFAULT_ITEMS, start=1)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_default_sheet, migrations.RunPython.noop)]
