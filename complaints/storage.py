from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Uploaded complaint files live outside any served folder; only a view that checked
    access streams them (there is no URL to them)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
