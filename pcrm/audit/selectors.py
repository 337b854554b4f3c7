from datetime import datetime, time, timedelta

from django.utils import timezone

from pcrm.audit.models import AccessLog
from pcrm.org.access import visible_to


def access_log_for(user, *, date_from=None, date_to=None, actor="", action=""):
    """Access-log rows ``user`` may read, newest first, narrowed by the filters."""
    rows = visible_to(user, AccessLog).select_related(None)
    tz = timezone.get_current_timezone()
    if date_from:
        rows = rows.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        rows = rows.filter(
            at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
        )
    if actor:
        rows = rows.filter(actor_username=actor)
    if action:
        rows = rows.filter(action=action)
    return rows.order_by("-at", "-id")
