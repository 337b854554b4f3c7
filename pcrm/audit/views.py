from django.core.paginator import Paginator
from django.shortcuts import render

from pcrm.audit import selectors
from pcrm.audit.forms import AccessLogFilterForm
from pcrm.lib import querystring
from pcrm.org.access import Role, staff_required


@staff_required(Role.AUDITOR)
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.access_log_for(request.user, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": querystring.without(request, "page")},
    )
