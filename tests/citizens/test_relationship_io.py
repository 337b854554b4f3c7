import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from citizens.models import Citizen, Consent, Relationship
from citizens.relationship_io import HEADERS, relationships_import
from pcrm.audit.models import AccessLog
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _row(i, **overrides):
    row = {
        "구분": "우호고객",
        "이름": f"주민{i:03d}",
        "기관명": "",
        "기관 담당자": "",
        "휴대전화": f"010-3{i:03d}-{i:04d}",
        "이메일": f"friend{i}@example.com",
        "시·군·구": "마포구",
        "행정동": "공덕동",
        "관리 담당자 아이디": "member",
        "관심 분야": "환경",
        "메모": "",
        "전자서한 동의": "Y",
    }
    row.update(overrides)
    return [row[h] for h in HEADERS]


def _csv(rows, encoding="utf-8-sig", name="list.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("list.xlsx", buffer.getvalue())


def test_300_rows_import_from_csv(org):
    report = relationships_import(staff=org.member, upload=_csv([_row(i) for i in range(300)]))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (300, 0)
    assert Relationship.objects.filter(owner=org.member, category="friendly").count() == 300
    citizen = Citizen.objects.get(name="주민007")
    assert citizen.phone == "01030070007" and citizen.e_letter_opt_in
    assert Consent.objects.filter(purpose="e_letter", granted=True, source="import").count() == 300
    assert AccessLog.objects.filter(action="create", subject_type="citizens.citizen").count() == 300


def test_xlsx_and_cp949_csv_are_read(org):
    assert relationships_import(staff=org.member, upload=_xlsx([_row(1), _row(2)])).created == 2
    report = relationships_import(staff=org.member, upload=_csv([_row(3)], encoding="cp949"))
    assert report.ok and report.created == 1


def test_existing_citizen_is_matched_by_phone_and_updated(org):
    existing = CitizenFactory(name="주민001", phone="01030010001")
    report = relationships_import(
        staff=org.member, upload=_csv([_row(1, **{"구분": "기관고객", "기관명": "마포구 상인회"})])
    )
    assert (report.created, report.updated) == (0, 1)
    assert Relationship.objects.get().citizen == existing
    assert Relationship.objects.get().category == "institutional"


def test_a_bad_file_imports_nothing_and_reports_every_bad_row(org):
    rows = [
        _row(1),
        _row(2, **{"휴대전화": "12-34", "이메일": ""}),
        _row(3, **{"구분": "친구"}),
        _row(4, **{"이름": ""}),
        _row(5, **{"관리 담당자 아이디": "nobody"}),
        _row(6, **{"구분": "기관고객"}),
        _row(7, **{"전자서한 동의": "글쎄"}),
        _row(1),  # the same contact again
    ]
    before = (Citizen.objects.count(), Relationship.objects.count(), AccessLog.objects.count())
    report = relationships_import(staff=org.member, upload=_csv(rows))
    assert not report.ok
    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "휴대전화 번호 형식이 올바르지 않습니다" in reasons[3]
    assert "구분은" in reasons[4]
    assert "이름이 비어 있습니다" in reasons[5]
    assert "nobody" in reasons[6]
    assert "기관명" in reasons[7]
    assert "전자서한 동의" in reasons[8]
    assert "2행과 연락처가 같습니다" in reasons[9]
    after = (Citizen.objects.count(), Relationship.objects.count(), AccessLog.objects.count())
    assert after == before


def test_a_file_with_the_wrong_header_is_explained(org):
    upload = SimpleUploadedFile("x.csv", "이름,전화\n김,010\n".encode())
    report = relationships_import(staff=org.member, upload=upload)
    assert report.errors and report.errors[0][0] == 0
    assert "제목 줄이 양식과 다릅니다" in report.errors[0][1]


def test_import_page_shows_the_report_and_keeps_nothing(client, org):
    client.force_login(org.member.user)
    response = client.post(
        "/staff/citizens/relationships/import/",
        {"file": _csv([_row(1), _row(2, **{"이름": ""})])},
    )
    html = response.content.decode()
    assert "고칠 곳 1건" in html and "이름이 비어 있습니다" in html
    assert not Citizen.objects.exists()


def test_export_is_masked_and_logged_per_citizen(client, org):
    relationships_import(staff=org.member, upload=_csv([_row(i) for i in range(3)]))
    client.force_login(org.member.user)
    response = client.get("/staff/citizens/relationships/export.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="relationships-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert (
        rows[1][1] == "주***0"
        and rows[1][4] == "010-****-0000"
        and rows[1][5] == "f***@example.com"
    )
    exported = AccessLog.objects.filter(action="export")
    assert exported.count() == 3 and {r.detail["format"] for r in exported} == {"xlsx"}

    text = client.get("/staff/citizens/relationships/export.csv").content.decode("utf-8-sig")
    assert "010-3001-0001" not in text and "010-****-0001" in text
    assert client.get("/staff/citizens/relationships/export.pdf").status_code == 404
