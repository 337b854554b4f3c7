"""내 민원 pages: ask for a code, enter it, see one's complaints for a while."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from complaints import mine
from complaints.public_forms import MineCodeForm, MineStartForm
from pcrm.lib.masking import mask_email, mask_phone
from pcrm.lib.net import client_ip
from pcrm.lib.ratelimit import allow, too_many

CODE, SENT_TO, PROOF = "mine_code", "mine_sent_to", "mine_proof"


def _proof(request) -> mine.Proof | None:
    return mine.Proof.from_session(request.session.get(PROOF))


def _limited(request, key: str, limit: int) -> bool:
    return not allow(key, limit=limit, window=settings.RATE_LIMIT_WINDOW)


@never_cache
@require_http_methods(["GET", "POST"])
def mine_start(request):
    if _proof(request) is not None:
        return redirect("complaint-mine-list")
    form = MineStartForm(request.POST or None)
    context = {"form": form, "minutes": settings.MINE_CODE_MINUTES}
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        hashed = mine.contact_hash(form.kind, contact)
        # per client address and per number (or address): however the guesses are spread
        if _limited(
            request, f"mine-ip:{client_ip(request)}", settings.MINE_CODES_PER_ADDRESS
        ) or _limited(request, f"mine-to:{hashed}", settings.MINE_CODES_PER_CONTACT):
            return too_many(request, "complaints/mine_start.html", context)
        row = mine.code_send(kind=form.kind, contact=contact)
        request.session[CODE] = row.pk
        request.session[SENT_TO] = (
            mask_email(contact) if form.kind == "email" else mask_phone(contact)
        )
        return redirect("complaint-mine-code")
    return render(request, "complaints/mine_start.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def mine_code(request):
    code_id = request.session.get(CODE)
    if code_id is None:
        return redirect("complaint-mine")
    form = MineCodeForm(request.POST or None)
    context = {
        "form": form,
        "sent_to": request.session.get(SENT_TO, ""),
        "minutes": settings.MINE_CODE_MINUTES,
        "tries": settings.MINE_CODE_TRIES,
    }
    if request.method == "POST" and form.is_valid():
        try:
            proof = mine.code_check(code_id=code_id, code=form.cleaned_data["code"])
        except mine.CodeError as error:
            form.add_error(None, str(error))
        else:
            request.session.cycle_key()  # a new session id for the proven session
            request.session.pop(CODE, None)
            request.session[PROOF] = proof.as_session()
            return redirect("complaint-mine-list")
    return render(request, "complaints/mine_code.html", context)


@never_cache
def mine_list(request):
    proof = _proof(request)
    if proof is None:
        if request.session.pop(PROOF, None) is not None:
            messages.info(request, _("확인한 지 30분이 지나 다시 확인해야 합니다."))
        return redirect("complaint-mine")
    page = Paginator(mine.complaints_of(proof), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sent_to": request.session.get(SENT_TO, ""),
        "until": proof.until,
    }
    return render(request, "complaints/mine_list.html", context)


@require_POST
def mine_end(request):
    for key in (CODE, SENT_TO, PROOF):
        request.session.pop(key, None)
    messages.success(request, _("내 민원 조회를 끝냈습니다."))
    return redirect("complaint-mine")
