from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from pcrm.audit import selectors, services
from pcrm.audit.forms import AccessLogFilterForm
from pcrm.lib import querystring
from pcrm.lib.spreadsheet import download
from pcrm.org.access import Role, staff_required


@staff_required(Role.AUDITOR)
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    return _log_page(request, form)


def _log_page(request, form, *, status=200):
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.access_log_for(request.user, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": querystring.without(request, "page")},
        status=status,
    )


@staff_required(Role.AUDITOR)
def access_log_export(request):
    """The filtered log of one period (both dates needed) as XLSX; logged itself."""
    form = AccessLogFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    if not (filters.get("date_from") and filters.get("date_to")):
        form.add_error(None, _("내려받을 기간의 시작일과 종료일을 모두 고르세요."))
        return _log_page(request, form, status=400)
    rows = selectors.access_log_for(request.user, **filters)
    try:
        content = services.access_log_export(
            request=request,
            rows=rows,
            date_from=filters["date_from"],
            date_to=filters["date_to"],
        )
    except ValueError as too_many:
        form.add_error(
            None,
            _("한 번에 %(limit)s건까지 내려받을 수 있습니다. 기간을 나누어 주세요.")
            % {"limit": f"{too_many.args[0]:,}"},
        )
        return _log_page(request, form, status=400)
    name = f"access-log-{filters['date_from']:%Y%m%d}-{filters['date_to']:%Y%m%d}.xlsx"
    return download(content, name)
