"""Attachment checks by content, not by name: PDF, JPEG, PNG, HWP and HWPX only."""

import hashlib
import zipfile

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 3
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5 is an OLE compound file
_HWPX_MIMETYPE = b"application/hwp+zip"
# an HWPX document is a zip of XML parts; what no real one comes near is refused unread
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # declared uncompressed bytes, all members
ZIP_MAX_RATIO = 200  # declared uncompressed / compressed, per member


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
            return "application/hwp+zip" if _is_hwpx(upload) else None
        finally:
            upload.seek(0)
    return None


def _is_hwpx(upload) -> bool:
    """Whether the zip is an HWPX document, reading no more than its ``mimetype``
    member's first bytes, and only from an archive whose declared sizes are sane."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or _absurd(members):
                return False
            info = archive.getinfo("mimetype")
            if info.file_size > 64:
                return False
            with archive.open(info) as member:
                return member.read(len(_HWPX_MIMETYPE) + 8).strip() == _HWPX_MIMETYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError, ValueError):
        return False
    except (NotImplementedError, RuntimeError):  # unknown compression, encrypted member
        return False


def _absurd(members) -> bool:
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1) + 1024:
            return True
    return total > ZIP_MAX_TOTAL


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
