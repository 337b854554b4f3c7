import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Attachment, Complaint
from pcrm.audit.models import AccessLog
from tests.complaints.test_filing import _form_data
from tests.factories import CategoryFactory, StaffFactory, file_complaint

pytestmark = pytest.mark.django_db


def _hwpx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", "<hs:sec/>")
    return buffer.getvalue()


def _docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


GOOD = {
    "사진.jpg": (b"\xff\xd8\xff\xe0" + b"0" * 100, "image/jpeg"),
    "현장.png": (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),
    "공문.pdf": (b"%PDF-1.7\n" + b"0" * 100, "application/pdf"),
    "신청서.hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "application/x-hwp"),
    "신청서.hwpx": (_hwpx(), "application/hwp+zip"),
}


def _upload(name, content):
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.mark.parametrize("name", list(GOOD))
def test_allowed_kinds_are_recognised_by_content(client, category, name):
    content, content_type = GOOD[name]
    data = _form_data(client, category, attachments=_upload(name, content))
    assert client.post("/complaints/new/", data).status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == (name, content_type)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("보고서.pdf", b"<html><script>alert(1)</script></html>"),
        ("그림.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("문서.hwpx", _docx_like()),
        ("실행.jpg", b"MZ\x90\x00"),
    ],
)
def test_disguised_files_are_rejected(client, category, name, content):
    data = _form_data(client, category, attachments=_upload(name, content))
    response = client.post("/complaints/new/", data)
    assert "올릴 수 없는 형식입니다" in response.content.decode()
    assert not Complaint.objects.exists()


def test_oversize_and_too_many_files_are_rejected(client, category):
    big = _upload("큰파일.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    response = client.post("/complaints/new/", _form_data(client, category, attachments=big))
    assert "10MB보다 큽니다" in response.content.decode()
    four = [_upload(f"{n}.pdf", b"%PDF-1.4") for n in range(4)]
    response = client.post("/complaints/new/", _form_data(client, category, attachments=four))
    assert "3개까지" in response.content.decode()
    assert not Complaint.objects.exists()


def test_files_are_stored_outside_the_web_root(settings, category):
    pdf = _upload("공문.pdf", GOOD["공문.pdf"][0])
    complaint, _secret = file_complaint(category, attachments=[(pdf, "application/pdf")])
    path = complaint.attachments.get().file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT)) and not path.startswith(
        str(settings.MEDIA_ROOT)
    )


@pytest.fixture
def filed(category):
    pdf = _upload("공문.pdf", GOOD["공문.pdf"][0])
    return file_complaint(category, attachments=[(pdf, "application/pdf")])


def _assert_download(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_complainant_downloads_through_the_tracking_secret(client, filed):
    complaint, secret = filed
    attachment = complaint.attachments.get()
    _assert_download(client.get(f"/complaints/track/{secret}/files/{attachment.pk}/"))


def test_strangers_are_refused(client, org, filed):
    complaint, _secret = filed
    attachment = complaint.attachments.get()
    assert client.get(f"/complaints/track/{'x' * 43}/files/{attachment.pk}/").status_code == 404
    other = file_complaint(CategoryFactory(team=org.other_team), phone="01077776666")[1]
    assert client.get(f"/complaints/track/{other}/files/{attachment.pk}/").status_code == 404
    assert client.get(f"/staff/complaints/files/{attachment.pk}/").status_code == 302  # login
    client.force_login(org.other_member.user)
    assert client.get(f"/staff/complaints/files/{attachment.pk}/").status_code == 404
    client.force_login(org.auditor.user)
    assert client.get(f"/staff/complaints/files/{attachment.pk}/").status_code == 403


def test_the_owning_team_downloads_and_it_is_logged(client, org, filed):
    complaint, _secret = filed
    attachment = complaint.attachments.get()
    client.force_login(org.member.user)
    _assert_download(client.get(f"/staff/complaints/files/{attachment.pk}/"))
    row = AccessLog.objects.get(action="download")
    assert (row.actor, row.subject_id) == (org.member.user, str(complaint.citizen_id))
    client.force_login(StaffFactory(team=org.team, role="team_leader").user)
    assert client.get(f"/staff/complaints/files/{attachment.pk}/").status_code == 200
