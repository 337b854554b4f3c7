from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pcrm.notify.models import StaffNotification
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
