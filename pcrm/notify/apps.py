from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "pcrm.notify"
    label = "notify"
    verbose_name = _("알림 발송")

    def ready(self):
        from pcrm.ops import registry

        registry.register_gauges(_outbox_gauges)


def _outbox_gauges():
    from django.utils import timezone
    from prometheus_client.core import GaugeMetricFamily

    from pcrm.notify.models import Message

    pending = Message.objects.filter(status=Message.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    yield GaugeMetricFamily(
        "pcrm_outbox_pending_messages", "SMS and e-mail not sent yet", value=pending.count()
    )
    yield GaugeMetricFamily(
        "pcrm_outbox_oldest_pending_seconds",
        "Age of the oldest message not sent yet",
        value=(timezone.now() - oldest).total_seconds() if oldest else 0,
    )
