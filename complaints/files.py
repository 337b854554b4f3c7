"""Attachment checks by content, not by name: PDF, JPEG, PNG, HWP and HWPX only."""

import hashlib
import zipfile

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 3
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5 is an OLE compound file


class AttachmentError(ValueError):
    pass


def sniff(upload) -> str | None:
    """The content type the bytes really are, or ``None`` if not an allowed kind."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(_OLE):
        return "application/x-hwp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                mimetype = archive.read("mimetype").strip()
        except (zipfile.BadZipFile, KeyError):
            return None
        finally:
            upload.seek(0)
        if mimetype == b"application/hwp+zip":
            return "application/hwp+zip"
    return None


def check(upload) -> str:
    if upload.size > MAX_BYTES:
        raise AttachmentError(
            _("'%(name)s' 파일이 10MB보다 큽니다. 줄이거나 나누어 올려 주세요.")
            % {"name": upload.name}
        )
    content_type = sniff(upload)
    if content_type is None:
        raise AttachmentError(
            _(
                "'%(name)s' 파일은 올릴 수 없는 형식입니다. "
                "PDF, JPG, PNG, HWP, HWPX만 올릴 수 있습니다."
            )
            % {"name": upload.name}
        )
    return content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
