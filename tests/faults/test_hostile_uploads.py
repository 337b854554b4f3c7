"""A zip bomb posted anonymously as an HWPX attachment: refused with a clear message,
the worker's memory bounded (measured with tracemalloc over the whole request)."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def _bomb(megabytes: int) -> bytes:
    """An archive whose ``mimetype`` member inflates to ``megabytes`` of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("mimetype", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(b"\0" * 2**20)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_inflating_it(client, form_data, category):
    bomb = _bomb(512)
    assert len(bomb) < 1_000_000  # under a megabyte posted, half a gigabyte inside
    data = form_data(category)
    data["attachments"] = SimpleUploadedFile("신청서.hwpx", bomb, "application/octet-stream")
    tracemalloc.start()
    try:
        response = client.post("/complaints/new/", data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "올릴 수 없는 형식입니다" in response.content.decode()
    assert peak < 32 * 2**20, f"peak {peak / 2**20:.1f} MB"
    assert "보도블록이 깨졌어요" in response.content.decode()  # what was typed stays
