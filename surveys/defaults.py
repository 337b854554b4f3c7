"""The default phone-courtesy score sheet (전화친절도 평가표): ten items, 100 points."""

SHEET_NAME = "전화친절도 기본 평가표"
THRESHOLD = 80
ITEMS = [
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


def create_sheet(sheet_model, item_model):
    """Create the default sheet with the given models (the app's, or a migration's)."""
    sheet = sheet_model.objects.create(name=SHEET_NAME, threshold=THRESHOLD, active=True)
    item_model.objects.bulk_create(
        [
            item_model(sheet=sheet, order=order, name=name, max_points=points)
            for order, (name, points) in enumerate(ITEMS, start=1)
        ]
    )
    return sheet
