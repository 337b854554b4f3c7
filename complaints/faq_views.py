"""Pages of the Q&A book: the public FAQ, proposing from a complaint, the leader's
review, and the half-yearly books (web page, spreadsheet, print)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints import faq
from complaints.forms import FAQSearchForm, QADecisionForm, QAProposalForm
from complaints.models import Complaint, QABook, QAItem
from pcrm.lib import querystring
from pcrm.lib.spreadsheet import download, xlsx_bytes
from pcrm.org.access import SERVING_ROLES, get_for_user, staff_required, visible_to


def faq_public(request):
    """자주 묻는 질문: search and category filter, works without JavaScript."""
    form = FAQSearchForm(request.GET or None, categories=faq.faq_categories())
    data = form.cleaned_data if form.is_valid() else {}
    category = data.get("category")
    rows = faq.faq(q=data.get("q", ""), category=category.pk if category else None)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": querystring.without(request, "page")}
    return render(request, "complaints/faq.html", context)


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def qa_propose(request, pk):
    complaint = get_for_user(
        request.user,
        Complaint,
        for_change=True,
        pk=pk,
        queryset=Complaint.objects.select_related("citizen", "category"),
    )
    last = complaint.answers.order_by("-at", "-id").first()
    initial = {"question": complaint.body, "answer": last.text if last else ""}
    form = QAProposalForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            faq.qa_propose(staff=request.staff, complaint=complaint, **form.cleaned_data)
        except faq.QAError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(request, _("질의응답을 제안했습니다. 팀장이 승인하면 공개됩니다."))
            return redirect("staff-complaint-detail", pk=complaint.pk)
    names = faq.names_for_complaint(complaint)
    context = {"complaint": complaint, "form": form, "marked": _marked(form, names)}
    return render(request, "complaints/qa_propose.html", context, status=status)


def _marked(form, names) -> list[tuple[str, list]]:
    """Each text field as it stands, in pieces, with what looks personal marked; nothing
    when nothing looks personal."""
    texts = []
    for name in ("question", "answer", "keywords"):
        value = form[name].value() or ""
        texts.append((form.fields[name].label, faq.marked(str(value), names=names)))
    found = any(kind for _label, pieces in texts for _piece, kind in pieces)
    return texts if found else []


@staff_required("team_leader", "cs_admin")
def qa_review(request):
    page = Paginator(faq.proposals_for(request.staff), 20).get_page(request.GET.get("page"))
    return render(request, "complaints/qa_review.html", {"page": page})


@staff_required("team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def qa_decide(request, pk):
    """The proposal, editable, with what looks personal marked; approve or return."""
    item = get_for_user(
        request.user,
        QAItem,
        for_change=True,
        pk=pk,
        queryset=QAItem.objects.select_related("category", "proposed_by", "complaint"),
    )
    initial = {"question": item.question, "answer": item.answer, "keywords": item.keywords}
    form = QADecisionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            faq.qa_decide(
                staff=request.staff,
                item=item,
                approve=approve,
                note=data["note"],
                question=data["question"],
                answer=data["answer"],
                keywords=data["keywords"],
                reviewed=data["reviewed"],
            )
        except faq.QAError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("승인했습니다. 자주 묻는 질문에 공개됩니다.")
                if approve
                else _("반려했습니다. 공개하지 않습니다."),
            )
            return redirect("qa-review")
    if request.method == "POST":
        status = 400
    names = faq.names_for_item(item)
    context = {"item": item, "form": form, "marked": _marked(form, names)}
    return render(request, "complaints/qa_decide.html", context, status=status)


@staff_required(*SERVING_ROLES)
def book_list(request):
    books = visible_to(request.user, QABook).order_by("-period")
    finished = faq.finished_half(timezone.localdate())
    return render(request, "complaints/qa_books.html", {"books": books, "finished": finished})


@staff_required("cs_admin")
@require_POST
def book_compile(request):
    book = faq.book_compile(request.POST.get("period", ""))
    return redirect("qa-book", period=book.period)


@staff_required(*SERVING_ROLES)
def book_detail(request, period):
    book = get_for_user(request.user, QABook, period=period)
    items = list(faq.book_items(book))
    if request.GET.get("format") == "xlsx":
        return _book_xlsx(book, items)
    return render(request, "complaints/qa_book.html", {"book": book, "items": items})


def _book_xlsx(book, items):
    rows = [[book.title], [_("민원 유형"), _("질문"), _("답변"), _("검색어")]]
    rows += [[i.category.name, i.question, i.answer, i.keywords] for i in items]
    return download(xlsx_bytes(book.period, rows), f"qa-book-{book.period}.xlsx")
