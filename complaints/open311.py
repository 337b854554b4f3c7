"""Open311 GeoReport v2 at ``/open311/v2/``: the categories as services, filing a
request exactly as the public form does (an ``api_key`` issued by the CS administrator;
consent from the client's recorded agreement, or ``consent=true`` as an extension), and
reading requests back as a public notice board would show them.

The public feed carries the category, status, dates and the team, never the citizen's
name, contact or text: the title appears only for complaints staff marked ``published``,
and then with whatever ``pcrm.lib.personal_data`` finds taken out.

Service codes are category ids; service request ids are receipt numbers. Statuses map to
``open``/``closed`` with the detailed status in ``status_notes``. Errors use the
specification's format: a list of ``{"code", "description"}`` (``<errors>`` in XML).
"""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from citizens.consents import COMPLAINT_PROCESSING
from complaints import services
from complaints.forms import Open311FilingForm
from complaints.models import Category, Complaint, Open311Client
from pcrm.lib import personal_data
from pcrm.lib.crypto import secret_digest
from pcrm.lib.net import client_ip
from pcrm.lib.ratelimit import allow

DEFAULT_WINDOW = timedelta(days=90)  # the spec's default when no dates are given
MAX_REQUESTS = 1000
CLOSED = {Complaint.Status.ANSWERED, Complaint.Status.CLOSED, Complaint.Status.WITHDRAWN}


def _error(code: int, description: str, fmt: str = "json") -> HttpResponse:
    if fmt == "xml":
        root = ElementTree.Element("errors")
        error = ElementTree.SubElement(root, "error")
        ElementTree.SubElement(error, "code").text = str(code)
        ElementTree.SubElement(error, "description").text = description
        return HttpResponse(_xml(root), status=code, content_type="application/xml")
    return JsonResponse([{"code": code, "description": description}], status=code, safe=False)


def bad_request(*, too_large: bool) -> HttpResponse:
    """A request Django refused before the view ran, in the specification's format."""
    if too_large:
        return _error(413, _("요청이 너무 큽니다."))
    return _error(400, _("요청 형식이 올바르지 않습니다."))


def unavailable() -> HttpResponse:
    """The database cannot be reached for a moment (a restart): try again shortly."""
    return _error(503, _("잠시 서비스를 이용할 수 없습니다. 잠시 뒤에 다시 시도해 주세요."))


def _xml(root) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(root, "utf-8")


def _limited(request, fmt: str = "json"):
    if not allow(
        f"open311:{client_ip(request)}",
        limit=settings.OPEN311_RATE_LIMIT,
        window=settings.RATE_LIMIT_WINDOW,
    ):
        response = _error(429, _("요청이 너무 많습니다. 잠시 뒤에 다시 시도해 주세요."), fmt)
        response["Retry-After"] = str(settings.RATE_LIMIT_WINDOW)
        return response
    return None


def _service(category: Category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.team.name,
    }


@require_GET
def service_list(request, fmt):
    if limited := _limited(request, fmt):
        return limited
    rows = [_service(c) for c in Category.objects.filter(active=True).select_related("team")]
    if fmt == "xml":
        root = ElementTree.Element("services")
        for row in rows:
            node = ElementTree.SubElement(root, "service")
            for key, value in row.items():
                ElementTree.SubElement(node, key).text = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
        return HttpResponse(_xml(root), content_type="application/xml")
    return JsonResponse(rows, safe=False)


@require_GET
def service_definition(request, code):
    if limited := _limited(request):
        return limited
    category = Category.objects.filter(pk=code if code.isdigit() else 0, active=True).first()
    if category is None:
        return _error(404, _("그런 서비스 코드가 없습니다."))
    return JsonResponse({"service_code": str(category.pk), "attributes": []})


def _request_row(complaint: Complaint) -> dict:
    """A request as anyone may read it: no name, contact or free text of the citizen;
    the title (personal data taken out) only where staff published it."""
    closed = complaint.status in CLOSED
    description = personal_data.redact(complaint.title) if complaint.published else ""
    return {
        "service_request_id": complaint.receipt_number,
        "status": "closed" if closed else "open",
        "status_notes": complaint.get_status_display(),
        "service_name": complaint.category.name,
        "service_code": str(complaint.category_id),
        "description": description,
        "agency_responsible": complaint.team.name,
        "service_notice": "",
        "requested_datetime": complaint.received_at.isoformat(),
        "updated_datetime": (
            complaint.closed_at or complaint.answered_at or complaint.received_at
        ).isoformat(),
        "expected_datetime": complaint.due_at.isoformat(),
    }


def _requests():
    return Complaint.objects.select_related("category", "team").only(
        "receipt_number",
        "status",
        "title",
        "published",
        "received_at",
        "answered_at",
        "closed_at",
        "due_at",
        "category__name",
        "team__name",
    )


def _read_requests(request):
    params = request.GET
    rows = _requests()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return rows.filter(receipt_number__in=ids[:MAX_REQUESTS]).order_by("-received_at"), None
    start = parse_datetime(params["start_date"]) if params.get("start_date") else None
    end = parse_datetime(params["end_date"]) if params.get("end_date") else None
    if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
        return None, _(
            "start_date와 end_date는 w3c 형식(예: 2026-11-23T10:00:00+09:00)으로 적어 주세요."
        )
    end = end or timezone.now()
    start = start or end - DEFAULT_WINDOW
    rows = rows.filter(received_at__gte=start, received_at__lte=end)
    codes = [c for c in params.get("service_code", "").split(",") if c.strip().isdigit()]
    if codes:
        rows = rows.filter(category_id__in=codes)
    status = params.get("status", "")
    if status == "open":
        rows = rows.exclude(status__in=CLOSED)
    elif status == "closed":
        rows = rows.filter(status__in=CLOSED)
    return rows.order_by("-received_at")[:MAX_REQUESTS], None


@csrf_exempt  # an API called by other systems with an api_key, not a browser session
@require_http_methods(["GET", "POST"])
def requests_json(request):
    if limited := _limited(request):
        return limited
    if request.method == "POST":
        return _request_file(request)
    rows, problem = _read_requests(request)
    if problem:
        return _error(400, problem)
    return _rows_response([_request_row(c) for c in rows], "json")


def _rows_response(rows: list[dict], fmt: str) -> HttpResponse:
    if fmt == "xml":
        root = ElementTree.Element("service_requests")
        for row in rows:
            node = ElementTree.SubElement(root, "request")
            for key, value in row.items():
                ElementTree.SubElement(node, key).text = "" if value is None else str(value)
        return HttpResponse(_xml(root), content_type="application/xml")
    return JsonResponse(rows, safe=False)


@require_GET
def request_detail(request, receipt, fmt="json"):
    if limited := _limited(request, fmt):
        return limited
    complaint = _requests().filter(receipt_number=receipt).first()
    if complaint is None:
        return _error(404, _("그런 접수번호가 없습니다."), fmt)
    return _rows_response([_request_row(complaint)], fmt)


def _request_file(request):
    data = request.POST
    key = data.get("api_key", "")
    client = (
        Open311Client.objects.filter(key_hash=secret_digest(key), active=True).first()
        if key
        else None
    )
    if client is None:
        return _error(403, _("api_key가 없거나 올바르지 않습니다. CS 담당관에게 발급받으세요."))
    form = Open311FilingForm(data, consent_agreed=client.consent_terms_agreed_at is not None)
    if not form.is_valid():
        return _error(*form.first_problem())
    filing = form.cleaned_data
    category, description, location = (
        filing["service_code"],
        filing["description"].strip(),
        filing["location"],
    )
    phone, email = filing["phone"], filing["email"]
    name = f"{filing['last_name']}{filing['first_name']}".strip() or _("익명")
    complaint, _secret, _created = services.complaint_file(
        services.Filing(
            category=category,
            title=description[:60],
            body=f"{description}\n\n{_('위치')}: {location}",
            name=name[:50],
            phone=phone,
            email=email,
            channel=Complaint.Channel.OPEN311,
            consents={COMPLAINT_PROCESSING: True},
            consent_source="web",
        )
    )
    return JsonResponse(
        [
            {
                "service_request_id": complaint.receipt_number,
                "service_notice": _("%(due)s까지 답변합니다.")
                % {"due": timezone.localtime(complaint.due_at).strftime("%Y-%m-%d %H:%M")},
                "account_id": None,
            }
        ],
        status=201,
        safe=False,
    )
