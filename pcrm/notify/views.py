import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pcrm.notify import backends, selectors, services
from pcrm.notify.models import Message, StaffNotification
from pcrm.org.access import staff_required


@staff_required()
def notification_list(request):
    rows = StaffNotification.objects.filter(staff=request.staff).order_by("-created_at", "-id")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "notify/notification_list.html", {"page": page})


@staff_required()
@require_POST
def notifications_read(request):
    StaffNotification.objects.filter(staff=request.staff, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notification-list")


@staff_required("team_leader", "cs_admin")
def costs(request):
    """Messages sent per month, channel and team, with their estimated cost: what the
    budget officer asks first. A team leader sees their own team."""
    months = selectors.recent_months(timezone.localdate())
    chosen = next((m for m in months if m.code == request.GET.get("month")), months[0])
    own = request.staff.team_id if request.staff.role == "team_leader" else None
    rows, total = selectors.monthly_costs(chosen, team_id=own)
    context = {
        "months": months,
        "month": chosen,
        "rows": rows,
        "total": total,
        "billings": Message.Billing.choices,
        "prices": [(label, selectors.price(code)) for code, label in Message.Billing.choices],
        "chart": {
            "labels": [str(label) for _code, label in Message.Billing.choices],
            "values": [total.counts.get(code, 0) for code, _label in Message.Billing.choices],
        },
        "own_team": own is not None,
    }
    return render(request, "notify/costs.html", context)


@csrf_exempt
@require_POST
def receipt_hook(request, channel, token):
    """A provider's delivery report (its webhook): the address holds a secret; each
    reported message becomes delivered, or goes on to the next channel."""
    expected = settings.NOTIFY_RECEIPT_TOKEN
    if not expected or not constant_time_compare(token, expected):
        raise Http404
    if channel not in (Message.Channel.SMS, Message.Channel.ALIMTALK):
        raise Http404
    try:
        payload = json.loads(request.body)
        backend = backends.backend_for(channel)
    except (ValueError, RecursionError, RequestDataTooBig):
        return JsonResponse({"error": "본문이 올바른 JSON이 아닙니다."}, status=400)
    except backends.Rejected:
        raise Http404 from None
    settled = services.receipts_apply(channel, backend.receipts(payload))
    return JsonResponse({"settled": settled})
