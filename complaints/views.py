from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from citizens.services import record_download
from complaints import selectors, services
from complaints.access import can_register
from complaints.forms import ComplaintForm, StaffComplaintForm, TrackForm
from complaints.models import Attachment, Complaint
from pcrm.lib.net import client_ip
from pcrm.lib.ratelimit import allow
from pcrm.org.access import get_for_user, staff_required


def _rate_limited(request, scope: str, limit: int) -> bool:
    return not allow(
        f"{scope}:{client_ip(request)}", limit=limit, window=settings.RATE_LIMIT_WINDOW
    )


def _too_many(request, template, context):
    context["rate_limited"] = True
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(settings.RATE_LIMIT_WINDOW)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_file(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _rate_limited(request, "file", settings.FILING_RATE_LIMIT):
            return _too_many(request, "complaints/public_form.html", {"form": form})
        if form.is_valid():
            _complaint, secret, _created = services.complaint_file(form.filing())
            return redirect("complaint-receipt", secret=secret)
    return render(request, "complaints/public_form.html", {"form": form})


@never_cache
def receipt(request, secret):
    complaint = services.find_by_secret(secret)
    if complaint is None:
        raise Http404
    return render(
        request,
        "complaints/receipt.html",
        {
            "complaint": complaint,
            "tracking_url": request.build_absolute_uri(
                reverse("complaint-track-secret", args=[secret])
            ),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if _rate_limited(request, "track", settings.TRACKING_RATE_LIMIT):
            return _too_many(request, "complaints/track_form.html", context)
        if form.is_valid():
            number = form.cleaned_data["receipt_number"].strip()
            # guessing the four digits of one receipt from many addresses is limited too
            if not allow(
                f"track-number:{number}",
                limit=settings.TRACKING_RATE_LIMIT,
                window=settings.RATE_LIMIT_WINDOW,
            ):
                return _too_many(request, "complaints/track_form.html", context)
            complaint = services.find_for_tracking(number, form.cleaned_data["phone_last4"])
            if complaint is not None:
                return redirect("complaint-track-secret", secret=complaint.tracking_secret)
            context["not_found"] = True
    return render(request, "complaints/track_form.html", context)


@never_cache
def track_secret(request, secret):
    complaint = services.find_by_secret(secret)
    if complaint is None:
        raise Http404
    return render(
        request,
        "complaints/track_detail.html",
        {
            "complaint": complaint,
            "secret": secret,
            "events": selectors.public_history(complaint),
            "attachments": complaint.attachments.all(),
        },
    )


def _download(attachment: Attachment):
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
def track_attachment(request, secret, pk):
    complaint = services.find_by_secret(secret)
    if complaint is None:
        raise Http404
    return _download(get_object_or_404(Attachment, pk=pk, complaint=complaint))


@staff_required("staff", "team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def staff_register(request):
    form = StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and can_register(request.staff):
        complaint, _secret, created = services.complaint_file(
            form.filing(
                channel=form.cleaned_data["channel"],
                staff=request.staff,
                consent_source=form.cleaned_data["channel"],
            )
        )
        if created:
            messages.success(
                request,
                _("민원을 접수했습니다. 접수번호 %(number)s")
                % {"number": complaint.receipt_number},
            )
        return redirect("staff-complaint-detail", pk=complaint.pk)
    return render(request, "complaints/staff_form.html", {"form": form})


@staff_required("staff", "team_leader", "cs_admin")
def staff_detail(request, pk):
    complaint = get_for_user(
        request.user,
        Complaint,
        pk=pk,
        queryset=Complaint.objects.select_related("category", "team", "citizen", "assignee"),
    )
    return render(
        request,
        "complaints/staff_detail.html",
        {
            "complaint": complaint,
            "events": selectors.history(complaint),
            "attachments": complaint.attachments.all(),
        },
    )


@staff_required("staff", "team_leader", "cs_admin")
def staff_attachment(request, pk):
    attachment = get_for_user(
        request.user, Attachment, pk=pk, queryset=Attachment.objects.select_related("complaint")
    )
    record_download(
        staff=request.staff, citizen_id=attachment.complaint.citizen_id, what=attachment
    )
    return _download(attachment)
