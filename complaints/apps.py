from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("민원")

    def ready(self):
        from complaints import access, home, signals  # noqa: F401  (rules, shortcuts, hooks)
        from complaints.models import Attachment, Complaint
        from pcrm.ops import registry

        registry.register_count("complaints", Complaint.objects.count)
        registry.register_count("attachments", Attachment.objects.count)
        registry.register_gauges(_overdue_gauge)


def _overdue_gauge():
    from django.utils import timezone
    from prometheus_client.core import GaugeMetricFamily

    from complaints.models import Complaint

    overdue = Complaint.objects.filter(
        status__in=Complaint.OPEN_STATUSES, due_at__lt=timezone.now()
    ).count()
    yield GaugeMetricFamily(
        "pcrm_overdue_complaints", "Open complaints past their deadline", value=overdue
    )
