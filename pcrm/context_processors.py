from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    user = getattr(request, "user", None)  # None on an API page to an anonymous caller
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None

    def unread():
        from pcrm.notify.models import StaffNotification

        return StaffNotification.objects.filter(staff=staff, read_at__isnull=True).count()

    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_phones": settings.ORGANISATION_PHONES,
        "organisation_address": settings.ORGANISATION_ADDRESS,
        "organisation_hours": settings.ORGANISATION_HOURS,
        "current_staff": staff,
        # counted only when a page shows it (the staff header)
        "unread_notifications": SimpleLazyObject(unread) if staff is not None else 0,
    }


def csp_nonce(request):
    """The nonce an inline script or style must carry (``pcrm.middleware``)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
