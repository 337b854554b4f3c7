"""The answer library: its page (save, find, approve) and the search on the answer form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints import library
from complaints.forms import AnswerTextForm
from complaints.models import Answer, AnswerText
from complaints.views import complaint_for
from pcrm.lib import querystring
from pcrm.org.access import SERVING_ROLES, staff_required


@staff_required(*SERVING_ROLES)
def search(request, pk):
    """On the answer form (htmx): library texts and Q&A items for what was typed, each
    ready to insert with its placeholders filled in for this complaint."""
    complaint = complaint_for(request, pk)
    texts, items = library.offer(
        request.staff, complaint, request.GET.get("q", ""), request=request
    )
    context = {"complaint": complaint, "texts": texts, "items": items}
    return render(request, "complaints/_library_results.html", context)


@staff_required(*SERVING_ROLES)
@require_POST
def used(request, pk, item):
    complaint_for(request, pk)  # 404 unless the complaint may be read
    library.answer_text_used(staff=request.staff, item_id=item)
    return HttpResponse(status=204)


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def library_page(request):
    """The team's and the organisation's texts, most used first; a new one; approvals."""
    initial = {}
    if answer_id := request.GET.get("answer", "").strip():  # "save this answer as a text"
        answer = get_object_or_404(Answer, pk=answer_id if answer_id.isdigit() else 0)
        complaint_for(request, answer.complaint_id)
        initial = {"text": answer.text, "title": answer.complaint.category.name}
    form = AnswerTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = library.answer_text_save(staff=request.staff, **form.cleaned_data)
        except library.LibraryError as error:
            form.add_error(None, str(error))
        else:
            if item.approved:
                messages.success(request, _("답변 문구를 저장했습니다."))
            else:
                messages.success(
                    request, _("답변 문구를 저장했습니다. 팀장이 승인하면 기관 전체가 씁니다.")
                )
            return redirect("answer-library")
    q = request.GET.get("q", "").strip()[:100]
    rows = library.listed(request.staff, q)
    pending = list(library.awaiting(request.staff).select_related("team", "created_by"))
    context = {
        "form": form,
        "page": Paginator(rows, 30).get_page(request.GET.get("page")),
        "q": q,
        "query": querystring.without(request, "page"),
        "pending": pending,
    }
    return render(request, "complaints/library.html", context)


@staff_required("team_leader", "cs_admin")
@require_POST
def approve(request, item):
    text = get_object_or_404(AnswerText, pk=item, approved=False)
    library.answer_text_approve(staff=request.staff, item=text)
    messages.success(request, _("기관 전체 답변 문구로 승인했습니다."))
    return redirect("answer-library")
